"""Read minutes published as web pages into `SourceText`: one line per paragraph,
heading, list item or table row.

- Bytes are decoded by BOM, then the page's meta charset, else UTF-8, else
  Windows-1252 (what "ISO-8859-1" pages really are).
- The minutes are found before they are read: a ModernGov page (the system most English
  and Welsh councils and police and crime panels publish with) by its `#modgov` /
  `#mgContent` / `.mgContent` blocks, then `<main>`, `[role=main]`, `<article>`,
  `#content`, else the whole body; navigation, headers, footers, asides, forms, scripts
  and hidden elements are left out wherever they are.
- The DOM becomes text without recursion (an explicit stack): block elements start new
  lines; h1-h4 (and ModernGov item titles, `.mgAiTitleTxt`) become `headings`; list items
  are lines, numbered for `<ol>` (honouring `start`) or bulleted "•"; a data table is one
  line per row with its cells split by tabs (a merged cell once); a layout table (ModernGov
  item tables, or cells holding headings, tables or long text) reads as blocks, with an
  item number cell ("4.", "2659.") written before the item's title.
- `<title>` is only a `title_hint`; ModernGov's own page-type heading ("Agenda and
  minutes") is left out, its subtitle ("<committee> - <date> <time>") kept as the title.

The parser (lexbor) slows down quadratically with nesting depth, so a page nested deeper
than `MAX_DEPTH` is refused from a scan of its tags before it is parsed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import Any

from ingest.errors import UnreadableFile
from ingest.formats import Format, register
from ingest.models import SourceText, Span

__all__ = ["read_html", "HTML", "MAX_HTML_BYTES", "MAX_DEPTH"]

MAX_HTML_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 2000
"""Real pages nest a few dozen elements deep; 2000 parses in ~10 ms, 100 000 in ~40 s."""
_SUFFIXES = (".html", ".htm", ".xhtml", ".aspx")

_SNIFF_START = re.compile(
    rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_SNIFF_TAG = re.compile(rb"<(?:body|head)[\s>]", re.I)


def _is_html(data: bytes, path: str) -> bool:
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if _SNIFF_START.match(head) or _SNIFF_TAG.search(head[:2048]):
        return True
    return path.lower().endswith(_SUFFIXES)


# --- decoding --------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*(?P<cs>[A-Za-z0-9._:-]+)""", re.I)
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of an HTML page and the encoding used."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    m = _META_CHARSET.search(data[:4096])
    if m:
        name = m.group("cs").decode("ascii", "replace").lower()
        if name in _WINDOWS_1252_ALIASES:
            name = "cp1252"
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
        # a page that says UTF-8 (or UTF-16, which bytes read this far cannot be) is
        # checked below like one that says nothing
        if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


# --- guarding the parser ---------------------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_NO_NESTING = {
    # void elements, and elements whose end tag may be left out (they close themselves)
    *[
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    ],
    *[
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "colgroup",
        "caption",
        "rt",
        "rp",
    ],
    *["html", "head", "body"],
}


def _max_depth(text: str, limit: int) -> int:
    """Nesting depth of the page's tags (a cheap upper bound), stopping past `limit`."""
    depth = worst = 0
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name in _NO_NESTING or m.group(3):
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > worst:
                worst = depth
                if worst > limit:
                    break
    return worst


# --- main content ------------------------------------------------------------------

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "svg",
    "iframe",
    "object",
    "head",
    "title",
    "meta",
    "link",
    "_comment",
    "-comment",
}
_SKIP_CLASS = re.compile(
    r"(?:^|\s)(?:mgMainTitleTxt|mgLinks|mgActionList|mgBreadCrumb|breadcrumbs?|skip-?link|"
    r"screen-reader-text|sr-only|visually-hidden|cookie[\w-]*|share[\w-]*)(?:\s|$)",
    re.I,
)
_MAIN_SELECTORS = ("main", "[role=main]", "article", "#content")
_BLOCK = set(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "html",
        "legend",
    ]
)
_HEADINGS = {"h1", "h2", "h3", "h4"}
_ITEM_NUMBER = re.compile(r"^\s*(?:[A-Z]{1,3}[/ ]?)?\d{1,5}(?:\.\d{1,3}){0,3}[.)]?[a-z]?\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(?:[A-Z]{1,3}[/ ]?)?\d{1,5}(?:\.\d{1,3}){0,3}[.)]?\s")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def _roots(tree: Any) -> list[Any]:
    """The nodes holding the minutes, in page order."""
    mg = tree.css_first("#modgov")
    if mg is not None:
        return [mg]
    for sel in ("#mgContent", ".mgContent"):
        node = tree.css_first(sel)
        if node is not None:
            sub = tree.css_first(".mgSubTitleTxt")
            return [sub, node] if sub is not None else [node]
    for sel in _MAIN_SELECTORS:
        node = tree.css_first(sel)
        if node is not None and (node.text(deep=True) or "").strip():
            return [node]
    body = tree.body
    return [body] if body is not None else []


def read_html(data: bytes, path: str) -> SourceText:
    """Decode the bytes of an HTML page of minutes into `SourceText`."""
    if len(data) > MAX_HTML_BYTES:
        raise UnreadableFile(
            path, f"HTML is {len(data) // 2**20} MB; the limit is {MAX_HTML_BYTES // 2**20} MB"
        )
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(path, "looks like a binary file, not HTML")
    text, encoding = decode_html(data)
    depth = _max_depth(text, MAX_DEPTH)
    if depth > MAX_DEPTH:
        raise UnreadableFile(
            path, f"HTML nests elements more than {MAX_DEPTH} deep; refusing (hostile page?)"
        )
    from selectolax.lexbor import LexborHTMLParser

    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:  # selectolax raises its own errors for broken input
        raise UnreadableFile(path, f"damaged HTML ({exc.__class__.__name__})") from exc
    title_node = tree.css_first("title")
    title = _WS.sub(" ", title_node.text() or "").strip() if title_node is not None else ""
    writer = _Writer()
    for root in _roots(tree):
        writer.walk(root)
    out, headings = writer.result()
    if not out.strip():
        raise UnreadableFile(path, "the page has no text")
    source = SourceText(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="html",
        text=out,
        encoding=encoding,
        headings=headings,
        title_hint=title or None,
    )
    source.index_lines()
    return source


# --- DOM to lines --------------------------------------------------------------------

_ENTER, _EXIT = 0, 1


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.heads: list[tuple[int, int, int]] = []
        self.buf: list[str] = []
        self.len = 0
        self.space = True  # the line so far ends in a blank (or is empty)
        self.prefix: str | None = None  # item number or list marker for the next line
        self.head_start: tuple[int, int] | None = None
        self.head_pending = 0  # inside a heading element not yet started on a line
        self.pre = 0
        self.cell_mode: list[str] = []  # "data" | "layout" per open table
        self.ol: list[int] = []  # next number of each open list (-1 for <ul>)
        self.cells_in_row: list[int] = []

    # -- writing --------------------------------------------------------------------

    def add(self, s: str) -> None:
        if not self.pre:
            s = _WS.sub(" ", s)
        if self.space and not self.pre:
            s = s.lstrip(" ")
        if not s:
            return
        if not self.buf and self.prefix is not None:
            prefix, self.prefix = self.prefix, None
            if not (prefix[0].isdigit() and _LEADING_NUMBER.match(s + " ")):
                self._put(prefix + " ")
        if self.head_pending and self.head_start is None:
            self.head_start = (len(self.lines), self.len)
        self._put(s)

    def _put(self, s: str) -> None:
        self.buf.append(s)
        self.len += len(s)
        self.space = s[-1] in " \t"

    def tab(self) -> None:
        self._put("\t")

    def flush(self) -> None:
        line = "".join(self.buf).rstrip(" ")
        if line.strip(" \t"):
            self.lines.append(line)
        self.buf, self.len, self.space = [], 0, True

    def gap(self) -> None:
        """A blank line: the end of a list or table, as plain-text minutes leave one."""
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def _end_heading(self) -> None:
        self.flush()
        if self.head_start is not None:
            line, col = self.head_start
            for i in range(line, len(self.lines)):
                self.heads.append((i, col if i == line else 0, len(self.lines[i])))
        self.head_start = None

    # -- walking --------------------------------------------------------------------

    def walk(self, root: Any) -> None:
        stack: list[tuple[Any, int]] = [(root, _ENTER)]
        while stack:
            node, phase = stack.pop()
            tag = node.tag
            if phase == _EXIT:
                self.exit(node, tag)
                continue
            if tag == "-text":
                content = node.text_content or ""
                if self.pre:
                    for i, part in enumerate(content.split("\n")):
                        if i:
                            self.flush()
                        self.add(part)
                else:
                    self.add(content)
                continue
            if not isinstance(tag, str) or tag.startswith(("-", "_", "!")) or self._skip(node, tag):
                continue
            if not self.enter(node, tag):
                continue
            stack.append((node, _EXIT))
            children = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            stack.extend((c, _ENTER) for c in reversed(children))

    def _skip(self, node: Any, tag: str) -> bool:
        if tag in _SKIP_TAGS:
            return True
        attrs = node.attributes
        if not attrs:
            return False
        if "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", ""):
            return True
        if attrs.get("aria-hidden") == "true":
            return True
        return bool(
            _SKIP_CLASS.search(attrs.get("class") or "")
            or _SKIP_CLASS.search(attrs.get("id") or "")
        )

    def _in_data_cell(self) -> bool:
        return bool(self.cell_mode) and self.cell_mode[-1] == "data" and bool(self.cells_in_row)

    def enter(self, node: Any, tag: str) -> bool:
        """Open an element; False to skip its content."""
        cls = (node.attributes.get("class") or "") if node.attributes else ""
        if tag == "table":
            self.flush()
            self.cell_mode.append("layout" if _is_layout(node, cls) else "data")
            return True
        if tag == "tr":
            self.flush()
            self.cells_in_row.append(0)
            return True
        if tag in ("td", "th") and self.cells_in_row:
            n = self.cells_in_row[-1]
            self.cells_in_row[-1] = n + 1
            layout = self.cell_mode and self.cell_mode[-1] == "layout"
            if layout:
                text = node.text(deep=True) or ""
                if n == 0 and _ITEM_NUMBER.match(text) and node.next is not None:
                    self.flush()
                    self.prefix = _WS.sub(" ", text).strip()
                    return False
                self.add(" ")
            elif n:
                self.tab()
            return True
        if self._in_data_cell():
            if tag in _BLOCK or tag == "br":
                self.add(" ")
            return True
        if tag == "br":
            self.flush()
            return True
        if tag in ("ol", "ul"):
            self.flush()
            start = (node.attributes or {}).get("start") or "1"
            self.ol.append(int(start) if tag == "ol" and start.strip().isdigit() else -1)
            return True
        if tag == "li":
            self.flush()
            if self.ol and self.ol[-1] >= 0:
                value = (node.attributes or {}).get("value")
                if value and value.strip().isdigit():
                    self.ol[-1] = int(value)
                self.prefix = f"{self.ol[-1]}."
                self.ol[-1] += 1
            else:
                self.prefix = "•"
            return True
        if tag in _HEADINGS or "mgAiTitleTxt" in cls.split():
            self.flush()
            self.head_pending += 1
            return True
        if tag == "pre":
            self.flush()
            self.pre += 1
            return True
        if tag in _BLOCK:
            self.flush()
        return True

    def exit(self, node: Any, tag: str) -> None:
        cls = (node.attributes.get("class") or "") if node.attributes else ""
        if tag == "table":
            self.gap()
            if self.cell_mode:
                self.cell_mode.pop()
            return
        if tag == "tr":
            self.flush()
            if self.cells_in_row:
                self.cells_in_row.pop()
            return
        if tag in ("td", "th"):
            return
        if self._in_data_cell():
            return
        if tag in ("ol", "ul"):
            self.flush()
            if self.ol:
                self.ol.pop()
            if not self.ol:
                self.gap()
            return
        if tag in _HEADINGS or "mgAiTitleTxt" in cls.split():
            self.head_pending = max(self.head_pending - 1, 0)
            if not self.head_pending:
                self._end_heading()
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in _BLOCK:
            self.flush()

    def result(self) -> tuple[str, list[Span]]:
        self.flush()
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        heads = [(starts[i] + s, starts[i] + e) for i, s, e in self.heads if e > s]
        return "\n".join(self.lines) + "\n", heads


def _is_layout(table: Any, cls: str) -> bool:
    """A table used to lay out blocks (ModernGov item lists), not a table of data."""
    if re.search(r"(?:^|\s)mgItemTable", cls):
        return True
    if table.css_first("td table, th table, td h1, td h2, td h3, td h4, td h5, td h6") is not None:
        return True
    return any(len(c.text(deep=True) or "") > 600 for c in table.css("td"))


HTML = register(
    Format("html", sniff=_is_html, read=read_html, suffixes=(".html", ".htm", ".aspx"), priority=30)
)
