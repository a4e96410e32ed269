"""web.data cold start: `prewarm` opens the store and fills the home page's memo before
the first visitor; memo computes a key once however many threads ask for it at once;
`govkg serve` answers its first request on a real port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from web import create_app, data


def _entry(app) -> dict:
    with app.test_request_context("/"):
        return data._open()


@pytest.fixture
def fresh_app(corpus_index, tmp_path: Path):
    """An app over a private copy of the corpus data (its own store entry and memo)."""
    data_dir, _ = corpus_index
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    return create_app({"TESTING": True, "DATA": str(copy), "WARM_PAGES": True})


def test_prewarm_fills_the_home_page_memo_before_any_request(fresh_app) -> None:
    data.prewarm(fresh_app)
    deadline = time.monotonic() + 60
    memo: dict = {}
    while time.monotonic() < deadline:
        key = f"{fresh_app.config['DATA']}\n"
        entry = data._cache.get(key)
        if entry is not None:
            memo = entry["memo"]
            if "meetings_by_date" in memo:
                break
        time.sleep(0.05)
    assert "meetings_by_date" in memo
    # the first visitor's home page is then served from it
    page = fresh_app.test_client().get("/")
    assert page.status_code == 200 and "meeting" in page.get_data(as_text=True).lower()


def test_memo_computes_a_key_once_for_threads_asking_together(fresh_app) -> None:
    calls: list[int] = []
    results: list[int] = []
    started = threading.Barrier(6)

    def compute() -> int:
        calls.append(1)
        time.sleep(0.3)
        return 42

    def ask() -> None:
        with fresh_app.test_request_context("/"):
            started.wait()
            results.append(data.memo("slow-key", compute))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [42] * 6
    assert len(calls) == 1


def test_memo_recomputes_when_the_computing_thread_failed(fresh_app) -> None:
    _entry(fresh_app)

    def boom() -> int:
        raise RuntimeError("no")

    with fresh_app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            data.memo("fails-once", boom)
        assert data.memo("fails-once", lambda: 7) == 7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_its_first_request_soon(corpus_index) -> None:
    data_dir, _ = corpus_index
    port = _free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", str(data_dir), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status = None
        while time.monotonic() - started < 60 and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
                    status = r.status
            except OSError:
                time.sleep(0.05)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(10)
