"""A `govkg ingest` killed with SIGKILL, run again, leaves the same store and index as a
clean run (bench/crash_trials.py at a small size; CI runs the script with --small)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.conftest import load_bench

crash_trials = load_bench("crash_trials")


def kill_when(proc: subprocess.Popen[bytes], ready, timeout: float = 60) -> bool:
    """SIGKILL `proc` as soon as `ready()`; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            crash_trials.kill(proc)  # its worker processes, if any, do not outlive the test
            return True
        time.sleep(0.01)
    proc.wait()
    return False


def test_sigkilled_ingest_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    minutes = tmp_path / "minutes"
    load_bench("synthetic_minutes").generate(minutes, 10, seed=21)
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    crash_trials.ingest(clean, minutes)

    # killed between a document's store write and the index commit (the index's marker
    # is written before the first store write and cleared by the commit)
    pending = crashed / "index" / "pending.json"
    with crash_trials._govkg(crashed, "ingest", str(minutes)) as proc:
        assert kill_when(proc, pending.exists), "ingest ended before it wrote a document"
    assert pending.exists() and (crashed / "derive-pending").exists()

    # killed again, once it has recovered the index from the marker and gone on
    with crash_trials._govkg(crashed, "ingest", str(minutes)) as proc:
        started = time.monotonic()
        kill_when(proc, lambda: time.monotonic() - started > 3.0)

    crash_trials.ingest(crashed, minutes)
    expected = crash_trials.snapshot(clean)
    found = crash_trials.snapshot(crashed)
    # everything but search scores, which depend on how the ingest was split into
    # index commits (see crash_trials.differences); they may drift a little
    assert crash_trials.differences(expected, found, strict=False) == []
    assert crash_trials.score_drift(expected, found) < 0.05
    assert found["markers"] == []
    assert found["index"]["agree"] and found["documents"] == 10
    assert len(found["examples"]) >= 10 and all(
        not str(answer).startswith("error") for answer in found["examples"].values()
    )
