"""Embedded RDF store benchmark for govkg.

Compares, on a synthetic govkg-shaped N-Quads dataset (bench/synthetic_graph.py):

  rdflib-memory      rdflib Dataset(default_union=True), Memory store, parse(format="nquads")
  oxrdflib-disk      rdflib Dataset(store="Oxigraph", default_union=True) opened on disk,
                     parse(format="ox-nquads", transactional=False)  (bulk load)
  pyox-bulk          pyoxigraph Store(path).bulk_load(path=..., format=N_QUADS)
  pyox-extend        pyoxigraph Store(path).extend(quads) once per document graph
                     (one transaction per document, as govkg ingests)
  rdflib-bdb         rdflib BerkeleyDB store (only if the berkeleydb module is importable)

Every backend runs in a fresh subprocess so peak RSS (ru_maxrss) is its own.
Measured: load seconds, peak RSS, disk size, reopen seconds (on-disk stores), median
latency of the three README queries over the union of the named graphs, and (pyoxigraph
backends) the time to replace one document graph atomically.

Usage:
    python bench/store_bench.py                    # sizes 100000 1000000
    python bench/store_bench.py --small            # 20000 (CI)
    python bench/store_bench.py --sizes 100000 --backends pyox-bulk pyox-extend
    python bench/store_bench.py --json results.json   # also write JSON ('-' = stdout)

Temporary data and stores live in bench/out/ (gitignored) and are removed afterwards
unless --keep is given.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import synthetic_graph  # noqa: E402

BACKENDS = ["rdflib-memory", "oxrdflib-disk", "pyox-bulk", "pyox-extend", "rdflib-bdb"]

PREFIXES = """PREFIX gkg: <https://w3id.org/govkg/ns#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# Q1: who committed to what, for whom, by when, raised at which meeting.
Q1 = PREFIXES + """SELECT DISTINCT ?action ?ownerName ?owedToName ?due ?meetingDate WHERE {
  ?action a gkg:Action ;
          gkg:owner ?owner ;
          gkg:owedTo ?owedTo ;
          gkg:due ?due ;
          gkg:raisedAt ?meeting .
  ?owner foaf:name ?ownerName .
  ?owedTo foaf:name ?owedToName .
  ?meeting dcterms:date ?meetingDate .
}
ORDER BY ?due ?action"""

# Q2: statements per speaker, top 10.
Q2 = PREFIXES + """SELECT ?speaker ?name (COUNT(DISTINCT ?st) AS ?statements) WHERE {
  ?st a gkg:Statement ;
      gkg:speaker ?speaker .
  ?speaker foaf:name ?name .
}
GROUP BY ?speaker ?name
ORDER BY DESC(?statements) ?name
LIMIT 10"""

# Q3: meetings attended by one person, with dates.  %s = the person's name.
Q3 = PREFIXES + """SELECT DISTINCT ?meeting ?date WHERE {
  ?person foaf:name "%s" .
  ?meeting gkg:attendee ?person ;
           dcterms:date ?date .
}
ORDER BY ?date"""

# Q1g: Q1 with GRAPH ?g - owner/owed-to names and meeting date from the same document
# graph as the action. Same answers on govkg data (every document graph describes the
# people it mentions); avoids the multiset union default graph of Oxigraph (see docs/store.md).
Q1G = PREFIXES + """SELECT DISTINCT ?action ?ownerName ?owedToName ?due ?meetingDate WHERE {
  GRAPH ?g {
    ?action a gkg:Action ;
            gkg:owner ?owner ;
            gkg:owedTo ?owedTo ;
            gkg:due ?due ;
            gkg:raisedAt ?meeting .
    ?owner foaf:name ?ownerName .
    ?owedTo foaf:name ?owedToName .
    ?meeting dcterms:date ?meetingDate .
  }
}
ORDER BY ?due ?action"""

PROBE = "ASK { ?s ?p ?o }"


# --------------------------------------------------------------------------- helpers


def rss_mb() -> float:
    """Peak RSS of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total / 1e6


def digest(rows: list[tuple[str, ...]]) -> str:
    h = hashlib.sha1()
    for r in sorted(rows):
        h.update("\x1f".join(r).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:12]


class QueryTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise QueryTimeout()


def time_query(run: Callable[[], list[tuple[str, ...]]], runs: int, budget_s: float) -> dict[str, Any]:
    """Median of `runs` runs. Each run is interrupted after budget_s (SIGALRM: pyoxigraph
    checks Python signals while it evaluates, rdflib is Python). A run slower than
    budget_s/3 is not repeated."""
    times: list[float] = []
    rows: list[tuple[str, ...]] = []
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, budget_s)
            try:
                rows = run()
            except QueryTimeout:
                return {"timeout_s": budget_s, "median_s": None, "n": 0, "rows": None}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t0)
            if times[-1] > budget_s / 3:
                break  # too slow to repeat; reported with its run count
    finally:
        signal.signal(signal.SIGALRM, old)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "n": len(times),
        "rows": len(rows),
        "digest": digest(rows),
        "first": list(rows[0]) if rows else None,
    }


class Progress:
    """Write partial results after every step so a timed-out worker still reports."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {}

    def set(self, **kw: Any) -> None:
        self.data.update(kw)
        self.data["peak_rss_mb"] = rss_mb()
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data))
        tmp.replace(self.path)


# --------------------------------------------------------------------------- workers


def _queries(args: argparse.Namespace) -> dict[str, str]:
    qs = {"Q1": Q1, "Q2": Q2, "Q3": Q3 % synthetic_graph.top_person(args.size), "Q1g": Q1G}
    return {k: v for k, v in qs.items() if k not in (args.skip_queries or [])}


def worker_rdflib(args: argparse.Namespace, p: Progress, kind: str) -> None:
    from rdflib import Dataset

    store_dir = Path(args.workdir) / "store"
    t0 = time.perf_counter()
    if kind == "memory":
        ds = Dataset(default_union=True)
        ds.parse(args.data, format="nquads")
    elif kind == "oxigraph":
        ds = Dataset(store="Oxigraph", default_union=True)
        ds.open(str(store_dir), create=True)
        ds.parse(args.data, format="ox-nquads", transactional=False)
    else:  # berkeleydb
        ds = Dataset(store="BerkeleyDB", default_union=True)
        ds.open(str(store_dir), create=True)
        ds.parse(args.data, format="nquads")
        ds.commit()
    load_s = time.perf_counter() - t0
    p.set(load_s=load_s, peak_rss_after_load_mb=rss_mb())

    if kind != "memory":
        ds.close()
        del ds
        gc.collect()
        p.set(disk_mb=dir_mb(store_dir))
        t0 = time.perf_counter()
        store = "Oxigraph" if kind == "oxigraph" else "BerkeleyDB"
        ds = Dataset(store=store, default_union=True)
        ds.open(str(store_dir), create=False)
        bool(ds.query(PROBE))
        p.set(reopen_s=time.perf_counter() - t0)

    def runner(q: str) -> Callable[[], list[tuple[str, ...]]]:
        return lambda: [tuple("" if v is None else str(v) for v in row) for row in ds.query(q)]

    qres = {}
    for name, q in _queries(args).items():
        qres[name] = time_query(runner(q), args.runs, args.query_budget)
        p.set(queries=qres)
    if kind != "memory":
        ds.close()


def _graph_quads(store: Any, g: Any) -> list[Any]:
    return list(store.quads_for_pattern(None, None, None, g))


def _nq_term(t: Any) -> str:
    return str(t)  # pyoxigraph terms print as N-Triples


def worker_pyox(args: argparse.Namespace, p: Progress, mode: str) -> None:
    import pyoxigraph as ox

    store_dir = Path(args.workdir) / "store"
    t0 = time.perf_counter()
    store = ox.Store(str(store_dir))
    if mode == "bulk":
        store.bulk_load(path=args.data, format=ox.RdfFormat.N_QUADS)
    else:
        # one transaction (Store.extend) per document graph, as govkg ingests documents
        batch: list[Any] = []
        current = None
        for quad in ox.parse(path=args.data, format=ox.RdfFormat.N_QUADS):
            if quad.graph_name != current and batch:
                store.extend(batch)
                batch = []
            current = quad.graph_name
            batch.append(quad)
        if batch:
            store.extend(batch)
    store.flush()
    load_s = time.perf_counter() - t0
    p.set(load_s=load_s, peak_rss_after_load_mb=rss_mb(), disk_mb_before_optimize=dir_mb(store_dir))
    t0 = time.perf_counter()
    store.optimize()
    p.set(optimize_s=time.perf_counter() - t0)
    del store
    gc.collect()
    p.set(disk_mb=dir_mb(store_dir))

    t0 = time.perf_counter()
    store = ox.Store(str(store_dir))
    bool(store.query(PROBE))
    p.set(reopen_s=time.perf_counter() - t0)

    def val(t: Any) -> str:
        return "" if t is None else t.value

    def runner(q: str) -> Callable[[], list[tuple[str, ...]]]:
        return lambda: [tuple(val(v) for v in row) for row in store.query(q, use_default_graph_as_union=True)]

    qres = {}
    for name, q in _queries(args).items():
        qres[name] = time_query(runner(q), args.runs, args.query_budget)
        p.set(queries=qres)

    # ---- replace one document graph (what re-ingesting a changed file does)
    graphs = list(store.named_graphs())
    graphs.sort(key=lambda g: g.value)
    g = graphs[len(graphs) // 2]
    old = _graph_quads(store, g)
    gkg_text = ox.NamedNode("https://w3id.org/govkg/ns#text")

    def new_version(tag: str) -> list[Any]:
        out = []
        for q in old:
            o = q.object
            if q.predicate == gkg_text:
                o = ox.Literal(o.value + " (" + tag + ")")
            out.append(ox.Quad(q.subject, q.predicate, o, g))
        return out

    # (a) atomic: one SPARQL Update request = one transaction (DROP GRAPH + INSERT DATA)
    times_a = []
    for i in range(3):
        quads = new_version(f"a{i}")
        body = "\n".join(f"{_nq_term(q.subject)} {_nq_term(q.predicate)} {_nq_term(q.object)} ." for q in quads)
        upd = f"DROP SILENT GRAPH {_nq_term(g)} ;\nINSERT DATA {{ GRAPH {_nq_term(g)} {{\n{body}\n}} }}"
        t0 = time.perf_counter()
        store.update(upd)
        times_a.append(time.perf_counter() - t0)
    n_after_a = len(_graph_quads(store, g))
    # (b) two transactions: remove_graph then extend (NOT atomic across the two calls)
    times_b = []
    for i in range(3):
        quads = new_version(f"b{i}")
        t0 = time.perf_counter()
        store.remove_graph(g)
        store.extend(quads)
        times_b.append(time.perf_counter() - t0)
    n_after_b = len(_graph_quads(store, g))
    p.set(
        replace={
            "graph_quads": len(old),
            "update_drop_insert_s": statistics.median(times_a),
            "remove_graph_extend_s": statistics.median(times_b),
            "quads_after": [n_after_a, n_after_b],
        }
    )
    # read-only open of a consistent copy (Store.backup, hard links) for a reader process
    t0 = time.perf_counter()
    snap = Path(args.workdir) / "snapshot"
    store.backup(str(snap))
    backup_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ro = ox.Store.read_only(str(snap))
    bool(ro.query(PROBE))
    p.set(backup_s=backup_s, read_only_open_s=time.perf_counter() - t0)
    del ro, store


def worker_main(args: argparse.Namespace) -> int:
    p = Progress(Path(args.result))
    p.set(backend=args.worker, size=args.size, status="running")
    b = args.worker
    if b == "rdflib-memory":
        worker_rdflib(args, p, "memory")
    elif b == "oxrdflib-disk":
        worker_rdflib(args, p, "oxigraph")
    elif b == "rdflib-bdb":
        worker_rdflib(args, p, "bdb")
    elif b == "pyox-bulk":
        worker_pyox(args, p, "bulk")
    elif b == "pyox-extend":
        worker_pyox(args, p, "extend")
    else:
        raise SystemExit(f"unknown backend {b}")
    p.set(status="ok")
    return 0


# --------------------------------------------------------------------------- parent


def bdb_available() -> bool:
    try:
        import berkeleydb  # noqa: F401
    except ImportError:
        try:
            import bsddb3  # noqa: F401
        except ImportError:
            return False
    return True


def run_backend(backend: str, size: int, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    work = OUT / f"{backend}-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result = work / "result.json"
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--worker", backend, "--size", str(size),
        "--data", str(data), "--workdir", str(work), "--result", str(result),
        "--runs", str(args.runs), "--query-budget", str(args.query_budget),
        "--skip-queries", *args.skip_queries,
    ]
    log = open(work / "worker.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    status = None
    ru = None
    while True:
        pid, st, ru_ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status, ru = st, ru_
            proc.returncode = os.waitstatus_to_exitcode(st)
            break
        if time.perf_counter() - t0 > args.timeout:
            proc.kill()
            _, st, ru = os.wait4(proc.pid, 0)
            status = "timeout"
            break
        time.sleep(0.2)
    log.close()
    out: dict[str, Any] = {"backend": backend, "size": size}
    if result.exists():
        out.update(json.loads(result.read_text()))
    if ru is not None:
        out["peak_rss_mb"] = ru.ru_maxrss / 1024  # from wait4: this child only
    out["wall_s"] = time.perf_counter() - t0
    if status == "timeout":
        out["status"] = f"timeout>{args.timeout:.0f}s"
    elif proc.returncode != 0:
        out["status"] = f"error rc={proc.returncode}"
        out["log_tail"] = (work / "worker.log").read_text()[-2000:]
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return out


def fmt(v: Any, spec: str = ".2f") -> str:
    if v is None:
        return "-"
    if isinstance(v, (int, float)):
        return format(v, spec)
    return str(v)


def fmt_ms(q: dict[str, Any] | None) -> str:
    if not q:
        return "-"
    if q.get("timeout_s"):
        return f">{q['timeout_s']:.0f}s"
    ms = q["median_s"] * 1000
    s = f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"
    return s + ("*" if q["n"] < 5 else "")


def print_table(results: list[dict[str, Any]]) -> None:
    hdr = ["size", "backend", "status", "load s", "peak RSS MB", "disk MB", "reopen s",
           "Q1 ms", "Q2 ms", "Q3 ms", "Q1g ms", "rows Q1/Q2/Q3/Q1g", "replace s (atomic / 2-tx)"]
    rows = []
    for r in results:
        q = r.get("queries", {})
        rep = r.get("replace")
        rows.append([
            str(r["size"]), r["backend"], r.get("status", "?"), fmt(r.get("load_s")),
            fmt(r.get("peak_rss_mb"), ".0f"), fmt(r.get("disk_mb"), ".0f"), fmt(r.get("reopen_s"), ".3f"),
            fmt_ms(q.get("Q1")), fmt_ms(q.get("Q2")), fmt_ms(q.get("Q3")), fmt_ms(q.get("Q1g")),
            "/".join(str(q[k]["rows"]) if k in q and q[k]["rows"] is not None else "-" for k in ("Q1", "Q2", "Q3", "Q1g")),
            f"{rep['update_drop_insert_s']:.3f} / {rep['remove_graph_extend_s']:.3f}" if rep else "-",
        ])
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(hdr)]
    line = " | ".join(h.ljust(w) for h, w in zip(hdr, widths))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))
    print("(query ms = median of the runs; * = fewer runs because a run took > budget/3; "
          ">Ns = interrupted at the per-run budget)")


def check_consistency(results: list[dict[str, Any]]) -> bool:
    ok = True
    for size in sorted({r["size"] for r in results}):
        rs = [r for r in results if r["size"] == size and r.get("queries")]
        rs = [dict(r, queries={k: v for k, v in r["queries"].items() if v.get("rows") is not None}) for r in rs]
        for qn in ("Q1", "Q2", "Q3", "Q1g"):
            got = {(r["queries"][qn]["rows"], r["queries"][qn]["digest"]) for r in rs if qn in r["queries"]}
            counts = ", ".join(f"{r['backend']}={r['queries'][qn]['rows']}" for r in rs if qn in r["queries"])
            same = len(got) <= 1
            ok &= same
            print(f"{size:>8} {qn}: {'identical' if same else 'DIFFERENT'} results ({counts})")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--small", action="store_true", help="CI mode: one size of 20000 quads")
    ap.add_argument("--backends", nargs="+", default=BACKENDS, choices=BACKENDS)
    ap.add_argument("--runs", type=int, default=5, help="query repetitions (median reported)")
    ap.add_argument("--query-budget", type=float, default=60.0,
                    help="per-run query timeout in seconds (runs over a third of it are not repeated)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="per backend and size, seconds")
    ap.add_argument("--json", metavar="FILE", help="also write results as JSON ('-' for stdout)")
    ap.add_argument("--skip-queries", nargs="*", default=[], choices=["Q1", "Q2", "Q3", "Q1g"],
                    help="queries not to run (Q1 over Oxigraph's multiset union graph explodes at 1M)")
    ap.add_argument("--keep", action="store_true", help="keep stores and data in bench/out/")
    # worker (internal)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(args)

    sizes = [20_000] if args.small else args.sizes
    import pyoxigraph
    import rdflib
    try:
        from importlib.metadata import version
        oxrdflib_v = version("oxrdflib")
    except Exception:
        oxrdflib_v = "?"
    env = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()}",
        "rdflib": rdflib.__version__,
        "pyoxigraph": pyoxigraph.__version__,
        "oxrdflib": oxrdflib_v,
    }
    print("env:", ", ".join(f"{k}={v}" for k, v in env.items()), flush=True)
    OUT.mkdir(exist_ok=True)
    results: list[dict[str, Any]] = []
    for size in sizes:
        data = OUT / f"govkg-{size}.nq"
        t0 = time.perf_counter()
        with open(data, "w", encoding="utf-8") as f:
            n = synthetic_graph.write(size, f)
        print(f"generated {n} quads -> {data.name} ({data.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        for b in args.backends:
            if b == "rdflib-bdb" and not bdb_available():
                print(f"{size:>8} {b}: skipped (no berkeleydb/bsddb3 module)", flush=True)
                results.append({"backend": b, "size": size, "status": "skipped (no berkeleydb module)"})
                continue
            r = run_backend(b, size, data, args)
            results.append(r)
            print(f"{size:>8} {b}: {r.get('status')} load={fmt(r.get('load_s'))}s "
                  f"rss={fmt(r.get('peak_rss_mb'), '.0f')}MB wall={r['wall_s']:.0f}s", flush=True)
            if r.get("log_tail"):
                print(r["log_tail"], flush=True)
        if not args.keep:
            data.unlink(missing_ok=True)
    print()
    print_table(results)
    print()
    ok = check_consistency(results)
    if args.json:
        payload = json.dumps({"env": env, "results": results}, indent=2)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
