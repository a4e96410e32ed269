"""Dates, times and due phrases as UK minutes write them.

`parse_date` reads one date ("3rd September 2024", "03/09/2024" day first,
"12TH DAY OF JANUARY, 2011", "April 29th" with the year taken from a reference
date); `find_dates` finds every date in a text; `parse_time` reads a clock time.

Due phrases. The extract contract says an action's `due` is an ISO date when the
minutes give one explicitly and otherwise the phrase as written. So `parse_due`
returns ISO only for an explicit calendar date ("by 30 June 2025", "end of March
2025"); relative phrases ("next meeting", "end of quarter two", "2024/25") are kept
as written, because the date they point to is an inference, not something the
document says. Where a caller wants a date anyway (for sorting or an overdue flag),
`due_date` derives one from such a phrase with `financial_year_end` and
`quarter_end` (UK financial year: 1 April to 31 March; quarter one ends 30 June).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time

__all__ = [
    "parse_date",
    "find_dates",
    "parse_time",
    "find_times",
    "parse_due",
    "due_date",
    "financial_year_end",
    "quarter_end",
    "MONTHS",
]

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
_ORD = r"(?:\s?(?:st|nd|rd|th)\b)?"
"""An ordinal suffix, also set apart as PDFs print superscripts ("2 nd May 2013")."""
_YEAR = r"(?:\d{4}|'?\d{2})(?!\d)"

# Each pattern names its groups d (day), m (month word or number), y (year, optional).
_DATE_PATTERNS = [
    # 12TH DAY OF JANUARY, 2011
    r"(?P<d>\d{1,2})" + _ORD + r"\s+day\s+of\s+(?P<m>" + _MONTH + r"),?\s*(?P<y>" + _YEAR + r")?",
    # (Wednesday) 3rd September 2024 / 3 Sept 24 / 08 Oct 2024 / 25th March
    r"(?:" + _WEEKDAY + r")?(?P<d>\d{1,2})" + _ORD + r"(?:\s+of)?\s+(?P<m>" + _MONTH + r")"
    r"(?:,?\s+(?P<y>" + _YEAR + r"))?",
    # (Wednesday) September 3rd, 2024 / April 29th
    r"(?:" + _WEEKDAY + r")?(?P<m>" + _MONTH + r")\s+(?P<d>\d{1,2})" + _ORD + r"(?!\d)"
    r"(?:,?\s+(?P<y>\d{4})(?!\d))?",
    # 2024-09-03
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
    # 03/09/2024, 3/9/24, 03-09-2024, 03.09.2024 (day first, as in the UK)
    r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/])",
]
_DATE_RE = [re.compile(r"(?<![\w/])" + p + r"(?![\w/])", re.I) for p in _DATE_PATTERNS]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    text = text.lstrip("'")
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _build(m: re.Match[str], ref: date | None) -> date | None:
    month_text = m.group("m").rstrip(".").lower()
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    day = int(m.group("d"))
    year = _year(m.group("y"))
    if month is None or not 1 <= month <= 12:
        return None
    if year is None:
        if ref is None:
            return None
        # the next such date on or after the reference date
        for y in (ref.year, ref.year + 1):
            try:
                candidate = date(y, month, day)
            except ValueError:
                continue
            if candidate >= ref:
                return candidate
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, ref: date | None = None) -> list[tuple[int, int, date]]:
    """Every date in `text` as (start, end, date), left to right, without overlaps.

    Dates written without a year ("April 29th") are found only when `ref` is given;
    they take the next such date on or after `ref`.
    """
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RE:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            d = _build(m, ref)
            if d is None:
                continue
            found.append((m.start(), m.end(), d))
            taken.append((m.start(), m.end()))
    return sorted(found)


def parse_date(text: str, ref: date | None = None) -> date | None:
    """The first date written in `text`, or None.

    >>> parse_date("3rd September 2024")
    datetime.date(2024, 9, 3)
    >>> parse_date("April 29th", ref=date(2019, 3, 25))
    datetime.date(2019, 4, 29)
    """
    hits = find_dates(text, ref)
    return hits[0][2] if hits else None


# --- times -------------------------------------------------------------------------

_TIME_RE = re.compile(
    r"(?<![\w.:/])(?P<h>\d{1,2})(?:[.:](?P<min>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z])"
    r"|(?<![\w.:/])(?P<h24>\d{1,2})[:.](?P<min24>\d{2})(?:\s*(?:hrs|hours|h))?(?![\d:/]|\.\d)"
    r"|(?P<noon>\b(?:12\s+)?(?:noon|midday|midnight)\b)",
    re.I,
)


def _time_of(m: re.Match[str]) -> time | None:
    if m.group("noon"):
        return time(0, 0) if "midnight" in m.group("noon").lower() else time(12, 0)
    if m.group("h") is not None:
        hour, minute = int(m.group("h")), int(m.group("min") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        pm = m.group("ampm").lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
        return time(hour, minute)
    hour, minute = int(m.group("h24")), int(m.group("min24"))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def find_times(text: str) -> list[tuple[int, int, time]]:
    """Every clock time in `text` ("7.30pm", "14:00", "9:30 A.M.", "12 midnight").

    A range written "11.00-11.45am" gives both ends, the first taking the second's
    am/pm when it has none and is not later than it.
    """
    out: list[tuple[int, int, time]] = []
    for m in _TIME_RE.finditer(text):
        t = _time_of(m)
        if t is not None:
            out.append((m.start(), m.end(), t))
    # "11.00-11.45am": the bare first end was read as 24-hour; keep it, it is right
    # for am; for pm ranges ("7-9pm") shift it when that keeps the order.
    for i in range(len(out) - 1):
        s, e, t = out[i]
        s2, _e2, t2 = out[i + 1]
        if re.fullmatch(r"\s*(?:-|–|to)\s*", text[e:s2]) and t.hour < 12 <= t2.hour:
            shifted = time(t.hour + 12, t.minute)
            if shifted <= t2:
                out[i] = (s, e, shifted)
    return out


def parse_time(text: str) -> time | None:
    """The first clock time in `text`, or None: parse_time("at 7.30pm") -> time(19, 30)."""
    hits = find_times(text)
    return hits[0][2] if hits else None


# --- due phrases -------------------------------------------------------------------

_LEAD = re.compile(
    r"^\s*(?:(?:by|before|on|at|for|to|until|till|in|within|no\s+later\s+than|in\s+time\s+for|"
    r"prior\s+to|ahead\s+of|due)\s+)*(?:the\s+)?",
    re.I,
)
_END_OF_MONTH = re.compile(
    r"^(?:the\s+)?(?:end|close)\s+of\s+(?P<m>" + _MONTH + r")(?:,?\s+(?P<y>\d{4}))?\s*$", re.I
)
_FY = re.compile(r"(?:FY\s*)?(?P<a>(?:19|20)\d{2})\s*[/-]\s*(?P<b>\d{2}|\d{4})(?!\d)", re.I)
_QUARTER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "final": 4,
    "last": 4,
}
_QUARTER = re.compile(
    r"\b(?:q(?P<a>[1-4])|quarter\s+(?P<b>one|two|three|four|[1-4])|"
    r"(?P<c>first|second|third|fourth|final|last)\s+quarter)\b",
    re.I,
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_due(phrase: str | None, meeting_date: date | None = None) -> str | None:
    """A due phrase as the contract stores it: ISO when explicit, else the phrase as written.

    The leading preposition and article are dropped ("by the next meeting" ->
    "next meeting"). "end of March 2025" is explicit (-> "2025-03-31"); "end of
    March" takes its year from `meeting_date`. Relative phrases are kept as written.
    """
    if not phrase or not phrase.strip():
        return None
    core = _LEAD.sub("", phrase.strip()).strip().rstrip(".,;:")
    if not core:
        return None
    m = _END_OF_MONTH.match(core)
    if m:
        month = MONTHS[m.group("m").rstrip(".").lower()]
        if m.group("y"):
            return _month_end(int(m.group("y")), month).isoformat()
        if meeting_date is not None:
            year = meeting_date.year + (1 if month < meeting_date.month else 0)
            return _month_end(year, month).isoformat()
        return core
    hits = find_dates(core, meeting_date)
    if hits and hits[0][0] == 0 and hits[0][1] >= len(core.rstrip()) - 1:
        return hits[0][2].isoformat()
    return core


def financial_year_end(text: str | int) -> date | None:
    """The last day of a UK financial year: "2024/25", "2024-2025", "FY24/25" -> 2025-03-31.

    An int is the year the financial year starts in.
    """
    if isinstance(text, int):
        return date(text + 1, 3, 31)
    m = _FY.search(text)
    if m:
        start = int(m.group("a"))
        return date(start + 1, 3, 31)
    m = re.search(r"FY\s*(\d{2})\s*/\s*(\d{2})\b", text, re.I)
    if m:
        return date(2000 + int(m.group(2)), 3, 31)
    return None


def quarter_end(quarter: str | int, fy: str | int | date | None) -> date | None:
    """The last day of a quarter of a UK financial year (Q1 = April-June).

    `quarter` is "quarter two", "Q2", "second quarter" or 2; `fy` is "2024/25",
    the starting year (2024) or any date inside the financial year.
    """
    if isinstance(quarter, int):
        q: int | None = quarter if 1 <= quarter <= 4 else None
    else:
        m = _QUARTER.search(quarter)
        q = _QUARTER_WORDS[(m.group("a") or m.group("b") or m.group("c")).lower()] if m else None
    if q is None or fy is None:
        return None
    if isinstance(fy, date):
        start = fy.year if fy.month >= 4 else fy.year - 1
    elif isinstance(fy, int):
        start = fy
    else:
        end = financial_year_end(fy)
        if end is None:
            return None
        start = end.year - 1
    return {
        1: date(start, 6, 30),
        2: date(start, 9, 30),
        3: date(start, 12, 31),
        4: date(start + 1, 3, 31),
    }[q]


def due_date(phrase: str | None, meeting_date: date | None = None) -> date | None:
    """A calendar date for a due phrase where one can be derived, else None.

    Explicit dates as `parse_due`; "end of quarter two" -> that quarter's end in the
    financial year holding `meeting_date` (or one named in the phrase); "2024/25" ->
    the end of that financial year. "next meeting" cannot be derived here.
    """
    due = parse_due(phrase, meeting_date)
    if due is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", due):
        return date.fromisoformat(due)
    fy_match = _FY.search(due)
    if _QUARTER.search(due):
        fy: str | date | None = fy_match.group(0) if fy_match else meeting_date
        return quarter_end(due, fy)
    if fy_match:
        return financial_year_end(fy_match.group(0))
    m = re.search(r"\b(?:end|close)\s+of\s+(?:the\s+)?(financial\s+year|month|year)\b", due, re.I)
    if m and meeting_date is not None:
        what = m.group(1).lower()
        if what == "month":
            return _month_end(meeting_date.year, meeting_date.month)
        if what == "year":
            return date(meeting_date.year, 12, 31)
        return quarter_end(4, meeting_date)
    return None
