"""Hostile files (issue 9) through `govkg ingest` and then through the server.

A folder of good minutes is ingested first; then a folder mixing hostile files (the
committed tests/data/hostile ones, plus files made here: one 3 MB line, one long run of
capitalised words, a run of 200,000 spaces, NULs in text, files whose extension lies
about their format, symbolic links to files outside the folder, a dangling link, a link
looping back to its folder) and a few valid ones. `govkg ingest` (a real process) must
print one line per bad file, exit 1, within bounded time, keep everything stored
before, and store the valid files. Then every page of the valid ones, their sources
and searches are served with 200 and the security headers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "corpus" / "tintern_cc_minutes_2019-03-25.txt"
PDF = DATA / "corpus" / "milburn_pc_minutes_2018-11-06.pdf"
GOVKG = [sys.executable, "-c", "from kg.cli import main; main()"]


def govkg(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GOVKG, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile-server")
    first, bad, outside = root / "first", root / "bad", root / "outside"
    for d in (first, bad, outside):
        d.mkdir()
    shutil.copy(DATA / "corpus" / "stoke_ferry_pc_minutes_2015-01-14.md", first)
    data = root / "data"
    done = govkg("--data", str(data), "ingest", str(first))
    assert done.returncode == 0, done.stderr

    for f in (DATA / "hostile").iterdir():
        shutil.copy(f, bad / f.name)
    good = GOOD.read_text(encoding="utf-8")
    (bad / "nuls.txt").write_text(good.replace("\n\n", "\n\x00\n", 3), encoding="utf-8")
    (bad / "one_line.txt").write_text(
        "The Clerk reported that " + "the council agreed and " * 150_000 + "\n"
    )
    (bad / "title_case.txt").write_text("Police And Crime Panel Board " * 7000 + "\n")
    (bad / "spaces.txt").write_text("Minutes" + " " * 200_000 + "1 Item\n")
    (bad / "pdf_named.txt").write_bytes(PDF.read_bytes())
    (bad / "text_named.pdf").write_text(good.replace("Tintern", "Tintern Parva", 1))
    (bad / "text_named.docx").write_text(good[:2500])
    html = "<html><body><p>" + good.replace("\n", "<br>\n")[:6000] + "</p></body></html>"
    (bad / "html_named.pdf").write_text(html)
    (outside / "secret_minutes.txt").write_text(good.replace("Tintern", "Secretville"))
    (bad / "link_out.txt").symlink_to(outside / "secret_minutes.txt")
    (bad / "link_passwd.txt").symlink_to("/etc/passwd")
    (bad / "dangling.txt").symlink_to(root / "nowhere.txt")
    (bad / "loop").symlink_to(bad)

    started = time.perf_counter()
    result = govkg("--data", str(data), "ingest", str(bad))
    elapsed = time.perf_counter() - started
    return data, bad, result, elapsed


REFUSED = {
    "empty.txt",
    "binary_junk.txt",
    "not_a_word_file.docx",
    "zip_bomb_small.docx",
    "deeply_nested.html",
    "invalid_utf8.txt",
    "truncated.pdf",
    "encrypted.pdf",
    "link_out.txt",
    "link_passwd.txt",
}
"""(A dangling link and a link to a folder are not files: a folder's walk skips them.)"""


def test_ingest_reports_each_bad_file_on_one_line_and_exits_1(ingested) -> None:
    _data, _bad, result, elapsed = ingested
    assert result.returncode == 1, result.stderr
    assert elapsed < 200, f"{elapsed:.0f} s"
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    named = {ln.split(": ", 2)[1].rsplit("/", 1)[-1] for ln in errors}
    assert named == REFUSED, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for line in errors:
        assert len(line.split(": ", 2)[2]) > 5, line
    outside = [ln for ln in errors if "link_out.txt" in ln or "link_passwd" in ln]
    assert all("outside its folder" in ln for ln in outside), outside


def test_nothing_stored_before_is_lost_and_the_valid_files_are_stored(ingested) -> None:
    from kg.store import Store

    data, _bad, _result, _elapsed = ingested
    with Store(data, read_only=True) as store:
        names = sorted(Path(str(d["path"])).name for d in store.documents())
        text = store.select(
            "SELECT ?t WHERE { ?m a <https://w3id.org/govkg/ns#Meeting> ; "
            "<http://purl.org/dc/terms/title> ?t }"
        )[1]
    assert "stoke_ferry_pc_minutes_2015-01-14.md" in names  # stored before: still there
    valid_files = ["pdf_named.txt", "text_named.pdf", "text_named.docx", "html_named.pdf"]
    valid_files += ["nuls.txt", "one_line.txt", "title_case.txt", "spaces.txt"]
    for valid in valid_files:
        assert valid in names, names
    for refused in REFUSED | {"dangling.txt"}:
        assert refused not in names
    assert not any("Secretville" in r["t"] for r in text)
    sources = [p.name for p in (data / "sources").iterdir()]
    assert len(sources) == len(names), (sources, names)


def test_the_pages_of_what_was_ingested_are_served_safely(ingested) -> None:
    from tests.security.conftest import serving
    from tests.security.test_web_hardening import assert_no_trace, assert_secure_headers, fetch
    from web import create_app

    data, *_ = ingested
    with serving(create_app({"DATA": str(data)})) as base:
        status, _, body = fetch(base, "/api/meetings")
        meetings = json.loads(body)["meetings"]
        assert len(meetings) >= 4
        paths = ["/", "/meetings", "/actions", "/network", "/?q=council", "/?q=Clerk"]
        for m in meetings:
            paths.append(m["url"])
            page = json.loads(fetch(base, m["url"] + ".json")[2])
            paths += [f"/source/{d['sha256']}" for d in page.get("documents", []) if "sha256" in d]
            paths += [a["url"] for a in page.get("attendees", [])[:3] if a.get("url")]
        for path in paths:
            status, headers, body = fetch(base, path)
            assert status == 200, (path, status)
            assert_secure_headers(path, headers)
            assert_no_trace(path, body)
