"""Ingest CPU per meeting, by process: what bounds throughput on a busy machine.

Wall clock on a shared 2-core machine says more about the neighbours than about the
code; CPU seconds do not. This ingests a folder into a fresh data directory in this
process (`kg.pipeline.ingest_paths`, derive pass apart) once per --jobs value and prints,
per meeting: wall ms, the writing process's CPU ms (the serial part: store writes, unit
building, handing units to the index), the CPU ms of the extraction workers and of the
index processes, and the total. Throughput on an idle machine is bounded by
min(1000 / writer ms, cores * 1000 / total ms) meetings/s.

    python bench/synthetic_minutes.py /tmp/gen300 --meetings 300 --seed 7
    python bench/ingest_bench.py /tmp/gen300 --jobs 1 2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu_of_tree(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of every live process below `pid`."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(entry.name)
        parents[p] = int(fields[1])
        cpu[p] = (int(fields[11]) + int(fields[12])) / tick
    out: dict[int, float] = {}
    for p in cpu:
        q, depth = parents.get(p), 0
        while q and depth < 6:
            if q == pid:
                out[p] = cpu[p]
                break
            q, depth = parents.get(q), depth + 1
    return out


def run(folder: Path, jobs: int, work: Path) -> dict[str, float]:
    from kg.pipeline import derive_graphs, ingest_paths
    from kg.store import Store

    data = work / f"data-j{jobs}"
    shutil.rmtree(data, ignore_errors=True)
    seen: dict[int, float] = {}
    done = threading.Event()

    def poll() -> None:  # the workers' CPU, read while they live (they are not our children)
        while not done.is_set():
            seen.update(_cpu_of_tree(os.getpid()))
            done.wait(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    self0 = resource.getrusage(resource.RUSAGE_SELF)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with Store(data) as store:
        report = ingest_paths([folder], store, jobs=jobs, derive=False)
        wall = time.perf_counter() - t0
        self1 = resource.getrusage(resource.RUSAGE_SELF)
        kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        done.set()
        watcher.join()
        t1 = time.perf_counter()
        derive_graphs(store)
        derive_s = time.perf_counter() - t1
    n = max(1, len(report.added))
    writer = (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime)
    index = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    workers = sum(seen.values()) - index if jobs > 1 else 0.0
    return {
        "jobs": jobs,
        "meetings": len(report.added),
        "wall_ms": 1000 * wall / n,
        "writer_ms": 1000 * writer / n,
        "workers_ms": 1000 * max(0.0, workers) / n,
        "index_ms": 1000 * index / n,
        "total_ms": 1000 * (writer + max(0.0, workers) + index) / n,
        "derive_s": derive_s,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--workdir", type=Path, help="keep the data directories here")
    args = ap.parse_args(argv)
    tmp = None
    if args.workdir:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="govkg-ingest-bench-")
        work = Path(tmp.name)
    rows = []
    try:
        for jobs in args.jobs:
            load = os.getloadavg()[0]
            r = run(args.folder, jobs, work)
            r["load"] = load
            rows.append(r)
            print(f"jobs {jobs}: done (load average {load:.1f})", file=sys.stderr, flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(
        f"{'jobs':>4} {'meetings':>8} {'load':>5} {'wall ms':>8} {'writer':>7} {'workers':>8}"
        f" {'index':>6} {'total':>6} {'bound/s':>8}   (CPU ms per meeting; derive apart)"
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    for r in rows:
        bound = min(1000 / r["writer_ms"], cores * 1000 / r["total_ms"]) if r["total_ms"] else 0
        print(
            f"{r['jobs']:>4} {r['meetings']:>8} {r['load']:>5.1f} {r['wall_ms']:>8.0f} "
            f"{r['writer_ms']:>7.0f} {r['workers_ms']:>8.0f} {r['index_ms']:>6.0f} "
            f"{r['total_ms']:>6.0f} {bound:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
