"""`govkg serve --workers N`: N processes answer on one port (one Python process serves
on one core at a time), a worker that dies is replaced, and stopping or killing the
server leaves no worker behind."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers fork")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """The server's worker processes (its children), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def _wait_until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def server(corpus_index, tmp_path: Path):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the workers")
    data_dir, _ = corpus_index
    port = _free_port()
    log = tmp_path / "serve.log"
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", str(data_dir), "serve", "--port", str(port)]
        + ["--workers", "2", "--threads", "4"],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(base + "/") == 200
        except OSError:
            return False

    try:
        assert _wait_until(up), log.read_text()
        assert _wait_until(lambda: len(_workers(proc.pid)) == 2)
        yield proc, base
    finally:
        for pid in _workers(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait(10)
        out.close()


def test_two_workers_answer_concurrent_visitors(server) -> None:
    proc, base = server
    paths = ["/", "/meetings", "/actions", "/?q=police", "/sparql?query=ASK%7B%7D"] * 8
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda p: _get(base + p), paths))
    assert statuses == [200] * len(paths)
    assert len(_workers(proc.pid)) == 2


def test_a_worker_that_dies_is_replaced(server) -> None:
    proc, base = server
    first, second = _workers(proc.pid)
    os.kill(first, signal.SIGKILL)
    assert _wait_until(lambda: first not in _workers(proc.pid) and len(_workers(proc.pid)) == 2)
    assert second in _workers(proc.pid)
    assert all(_get(base + "/meetings") == 200 for _ in range(6))


def test_stopping_the_server_stops_every_worker(server) -> None:
    proc, base = server
    workers = _workers(proc.pid)
    proc.terminate()
    assert proc.wait(30) == 0
    assert _wait_until(lambda: not any(_alive(w) for w in workers), 30)
    with pytest.raises(OSError):
        _get(base + "/")


def test_killing_the_server_takes_its_workers_with_it(server) -> None:
    proc, _ = server
    workers = _workers(proc.pid)
    proc.kill()
    proc.wait(10)
    assert _wait_until(lambda: not any(_alive(w) for w in workers), 30)
