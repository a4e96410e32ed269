"""/query: a SPARQL editor that works without JavaScript.

``GET /query`` shows a form: a textarea (prefilled with the PREFIX lines govkg queries
may use, ``text:`` included), the example queries of ``ontology/queries/`` as a menu
(``/query?example=NAME`` loads one into the textarea) and a Run button. ``GET
/query?query=...`` runs the query through the app's SPARQL service (the one behind
/sparql: read-only, time-limited, text:search rewritten) and renders the answer on the
server: a table for SELECT (govkg IRIs link to their pages, other IRIs shown compacted,
literals escaped), true/false for ASK, Turtle for CONSTRUCT/DESCRIBE; download links
fetch the same query from /sparql as CSV, TSV, JSON, XML (or Turtle, N-Triples,
JSON-LD). A query the service refuses shows its message with its status (400 for a
syntax error, 503 for a timeout).

``static/sparql-editor.js`` adds syntax highlighting and Ctrl+Enter to run; nothing
depends on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from kg.examples import Example, ExampleError, example, examples
from kg.iris import base
from kg.queries import PREFIXES
from kg.textsparql import TEXT_NS

bp = Blueprint("editor", __name__)

MAX_SHOWN = 1000
"""Rows rendered in the page at most; the downloads carry the rest."""

STARTER = """SELECT ?date ?meeting ?title WHERE {
  ?meeting a gkg:Meeting .
  OPTIONAL { ?meeting dcterms:date ?date }
  OPTIONAL { ?meeting dcterms:title ?title }
}
ORDER BY DESC(?date)
LIMIT 20
"""

DOWNLOADS = {
    "select": [("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xml", "XML")],
    "ask": [("json", "JSON"), ("xml", "XML")],
    "graph": [("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD")],
}


def prefix_lines() -> str:
    """PREFIX lines for every prefix a govkg query may use, and text: for full text."""
    names = {**PREFIXES, "text": TEXT_NS}
    width = max(len(p) for p in names) + 1
    return "".join(f"PREFIX {(p + ':').ljust(width)} <{ns}>\n" for p, ns in names.items())


@dataclass
class Cell:
    text: str
    href: str | None = None
    kind: str = "literal"
    """uri, literal or bnode."""
    title: str | None = None


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def cell(term: dict[str, Any] | None) -> Cell:
    """One SPARQL JSON term as a table cell."""
    if term is None:
        return Cell("", kind="unbound")
    value = str(term.get("value", ""))
    kind = term.get("type", "literal")
    if kind == "uri":
        data = base()
        if value.startswith(data) and len(value) > len(data):
            local = value[len(data) :]
            return Cell(local, href="/id/" + local, kind="uri", title=value)
        return Cell(_compact(value), kind="uri", title=value)
    if kind == "bnode":
        return Cell("_:" + value, kind="bnode")
    lang = term.get("xml:lang")
    return Cell(value, kind="literal", title=f"@{lang}" if lang else None)


def _menu(chosen: Example | None) -> list[dict[str, Any]]:
    return [
        {
            "name": ex.name,
            "title": ex.title,
            "description": ex.description,
            "url": "/query?" + urlencode({"example": ex.name}),
            "current": chosen is not None and ex.name == chosen.name,
        }
        for ex in examples()
    ]


def _downloads(query: str, form: str) -> list[dict[str, str]]:
    return [
        {"label": label, "url": "/sparql?" + urlencode({"query": query, "format": fmt})}
        for fmt, label in DOWNLOADS.get(form, [])
    ]


def _run(query: str) -> dict[str, Any]:
    """The answer as what the template shows (raises SparqlError)."""
    from kg.sparqlservice import query_form
    from web.views.sparql import service

    fmt = "turtle" if query_form(query) == "graph" else "json"
    answer = service().run(query, fmt=fmt)
    out: dict[str, Any] = {"form": answer.form, "truncated": answer.truncated}
    text = answer.body.decode("utf-8")
    if answer.form == "graph":
        out["turtle"] = text
        return out
    data = json.loads(text)
    if answer.form == "ask" or "boolean" in data:
        out["form"] = "ask"
        out["boolean"] = bool(data.get("boolean"))
        return out
    names = list(data.get("head", {}).get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    out["names"] = names
    out["total"] = len(bindings)
    out["rows"] = [[cell(b.get(n)) for n in names] for b in bindings[:MAX_SHOWN]]
    return out


@bp.route("/query", methods=["GET"])
def editor() -> Any:
    from kg.sparqlservice import SparqlError

    status = 200
    error: str | None = None
    chosen: Example | None = None
    name = request.args.get("example")
    if name:
        try:
            chosen = example(name)
        except ExampleError as exc:
            error, status = str(exc), 404
    query = request.args.get("query")
    ran = query is not None and bool(query.strip())
    if query is None or not query.strip():
        query = chosen.query if chosen is not None else prefix_lines() + "\n" + STARTER
    result: dict[str, Any] | None = None
    if ran and error is None:
        try:
            result = _run(query)
        except SparqlError as exc:
            error, status = exc.message, exc.status
    return (
        render_template(
            "sparql_editor.html",
            title="SPARQL query editor",
            query=query,
            chosen=chosen,
            menu=_menu(chosen),
            result=result,
            error=error,
            status=status,
            ran=ran,
            downloads=_downloads(query, result["form"]) if result else [],
            max_shown=MAX_SHOWN,
        ),
        status,
    )
