"""Ingest rate per slice of meetings, to see whether throughput stays flat as the store grows.

Runs what `govkg ingest --jobs N` runs (`kg.pipeline.ingest_paths` under the writer
lock, one pool of extraction workers) on a folder into a fresh data directory and
prints, for every SLICE meetings written, the meetings/s of that slice, the index's
segment count, and the load average; then the derive pass and the total.

    python bench/ingest_slices.py /tmp/minutes --data /tmp/d --jobs 2 --slice 500
    python bench/ingest_slices.py /tmp/minutes --data /tmp/d --limit 3000   # first 3,000 (sorted)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _tree_cpu() -> float:
    """CPU seconds of this process, its waited-for children (index processes) and its
    live descendants (extraction workers, under the forkserver)."""
    from ingest_bench import _cpu_of_tree

    t = os.times()
    return (
        t.user
        + t.system
        + t.children_user
        + t.children_system
        + sum(_cpu_of_tree(os.getpid()).values())
    )


def _segments(data: Path) -> int:
    index = data / "index"
    return len({p.stem for p in index.glob("*.seg")}) if index.is_dir() else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--data", type=Path, required=True, help="fresh data directory (removed first)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--slice", type=int, default=500)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (sorted)")
    ap.add_argument("--json", type=Path, help="write the slices here")
    args = ap.parse_args(argv)

    from kg.pipeline import expand_paths, ingest_paths
    from kg.store import open_store

    files = sorted(expand_paths([args.folder]))
    if args.limit:
        files = files[: args.limit]
    if args.data.exists():
        shutil.rmtree(args.data)
    args.data.mkdir(parents=True)
    rows: list[dict[str, float]] = []
    start = last = time.perf_counter()
    cpu0 = last_cpu = _tree_cpu()
    done = 0

    def progress(_p: Path) -> None:
        nonlocal done, last, last_cpu
        done += 1
        if done % args.slice == 0:
            now = time.perf_counter()
            cpu = _tree_cpu()
            row = {
                "cpu_ms": (cpu - last_cpu) * 1000 / args.slice,
                "meetings": done,
                "rate": args.slice / (now - last),
                "elapsed": now - start,
                "segments": _segments(args.data),
                "load": os.getloadavg()[0],
            }
            rows.append(row)
            print(
                f"{done:>6} meetings  {row['rate']:6.2f}/s this slice  "
                f"{row['elapsed']:7.1f} s  CPU {row['cpu_ms']:5.0f} ms/meeting  segments {row['segments']:>3}  load {row['load']:.1f}",
                flush=True,
            )
            last, last_cpu = now, cpu

    with open_store(args.data) as store:
        report = ingest_paths(files, store, progress=progress, jobs=args.jobs)
    total = time.perf_counter() - start
    print(
        f"total {len(files)} files in {total:.1f} s = {len(files) / total:.2f}/s end to end "
        f"(derive pass {report.derive_seconds:.1f} s; "
        f"{len(files) / (total - report.derive_seconds):.2f}/s without it); "
        f"CPU {(_tree_cpu() - cpu0) * 1000 / len(files):.0f} ms/meeting in all; "
        f"failed {len(report.failed)}; segments {_segments(args.data)}; load {os.getloadavg()}",
        flush=True,
    )
    if args.json:
        args.json.write_text(json.dumps({"slices": rows, "seconds": total}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
