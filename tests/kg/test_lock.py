"""One writer per data directory (kg.lock), with real processes: a running `govkg ingest`
refuses a second one in one line naming it, `--wait` waits, a SIGKILLed holder's lock
is recovered, readers are never blocked."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.lock import DataLock, LockHeld, holder
from tests.conftest import load_bench

GOVKG = [sys.executable, "-m", "kg"]

HOLD = """
import os, sys, time
from kg.lock import DataLock
lock = DataLock(sys.argv[1], "a test holder").acquire()
child = os.fork() if sys.argv[2] == "fork" else -1
if child == 0:
    time.sleep(60)
    os._exit(0)
print("held", child, flush=True)
time.sleep(float(sys.argv[3]))
lock.release()
"""


def govkg(data: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GOVKG, "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def hold(data: Path, seconds: float, mode: str = "plain") -> Iterator[subprocess.Popen[str]]:
    """A process holding the lock for `seconds`, from when it holds it to the end of the
    block (then it is killed if still there); with "fork", it forks a child first,
    whose pid is `proc.child`."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data), mode, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            word, child = proc.stdout.readline().split()
            assert word == "held"
            proc.child = int(child)  # type: ignore[attr-defined]
            yield proc
        finally:
            proc.kill()


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("minutes")
    load_bench("synthetic_minutes").generate(out, 16, seed=5)
    return out


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory, minutes: Path) -> Path:
    data = tmp_path_factory.mktemp("data")
    one = sorted(minutes.iterdir())[0]
    assert govkg(data, "ingest", str(one)).returncode == 0
    return data


def wait_for_holder(data: Path, pid: int, proc: subprocess.Popen[bytes]) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        info = holder(data)
        if info and info.get("pid") == pid:
            return info
        assert proc.poll() is None, "the ingest ended before it was seen holding the lock"
        time.sleep(0.05)
    raise AssertionError("the ingest never held the lock")


def test_second_ingest_refused_then_sigkilled_holder_recovered(tmp_path, minutes):
    data = tmp_path / "data"
    with subprocess.Popen(
        [*GOVKG, "--data", str(data), "ingest", str(minutes)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as first:
        try:
            info = wait_for_holder(data, first.pid, first)
            assert "ingest" in info["command"]
            second = govkg(data, "ingest", str(minutes))
            assert first.poll() is None, "the first ingest ended too soon for the test to mean much"
            assert second.returncode == 1
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1, second.stderr
            line = lines[0]
            assert f"pid {first.pid} on " in line
            assert "govkg" in line and "ingest" in line and "since " in line
            assert "--wait" in line
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
    # the kernel dropped the dead holder's lock: nothing to clean up by hand
    assert holder(data) is None
    third = govkg(data, "ingest", str(minutes))
    assert third.returncode == 0, third.stderr
    assert "16 documents" in third.stderr
    stats = govkg(data, "stats", "--json")
    assert '"index_agrees": true' in stats.stdout
    assert '"documents": 16' in stats.stdout


def test_wait_lets_the_second_writer_in_after_the_first(tmp_path, minutes):
    data = tmp_path / "data"
    with hold(data, 2.0) as holding:
        started = time.monotonic()
        done = govkg(data, "ingest", "--wait", "120", str(sorted(minutes.iterdir())[0]))
        assert done.returncode == 0, done.stderr
        assert holding.wait(timeout=30) == 0
        assert time.monotonic() - started >= 1.0  # it waited for the holder


def test_wait_gives_up_after_its_seconds(tmp_path, minutes):
    data = tmp_path / "data"
    with hold(data, 30):
        started = time.monotonic()
        refused = govkg(data, "ingest", "--wait", "1.5", str(minutes))
        assert refused.returncode == 1
        assert time.monotonic() - started >= 1.5
        assert "(waited 2 s)" in refused.stderr or "(waited 1 s)" in refused.stderr
        assert "a test holder" in refused.stderr
        assert not (data / "oxigraph").exists()  # refused before touching the store


@pytest.mark.parametrize(
    "args",
    [
        ["identity"],
        ["link"],
        ["reindex"],
        ["review", "confirm", "https://w3id.org/govkg/id/meeting/x"],
        ["review", "undo", "https://w3id.org/govkg/id/meeting/x"],
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_every_writing_command_is_refused_while_another_writes(small_data, args):
    with hold(small_data, 60) as holding:
        refused = govkg(small_data, *args)
        assert refused.returncode == 1
        assert f"pid {holding.pid}" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1


def test_readers_never_wait_for_the_lock(small_data):
    with hold(small_data, 60):
        for args in (["stats"], ["search", "minutes"], ["sparql", "ASK { ?s ?p ?o }"]):
            done = govkg(small_data, *args, timeout=60)
            assert done.returncode == 0, (args, done.stderr)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_child_forked_by_a_writer_neither_keeps_the_lock_nor_outlives_it(tmp_path):
    data = tmp_path / "data"
    with hold(data, 60, mode="fork") as holding:  # its child would sleep for a minute
        try:
            assert alive(holding.child)
            holding.send_signal(signal.SIGKILL)
            holding.wait()
            deadline = time.monotonic() + 10
            while alive(holding.child) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not alive(holding.child), "the writer's child outlived it"
            assert holder(data) is None
            with DataLock(data, "after"):
                assert holder(data)["pid"] == os.getpid()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(holding.child, signal.SIGKILL)


def test_reentrant_in_a_thread_refused_in_another(tmp_path):
    data = tmp_path / "data"
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with DataLock(data, "other thread"):
                pass
        except LockHeld as exc:
            errors.append(exc)

    with DataLock(data, "outer"), DataLock(data, "inner"):
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert len(errors) == 1 and "`outer`" in str(errors[0])
    with DataLock(data, "again"):  # both levels released
        pass
