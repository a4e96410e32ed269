"""Web-page minutes end to end: a council CMS page around the real Tintern minutes, and
ModernGov minutes and meeting pages made from the West Mercia text
(tests/data/make_test_files.py), plus the reader's rules on small pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import UnreadableFile, extract_file
from ingest.formats import sniff
from ingest.formats.html import read_html
from ingest.read import read_bytes, read_file
from tests.ingest.scoring import f1_scores

DATA = Path(__file__).resolve().parents[1] / "data"
WM = "westmercia-pcc-2024-09-03-q1-performance"
TT = "tintern_cc_minutes_2019-03-25"
MEETING_PAGE = DATA / "html" / "westmercia-pcc-2024-09-03-ieListDocuments.html"


@pytest.mark.parametrize(("name", "original"), [(TT, f"corpus/{TT}.txt"), (WM, f"corpus/{WM}.txt")])
def test_html_scores_as_well_as_the_text_original(name: str, original: str) -> None:
    got, notes = f1_scores(DATA / "html" / f"{name}.html", name)
    base, _ = f1_scores(DATA / original, name)
    worse = {f: (round(got[f], 2), round(base[f], 2)) for f in got if got[f] < base[f] - 1e-9}
    assert not worse, f"fields worse than the text original (html, text): {worse}\n" + "\n".join(
        notes
    )


def test_cms_page_keeps_the_minutes_and_drops_the_site() -> None:
    source = read_file(DATA / "html" / f"{TT}.html")
    assert source.format == "html"
    assert source.title_hint == "Minutes March 2019 | Tintern Community Council"
    text = source.text
    for furniture in ("Contact the Clerk", "Recent Posts", "Posted on", "Previous:", "© 2019"):
        assert furniture not in text
    assert "window.dataLayer" not in text and ".minutehead" not in text
    lines = text.splitlines()
    assert lines[0].startswith("Minutes of a meeting of the above council held on Monday 25th")
    assert "2660. Public Forum: No one present." in lines
    assert "Merlin Waste - £30 (Ch. No. 300101)," in lines  # <br /> ends a line

    record = extract_file(str(DATA / "html" / f"{TT}.html"))
    assert record.meeting.date == "2019-03-25"
    assert record.meeting.venue == "Tintern Village Hall"
    assert [i.title for i in record.agenda_items][:3] == [
        "Police Report",
        "Public Forum",
        "Apologies for absence",
    ]
    assert {"Shewell", "Cobb"} <= {a.name for a in record.apologies}
    assert any(s.mention.endswith("Hoskins") and s.act == "stated" for s in record.statements)
    assert any(a.owner and "Clerk" in a.owner and "Guy Delamere" in a.text for a in record.actions)


def test_moderngov_minutes_page_end_to_end() -> None:
    source = read_file(DATA / "html" / f"{WM}.html")
    lines = source.text.splitlines()
    assert "Agenda and minutes" not in lines  # ModernGov's page-type heading
    assert lines[0] == "Quarter 1 Performance – 2024/25 - Tuesday, 3rd September, 2024 2.00 pm"
    assert "Committees" not in source.text  # site navigation
    assert "1. Review of Action Tracker" in lines  # number cell joined to the item title
    assert "2.1 Safer West Mercia Plan and Budget Priorities" in lines
    heads = {source.text[s:e] for s, e in source.headings}
    assert "Safer West Mercia Plan and Budget Priorities" in heads  # title without its number

    record = extract_file(str(DATA / "html" / f"{WM}.html"))
    assert record.meeting.date == "2024-09-03"
    assert record.meeting.title and record.meeting.title.startswith("Quarter 1 Performance")
    assert record.meeting.venue == "West Mercia Police HQ"
    assert [a.name for a in record.attendees][:2] == ["John Campion", "Christopher Jensen"]
    assert record.agenda_items[1].title == "Chief Constable Assessment on Quarterly Performance"
    assert record.agenda_items[2].parent == 1
    assert any(
        s.speaker == "Rachel Jones" and "Athena version 6" in s.text for s in record.statements
    )
    assert any(a.owner == "West Mercia Police" for a in record.actions)


def test_moderngov_meeting_page_reads_attendance_and_items() -> None:
    record = extract_file(str(MEETING_PAGE))
    assert record.meeting.date == "2024-09-03"
    assert record.meeting.title and record.meeting.title.startswith("Quarter 1 Performance")
    assert record.meeting.venue == "West Mercia Police HQ"
    assert [(a.name, a.abbrev) for a in record.attendees] == [
        ("John Campion", "PCC"),
        ("Christopher Jensen", "CJ"),
        ("Alexandra Knight", "AK"),
        ("Richard Cooper", "T/CC"),
        ("Rachel Jones", "T/DCC"),
    ]
    assert record.apologies == []
    assert [i.title for i in record.agenda_items] == [
        "Review of Action Tracker",
        "Chief Constable Assessment on Quarterly Performance",
        "Any other performance areas as determined by the Chief Constable",
        "National priorities",
        "Quarterly HMICFRS Update",
        "Summary of Actions Arising",
        "AOB",
        "Confirmation of next meeting type / date / time / venue:".rstrip(":"),
    ]
    got, notes = f1_scores(MEETING_PAGE, WM)
    assert got["attendees"] == 1.0 and got["roles"] == 1.0, notes


# --- the reader's rules on small pages ---------------------------------------------


def _read(html: str | bytes, path: str = "page.html"):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return read_html(data, path)


def test_sniffed_from_content_whatever_the_name() -> None:
    page = b"\xef\xbb\xbf  <!DOCTYPE html><html><body><p>Minutes</p></body></html>"
    assert sniff(page, "minutes.txt").name == "html"
    assert sniff(b"<html><body>x</body></html>", "m.bin").name == "html"
    assert sniff(b"Some text\n<head>\n", "m.txt").name == "html"
    assert sniff(b"<p>A fragment</p>", "m.txt").name == "txt"  # fragments stay text
    assert sniff(b"<p>A fragment</p>", "m.aspx").name == "html"


def test_charset_from_meta_then_utf8_then_cp1252() -> None:
    body = "<html><head><meta charset='windows-1252'></head><body><p>Caf\xe9 – £5</p></body>"
    assert read_bytes(body.encode("cp1252"), "a.html").text.strip() == "Caf\xe9 – £5"
    latin = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    assert "Council’s" in _read(latin + b"<p>Council\x92s</p>").text
    assert "Café" in _read("<html><body><p>Café</p>").text
    assert "Caf\xe9" in _read(b"<html><body><p>Caf\xe9</p>").text  # not UTF-8: cp1252


def test_lists_tables_and_headings() -> None:
    page = """<html><body><main>
    <h2>3. Finance</h2><p>Payments   were
    <b>approved</b>.<br>Next line</p>
    <ol start="2579"><li>Police Report: none.</li><li>2580. Public Forum: none.</li></ol>
    <ul><li>Cllr A Smith (Chair)</li></ul>
    <table><tr><th>Ref</th><th>Action</th><th>Owner</th><th>Due</th></tr>
    <tr><td>01</td><td><p>Write to</p><p>MCC</p></td><td>Clerk</td><td>May 2024</td></tr>
    <tr><td colspan="2">Merged</td><td>X</td><td></td></tr></table>
    <pre>kept
      as is</pre>
    </main></body></html>"""
    source = _read(page)
    lines = source.text.splitlines()
    assert lines[:3] == ["3. Finance", "Payments were approved.", "Next line"]
    assert "2579. Police Report: none." in lines
    assert "2580. Public Forum: none." in lines  # numbered already: no second number
    assert "• Cllr A Smith (Chair)" in lines
    assert "Ref\tAction\tOwner\tDue" in lines
    assert "01\tWrite to MCC\tClerk\tMay 2024" in lines
    assert "Merged\tX\t" in lines  # a merged cell once; the empty Due cell kept
    assert "      as is" in lines
    assert [source.text[s:e] for s, e in source.headings] == ["3. Finance"]


def test_hidden_and_furniture_are_dropped() -> None:
    page = """<html><body><nav>Home</nav><div id="content">
    <p hidden>secret</p><p style="display: none">gone</p><p class="sr-only">skip</p>
    <form><p>search</p></form><p>Kept</p><script>x()</script></div>
    <footer>foot</footer></body></html>"""
    assert _read(page).text.split() == ["Kept"]


def test_deep_nesting_is_refused_quickly_and_moderate_nesting_read() -> None:
    moderate = "<html><body>" + "<div>" * 1500 + "deep" + "</div>" * 1500 + "</body></html>"
    assert _read(moderate).text.strip() == "deep"
    deep = "<html><body>" + "<span>" * 5000 + "deep"
    with pytest.raises(UnreadableFile, match="more than 2000 deep"):
        _read(deep)


def test_a_page_without_text() -> None:
    with pytest.raises(UnreadableFile, match="page.html: the page has no text"):
        _read("<html><body><script>only()</script></body></html>")
