"""Crash trials: SIGKILL `govkg ingest` at random moments, finish it, compare with a clean run.

1. generate N synthetic minutes (bench/synthetic_minutes.py, seeded);
2. ingest them into a fresh data directory in one go: the CLEAN run;
3. in another data directory, start `govkg ingest` as a subprocess and SIGKILL it at a
   random moment (seeded), K times in a row (each run resumes the one before), then
   run it to completion;
4. compare the two data directories: every named graph's quads (count and digest),
   the triple count, the search index (documents, units, store/index agreement, the
   hits of a few searches), the answers of every example query (kg/examples.py),
   the source copies, no crash marker left, and `govkg validate`.

One line per kill, one per difference, a summary; exit code 1 on any difference.

    python bench/crash_trials.py                 # 500 documents, 8 kills
    python bench/crash_trials.py --small         # 60 documents, 3 kills (CI)
    python bench/crash_trials.py --docs 200 --kills 5 --seed 3 --workdir /tmp/ct

`snapshot(DATA)` (what is compared) is used by the tests of backup and restore too.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOVKG = [sys.executable, "-m", "kg"]
SEARCHES = ["custody", "domestic abuse", "budget", "kind:action", "antisocial behaviour"]
"""Searches whose hits are compared (the synthetic minutes' topics)."""


def _bnode_free(term: Any) -> str:
    """A result term as text; a blank node's label is not part of the answer."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:b"
    return str(term)


def example_answers(store: Any, index: Any) -> dict[str, Any]:
    """Every example query's answer (sorted rows, bnode labels left out), by name."""
    import pyoxigraph as ox

    from kg.examples import examples
    from kg.textsparql import rewrite, uses_text_search

    out: dict[str, Any] = {}
    for ex in examples():
        text = ex.query
        try:
            if uses_text_search(text):
                text = rewrite(text, index)
            result = store.query(text)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = sorted(tuple(_bnode_free(r[n]) for n in names) for r in result)
                out[ex.name] = (names, rows)
            elif isinstance(result, ox.QueryBoolean):
                out[ex.name] = bool(result)
            else:
                out[ex.name] = sorted(str(t) for t in result)
        except Exception as exc:  # noqa: BLE001 - an error is an answer to compare too
            out[ex.name] = f"error: {exc}"
    return out


PAGE = 100
"""Hits compared per search."""


def _hits(results: Any) -> tuple[int, list[tuple[float, str]]]:
    """(total, [(score, id)]) best first; hits of equal score in id order (their order in
    a page is the index's insertion order, which a crash or a rebuild changes), and the
    last score of a full page left out (which of its ties made the page is that order)."""
    hits = sorted((-round(h.score, 4), h.id) for h in results.hits)
    if len(hits) < results.total and hits:
        hits = [h for h in hits if h[0] != hits[-1][0]]
    return results.total, [(-score, id_) for score, id_ in hits]


def snapshot(data: str | os.PathLike[str], *, sources: bool = True) -> dict[str, Any]:
    """What a data directory holds, in a form to compare with another one's.

    Keys: graphs ({graph IRI: (quads, digest of the sorted N-Triples)}), triples
    (the default graph), documents, index (documents, units, agree), searches
    ({query: (total, first 20 hit ids)}), examples ({name: answer}), sources (file
    names under DATA/sources, when `sources`), markers (crash markers present).
    """
    import pyoxigraph as ox

    from kg.indexing import agreement, open_index
    from kg.pipeline import DERIVE_MARKER
    from kg.search import search
    from kg.store import Store

    data = Path(data)
    snap: dict[str, Any] = {}
    with Store(data, read_only=True) as store:
        lines: dict[str, list[str]] = {}
        for q in store.store:
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            lines.setdefault(str(q.graph_name), []).append(
                " ".join(_bnode_free(t) for t in (q.subject, q.predicate, q.object))
            )
        snap["graphs"] = {
            g: (len(ls), hashlib.sha256("\n".join(sorted(ls)).encode()).hexdigest()[:16])
            for g, ls in sorted(lines.items())
        }
        counts = store.counts()
        snap["triples"] = counts["triples"]
        snap["documents"] = counts["documents"]
        ix = open_index(store, read_only=True)
        try:
            agree = agreement(store, ix)
            snap["index"] = {
                "documents": agree.index_documents,
                "units": agree.index_units,
                "agree": agree.agree,
            }
            snap["searches"], snap["hit_sets"], snap["scores"] = {}, {}, {}  # hit_sets: totals
            for q in SEARCHES:
                snap["searches"][q] = _hits(search(ix, q, per_page=PAGE, facets=False))
                every = search(ix, q, per_page=PAGE, facets=False)
                snap["hit_sets"][q] = every.total
                snap["scores"][q] = {h.id: h.score for h in every.hits}
            snap["examples"] = example_answers(store, ix)
            snap["examples_unscored"] = {
                name: _unscored(answer) for name, answer in snap["examples"].items()
            }
        finally:
            ix.close()
    if sources:
        folder = data / "sources"
        snap["sources"] = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    markers = [DERIVE_MARKER] if (data / DERIVE_MARKER).exists() else []
    if (data / "index" / "pending.json").exists():
        markers.append("index/pending.json")
    snap["markers"] = markers
    return snap


def _unscored(answer: Any) -> Any:
    """An example's answer, or for one ranked by a text:search score, its columns and
    number of rows (which rows make its LIMIT depends on the scores)."""
    if not isinstance(answer, tuple) or "score" not in answer[0]:
        return answer
    names, rows = answer
    return names, len(rows)


SCORED = ("searches", "scores", "examples")
"""Snapshot keys that hold search scores (left out of `differences` unless strict)."""


def score_drift(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The largest relative difference of one hit's score between two snapshots."""
    worst = 0.0
    for q, scores in a.get("scores", {}).items():
        for hit, score in scores.items():
            other = b.get("scores", {}).get(q, {}).get(hit)
            if other is not None and max(abs(score), abs(other)) > 0:
                worst = max(worst, abs(score - other) / max(abs(score), abs(other)))
    return worst


def differences(a: dict[str, Any], b: dict[str, Any], *, strict: bool = True) -> list[str]:
    """One line per difference between two snapshots (a: expected, b: found).

    Not `strict`: search scores are left out (the number of hits of each search, every
    example answer not ranked by a text:search score, and the number of rows of those
    that are, are still compared): BM25 statistics
    count the units a later commit replaced until their segment is merged, so scores
    depend on how an ingest was split into commits (a crash adds commits)."""
    out = []
    for key in a.keys() | b.keys():
        if not strict and key in SCORED:
            continue
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if isinstance(va, dict) and isinstance(vb, dict):
            for k in sorted(va.keys() | vb.keys()):
                if va.get(k) != vb.get(k):
                    out.append(f"{key}[{k}]: {_short(va.get(k))} != {_short(vb.get(k))}")
        else:
            out.append(f"{key}: {_short(va)} != {_short(vb)}")
    return sorted(out)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def _govkg(data: Path, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """`govkg` in a session of its own (its worker processes in its process group)."""
    return subprocess.Popen(
        [*GOVKG, "--data", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kwargs,
    )


def _group(pgid: int) -> list[int]:
    """The live processes of a process group (zombies left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found


def kill(proc: subprocess.Popen[bytes], grace: float = 5.0) -> str:
    """SIGKILL the govkg process alone (as `kill -9 PID` does), then give the worker
    processes it leaves `grace` seconds to end by themselves before killing them too;
    says what happened to them."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = _group(proc.pid)
    if not left:
        return "no worker outlived it"
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _group(proc.pid):
        time.sleep(0.05)
    still = _group(proc.pid)
    if not still:
        return f"{len(left)} workers outlived it and ended by themselves"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    return f"{len(left)} workers outlived it, {len(still)} still there after {grace:.0f} s: killed"


def ingest(data: Path, minutes: Path) -> float:
    """`govkg ingest` to completion; seconds taken."""
    started = time.perf_counter()
    proc = _govkg(data, "ingest", str(minutes))
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"govkg ingest failed ({proc.returncode}): {err.decode()[-2000:]}")
    return time.perf_counter() - started


def _stored(data: Path) -> int:
    """Documents in the store (0 before the first write)."""
    from kg.store import Store, StoreError

    try:
        with Store(data, read_only=True) as store:
            return store.counts()["documents"]
    except StoreError:
        return 0


def crash_run(
    data: Path,
    minutes: Path,
    kills: int,
    rng: random.Random,
    clean_seconds: float,
    docs: int,
    failures: list[str],
) -> list[str]:
    """K runs of `govkg ingest` killed at random moments, then one to completion; a run
    that ends before its kill with an error is added to `failures`."""
    lines: list[str] = []
    for k in range(1, kills + 1):
        left = docs - _stored(data)
        # somewhere in what is left of the run: startup, recovery, documents, index
        # commit, derive pass, compaction; early enough that the run rarely ends first
        behind = any((data / m).exists() for m in ("derive-pending", "index/pending.json"))
        estimate = 2.0 + clean_seconds * (left / max(1, docs) + (0.3 if behind else 0.0))
        delay = 0.5 + rng.uniform(0.05, 0.8) * estimate
        proc = _govkg(data, "ingest", str(minutes))
        try:
            proc.wait(timeout=delay)
            _, err = proc.communicate()
            state = "finished before the kill"
            if proc.returncode != 0:
                state = f"FAILED with exit code {proc.returncode}: {err.decode()[-300:]!r}"
                failures.append(f"kill {k}: ingest {state}")
        except subprocess.TimeoutExpired:
            state = f"SIGKILLed ({kill(proc)})"
        markers = [m for m in ("derive-pending", "index/pending.json") if (data / m).exists()]
        lines.append(
            f"kill {k}/{kills} at {delay:5.1f} s: {state}; {_stored(data)}/{docs} documents stored, "
            f"markers left: {', '.join(markers) or 'none'}"
        )
        print(lines[-1], flush=True)
    seconds = ingest(data, minutes)
    lines.append(f"final ingest to completion: {seconds:.1f} s")
    print(lines[-1], flush=True)
    return lines


def validate(data: Path) -> str:
    proc = _govkg(data, "validate")
    out, err = proc.communicate()
    return f"exit {proc.returncode}: {(out + err).decode().strip().splitlines()[-1:]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=500, help="synthetic minutes to ingest")
    ap.add_argument("--kills", type=int, default=8, help="SIGKILLs before the final run")
    ap.add_argument("--seed", type=int, default=9, help="seed of the minutes and of the kills")
    ap.add_argument("--small", action="store_true", help="60 documents, 3 kills (CI)")
    ap.add_argument("--workdir", type=Path, help="keep the data here (default: a temp dir)")
    ap.add_argument(
        "--strict-scores",
        action="store_true",
        help="search scores must be equal too (see `differences`); else their drift is printed",
    )
    args = ap.parse_args(argv)
    if args.small:
        args.docs, args.kills = 60, 3
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-crash-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic_minutes import generate

    minutes = work / "minutes"
    generate(minutes, args.docs, args.seed)
    load = os.getloadavg()
    print(
        f"{args.docs} synthetic minutes, {args.kills} kills, seed {args.seed}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )

    clean, crashed = work / "clean", work / "crashed"
    seconds = ingest(clean, minutes)
    print(f"clean ingest: {seconds:.1f} s", flush=True)
    problems: list[str] = []
    crash_run(crashed, minutes, args.kills, random.Random(args.seed), seconds, args.docs, problems)

    expected, found = snapshot(clean), snapshot(crashed)
    problems += differences(expected, found, strict=args.strict_scores)
    drift = score_drift(expected, found)
    print(
        f"search scores: largest drift {drift:.2%} "
        + ("(compared: --strict-scores)" if args.strict_scores else "(not compared)"),
        flush=True,
    )
    if found["markers"]:
        problems.append(f"crash markers left after the final run: {found['markers']}")
    if not found["index"]["agree"]:
        problems.append("the search index does not agree with the store")
    for name, data in (("clean", clean), ("crashed", crashed)):
        verdict = validate(data)
        print(f"govkg validate ({name}): {verdict}", flush=True)
        if not verdict.startswith("exit 0"):
            problems.append(f"govkg validate ({name}): {verdict}")
    for line in problems:
        print(f"DIFFERENCE {line}", flush=True)
    graphs = len(found["graphs"])
    print(
        f"summary: {args.kills} kills, {'0 differences' if not problems else f'{len(problems)} differences'}; "
        f"compared {graphs} graphs, {found['triples']} triples, {found['index']['documents']} "
        f"indexed documents, {len(SEARCHES)} searches, {len(found['examples'])} example queries",
        flush=True,
    )
    if args.workdir is None and not problems:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
