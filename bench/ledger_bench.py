"""Commitments ledger benchmark: follow-up precision and recall on generated minutes whose
follow-ups are known (bench/synthetic_minutes.py MeetingInfo.followups), and the time
kg.ledger.link_store takes as the number of meetings grows (it must stay linear).

    python bench/ledger_bench.py                 # 300 meetings scored, linking timed at 300 and 1,000
    python bench/ledger_bench.py --small         # 60 meetings, for CI (< 1 min)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_minutes import generate  # noqa: E402

from kg import ledger  # noqa: E402
from kg.pipeline import ingest_paths  # noqa: E402
from kg.store import Store  # noqa: E402


def _build(folder: Path, meetings: int) -> tuple[Store, list, float]:
    infos = generate(folder / "minutes", meetings, seed=42)
    store = Store(folder / "data")
    t0 = time.perf_counter()
    report = ingest_paths([folder / "minutes"], store)
    if not report.ok:
        print("\n".join(report.failed[:5]), file=sys.stderr)
    return store, infos, time.perf_counter() - t0


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=300, help="meetings scored")
    ap.add_argument("--timing", type=int, default=1000, help="meetings linking is timed at")
    ap.add_argument("--small", action="store_true", help="60 meetings, no large timing run")
    args = ap.parse_args(argv)
    sizes = [60] if args.small else [args.meetings, args.timing]
    for n in dict.fromkeys(sizes):
        with tempfile.TemporaryDirectory() as tmp:
            store, infos, ingest_s = _build(Path(tmp), n)
            with store:
                report = ledger.link_store(store)
                s = score(store, infos, report)
            print(
                f"ledger: {n} meetings, {report.actions} actions, {report.series} series; "
                f"linking {report.seconds:.2f} s ({report.seconds / n * 1000:.1f} ms/meeting; "
                f"ingest {ingest_s:.0f} s); follow-ups true {s['truth']}, linked "
                f"{s['predicted']}: precision {s['precision']:.3f} recall {s['recall']:.3f}, "
                f"status agrees {s['status_agreement']:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
