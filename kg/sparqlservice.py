"""Read-only SPARQL 1.1 query evaluation with a real time limit and a row cap.

No Flask here: `web.views.sparql` is the HTTP side (SPARQL 1.1 Protocol), and any other
caller (the query editor, the CLI, a benchmark) uses the same `SparqlService`::

    service = SparqlService("govkg-data", timeout=10, max_rows=10_000)
    answer = service.run("SELECT ?name WHERE { ?p foaf:name ?name }", fmt="json")
    answer.body, answer.media_type, answer.truncated, answer.form
    service.close()

How the limits hold:

- pyoxigraph cannot cancel a running query from Python, so queries run in a small pool
  of worker processes (the running interpreter, `python -c`). Each worker opens the store read-only and
  reopens it when the data directory changes (a new ingest). When a query runs past
  its time limit its worker is killed (SIGKILL) and a fresh one started; the caller
  gets `QueryTimeout` (HTTP 503).
- One slow query must not starve the others (issue 9: one explosive query beside 50
  clients may not double their p95). A query still running after `slow_after` seconds
  is marked slow: its worker drops to the lowest CPU priority (nice 19, so the cheap
  queries and the web pages get the cores first), and, while fewer than `max_slow`
  queries are slow, a fresh worker joins the pool in its place, so the pool keeps
  `workers` workers for everyone else; that worker is retired when its query ends
  (answered, or killed at the time limit). A call waits in line for a free worker (first
  come, first served) at most `queue_wait` seconds, twice the time limit by default
  (then ServiceUnavailable, 503): a burst of clients queues rather than fails.
- Results are serialised in the worker, at most `max_rows` solutions (or triples for
  CONSTRUCT/DESCRIBE); `Answer.truncated` says when more were left out.
- Read-only and offline: any SPARQL Update form (INSERT, DELETE, LOAD, CLEAR, DROP,
  CREATE, ADD, MOVE, COPY) is refused with `QueryRefused`, and so is SERVICE (Oxigraph
  would make the HTTP request), both before anything is evaluated. FROM / FROM NAMED
  only name graphs in the store (Oxigraph never fetches them). As a second wall each
  worker, where the kernel allows, moves into its own empty network namespace
  (`unshare`), so even a query that slipped past the check has no network.
- The default graph is the store's stored default graph, which govkg keeps equal to
  the union of the document graphs; `GRAPH ?g` reaches one document graph. The
  Protocol's default-graph-uri / named-graph-uri replace that dataset, as the
  Protocol says (only named-graph-uri given: the default graph is empty).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "SparqlError",
    "QuerySyntaxError",
    "QueryRefused",
    "QueryTimeout",
    "QueryFailed",
    "ServiceUnavailable",
    "Answer",
    "SparqlService",
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "FORMATS",
    "MEDIA_TYPES",
    "TRUNCATED_HEADER",
    "MAX_QUERY_CHARS",
    "query_form",
    "refusal",
    "negotiate",
    "format_for",
    "prefers_html",
    "service_description",
]

# -- errors ---------------------------------------------------------------------------


class SparqlError(Exception):
    """A query that was not answered: `status` is the HTTP status, `message` one line."""

    status: int = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        self.message = " ".join(str(message).split()) or "SPARQL error"
        if status is not None:
            self.status = status
        super().__init__(self.message)


class QuerySyntaxError(SparqlError):
    """The query does not parse (400); the message is the parser's."""

    status = 400


class QueryRefused(SparqlError):
    """An Update form, SERVICE or LOAD (400): the endpoint is read-only and offline."""

    status = 400


class QueryTimeout(SparqlError):
    """The query ran past its time limit and its worker was stopped (503)."""

    status = 503


class QueryFailed(SparqlError):
    """The query parsed but failed while being evaluated (400)."""

    status = 400


class ServiceUnavailable(SparqlError):
    """No data directory yet, every worker busy past the time limit, or a worker died (503)."""

    status = 503


# -- formats --------------------------------------------------------------------------

RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""Formats of SELECT and ASK results (short name -> media type)."""

GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
"""Formats of CONSTRUCT and DESCRIBE results (short name -> media type)."""

FORMATS: dict[str, str] = {**RESULT_FORMATS, **GRAPH_FORMATS}

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

# a results format asked of a graph query (or the other way round) means its sibling
_TO_GRAPH = {"json": "jsonld", "xml": "rdfxml", "csv": "ntriples", "tsv": "ntriples"}
_TO_RESULTS = {"jsonld": "json", "rdfxml": "xml", "turtle": "json", "ntriples": "json"}

MEDIA_TYPES: dict[str, list[tuple[str, str]]] = {
    # per query form: (media type, fmt), the first one is the default
    "select": [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("text/xml", "xml"),
    ],
    "graph": [
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("application/x-turtle", "turtle"),
        ("application/turtle", "turtle"),
        ("application/x-json+ld", "jsonld"),
        ("application/json", "jsonld"),
        ("text/plain", "ntriples"),
        ("application/xml", "rdfxml"),
        ("text/xml", "rdfxml"),
    ],
}
"""What Accept can ask for, per query form ("ask" answers like "select")."""

_FORMAT_NAMES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "nt": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdfxml": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdf": "rdfxml",
}

TRUNCATED_HEADER = "X-GovKG-Truncated"
"""The HTTP header (value "true") on an answer cut at the row cap."""

MAX_QUERY_CHARS = 200_000
"""Longer query texts are refused (413) before anything else."""

READY_TIMEOUT = 60.0
"""Seconds a new worker may take to start and open the store."""

# -- reading query text -----------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%\\]))*)
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.X | re.S,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def _keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, in order: not inside strings, IRIs or
    comments, not variables, prefixed names, blank nodes or language tags. SPARQL's
    keywords can only appear as such words."""
    return [m.group("word").upper() for m in _TOKEN.finditer(query) if m.lastgroup == "word"]


def query_form(query: str) -> str:
    """ "select", "ask" or "graph" (CONSTRUCT, DESCRIBE), read from the text; "select"
    when the text names none (it will not parse, and the error says why)."""
    for word in _keywords(query):
        if word in _FORMS:
            return _FORMS[word]
    return "select"


def refusal(query: str) -> QueryRefused | None:
    """Why this text may not run here (an Update form, SERVICE), or None."""
    words = _keywords(query)
    for i, word in enumerate(words):
        if word in _UPDATE_WORDS:
            following = words[i + 1] if i + 1 < len(words) else ""
            op = f"{word} {following}" if following in ("DATA", "WHERE") else word
            return QueryRefused(f"read-only endpoint: SPARQL Update ({op}) is refused")
        if word == "SERVICE":
            return QueryRefused(
                "SERVICE is refused: this endpoint never makes network requests "
                "(federated queries are not supported)"
            )
    return None


# -- content negotiation --------------------------------------------------------------


def _accept_ranges(accept: str | None) -> list[tuple[str, float]]:
    ranges = []
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(ranges: list[tuple[str, float]], media: str) -> tuple[float, int, int]:
    """(q, specificity, -position) of the most specific range matching `media`."""
    kind = media.split("/")[0]
    best: tuple[float, int, int] = (0.0, -1, 0)
    for pos, (rng, q) in enumerate(ranges):
        if rng == media:
            spec = 2
        elif rng == f"{kind}/*":
            spec = 1
        elif rng in ("*/*", "*"):
            spec = 0
        else:
            continue
        if spec > best[1]:
            best = (q, spec, -pos)
    return best


def negotiate(accept: str | None, form: str) -> str | None:
    """The fmt an Accept header asks for, for a query of this form ("select", "ask",
    "graph"); the form's default for no header or */*; None when nothing offered is
    acceptable (HTTP 406)."""
    offers = MEDIA_TYPES["graph" if form == "graph" else "select"]
    ranges = _accept_ranges(accept)
    if not ranges:
        return offers[0][1]
    best: tuple[tuple[float, int, int], int] | None = None
    chosen = None
    for order, (media, fmt) in enumerate(offers):
        q = _quality(ranges, media)
        if q[0] <= 0:
            continue
        # higher q wins; then an exact mention beats a wildcard; then the client's order;
        # then ours
        key = ((q[0], min(q[1], 1), q[2]), -order)
        if best is None or key > best:
            best, chosen = key, fmt
    return chosen


def format_for(value: str | None, accept: str | None, form: str) -> str | None:
    """The fmt for a request: a `format=` value (a short name such as "csv", "ttl",
    "json-ld", or a media type) wins over Accept. None: nothing acceptable (406)."""
    if value:
        name = value.strip().lower()
        fmt = _FORMAT_NAMES.get(name)
        if fmt is None:
            fmt = negotiate(name, form) if "/" in name else None
            if fmt is None:
                return None
        if form == "graph" and fmt in RESULT_FORMATS:
            return _TO_GRAPH[fmt]
        if form != "graph" and fmt in GRAPH_FORMATS:
            return _TO_RESULTS[fmt] if fmt in ("jsonld", "rdfxml") else None
        return fmt
    return negotiate(accept, form)


def prefers_html(accept: str | None, others: Sequence[str]) -> bool:
    """Whether Accept names text/html and rates it above every one of `others`."""
    ranges = _accept_ranges(accept)
    html = _quality(ranges, "text/html")
    if html[0] <= 0 or html[1] < 1:
        return False
    return all(html[0] > _quality(ranges, other)[0] for other in others)


# -- serialising results (in the worker) ------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return str(term.value)


def _serialize_rows(fmt: str, names: list[str], rows: list[list[Any]]) -> bytes:
    if fmt == "json":
        bindings = [
            {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names))
        out.append("</head>\n<results>\n")
        for row in rows:
            out.append("<result>")
            for n, t in zip(names, row, strict=True):
                if t is not None:
                    out.append(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>")
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_value(t) for t in row])
        return buf.getvalue().encode()
    if fmt == "tsv":
        # terms in Turtle/N-Triples syntax; str() of a pyoxigraph term escapes tabs and
        # line breaks inside literals
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown results format {fmt!r}")


def _serialize_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    # CSV and TSV define no boolean form; one line, as Oxigraph and Jena write it
    return b"true\n" if value else b"false\n"


def _serialize_triples(fmt: str, triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    rdf_format = _RDF_FORMATS[fmt]
    kwargs: dict[str, Any] = {}
    if fmt in ("turtle", "rdfxml"):
        kwargs["prefixes"] = prefixes
    return ox.serialize(triples, format=rdf_format, **kwargs) or b""


# -- the worker process -----------------------------------------------------------------


def _stamp(data: Path) -> float:
    """When the store or index last changed (their directories' mtimes), as web.data."""
    stamps = [p.stat().st_mtime for p in (data / "oxigraph", data / "index") if p.exists()]
    return max(stamps, default=0.0)


def _isolate_network() -> bool:
    """Move this process into a new, empty network namespace; False where not allowed."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    if libc.unshare(clone_newnet) == 0:
        return True
    return bool(libc.unshare(clone_newuser | clone_newnet) == 0)


def _short(exc: BaseException, limit: int = 300) -> str:
    """An error's message on one line, at most `limit` characters (the parser's list of
    expected tokens can run to a page)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Evaluator:
    """The store side of a worker: opens the store, reopens it after an ingest."""

    def __init__(self, data_dir: str) -> None:
        from kg import queries

        self.data = Path(data_dir)
        self.prefixes = dict(queries.PREFIXES)
        self.store: Any = None
        self.stamp = 0.0

    def open(self) -> Any:
        from kg.store import Store, StoreError

        # looked at for every query (two stats, microseconds): an answer is then never
        # older than the web process's view of the data, so the response cache
        # (web/responsecache.py) cannot keep an answer from before an ingest it has seen
        stamp = _stamp(self.data)
        if self.store is None or stamp != self.stamp:
            if self.store is not None:
                self.store.close()
                self.store = None
            try:
                self.store = Store(self.data, read_only=True)
            except StoreError as exc:
                # said to a web client too: the server's own path is left out
                problem = str(exc).removeprefix(str(self.data))
                raise ServiceUnavailable(f"the data directory{problem}") from exc
            self.stamp = stamp
        return self.store

    def answer(self, request: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return ("ok", *self._answer(request))
        except SparqlError as exc:
            return ("error", type(exc).__name__, exc.status, exc.message)
        except SyntaxError as exc:
            return ("error", "QuerySyntaxError", 400, f"SPARQL syntax error: {_short(exc)}")
        except (ValueError, TypeError) as exc:
            return ("error", "QueryFailed", 400, f"SPARQL query failed: {_short(exc)}")
        except OSError as exc:
            return ("error", "SparqlError", 500, f"SPARQL query failed: {_short(exc)}")

    def _answer(self, request: dict[str, Any]) -> tuple[bytes, str, bool, str]:
        store = self.open().store
        kwargs: dict[str, Any] = {"prefixes": self.prefixes}
        if request["default_graph"] is not None:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in request["default_graph"]]
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in request["named_graphs"]]
        result = store.query(request["query"], **kwargs)
        fmt: str = request["fmt"]
        cap: int = request["max_rows"]
        if isinstance(result, ox.QueryBoolean):
            fmt = fmt if fmt in RESULT_FORMATS else _TO_RESULTS[fmt]
            return _serialize_boolean(fmt, bool(result)), RESULT_FORMATS[fmt], False, "ask"
        if isinstance(result, ox.QuerySolutions):
            fmt = fmt if fmt in RESULT_FORMATS else _TO_RESULTS[fmt]
            names = [v.value for v in result.variables]
            rows: list[list[Any]] = []
            truncated = False
            for solution in result:
                if len(rows) >= cap:
                    truncated = True
                    break
                rows.append([solution[n] for n in names])
            body = _serialize_rows(fmt, names, rows)
            return body, RESULT_FORMATS[fmt], truncated, "select"
        fmt = fmt if fmt in GRAPH_FORMATS else _TO_GRAPH[fmt]
        triples: list[ox.Triple] = []
        truncated = False
        for triple in result:
            if len(triples) >= cap:
                truncated = True
                break
            triples.append(triple)
        body = _serialize_triples(fmt, triples, self.prefixes)
        return body, GRAPH_FORMATS[fmt], truncated, "graph"


def _watch_parent(parent: int) -> None:
    """End this worker when its parent is gone, even in the middle of a query (pyoxigraph
    lets other threads run while it evaluates)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _worker_main() -> None:
    """A worker (``python -c ...`` DATA_DIR): answer requests from stdin one at a time
    until stdin closes or says stop; replies go to the original stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    isolated = _isolate_network()  # first, while this process has one thread
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # a stray print must not corrupt the replies
    requests = Connection(0, writable=False)
    replies = Connection(reply_fd, readable=False)
    evaluator = _Evaluator(sys.argv[1])
    with contextlib.suppress(SparqlError):
        evaluator.open()  # opening is the slow part: do it before saying ready
    replies.send(("ready", isolated))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        replies.send(evaluator.answer(request))


_WORKER_CODE = "from kg.sparqlservice import _worker_main; _worker_main()"


class _Worker:
    """One worker process, started with the running interpreter (not multiprocessing's
    spawn, which would re-run the parent's __main__ module, e.g. a script or a server)."""

    def __init__(self, data_dir: str) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, data_dir],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
            start_new_session=True,  # a Ctrl-C in the terminal is the parent's
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False
        self.isolated = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.replies.poll(timeout):
            raise ServiceUnavailable("a SPARQL worker did not start in time")
        message = self.replies.recv()
        self.ready, self.isolated = True, bool(message[1])

    def _close_pipes(self) -> None:
        for conn in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                conn.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()  # SIGKILL: pyoxigraph cannot be interrupted otherwise
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._close_pipes()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.requests.send(None)
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_pipes()


_ERRORS: dict[str, type[SparqlError]] = {
    cls.__name__: cls
    for cls in (
        SparqlError,
        QuerySyntaxError,
        QueryRefused,
        QueryTimeout,
        QueryFailed,
        ServiceUnavailable,
    )
}


# -- the service ----------------------------------------------------------------------


@dataclass
class Answer:
    """A serialised answer: `body` in `media_type`; `truncated` when the row cap cut it;
    `form` is "select", "ask" or "graph" (CONSTRUCT, DESCRIBE)."""

    body: bytes
    media_type: str
    truncated: bool
    form: str


class SparqlService:
    """Runs read-only SPARQL queries over a data directory in a pool of worker processes.

    Args:
        data_dir: the govkg data directory (DATA/oxigraph, DATA/index).
        timeout: seconds a query may run before its worker is killed (QueryTimeout).
        max_rows: solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) at most per answer.
        workers: worker processes, i.e. queries running at the same time.
        rewrite: applied to the query text before anything else (kg.textsparql).
        slow_after: seconds after which a running query is slow (see the module's notes).
        max_slow: slow queries at most whose worker is replaced in the pool meanwhile.
        queue_wait: seconds a call waits for a free worker (default: twice its time limit).

    Thread-safe: web server threads share one service; a call waits for a free worker
    (at most `queue_wait` seconds, then ServiceUnavailable).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        workers: int = 2,
        rewrite: Callable[[str], str] | None = None,
        slow_after: float = 1.0,
        max_slow: int = 1,
        queue_wait: float | None = None,
    ) -> None:
        self.data_dir = str(Path(data_dir).resolve())
        self.timeout = float(timeout)
        self.max_rows = int(max_rows)
        self.workers = max(1, int(workers))
        self.slow_after = float(slow_after)
        self.max_slow = max(0, int(max_slow))
        self._slow = 0  # slow queries whose worker was replaced in the pool
        self.queue_wait = None if queue_wait is None else float(queue_wait)
        self.rewrite = rewrite
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._started = False
        self._closed = False

    # -- pool -------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        worker = _Worker(self.data_dir)
        with self._lock:
            self._all.add(worker)
        return worker

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise ServiceUnavailable("the SPARQL service is closed")
            self._started = True
        for _ in range(self.workers):
            self._idle.put(self._spawn())

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and put a fresh one (starting in the background) in the pool."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        if not closed:
            self._idle.put(self._spawn())

    def warm(self) -> None:
        """Start the workers now (they open the store) instead of at the first query."""
        self._start()

    @property
    def isolated(self) -> bool | None:
        """Whether the workers started so far run without a network (None: none ready)."""
        with self._lock:
            ready = [w for w in self._all if w.ready]
        return all(w.isolated for w in ready) if ready else None

    # -- queries ----------------------------------------------------------------------
    def run(
        self,
        query: str,
        *,
        fmt: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Answer:
        """Evaluate `query` and serialise its answer as `fmt` (a key of FORMATS; a
        results format asked of CONSTRUCT means its graph sibling: json -> jsonld,
        xml -> rdfxml, csv/tsv -> ntriples; a graph format asked of SELECT/ASK: json).

        Raises:
            QuerySyntaxError, QueryRefused, QueryFailed (400); QueryTimeout,
            ServiceUnavailable (503); SparqlError (other).
        """
        if fmt not in FORMATS:
            raise SparqlError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        limit = self.timeout if timeout is None else float(timeout)
        # the limit is on what the client sent: a text:search rewrite adds ~170
        # characters per hit (VALUES rows), which is ours, not theirs
        if len(query) > MAX_QUERY_CHARS:
            raise SparqlError(f"the query is longer than {MAX_QUERY_CHARS} characters", 413)
        if self.rewrite is not None:
            try:
                query = self.rewrite(query)
            except SparqlError:
                raise
            except (ValueError, SyntaxError) as exc:
                raise QuerySyntaxError(str(exc)) from exc
        refused = refusal(query)
        if refused is not None:
            raise refused
        dataset: list[str] | None = None
        if default_graph_uris or named_graph_uris:
            for uri in (*default_graph_uris, *named_graph_uris):
                try:
                    ox.NamedNode(uri)
                except ValueError:
                    raise SparqlError(f"not an absolute IRI: {uri!r}") from None
            dataset = list(default_graph_uris)
        request = {
            "query": query,
            "fmt": fmt,
            "default_graph": dataset,
            "named_graphs": list(named_graph_uris),
            "max_rows": self.max_rows,
        }
        reply = self._evaluate(request, limit)
        if reply[0] == "ok":
            _, body, media_type, truncated, form = reply
            return Answer(body=body, media_type=media_type, truncated=truncated, form=form)
        _, kind, status, message = reply
        raise _ERRORS.get(kind, SparqlError)(message, status)

    def _evaluate(self, request: dict[str, Any], limit: float) -> tuple[Any, ...]:
        self._start()
        try:
            wait = 2 * limit if self.queue_wait is None else self.queue_wait
            worker = self._idle.get(timeout=max(wait, 0.1))
        except queue.Empty:
            raise ServiceUnavailable(
                f"every SPARQL worker is busy; try again in {limit:g} s"
            ) from None
        slow: bool | None = None  # None: not slow; False: slow, not replaced; True: replaced
        try:
            if not worker.alive():
                raise EOFError
            worker.wait_ready(READY_TIMEOUT)
            worker.requests.send(request)
            started = time.monotonic()
            if limit > self.slow_after and not worker.replies.poll(self.slow_after):
                slow = self._slowed(worker)
            if not worker.replies.poll(max(0.0, limit - (time.monotonic() - started))):
                self._retire(worker, slow)
                worker = None  # type: ignore[assignment]
                raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped")
            reply: tuple[Any, ...] = worker.replies.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker, slow)
            worker = None  # type: ignore[assignment]
            raise ServiceUnavailable("the SPARQL worker stopped unexpectedly; try again") from None
        except ServiceUnavailable:
            self._retire(worker, slow)
            worker = None  # type: ignore[assignment]
            raise
        finally:
            if worker is not None:
                if slow:  # a fresh worker took its place in the pool
                    self._retire(worker, slow)
                else:  # (a slow one stays at the lowest priority: SPARQL yields to pages)
                    self._idle.put(worker)
        return reply

    def _slowed(self, worker: _Worker) -> bool:
        """`worker`'s query is slow: lowest CPU priority, and a fresh worker in its place
        in the pool while fewer than `max_slow` are. Returns whether one was added."""
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
        with self._lock:
            replace = self._slow < self.max_slow and not self._closed
            if replace:
                self._slow += 1
        if replace:
            self._idle.put(self._spawn())
        return replace

    def _retire(self, worker: _Worker, slow: bool | None) -> None:
        """Kill a worker whose query failed or was slow; the pool gets a fresh one unless
        one joined it when the query turned slow."""
        if not slow:
            self._replace(worker)
            return
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self._slow -= 1

    def close(self) -> None:
        """Stop every worker (a running query is killed). Idempotent."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            if worker.alive() and worker.ready:
                worker.stop()
            else:
                worker.kill()

    def __enter__(self) -> SparqlService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- service description ------------------------------------------------------------------

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SD_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
]


def service_description(endpoint: str, fmt: str, graphs: Sequence[str] = ()) -> Answer:
    """A SPARQL 1.1 Service Description of the endpoint at `endpoint` in the RDF format
    `fmt` (a key of GRAPH_FORMATS), listing the document graphs `graphs`."""
    fmt = fmt if fmt in GRAPH_FORMATS else _TO_GRAPH.get(fmt, "turtle")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(_SD + name)

    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, sd("Graph")),
    ]
    triples += [
        ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS_NS + name))
        for name in _SD_FORMATS
    ]
    for i, graph in enumerate(graphs):
        node = ox.BlankNode(f"g{i}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), node),
            ox.Triple(node, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(graph)),
        ]
    from kg import queries

    prefixes = {"sd": _SD, "formats": _FORMATS_NS, **queries.PREFIXES}
    body = _serialize_triples(fmt, triples, prefixes)
    return Answer(body=body, media_type=GRAPH_FORMATS[fmt], truncated=False, form="graph")
