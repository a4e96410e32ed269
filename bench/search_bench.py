"""Search benchmark: ingest N synthetic meetings, then time a fixed query set.

Generates N minutes with bench/synthetic_minutes.py, ingests them with govkg's real
pipeline (`kg.pipeline.ingest_paths`, which keeps the Whoosh index in step) into a
fresh data directory, and prints:

- ingest documents/s, split into extraction, graph building, store writes and
  index work (timed by wrapping the pipeline's own functions; no govkg code changes);
- store, index and source-copy sizes on disk; the index's unit count;
- search latency p50 / p95 / max over a fixed set of ~30 queries (words, phrases,
  boolean, prefix, field filters, date ranges, thesaurus terms, a typo, a malformed
  query), top 10 with highlighted snippets, warm searcher, each query run --repeat
  times; once without and once with all facets;
- the same units (every unit the index holds that has text) in SQLite FTS5 (porter
  tokenizer), the same queries written in FTS5 syntax, top 10 with `snippet()` and
  a total count, measured in the same run, as a reference.

    python bench/search_bench.py                      # 1,000 meetings
    python bench/search_bench.py --meetings 10000 --json bench/out/search_10k.json
    python bench/search_bench.py --small              # 100 meetings (CI)
    python bench/search_bench.py --data /tmp/s1k-data --skip-ingest   # reuse a data dir
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_minutes  # noqa: E402


@dataclass(frozen=True)
class Q:
    """One benchmark query: govkg syntax, and the same question for SQLite FTS5."""

    label: str
    govkg: str
    fts: str
    where: str = ""
    """Extra SQL condition on the FTS table's unindexed columns (kind, date)."""
    sort: str = "relevance"


QUERIES: tuple[Q, ...] = (
    Q("word", "custody", "custody"),
    Q("two words", "domestic abuse", "domestic abuse"),
    Q("phrase", '"domestic abuse"', '"domestic abuse"'),
    Q("phrase, by date", '"domestic abuse"', '"domestic abuse"', sort="date"),
    Q("phrase 999", '"999 calls"', '"999 calls"'),
    Q("words + place", "knife crime Shropshire", "knife crime Shropshire"),
    Q("words + town", "custody Hereford", "custody Hereford"),
    Q("parish word", "potholes", "potholes"),
    Q("stemmed words", "planning application objection", "planning application objection"),
    Q("prefix", "custod*", "custod*"),
    Q("prefix 2", "burgl*", "burgl*"),
    Q("OR", "burglary OR robbery", "burglary OR robbery"),
    Q("NOT", "custody NOT inspection", "custody NOT inspection"),
    Q("minus", "precept -reserves", "precept NOT reserves"),
    Q(
        "role filter",
        'role:"Chief Constable" 999',
        'role : "chief constable" AND {text title} : 999',
    ),
    Q("kind:action", "kind:action circulate", "circulate", where="kind = 'action'"),
    Q(
        "kind:commitment",
        'kind:commitment "next meeting"',
        '"next meeting"',
        where="kind = 'commitment'",
    ),
    Q(
        "body filter",
        'body:"West Mercia" custody',
        'body : "west mercia" AND {text title} : custody',
    ),
    Q(
        "place filter",
        'place:Shropshire "domestic abuse"',
        'places : shropshire AND {text title} : "domestic abuse"',
    ),
    Q("topic filter", 'topic:"Anti-social behaviour"', 'topics : "anti social behaviour"'),
    Q(
        "date range",
        "date:2024-01..2024-12 knife",
        "knife",
        where="date BETWEEN '2024-01-01' AND '2024-12-31'",
    ),
    Q("year", "date:2023 precept", "precept", where="date LIKE '2023-%'"),
    Q("thesaurus DA", "DA", 'DA OR "domestic abuse" OR "domestic violence"'),
    Q("thesaurus ASB", "ASB", 'ASB OR "anti social behaviour" OR antisocial'),
    Q(
        "thesaurus NTE",
        "NTE Shrewsbury",
        '{text title} : ((NTE OR "night time economy") AND Shrewsbury)',
    ),
    Q(
        "thesaurus RASSO",
        "RASSO outcomes",
        '(RASSO OR rape OR "serious sexual offences") AND outcomes',
    ),
    Q("thesaurus VAWG", "VAWG", 'VAWG OR "violence against women and girls"'),
    Q("phrase parish", '"Community Speed Watch"', '"Community Speed Watch"'),
    Q("typo", "custdy", "custdy"),
    Q("very common", "police", "police"),
    Q("common, by date", "police", "police", sort="date"),
    Q("street", "street lights Church Street", "street lights Church Street"),
    Q("precept band", "precept Band D", "precept Band D"),
    Q("malformed", '"custody block', "custody block"),
)


# --------------------------------------------------------------------------- helpers


def du(path: Path) -> int:
    """Bytes of all files under `path` (0 if missing)."""
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(ms), 2) if ms else float("nan"),
        "p95_ms": round(pct(ms, 95), 2),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
    }


class Timers:
    """Wrap the pipeline's own functions with timers (the govkg code is not changed)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str) -> bool:
        original = getattr(owner, name, None)
        if original is None:
            return False
        seconds, calls = self.seconds, self.calls
        seconds.setdefault(label, 0.0)
        calls.setdefault(label, 0)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - t0
                calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))
        return True

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


# --------------------------------------------------------------------------- ingest


def ingest(minutes_dir: Path, data_dir: Path, log: Callable[[str], None]) -> dict[str, Any]:
    import ingest.pipeline as ingest_pipeline
    import kg.pipeline as kg_pipeline
    from kg.store import Store

    timers = Timers()
    timers.wrap(ingest_pipeline, "extract_bytes", "extract")
    timers.wrap(kg_pipeline, "record_to_quads", "build")
    timers.wrap(kg_pipeline, "_store", "store")
    try:
        import kg.indexing as indexing

        timers.wrap(indexing.IndexSync, "commit", "index")
        timers.wrap(indexing.IndexSync, "before_store", "index")
    except ImportError:
        indexing = None  # type: ignore[assignment]

    files = kg_pipeline.expand_paths([minutes_dir])
    done = [0]
    step = max(1, len(files) // 10)
    t_start = time.perf_counter()

    def progress(_: Path) -> None:
        done[0] += 1
        if done[0] % step == 0:
            el = time.perf_counter() - t_start
            log(f"  ingested {done[0]}/{len(files)} ({done[0] / el:.1f} docs/s)")

    store = Store(data_dir)
    try:
        t0 = time.perf_counter()
        report = kg_pipeline.ingest_paths([minutes_dir], store, progress=progress)
        ingest_s = time.perf_counter() - t0
    finally:
        timers.restore()
    out: dict[str, Any] = {
        "documents": report.documents,
        "added": len(report.added),
        "failed": report.failed[:5],
        "failed_count": len(report.failed),
        "triples": report.triples,
        "seconds": round(ingest_s, 2),
        "docs_per_s": round(report.documents / ingest_s, 2) if ingest_s else None,
        "split_s": {k: round(v, 2) for k, v in timers.seconds.items()},
    }
    accounted = sum(timers.seconds.values())
    out["split_s"]["other"] = round(ingest_s - accounted, 2)
    # if ingest did not build the index (pipeline not wired yet), build it from the store
    out["index_built_by"] = "ingest_paths"
    index_path = data_dir / "index"
    if indexing is not None and (not index_path.exists() or timers.calls.get("index", 0) == 0):
        log("  ingest_paths did not update the index; building it from the store (open_index)")
        t0 = time.perf_counter()
        ix = indexing.open_index(store)
        ix.close()
        out["index_rebuild_s"] = round(time.perf_counter() - t0, 2)
        out["index_built_by"] = "open_index rebuild after ingest"
    out["store"] = store
    return out


# --------------------------------------------------------------------------- searching


def open_search(store: Any) -> tuple[Any, Callable[..., Any], str]:
    """The index and a `run(query, sort, facets)` function: kg.search.search if present."""
    from kg.indexing import open_index

    ix = open_index(store, read_only=True)
    try:
        from kg.search import search as kg_search
    except ImportError:
        from kg import querylang as ql

        def raw(q: str, sort: str, facets: tuple[str, ...]) -> Any:
            try:
                node = ql.parse(q)
            except ql.QuerySyntaxError:
                node = ql.parse(" ".join(ql.words(q)))
            return ix.search(node, page=1, per_page=10, sort=sort, facets=facets)

        return (
            ix,
            raw,
            "kg.index.SearchIndex.search (kg/search.py absent: no thesaurus, no fallback note)",
        )

    def run(q: str, sort: str, facets: tuple[str, ...]) -> Any:
        return kg_search(ix, q, page=1, per_page=10, sort=sort, facets=bool(facets))

    return ix, run, "kg.search.search"


def total_of(result: Any) -> int | None:
    for name in ("total", "count"):
        v = getattr(result, name, None)
        if isinstance(v, int):
            return v
    if isinstance(result, dict):
        v = result.get("total")
        return v if isinstance(v, int) else None
    return None


def hits_of(result: Any) -> list[Any]:
    hits = getattr(result, "hits", None)
    if hits is None and isinstance(result, dict):
        hits = result.get("hits")
    return list(hits or [])


def snippet_of(hit: Any) -> str:
    s = getattr(hit, "snippet", None)
    if s is None and isinstance(hit, dict):
        s = hit.get("snippet")
    return str(s or "")


def note_of(result: Any) -> str:
    parts = [str(n) for n in getattr(result, "notes", None) or []]
    dym = getattr(result, "did_you_mean", None)
    if dym:
        parts.append(f"did you mean: {dym}")
    expanded = getattr(result, "expanded", None)
    if expanded:
        parts.append(
            "expanded: " + "; ".join(f"{k} -> {', '.join(v)}" for k, v in expanded.items())
        )
    return " | ".join(parts)


def time_queries(
    run: Callable[[str, str, tuple[str, ...]], Any], repeat: int, facets: tuple[str, ...]
) -> tuple[list[float], list[dict[str, Any]]]:
    all_ms: list[float] = []
    rows = []
    for q in QUERIES:
        try:
            first = run(q.govkg, q.sort, facets)  # warm-up (and the answer we report)
        except Exception as exc:  # noqa: BLE001 - a failing query is reported, not fatal
            rows.append(
                {
                    "label": q.label,
                    "query": q.govkg,
                    "sort": q.sort,
                    "total": None,
                    "shown": 0,
                    "marked": 0,
                    "median_ms": float("nan"),
                    "max_ms": float("nan"),
                    "note": "",
                    "error": f"{type(exc).__name__}: {exc}",
                }
            )
            continue
        ms = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run(q.govkg, q.sort, facets)
            ms.append((time.perf_counter() - t0) * 1000)
        all_ms += ms
        hits = hits_of(first)
        rows.append(
            {
                "label": q.label,
                "query": q.govkg,
                "sort": q.sort,
                "total": total_of(first),
                "shown": len(hits),
                "marked": sum("<mark>" in snippet_of(h) for h in hits),
                "median_ms": round(statistics.median(ms), 2),
                "max_ms": round(max(ms), 2),
                "note": note_of(first),
            }
        )
    return all_ms, rows


def fts_reference(ix: Any, repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Load every unit with text into SQLite FTS5 and time the same queries."""
    t0 = time.perf_counter()
    units = [u for u in ix.units() if u.text]
    read_s = time.perf_counter() - t0
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE u USING fts5(text, title, speaker, role, places, topics, body, "
        "kind UNINDEXED, date UNINDEXED, tokenize='porter unicode61')"
    )
    t0 = time.perf_counter()
    db.executemany(
        "INSERT INTO u VALUES (?,?,?,?,?,?,?,?,?)",
        (
            (
                u.text,
                u.title,
                " ".join(u.speakers),
                " ".join(u.roles),
                " ".join(u.places),
                " ".join(u.topics),
                u.body,
                u.kind,
                u.date,
            )
            for u in units
        ),
    )
    db.execute("INSERT INTO u(u) VALUES ('optimize')")
    db.commit()
    build_s = time.perf_counter() - t0
    log(
        f"  FTS5: {len(units):,} units loaded in {build_s:.1f} s (read from the index {read_s:.1f} s)"
    )

    def run(q: Q) -> tuple[int, list[tuple[Any, ...]]]:
        # unqualified words search the text and title, as govkg's default fields do
        match = q.fts if " : " in q.fts else f"{{text title}} : ({q.fts})"
        cond = f" AND {q.where}" if q.where else ""
        order = "date DESC, rank" if q.sort == "date" else "rank"
        total = db.execute(f"SELECT count(*) FROM u WHERE u MATCH ?{cond}", (match,)).fetchone()[0]
        rows = db.execute(
            "SELECT rowid, kind, date, snippet(u, 0, '<mark>', '</mark>', '…', 24) "
            f"FROM u WHERE u MATCH ?{cond} ORDER BY {order} LIMIT 10",
            (match,),
        ).fetchall()
        return total, rows

    all_ms: list[float] = []
    per = []
    for q in QUERIES:
        total, _ = run(q)
        ms = []
        for _ in range(repeat):
            t1 = time.perf_counter()
            run(q)
            ms.append((time.perf_counter() - t1) * 1000)
        all_ms += ms
        per.append(
            {
                "label": q.label,
                "fts": q.fts,
                "total": total,
                "median_ms": round(statistics.median(ms), 2),
            }
        )
    return {
        "units": len(units),
        "build_s": round(build_s, 2),
        "latency": summary(all_ms),
        "queries": per,
    }


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=1000)
    ap.add_argument("--small", action="store_true", help="100 meetings, 2 repeats (CI)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--workdir", help="keep minutes and data here (default: a temp dir)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON ('-' = stdout)")
    ap.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 reference")
    ap.add_argument("--data", metavar="DIR", help="the data directory (default: WORKDIR/data)")
    ap.add_argument(
        "--skip-ingest",
        action="store_true",
        help="search the existing --data directory (no generating, no ingest)",
    )
    args = ap.parse_args(argv)
    if args.small:
        args.meetings, args.repeat = 100, 2

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if args.skip_ingest and not args.data:
        ap.error("--skip-ingest needs --data DIR")
    tmp = None
    if args.skip_ingest:
        work = Path(args.data)
    elif args.workdir:
        work = Path(args.workdir)
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="govkg-search-bench-")
        work = Path(tmp.name)
    minutes = work / "minutes"
    data = Path(args.data) if args.data else work / "data"
    result: dict[str, Any] = {
        "meetings": args.meetings,
        "seed": args.seed,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    try:
        if args.skip_ingest:
            result.update(generate_s=0.0, minutes_mb=0.0, bodies=0, ingest=None)
            log(f"searching the existing data directory {data} (no ingest)")
        else:
            t0 = time.perf_counter()
            infos = synthetic_minutes.generate(minutes, args.meetings, args.seed)
            result["generate_s"] = round(time.perf_counter() - t0, 2)
            result["minutes_mb"] = round(du(minutes) / 2**20, 2)
            result["bodies"] = len({i.body for i in infos})
            log(
                f"generated {len(infos)} minutes ({result['bodies']} bodies) "
                f"in {result['generate_s']} s"
            )

            log("ingesting ...")
            ing = ingest(minutes, data, log)
            store = ing.pop("store")
            result["ingest"] = ing
            store.close()

        from kg.store import Store

        store = Store(data, read_only=True)
        result["sizes_bytes"] = {
            "store": du(data / "oxigraph"),
            "index": du(data / "index"),
            "sources": du(data / "sources"),
        }
        ix, run, api = open_search(store)
        result["search_api"] = api
        result["index_units"] = ix.unit_count()
        log(f"searching ({len(QUERIES)} queries x {args.repeat}) with {api} ...")
        ms, rows = time_queries(run, args.repeat, ())
        result["search"] = summary(ms)
        result["queries"] = rows
        facets = ("year", "body", "meeting", "speaker", "topic", "place", "kind")
        ms_f, rows_f = time_queries(run, args.repeat, facets)
        result["search_facets"] = summary(ms_f)
        for r, rf in zip(rows, rows_f, strict=True):
            r["median_ms_facets"] = rf["median_ms"]
        if not args.no_fts:
            result["fts5"] = fts_reference(ix, args.repeat, log)
        ix.close()
        store.close()
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    finally:
        if tmp is not None:
            tmp.cleanup()

    print_report(result)
    if args.json:
        text = json.dumps(result, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    ok = not (result["ingest"] or {}).get("failed_count")
    return 0 if ok else 1


def print_report(r: dict[str, Any]) -> None:
    ing = r["ingest"]
    if ing is None:
        print(
            f"govkg search benchmark: an existing data directory (no ingest), "
            f"Python {r['machine']['python']}, {r['machine']['cpus']} CPUs"
        )
        print()
    else:
        sp = ing["split_s"]
        print(
            f"govkg search benchmark: {r['meetings']:,} synthetic meetings "
            f"({r['bodies']} bodies), seed {r['seed']}, Python {r['machine']['python']}, "
            f"{r['machine']['cpus']} CPUs"
        )
        print()
        print(
            f"ingest      {ing['documents']:,} documents in {ing['seconds']:.1f} s = "
            f"{ing['docs_per_s']:.1f} docs/s  ({ing['failed_count']} failed, "
            f"{ing['triples']:,} triples)"
        )
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in sp.items())
        print(f"  split     {parts}")
        if "index_rebuild_s" in ing:
            print(f"  index     built after ingest by open_index(): {ing['index_rebuild_s']:.1f} s")
    s = r["sizes_bytes"]
    print(
        f"on disk     store {mb(s['store'])}, index {mb(s['index'])}, sources {mb(s['sources'])} "
        f"(minutes generated: {r['minutes_mb']:.1f} MB)"
    )
    print(f"index       {r['index_units']:,} units   (search via {r['search_api']})")
    print()
    print(
        f"{'query':<18}{'govkg query':<36}{'total':>8}{'shown':>6}{'ms':>8}{'+facets':>9}{'fts5 total':>11}{'fts5 ms':>9}"
    )
    fts = {q["label"]: q for q in r.get("fts5", {}).get("queries", [])}
    for q in r["queries"]:
        f = fts.get(q["label"], {})
        total = "-" if q["total"] is None else f"{q['total']:,}"
        print(
            f"{q['label']:<18}{q['query'][:35]:<36}{total:>8}{q['shown']:>6}{q['median_ms']:>8.1f}"
            f"{q['median_ms_facets']:>9.1f}{f.get('total', ''):>11}{f.get('median_ms', float('nan')):>9.2f}"
        )
    errors = [q for q in r["queries"] if q.get("error")]
    for q in errors:
        print(f"ERROR {q['label']} ({q['query']}, sort={q['sort']}): {q['error']}")
    print()
    print(f"{'latency (top 10 + snippets)':<34}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    rows = [("govkg (Whoosh)", r["search"]), ("govkg (Whoosh) + all facets", r["search_facets"])]
    if "fts5" in r:
        rows.append((f"SQLite FTS5 ({r['fts5']['units']:,} units)", r["fts5"]["latency"]))
    for name, lat in rows:
        print(f"{name:<34}{lat['p50_ms']:>8.1f}{lat['p95_ms']:>8.1f}{lat['max_ms']:>8.1f}")
    if "fts5" in r:
        print(f"(FTS5 build: {r['fts5']['build_s']:.1f} s in memory)")
    print(f"peak RSS {r['peak_rss_mb']:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
