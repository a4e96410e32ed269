"""Read the text layer of a PDF into `SourceText`: one line per paragraph.

PDFium (pypdfium2) gives every character with its box, font size and weight; the
layout is rebuilt from those:

1. characters -> visual lines (by baseline; superscripts such as the "th" of "25th"
   join the line they sit on), cells within a line split at wide gaps (a tab between
   cells, so table rows read as rows);
2. running headers and footers (lines repeating at the top or bottom of most pages,
   digits aside) and page numbers are dropped;
3. wrapped lines are joined into paragraphs (a line continues the one above when that
   one is full to the right margin or the next starts in lower case, at normal line
   spacing, in the same font); "recom-" + "mended" is joined; bullets and numbered
   lines start paragraphs; wrapped cells of a table row join their own cells;
4. lines notably larger than the body text, or bold, and short, are headings.

Offsets map back to pages (`SourceText.pages`) and positions (`SourceText.positions`).
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ingest.errors import UnreadableFile
from ingest.formats import Format, register
from ingest.models import SourceText

__all__ = ["read_pdf", "PDF", "MAX_PAGES", "MAX_CHARS"]

MAX_PAGES = 500
"""Minutes are rarely longer than 50 pages; a 500-page PDF is a report pack, not minutes."""
MAX_CHARS = 3_000_000
"""Characters over all pages; past this the layout work would hold a batch up."""
MAX_RULES = 2_000
"""Drawn objects looked at per page for table rules."""

BULLETS = "•◦▪■□●○‣⁃∙·–-*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0e0"
_BULLET_MAP = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf076": "•",
    "\uf0d8": "•",
    "\uf0fc": "•",
    "\uf0e0": "•",
}
NUMBERED_START = re.compile(
    r"^(?:\(?(?:\d{1,4}(?:\.\d{1,3}){0,3}|[a-z]|[ivxlc]{1,5}|[A-Z])[.)]|\d{1,4}(?:\.\d{1,3}){1,3})\s"
)
"""'1. ', '4.1 ', '18.11.5 ', '(a) ', 'ii) ', 'A. ': a list or item number opening a line."""
LIST_MARK = re.compile(
    r"^(?:[•▪\-–*·◦●○■□‣⁃∙]|\(?(?:\d{1,4}(?:\.\d{1,3}){0,3}|[a-zA-Z]|[ivxlc]{1,5})[.):]|"
    r"\d{1,4}(?:\.\d{1,3}){1,3})$"
)
"""A bullet or list number standing alone before its text (Word puts a tab after it)."""
NUMBER_PREFIX = re.compile(r"^(?:\(?[0-9A-Za-z]{1,5}(?:\.\d{1,3}){0,3}[.):]?)\s+(?=\S)")
PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$|^page\s+\d+", re.I
)
SENTENCE_END = re.compile(r"[.!?:;]['’\"”)]?$")
ACTION_HEADERS = {
    "ref",
    "no",
    "no.",
    "item",
    "action",
    "actions",
    "owner",
    "lead",
    "by whom",
    "who",
    "responsible",
    "due",
    "due date",
    "by when",
    "when",
    "deadline",
    "date",
    "status",
    "progress",
    "update",
}


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    bold: bool
    space_before: bool


@dataclass
class _Cell:
    x0: float
    x1: float
    text: str


@dataclass
class _Line:
    page: int
    chars: list[_Char]
    cells: list[_Cell] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    base: float = 0.0
    size: float = 0.0
    bold: bool = False
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    """Horizontal rules drawn on the line's page (x0, x1, y from the top)."""
    side: list[_Cell] = field(default_factory=list)
    """Cells in a side column of owners ("Action" at the right margin): "AW", "MH/IB"."""

    @property
    def text(self) -> str:
        return _join_cells(self.cells)


@dataclass
class _Para:
    """An output line: a paragraph, a heading or a table row."""

    cells: list[_Cell]
    page: int
    box: list[float]
    first: _Line
    last: _Line
    heading: bool = False
    side: list[str] = field(default_factory=list)
    continued_on: list[tuple[int, int, list[float]]] = field(default_factory=list)
    """(page, index into cells[0] text where that page's part starts, box) after a page break."""

    @property
    def text(self) -> str:
        text = _join_cells(self.cells)
        if self.side:
            text += "\t" + ", ".join(dict.fromkeys(self.side))
        return text


def _join_cells(cells: list[_Cell]) -> str:
    out = ""
    for i, c in enumerate(cells):
        if i and not out.strip("".join(_BULLET_MAP.values()) + BULLETS + " "):
            out += " " + c.text  # a bullet and its text: one cell
        elif i:
            out += "\t" + c.text
        else:
            out = c.text
    return out


# --- opening -------------------------------------------------------------------------


def _sniff(data: bytes, path: str) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def read_pdf(data: bytes, path: str) -> SourceText:
    """Decode the text layer of a PDF.

    Raises:
        UnreadableFile: encrypted, damaged or truncated, too many pages, or no text layer.
    """
    import pypdfium2 as pdfium

    if b"%%EOF" not in data[-4096:]:
        raise UnreadableFile(path, "damaged or truncated PDF (no end-of-file marker)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            raise UnreadableFile(path, "encrypted PDF: a password is needed") from exc
        reason = {2: "file access error", 3: "bad format", 6: "bad page"}.get(code or 0, "no pages")
        raise UnreadableFile(path, f"damaged or truncated PDF ({reason})") from exc
    try:
        n_pages = len(doc)
        if n_pages > MAX_PAGES:
            raise UnreadableFile(path, f"{n_pages} pages; the limit is {MAX_PAGES}")
        pages: list[list[_Line]] = []
        sizes: list[tuple[float, float]] = []
        total = 0
        for i in range(n_pages):
            lines, size, n_chars = _read_page(doc, i, path)
            total += n_chars
            if total > MAX_CHARS:
                raise UnreadableFile(
                    path, f"more than {MAX_CHARS:,} characters of text; too large for minutes"
                )
            pages.append(lines)
            sizes.append(size)
        title = (doc.get_metadata_value("Title") or "").strip() or None
    finally:
        doc.close()
    visible = sum(len(c.text.strip()) for lines in pages for ln in lines for c in ln.cells)
    if visible < max(40, 15 * n_pages):
        raise UnreadableFile(path, "no text layer: OCR is not supported")
    _drop_running_lines(pages, sizes)
    _find_side_column(pages, sizes)
    source = _assemble(pages, data, path)
    if title and not title.lower().startswith("microsoft word"):
        source.title_hint = title
    return source


def _read_page(doc, index: int, path: str) -> tuple[list[_Line], tuple[float, float], int]:
    import pypdfium2 as pdfium

    try:
        page = doc[index]
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(path, f"damaged or truncated PDF (page {index + 1})") from exc
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, height)
        finally:
            textpage.close()
        rules = _rules(page, height)
    finally:
        page.close()
    return _lines(chars, index + 1, rules), (width, height), len(chars)


def _chars(textpage, height: float) -> list[_Char]:
    import pypdfium2.raw as raw

    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    out: list[_Char] = []
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    flags = ctypes.c_int()
    name = ctypes.create_string_buffer(128)
    space = False
    for i in range(n):
        code = raw.FPDFText_GetUnicode(tp, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if ch in "\x02\xad":
            ch = "-"  # PDFium's mark for a hyphen that ends a line
        if not ch or ch.isspace() or ch == "\ufffe" or ch == "\x00":
            space = True
            continue
        # the loose box spans the glyph's advance: gaps between boxes are real spaces
        if not raw.FPDFText_GetLooseCharBox(tp, i, rect):
            continue
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        raw.FPDFText_GetMatrix(tp, i, matrix)
        if abs(matrix.b) > 0.1 * abs(matrix.a) + 1e-6 or matrix.a <= 0:
            space = True
            continue  # rotated text (side notes, watermarks) is not in the reading flow
        size = raw.FPDFText_GetFontSize(tp, i) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c)
        )
        weight = raw.FPDFText_GetFontWeight(tp, i)
        raw.FPDFText_GetFontInfo(tp, i, name, 128, flags)
        font = name.value.decode("latin-1", "replace").lower()
        bold = (
            weight >= 600
            or bool(flags.value & (1 << 18))
            or any(w in font for w in ("bold", "black", "heavy", "semibold", "demi"))
        )
        out.append(
            _Char(
                _BULLET_MAP.get(ch, ch),
                rect.left,
                rect.right,
                height - rect.top,
                height - rect.bottom,
                height - oy.value,
                size or 1.0,
                bold,
                space,
            )
        )
        space = False
    return out


def _rules(page, height: float) -> list[tuple[float, float, float]]:
    """Horizontal rules (x0, x1, y from the top): table borders that separate rows."""
    import pypdfium2.raw as raw

    out = []
    try:
        for k, obj in enumerate(page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=2)):
            if k >= MAX_RULES:
                break
            x0, y0, x1, y1 = obj.get_bounds()
            if y1 - y0 <= 2.5 and x1 - x0 >= 20:
                out.append((x0, x1, height - (y0 + y1) / 2))
    except Exception:  # rules only help: a damaged drawing is not fatal
        return []
    return out


# --- lines ---------------------------------------------------------------------------


def _lines(chars: list[_Char], page: int, rules: list[tuple[float, float, float]]) -> list[_Line]:
    """Group characters into visual lines by baseline; superscripts join their line."""
    if not chars:
        return []
    # fragments: runs in content order on one baseline, left to right
    frags: list[list[_Char]] = []
    for c in chars:
        if frags:
            p = frags[-1][-1]
            same = abs(c.base - p.base) <= 0.2 * max(p.size, c.size) and c.size == p.size
            if same and p.x0 - 0.5 <= c.x0 <= p.x1 + 3 * c.size:
                frags[-1].append(c)
                continue
        frags.append([c])
    # full-size fragments first, then small ones (superscripts) attach to the nearest line
    frags.sort(key=lambda f: -statistics.median(c.size for c in f))
    lines: list[_Line] = []
    bases: list[float] = []  # sorted baselines of `ordered`, to look only at nearby lines
    ordered: list[_Line] = []
    reach = 0.0
    for f in frags:
        size = statistics.median(c.size for c in f)
        base = f[0].base
        reach = max(reach, size)
        lo_i = bisect.bisect_left(bases, base - 0.7 * reach)
        hi_i = bisect.bisect_right(bases, base + 0.7 * reach)
        best = None
        for ln in sorted(ordered[lo_i:hi_i], key=lambda ln: abs(ln.base - base)):
            d = base - ln.base
            if abs(d) <= 0.25 * ln.size and abs(size - ln.size) <= 0.35 * ln.size:
                best = ln
                break
            if size < 0.85 * ln.size and -0.7 * ln.size <= d <= 0.4 * ln.size:
                lo, hi = f[0].x0, f[-1].x1
                if not any(c.x0 < hi - 1 and lo + 1 < c.x1 for c in ln.chars):
                    best = ln
                    break
        if best is None:
            new = _Line(page, list(f), base=base, size=size)
            lines.append(new)
            k = bisect.bisect_left(bases, base)
            bases.insert(k, base)
            ordered.insert(k, new)
        else:
            best.chars.extend(f)
    for ln in lines:
        _finish_line(ln)
        ln.rules = rules
    lines.sort(key=lambda ln: (round(ln.base, 0), ln.x0))
    return lines


def _finish_line(ln: _Line, side_x: float | None = None) -> None:
    ln.chars.sort(key=lambda c: c.x0)
    size = ln.size
    gaps = [b.x0 - a.x1 for a, b in zip(ln.chars, ln.chars[1:], strict=False)]
    words = [g for g in gaps if 0.18 * size < g < 1.6 * size]
    # justified lines stretch every word gap alike; a column gap stands out from them
    column_gap = max(1.6 * size, 14.0, 3 * statistics.median(words) if words else 0.0)
    cells: list[_Cell] = []
    text = ""
    x0 = x1 = ln.chars[0].x0
    for c, gap in zip(ln.chars, [0.0, *gaps], strict=True):
        if text:
            side = side_x is not None and c.x0 >= side_x > x1 - 1 and gap > 0.18 * size
            if (gap > column_gap or side) and not LIST_MARK.match(text.strip()):
                cells.append(_Cell(x0, x1, text.strip()))
                text, x0 = "", c.x0
            elif gap > 0.18 * size or (c.space_before and gap > -0.05 * size):
                text += " "
        text += c.text
        x1 = c.x1 if len(text) == 1 else max(x1, c.x1)
    cells.append(_Cell(x0, x1, text.strip()))
    ln.cells = [c for c in cells if c.text]
    if side_x is not None:
        ln.side = [c for c in ln.cells if c.x0 >= side_x]
        ln.cells = [c for c in ln.cells if c.x0 < side_x]
    big = [c for c in ln.chars if c.size >= 0.85 * size]
    ln.x0 = min(c.x0 for c in ln.chars)
    ln.x1 = max(c.x1 for c in ln.chars)
    ln.top = min(c.top for c in ln.chars)
    ln.bottom = max(c.bottom for c in ln.chars)
    if side_x is not None and ln.cells:
        big = [c for c in big if c.x0 < side_x] or big
        ln.x1 = ln.cells[-1].x1
    letters = [c for c in big if c.text.isalnum()] or big
    ln.bold = sum(c.bold for c in letters) >= 0.8 * len(letters)


# --- running headers and footers ------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def _drop_running_lines(pages: list[list[_Line]], sizes: list[tuple[float, float]]) -> None:
    """Remove page headers, footers and page numbers."""
    n = len(pages)
    zones: list[dict[int, tuple[str, str]]] = []
    counts: Counter[tuple[str, str]] = Counter()
    for lines, (_w, h) in zip(pages, sizes, strict=True):
        lines[:] = [ln for ln in lines if ln.cells]
        marks: dict[int, tuple[str, str]] = {}
        order = sorted(range(len(lines)), key=lambda i: lines[i].top)
        for rank, i in enumerate(order):
            ln = lines[i]
            if rank < 4 and ln.bottom < 0.16 * h:
                marks[i] = ("top", _key(ln.text))
            elif rank >= len(order) - 5 and ln.top > 0.80 * h:
                marks[i] = ("bottom", _key(ln.text))
        zones.append(marks)
        counts.update(set(marks.values()))
    for lines, marks in zip(pages, zones, strict=True):
        drop = set()
        for i, mark in marks.items():
            text = lines[i].text.strip()
            repeated = n >= 2 and counts[mark] >= max(2, math.ceil(0.5 * n))
            if repeated or PAGE_NUMBER.match(text):
                drop.add(i)
        lines[:] = [ln for i, ln in enumerate(lines) if i not in drop]


SIDE_HEADERS = {"action", "actions", "owner", "lead", "by whom", "who", "action by", "responsible"}


def _find_side_column(pages: list[list[_Line]], sizes: list[tuple[float, float]]) -> None:
    """A column of owners at the right margin, headed "Action": split it off every line."""
    for lines, (width, _h) in zip(pages, sizes, strict=True):
        for ln in lines:
            if ln.text.strip().lower() in SIDE_HEADERS and ln.x0 > 0.6 * width:
                side_x = ln.x0 - 8
                for page in pages:
                    for other in page:
                        if (other.page, other.base) > (ln.page, ln.base):
                            _finish_line(other, side_x)
                return


# --- paragraphs ----------------------------------------------------------------------


def _starts_new(text: str) -> bool:
    return bool(text[:1] in BULLETS + "•▪" and text[1:2] in (" ", "")) or bool(
        NUMBERED_START.match(text)
    )


def _assemble(pages: list[list[_Line]], data: bytes, path: str) -> SourceText:
    lines = [ln for page in pages for ln in page]
    body_sizes = [ln.size for ln in lines for _ in ln.chars if not ln.bold]
    body = statistics.median(body_sizes) if body_sizes else 10.0
    pitch = _pitch(pages, body)
    right = _right_margin(lines)
    paras: list[_Para] = []
    cur: _Para | None = None
    prev: _Line | None = None
    table: list[tuple[float, float]] | None = None  # columns of an action table
    for ln in lines:
        if not ln.cells:
            if ln.side and (cur or paras):
                (cur or paras[-1]).side.extend(c.text for c in ln.side)
            continue
        heading = _is_heading(ln, body)
        if table is not None and (
            prev is None or ln.page != prev.page or ln.cells[0].x0 < table[0][0] - 8
        ):
            table = None
        if table is None and _action_header(ln):
            table = [(c.x0, c.x1) for c in ln.cells]
            cur = _new_para(ln, heading=False)
            paras.append(cur)
            prev = ln
            continue
        if table is not None and cur is not None and prev is not None:
            if _same_row(cur, prev, ln, table, pitch):
                _merge_into_columns(cur, ln, table)
            else:
                cur = _new_para(ln, heading=False)
                cur.cells = _by_columns(ln, table)
                paras.append(cur)
            prev = ln
            continue
        if cur is not None and prev is not None and _continues(cur, prev, ln, body, pitch, right):
            _append(cur, prev, ln)
            cur.side.extend(c.text for c in ln.side)
        elif cur is not None and prev is not None and _continues_cells(cur, prev, ln, pitch):
            _merge_cells(cur, ln)
        else:
            cur = _new_para(ln, heading)
            cur.side.extend(c.text for c in ln.side)
            paras.append(cur)
        prev = ln
    return _build_source(paras, len(pages), data, path)


def _pitch(pages: list[list[_Line]], body: float) -> float:
    deltas: Counter[float] = Counter()
    for lines in pages:
        for a, b in zip(lines, lines[1:], strict=False):
            d = b.base - a.base
            if 0.9 * body <= d <= 2.2 * body and abs(a.size - body) < 0.15 * body:
                deltas[round(d * 2) / 2] += 1
    if not deltas:
        return 1.25 * body
    return min(d for d, k in deltas.items() if k >= 0.5 * max(deltas.values()))


def _right_margin(lines: list[_Line]) -> float:
    ends = sorted(ln.cells[-1].x1 for ln in lines if len(ln.cells) == 1 and len(ln.text) >= 30)
    if not ends:
        return max((ln.x1 for ln in lines), default=0.0)
    return ends[int(0.9 * (len(ends) - 1))]


def _is_heading(ln: _Line, body: float) -> bool:
    text = ln.text
    words = text.split()
    if not words or len(text) > 120 or len(words) > 16 or len(ln.cells) > 1:
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    if text[:1] in BULLETS + "•▪" and text[1:2] == " ":
        return False
    return ln.size >= 1.15 * body or ln.bold


def _new_para(ln: _Line, heading: bool) -> _Para:
    return _Para(
        cells=[_Cell(c.x0, c.x1, c.text) for c in ln.cells],
        page=ln.page,
        box=[ln.x0, ln.top, ln.x1, ln.bottom],
        first=ln,
        last=ln,
        heading=heading,
    )


def _first_word_width(ln: _Line) -> float:
    chars = ln.chars
    end = chars[0].x1
    for c in chars[1:]:
        if c.space_before or c.x0 - end > 0.18 * c.size:
            break
        end = c.x1
    return end - chars[0].x0


def _text_x0(ln: _Line) -> float:
    """Where the text of a bulleted or numbered line starts (its hanging indent)."""
    text = ln.text
    m = NUMBER_PREFIX.match(text)
    skip = 0
    if text[:1] in BULLETS + "•▪" and text[1:2] == " ":
        skip = 1
    elif m and NUMBERED_START.match(text):
        skip = len(m.group().replace(" ", ""))
    if not skip:
        return ln.x0
    visible = [c for c in ln.chars if not c.text.isspace()]
    return visible[skip].x0 if skip < len(visible) else ln.x0


def _continues(cur: _Para, prev: _Line, ln: _Line, body: float, pitch: float, right: float) -> bool:
    """Does `ln` continue the paragraph whose last line is `prev`?"""
    if len(prev.cells) > 1 or len(ln.cells) > 1 or len(cur.cells) > 1:
        return False
    text, before = ln.text, cur.cells[-1].text
    if _starts_new(text) or abs(prev.size - ln.size) > 0.1 * prev.size:
        return False
    if cur.heading != _is_heading(ln, body) and not (text[:1].islower() and not cur.heading):
        return False
    if ln.page == prev.page:
        gap = ln.base - prev.base
        if gap <= 0 or gap > 1.3 * max(pitch, prev.size * 1.05):
            return False
    elif ln.page != prev.page + 1:
        return False
    left = {round(prev.x0), round(cur.first.x0), round(_text_x0(cur.first))}
    if not any(abs(ln.x0 - x) <= 3 for x in left):
        return False
    full = prev.x1 + 0.3 * prev.size + _first_word_width(ln) > right + 2
    lower = text[:1].islower()
    if before.endswith("-") and lower and before[-2:-1].isalpha():
        return True
    if lower and full:
        return True
    if lower and not SENTENCE_END.search(before) and ln.page == prev.page:
        return True
    return full and not (cur.heading and SENTENCE_END.search(before))


def _append(cur: _Para, prev: _Line, ln: _Line) -> None:
    cell = cur.cells[-1]
    text = ln.text
    if cell.text.endswith("-") and cell.text[-2:-1].isalpha() and text[:1].islower():
        cell.text = cell.text[:-1] + text
        start = len(cell.text) - len(text)
    else:
        cell.text = cell.text + " " + text
        start = len(cell.text) - len(text)
    cell.x1 = max(cell.x1, ln.x1)
    box = [ln.x0, ln.top, ln.x1, ln.bottom]
    if ln.page != cur.last.page:
        cur.continued_on.append((ln.page, start, box))
    elif cur.continued_on:
        _grow(cur.continued_on[-1][2], box)
    else:
        _grow(cur.box, box)
    cur.last = ln


def _grow(box: list[float], other: list[float]) -> None:
    box[0] = min(box[0], other[0])
    box[1] = min(box[1], other[1])
    box[2] = max(box[2], other[2])
    box[3] = max(box[3], other[3])


def _continues_cells(cur: _Para, prev: _Line, ln: _Line, pitch: float) -> bool:
    """A wrapped cell of a table row: aligned under a later cell, the first column empty."""
    if len(cur.cells) < 2 or ln.page != prev.page or cur.heading:
        return False
    gap = ln.base - prev.base
    if gap <= 0 or gap > 1.3 * max(pitch, prev.size * 1.05):
        return False
    if ln.x0 < cur.cells[1].x0 - 3:
        return False
    return all(any(abs(c.x0 - k.x0) <= 3 for k in cur.cells[1:]) for c in ln.cells)


def _merge_cells(cur: _Para, ln: _Line) -> None:
    for c in ln.cells:
        target = min(cur.cells[1:], key=lambda k: abs(k.x0 - c.x0))
        target.text = _joined(target.text, c.text)
        target.x1 = max(target.x1, c.x1)
    _grow(cur.box, [ln.x0, ln.top, ln.x1, ln.bottom])
    cur.last = ln


def _joined(a: str, b: str) -> str:
    if not a:
        return b
    if a.endswith("-") and a[-2:-1].isalpha() and b[:1].islower():
        return a[:-1] + b
    return a + " " + b


# --- action tables -------------------------------------------------------------------


def _action_header(ln: _Line) -> bool:
    if len(ln.cells) < 3:
        return False
    names = [re.sub(r"[^a-z. ]", "", c.text.lower()).strip() for c in ln.cells]
    known = [n for n in names if n in ACTION_HEADERS]
    return len(known) >= len(names) - 1 and any(n.startswith("action") for n in names)


def _column(x: float, table: list[tuple[float, float]]) -> int:
    """The column a cell starting at x belongs to: the last one starting at or before it."""
    k = 0
    for i, (x0, _x1) in enumerate(table):
        if x >= x0 - 6:
            k = i
    return k


def _by_columns(ln: _Line, table: list[tuple[float, float]]) -> list[_Cell]:
    cells = [_Cell(x0, x1, "") for x0, x1 in table]
    for c in ln.cells:
        k = _column(c.x0, table)
        cells[k].text = _joined(cells[k].text, c.text)
        cells[k].x1 = max(cells[k].x1, c.x1)
    return cells


def _same_row(
    cur: _Para, prev: _Line, ln: _Line, table: list[tuple[float, float]], pitch: float
) -> bool:
    if cur.first is prev and _action_header(prev):
        return False  # the header row is a row of its own
    if ln.page != prev.page:
        return False
    gap = ln.base - prev.base
    if gap > 1.3 * max(pitch, prev.size * 1.05):
        return False
    for x0, x1, y in ln.rules:
        if prev.base < y < ln.top and x0 < ln.x1 and prev.x0 < x1:
            return False
    # a line filling the first (reference) column opens a row unless that cell wraps
    first = [c for c in ln.cells if _column(c.x0, table) == 0]
    if first and cur.cells[0].text:
        return not SENTENCE_END.search(cur.cells[0].text) and first[0].text[:1].islower()
    return True


def _merge_into_columns(cur: _Para, ln: _Line, table: list[tuple[float, float]]) -> None:
    for c in ln.cells:
        k = _column(c.x0, table)
        cur.cells[k].text = _joined(cur.cells[k].text, c.text)
        cur.cells[k].x1 = max(cur.cells[k].x1, c.x1)
    _grow(cur.box, [ln.x0, ln.top, ln.x1, ln.bottom])
    cur.last = ln


# --- output --------------------------------------------------------------------------


def _place(offset: int, page: int, box: list[float]) -> tuple[int, int, float, float, float, float]:
    x0, top, x1, bottom = (round(v, 1) for v in box)
    return (offset, page, x0, top, x1, bottom)


def _build_source(paras: list[_Para], n_pages: int, data: bytes, path: str) -> SourceText:
    parts: list[str] = []
    offset = 0
    page_starts: list[int] = []
    positions: list[tuple[int, int, float, float, float, float]] = []
    headings: list[tuple[int, int]] = []

    def reach(page: int, at: int) -> None:
        while len(page_starts) < page:
            page_starts.append(at)

    for p in paras:
        text = p.text
        reach(p.page, offset)
        positions.append(_place(offset, p.page, p.box))
        if len(p.cells) == 1:
            for page, start, box in p.continued_on:
                reach(page, offset + start)
                positions.append(_place(offset + start, page, box))
        if p.heading:
            m = NUMBER_PREFIX.match(text) if NUMBERED_START.match(text) else None
            start = m.end() if m else 0
            end = len(text.rstrip())
            if start < end:
                headings.append((offset + start, offset + end))
        parts.append(text)
        offset += len(text) + 1
    reach(n_pages, max(offset - 1, 0))
    text = "\n".join(parts) + ("\n" if parts else "")
    source = SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        text=text,
        encoding="pdf",
        headings=headings,
        pages=page_starts[:n_pages],
        positions=positions,
    )
    source.index_lines()
    return source


PDF = register(Format("pdf", sniff=_sniff, read=read_pdf, suffixes=(".pdf",), priority=10))
