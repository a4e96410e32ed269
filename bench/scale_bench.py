"""Issue 8's one-table benchmark: every scale number for one size, on this machine.

    python bench/scale_bench.py --meetings 1000 --workdir /tmp/scale1k
    python bench/scale_bench.py --meetings 10000 --workdir /tmp/scale10k --json s10k.json
    python bench/scale_bench.py --small                  # 100 meetings, short runs (CI)
    python bench/scale_bench.py --data /tmp/d10k --skip-ingest   # reuse a built data dir

Steps (each printed to stderr as it goes; the table at the end on stdout):

1. the machine: CPU model, cores, RAM, Python, load average (before and after);
2. unless --skip-ingest: the synthetic minutes (bench/synthetic_minutes.py; kept in
   WORKDIR/minutes and reused when the count matches), then ``govkg ingest --jobs N``
   in a subprocess into an empty data directory: meetings/s end to end (wall clock,
   the derive pass included), peak memory (the sum of the RSS of the ingest process and
   its workers, polled /proc, and the largest single process), follow-up linking time
   (the derive pass, from ingest's own report); then one more meeting ingested into
   the built store and into an empty one (incremental cost). The ingest numbers are
   saved in WORKDIR/ingest.json (or DATA.ingest.json) and shown again by --skip-ingest;
3. store and index size on disk;
4. ``govkg serve`` cold start (spawn to the first 200 on /), then page p95 under
   --clients concurrent clients for --load-seconds (bench/load_bench.py run_load);
5. search p50/p95 (bench/search_bench.py's queries, kg.search in process) and SQLite
   FTS5 over the same units: p50/p95 and the ratio;
6. each example SPARQL query p50/p95 over HTTP (bench/sparql_bench.py); with --peers
   also rdflib-endpoint (slow: loads the union graph into rdflib) and the ratios.

The data directory is only read after the ingest, except for the one-meeting
incremental check (skipped with --skip-ingest: the directory may not be ours).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_bench  # noqa: E402
import search_bench  # noqa: E402
import sparql_bench  # noqa: E402
import synthetic_minutes  # noqa: E402

TARGETS = {
    "ingest_per_s": (">=", 20.0),
    "peak_rss_mb": ("<=", 2048.0),
    "search_p95_ms": ("<=", 100.0),
    "fts_ratio": ("<=", 2.0),
    "sparql_p95_ms": ("<=", 200.0),
    "serve_ready_s": ("<=", 3.0),
    "page_p95_ms": ("<=", 300.0),
}
"""Issue 8's targets at 10,000 meetings (the ratio: govkg search p95 / FTS5 p95)."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def govkg_cmd() -> list[str]:
    exe = shutil.which("govkg", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "kg"]


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_mb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model,
        "cores": cores,
        "ram_mb": ram_mb,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- ingest


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum of PSS, largest RSS) in KB over `pid` and every process below it.

    PSS (proportional set size, /proc/PID/smaps_rollup) counts a page shared by k
    processes as 1/k in each, so the sum is the memory the ingest really holds: forked
    index processes share most of their parent's pages, and a sum of RSS counted those
    once per process (2,846 MB at 10,000 meetings, an over-count). Where smaps_rollup
    cannot be read (another user's process, an old kernel) RSS stands in."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        p = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(p)
        rss[p] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, largest, todo, seen = 0, 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _pss(p, rss.get(p, 0))
        largest = max(largest, rss.get(p, 0))
        todo.extend(children.get(p, []))
    return total, largest


def _pss(pid: int, rss: int) -> int:
    """A process's PSS in KB (its RSS if smaps_rollup cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss


def run_ingest(paths: list[Path], data: Path, jobs: int | None) -> dict[str, Any]:
    """`govkg ingest` in a subprocess: wall seconds, peak RSS, its report lines."""
    cmd = govkg_cmd() + ["--data", str(data), "ingest", *map(str, paths)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    peak = [0, 0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                total, largest = _tree_rss(proc.pid)
            except OSError:
                total, largest = 0, 0
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            # once a second: walking /proc and smaps_rollup 4 times a second took 17% of
            # a core from the ingest it measures (10,000 meetings, 2 cores)
            done.wait(1.0)

    watcher = threading.Thread(target=poll, daemon=True)
    if Path("/proc").is_dir():
        watcher.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    result: dict[str, Any] = {
        "command": " ".join(cmd[:4] + ["..."] + cmd[-2:] if len(cmd) > 8 else cmd),
        "returncode": proc.returncode,
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(peak[0] / 1024, 1),
        "peak_rss_largest_mb": round(peak[1] / 1024, 1),
        "report": [line for line in err.splitlines() if not line.startswith("error: ")],
        "errors": [line for line in err.splitlines() if line.startswith("error: ")][:20],
    }
    summary = next((line for line in err.splitlines() if line.startswith("ingested ")), "")
    m = re.search(r"\((\d+) new, (\d+) replaced, (\d+) unchanged, (\d+) failed\)", summary)
    if m:
        result.update(added=int(m[1]), replaced=int(m[2]), unchanged=int(m[3]), failed=int(m[4]))
    m = re.search(r"derived graphs: ([\d.]+) s", err)
    result["derive_s"] = float(m[1]) if m else 0.0
    m = re.search(r"^linked .* ([\d.]+) s$", err, re.M)
    result["link_s"] = float(m[1]) if m else None
    return result


def ingest_step(args: argparse.Namespace, work: Path, data: Path) -> dict[str, Any]:
    minutes = work / "minutes"
    have = sum(1 for _ in minutes.rglob("*.md")) if minutes.is_dir() else 0
    if have != args.meetings:
        shutil.rmtree(minutes, ignore_errors=True)
        t0 = time.perf_counter()
        synthetic_minutes.generate(minutes, args.meetings, args.seed)
        log(f"generated {args.meetings} minutes in {time.perf_counter() - t0:.1f} s")
    else:
        log(f"reusing {have} minutes in {minutes}")
    count = sum(1 for p in minutes.rglob("*") if p.is_file())
    if data.exists():
        shutil.rmtree(data)
    log(f"ingesting {count} files: govkg ingest --jobs {args.jobs or 'default'} ...")
    ing = run_ingest([minutes], data, args.jobs)
    ing["files"] = count
    ing["meetings_per_s"] = round(count / ing["wall_s"], 2) if ing["wall_s"] else None
    for line in ing["report"]:
        log(f"  {line}")
    log(
        f"  {ing['meetings_per_s']} meetings/s, peak RSS {ing['peak_rss_mb']} MB "
        f"(largest process {ing['peak_rss_largest_mb']} MB)"
    )
    if not args.no_incremental and ing["returncode"] in (0, 1):
        one = work / "one-more"
        shutil.rmtree(one, ignore_errors=True)
        synthetic_minutes.generate(one, 1, args.seed + 1000)
        empty = work / "one-more-data"
        shutil.rmtree(empty, ignore_errors=True)
        into_empty = run_ingest([one], empty, 1)
        into_full = run_ingest([one], data, 1)
        shutil.rmtree(empty, ignore_errors=True)
        ing["one_more"] = {
            "into_empty_s": into_empty["wall_s"],
            "into_built_s": into_full["wall_s"],
            "added": into_full.get("added"),
        }
        log(
            f"  one more meeting: {into_full['wall_s']} s into the built store, "
            f"{into_empty['wall_s']} s into an empty one"
        )
    return ing


# --------------------------------------------------------------------------- serving


def free_port() -> int:
    return sparql_bench.free_port()


def _page_load(base: str, args: argparse.Namespace, *, fresh: bool = False) -> dict[str, Any]:
    load = load_bench.run_load(base, args.clients, args.load_seconds, fresh=fresh)
    page = load.get("page", {})
    log(
        f"  {load.get('requests')} requests, errors {load.get('errors')}, "
        f"page p50 {page.get('p50_ms')} / p95 {page.get('p95_ms')} ms"
    )
    return load


def _wait_warm(logf: Any, workers: int, t0: float, proc: subprocess.Popen) -> float | None:
    """Seconds from spawn until every server process logged "warmed up" (web.data)."""
    deadline = time.perf_counter() + 1800
    while time.perf_counter() < deadline and proc.poll() is None:
        logf.seek(0)
        if logf.read().decode(errors="replace").count("warmed up in") >= workers:
            return round(time.perf_counter() - t0, 1)
        time.sleep(0.5)
    return None


def serve_and_load(data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """`govkg serve` cold start to the first 200 on /, then the page load test."""
    port = free_port()
    cmd = govkg_cmd() + ["--data", str(data), "serve", "--port", str(port)]
    cmd += ["--threads", str(max(8, args.clients)), "--workers", str(args.workers)]
    # append mode: the server writes at the end whatever offset this process reads at
    logf = tempfile.TemporaryFile(mode="a+b")  # noqa: SIM115 - closed in the finally below
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    try:
        ready = None
        while time.perf_counter() - t0 < 120:
            if proc.poll() is not None:
                logf.seek(0)
                raise SystemExit(f"govkg serve exited: {logf.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=30) as r:
                    if r.status == 200:
                        ready = time.perf_counter() - t0
                        break
            except OSError:
                time.sleep(0.05)
        out["serve_ready_s"] = round(ready, 2) if ready is not None else None
        out["workers"] = args.workers
        log(f"govkg serve: first 200 on / after {out['serve_ready_s']} s")
        if args.load_seconds > 0:
            # first visitors: the load starts as soon as the server answers, while each
            # worker is still warming up (the tracker's table, the entity pages, the index)
            log(f"page load right after start: {args.clients} clients, {args.load_seconds:g} s")
            out["load_cold"] = _page_load(base, args)
        # then the steady state, once every worker has said it is warm
        warm = _wait_warm(logf, args.workers, t0, proc)
        out["warm_s"] = warm
        log(f"govkg serve: every worker warm after {warm} s")
        if args.load_seconds > 0:
            log(f"page load, warm: {args.clients} clients, {args.load_seconds:g} s")
            out["load"] = _page_load(base, args)
            # the same with every answer computed: what a URL nobody asked for lately costs
            log(f"page load, warm, no-cache: {args.clients} clients, {args.load_seconds:g} s")
            out["load_fresh"] = _page_load(base, args, fresh=True)
    finally:
        load_bench.stop(proc)
        logf.close()
    return out


# --------------------------------------------------------------------------- search


def search_step(data: Path, repeat: int) -> dict[str, Any]:
    from kg.store import Store

    with Store(data, read_only=True) as store:
        ix, run, api = search_bench.open_search(store)
        try:
            ix.warm() if hasattr(ix, "warm") else None
            log(f"search: {len(search_bench.QUERIES)} queries x {repeat} ({api}) ...")
            ms, _rows = search_bench.time_queries(run, repeat, ())
            out: dict[str, Any] = {"units": ix.unit_count(), "govkg": search_bench.summary(ms)}
            log("search: SQLite FTS5 over the same units ...")
            out["fts5"] = search_bench.fts_reference(ix, repeat, log)
        finally:
            ix.close()
    g, f = out["govkg"]["p95_ms"], out["fts5"]["latency"]["p95_ms"]
    out["ratio_p95"] = round(g / f, 2) if f else None
    log(
        f"  govkg p50 {out['govkg']['p50_ms']} / p95 {g} ms; "
        f"FTS5 p50 {out['fts5']['latency']['p50_ms']} / p95 {f} ms"
    )
    return out


# --------------------------------------------------------------------------- SPARQL


def sparql_step(data: Path, args: argparse.Namespace) -> dict[str, Any]:
    queries = sparql_bench.bench_queries()
    timeout = 5.0 if args.small else 60.0
    budget = 3 * timeout
    log(f"SPARQL: {len(queries)} example queries x {args.repeat} over HTTP ...")
    govkg = sparql_bench.run_govkg(data, queries, args.repeat, timeout, budget)
    out: dict[str, Any] = {"queries": {}}
    peer: list[Any] = []
    if args.peers:
        with tempfile.TemporaryDirectory(prefix="govkg-scale-peer-") as tmp:
            info, peer = sparql_bench.run_peer(
                data, queries, args.repeat, timeout, budget, Path(tmp)
            )
        out["peer"] = info
    for i, (q, m) in enumerate(zip(queries, govkg, strict=True)):
        row: dict[str, Any] = {
            "rows": m.rows,
            "p50_ms": m.p50_ms,
            "p95_ms": m.p95_ms,
            "error": m.error,
        }
        if peer:
            p = peer[i]
            row["peer_p50_ms"], row["peer_p95_ms"], row["peer_error"] = p.p50_ms, p.p95_ms, p.error
            if p.p95_ms and m.p95_ms:
                row["peer_ratio_p95"] = round(p.p95_ms / m.p95_ms, 1)
        out["queries"][q.name] = row
    return out


# --------------------------------------------------------------------------- the table


def _ok(key: str, value: Any) -> str:
    if key not in TARGETS or value is None:
        return ""
    op, bound = TARGETS[key]
    good = value >= bound if op == ">=" else value <= bound
    return f"{op} {bound:g}  {'ok' if good else 'MISSED'}"


def table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []
    m = r["machine"]
    rows.append(("machine", f"{m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB RAM", ""))
    rows.append(("python / os", f"{m['python']} / {m['os']}", ""))
    load = f"{m['load_before']} before, {m.get('load_after')} after (1/5/15 min)"
    rows.append(("load average", load, ""))
    rows.append(("meetings", f"{r.get('meetings')}", ""))
    ing = r.get("ingest")
    if ing:
        note = " (saved: --skip-ingest)" if ing.get("reused") else ""
        rows.append(
            (
                "ingest end to end",
                f"{ing.get('meetings_per_s')} meetings/s ({ing.get('files')} files in "
                f"{ing.get('wall_s')} s, jobs {ing.get('jobs') or 'default'}){note}",
                _ok("ingest_per_s", ing.get("meetings_per_s")),
            )
        )
        rows.append(
            (
                "ingest peak memory (PSS summed)",
                f"{ing.get('peak_rss_mb')} MB PSS over all processes "
                f"(largest RSS {ing.get('peak_rss_largest_mb')} MB)",
                _ok("peak_rss_mb", ing.get("peak_rss_mb")),
            )
        )
        rows.append(
            (
                "follow-up linking",
                f"derive pass {ing.get('derive_s')} s (ledger links {ing.get('link_s')} s)",
                "",
            )
        )
        if ing.get("one_more"):
            o = ing["one_more"]
            rows.append(
                (
                    "one more meeting",
                    f"{o['into_built_s']} s into the built store, "
                    f"{o['into_empty_s']} s into an empty one",
                    "",
                )
            )
    s = r["sizes_mb"]
    rows.append(("store / index on disk", f"{s['store']} MB / {s['index']} MB", ""))
    sv = r.get("serve", {})
    rows.append(
        (
            "govkg serve ready",
            f"{sv.get('serve_ready_s')} s",
            _ok("serve_ready_s", sv.get("serve_ready_s")),
        )
    )
    if sv.get("warm_s") is not None:
        rows.append(("every server process warm (spawn → warm-up done)", f"{sv['warm_s']} s", ""))
    for key, when, judged in (
        ("load_cold", "right after start", False),
        ("load", "warm", True),
        ("load_fresh", "warm, every answer computed (no-cache)", False),
    ):
        load_r = sv.get(key) or {}
        if "page" in load_r:
            p = load_r["page"]
            rows.append(
                (
                    f"pages, {load_r.get('clients')} clients, {sv.get('workers', 1)} server "
                    f"processes, {when}",
                    f"p50 {p.get('p50_ms')} / p95 {p.get('p95_ms')} ms "
                    f"({load_r.get('requests')} requests, {load_r.get('errors')} errors, "
                    f"{load_r.get('cache_hits', 0)} from the response cache)",
                    _ok("page_p95_ms", p.get("p95_ms")) if judged else "",
                )
            )
        elif load_r:
            rows.append((f"pages under load, {when}", str(load_r.get("error")), ""))
    se = r.get("search")
    if se:
        g, f = se["govkg"], se["fts5"]["latency"]
        rows.append(
            (
                f"search ({se['units']:,} units)",
                f"p50 {g['p50_ms']} / p95 {g['p95_ms']} ms",
                _ok("search_p95_ms", g["p95_ms"]),
            )
        )
        rows.append(
            (
                "SQLite FTS5, same units",
                f"p50 {f['p50_ms']} / p95 {f['p95_ms']} ms; govkg/FTS5 p95 {se['ratio_p95']}",
                _ok("fts_ratio", se["ratio_p95"]),
            )
        )
    sp = r.get("sparql")
    if sp:
        for name, q in sp["queries"].items():
            text = q["error"] or f"p50 {q['p50_ms']} / p95 {q['p95_ms']} ms ({q['rows']} rows)"
            if "peer_p95_ms" in q:
                text += f"; rdflib {q['peer_error'] or q['peer_p95_ms']} ms"
                if q.get("peer_ratio_p95"):
                    text += f" (x{q['peer_ratio_p95']})"
            rows.append((f"sparql {name}", text, _ok("sparql_p95_ms", q["p95_ms"])))
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    lines = [f"{'measure':<{w0}}  {'value':<{w1}}  target", "-" * (w0 + w1 + 18)]
    lines += [f"{a:<{w0}}  {b:<{w1}}  {c}".rstrip() for a, b, c in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--meetings", type=int, default=1000)
    ap.add_argument("--small", action="store_true", help="100 meetings, short runs (CI)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workdir", help="minutes, data and saved ingest numbers (default: temp)")
    ap.add_argument("--data", metavar="DIR", help="the data directory (default: WORKDIR/data)")
    ap.add_argument(
        "--skip-ingest", action="store_true", help="measure an existing --data directory"
    )
    ap.add_argument("--jobs", type=int, help="govkg ingest --jobs (default: one per core)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--clients", type=int, default=20, help="concurrent page clients")
    ap.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1,
        help="govkg serve --workers (default: one per core, as a server would run it)",
    )
    ap.add_argument("--load-seconds", type=float, default=30.0, help="0 skips the page load")
    ap.add_argument("--peers", action="store_true", help="also rdflib-endpoint (slow)")
    ap.add_argument("--no-incremental", action="store_true", help="skip the one-more-meeting")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON ('-' = stdout)")
    args = ap.parse_args(argv)
    if args.small:
        args.meetings, args.repeat = 100, 2
        args.load_seconds = min(args.load_seconds, 5.0)
    if args.skip_ingest and not args.data:
        ap.error("--skip-ingest needs --data DIR")

    tmp = None
    if args.workdir:
        work = Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="govkg-scale-")
        work = Path(tmp.name)
    data = Path(args.data) if args.data else work / "data"
    saved = Path(f"{data}.ingest.json") if args.data else work / "ingest.json"
    result: dict[str, Any] = {"machine": machine(), "meetings": args.meetings}
    log(f"machine: {result['machine']}")
    try:
        if args.skip_ingest:
            if not (data / "oxigraph").is_dir():
                raise SystemExit(f"{data}: no govkg data directory")
            ing = json.loads(saved.read_text()) if saved.is_file() else None
            if ing:
                ing["reused"] = True
                result["meetings"] = ing.get("files")
            else:
                from kg.store import Store

                with Store(data, read_only=True) as store:
                    result["meetings"] = len(store.documents())
            result["ingest"] = ing
        else:
            ing = ingest_step(args, work, data)
            ing["jobs"] = args.jobs
            result["ingest"] = ing
            saved.write_text(json.dumps(ing, indent=2) + "\n", encoding="utf-8")
        result["sizes_mb"] = {
            k: round(search_bench.du(data / k) / 2**20, 1) for k in ("oxigraph", "index")
        }
        result["sizes_mb"]["store"] = result["sizes_mb"].pop("oxigraph")
        result["serve"] = serve_and_load(data, args)
        result["search"] = search_step(data, args.repeat)
        result["sparql"] = sparql_step(data, args)
    finally:
        result["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
        if tmp is not None:
            tmp.cleanup()
    print(table(result))
    if args.json:
        text = json.dumps(result, indent=2, default=str)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    failed = (result.get("ingest") or {}).get("returncode") not in (0, None)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
