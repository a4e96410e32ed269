"""Split the text of minutes into a header, agenda items and paragraphs.

Minutes show their structure in one of three ways, and each document is read by the
one it uses most:

- numbered minutes: "2674. Police Report: ...", "4.1 Finance", "18.11.5 Highways";
- markup headings: Markdown `#`/bold lines, HTML <h1>-<h6> (from `ingest.read`);
- bare heading lines: a short line without closing punctuation between paragraphs
  (the first user's own minutes are written so).

Inline agenda listings as exported from US council PDFs ("38 Request of ... (Report)")
are found by their parenthesised item type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.models import AgendaItem, Paragraph, SourceText, Span

__all__ = ["Segments", "segment", "lines_of", "Line"]


@dataclass
class Line:
    text: str
    """The line with surrounding blanks removed."""
    start: int
    end: int


@dataclass
class Segments:
    header: list[Line] = field(default_factory=list)
    """Lines before the first agenda item (title, date, attendance, ...)."""
    items: list[AgendaItem] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    mode: str = "plain"
    """numbered | markup | plain | inline: which structure the document was read by."""


def lines_of(text: str) -> list[Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(raw) + 1
    return out


NUMBERED = re.compile(
    r"^(?P<num>[A-Z]{1,5}[/ ]\d{1,4}(?:/\d{1,4}){1,2}|(?:[A-Z]{1,3}[/ ]?)?\d{1,5}(?:\.\d{1,3}){0,3})"
    r"(?:(?:[.):]|\s-)?\s+|[.)](?=[A-Z])|(?<=\d\d\d)(?=[A-Z][a-z]))(?P<rest>\S.*)$"
)
"""'2659. Police Report: ...', '4.1 Finance', '18.11.5 Highways', 'PC/12 Budget' — an item number."""

# Lines that look like headings but are labels of the header or placeholders.
PLACEHOLDER = re.compile(r"^(n/?a|none|nil|no report|tbc|-+|—)\.?$", re.I)
LABEL = re.compile(
    r"^(date|time|venue|location|place|chair(?:ed by)?|minutes(?: taken)?(?: by)?|clerk|"
    r"(?:(?:members|councillors|officers|others|also|those)\s+)?(?:present|in attendance|attending)|"
    r"attendance|attendees|apologies|absent|invited)\b\s*[:\-–]",
    re.I,
)
ACTION_LABEL = re.compile(r"^(action|actions|resolved|agreed|decision)s?\b\s*[:\-–]", re.I)
MONEY_OR_TABLE = re.compile(r"(£|\$|€)\s?\d|\d+\.\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")

INLINE_ITEM = re.compile(
    r"(?:^|(?<!\s)\s{2,}|\)\s+|(?<=\s)(?=\*))\*?(?:S-)?(?P<num>\d{1,4})\s+(?P<title>[A-Z][^()]{8,600}?)\s+"
    r"\((?:Communication|Report|Resolution|Ordinance|Emergency Ordinance|Second Reading[^)]*|"
    r"Previous Agenda[^)]*|Motion|Proclamation|Presentation)[^)]*\)"
)


def segment(source: SourceText) -> Segments:
    """Find the header, agenda items and paragraphs of one document."""
    lines = lines_of(source.text)
    heading_spans = {s for s, _ in source.headings}
    numbered = [ln for ln in lines if _numbered_title(ln) is not None]
    schemes = _schemes(numbered)
    if schemes:
        numbered = [ln for ln in lines if _numbered_title(ln, schemes) is not None]
    marked = [ln for ln in lines if _marked_heading(ln, source.headings)]
    inline = list(INLINE_ITEM.finditer(source.text))
    if len(inline) >= 5 and len(inline) > len(numbered):
        return _segment_inline(source, lines, inline)
    if len(numbered) >= 3:
        mode = "numbered"
    elif len(marked) >= 3:
        mode = "markup"
    else:
        mode = "plain"
    seg = Segments(mode=mode)
    header_end = _header_end(lines) if mode == "plain" else -1
    started = False
    outline = _Outline()
    layout = bool(source.headings) and source.format in LAYOUT_FORMATS
    for i, ln in enumerate(lines):
        title_span: Span | None = None
        number: str | None = None
        body_start: int | None = None
        is_last = i == len(lines) - 1
        marked_here = _marked_heading(ln, source.headings)
        hit = _numbered_title(ln, schemes) if mode == "numbered" else None
        if hit is not None and layout and not marked_here and not _title_like(ln, hit):
            hit = None  # a numbered paragraph ("3. Libraries should be ...") in a laid-out file
        if hit is not None:
            number, title_span, body_start = hit
            if marked_here:
                title_span, body_start = marked_here, marked_here[1]
        elif marked_here and not LABEL.match(ln.text) and (mode != "numbered" or started):
            title_span = marked_here
            body_start = title_span[1]
        elif (
            mode == "plain"
            and _looks_like_heading(ln, lines[i + 1] if not is_last else None)
            and i > header_end
        ):
            title_span = (ln.start, ln.end)
            body_start = ln.end
        if title_span is not None and (mode != "plain" or not is_last):
            title = _clean_title(source.text[title_span[0] : title_span[1]])
            if title:
                started = True
                parent = outline.place(number, len(seg.items)) if number else None
                seg.items.append(
                    AgendaItem(title=title, parent=parent, number=number, span=title_span)
                )
                rest = _body_after(source.text, body_start or ln.end, ln.end)
                if rest:
                    seg.paragraphs.append(Paragraph(rest[2], rest[0], rest[1], len(seg.items) - 1))
                continue
        if not started:
            seg.header.append(ln)
            continue
        seg.paragraphs.append(Paragraph(ln.text, ln.start, ln.end, len(seg.items) - 1))
    if heading_spans and not seg.items:
        seg.mode = "plain"
    return seg


LAYOUT_FORMATS = frozenset({"pdf", "docx", "html"})
"""Formats whose headings come from layout (fonts, styles, tags), not from the text alone."""


def _title_like(ln: Line, hit: tuple[str, Span, int]) -> bool:
    """A numbered line whose title is short and unpunctuated, or ends at a colon."""
    _num, (start, end), body = hit
    title = ln.text[start - ln.start : end - ln.start]
    return len(title) <= 90 and not re.search(r"[.!?]$", title.strip())


class _Outline:
    """Parents of numbered items: "4.1" sits under "4"; a list that restarts at 1 after
    item 6 ("6. Committees", "1. Review of Membership") sits under item 6 until the
    numbering carries on from 6."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, int]] = []  # (depth, item index)
        self.top: int | None = None  # the last top-level number
        self.sub: tuple[int, int] | None = None  # (parent index, last number) of a restarted list

    def place(self, number: str, index: int) -> int | None:
        depth = number.count(".") if "." in number.rstrip(".") else 0
        value = int(number) if number.isdigit() else None
        if depth == 0 and value is not None:
            if self.sub and value == self.sub[1] + 1 and value != (self.top or 0) + 1:
                self.sub = (self.sub[0], value)
                return self.sub[0]
            if value == 1 and self.top is not None and self.top > 1 and self.stack:
                self.sub = (self.stack[0][1], 1)
                return self.sub[0]
            self.sub = None
            self.top = value
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        self.stack.append((depth, index))
        return parent


def _segment_inline(source: SourceText, lines: list[Line], hits: list[re.Match[str]]) -> Segments:
    """Agenda listed inline (PDF text of US council minutes): items by their (type) marker."""
    seg = Segments(mode="inline")
    first = hits[0].start("num")
    seg.header = [ln for ln in lines if ln.end <= first]
    for m in hits:
        title = _clean_title(m.group("title"))
        seg.items.append(
            AgendaItem(title=title, number=m.group("num"), span=(m.start("title"), m.end("title")))
        )
    # running text after the listing: transcript paragraphs (split at double spaces too)
    last = hits[-1].end()
    for ln in lines:
        if ln.start < first:
            continue
        item = _item_at(hits, ln.start)
        for start, end in _sentences_blocks(source.text, max(ln.start, 0), ln.end):
            if end <= last and start < last:
                pass
            seg.paragraphs.append(Paragraph(source.text[start:end], start, end, item))
    return seg


def _item_at(hits: list[re.Match[str]], offset: int) -> int | None:
    idx = None
    for i, m in enumerate(hits):
        if m.start("num") <= offset:
            idx = i
    return idx


def _sentences_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a long PDF line at runs of 2+ spaces (the extractor's paragraph breaks)."""
    out = []
    pos = start
    for m in re.finditer(r"\s{2,}", text[start:end]):
        a, b = pos, start + m.start()
        if text[a:b].strip():
            out.append((a, b))
        pos = start + m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


def _schemes(numbered: list[Line]) -> frozenset[str]:
    """Dotted prefixes shared by at least two numbered lines ("18.11" of 18.11.1, 18.11.2)."""
    prefixes: dict[str, int] = {}
    for ln in numbered:
        m = NUMBERED.match(ln.text)
        if m and "." in m.group("num"):
            prefix = m.group("num").rsplit(".", 1)[0]
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
    return frozenset(p for p, n in prefixes.items() if n >= 2)


def _numbered_title(
    ln: Line, schemes: frozenset[str] = frozenset()
) -> tuple[str, Span, int] | None:
    """(number, title span, body start) for a numbered minute line.

    `schemes` are the dotted prefixes the document numbers its minutes with ("18.11"):
    "18.11.10 Any Other Business" is then item 10, not the date 18/11/10.
    """
    m = NUMBERED.match(ln.text)
    if not m:
        return None
    num = m.group("num")
    rest = m.group("rest")
    # amounts, dates and times are not item numbers ("08/12/2014 ...", "10.00pm", "£30")
    if re.match(
        r"^\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{2,4}",
        ln.text,
        re.I,
    ):
        return None  # "3 September 2024, 14:00": a date, not item 3
    in_scheme = "." in m.group("num") and m.group("num").rsplit(".", 1)[0] in schemes
    if (re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", ln.text) and not in_scheme) or re.match(
        r"^[\d.]+\s*(am|pm|a\.m\.|p\.m\.)", ln.text, re.I
    ):
        return None
    if not (rest[:1].isupper() or rest[:1] in "*_\"'‘“"):
        return None
    if re.match(r"^\d+\.\d\d$", num):  # 30.88-like amounts
        return None
    rest_start = ln.start + m.start("rest")
    # a bold title inside the line wins ("1. **To consider ...** None.")
    title_text = rest
    colon = re.search(r"\s*(?::-?|\s[-–]\s)\s*", rest)
    if colon and colon.start() <= 90:
        title_end = rest_start + colon.start()
        body = rest_start + colon.end()
    elif len(rest) <= 120 and not re.search(r"[.!?]$", rest.strip()):
        title_end = rest_start + len(title_text)
        body = title_end
    else:
        # "12. Councillor X reported ..." — a numbered paragraph whose first sentence is a title
        first = re.search(r"(?<=[a-z0-9)])[.!?](\s|$)", rest)
        if not first or first.start() > 120:
            return None
        title_end = rest_start + first.start()
        body = rest_start + first.end()
    return num, (rest_start, title_end), body


def _marked_heading(ln: Line, headings: list[Span]) -> Span | None:
    for s, e in headings:
        if ln.start <= s < ln.end:
            return (s, e)
    return None


def _header_end(lines: list[Line]) -> int:
    """Index of the last header line: the run of labels ("Date:", "Attendance:") and lists.

    Without labels near the top, the first line (the title) is the whole header.
    """
    end = 0
    bullets: bool | None = None  # the kind of list under the last label, once seen
    for i, ln in enumerate(lines[:60]):
        bullet = ln.text.startswith(("-", "•", "*", "–", "·"))
        if LABEL.match(ln.text):
            end, bullets = i, None
        elif end and end == i - 1 and _continues_list(ln, lines[i - 1], bullet, bullets):
            end, bullets = i, bullet
    return end


def _continues_list(ln: Line, previous: Line, bullet: bool, bullets: bool | None) -> bool:
    """Whether a line carries on the attendance list above it: "Councillor J Patel
    (Chair)" under "Members present:", line after line; a bulleted list ends with its
    last bullet, and an unbulleted one at a blank line."""
    if bullets not in (None, bullet) or not (bullet or _list_entry(ln.text)):
        return False
    return bullets is None or bullet or ln.start - previous.end <= 1


def _list_entry(text: str) -> bool:
    """A line of an attendance list: names and roles without prose."""
    if len(text) > 160 or re.search(r"[.!?]$", text) and not re.search(r"\b[A-Z]\.$", text):
        return False
    flat = re.sub(r"\([^()]*\)", " ", text)
    lower = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", flat) if w[0].islower()]
    return all(w in {"and", "of", "the", "for", "to", "at", "in", "on", "with"} for w in lower)


STOP_TAIL = re.compile(r"[.!?;,]$")


def _looks_like_heading(ln: Line, nxt: Line | None) -> bool:
    text = ln.text
    words = text.split()
    if nxt is None or len(text) > 110 or len(words) > 16:
        return False
    if STOP_TAIL.search(text) or PLACEHOLDER.match(text) or LABEL.match(text):
        return False
    if ACTION_LABEL.match(text) or text.startswith(("-", "•", "*", "–")):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    # amounts, dates and table rows are not headings
    return not MONEY_OR_TABLE.search(text)


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title.replace("\xa0", " ")).strip()
    title = title.strip("*_ ").rstrip(":-– ").strip()
    return title


def _body_after(text: str, body_start: int, line_end: int) -> tuple[int, int, str] | None:
    """The rest of a heading line after its title, as a paragraph, if any."""
    a = body_start
    while a < line_end and (text[a].isspace() or text[a] in ":-–*_"):
        a += 1
    if a >= line_end:
        return None
    return a, line_end, text[a:line_end]
