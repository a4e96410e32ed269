"""The meeting itself: title, date, venue, chair, minute-taker, body, kind, next meeting."""

from __future__ import annotations

import re
from datetime import date

from ingest.dates import find_dates, parse_date
from ingest.models import Attendee, Meeting, NextMeeting, SourceText

__all__ = ["read_meeting", "read_next_meeting", "meeting_kind"]

LABELLED = re.compile(
    r"^[ \t]*(?:(?P<key>date|time|venue|location|place|chair(?:ed by)?|minutes(?: taken)?(?: by)?|"
    r"minute[- ]taker|clerk|title(?: of meeting)?|meeting)[ \t]*[:\-–][ \t]*|"
    r"(?P<bare>date|time|venue|location|place|title of meeting|chair)[ \t]+(?=[A-Z0-9]))"
    r"(?P<value>\S.*?)[ \t]*$",
    re.I | re.M,
)
"""Header labels: "Date: 3rd September 2024", and, as PDF tables print them, without a
colon ("Date 25th September 2014", "Title of Meeting ...")."""
HELD = re.compile(
    r"(?P<title>(?:(?!\s{2,})[^.\n])*?\bmeeting\b(?:(?!\s{2,})[^.\n])*?)\s+(?:was\s+)?held\b", re.I
)
VENUE_AFTER_HELD = re.compile(
    r"\bheld\b(?:[^.\n]|\.(?=\d))*?\b(?:in|at)\s+(?:the\s+)?(?P<venue>[A-Z][^.;\n]*?)"
    r"(?=,?\s+(?:at|on|commencing|starting)\s+(?:\d|Mon|Tue|Wed|Thu|Fri|Sat|Sun)|\.\s|\.?\s*$|\.?\n)"
)
BODY = re.compile(
    r"\b(?P<body>(?:[A-Z][\w'’-]+\s+){1,4}(?:Parish|Town|Community|City|County|Borough|District|"
    r"Metropolitan Borough)\s+Council|(?:[A-Z][\w'’-]+\s+(?:and\s+(?!Police\b))?){1,3}"
    r"Police and Crime (?:Panel|Commissioner)|"
    r"(?:[A-Z][\w'’-]+\s+){1,4}(?:Board|Committee|Panel|Trust|Authority))\b"
)
BODY_LINE = re.compile(
    r"(?:[A-Z][\w'’-]+\s+(?:(?:and|&)\s+)?){1,6}(?:Council|Board|Committee|Panel|Trust|Authority|"
    r"Commissioner)"
)
"""A line that only names a body, with "and" between its words ("Shropshire Health and
Wellbeing Board", "Audit and Standards Committee"): BODY stops at a lower-case word."""
KINDS = [
    ("performance", r"\bperformance\b|holding to account|accountability"),
    ("panel", r"\bpanel\b"),
    ("committee", r"\bcommittee\b"),
    ("board", r"\bboard\b"),
    ("council", r"\bcouncil\b"),
]


MAX_HEADER_LINE = 1000
"""Characters of a header line that read_meeting looks at."""


def meeting_kind(text: str) -> str | None:
    """A coarse kind of meeting from its title or body."""
    for kind, pattern in KINDS:
        if re.search(pattern, text, re.I):
            return kind
    return None


def read_meeting(source: SourceText, header: str, attendees: list[Attendee]) -> Meeting:
    """The meeting fields from the header region (and the attendance already read)."""
    # HELD and VENUE_AFTER_HELD scan each line lazily from every start: quadratic in a
    # line's length. A header line is a title, a date, a venue: none is 1,000 characters,
    # but a file of one 3 MB line would take hours. Long lines are cut here.
    header = "\n".join(line[:MAX_HEADER_LINE] for line in header.split("\n"))
    meeting = Meeting()
    labels: dict[str, str] = {}
    for m in LABELLED.finditer(header):
        labels.setdefault((m.group("key") or m.group("bare")).lower(), m.group("value"))
    for key, value in labels.items():
        if key.startswith("date"):
            d = parse_date(value)
            meeting.date = d.isoformat() if d else None
        elif key in ("venue", "location", "place"):
            meeting.venue = value.strip()
        elif key.startswith("chair"):
            meeting.chair = value.strip()
        elif key.startswith("minute"):
            meeting.minutes_by = value.strip()
        elif key.startswith("title"):
            meeting.title = value.strip()
    held = HELD.search(header)
    if not meeting.title:
        if held:
            meeting.title = _clean(held.group("title"))
        else:
            meeting.title = _first_title_line(header)
    if not meeting.date:
        dates = find_dates(header)
        if dates:
            meeting.date = dates[0][2].isoformat()
        elif source.date_hint:
            meeting.date = source.date_hint
    if not meeting.venue and (v := VENUE_AFTER_HELD.search(header)):
        meeting.venue = _clean(v.group("venue"))
    if not meeting.chair:
        meeting.chair = _chair_from(attendees)
    meeting.body = _body(header, meeting.title or "", source.text, attendees)
    meeting.kind = meeting_kind(" ".join(filter(None, [meeting.title, meeting.body])))
    return meeting


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–")
    return text


def _first_title_line(header: str) -> str | None:
    """The first line that is neither a label, a list item nor a date; when it only names
    the body ("Northshire Police and Crime Commissioner") and the next line names the
    meeting ("Accountability Board – Minutes"), the meeting's line."""
    lines = [
        ln.strip()
        for ln in header.splitlines()
        if ln.strip() and not LABELLED.match(ln) and not ln.strip().startswith(("-", "•", "*"))
    ]
    lines = [ln for ln in lines if not (parse_date(ln) and len(ln) < 40)]
    if not lines:
        return None
    first = lines[0]
    if (
        len(lines) > 1
        and BODY.fullmatch(first.strip())
        and re.search(r"\b(meeting|minutes|board|committee|panel|forum|session)\b", lines[1], re.I)
    ):
        return _clean(re.sub(r"\s*[–—-]\s*minutes\s*$", "", lines[1], flags=re.I))
    return _clean(first)


def _chair_from(attendees: list[Attendee]) -> str | None:
    for a in attendees:
        if (
            a.role
            and re.search(r"\b(chair(man|woman|person)?|presiding)\b", a.role, re.I)
            and not re.search(r"vice|deputy", a.role, re.I)
        ):
            return f"{a.title} {a.name}" if a.title else a.name
    return None


def _body(header: str, title: str, text: str, attendees: list[Attendee]) -> str | None:
    # the title and the opening lines, not the attendance (whose roles name bodies too)
    opening = "\n".join(
        ln for ln in header.splitlines()[:4] if not ln.lstrip().startswith(("-", "•", "*"))
    )
    # "Suffolk Libraries IPS - Board Meeting": the body, a dash, the kind of meeting
    named = re.match(
        r"^(?P<body>[A-Z].{2,80}?)\s+[-–—]\s+(?:[A-Z]\w*\s+){0,3}(?:meeting|minutes)\b", title, re.I
    )
    if named:
        return _clean(named.group("body"))
    first = opening.splitlines()[0].strip() if opening else ""
    if BODY.fullmatch(first) or BODY_LINE.fullmatch(first):
        return _clean(first)  # a first line that only names the body
    for candidate in (title, opening):
        m = BODY.search(candidate)
        if m:
            return _clean(m.group("body"))
    m = re.search(r"\bmeeting of the (?P<body>[A-Za-z ,]+?)(?: was held| held|$)", title, re.I)
    if m and "above" not in m.group("body").lower():
        return _clean(m.group("body")).title()
    if any(a.role and re.search(r"police and crime commissioner", a.role, re.I) for a in attendees):
        # "West Mercia Police", not "Jane Doe Police and Crime Commissioner" (the office)
        force = re.search(
            r"\b((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)? (?:and )?){1,2})(?:Police|Constabulary)\b"
            r"(?!\s+and\s+Crime)",
            text,
        )
        if force:
            name = re.sub(r"^The\s+", "", force.group(1).strip())
            return f"{name} Police and Crime Commissioner"
        # no force named: the office alone would make one body of every force's PCC
    return None


TIME = re.compile(r"(?<![\d.])(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d/])", re.I)


def _times(text: str) -> list[tuple[int, int, str]]:
    """Clock times ("14:00", "7.30pm", "7pm") as (start, end, "HH:MM")."""
    out = []
    for m in TIME.finditer(text):
        hour, minute, half = (
            int(m.group(1)),
            m.group(2),
            (m.group(3) or "").lower().replace(".", ""),
        )
        if minute is None and not half:
            continue
        if hour > 23 or (minute and int(minute) > 59):
            continue
        if half == "pm" and hour < 12:
            hour += 12
        out.append((m.start(), m.end(), f"{hour:02d}:{minute or '00'}"))
    return out


def read_next_meeting(title: str, body: str, meeting_date: str | None) -> NextMeeting | None:
    """The next meeting from the item that announces it ("Date of next meeting: April 29th")."""
    if not re.search(r"\bnext meeting\b", title + " " + body[:80], re.I):
        return None
    ref = date.fromisoformat(meeting_date) if meeting_date else None
    nxt = NextMeeting()
    dates = find_dates(body, ref)
    if dates:
        nxt.date = dates[0][2].isoformat()
    times = _times(body)
    if times:
        start = times[0][2]
        end = times[1][2] if len(times) > 1 and times[1][0] - times[0][1] < 5 else None
        nxt.time = f"{start}–{end}" if end else start
    parts = [p.strip() for p in re.split(r"\s/\s?|\s?/\s", body) if p.strip()]
    if len(parts) < 3:  # "3 September 2024, 14:00, Police Headquarters."
        parts = [p.strip() for p in body.split(",") if p.strip()]
    if len(parts) >= 3:
        nxt.kind = parts[0] if not find_dates(parts[0]) else None
        last = parts[-1]
        if not find_dates(last) and not _times(last):
            nxt.venue = last.rstrip(".")
    elif (v := re.search(r"\b(?:in|at)\s+(?:the\s+)?([A-Z][^.,\n]+)", body)) and not find_dates(
        v.group(1)
    ):
        nxt.venue = v.group(1).strip()
    if not (nxt.date or nxt.time or nxt.venue):
        return None
    return nxt
