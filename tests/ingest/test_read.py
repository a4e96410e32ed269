"""ingest.read: decoding, markup blanked with offsets kept, hostile input refused."""

import pytest

from ingest.errors import UnreadableFile
from ingest.read import read_bytes, read_file


@pytest.mark.parametrize(
    ("data", "expected_text", "encoding"),
    [
        (b"Present: Cllr A", "Present: Cllr A", "utf-8"),
        (b"\xef\xbb\xbfPresent: Cllr A", " Present: Cllr A", "utf-8-sig"),
        ("Clerk’s report – £30".encode("cp1252"), "Clerk’s report – £30", "cp1252"),
    ],
)
def test_decoding(data, expected_text, encoding):
    source = read_bytes(data, "minutes.txt")
    assert source.text == expected_text
    assert source.encoding == encoding


def test_markdown_markup_is_blanked_but_offsets_are_kept():
    raw = '---\ntitle: "Old title"\ndate: "2015-04-02"\n---\n\n1. **To approve the minutes** Approved.\n'
    source = read_bytes(raw.encode(), "m.md")
    assert len(source.text) == len(raw)
    assert source.title_hint == "Old title"
    assert source.date_hint == "2015-04-02"
    assert "title:" not in source.text
    start, end = source.headings[0]
    assert source.text[start:end] == "To approve the minutes"
    assert raw[start:end] == "To approve the minutes"
    assert source.line_of(start) == 6


def test_html_heading_line_is_stripped_and_remembered():
    raw = '<h1 class="minutehead">Minutes of a meeting held on 1 May 2019.</h1>\nPresent: Cllr A'
    source = read_bytes(raw.encode(), "m.txt")
    assert "<h1" not in source.text and len(source.text) == len(raw)
    ((start, end),) = source.headings
    assert source.text[start:end] == "Minutes of a meeting held on 1 May 2019."


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty.txt: file is empty"),
        (b"   \n\n", "blank.txt", "blank.txt: file is empty"),
        (b"\x00\x01\x02junk\x00" * 50, "junk.txt", "junk.txt: looks like a binary file, not text"),
        (b"%PDF-1.7\n...", "m.pdf", "m.pdf: damaged or truncated PDF (no end-of-file marker)"),
    ],
)
def test_bad_input_has_a_one_line_error_naming_the_file(data, name, message):
    with pytest.raises(UnreadableFile) as err:
        read_bytes(data, name)
    assert str(err.value) == message


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFile, match=r"nope\.txt: no such file"):
        read_file(tmp_path / "nope.txt")
