"""CPU of the index side of an ingest alone, replayed over an already ingested store.

Opens DATA's store read-only and indexes its documents into a fresh index (WORK/index)
the way `kg.pipeline.ingest_paths` does: `IndexSync` batches of COMMIT_EVERY documents
(marker, store-built units, entity units, commit with `procs` indexing processes,
tiered merges). Prints the CPU per meeting of this process and of its waited-for
children (the indexing processes) and, with --profile, cProfile's top costs (procs=1:
everything runs in this process).

    python bench/index_cpu.py --data /tmp/d --work /tmp/ix --limit 1500 --procs 2
    python bench/index_cpu.py --data /tmp/d --work /tmp/ix --limit 1500 --procs 1 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu() -> tuple[float, float]:
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="an ingested data directory")
    ap.add_argument("--work", type=Path, required=True, help="where the new index goes (removed)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents (sorted)")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=0, help="documents per commit")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)

    from kg.index import SearchIndex
    from kg.indexing import COMMIT_EVERY, IndexSync, store_documents
    from kg.store import open_store

    batch = args.batch or COMMIT_EVERY
    if args.work.exists():
        shutil.rmtree(args.work)
    with open_store(args.data, read_only=True) as store:
        shas = sorted(store_documents(store))
        if args.limit:
            shas = shas[: args.limit]
        ix = SearchIndex(args.work / "index")
        ix.writer_procs = args.procs
        sync = IndexSync(store, ix)
        prof = cProfile.Profile() if args.profile else None
        wall0, (own0, kids0) = time.perf_counter(), _cpu()
        if prof:
            prof.enable()
        for i in range(0, len(shas), batch):
            chunk = shas[i : i + batch]
            ix.mark_pending(chunk)  # new documents: nothing stored to look at before
            sync.changed(chunk)
            sync.commit()
        if prof:
            prof.disable()
        wall, (own, kids) = time.perf_counter() - wall0, _cpu()
        n = len(shas)
        print(
            f"{n} meetings, procs {args.procs}, batch {batch}: "
            f"CPU {(own - own0) * 1000 / n:.1f} ms/meeting in this process + "
            f"{(kids - kids0) * 1000 / n:.1f} in indexing processes = "
            f"{(own - own0 + kids - kids0) * 1000 / n:.1f}; wall {wall:.1f} s "
            f"({n / wall:.1f}/s); units {ix.unit_count()}; "
            f"segments {len(ix._ix._segments())}; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        ix.close()
        if prof:
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
