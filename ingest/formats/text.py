"""Read a file of minutes into `SourceText`.

Markup is blanked out rather than removed: every character of the decoded file keeps
its offset, so a span into `SourceText.text` is also a span into the file's
characters and its line numbers are the file's own. Headings that only markup shows
(Markdown `#` lines, lines in bold, HTML <h1>-<h6>) are remembered in
`SourceText.headings`.
"""

from __future__ import annotations

import hashlib
import html
import re

from ingest.errors import UnreadableFile
from ingest.formats import Format, register
from ingest.models import SourceText

__all__ = ["read_text", "decode", "TEXT", "MARKDOWN", "MAX_TEXT_BYTES"]

MAX_TEXT_BYTES = 20 * 1024 * 1024
"""Text files larger than this are refused: minutes are far smaller, and reading 50 MB of
text would hold a batch up for minutes."""
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    return b"\x00" in sample or _binary_share(sample) > 0.10


def read_text(data: bytes, path: str, fmt: str = "txt") -> SourceText:
    """Decode bytes of a text or Markdown file into `SourceText`."""
    if len(data) > MAX_TEXT_BYTES:
        raise UnreadableFile(
            path, f"text is {len(data) // 2**20} MB; the limit is {MAX_TEXT_BYTES // 2**20} MB"
        )
    if _looks_binary(data):
        raise UnreadableFile(path, "looks like a binary file, not text")
    try:
        text, encoding = decode(data)
    except ValueError as exc:
        raise UnreadableFile(path, str(exc)) from exc
    sha = hashlib.sha256(data).hexdigest()
    source = SourceText(path=path, sha256=sha, format=fmt, text=text, encoding=encoding)
    if fmt == "md":
        _blank_front_matter(source)
        _blank_markdown(source)
    _blank_html_tags(source)
    source.index_lines()
    return source


def _binary_share(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


def decode(data: bytes) -> tuple[str, str]:
    """Text from bytes: a BOM decides, else UTF-8, else Windows-1252.

    Raises:
        ValueError: the bytes are neither (too many bytes Windows-1252 leaves undefined).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        # a BOM becomes one blank so offsets still match the decoded characters
        return " " + data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Word-era minutes saved as "ANSI": cp1252 maps every byte except five, which real
    # text never holds; more than a stray one means the bytes are not text at all
    undefined = sum(data.count(b) for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))
    if undefined > max(2, len(data) // 1000):
        raise ValueError("neither UTF-8 nor Windows-1252 text")
    return data.decode("cp1252", errors="replace"), "cp1252"


def _blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping newlines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def _blank_front_matter(source: SourceText) -> None:
    m = FRONT_MATTER.match(source.text)
    if not m:
        return
    for line in m.group(1).splitlines():
        key, _, value = line.partition(":")
        value = value.strip().strip("\"'")
        if key.strip() == "title" and value:
            source.title_hint = value
        elif key.strip() == "date" and value:
            source.date_hint = value[:10]
    source.text = _blank(source.text, m.start(), m.end())


MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", re.M)
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
HTML_TAG = re.compile(r"</?(?P<name>[A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
BLOCK_TAGS = {
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "hr",
}
HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I | re.S)
BOLD_LINE = re.compile(r"^[ \t]*(?:\d+[.)][ \t]+)?(\*\*|__)(.+?)\1", re.M)


def _blank_markdown(source: SourceText) -> None:
    text = source.text
    headings: list[tuple[int, int]] = []
    for m in MD_HEADING.finditer(text):
        headings.append((m.start(2), m.end(2)))
        text = _blank(text, m.start(1), m.start(2))
    for m in BOLD_LINE.finditer(text):
        headings.append((m.start(2), m.end(2)))
    for m in MD_LINK.finditer(text):
        text = _blank(text, m.start(), m.start(1))
        text = _blank(text, m.end(1), m.end())
    # emphasis can nest (**_x_**): strip until nothing changes
    while True:
        new = text
        for m in MD_EMPHASIS.finditer(text):
            mark = len(m.group(1))
            if mark == 1 and m.group(1) == "_" and _inside_word(text, m.start(), m.end()):
                continue
            new = _blank(new, m.start(), m.start() + mark)
            new = _blank(new, m.end() - mark, m.end())
        if new == text:
            break
        text = new
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r" \1", text)
    source.text = text
    source.headings.extend(_strip_span(text, s, e) for s, e in headings)


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or after.isalnum()


def _blank_html_tags(source: SourceText) -> None:
    text = source.text
    if "<" not in text and "&" not in text:
        return
    for m in HTML_HEADING.finditer(text):
        source.headings.append(_strip_span(text, m.start(1), m.end(1)))

    # same length out as in: a block tag becomes a line break, an entity its character
    def tag(m: re.Match[str]) -> str:
        if m.group("name").lower() in BLOCK_TAGS:
            return "\n" + " " * (len(m.group()) - 1)
        return " " * len(m.group())

    def entity(m: re.Match[str]) -> str:
        char = html.unescape(m.group())
        if len(char) != 1 or char == m.group():
            return m.group()
        if char == "\xa0":
            char = " "
        return char + " " * (len(m.group()) - 1)

    source.text = HTML_ENTITY.sub(entity, HTML_TAG.sub(tag, text))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def _is_markdown(data: bytes, path: str) -> bool:
    if path.lower().endswith(_MARKDOWN_SUFFIXES):
        return True
    return data.startswith((b"---\n", b"---\r\n")) and not path.lower().endswith(".txt")


MARKDOWN = register(
    Format(
        "md",
        sniff=_is_markdown,
        read=lambda data, path: read_text(data, path, "md"),
        suffixes=_MARKDOWN_SUFFIXES,
        priority=80,
    )
)
TEXT = register(
    Format(
        "txt",
        sniff=lambda data, path: True,  # the fallback: anything not claimed before
        read=lambda data, path: read_text(data, path, "txt"),
        suffixes=(".txt", ".text"),
        priority=99,
    )
)
