"""/sparql: the SPARQL 1.1 Protocol endpoint (read-only, offline, time-limited).

- GET ``/sparql?query=...``; POST ``application/x-www-form-urlencoded`` (``query=...``);
  POST ``application/sparql-query`` (the query is the body). ``default-graph-uri`` and
  ``named-graph-uri`` set the dataset, as the Protocol says.
- SELECT/ASK answer in SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE in Turtle,
  N-Triples, JSON-LD or RDF/XML: by Accept, or by ``format=`` (a short name such as
  ``csv``/``ttl``/``json-ld``, or a media type), which wins. 406 when nothing fits.
- Updates (``update=``, ``application/sparql-update``, an INSERT/DELETE/LOAD/... text)
  and SERVICE are refused (400). A query running past SPARQL_TIMEOUT seconds (default
  10) is stopped: 503. At most SPARQL_MAX_ROWS (default 10,000) rows or triples are
  sent; a cut answer carries ``X-GovKG-Truncated: true``.
- Errors have the one error shape ({"ok": false, "error": ..., "status": N}) as JSON,
  or the error page for a client that prefers HTML.
- GET /sparql without a query: browsers are sent (303) to the editor at /query; other
  clients get the SPARQL 1.1 Service Description (Turtle, or other RDF by Accept).
- CORS: any origin may read answers (``Access-Control-Allow-Origin: *``); preflight
  (OPTIONS) allows GET and POST with the Protocol's content types.

The queries run in `kg.sparqlservice.SparqlService`; `service()` gives other views
(the editor) the app's one service.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request
from flask.json import dumps

from kg.sparqlservice import (
    GRAPH_FORMATS,
    MAX_QUERY_CHARS,
    TRUNCATED_HEADER,
    SparqlError,
    SparqlService,
    format_for,
    prefers_html,
    query_form,
    service_description,
)
from web.errors import error_data

bp = Blueprint("sparql", __name__)

EDITOR = "/query"
"""Where a browser asking /sparql for HTML is sent (the query editor page)."""

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
MAX_BODY = 4 * MAX_QUERY_CHARS
"""Bytes of request body read at most (a longer body: 413)."""

_READ_ONLY = "read-only endpoint: SPARQL Update is refused"
_lock = threading.Lock()


# -- the app's service ----------------------------------------------------------------


def _rewrite() -> Callable[[str], str] | None:
    """The text:search rewriting of kg.textsparql, over this process's read-only index."""
    try:
        from kg import textsparql
    except ImportError:
        return None
    from web import data

    def rewrite(query: str) -> str:
        if not textsparql.uses_text_search(query):
            return query
        return str(textsparql.rewrite(query, data.index()))

    return rewrite


def service() -> SparqlService:
    """The app's SparqlService (created at first use, closed at process exit).

    Configured by SPARQL_TIMEOUT (seconds, default 10), SPARQL_MAX_ROWS (default
    10,000) and SPARQL_WORKERS (processes, default 2). Call it in a request or app
    context: ``service().run(query, fmt="json")``.
    """
    app: Any = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("govkg.sparql")
    if found is not None:
        return found  # type: ignore[no-any-return]
    with _lock:
        found = app.extensions.get("govkg.sparql")
        if found is None:
            found = SparqlService(
                app.config["DATA"],
                timeout=float(app.config.get("SPARQL_TIMEOUT", 10)),
                max_rows=int(app.config.get("SPARQL_MAX_ROWS", 10_000)),
                workers=int(app.config.get("SPARQL_WORKERS", 2)),
                rewrite=_rewrite(),
            )
            app.extensions["govkg.sparql"] = found
            atexit.register(found.close)
    return found  # type: ignore[no-any-return]


# -- responses ------------------------------------------------------------------------


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error shape: JSON, or the error page for a client preferring HTML."""
    data = error_data(status, message)
    if prefers_html(request.headers.get("Accept"), ["application/json"]):
        titles = {400: "Bad request", 406: "Not acceptable", 503: "Service unavailable"}
        html = render_template("error.html", **data, title=titles.get(status, "Error"))
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = Response(dumps(data), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def _not_acceptable(form: str) -> Response:
    from kg.sparqlservice import MEDIA_TYPES

    offers = sorted({media for media, _ in MEDIA_TYPES["graph" if form == "graph" else "select"]})
    return _error(406, "no acceptable format; this answer can be " + ", ".join(offers))


@bp.after_request
def cors(response: Response) -> Response:
    if request.endpoint and request.endpoint.startswith("sparql."):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = TRUNCATED_HEADER
        response.vary.add("Accept")
    return response


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = "GET, POST, OPTIONS"
    return response


# -- the endpoint -----------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _body() -> str:
    if (request.content_length or 0) > MAX_BODY:
        raise _Bad(413, f"the request body is larger than {MAX_BODY} bytes")
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise _Bad(413, f"the request body is larger than {MAX_BODY} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Bad(400, "the query is not UTF-8") from None


def _parameters() -> tuple[str | None, Any]:
    """(query text or None, the parameters holding dataset and format choices)."""
    if request.method == "GET":
        params = request.args
        if "update" in params:
            raise _Bad(400, _READ_ONLY)
        queries = params.getlist("query")
    else:
        mimetype = request.mimetype
        if mimetype == UPDATE_BODY:
            raise _Bad(400, _READ_ONLY)
        if mimetype == FORM:
            if (request.content_length or 0) > MAX_BODY:
                raise _Bad(413, f"the request body is larger than {MAX_BODY} bytes")
            params = request.form.copy()
            for key, values in request.args.lists():
                params.setlist(key, params.getlist(key) + values)
            if "update" in params:
                raise _Bad(400, _READ_ONLY)
            queries = params.getlist("query")
            if not queries:
                raise _Bad(400, "no query: send query=... in the form body")
        elif mimetype == QUERY_BODY:
            params = request.args
            queries = [_body()]
        else:
            raise _Bad(
                415,
                f"POST a query as {FORM} (query=...) or as {QUERY_BODY}; "
                f"not {mimetype or 'no content type'}",
            )
    if len(queries) > 1:
        raise _Bad(400, "more than one query parameter")
    return (queries[0] if queries else None), params


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint() -> Any:
    if request.method == "OPTIONS":
        return _preflight()
    try:
        query, params = _parameters()
    except _Bad as bad:
        return _error(bad.status, bad.message)
    if query is None:
        return _describe(params)
    if not query.strip():
        return _error(400, "the query is empty")
    form = query_form(query)
    fmt = format_for(params.get("format"), request.headers.get("Accept"), form)
    if fmt is None:
        return _not_acceptable(form)
    try:
        answer = service().run(
            query,
            fmt=fmt,
            default_graph_uris=params.getlist("default-graph-uri"),
            named_graph_uris=params.getlist("named-graph-uri"),
        )
    except SparqlError as exc:
        headers = {"Retry-After": "5"} if exc.status == 503 else None
        return _error(exc.status, exc.message, headers)
    response = Response(answer.body, status=200, mimetype=answer.media_type)
    if answer.truncated:
        response.headers[TRUNCATED_HEADER] = "true"
        response.headers["X-GovKG-Row-Limit"] = str(service().max_rows)
    return response


def _describe(params: Any) -> Any:
    """GET /sparql without a query: the editor for browsers, else the Service Description."""
    accept = request.headers.get("Accept")
    if not params.get("format") and prefers_html(accept, list(GRAPH_FORMATS.values())):
        return redirect(EDITOR, code=303)
    fmt = format_for(params.get("format"), accept, "graph")
    if fmt is None:
        return _not_acceptable("graph")
    graphs: list[str] = []
    try:
        listed = service().run(
            "SELECT ?g WHERE { GRAPH ?g { ?g gkg:sha256 ?sha } } ORDER BY ?g", fmt="tsv"
        )
        graphs = [line.strip("<>") for line in listed.body.decode().splitlines()[1:] if line]
    except SparqlError:
        pass  # no data yet: describe the service without its graphs
    answer = service_description(request.base_url, fmt, graphs)
    return Response(answer.body, status=200, mimetype=answer.media_type)
