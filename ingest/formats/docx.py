"""Read Word (.docx) minutes into `SourceText`: one line per paragraph, list item or
table row.

- The body is walked in document order, paragraphs and tables interleaved (content
  controls are opened up); text inside tracked deletions (`w:del`, `w:moveFrom`) is
  left out and tracked insertions are kept, so the text is the document as accepted.
  Comments live in their own part and are never read; field codes are not text.
- Paragraphs in a heading style (Heading 1-4, or an outline level 0-3) and paragraphs
  that are bold throughout become `headings`; so does the bold title that opens a
  numbered paragraph ("1. **To consider apologies** None."), as in Markdown minutes.
  The Title style is the document's title, not an agenda heading: it stays a plain
  line that the header reader takes as the title.
- Numbered paragraphs get their number computed from `word/numbering.xml` ("3.",
  "4.1", "b)"); bullets become "•".
- A table becomes one line per row with its cells joined by a tab (the action-table
  reader splits them); a merged cell is read once.
- The core properties' title is only a `title_hint`: templates leave stale titles.

Before anything is parsed the ZIP directory is checked, so a zip bomb is refused from
its declared sizes (and `zipfile` never inflates a member past its declared size).
python-docx parses XML with lxml with entity resolution off and libxml2's default
limits (no huge trees), so entity expansion cannot blow up either.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any

from ingest.errors import UnreadableFile
from ingest.formats import Format, register
from ingest.models import SourceText, Span

__all__ = ["read_docx", "DOCX", "MAX_UNCOMPRESSED", "MAX_RATIO"]

MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""Refuse a DOCX whose members add up to more than this once inflated."""
MAX_RATIO = 100
"""Refuse a member that inflates more than this many times (text XML rarely tops 20)."""
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024
"""Members smaller than this inflated are never a threat, whatever their ratio."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {
    W + "del",  # tracked deletion
    W + "moveFrom",  # tracked move: the old place
    W + "instrText",  # field code ("PAGE", "HYPERLINK ...")
    W + "delInstrText",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    W + "pPr",
    W + "rPr",
    MC + "Fallback",  # the same content again, for old readers
    W + "txbxContent",  # text boxes: floating furniture (logos, page furniture)
}
HEADING_STYLE = re.compile(r"^(heading|überschrift|titre)\s*[1-4]$", re.I)


def _is_docx(data: bytes, path: str) -> bool:
    # every ZIP is claimed, so that a ZIP which is not a Word document is told so
    return data.startswith(b"PK\x03\x04") or (
        path.lower().endswith(".docx") and data.startswith(b"PK")
    )


def _check_zip(data: bytes, path: str) -> None:
    """Refuse what is not a DOCX, or would inflate too far, before parsing anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(path, f"damaged DOCX ({_one_line(exc)})") from exc
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFile(path, f"DOCX has {len(infos)} parts; refusing (zip bomb?)")
    total = sum(i.file_size for i in infos)
    worst = max(
        (i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > _RATIO_FLOOR),
        default=0.0,
    )
    if total > MAX_UNCOMPRESSED or worst > MAX_RATIO:
        raise UnreadableFile(path, f"DOCX expands to {total // 2**20} MB; refusing (zip bomb?)")
    if not any(i.filename == "word/document.xml" for i in infos):
        raise UnreadableFile(path, "a ZIP archive, not a Word document")


def _one_line(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip() or exc.__class__.__name__


def read_docx(data: bytes, path: str) -> SourceText:
    """Decode the bytes of a .docx file into `SourceText`."""
    _check_zip(data, path)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        reader = _Reader(document)
        reader.walk(document.element.body)
        title = (document.core_properties.title or "").strip() or None
    except UnreadableFile:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many kinds
        raise UnreadableFile(path, f"damaged DOCX ({_one_line(exc)})") from exc
    text, headings = reader.result()
    if not text.strip():
        raise UnreadableFile(path, "the Word document has no text")
    source = SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="docx",
        text=text,
        encoding="utf-8",
        headings=headings,
        title_hint=title,
    )
    source.index_lines()
    return source


class _Reader:
    """Turns the body's XML into lines; headings as (line index, start, end)."""

    def __init__(self, document: Any) -> None:
        self.lines: list[str] = []
        self.heads: list[tuple[int, int, int]] = []
        self.numbering = _Numbering(document)
        self.styles = _Styles(document)

    # -- walking ----------------------------------------------------------------------

    def walk(self, body: Any) -> None:
        stack = list(reversed(list(body)))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == W + "p":
                self.paragraph(el)
            elif tag == W + "tbl":
                self.table(el)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
                stack.extend(reversed(list(el)))

    def paragraph(self, p: Any) -> None:
        runs = _runs(p)
        text = "".join(t for t, _ in runs)
        parts = [s for s in text.split("\n")]
        style_id = _val(p.find(f"{W}pPr/{W}pStyle"))
        style_name = self.styles.name(style_id)
        number = self.numbering.label(p, self.styles.numpr(style_id))
        outline = _val(p.find(f"{W}pPr/{W}outlineLvl"))
        if outline is None:
            outline = self.styles.outline(style_id)
        heading = bool(HEADING_STYLE.match(style_name or "")) or (
            outline is not None and outline.isdigit() and int(outline) <= 3
        )
        if style_name and style_name.lower() == "title":
            heading = False
        if not text.strip():
            return
        bold_run = self.styles.bold(style_id)
        all_bold = all(b or bold_run or not t.strip() for t, b in runs)
        prefix = f"{number} " if number else ""
        first = len(self.lines)
        for i, part in enumerate(parts):
            self.lines.append((prefix if i == 0 else "") + part.replace("\t", " "))
        if heading or (all_bold and len(parts) == 1 and len(text.strip()) <= 200):
            self._mark(first, len(prefix), len(self.lines[first]))
        elif number and runs and (runs[0][1] or bold_run):
            # "1. **To consider apologies** None.": the bold opening is the item's title
            lead = 0
            for t, b in runs:
                if not (b or bold_run) or "\n" in t:
                    break
                lead += len(t)
            if 0 < lead < len(text):
                self._mark(first, len(prefix), len(prefix) + lead)

    def _mark(self, line: int, start: int, end: int) -> None:
        s = self.lines[line]
        while start < end and s[start].isspace():
            start += 1
        while end > start and s[end - 1].isspace():
            end -= 1
        if end > start:
            self.heads.append((line, start, end))

    def table(self, tbl: Any) -> None:
        for tr in tbl.iterchildren(W + "tr"):
            cells = []
            for tc in tr.iterchildren(W + "tc", W + "sdt"):
                cells.append(_cell_text(tc))
            if any(c for c in cells):
                self.lines.append("\t".join(cells))

    def result(self) -> tuple[str, list[Span]]:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        heads = [(starts[i] + s, starts[i] + e) for i, s, e in self.heads]
        return "\n".join(self.lines) + "\n", heads


def _val(el: Any) -> str | None:
    return None if el is None else el.get(W + "val")


def _runs(p: Any) -> list[tuple[str, bool]]:
    """(text, bold) pieces of one paragraph in order, deletions and field codes left out."""
    out: list[tuple[str, bool]] = []
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "r":
            bold = _run_bold(el)
            for child in el:
                ct = child.tag
                if ct == W + "t":
                    out.append((child.text or "", bold))
                elif ct in (W + "tab", W + "ptab"):
                    out.append((" ", bold))
                elif ct in (W + "br", W + "cr"):
                    out.append(("\n", bold))
                elif ct in (W + "noBreakHyphen",):
                    out.append(("-", bold))
            continue
        stack.extend(reversed(list(el)))
    return out


def _run_bold(r: Any) -> bool:
    b = r.find(f"{W}rPr/{W}b")
    if b is None:
        return False
    return (b.get(W + "val") or "true").lower() not in ("0", "false", "off")


def _cell_text(tc: Any) -> str:
    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
    if vmerge is not None and (vmerge.get(W + "val") or "continue") == "continue":
        return ""  # the lower part of a vertically merged cell: its text is above
    texts: list[str] = []
    stack = list(reversed(list(tc)))
    while stack:
        el = stack.pop()
        if el.tag == W + "p":
            texts.append("".join(t for t, _ in _runs(el)))
        elif isinstance(el.tag, str) and el.tag not in _SKIP:
            stack.extend(reversed(list(el)))
    return re.sub(r"\s+", " ", " ".join(texts)).strip()


class _Styles:
    def __init__(self, document: Any) -> None:
        self._by_id: dict[str, Any] = {}
        try:
            root = document.styles.element
        except Exception:  # a document without a styles part
            return
        for st in root.iterchildren(W + "style"):
            sid = st.get(W + "styleId")
            if sid:
                self._by_id[sid] = st

    def _chain(self, sid: str | None) -> list[Any]:
        out: list[Any] = []
        while sid and sid in self._by_id and len(out) < 10:
            st = self._by_id[sid]
            out.append(st)
            sid = _val(st.find(W + "basedOn"))
        return out

    def name(self, sid: str | None) -> str | None:
        chain = self._chain(sid)
        return _val(chain[0].find(W + "name")) if chain else sid

    def outline(self, sid: str | None) -> str | None:
        for st in self._chain(sid):
            v = _val(st.find(f"{W}pPr/{W}outlineLvl"))
            if v is not None:
                return v
        return None

    def numpr(self, sid: str | None) -> Any:
        for st in self._chain(sid):
            n = st.find(f"{W}pPr/{W}numPr")
            if n is not None:
                return n
        return None

    def bold(self, sid: str | None) -> bool:
        for st in self._chain(sid):
            b = st.find(f"{W}rPr/{W}b")
            if b is not None:
                return (b.get(W + "val") or "true").lower() not in ("0", "false", "off")
        return False


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


class _Numbering:
    """List numbers as Word shows them, computed from numbering.xml (the common formats)."""

    def __init__(self, document: Any) -> None:
        self.nums: dict[str, tuple[str, dict[str, int]]] = {}
        self.abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: no numbered paragraphs
            return
        for an in root.iterchildren(W + "abstractNum"):
            levels = {}
            for lvl in an.iterchildren(W + "lvl"):
                start = _val(lvl.find(W + "start")) or "1"
                levels[lvl.get(W + "ilvl") or "0"] = (
                    _val(lvl.find(W + "numFmt")) or "decimal",
                    _val(lvl.find(W + "lvlText")) or "",
                    int(start) if start.isdigit() else 1,
                )
            self.abstract[an.get(W + "abstractNumId") or ""] = levels
        for num in root.iterchildren(W + "num"):
            overrides = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                so = _val(ov.find(W + "startOverride"))
                if so and so.isdigit():
                    overrides[ov.get(W + "ilvl") or "0"] = int(so)
            self.nums[num.get(W + "numId") or ""] = (
                _val(num.find(W + "abstractNumId")) or "",
                overrides,
            )

    def label(self, p: Any, style_numpr: Any) -> str | None:
        numpr = p.find(f"{W}pPr/{W}numPr")
        num_id = _val(numpr.find(W + "numId")) if numpr is not None else None
        ilvl = _val(numpr.find(W + "ilvl")) if numpr is not None else None
        if style_numpr is not None:
            num_id = num_id or _val(style_numpr.find(W + "numId"))
            ilvl = ilvl or _val(style_numpr.find(W + "ilvl"))
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        fmt, text, _ = levels.get(str(level), ("bullet", "", 1))
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return None
        counts = self.counters.setdefault(abstract_id, {})
        start = overrides.get(str(level), levels.get(str(level), ("", "", 1))[2])
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]

        def render(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            f, _, st = levels.get(str(k), ("decimal", "", 1))
            n = counts.get(k, overrides.get(str(k), st))
            return _format(n, f)

        label = re.sub(r"%([1-9])", render, text).strip()
        return label or None


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


DOCX = register(Format("docx", sniff=_is_docx, read=read_docx, suffixes=(".docx",), priority=20))
