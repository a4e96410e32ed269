"""The PDF reader: real minutes end to end, and small generated PDFs for layouts and
hostile files (tests/data/pdf/ holds the generated files; `make_fixtures` rebuilds them)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ingest.errors import UnreadableFile
from ingest.formats import pdf as pdf_format
from ingest.formats import read_bytes, read_file, sniff
from ingest.pipeline import extract_source

DATA = Path(__file__).resolve().parents[1] / "data"
SUFFOLK = DATA / "corpus" / "suffolk_libraries_board_2014-09-25.pdf"
MILBURN = DATA / "corpus" / "milburn_pc_minutes_2018-11-06.pdf"
SERIES = sorted((DATA / "suffolk_series").glob("*.pdf"))
FIXTURES = DATA / "pdf"


# --- a tiny PDF writer for generated test files ------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[tuple]], encrypt: bool = False) -> bytes:
    """A PDF whose pages hold the given items: ("text", x, y_from_top, size, text[, bold])
    or ("rect", x, y_from_top, w, h). Standard Helvetica fonts, page 612 x 792."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for items in pages:
        ops = []
        for item in items:
            if item[0] == "text":
                _, x, y, size, text, *rest = item
                font = "F2" if rest and rest[0] else "F1"
                ops.append(f"BT /{font} {size} Tf {x} {792 - y} Td ({_escape(text)}) Tj ET")
            else:
                _, x, y, w, h = item
                ops.append(f"0.5 g {x} {792 - y - h} {w} {h} re f")
        stream = "\n".join(ops).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (tree, content, regular, bold)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    encrypt_ref = b""
    if encrypt:
        # a standard security handler whose /U fits no password: PDFium asks for one
        secret = add(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>"
            % (b"11" * 32, b"22" * 32)
        )
        encrypt_ref = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (secret, b"ab" * 16, b"ab" * 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        encrypt_ref,
        xref,
    )
    return bytes(out)


def _body_page(n: int, lines: list[tuple]) -> list[tuple]:
    """A page with a running header and footer around the given lines."""
    return [
        ("text", 72, 40, 9, "Anytown Parish Council - draft minutes v2"),
        *lines,
        ("text", 72, 760, 9, "Registered office: Village Hall, Anytown"),
        ("text", 520, 760, 9, f"Page {n} of 2"),
    ]


def generated() -> dict[str, bytes]:
    """Every generated fixture, by file name."""
    flow = [
        make_text_line(100, "1. Apologies", bold=True),
        make_text_line(
            125, "Apologies were received from Cllr Ash and Cllr Birch who were both away"
        ),
        make_text_line(
            139, "on holiday. The Clerk noted that the grass cutting contract should be recom-"
        ),
        make_text_line(153, "mended for renewal at the next meeting."),
        make_text_line(180, "2. Highways", bold=True),
        make_text_line(205, "• The footpath by the church is flooded."),
        make_text_line(219, "• Potholes on Mill Lane were reported to the county council."),
    ]
    table = [
        ("text", 72, 290, 11, "Ref", True),
        ("text", 110, 290, 11, "Action", True),
        ("text", 350, 290, 11, "Owner", True),
        ("text", 450, 290, 11, "Due", True),
        ("text", 72, 312, 11, "01"),
        ("text", 110, 312, 11, "Report the flooded footpath"),
        ("text", 350, 312, 11, "Clerk"),
        ("text", 450, 312, 11, "1 May 2025"),
        ("text", 110, 326, 11, "to the county council"),
        ("text", 72, 348, 11, "02"),
        ("text", 110, 348, 11, "Obtain quotes for the bench"),
        ("text", 350, 348, 11, "Cllr Ash and"),
        ("text", 450, 348, 11, "next meeting"),
        ("text", 350, 362, 11, "Cllr Birch"),
    ]
    page1 = _body_page(1, flow + table)
    page2 = _body_page(
        2,
        [
            make_text_line(100, "3. Any Other Business", bold=True),
            make_text_line(125, "None."),
        ],
    )
    return {
        "two_pages.pdf": make_pdf([page1, page2]),
        "encrypted.pdf": make_pdf([[make_text_line(100, "Secret minutes of the meeting.")]], True),
        "no_text.pdf": make_pdf([[("rect", 72, 72, 400, 600)], [("rect", 72, 72, 200, 200)]]),
        "truncated.pdf": MILBURN.read_bytes()[: len(MILBURN.read_bytes()) // 2],
    }


def make_text_line(y: float, text: str, bold: bool = False, size: float = 11) -> tuple:
    return ("text", 72, y, size, text, bold)


def make_fixtures() -> None:
    """Rebuild tests/data/pdf/ (run by hand after changing `generated`)."""
    FIXTURES.mkdir(exist_ok=True)
    for name, data in generated().items():
        (FIXTURES / name).write_bytes(data)


@pytest.fixture(scope="module")
def suffolk():
    return read_file(SUFFOLK)


@pytest.fixture(scope="module")
def milburn():
    return read_file(MILBURN)


@pytest.fixture(scope="module")
def two_pages():
    return read_file(FIXTURES / "two_pages.pdf")


def _lines(source) -> list[str]:
    return [ln for ln in source.text.split("\n") if ln.strip()]


def _headings(source) -> list[str]:
    return [source.text[s:e] for s, e in source.headings]


# --- the committed fixtures are what the generator makes ------------------------------


@pytest.mark.parametrize("name", sorted(generated()))
def test_committed_fixture_matches_the_generator(name):
    assert (FIXTURES / name).read_bytes() == generated()[name]


# --- sniffing ------------------------------------------------------------------------


def test_pdf_is_sniffed_from_content_whatever_its_name():
    data = (FIXTURES / "two_pages.pdf").read_bytes()
    assert sniff(data, "minutes.txt").name == "pdf"
    assert sniff(b"\n \r\n" + data, "minutes").name == "pdf"
    assert sniff(b"Minutes of the %PDF working group", "m.txt").name == "txt"


# --- real minutes --------------------------------------------------------------------


def test_suffolk_pages_and_format(suffolk):
    assert suffolk.format == "pdf"
    assert len(suffolk.pages) == 6
    assert suffolk.pages == sorted(suffolk.pages) and suffolk.pages[0] == 0
    assert len(suffolk.sha256) == 64
    # the metadata title is Word's file name: not a title hint
    assert suffolk.title_hint is None


def test_running_headers_footers_and_page_numbers_are_removed(suffolk, milburn):
    for source in (suffolk, milburn):
        for line in _lines(source):
            assert not re.fullmatch(r"\d+|Page \d+ of \d+", line)
            assert "Open Board Minutes NS v1" not in line
            assert not line.startswith(("Registered Office:", "31542R", "Signed ____"))


def test_wrapped_lines_are_joined_into_paragraphs(suffolk, milburn):
    lines = _lines(suffolk)
    assert (
        "In relation to this PC gave an update on a recent Get Connected event at Brandon "
        "Library when the IT systems failed to work. PC had to assist a very unhappy library "
        "user with his own iPad"
    ) in lines[lines.index(next(ln for ln in lines if ln.startswith("In relation")))]
    assert any(
        ln.startswith("RH suggested that Suffolk Libraries could be invited") for ln in lines
    )
    # a paragraph going on over a page break is one line
    assert (
        "• Health & Safety – there have been a flurry of incidents reported in the past two "
        "months and specific staff training is being investigated."
    ) in lines
    assert (
        "Clerk to email A Armstrong, EDC and ask if there are any grants etc to help with drainage"
        in milburn.text
    )


def test_superscripts_join_their_line(suffolk):
    assert "Date\t25th September 2014" in _lines(suffolk)
    assert "4. Minutes of Previous Meeting (31st July 2014)" in _lines(suffolk)


def test_header_table_cells_are_tab_separated_and_wrapped_cells_merged(suffolk):
    attendees = next(ln for ln in _lines(suffolk) if ln.startswith("Attendees"))
    assert attendees.startswith("Attendees\tTony Brown (Chair), Sylvia Knights (Vice Chair)")
    assert attendees.endswith("Charlotte Clark, Marion Harvey")


def test_headings_are_found_from_layout(suffolk, milburn):
    headings = _headings(suffolk)
    assert "Election of Chair, Vice Chair and Honorary Secretary" in headings
    assert "Date of Next Meeting:" in headings
    assert "IT Options Appraisal" in headings  # bold, unnumbered
    assert not any(h.startswith("The vote for") for h in headings)
    assert "Milburn Bonfire" in _headings(milburn)  # the number "18.11.5" is not the title


def test_spans_map_to_their_page_and_position(suffolk):
    start = suffolk.text.index("Seighert Review")
    assert suffolk.page_of(start) == 6
    page, x0, top, x1, bottom = suffolk.position_of(start)
    assert page == 6 and 100 < x0 < 130 and 0 < top < bottom < 792 and x1 > x0
    assert suffolk.page_of(suffolk.text.index("Election of Chair")) == 1
    # a paragraph continued on the next page: its second part is on that page
    cont = suffolk.text.index("two months and specific staff training")
    assert suffolk.page_of(cont) == 5
    assert suffolk.position_of(cont)[0] == 5
    assert len(suffolk.positions) >= len(_lines(suffolk))
    assert [p[0] for p in suffolk.positions] == sorted(p[0] for p in suffolk.positions)


def test_milburn_stale_metadata_title_is_only_a_hint(milburn):
    assert milburn.title_hint == "Milburn Parish Council   -   6th March 2012"
    assert _lines(milburn)[0] == "Milburn Parish Council - 6th November 2018"


def test_initials_are_sentence_initial_speakers_in_clean_paragraphs(suffolk):
    record = extract_source(suffolk)
    speakers = {(s.mention, s.speaker) for s in record.statements}
    assert ("PC", "Peter Callaghan") in speakers
    assert ("RH", "Richard Hunt") in speakers


def test_owner_column_goes_with_its_paragraph():
    source = read_file(DATA / "suffolk_series" / "suffolk_libraries_board_2012-09-11.pdf")
    assert (
        "• It was noted that the Board papers need to be numbered with versions. A document "
        "control system to be formalised by 17 October 2012.\tAW"
    ) in _lines(source)


@pytest.mark.slow
def test_every_series_pdf_reads_in_reasonable_time():
    start = time.perf_counter()
    pages = 0
    for path in SERIES:
        source = read_file(path)
        pages += len(source.pages)
        assert len(source.text) > 2000, path.name
    assert len(SERIES) == 18
    assert pages / (time.perf_counter() - start) > 5  # pages per second, with margin


# --- generated layouts ---------------------------------------------------------------


def test_generated_two_pages(two_pages):
    lines = _lines(two_pages)
    assert lines[0] == "1. Apologies"
    assert (
        "Apologies were received from Cllr Ash and Cllr Birch who were both away on holiday. "
        "The Clerk noted that the grass cutting contract should be recommended for renewal at "
        "the next meeting."
    ) in lines
    assert "• The footpath by the church is flooded." in lines
    assert "• Potholes on Mill Lane were reported to the county council." in lines
    assert _headings(two_pages) == ["Apologies", "Highways", "Any Other Business"]
    assert not any("Page" in ln or "draft minutes" in ln or "Registered" in ln for ln in lines)
    assert two_pages.page_of(two_pages.text.index("None.")) == 2


def test_action_table_rows_are_one_line_each_with_wrapped_cells_merged(two_pages):
    lines = _lines(two_pages)
    assert "Ref\tAction\tOwner\tDue" in lines
    assert "01\tReport the flooded footpath to the county council\tClerk\t1 May 2025" in lines
    assert "02\tObtain quotes for the bench\tCllr Ash and Cllr Birch\tnext meeting" in lines


# --- hostile files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("encrypted.pdf", "encrypted PDF: a password is needed"),
        ("no_text.pdf", "no text layer: OCR is not supported"),
        ("truncated.pdf", "damaged or truncated PDF (no end-of-file marker)"),
    ],
)
def test_hostile_pdf_gets_a_one_line_error(name, message):
    path = FIXTURES / name
    with pytest.raises(UnreadableFile) as err:
        read_file(path)
    assert str(err.value) == f"{path}: {message}"


def test_damaged_pdf_body():
    data = b"%PDF-1.4\n" + b"garbage " * 100 + b"\n%%EOF\n"
    with pytest.raises(UnreadableFile) as err:
        read_bytes(data, "bad.pdf")
    assert str(err.value) == "bad.pdf: damaged or truncated PDF (bad format)"


def test_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_format, "MAX_PAGES", 1)
    with pytest.raises(UnreadableFile) as err:
        read_file(FIXTURES / "two_pages.pdf")
    assert str(err.value) == f"{FIXTURES / 'two_pages.pdf'}: 2 pages; the limit is 1"


def test_statements_and_actions_know_their_page():
    from ingest import extract_file

    record = extract_file(DATA / "corpus" / "milburn_pc_minutes_2018-11-06.pdf")

    def page_of(start: str) -> int | None:
        (page,) = {s.page for s in record.statements if s.text.startswith(start)}
        return page

    assert page_of("The Clerk will design some posters") == 1
    assert page_of("The Chairman brought the meeting to a close") == 2
    assert all(a.page in (1, 2) for a in record.actions)
