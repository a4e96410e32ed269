"""Commitments ledger and identity benchmark.

1. Follow-up precision and recall on generated minutes whose follow-ups are known
   (bench/synthetic_minutes.py MeetingInfo.followups), at 300 and 1,000 meetings (60
   with --small, for CI), with the time of a full derive pass (identity + linking).
2. With --store10k DIR (a data directory of 10,000 ingested generated meetings, e.g.
   /tmp/d10k; it is COPIED, never written): the first full derive pass over it, then the
   derive time of ingesting ONE new generated meeting into it against into an empty
   store (they should be about equal: the pass costs what changed).

    python bench/ledger_bench.py --small
    python bench/ledger_bench.py                           # 300 and 1,000 meetings
    python bench/ledger_bench.py --sizes 1000 --store10k /tmp/d10k
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_minutes import generate  # noqa: E402

from kg import ledger  # noqa: E402
from kg.pipeline import derive_graphs, ingest_paths  # noqa: E402
from kg.store import Store  # noqa: E402


def _load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def score(store: Store, infos: list, report: ledger.LinkReport) -> dict[str, float]:
    """Precision and recall of the confident follow-ups against the generator's truth."""
    truth = {
        (i.body, raised, text.lower(), i.date): status
        for i in infos
        for _ref, status, raised, text in i.followups
    }
    by_raised: dict[tuple[str, str], list[str]] = {}
    for body, raised, text, _date in truth:
        by_raised.setdefault((body, raised), []).append(text)
    # the body an action was raised by, from its source file (the body the extractor
    # names is not what is scored here: a PCC's minutes may name the commissioner)
    body_of_file = {Path(i.path).name: i.body for i in infos}
    _, rows = store.select(
        "SELECT ?a (SAMPLE(?t) AS ?text) (SAMPLE(?d) AS ?raised) (SAMPLE(?p) AS ?path) WHERE { "
        "?a a gkg:Action ; gkg:text ?t ; gkg:raisedAt ?m . ?m dcterms:date ?d ; "
        "prov:wasDerivedFrom/gkg:sourcePath ?p } GROUP BY ?a"
    )
    key: dict[str, tuple[str, str, str]] = {}
    for r in rows:
        r["body"] = body_of_file.get(Path(r["path"] or "").name, "")
        # the generator's action text (a verb phrase) inside the extracted action's text
        said = (r["text"] or "").lower()
        texts = by_raised.get((r["body"] or "", r["raised"] or ""), [])
        match = next((t for t in texts if t in said), said)
        key[r["a"] or ""] = (r["body"] or "", r["raised"] or "", match)
    predicted: dict[tuple, str] = {}
    for link in report.links:
        if link.confident and link.action in key:
            predicted[(*key[link.action], link.date)] = link.status
    hits = set(predicted) & set(truth)
    same = sum(1 for k in hits if predicted[k] == truth[k])
    return {
        "truth": len(truth),
        "predicted": len(predicted),
        "precision": len(hits) / len(predicted) if predicted else 0.0,
        "recall": len(hits) / len(truth) if truth else 0.0,
        "status_agreement": same / len(hits) if hits else 0.0,
    }


def scored(n: int) -> None:
    """Generate n meetings, ingest them (derive=False), time a full derive, score."""
    with tempfile.TemporaryDirectory() as tmp:
        infos = generate(Path(tmp) / "minutes", n, seed=42)
        with Store(Path(tmp) / "data") as store:
            t0 = time.perf_counter()
            ingested = ingest_paths([Path(tmp) / "minutes"], store, derive=False)
            ingest_s = time.perf_counter() - t0
            if not ingested.ok:
                print("\n".join(ingested.failed[:5]), file=sys.stderr)
            derived = derive_graphs(store)
            assert derived.identity is not None and derived.links is not None
            s = score(store, infos, derived.links)
            links = derived.links
        print(
            f"{n:>6} meetings: follow-ups true {s['truth']}, linked {s['predicted']}: "
            f"precision {s['precision']:.3f} recall {s['recall']:.3f} (status agrees "
            f"{s['status_agreement']:.3f}); {links.actions} actions, {links.series} series; "
            f"full derive {derived.seconds:.1f} s = identity {derived.identity.seconds:.1f} s "
            f"+ linking {links.seconds:.1f} s ({links.seconds / n * 1000:.1f} ms/meeting); "
            f"ingest {ingest_s:.0f} s; {_load()}"
        )


def _new_meeting(folder: Path, store: Store) -> Path:
    """A generated meeting the store does not hold, of a body it holds (another seed's
    corpus: the same bodies, other dates), so it joins an existing series."""
    generate(folder, 120, seed=4242)
    _, rows = store.select("SELECT DISTINCT ?b WHERE { ?m schema:organizer ?b }")
    bodies = {(r["b"] or "").rsplit("/", 1)[-1] for r in rows}
    files = sorted(folder.iterdir())
    for f in files:
        if f.name.split("_")[0] in bodies and not store.document_for_path(str(f.resolve())):
            return f
    return files[0]


def one_new_meeting(store10k: Path) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("LEDGER_BENCH_TMP")) as tmp:
        data = Path(tmp) / "d10k"
        t0 = time.perf_counter()
        shutil.copytree(store10k, data)
        print(f"copied {store10k} in {time.perf_counter() - t0:.0f} s")
        with Store(data) as store:
            n = len(store.documents())
            started = time.perf_counter()
            full = derive_graphs(store)
            assert full.identity is not None and full.links is not None
            print(
                f"{n:>6} meetings: first full derive {time.perf_counter() - started:.1f} s = "
                f"identity {full.identity.seconds:.1f} s ({full.identity.groups} groups) + "
                f"linking {full.links.seconds:.1f} s ({full.links.series} series, "
                f"{full.links.seconds / n * 1000:.1f} ms/meeting); {_load()}"
            )
            new = _new_meeting(Path(tmp) / "new", store)
            big = ingest_paths([new], store)
        with Store(Path(tmp) / "empty") as store:
            small = ingest_paths([new], store)
        for name, rep in (("empty store", small), (f"{n}-meeting store", big)):
            d = rep.derived
            assert d is not None and d.identity is not None and d.links is not None
            print(
                f"one new meeting ({new.name}) into the {name}: derive {d.seconds:.2f} s "
                f"(identity {d.identity.seconds:.2f} s over {d.identity.documents} documents"
                f"{'' if not d.identity.full else ', full'}; linking {d.links.seconds:.2f} s); "
                f"ingest total {rep.seconds:.2f} s; {_load()}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[300, 1000], help="meetings scored")
    ap.add_argument("--small", action="store_true", help="60 meetings only (CI)")
    ap.add_argument("--store10k", type=Path, help="data dir of 10,000 meetings (copied)")
    args = ap.parse_args(argv)
    print(f"ledger bench: {_load()}, {os.cpu_count()} cores")
    for n in [60] if args.small else args.sizes:
        scored(n)
    if args.store10k:
        one_new_meeting(args.store10k)
    return 0


if __name__ == "__main__":
    sys.exit(main())
