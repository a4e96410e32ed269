"""Issue 8's growth curve: linking, network views and SPARQL from 1,000 to 50,000 meetings.

    python bench/growth_bench.py --sizes 1000 10000 --workdir /tmp/growth --json g.json
    nice -n 5 python bench/growth_bench.py --sizes 50000 --workdir /tmp/growth --json g50k.json
    python bench/growth_bench.py --small          # 200 and 1,000 meetings, short runs (CI)
    python bench/growth_bench.py --verify 200     # the fast route against `govkg ingest`

For each size the bench builds a data directory by the FAST ROUTE, which makes the same
store as `govkg ingest` without the search index:

- the minutes come from bench/synthetic_minutes.py (kept in WORKDIR/minutes-N and reused
  while the count matches). The generator plans up to 132 bodies (about 12 meetings
  each up to 1,584 meetings); above that it adds meetings to each body's series, so
  10,000 is ~76 and 50,000 ~379 meetings per series: the table says so, because the
  follow-up linking works series by series;
- extraction is kg.pipeline's own `Extractor` (a pool of `--jobs` processes running
  ingest's extraction and kg.build.record_to_quads, in input order), and the documents
  are written as `Store.write_document` writes a new path (the graph's quads plus the
  same triples in the default graph, the union), but many documents per `load` instead
  of one, with the source copies and the derive marker as ingest makes them;
- the derive pass is kg.pipeline.derive_graphs, called as `ingest_paths` calls it after
  a batch (the added documents' sha256s): identity and follow-up linking are timed apart
  (their reports' own seconds);
- skipped: the Whoosh search index (not read by linking, network views or SPARQL, except
  the one example query that uses text:search, marked "no index" in the table), and the
  store compaction ingest ends with (RocksDB compacts in the background).

`--verify N` checks the claim: N generated meetings through `govkg ingest` and through
the fast route, then every quad of both stores (documents, derived graphs, the default
graph) compared.

Then, read-only, as the web app does: the network views (kg.networks `build` of every
kind, `centrality` by every measure and `communities`: what /network computes for a
kind), and each example SPARQL query p50/p95 over HTTP (bench/scale_bench.py
`sparql_step`). One table at the end: a column per size, and the growth of each time
between consecutive sizes against the growth of the data (ratio of times / ratio of
meetings: ~1 is linear, well above 1 super-linear; for query latency "flat" is a time
ratio near 1).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402
import scale_bench  # noqa: E402
import synthetic_minutes  # noqa: E402

from kg import networks  # noqa: E402
from kg.pipeline import DERIVE_MARKER, Extractor, derive_graphs, expand_paths  # noqa: E402
from kg.store import Store  # noqa: E402

LOAD_BATCH = 200
"""Documents per store `load` in the fast route."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --------------------------------------------------------------------------- minutes


def minutes_dir(work: Path, meetings: int, seed: int, bodies: int | None = None) -> Path:
    """WORKDIR/minutes-N (-bB with `bodies`), generated unless it holds N files already."""
    folder = work / (f"minutes-{meetings}" + (f"-b{bodies}" if bodies else ""))
    have = len(expand_paths([folder])) if folder.is_dir() else 0
    if have != meetings:
        if folder.is_symlink():
            raise SystemExit(f"{folder}: a link to {have} files, not {meetings}")
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        synthetic_minutes.generate(folder, meetings, seed, bodies)
        log(f"generated {meetings} minutes in {time.perf_counter() - t0:.1f} s")
    return folder


def series_lengths(files: list[Path]) -> dict[str, Any]:
    """Meetings per body (the generator's file names are BODY_DATE.ext)."""
    per = Counter(f.name.rsplit("_", 1)[0] for f in files)
    counts = sorted(per.values())
    return {
        "bodies": len(per),
        "per_series_mean": round(sum(counts) / max(1, len(counts)), 1),
        "per_series_max": counts[-1] if counts else 0,
    }


# --------------------------------------------------------------------------- the fast route


def fast_build(files: list[Path], data: Path, jobs: int) -> dict[str, Any]:
    """The documents of `files` into a new store at `data`, as `govkg ingest` writes
    them (see the module docstring); the derive pass is not run. Returns the added
    documents' sha256s (in input order) and the timings."""
    if data.exists():
        shutil.rmtree(data)
    t0 = time.perf_counter()
    shas: list[str] = []
    seen: set[str] = set()
    failed: list[str] = []
    load_s = 0.0
    with Store(data) as store:
        marker = store.path / DERIVE_MARKER  # ingest writes it before the first document
        marker.write_text("documents changed; the next ingest recomputes the derived graphs\n")
        batch: list[str] = []

        def flush() -> None:
            nonlocal load_s
            if batch:
                t = time.perf_counter()
                store.store.load("".join(batch).encode("utf-8"), format=_nquads())
                load_s += time.perf_counter() - t
                batch.clear()

        with Extractor(store, jobs) as extractor:
            for i, (path, got) in enumerate(extractor.run(files), 1):
                if isinstance(got, str):
                    failed.append(f"{path}: {got}")
                    continue
                if got is None or got.sha in seen:  # the same bytes as an earlier file
                    continue
                seen.add(got.sha)
                shas.append(got.sha)
                store.save_source(path.resolve(), got.sha)
                graph = f" <{_doc_iri(got.sha)}> .\n"
                batch.append("".join(t[:-3] + graph for t in got.triples))
                batch.append("".join(got.triples))
                if len(batch) >= 2 * LOAD_BATCH:
                    flush()
                if i % 5000 == 0:
                    log(f"  {i} files, {time.perf_counter() - t0:.0f} s, load {loadavg()}")
        flush()
        store.flush()
    return {
        "shas": shas,
        "failed": failed,
        "build_s": round(time.perf_counter() - t0, 2),
        "store_load_s": round(load_s, 2),
    }


def _nquads() -> Any:
    import pyoxigraph as ox

    return ox.RdfFormat.N_QUADS


def _doc_iri(sha: str) -> str:
    from kg import iris

    return str(iris.document_iri(sha).value)


def _cpu_timed(module: Any, name: str, spent: dict[str, float]) -> Any:
    """Replace module.name by a wrapper adding its CPU seconds (this process: the store's
    query evaluation runs in the calling thread) to spent[name]; returns the original.
    On a shared machine CPU time is steadier than wall time."""
    original = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - t

    setattr(module, name, timed)
    return original


def derive(data: Path, shas: list[str]) -> dict[str, Any]:
    """kg.pipeline.derive_graphs as ingest_paths calls it after a batch of new documents."""
    from kg import identity, ledger

    cpu: dict[str, float] = {}
    originals = [
        (identity, "refresh", _cpu_timed(identity, "refresh", cpu)),
        (ledger, "link_store", _cpu_timed(ledger, "link_store", cpu)),
    ]
    try:
        with Store(data) as store:
            t = time.process_time()
            report = derive_graphs(store, shas, ())
            cpu["derive"] = time.process_time() - t
            quads = store.document_quads()
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    out = {
        "derive_cpu_s": round(cpu["derive"], 2),
        "identity_cpu_s": round(cpu.get("refresh", 0.0), 2),
        "linking_cpu_s": round(cpu.get("link_store", 0.0), 2),
        "derive_s": round(report.seconds, 2),
        "identity_s": round(report.identity.seconds, 2) if report.identity else None,
        "linking_s": round(report.links.seconds, 2) if report.links else None,
        "series": report.links.series if report.links else 0,
        "actions": report.links.actions if report.links else 0,
        "links": len(report.links.links) if report.links else 0,
        "errors": report.errors,
        "quads": quads,
    }
    return out


# --------------------------------------------------------------------------- verify


def _quads_of(data: Path) -> set[str]:
    """Every quad of the store (named graphs and the default graph) as N-Quads text."""
    with Store(data, read_only=True) as store:
        return {str(q) for q in store.store}


def verify(work: Path, meetings: int, seed: int, jobs: int) -> dict[str, Any]:
    """`govkg ingest` and the fast route over the same minutes: the same quads?"""
    files_dir = minutes_dir(work, meetings, seed)
    files = expand_paths([files_dir])
    ingested, fast = work / f"verify-ingest-{meetings}", work / f"verify-fast-{meetings}"
    shutil.rmtree(ingested, ignore_errors=True)
    t0 = time.perf_counter()
    cmd = scale_bench.govkg_cmd() + ["--data", str(ingested), "ingest", str(files_dir)]
    subprocess.run([*cmd, "--jobs", str(jobs)], check=True, capture_output=True)
    ingest_s = time.perf_counter() - t0
    built = fast_build(files, fast, jobs)
    derived = derive(fast, built["shas"])
    a, b = _quads_of(ingested), _quads_of(fast)
    sources_a = sorted(p.name for p in (ingested / "sources").iterdir())
    sources_b = sorted(p.name for p in (fast / "sources").iterdir())
    out = {
        "meetings": meetings,
        "quads_ingest": len(a),
        "quads_fast": len(b),
        "only_ingest": sorted(a - b)[:5],
        "only_fast": sorted(b - a)[:5],
        "same": a == b and sources_a == sources_b,
        "ingest_s": round(ingest_s, 1),
        "fast_s": round(built["build_s"] + derived["derive_s"], 1),
    }
    log(
        f"verify {meetings}: govkg ingest {len(a)} quads, fast route {len(b)} quads: "
        + ("the same" if out["same"] else f"DIFFERENT {out['only_ingest']} {out['only_fast']}")
    )
    shutil.rmtree(ingested, ignore_errors=True)
    shutil.rmtree(fast, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- network views


def network_views(data: Path, out: dict[str, Any], save: Any = None) -> dict[str, Any]:
    """What /network computes for each kind (the graph, every centrality measure, the
    communities) and the node labels, timed per kind, the store opened read-only."""
    with Store(data, read_only=True) as store:
        t = time.perf_counter()
        networks.node_labels(store)
        out["labels_ms"] = round((time.perf_counter() - t) * 1000, 1)
        for kind in networks.KINDS:
            row: dict[str, Any] = {}
            cpu = time.process_time()
            t = time.perf_counter()
            g = networks.build(store, kind)
            row["build_ms"] = round((time.perf_counter() - t) * 1000, 1)
            row["nodes"], row["edges"] = g.number_of_nodes(), g.number_of_edges()
            for by in networks.MEASURES:
                t = time.perf_counter()
                networks.centrality(g, by)
                row[f"{by}_ms"] = round((time.perf_counter() - t) * 1000, 1)
            t = time.perf_counter()
            networks.communities(g)
            row["communities_ms"] = round((time.perf_counter() - t) * 1000, 1)
            row["total_ms"] = round(
                sum(v for k, v in row.items() if k.endswith("_ms") and k != "total_ms"), 1
            )
            row["cpu_ms"] = round((time.process_time() - cpu) * 1000, 1)
            out[kind] = row
            log(
                f"  network {kind}: {row['nodes']} nodes, {row['edges']} edges, "
                f"{row['total_ms']:.0f} ms (build {row['build_ms']:.0f})"
            )
            if save is not None:
                save()
    return out


# --------------------------------------------------------------------------- one size


def run_size(
    args: argparse.Namespace, work: Path, meetings: int, r: dict[str, Any], save: Any
) -> None:
    """Measure one size into `r`, calling `save()` after each step."""
    r.update({"meetings": meetings, "load_before": loadavg()})
    folder = minutes_dir(work, meetings, args.seed, args.bodies)
    files = expand_paths([folder])
    r.update(series_lengths(files))
    data = work / f"data-{meetings}"
    copy = dict(args.from_data or {}).get(meetings)
    if copy:
        log(f"[{meetings}] copying {copy} (made by govkg ingest of the same minutes) ...")
        t0 = time.perf_counter()
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(copy, data, ignore=shutil.ignore_patterns("index", "lock"))
        with Store(data) as store:
            shas = _stored_shas(store)
            # the state a fresh ingest's derive pass starts from: no derived graph, no
            # identity series table (else identity takes its incremental path and every
            # graph write first deletes the old graph)
            for g in store.derived_graphs():
                store.replace_graph(ox.NamedNode(g), [])
            (data / "identity-series.json").unlink(missing_ok=True)
            (data / DERIVE_MARKER).write_text("documents changed\n")
        r.update({"build_s": None, "copied_from": str(copy), "failed": 0})
        r["copy_s"] = round(time.perf_counter() - t0, 1)
    else:
        log(f"[{meetings}] fast build of {len(files)} files, {args.jobs} jobs ...")
        built = fast_build(files, data, args.jobs)
        r.update({k: v for k, v in built.items() if k not in ("shas", "failed")})
        r["failed"] = len(built["failed"])
        shas = built["shas"]
        log(f"[{meetings}] built in {built['build_s']} s, load {loadavg()}; derive pass ...")
    save()
    r.update(derive(data, shas))
    save()
    log(
        f"[{meetings}] derive {r['derive_s']} s (identity {r['identity_s']}, "
        f"linking {r['linking_s']}); network views ..."
    )
    r["store_mb"] = round(sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 2**20)
    if args.derive_only:
        r["load_after"] = loadavg()
        save()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        return
    r["networks"] = {}
    network_views(data, r["networks"], save)
    if not args.no_sparql:
        ns = argparse.Namespace(small=args.small, repeat=args.repeat, peers=False)
        r["sparql"] = scale_bench.sparql_step(data, ns)["queries"]
    r["load_after"] = loadavg()
    save()
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)


def _stored_shas(store: Store) -> list[str]:
    _, rows = store.select(
        "SELECT ?sha WHERE { GRAPH ?g { ?g a gkg:SourceDocument ; gkg:sha256 ?sha } }"
    )
    return sorted(str(r["sha"]) for r in rows)


# --------------------------------------------------------------------------- the table


def _per_meeting(r: dict[str, Any], key: str) -> float | None:
    v = r.get(key) or None
    return round(v * 1000 / r["meetings"], 2) if v is not None else None


def _or_none(get: Any, result: dict[str, Any]) -> Any:
    """get(result), or None where a run stopped before measuring it (a saved partial run)."""
    try:
        return get(result)
    except (KeyError, TypeError):
        return None


def rows_of(results: list[dict[str, Any]], text_search: set[str]) -> list[tuple[str, list[Any]]]:
    """(measure, value per size) for the table and for the growth ratios."""
    rows: list[tuple[str, list[Any]]] = []

    def add(name: str, get: Any) -> None:
        rows.append((name, [_or_none(get, r) for r in results]))

    add("meetings", lambda r: r["meetings"])
    add("bodies (series)", lambda r: r["bodies"])
    add("meetings per series (mean)", lambda r: r["per_series_mean"])
    add("meetings per series (max)", lambda r: r["per_series_max"])
    add("document quads", lambda r: r["quads"])
    add("store on disk MB (no search index)", lambda r: r["store_mb"])
    add("load average before", lambda r: r["load_before"][0])
    add(
        "fast build s (extract + store, no index)",
        lambda r: r["build_s"] if not r.get("copied_from") else "copied: made by govkg ingest",
    )
    add("derive pass s", lambda r: r["derive_s"])
    add("  identity s", lambda r: r["identity_s"])
    add("  follow-up linking s", lambda r: r["linking_s"])
    add("identity ms per meeting", lambda r: _per_meeting(r, "identity_s"))
    add("linking ms per meeting", lambda r: _per_meeting(r, "linking_s"))
    add("derive pass CPU s", lambda r: r.get("derive_cpu_s"))
    add("  identity CPU s", lambda r: r.get("identity_cpu_s"))
    add("  follow-up linking CPU s", lambda r: r.get("linking_cpu_s"))
    add("identity CPU ms per meeting", lambda r: _per_meeting(r, "identity_cpu_s"))
    add("linking CPU ms per meeting", lambda r: _per_meeting(r, "linking_cpu_s"))
    add("actions linked", lambda r: r["actions"])
    if not any("networks" in r for r in results):  # --derive-only
        add("load average after", lambda r: r.get("load_after", [None])[0])
        return rows
    add("node labels ms", lambda r: r.get("networks", {}).get("labels_ms"))
    for kind in networks.KINDS:
        add(f"network {kind} ms (build)", lambda r, k=kind: _net(r, k))
        add(
            f"network {kind} CPU ms",
            lambda r, k=kind: r.get("networks", {}).get(k, {}).get("cpu_ms"),
        )
    if any("sparql" in r for r in results):
        names = sorted({q for r in results for q in r.get("sparql", {})})
        for q in names:
            label = f"query {q} p95 ms" + (" (text:search, no index)" if q in text_search else "")
            add(label, lambda r, q=q: _p95(r, q))
    add("load average after", lambda r: r.get("load_after", [None])[0])
    return rows


def _net(r: dict[str, Any], kind: str) -> str | None:
    n = r.get("networks", {}).get(kind)
    return f"{n['total_ms']:.0f} ({n['build_ms']:.0f})" if n else None


def _p95(r: dict[str, Any], q: str) -> Any:
    row = r.get("sparql", {}).get(q)
    if row is None:
        return None
    return row["p95_ms"] if row["error"] is None else row["error"][:12]


def _number(v: Any) -> float | None:
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and v.split(" ")[0].replace(".", "").isdigit():
        return float(v.split(" ")[0])
    return None


GROWTH_SKIP = ("load average",)


def growth(results: list[dict[str, Any]], rows: list[tuple[str, list[Any]]]) -> list[list[Any]]:
    """For each pair of consecutive sizes, each measure's ratio (bigger / smaller): the
    data grew by the meetings' ratio, so linear is that ratio, flat is 1."""
    out = []
    for name, values in rows:
        if name.startswith(GROWTH_SKIP):
            out.append([None] * (len(values) - 1))
            continue
        cells = []
        for i in range(1, len(values)):
            a, b = _number(values[i - 1]), _number(values[i])
            cells.append(round(b / a, 2) if a and b is not None else None)
        out.append(cells)
    return out


def table(results: list[dict[str, Any]], text_search: set[str]) -> str:
    rows = rows_of(results, text_search)
    ratios = growth(results, rows)
    sizes = [r["meetings"] for r in results]
    head = ["measure"] + [f"{s:,}" for s in sizes]
    head += [f"ratio {sizes[i]:,} / {sizes[i - 1]:,}" for i in range(1, len(sizes))]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (name, values), ratio in zip(rows, ratios, strict=True):
        cells = [name] + ["" if v is None else f"{v}" for v in values]
        cells += ["" if x is None else f"{x}" for x in ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _size_dir(text: str) -> Any:
    return int(text) if text.isdigit() else Path(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    ap.add_argument("--small", action="store_true", help="200 and 1,000 meetings, 2 runs (CI)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workdir", help="minutes and data directories (default: a temp dir)")
    ap.add_argument(
        "--bodies",
        type=int,
        help="generate the minutes of this many bodies (synthetic_minutes --bodies): the "
        "series grow with the size instead of the number of bodies",
    )
    ap.add_argument("--jobs", type=int, default=2, help="extraction processes")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--no-sparql", action="store_true", help="skip the example queries")
    ap.add_argument(
        "--derive-only", action="store_true", help="build and derive: no network views, no SPARQL"
    )
    ap.add_argument("--verify", type=int, metavar="N", help="compare with govkg ingest on N")
    ap.add_argument("--keep", action="store_true", help="keep the data directories")
    ap.add_argument(
        "--from-data",
        nargs=2,
        action="append",
        metavar=("N", "DIR"),
        type=_size_dir,
        help="for size N, copy DIR (a data dir `govkg ingest` made of the same N "
        "generated minutes) instead of building; the derive pass still runs",
    )
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    ap.add_argument(
        "--table",
        nargs="+",
        metavar="JSON",
        help="print the table of results saved by earlier runs (--json), sizes merged",
    )
    args = ap.parse_args(argv)
    if args.table:
        saved = [json.loads(Path(p).read_text()) for p in args.table]
        merged = {"machine": saved[0]["machine"], "sizes": []}
        for one in saved:
            merged["sizes"] += [r for r in one["sizes"] if "derive_s" in r]
            merged.setdefault("verify", one.get("verify"))
        merged["sizes"].sort(key=lambda r: r["meetings"])
        return report(merged, args.jobs)
    if args.small:
        args.sizes, args.repeat = [200, 1000], 2
    tmp = None
    if args.workdir:
        work = Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="govkg-growth-")
        work = Path(tmp.name)
    out: dict[str, Any] = {"machine": scale_bench.machine(), "sizes": []}
    try:
        if args.verify:
            out["verify"] = verify(work, args.verify, args.seed, args.jobs)

        def save() -> None:  # the numbers so far, in case a bigger size does not finish
            if args.json:
                Path(args.json).write_text(json.dumps(out, indent=1))

        for n in args.sizes:
            r: dict[str, Any] = {}
            out["sizes"].append(r)
            run_size(args, work, n, r, save)
    finally:
        if tmp is not None:
            tmp.cleanup()
    out["machine"]["load_after"] = loadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return report(out, args.jobs)


def report(out: dict[str, Any], jobs: int) -> int:
    """Print the machine, the verification and the table; 1 if a file failed."""
    text_search = {q.name for q in scale_bench.sparql_bench.bench_queries() if q.text_search}
    m = out["machine"]
    print(
        f"{m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB; load average "
        f"{m['load_before']} before, {m.get('load_after')} after; jobs {jobs}"
    )
    if out.get("verify"):
        v = out["verify"]
        print(
            f"fast route vs govkg ingest on {v['meetings']} meetings: {v['quads_ingest']} / "
            f"{v['quads_fast']} quads, " + ("the same" if v["same"] else "DIFFERENT")
        )
    if out["sizes"]:
        print(table(out["sizes"], text_search))
        print(
            "ratio columns: each measure at the bigger size over the smaller (the meetings' "
            "ratio is the data's growth: a time growing linearly has that ratio, a flat one 1);"
            " network cells: all /network computes for the kind (the graph, 4 centralities, "
            "communities) ms, the graph's build alone in brackets"
        )
    return 0 if all(not r["failed"] for r in out["sizes"]) else 1


if __name__ == "__main__":
    sys.exit(main())
