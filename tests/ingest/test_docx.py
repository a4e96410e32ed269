"""Word minutes end to end: the generated DOCX copies of real minutes
(tests/data/make_test_files.py) read as well as their text originals, and the reader's
rules (tracked changes, comments, numbering, tables, core properties) hold."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest

from ingest import UnreadableFile, extract_file
from ingest.formats.docx import read_docx
from ingest.read import read_file
from tests.ingest.scoring import f1_scores

DATA = Path(__file__).resolve().parents[1] / "data"
WM = "westmercia-pcc-2024-09-03-q1-performance"
SF = "stoke_ferry_pc_minutes_2015-01-14"


def _generator():
    """tests/data/make_test_files.py, for the markers it wrote into the files."""
    spec = importlib.util.spec_from_file_location("make_test_files", DATA / "make_test_files.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("docx_name", "original"),
    [(f"{WM}.docx", f"corpus/{WM}.txt"), (f"{SF}.docx", f"corpus/{SF}.md")],
)
def test_docx_scores_as_well_as_the_text_original(docx_name: str, original: str) -> None:
    name = docx_name.removesuffix(".docx")
    got, notes = f1_scores(DATA / "docx" / docx_name, name)
    base, _ = f1_scores(DATA / original, name)
    worse = {f: (round(got[f], 2), round(base[f], 2)) for f in got if got[f] < base[f] - 1e-9}
    assert not worse, f"fields worse than the text original (docx, text): {worse}\n" + "\n".join(
        notes
    )


def test_west_mercia_docx_end_to_end() -> None:
    record = extract_file(str(DATA / "docx" / f"{WM}.docx"))
    assert record.source.format == "docx"
    assert record.meeting.date == "2024-09-03"
    assert record.meeting.title == "Quarter 1 Performance – 2024/25"  # not the stale property
    assert record.meeting.chair == "John Campion"
    assert [a.name for a in record.attendees] == [
        "John Campion",
        "Christopher Jensen",
        "Alexandra Knight",
        "Richard Cooper",
        "Rachel Jones",
    ]
    assert record.attendees[3].abbrev == "T/CC"
    titles = [i.title for i in record.agenda_items]
    assert titles[:3] == [
        "Review of Action Tracker",
        "Chief Constable Assessment on Quarterly Performance",
        "Safer West Mercia Plan and Budget Priorities",
    ]
    assert "Summary of Actions Arising" in titles
    assert any(
        s.speaker == "John Campion" and s.text.startswith("PCC asked if the issue with timeliness")
        for s in record.statements
    )
    # the action table: owner from the Owner column, ref from the Ref column
    gibbs = next(a for a in record.actions if "hot spot policing" in a.text)
    assert gibbs.owner and "Brian Gibbs" in gibbs.owner
    assert gibbs.ref == "01"
    vigilance = [a for a in record.actions if "Operation Vigilance" in a.text]
    assert len(vigilance) == 1  # the ACTION line and its table row are one action
    assert vigilance[0].owner == "West Mercia Police"


def test_west_mercia_docx_text_keeps_insertions_and_drops_deletions_and_comments() -> None:
    gen = _generator()
    source = read_file(DATA / "docx" / f"{WM}.docx")
    text = source.text
    assert "Actions were reviewed and progressed as per the action tracker." in text
    assert gen.DELETED_MARKER not in text
    assert gen.COMMENT_MARKER not in text
    assert source.title_hint == gen.STALE_TITLE
    assert text.count(gen.MERGED_ROW) == 1  # a cell merged across the row is read once
    assert "Ref\tAction\tOwner\tDue" in text.splitlines()
    assert "• John Campion Police and Crime Commissioner (PCC)" in text.splitlines()
    heads = {text[s:e] for s, e in source.headings}
    assert "Review of Action Tracker" in heads
    assert "Quarter 1 Performance – 2024/25" not in heads  # the Title style is the title
    for s, e in source.headings:  # heading spans are whole lines
        assert text[s - 1] == "\n" and text[e] == "\n"


def test_stoke_ferry_docx_numbered_list_and_table() -> None:
    gen = _generator()
    source = read_file(DATA / "docx" / f"{SF}.docx")
    lines = source.text.splitlines()
    assert "1. To consider accepting apologies for absence None." in lines
    assert "13. Date and time of next meeting" in lines  # numbering runs across the list
    assert "08/12/2014\tAll Saints Academy, room hire November\tChq\t30.88\t0.00\t30.88" in lines
    assert gen.SF_DELETED not in source.text and gen.SF_COMMENT not in source.text
    heads = {source.text[s:e] for s, e in source.headings}
    # the bold title opening a numbered paragraph, and a bold line, are headings
    assert "To consider accepting apologies for absence" in heads
    assert "Presentation relating to Item 8: Match-funded PCSO Scheme" in heads

    record = extract_file(str(DATA / "docx" / f"{SF}.docx"))
    assert record.meeting.date == "2015-01-14"
    assert record.meeting.title and record.meeting.title.endswith(
        "Stoke Ferry Parish Council Meeting"
    )
    assert record.agenda_items[0].title == "To consider accepting apologies for absence"
    assert record.agenda_items[0].number == "1"
    assert {"Trudy Mann", "Linda Scott"} <= {a.name for a in record.attendees}
    assert any(
        a.owner and "Lintern" in a.owner and "contact" in a.text.lower() for a in record.actions
    )


def test_every_span_points_into_the_docx_text() -> None:
    for name in (WM, SF):
        path = DATA / "docx" / f"{name}.docx"
        text = read_file(path).text
        record = extract_file(str(path))
        for s in record.statements:
            assert text[s.span[0] : s.span[1]] == s.text
        for a in record.actions:
            assert text[a.span[0] : a.span[1]] == a.text


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_zip_that_is_not_a_word_document() -> None:
    with pytest.raises(UnreadableFile, match="a ZIP archive, not a Word document"):
        read_docx(_zip({"a.txt": b"hello"}), "x.docx")


def test_a_damaged_docx() -> None:
    data = (DATA / "docx" / f"{WM}.docx").read_bytes()
    with pytest.raises(UnreadableFile, match=r"^x\.docx: damaged DOCX \("):
        read_docx(data[: len(data) // 2], "x.docx")


def test_a_docx_with_broken_xml_is_damaged() -> None:
    data = (DATA / "docx" / f"{WM}.docx").read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {n: src.read(n) for n in src.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:500]
    with pytest.raises(UnreadableFile, match="damaged DOCX"):
        read_docx(_zip(members), "x.docx")


def test_entities_are_not_expanded() -> None:
    """A billion-laughs document.xml is refused or read without expanding entities."""
    data = (DATA / "docx" / f"{WM}.docx").read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {n: src.read(n) for n in src.namelist()}
    lol = b'<!DOCTYPE w:document [<!ENTITY a "lollollollollollollollollollol">'
    for i in range(1, 10):
        prev = b"&a%d;" % (i - 1) if i > 1 else b"&a;"
        lol += b'<!ENTITY a%d "%s">' % (i, prev * 10)
    lol += b"]>"
    xml = members["word/document.xml"]
    head, _, rest = xml.partition(b"?>")
    members["word/document.xml"] = (
        head + b"?>" + lol + rest.replace(b"Actions were reviewed", b"&a9; Actions were reviewed")
    )
    try:
        source = read_docx(_zip(members), "x.docx")
    except UnreadableFile:
        return
    assert len(source.text) < 100_000
