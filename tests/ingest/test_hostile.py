"""Hostile and broken files (issue 3): each is refused with one line naming the file and
the problem, within bounded time, and `govkg ingest` stores nothing for it.

The committed files are made by tests/data/make_test_files.py; the 50 MB text file and the
1 GB zip bomb are made here, in tmp_path. Assertions that need the PDF reader
(ingest/formats/pdf.py) run with it.
"""

from __future__ import annotations

import importlib.util
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest import UnreadableFile
from ingest.read import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
HOSTILE = DATA / "hostile"
GOOD = DATA / "corpus" / "tintern_cc_minutes_2019-03-25.txt"
SECONDS = 3.0


def _generator():
    spec = importlib.util.spec_from_file_location("make_test_files", DATA / "make_test_files.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def refused(path: Path) -> str:
    """The problem read_file reports for `path`, checked to be one line naming the file,
    reached within SECONDS."""
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as info:
        read_file(path)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert elapsed < SECONDS, f"{path.name} took {elapsed:.1f}s"
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    return info.value.problem


def test_empty_file() -> None:
    assert refused(HOSTILE / "empty.txt") == "file is empty"


def test_binary_junk_named_txt() -> None:
    assert "binary" in refused(HOSTILE / "binary_junk.txt")


def test_truncated_pdf() -> None:  # PDF reader
    assert "PDF" in refused(HOSTILE / "truncated.pdf")


def test_encrypted_pdf() -> None:  # PDF reader
    assert "encrypted" in refused(HOSTILE / "encrypted.pdf").lower()


def test_zip_that_is_not_a_docx() -> None:
    assert refused(HOSTILE / "not_a_word_file.docx") == "a ZIP archive, not a Word document"


def test_small_zip_bomb() -> None:
    assert "refusing (zip bomb?)" in refused(HOSTILE / "zip_bomb_small.docx")


def test_gigabyte_zip_bomb_is_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_generator().zip_bomb(2**30, level=1))

    def no_inflating(*_args: object, **_kw: object) -> None:
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    assert refused(bomb) == "DOCX expands to 1024 MB; refusing (zip bomb?)"


def test_deeply_nested_html() -> None:
    assert "deep" in refused(HOSTILE / "deeply_nested.html")


def test_invalid_utf8() -> None:
    assert refused(HOSTILE / "invalid_utf8.txt") == "neither UTF-8 nor Windows-1252 text"


def test_fifty_megabytes_of_text(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = b"The Clerk reported that the minutes were approved and signed as correct.\n"
    with big.open("wb") as fh:
        for _ in range(50 * 2**20 // len(line) + 1):
            fh.write(line)
    assert "MB" in refused(big)


# --- the CLI: every bad file one error line, the good file stored, nothing else ------------


def _bad_files() -> list[str]:
    names = ["empty.txt", "binary_junk.txt", "not_a_word_file.docx", "zip_bomb_small.docx"]
    names += ["deeply_nested.html", "invalid_utf8.txt", "truncated.pdf", "encrypted.pdf"]
    return names


def test_govkg_ingest_of_the_hostile_folder(tmp_path: Path) -> None:
    from kg.cli import main
    from kg.store import Store

    folder = tmp_path / "in"
    shutil.copytree(HOSTILE, folder)
    shutil.copy(GOOD, folder / GOOD.name)
    data = tmp_path / "data"

    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--data", str(data), "ingest", str(folder)])
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    bad = _bad_files()
    assert len(errors) == len(bad), result.stderr
    for name in bad:
        (line,) = [ln for ln in errors if ln.startswith(f"error: {folder / name}: ")]
        assert len(line) > len(f"error: {folder / name}: ")

    with Store(data, read_only=True) as store:
        docs = store.documents()
    assert [Path(str(d["path"])).name for d in docs] == [GOOD.name]
    sources = sorted(p.name for p in (data / "sources").iterdir())
    assert len(sources) == 1 and sources[0].endswith(".txt")
