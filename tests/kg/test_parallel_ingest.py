"""Parallel extraction (`ingest_paths(jobs=N)`, `govkg ingest --jobs N`): the same store,
index and report as extracting in-process, a bad file still reported in its place, and
no worker process left behind when the ingesting process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import querylang as ql
from kg.indexing import index_dir
from kg.pipeline import ingest_paths
from kg.search import search
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """16 generated meetings, the bundled samples and three bad files, in one folder."""
    folder = tmp_path_factory.mktemp("minutes")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic_minutes.py"), str(folder / "gen")]
        + ["--meetings", "16", "--seed", "3"],
        check=True,
        capture_output=True,
    )
    for f in SAMPLES.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "gen" / "m-empty.txt").write_bytes(b"")
    (folder / "gen" / "m-broken.pdf").write_bytes(b"%PDF-1.4 cut short")
    (folder / "m-binary.pdf").write_bytes(bytes(range(256)) * 8)
    return folder


def _ingest(minutes: Path, data: Path, jobs: int):
    with Store(data) as store:
        return ingest_paths([minutes], store, jobs=jobs, commit_every=7)


def _graphs(data: Path) -> dict[str, set[str]]:
    """Every named graph's quads as N-Quads lines."""
    out: dict[str, set[str]] = {}
    with Store(data, read_only=True) as store:
        for q in store.store:
            out.setdefault(str(q.graph_name), set()).add(str(q))
    return out


def test_parallel_ingest_gives_the_same_store_index_and_report(
    minutes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import kg.pipeline

    # index in two processes too (Whoosh's MpWriter), as a long ingest does
    monkeypatch.setattr(kg.pipeline, "INDEX_PROCS_FROM", 2)
    one = _ingest(minutes, tmp_path / "one", jobs=1)
    two = _ingest(minutes, tmp_path / "two", jobs=2)

    # the report: the same files, in the same order, the same problems
    assert (two.added, two.failed, two.triples) == (one.added, one.failed, one.triples)
    assert len(two.added) == 20 and len(two.failed) == 3
    assert any(line.endswith("m-empty.txt: file is empty") for line in two.failed)
    assert any("m-broken.pdf: damaged or truncated PDF" in line for line in two.failed)

    # the store: the same graphs, quad for quad (documents, union and derived graphs)
    g1, g2 = _graphs(tmp_path / "one"), _graphs(tmp_path / "two")
    assert g1.keys() == g2.keys() and len(g1) > 20
    for graph in g1:
        assert g1[graph] == g2[graph], graph

    # the index: the same documents, units and answers
    from kg.index import SearchIndex

    with (
        SearchIndex(index_dir(tmp_path / "one"), read_only=True) as ix1,
        SearchIndex(index_dir(tmp_path / "two"), read_only=True) as ix2,
    ):
        assert ix1.documents() == ix2.documents() and len(ix1.documents()) == 20
        assert ix1.unit_count() == ix2.unit_count()
        for q in ("police", "budget precept", '"chief constable"', "kind:action"):
            r1, r2 = search(ix1, q, per_page=10), search(ix2, q, per_page=10)
            assert r1.total == r2.total and r1.total, q
            # the same units with the same scores; among equal scores the order may
            # differ (units are numbered in the order the index processes wrote them)
            raw1, raw2 = (ix.search(ql.parse(q), per_page=r1.total) for ix in (ix1, ix2))
            assert raw1.total == raw2.total
            scores1 = [round(h.score, 9) for h in raw1.hits]
            assert scores1 == [round(h.score, 9) for h in raw2.hits], q
            # a unit whose score no other hit shares is the same unit
            unique = {x for x in scores1 if scores1.count(x) == 1}
            assert {
                (round(h.score, 9), h.unit.id) for h in raw1.hits if round(h.score, 9) in unique
            } == {
                (round(h.score, 9), h.unit.id) for h in raw2.hits if round(h.score, 9) in unique
            }, q

    # idempotent by content: nothing is extracted or written again
    again = _ingest(minutes, tmp_path / "two", jobs=2)
    assert again.added == [] and len(again.unchanged) == 20 and len(again.failed) == 3


def test_cli_jobs_reports_the_bad_file_and_stores_the_rest(minutes: Path, tmp_path: Path):
    data = tmp_path / "data"
    run = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), "ingest", "--jobs", "2", str(minutes)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stderr
    assert f"error: {minutes / 'm-binary.pdf'}: " in run.stderr
    assert "(20 new, 0 replaced, 0 unchanged, 3 failed)" in run.stderr
    with Store(data, read_only=True) as store:
        assert len(store.documents()) == 20


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (via /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_killed_ingest_leaves_no_worker_behind(tmp_path: Path):
    gen = tmp_path / "gen"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic_minutes.py"), str(gen)]
        + ["--meetings", "60", "--seed", "5"],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", str(tmp_path / "data"), "ingest", "-j", "2"]
        + [str(gen)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # killed while its extraction workers run (the index processes, forked only for
        # an index commit, are too brief to catch every time; tests/kg/test_lock.py
        # checks that a forked child dies with its writer)
        workers: set[int] = set()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _descendants(proc.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "ingest ended before its workers were seen"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
