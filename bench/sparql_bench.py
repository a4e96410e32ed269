"""SPARQL benchmark: the example queries over HTTP, govkg's /sparql against rdflib-endpoint.

Both sides answer the same example queries (ontology/queries/*.rq, `kg.examples`) over
the SPARQL 1.1 Protocol on 127.0.0.1, measured in the same run on the same data:

- govkg: the real web app (`web.create_app`) served by waitress in a thread; the queries
  are POSTed to /sparql (application/sparql-query; SELECT/ASK answered as SPARQL JSON,
  CONSTRUCT as N-Triples). SPARQL_TIMEOUT is --timeout, SPARQL_MAX_ROWS is lifted so
  no answer is cut.
- the peer: the union graph exported as N-Triples from the same data directory
  (`govkg export --format ntriples`), loaded into an in-memory rdflib Graph and served by
  rdflib-endpoint (`SparqlEndpoint`) on uvicorn in a subprocess. The queries get the
  PREFIX lines of `kg.queries.PREFIXES` prepended (rdflib does not know them). The
  loading process forks one server child and keeps the graph; a query that runs past
  --timeout is reported as ">TIMEOUT", its child is killed and a fresh one forked from
  the loaded graph (no reload). `text:search` is govkg's own: n/a for the peer.

Each query runs once to warm up (its answer gives the row count), then --repeat timed
runs; the time is the client's wall time from sending the request to the last byte of
the answer. Printed: rows, p50/p95 ms for each side, the ratio peer p95 / govkg p95, a
warning where the row counts differ; the data size (triples, meetings), the peer's load
time and memory, the machine.

    python bench/sparql_bench.py --data /tmp/d10k --repeat 3
    python bench/sparql_bench.py --meetings 1000 --workdir /tmp/sb1k
    python bench/sparql_bench.py --small                # 100 meetings, 2 repeats (CI)
    python bench/sparql_bench.py --data DIR --no-peer --json out.json
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

SELECT_MEDIA = "application/sparql-results+json"
GRAPH_MEDIA = "application/n-triples"
MAX_ROWS = 1_000_000_000
"""govkg's SPARQL_MAX_ROWS for the run: no answer is cut, so row counts compare."""
PEER_START_S = 60.0
"""Seconds a forked peer child gets to answer its first request."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    """The p-th percentile, nearest rank (p95 of 3 runs is the slowest)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


class QueryTimedOut(Exception):
    """No answer within the time limit."""


@dataclass
class Reply:
    status: int
    body: bytes
    ms: float


def post_query(base: str, path: str, query: str, accept: str, timeout: float) -> Reply:
    """POST `query` (application/sparql-query) and read the whole answer, timed."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    body = query.encode("utf-8")
    headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
    try:
        t0 = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        ms = (time.perf_counter() - t0) * 1000
        return Reply(response.status, data, ms)
    except TimeoutError as exc:
        raise QueryTimedOut(str(exc)) from exc
    finally:
        conn.close()


def answer_of(form: str, body: bytes) -> tuple[int, str | None]:
    """(rows, the ASK answer): solutions of SPARQL JSON, distinct triples of N-Triples."""
    if form == "graph":
        lines = {ln.strip() for ln in body.decode("utf-8").splitlines()}
        return len({ln for ln in lines if ln and not ln.startswith("#")}), None
    doc = json.loads(body)
    if "boolean" in doc:
        return 1, str(bool(doc["boolean"])).lower()
    return len(doc["results"]["bindings"]), None


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class BenchQuery:
    name: str
    form: str
    """"select", "ask" or "graph" (CONSTRUCT)."""
    text: str
    text_search: bool
    """Uses govkg's text:search (the peer cannot run it)."""


def bench_queries() -> list[BenchQuery]:
    from kg.examples import examples
    from kg.sparqlservice import query_form

    try:
        from kg.textsparql import uses_text_search
    except ImportError:  # pragma: no cover - text:search not built

        def uses_text_search(query: str) -> bool:
            return "text:search" in query

    return [
        BenchQuery(ex.name, query_form(ex.query), ex.query, uses_text_search(ex.query))
        for ex in examples()
    ]


def without_lateral(text: str) -> str:
    """`text` with each ``LATERAL { P }`` (SPARQL 1.2, which Oxigraph evaluates per row
    and rdflib cannot parse) written as ``P .`` in its group: the SPARQL 1.1 form the peer
    runs. Where P is ``OPTIONAL {…}`` or a FILTER the answer is the same; where P needs the
    row's bindings inside (a BIND in a UNION branch) it may differ, and the table's
    agreement column says so."""
    out, at = [], 0
    while (start := text.find("LATERAL", at)) >= 0:
        brace = text.find("{", start)
        if brace < 0 or text[start + 7 : brace].strip():
            out.append(text[at : start + 7])
            at = start + 7
            continue
        depth, end = 0, brace
        for end in range(brace, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        out.append(text[at:start])
        inner = without_lateral(text[brace + 1 : end])
        # a triple pattern written in place needs its "." before what follows
        out.append(inner if inner.rstrip().endswith(".") else inner.rstrip() + " .")
        at = end + 1
    out.append(text[at:])
    return "".join(out)


def peer_text(q: BenchQuery) -> str:
    from kg.queries import prefix_block

    return prefix_block() + without_lateral(q.text)


@dataclass
class Measured:
    rows: int | None = None
    answer: str | None = None
    ms: list[float] = field(default_factory=list)
    p50_ms: float | None = None
    p95_ms: float | None = None
    error: str | None = None
    """">TIMEOUT", "n/a" or "HTTP 400: ...": the query was not answered."""


def measure(
    send: Callable[[BenchQuery], Reply], q: BenchQuery, repeat: int, label: str, budget: float
) -> Measured:
    """One warm-up (the answer counted), then `repeat` timed runs, or fewer (at least
    one) once the query has taken `budget` seconds in all."""
    out = Measured()
    start = time.monotonic()
    for run in range(repeat + 1):
        if run > 1 and time.monotonic() - start > budget:
            break
        try:
            reply = send(q)
        except QueryTimedOut:
            out.error = ">TIMEOUT"
            break
        if reply.status == 503 and b"time" in reply.body.lower():
            out.error = ">TIMEOUT"  # govkg's own limit (QueryTimeout)
            break
        if reply.status != 200:
            text = " ".join(reply.body.decode("utf-8", "replace").split())
            out.error = f"HTTP {reply.status}: {text[:200]}"
            break
        if run == 0:
            out.rows, out.answer = answer_of(q.form, reply.body)
        else:
            out.ms.append(round(reply.ms, 2))
    if out.ms and out.error is None:
        out.p50_ms = round(statistics.median(out.ms), 2)
        out.p95_ms = round(pct(out.ms, 95), 2)
    runs = "" if len(out.ms) == repeat else f" ({len(out.ms)} timed runs: over the budget)"
    log(
        f"  {label:<6} {q.name:<30} "
        + (out.error or f"{out.rows} rows, p50 {out.p50_ms} ms, p95 {out.p95_ms} ms{runs}")
    )
    return out


# --------------------------------------------------------------------------- govkg


@contextlib.contextmanager
def govkg_server(data: Path, timeout: float) -> Iterator[str]:
    """The real web app on waitress, 127.0.0.1 and a free port, in a thread."""
    from waitress.server import create_server

    from web import create_app

    app = create_app({"DATA": str(data), "SPARQL_TIMEOUT": timeout, "SPARQL_MAX_ROWS": MAX_ROWS})
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # let the last request's channel close first: closing the server under a task
        # that is still finishing makes waitress log a "Bad file descriptor" traceback
        deadline = time.monotonic() + 5
        while getattr(server, "active_channels", None) and time.monotonic() < deadline:
            time.sleep(0.05)
        server.task_dispatcher.shutdown()
        server.close()
        thread.join(timeout=10)
        service = app.extensions.get("govkg.sparql")
        if service is not None:
            service.close()


def run_govkg(
    data: Path, queries: list[BenchQuery], repeat: int, timeout: float, budget: float
) -> list[Measured]:
    out = []
    with govkg_server(data, timeout) as base:
        log(f"govkg: the web app at {base}/sparql (SPARQL_TIMEOUT {timeout:g} s)")

        def send(q: BenchQuery) -> Reply:
            accept = GRAPH_MEDIA if q.form == "graph" else SELECT_MEDIA
            # govkg answers 503 itself at `timeout`; the client waits a little longer
            return post_query(base, "/sparql", q.text, accept, timeout + 30)

        for q in queries:
            out.append(measure(send, q, repeat, "govkg", budget))
    return out


# --------------------------------------------------------------------------- the peer


def peer_serve(nt_file: str) -> int:
    """The peer process: load `nt_file` into rdflib, then on each "fork" line of stdin
    fork a child serving it with rdflib-endpoint on uvicorn (127.0.0.1, a free port) and
    print "serving PORT PID"; "quit" or the end of stdin stops the child and the process."""
    import rdflib

    t0 = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(nt_file, format="nt")
    load_s = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"loaded {len(graph)} {load_s:.3f} {rss_mb:.1f}", flush=True)

    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    app = SparqlEndpoint(graph=graph, title="rdflib-endpoint (sparql_bench peer)")
    parent = os.getpid()
    child: int | None = None

    def stop_child() -> None:
        nonlocal child
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)
            child = None

    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command != "fork":
            continue
        stop_child()
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        pid = os.fork()
        if pid == 0:  # the child: serve until killed, or until the loader goes away
            try:

                def orphaned() -> None:
                    while os.getppid() == parent:
                        time.sleep(1)
                    os._exit(0)

                threading.Thread(target=orphaned, daemon=True).start()
                config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
                uvicorn.Server(config).run(sockets=[sock])
            finally:
                os._exit(0)
        child = pid
        port = sock.getsockname()[1]
        sock.close()
        print(f"serving {port} {pid}", flush=True)
    stop_child()
    return 0


class Peer:
    """rdflib-endpoint in a subprocess (see `peer_serve`), restarted by forking."""

    def __init__(self, nt_file: Path, load_timeout: float) -> None:
        # the peer's stderr, kept while it runs (closed in close())
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), "--peer-serve", str(nt_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )
        self.child: int | None = None
        self.base = ""
        self.peak_rss_mb = 0.0
        self.restarts = 0
        try:
            words = self._line("loaded", load_timeout)
        except BaseException:
            self.close()
            raise
        self.triples = int(words[1])
        self.load_s = float(words[2])
        self.load_rss_mb = float(words[3])

    def _line(self, word: str, timeout: float) -> list[str]:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"the peer did not say {word!r} within {timeout:g} s")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            line = self.proc.stdout.readline()
            if not line:
                self.errors.seek(0)
                tail = self.errors.read().decode("utf-8", "replace")[-2000:]
                raise RuntimeError(f"the peer stopped before saying {word!r}:\n{tail}")
            words = line.split()
            if words and words[0] == word:
                return words

    def _fork(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("fork\n")
        self.proc.stdin.flush()
        words = self._line("serving", PEER_START_S)
        self.base = f"http://127.0.0.1:{words[1]}"
        self.child = int(words[2])
        deadline = time.monotonic() + PEER_START_S
        while True:  # the socket listens already; wait for uvicorn to answer
            try:
                reply = post_query(self.base, "/", "ASK {}", SELECT_MEDIA, PEER_START_S)
                if reply.status == 200:
                    return
            except (OSError, QueryTimedOut, http.client.HTTPException):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the peer's server did not answer ASK {}")
            time.sleep(0.2)

    def _child_hwm(self) -> None:
        """The child's peak RSS so far (VmHWM: includes the graph it shares)."""
        if self.child is None:
            return
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.child}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)

    def _kill_child(self) -> None:
        if self.child is not None:
            self._child_hwm()
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)  # the loader reaps it at the next fork
            self.child = None

    def send(self, q: BenchQuery, timeout: float) -> Reply:
        if self.child is None:
            self._fork()
        accept = GRAPH_MEDIA if q.form == "graph" else SELECT_MEDIA
        try:
            return post_query(self.base, "/", peer_text(q), accept, timeout)
        except QueryTimedOut:
            log(f"  peer   {q.name}: no answer in {timeout:g} s; its server is restarted")
            self._kill_child()
            self.restarts += 1
            raise

    def close(self) -> None:
        self._child_hwm()
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._kill_child()
                self.proc.kill()
                self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()
        self.errors.close()


def export_ntriples(data: Path, out: Path) -> float:
    """`govkg export --format ntriples` of the data directory into `out`; seconds."""
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from kg.cli import main; sys.exit(main())",
            "--data",
            str(data),
            "export",
            "--format",
            "ntriples",
            "-o",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def run_peer(
    data: Path, queries: list[BenchQuery], repeat: int, timeout: float, budget: float, work: Path
) -> tuple[dict[str, Any], list[Measured]]:
    nt = work / "union.nt"
    log("peer: exporting the union graph as N-Triples ...")
    export_s = export_ntriples(data, nt)
    info: dict[str, Any] = {
        "export_s": round(export_s, 2),
        "ntriples_mb": round(nt.stat().st_size / 2**20, 1),
    }
    log(f"peer: {info['ntriples_mb']} MB in {export_s:.1f} s; loading into rdflib ...")
    peer = Peer(nt, load_timeout=max(600.0, 20 * timeout))
    out = []
    try:
        info.update(
            triples=peer.triples, load_s=round(peer.load_s, 2), load_rss_mb=peer.load_rss_mb
        )
        log(f"peer: {peer.triples:,} triples loaded in {peer.load_s:.1f} s")
        info["versions"] = {
            "rdflib": version("rdflib"),
            "rdflib-endpoint": version("rdflib-endpoint"),
            "uvicorn": version("uvicorn"),
        }
        for q in queries:
            if q.text_search:
                out.append(Measured(error="n/a"))
                log(f"  peer   {q.name:<30} n/a (text:search is govkg's)")
                continue
            out.append(measure(lambda q: peer.send(q, timeout), q, repeat, "peer", budget))
    finally:
        peer.close()
        info["peak_rss_mb"] = round(max(peer.peak_rss_mb, peer.load_rss_mb), 1)
        info["restarts"] = peer.restarts
        nt.unlink(missing_ok=True)
    return info, out


# --------------------------------------------------------------------------- data


def make_data(meetings: int, seed: int, work: Path) -> dict[str, Any]:
    import synthetic_minutes

    from kg.pipeline import ingest_paths
    from kg.store import Store

    minutes, data = work / "minutes", work / "data"
    t0 = time.perf_counter()
    synthetic_minutes.generate(minutes, meetings, seed)
    log(f"generated {meetings} minutes in {time.perf_counter() - t0:.1f} s; ingesting ...")
    t0 = time.perf_counter()
    with Store(data) as store:
        report = ingest_paths([minutes], store)
    seconds = time.perf_counter() - t0
    log(f"ingested {report.documents} documents in {seconds:.1f} s")
    if report.failed:
        raise RuntimeError(f"{len(report.failed)} documents failed: {report.failed[:3]}")
    return {"ingest_s": round(seconds, 1), "documents": report.documents}


def data_size(data: Path) -> dict[str, int]:
    from kg.store import Store

    with Store(data, read_only=True) as store:
        counts = store.counts()
    return {k: counts.get(k, 0) for k in ("documents", "meetings", "triples")}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", metavar="DIR", help="an existing govkg data directory")
    ap.add_argument("--meetings", type=int, default=1000, help="generate and ingest N meetings")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workdir", help="keep the generated minutes and data here")
    ap.add_argument("--small", action="store_true", help="100 meetings, 2 repeats (CI)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument(
        "--timeout",
        type=float,
        help="seconds per query run, both sides (default 60; 5 with --small)",
    )
    ap.add_argument(
        "--budget",
        type=float,
        help="seconds per query and side after which no more timed runs start "
        "(at least one runs; default 3 x --timeout, 2 x with --small)",
    )
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON ('-' = stdout)")
    ap.add_argument("--no-peer", action="store_true", help="govkg only")
    ap.add_argument("--peer-serve", metavar="NT", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.peer_serve:
        return peer_serve(args.peer_serve)
    if args.small:
        args.meetings, args.repeat = 100, 2
    if args.timeout is None:
        args.timeout = 5.0 if args.small else 60.0
    if args.budget is None:
        args.budget = (2 if args.small else 3) * args.timeout
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    tmp = tempfile.TemporaryDirectory(prefix="govkg-sparql-bench-")
    try:
        result: dict[str, Any] = {
            "repeat": args.repeat,
            "timeout_s": args.timeout,
            "budget_s": args.budget,
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
        }
        if args.data:
            data = Path(args.data)
            if not (data / "oxigraph").is_dir():
                ap.error(f"{data}: no govkg data directory (no oxigraph/ in it)")
            result["source"] = str(data)
        else:
            work = Path(args.workdir) if args.workdir else Path(tmp.name)
            if args.workdir and work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True, exist_ok=True)
            result["source"] = f"{args.meetings} synthetic meetings, seed {args.seed}"
            result["ingest"] = make_data(args.meetings, args.seed, work)
            data = work / "data"
        result["data"] = data_size(data)
        log(f"data: {result['data']['meetings']:,} meetings, {result['data']['triples']:,} triples")

        queries = bench_queries()
        log(f"{len(queries)} example queries, 1 warm-up + {args.repeat} timed runs each")
        govkg = run_govkg(data, queries, args.repeat, args.timeout, args.budget)
        peer: list[Measured] | None = None
        if not args.no_peer:
            result["peer"], peer = run_peer(
                data, queries, args.repeat, args.timeout, args.budget, Path(tmp.name)
            )
        result["queries"] = rows_of(queries, govkg, peer, args.repeat)
    finally:
        tmp.cleanup()

    print_report(result)
    if args.json:
        text = json.dumps(result, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    failed = [
        r["name"] for r in result["queries"] if (r["govkg"]["error"] or "").startswith("HTTP")
    ]
    return 1 if failed else 0


XSD_DATE_CAST = re.compile(r"xsd:date\s*\(")
"""The cast to xsd:date: Oxigraph has it, rdflib does not (SPARQL 1.1 does not require
it), so a query using it may answer differently on the peer."""


def rows_of(
    queries: list[BenchQuery], govkg: list[Measured], peer: list[Measured] | None, repeat: int
) -> list[dict[str, Any]]:
    rows = []
    for i, q in enumerate(queries):
        g = govkg[i]
        row: dict[str, Any] = {"name": q.name, "form": q.form, "govkg": asdict(g)}
        warning = ""
        notes = []
        if g.error is None and len(g.ms) < repeat:
            notes.append(f"govkg {len(g.ms)} runs")
        if peer is not None:
            p = peer[i]
            row["peer"] = asdict(p)
            if g.p95_ms and p.p95_ms:
                row["ratio"] = round(p.p95_ms / g.p95_ms, 2)
            if g.error is None and p.error is None:
                if g.rows != p.rows:
                    warning = f"rows differ: peer {p.rows}"
                elif g.answer != p.answer:
                    warning = f"answer differs: peer {p.answer}"
                if warning and XSD_DATE_CAST.search(q.text):
                    warning += " (xsd:date() cast: rdflib leaves it unbound)"
                if warning and without_lateral(q.text) != q.text:
                    warning += " (the peer ran it without LATERAL, SPARQL 1.1)"
            if p.error is None and len(p.ms) < repeat:
                notes.append(f"peer {len(p.ms)} runs")
        row["agree"] = not warning
        row["warning"] = warning
        row["note"] = ", ".join(notes)
        rows.append(row)
    return rows


def _ms(m: dict[str, Any], key: str) -> str:
    if m["error"]:
        return m["error"] if m["error"] in (">TIMEOUT", "n/a") else "ERROR"
    return f"{m[key]:,.1f}"


def print_report(r: dict[str, Any]) -> None:
    d, mach = r["data"], r["machine"]
    print(
        f"govkg SPARQL benchmark: {r['source']}: {d['meetings']:,} meetings, "
        f"{d['triples']:,} triples; {r['repeat']} timed runs per query after 1 warm-up, "
        f"time limit {r['timeout_s']:g} s (budget {r['budget_s']:g} s); Python {mach['python']}, {mach['cpus']} CPUs"
    )
    peer = r.get("peer")
    if peer:
        v = peer.get("versions", {})
        print(
            f"peer: rdflib {v.get('rdflib', '?')} in memory + rdflib-endpoint "
            f"{v.get('rdflib-endpoint', '?')} on uvicorn {v.get('uvicorn', '?')}: "
            f"{peer['triples']:,} triples loaded from N-Triples ({peer['ntriples_mb']:,} MB) in "
            f"{peer['load_s']:.1f} s, RSS {peer['load_rss_mb']:,.0f} MB after loading, "
            f"peak {peer['peak_rss_mb']:,.0f} MB; restarted {peer['restarts']} times"
        )
    print()
    head = f"{'query':<30}{'rows':>8}{'govkg p50':>11}{'p95':>10}"
    if peer:
        head += f"{'peer p50':>11}{'p95':>10}{'ratio':>8}  note"
    print(head)
    for q in r["queries"]:
        g = q["govkg"]
        rows = "-" if g["rows"] is None else f"{g['rows']:,}"
        line = f"{q['name']:<30}{rows:>8}{_ms(g, 'p50_ms'):>11}{_ms(g, 'p95_ms'):>10}"
        if peer:
            p = q["peer"]
            if "ratio" in q:
                ratio = f"{q['ratio']:.1f}x"
            elif p["error"] == ">TIMEOUT" and g["p95_ms"]:
                ratio = f">{r['timeout_s'] * 1000 / g['p95_ms']:.0f}x"
            else:
                ratio = "-"
            line += f"{_ms(p, 'p50_ms'):>11}{_ms(p, 'p95_ms'):>10}{ratio:>8}"
            notes = [q["note"]] if q["note"] else []
            if q["warning"]:
                notes.insert(0, "WARNING " + q["warning"])
            if p["error"] and p["error"].startswith("HTTP"):
                notes.append(f"peer {p['error'][:60]}")
            line += "  " + "; ".join(notes)
        print(line.rstrip())
    for q in r["queries"]:
        if q["govkg"]["error"] and q["govkg"]["error"].startswith("HTTP"):
            print(f"govkg ERROR {q['name']}: {q['govkg']['error']}")
    if peer:
        compared = [
            q
            for q in r["queries"]
            if q["peer"]["error"] != "n/a" and not (q["govkg"]["error"] or "").startswith("HTTP")
        ]
        slower = [
            q["name"]
            for q in compared
            if q["govkg"]["error"] or ("ratio" in q and q["ratio"] <= 1.0)
        ]
        differ = [q["name"] for q in r["queries"] if q["warning"]]
        print()
        print(
            f"govkg faster on every query the peer can run ({len(compared)}): "
            + ("yes" if not slower else "NO: " + ", ".join(slower))
        )
        print("row counts agree: " + ("yes" if not differ else "NO: " + ", ".join(differ)))


if __name__ == "__main__":
    sys.exit(main())
