"""Generate the DOCX, HTML and hostile test files from real minutes in tests/data/corpus/.

Run from anywhere: `python tests/data/make_test_files.py`. The output is deterministic
(fixed ZIP timestamps and core properties), so re-running it changes nothing unless
this script changes. The files it writes are committed; tests only read them (the
50 MB text file and the 1 GB zip bomb are made at test time, see `zip_bomb()`).

- docx/westmercia-pcc-2024-09-03-q1-performance.docx: the first user's minutes with
  Heading 1/2 styles for the agenda headings, the attendance as a bulleted list and the
  "Summary of Actions Arising" as a Ref / Action / Owner / Due table; one tracked
  deletion, one tracked insertion, one comment, a stale core-properties title.
- docx/stoke_ferry_pc_minutes_2015-01-14.docx: the Stoke Ferry minutes with its items as
  a Word numbered list (bold item titles), the payments as a table, one tracked
  deletion and one comment.
- html/tintern_cc_minutes_2019-03-25.html: the real Tintern fragment wrapped in a full
  page of a community-council site (header, nav, sidebar, footer around the minutes).
- html/westmercia-pcc-2024-09-03-q1-performance.html: the West Mercia text as a
  ModernGov "Agenda and minutes" page (mgContent, mgItemTable, "Minutes:" blocks).
- html/westmercia-pcc-2024-09-03-ieListDocuments.html: the ModernGov meeting page of the
  same meeting (attendance, apologies, items and their documents).
- hostile/*: the broken and hostile files of issue 3.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).resolve().parent
CORPUS = DATA / "corpus"
FIXED_TIME = (2024, 9, 10, 12, 0, 0)
W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_NS = f'xmlns:w="{W_URI}"'


# --- helpers -------------------------------------------------------------------------


def _deterministic_zip(data: bytes) -> bytes:
    """The same ZIP with fixed member timestamps and order (python-docx stamps 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _save_docx(document, path: Path, title: str) -> None:
    # python-docx stamps comments with the time of writing: fix it
    if document.part._comments_part is not None:
        for comment in document.part._comments_part.element.iterchildren():
            comment.set(f"{{{W_URI}}}date", "2024-09-04T10:00:00Z")
    props = document.core_properties
    props.title = title
    props.author = "Clerk"
    props.last_modified_by = "Clerk"
    props.created = datetime(2019, 1, 7, 9, 0, 0)
    props.modified = datetime(2019, 1, 7, 9, 0, 0)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_deterministic_zip(buf.getvalue()))


def _tracked_deletion(paragraph, text: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(
        parse_xml(
            f'<w:del {W_NS} w:id="901" w:author="Clerk" w:date="2024-09-04T10:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{html.escape(text)}</w:delText></w:r></w:del>'
        )
    )


def _tracked_insertion(paragraph, text: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(
        parse_xml(
            f'<w:ins {W_NS} w:id="902" w:author="Clerk" w:date="2024-09-04T10:00:00Z">'
            f'<w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:ins>'
        )
    )


def _merge_row(table, row: int) -> None:
    cells = table.rows[row].cells
    cells[0].merge(cells[-1])


# --- DOCX: West Mercia ---------------------------------------------------------------

WM = "westmercia-pcc-2024-09-03-q1-performance"
WM_H1 = {
    "Review of Action Tracker",
    "Chief Constable Assessment on Quarterly Performance",
    "Any other performance areas as determined by the Chief Constable",
    "National priorities",
    "Quarterly HMICFRS Update",
    "Summary of Actions Arising",
    "AOB",
    "Confirmation of next meeting type / date / time / venue:",
}
WM_H2 = {
    "Safer West Mercia Plan and Budget Priorities",
    "Crime Data Integrity – Other Offences Audit",
    "Crime Volumes – Action Taken – Domestic Abuse",
    "Officer Morale and Staff Sickness",
    "999 performance",
    "Robbery in Shropshire",
    "Murder, Homicide and Serious Violence",
    "Drugs",
    "Neighbourhood Crime",
    "HMICFRS- Unannounced visit to police custody suites in West Mercia Police (published April 22)",
}
DELETED_MARKER = "all actions were closed without discussion"
COMMENT_MARKER = "Check the tracker numbering with the T/DCC"
STALE_TITLE = "Accountability Board – Minutes Template (2019)"
MERGED_ROW = "Actions arising – 3 September 2024"


def _wm_lines() -> list[str]:
    return (CORPUS / f"{WM}.txt").read_text(encoding="utf-8").splitlines()


def make_westmercia_docx(path: Path) -> None:
    import docx

    lines = _wm_lines()
    document = docx.Document()
    summary_rows: list[str] = []
    in_summary = False
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        if i == 1:
            document.add_paragraph(line, style="Title")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line in WM_H1:
            in_summary = line == "Summary of Actions Arising"
            document.add_heading(line, level=1)
        elif line in WM_H2:
            document.add_heading(line, level=2)
        elif in_summary:
            summary_rows.append(line)
            if len(summary_rows) == 2:
                _wm_action_table(document, summary_rows)
        elif line.startswith("Actions were reviewed"):
            p = document.add_paragraph()
            run = p.add_run("Actions were reviewed and progressed ")
            _tracked_deletion(p, DELETED_MARKER + " ")
            _tracked_insertion(p, "as per the action tracker.")
            document.add_comment(run, text=COMMENT_MARKER, author="Policy Officer", initials="CJ")
        else:
            document.add_paragraph(line)
    _save_docx(document, path, STALE_TITLE)


def _wm_action_table(document, rows: list[str]) -> None:
    # the two actions arising, as the PCC's office tabulates them; the owner is the one
    # each sentence names
    first = rows[0].replace("(Brian Gibbs).With", "(Brian Gibbs). With")
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = MERGED_ROW
    _merge_row(table, 0)
    for cell, text in zip(table.rows[1].cells, ["Ref", "Action", "Owner", "Due"], strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, (ref, text, owner) in enumerate(
        [
            ("01", first, "Head of Prevention (Brian Gibbs)"),
            ("02", rows[1], "West Mercia Police"),
        ],
        start=2,
    ):
        cells = table.rows[r].cells
        cells[0].text, cells[1].text, cells[2].text = ref, text, owner


# --- DOCX: Stoke Ferry ---------------------------------------------------------------

SF = "stoke_ferry_pc_minutes_2015-01-14"
SF_DELETED = "Cllr Ryves proposed approval"
SF_COMMENT = "Clerk: confirm the payee with Westcotec before signing"
PAYMENT = re.compile(r"^(?:(\d\d/\d\d/\d{4}) )?(.*?) (Chq|DD) ([\d.]+) ([\d.]+) ([\d.]+)$")


def make_stoke_ferry_docx(path: Path) -> None:
    import docx

    text = (CORPUS / f"{SF}.md").read_text(encoding="utf-8")
    front = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    assert front
    stale = re.search(r'^title: "(.*)"$', front.group(1), re.M)
    body = text[front.end() :]
    document = docx.Document()
    payments: list[tuple[str, ...]] = []
    numbered = re.compile(r"^\d+\. (?:\*\*(.+?)\*\*)?\s*(.*)$")
    for raw in body.splitlines():
        line = raw.strip().replace("\xa0", "")
        if not line:
            continue
        if m := PAYMENT.match(line):
            payments.append((m.group(1) or "", m.group(2), m.group(3), *m.groups()[3:]))
            continue
        if re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+", line):
            payments.append(("", "Total", "", *line.split()))
            _sf_payments_table(document, payments)
            continue
        if m := numbered.match(line):
            p = document.add_paragraph(style="List Number")
            title, rest = m.group(1), m.group(2)
            if title:
                p.add_run(title).bold = True
                if rest:
                    p.add_run(" " + rest)
            else:
                p.add_run(rest)
            continue
        if m := re.fullmatch(r"\*\*_(.+)_\*\*", line):
            run = document.add_paragraph().add_run(m.group(1))
            run.bold = run.italic = True
            continue
        if m := re.match(r"^\*\*(.+?)\*\*\s*(.*)$", line):
            p = document.add_paragraph()
            p.add_run(m.group(1)).bold = True
            p.add_run(" " + m.group(2))
            continue
        if line.startswith("Some corrections were made"):
            p = document.add_paragraph()
            p.add_run("Some corrections were made to the Minutes.  ")
            _tracked_deletion(p, SF_DELETED + "; ")
            p.add_run("Cllr Leamon proposed approval; Cllr Stocking seconded; Carried.")
            continue
        p = document.add_paragraph(line)
        if line.startswith("Balances at"):
            document.add_comment(p.runs[0], text=SF_COMMENT, author="Chair", initials="DC")
    _save_docx(document, path, stale.group(1) if stale else "Parish Council")


def _sf_payments_table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        table.rows[0].cells, ["Date", "Payee", "Paid by", "Net £", "VAT £", "Total £"], strict=True
    ):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


# --- HTML ----------------------------------------------------------------------------

TT = "tintern_cc_minutes_2019-03-25"


def make_tintern_page(path: Path) -> None:
    """A community council's CMS page around the minutes: the minutes as published on the
    council's site (a WordPress-like theme) with the real fragment as the entry body."""
    fragment = (CORPUS / f"{TT}.txt").read_text(encoding="utf-8")
    # the published entry: one <p> per paragraph, <br /> inside lists of payments
    lines = fragment.splitlines()
    head, rest = lines[0], lines[1:]
    paras = []
    for line in rest:
        if line.rstrip().endswith((",", "and")) or re.match(
            r"^(Merlin|Clerk’s|Village Hall)", line
        ):
            paras.append(line + "<br />")
        else:
            paras.append(f"<p>{line}</p>")
    body = "\n".join(paras)
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Minutes March 2019 | Tintern Community Council</title>
<link rel="stylesheet" href="/wp-content/themes/tintern/style.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.minutehead {{ font-size: 1.2em; }}</style>
</head>
<body class="post-template-default single single-post">
<header id="masthead" class="site-header">
  <div class="site-branding"><p class="site-title"><a href="/">Tintern Community Council</a></p>
  <p class="site-description">Cyngor Cymuned Tyndyrn – serving Tintern, Trellech Grange and Catbrook</p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
    <li><a href="/">Home</a></li><li><a href="/councillors/">Councillors</a></li>
    <li><a href="/minutes/">Minutes</a></li><li><a href="/agendas/">Agendas</a></li>
    <li><a href="/contact/">Contact the Clerk</a></li></ul></nav>
</header>
<div id="content" class="site-content">
<main id="main" class="site-main">
<article id="post-1123" class="post-1123 post type-post status-publish category-minutes">
<header class="entry-header"><h2 class="entry-title">Minutes March 2019</h2>
<div class="entry-meta">Posted on <time datetime="2019-04-30">30 April 2019</time></div></header>
<div class="entry-content">
{head}
{body}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/minutes/">Minutes</a></span></footer>
</article>
<nav class="navigation post-navigation"><a href="/minutes-february-2019/">Previous: Minutes February 2019</a>
<a href="/minutes-april-2019/">Next: Minutes April 2019</a></nav>
</main>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts</h2>
<ul><li>Minutes April 2019</li><li>A466 road closure: Livox site from 7 May</li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2019 Tintern Community Council.
Clerk: clerk@tinterncommunitycouncil.example · Registered office: Tintern Village Hall</div></footer>
</body>
</html>
"""
    path.write_text(page, "utf-8")


# ModernGov markup below follows the public "Agenda and minutes" and meeting pages of
# ModernGov (Civica) sites, ieListDocuments.aspx?CId=..&MId=..: a div#modgov holding
# h1.mgMainTitleTxt ("Agenda and minutes"), h2.mgSubTitleTxt ("<committee> - <weekday>,
# <date> <time>"), div.mgContent with the venue/contact paragraphs, an "Items" section
# title and table.mgItemTable whose rows have td.mgItemNumberCell + p.mgAiTitleTxt and the
# minutes text in div.mgWordPara after a "Minutes:" paragraph; attendance under
# "Attendance details" as ul.mgBulletList of li.mgAttendeeTxt (Attendees / Apologies).

WM_TITLE = "Quarter 1 Performance – 2024/25"
WM_SUB = f"{WM_TITLE} - Tuesday, 3rd September, 2024 2.00 pm"


def _wm_items() -> tuple[list[str], list[tuple[str, str, list[str], int]]]:
    """(header lines, [(number, title, paragraphs, level)]) from the West Mercia text."""
    lines = [ln.strip() for ln in _wm_lines() if ln.strip()]
    headings = WM_H1 | WM_H2
    first = next(i for i, ln in enumerate(lines) if ln in headings)
    items: list[tuple[str, str, list[str], int]] = []
    top = sub = 0
    for ln in lines[first:]:
        if ln in headings:
            if ln in WM_H1:
                top, sub = top + 1, 0
                number = f"{top}."
            else:
                sub += 1
                number = f"{top}.{sub}"
            items.append((number, ln, [], 1 if ln in WM_H1 else 2))
        else:
            items[-1][2].append(ln)
    return lines[:first], items


def _wm_attendance() -> list[str]:
    return [ln[2:] for ln in _wm_lines() if ln.startswith("- ")]


def _mg_page(title: str, content: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title>
<link type="text/css" href="SiteSpecific/ssMgStyles.css" rel="stylesheet" />
<script type="text/javascript" src="mgJavascript.js"></script>
</head>
<body>
<div id="header"><a href="https://www.westmercia-pcc.example/"><img src="logo.png" alt="West Mercia PCC" /></a>
<ul id="topnav"><li><a href="mgListCommittees.aspx">Committees</a></li><li><a href="mgCalendarMonthView.aspx">Calendar</a></li>
<li><a href="mgMemberIndex.aspx">People</a></li><li><a href="ieDocHome.aspx">Decisions</a></li></ul></div>
<div id="breadcrumb"><a href="mgListCommittees.aspx">Committees</a> &gt; <a href="ieListMeetings.aspx?CId=141">Performance and Accountability</a> &gt; Meeting</div>
<div id="modgov">
{content}
</div>
<div id="footer"><p>Powered by ModernGov · <a href="mgAccessibility.aspx">Accessibility</a> · <a href="mgPrivacy.aspx">Privacy</a></p></div>
</body>
</html>
"""


def make_moderngov_minutes(path: Path) -> None:
    e = html.escape
    header, items = _wm_items()
    labels = {k: v for k, _, v in (ln.partition(": ") for ln in header if ": " in ln)}
    rows = []
    for number, title, paras, level in items:
        cls = "mgItemNumberCell" if level == 1 else "mgSubItemNumberCell"
        minutes = "".join(f"<p>{e(p)}</p>\n" for p in paras)
        body = (
            f'<p class="mgSubItemTitleTxt">Minutes:</p>\n<div class="mgWordPara">\n{minutes}</div>'
            if paras
            else ""
        )
        rows.append(
            f'<tr><td class="{cls}"><p class="mgAiTitleTxt">{e(number)}</p></td>'
            f'<td><p class="mgAiTitleTxt"><a name="AI{len(rows) + 1}"></a>{e(title)}</p>\n{body}</td></tr>'
        )
    attendance = "".join(f'<li class="mgAttendeeTxt">{e(a)}</li>' for a in _wm_attendance())
    content = f"""<div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda and minutes</h1></div>
<div class="mgSubTitle"><h2 class="mgSubTitleTxt">{e(WM_SUB)}</h2></div>
<div class="mgLinks"><ul class="mgActionList"><li><a href="mgMeetingAttendance.aspx?ID=4411">Attendance</a></li>
<li><a href="ieListDocuments.aspx?CId=141&amp;MId=4411&amp;Ver=4">Meeting page</a></li></ul></div>
<div class="mgContent" id="mgContent">
<p><span class="mgLabel">Venue: </span>{e(labels["Venue"])}</p>
<p><span class="mgLabel">Chair: </span>{e(labels["Chair"])}</p>
<p><span class="mgLabel">Minutes: </span>{e(labels["Minutes"])}</p>
<h2 class="mgSectionTitle">Attendance</h2>
<ul class="mgBulletList">{attendance}</ul>
<h2 class="mgSectionTitle">Items</h2>
<table class="mgItemTable" summary="Table of items for the meeting">
{chr(10).join(rows)}
</table>
</div>"""
    path.write_text(_mg_page(f"Agenda and minutes - {WM_SUB}", content), "utf-8")


def make_moderngov_meeting_page(path: Path) -> None:
    e = html.escape
    _header, items = _wm_items()
    attendees = "".join(f'<li class="mgAttendeeTxt">{e(a)}</li>' for a in _wm_attendance())
    rows = []
    for number, title, _paras, level in items:
        if level != 1:
            continue
        docs = ""
        if title == "Review of Action Tracker":
            docs = '<ul class="mgBulletList"><li><a href="documents/s1201/Action%20Tracker.pdf" class="mgPdfLink">Action Tracker, item 1. PDF 210 KB</a></li></ul>'
        elif title.startswith("Chief Constable Assessment"):
            docs = '<ul class="mgBulletList"><li><a href="documents/s1202/Q1%20Performance%20Report.pdf" class="mgPdfLink">Q1 Performance Report, item 2. PDF 1 MB</a></li></ul>'
        rows.append(
            f'<tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">{e(number)}</p></td>'
            f'<td><p class="mgAiTitleTxt">{e(title)}</p>{docs}</td></tr>'
        )
    content = f"""<div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda item list</h1></div>
<div class="mgSubTitle"><h2 class="mgSubTitleTxt">{e(WM_SUB)}</h2></div>
<div class="mgContent" id="mgContent">
<p><span class="mgLabel">Venue: </span>West Mercia Police HQ</p>
<p><span class="mgLabel">Contact: </span>Alexandra Knight, Policy &amp; Commissioning Intern</p>
<div class="mgLinks"><ul class="mgActionList"><li><a href="ieListDocuments.aspx?CId=141&amp;MId=4411&amp;Ver=4&amp;Info=1">Printed minutes PDF 240 KB</a></li></ul></div>
<h2 class="mgSectionTitle">Attendance details</h2>
<h3 class="mgSubSubTitleTxt">Attendees</h3>
<ul class="mgBulletList">{attendees}</ul>
<h3 class="mgSubSubTitleTxt">Apologies</h3>
<ul class="mgBulletList"><li class="mgAttendeeTxt">None</li></ul>
<h2 class="mgSectionTitle">Items</h2>
<table class="mgItemTable" summary="Table of items for the meeting">
{chr(10).join(rows)}
</table>
</div>"""
    path.write_text(_mg_page(f"Agenda for {WM_SUB}", content), "utf-8")


# --- hostile files -------------------------------------------------------------------


def make_hostile(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    junk = bytes((i * 7919 + 13) % 256 for i in range(4096))  # fixed pseudo-random bytes
    (folder / "binary_junk.txt").write_bytes(junk)
    pdf = (CORPUS / "milburn_pc_minutes_2018-11-06.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("readme.txt", b"Not minutes.\n"), ("data/table.csv", b"a,b\n1,2\n")):
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    (folder / "not_a_word_file.docx").write_bytes(buf.getvalue())
    (folder / "zip_bomb_small.docx").write_bytes(zip_bomb(200 * 2**20 + 1))
    depth = 100_000
    (folder / "deeply_nested.html").write_bytes(
        b"<!DOCTYPE html><html><body>"
        + b"<div>" * depth
        + b"x"
        + b"</div>" * depth
        + b"</body></html>"
    )
    # neither UTF-8 (overlong forms, surrogates, 5-byte forms, stray continuation bytes)
    # nor Windows-1252 (0x81 0x8D 0x8F 0x90 0x9D are unassigned there)
    (folder / "invalid_utf8.txt").write_bytes(
        b"Minutes \xc0\xaf\xed\xa0\x80 \xf8\x88\x80\x80\x80 \x81\x8d\x8f\x90\x9d\xff\xfe\n" * 100
    )
    (folder / "encrypted.pdf").write_bytes(_encrypted_pdf())


def zip_bomb(size: int, name: str = "word/document.xml", level: int = 9) -> bytes:
    """A DOCX-shaped ZIP whose document.xml inflates to `size` bytes of zeros.

    Written in chunks, so making a 1 GB bomb never holds 1 GB in memory (~1 MB out)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zi = zipfile.ZipInfo("[Content_Types].xml", date_time=FIXED_TIME)
        zf.writestr(zi, b'<?xml version="1.0"?><Types/>')
        zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * 2**20
        with zf.open(zi, "w", force_zip64=size > 2**31) as member:
            left = size
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    """A one-page PDF encrypted with a user password nobody knows (Standard security
    handler, RC4 40-bit, R2): any reader must ask for the password."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\n" + bytes(range(44)) + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + hashlib.sha256(b"owner").hexdigest().encode()
        + b"> /U <"
        + hashlib.sha256(b"user").hexdigest().encode()
        + b"> /P -44 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    ident = b"00" * 16
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 5 0 R /ID [<%s> <%s>] >>\n" % (
        len(objs) + 1,
        ident,
        ident,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def main() -> int:
    (DATA / "docx").mkdir(exist_ok=True)
    (DATA / "html").mkdir(exist_ok=True)
    make_westmercia_docx(DATA / "docx" / f"{WM}.docx")
    make_stoke_ferry_docx(DATA / "docx" / f"{SF}.docx")
    make_tintern_page(DATA / "html" / f"{TT}.html")
    make_moderngov_minutes(DATA / "html" / f"{WM}.html")
    make_moderngov_meeting_page(DATA / "html" / "westmercia-pcc-2024-09-03-ieListDocuments.html")
    make_hostile(DATA / "hostile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
