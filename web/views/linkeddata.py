"""Linked Data: every data IRI dereferences as RDF, plus /ontology, VoID and dumps.

- ``/id/<type>/<slug>`` answers RDF (Turtle, N-Triples, JSON-LD, RDF/XML; a document IRI
  also TriG and N-Quads) when the client prefers it (``Accept``), asks for it
  (``?format=ttl``) or names it (``/id/person/x.ttl``). HTML stays the default, as on
  Wikidata and DBpedia: RDF only when an RDF type is preferred over text/html. The HTML
  and JSON pages themselves are the entity and meeting views'; this module answers
  before them (a `before_app_request` hook) and adds ``Vary: Accept`` and a ``Link``
  header naming the other formats to whatever answers.
- ``/ontology``: the vocabulary (ontology/govkg.ttl) as an HTML page with an anchor
  per term (gkg:Meeting is /ontology#Meeting), or as RDF (conneg, /ontology.ttl, ...).
- ``/void`` and ``/.well-known/void``: a VoID description (Turtle unless asked).
- ``/dumps``: the whole store as TriG, N-Quads (named graphs), Turtle, N-Triples
  (union graph), streamed from the store, gzipped for a ``.gz`` name or an
  ``Accept-Encoding: gzip`` client.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request

from kg import iris
from kg import linkeddata as ld
from web import data

bp = Blueprint("linkeddata", __name__)

ID_PATH = re.compile(r"^/id/([a-z]+)/([A-Za-z0-9][A-Za-z0-9._-]{0,200})$")
SHA = re.compile(r"^[0-9a-f]{64}$")
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/json")
"""Answered by the HTML/JSON views (listed first: on a tie, HTML wins)."""
TRIPLE_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
DATASET_FORMATS = (*TRIPLE_FORMATS, "trig", "nquads")
NOT_FOUND = "Nothing is known by that name"


# -- choosing a format -----------------------------------------------------------------
def _split_suffix(slug: str, allowed: tuple[str, ...]) -> tuple[str, ld.Format | None]:
    """("jane-doe", turtle) for "jane-doe.ttl"; (slug, None) without an RDF suffix."""
    stem, dot, ext = slug.rpartition(".")
    if dot:
        fmt = ld.format_for(ext)
        if fmt is not None and fmt.name in allowed and ext == fmt.extension:
            return stem, fmt
    return slug, None


def negotiate(allowed: tuple[str, ...], *, html: bool = True) -> ld.Format | None:
    """The RDF format to answer with, or None when HTML/JSON is wanted.

    `?format=` wins, then ``Accept``. With `html`, the page formats are offered first,
    so ``*/*`` and a browser's Accept get the page; without it, the first of `allowed`
    is the default. An Accept naming nothing on offer is a 406.
    """
    asked = request.args.get("format")
    if asked:
        fmt = ld.format_for(asked)
        if fmt is not None and fmt.name in allowed:
            return fmt
        if html and asked in ("html", "json"):
            return None
        abort(
            406,
            f"No format {asked!r} here; use one of "
            + ", ".join(ld.FORMATS[n].extension for n in allowed),
        )
    offers = [ld.FORMATS[n].media_type for n in allowed]
    if html:
        offers = [*HTML_TYPES, *offers]
    accept = request.accept_mimetypes
    if not accept:
        return None if html else ld.FORMATS[allowed[0]]
    best = accept.best_match(offers)
    if best is None:
        abort(
            406,
            "None of the media types accepted can be served here; available: " + ", ".join(offers),
        )
    if best in HTML_TYPES:
        return None
    return next(ld.FORMATS[n] for n in allowed if ld.FORMATS[n].media_type == best)


def rdf_response(body: bytes, fmt: ld.Format, *, filename: str | None = None) -> Response:
    mimetype = fmt.media_type
    response = Response(body, mimetype=mimetype)
    if mimetype.startswith("text/"):
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.vary.add("Accept")
    return response


def link_header(path: str, allowed: tuple[str, ...], *, html: bool = True) -> str:
    """``Link`` alternates: the HTML page and each RDF format of `path`."""
    links = [f'<{path}>; rel="alternate"; type="text/html"'] if html else []
    for name in allowed:
        fmt = ld.FORMATS[name]
        links.append(f'<{path}.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"')
    return ", ".join(links)


# -- /id/... ------------------------------------------------------------------------------
@bp.before_app_request
def dereference() -> Any:
    """RDF for a data IRI when asked for; None lets the HTML/JSON views answer."""
    if request.method not in ("GET", "HEAD"):
        return None
    match = ID_PATH.match(request.path)
    if not match:
        return None
    kind, slug = match.groups()
    allowed = DATASET_FORMATS if kind == "document" else TRIPLE_FORMATS
    slug, fmt = _split_suffix(slug, allowed)
    filename = f"{kind}-{slug}.{fmt.extension}" if fmt else None
    if fmt is None:
        if slug.endswith(".json"):
            return None
        fmt = negotiate(allowed)
        if request.args.get("format") and fmt is not None:
            filename = f"{kind}-{slug}.{fmt.extension}"
    store = data.store()
    iri = f"{iris.base()}{kind}/{slug}"
    if fmt is None:
        return _html_fallback(store, kind, iri)
    if kind == "document":
        quads = ld.document_quads(store, slug) if SHA.match(slug) else []
        if not quads:
            abort(404, "No such document")
        body = ld.serialize(quads, fmt)
    else:
        triples = ld.describe(store, iri)
        if not triples:
            abort(404, NOT_FOUND)
        body = ld.serialize(triples, fmt)
    response = rdf_response(body, fmt, filename=filename)
    response.headers["Link"] = link_header(f"/id/{kind}/{slug}", allowed)
    return response


def _html_fallback(store: Any, kind: str, iri: str) -> Any:
    """HTML for the IRIs no page shows: a membership goes to the meeting it was recorded
    at, an announced next meeting to the meeting that announced it."""
    if kind == "membership":
        query = f"SELECT ?m WHERE {{ <{iri}> gkg:recordedAt ?m }} ORDER BY ?m LIMIT 1"
    elif kind == "meeting" and iri.endswith("-next"):
        query = (
            f"SELECT ?m WHERE {{ ?m gkg:nextMeeting <{iri}> "
            f"FILTER NOT EXISTS {{ <{iri}> prov:wasDerivedFrom ?d }} }} ORDER BY ?m LIMIT 1"
        )
    else:
        return None
    rows = store.select(query)[1]
    target = rows[0]["m"] if rows else None
    if not target or not target.startswith(iris.base() + "meeting/"):
        if kind == "membership":
            abort(404, NOT_FOUND)
        return None
    return redirect(f"/meeting/{target.rsplit('/', 1)[-1]}", 303)


@bp.after_app_request
def vary(response: Response) -> Response:
    """Every /id/ answer depends on Accept; name the RDF alternates on the pages too."""
    match = ID_PATH.match(request.path)
    if match:
        response.vary.add("Accept")
        kind, slug = match.groups()
        allowed = DATASET_FORMATS if kind == "document" else TRIPLE_FORMATS
        slug, _ = _split_suffix(slug, allowed)
        if response.status_code < 400 and "Link" not in response.headers:
            response.headers["Link"] = link_header(f"/id/{kind}/{slug}", allowed)
    return response


# -- /ontology ------------------------------------------------------------------------------
@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Any:
    """The govkg vocabulary: documentation (HTML) or the RDF itself."""
    if ext is not None:
        fmt = ld.format_for(ext)
        if fmt is None or fmt.name not in TRIPLE_FORMATS or ext != fmt.extension:
            abort(404, "No such format of the vocabulary")
    else:
        fmt = negotiate(TRIPLE_FORMATS)
    if fmt is None:
        model = ld.ontology_model()
        downloads = [
            {
                "label": label,
                "href": f"/ontology.{ld.FORMATS[n].extension}",
                "media_type": ld.FORMATS[n].media_type,
            }
            for n, label in (
                ("turtle", "Turtle"),
                ("jsonld", "JSON-LD"),
                ("ntriples", "N-Triples"),
                ("rdfxml", "RDF/XML"),
            )
        ]
        response = Response(
            render_template("ontology.html", title="Vocabulary", onto=model, downloads=downloads),
            mimetype="text/html",
        )
    else:
        response = rdf_response(
            ld.ontology_bytes(fmt),
            fmt,
            filename=f"govkg.{fmt.extension}" if ext or request.args.get("format") else None,
        )
    response.vary.add("Accept")
    response.headers["Link"] = link_header("/ontology", TRIPLE_FORMATS)
    return response


# -- VoID -----------------------------------------------------------------------------------
@bp.get("/void")
@bp.get("/.well-known/void")
@bp.get("/void.<ext>")
def void(ext: str | None = None) -> Any:
    """A VoID description of the dataset: Turtle unless another RDF format is asked for."""
    if ext is not None:
        fmt = ld.format_for(ext)
        if fmt is None or fmt.name not in TRIPLE_FORMATS or ext != fmt.extension:
            abort(404, "No such format of the VoID description")
    else:
        fmt = negotiate(TRIPLE_FORMATS, html=False)
    assert fmt is not None
    triples = ld.void_triples(data.store(), request.url_root)
    response = rdf_response(ld.serialize(triples, fmt), fmt)
    response.headers["Link"] = link_header("/void", TRIPLE_FORMATS, html=False)
    return response


# -- dumps ----------------------------------------------------------------------------------
DUMP_LABELS = {
    "trig": "TriG: one named graph per source document (the graph is the document's IRI), "
    "and the derived graphs (identity, follow-up links, review decisions)",
    "nquads": "N-Quads: the same quads, one per line",
    "turtle": "Turtle: the union of the named graphs, each triple once",
    "ntriples": "N-Triples: the union graph, one triple per line",
}


@bp.get("/dumps")
def dumps() -> Any:
    """The dumps on offer."""
    store = data.store()
    counts = ld.void_counts(store)
    files = []
    for name, fmt_name in ld.DUMPS.items():
        fmt = ld.FORMATS[fmt_name]
        files.append(
            {
                "name": name,
                "href": f"/dumps/{name}",
                "gz": f"/dumps/{name}.gz",
                "media_type": fmt.media_type,
                "description": DUMP_LABELS[fmt_name],
                "statements": store.dataset_quads() if fmt.dataset else counts["triples"],
                "unit": "quads" if fmt.dataset else "triples",
            }
        )
    return render_template(
        "dumps.html",
        title="Data dumps",
        files=files,
        documents=counts["documents"],
        triples=counts["triples"],
        uri_space=iris.base(),
    )


@bp.get("/dumps/<name>")
def dump(name: str) -> Any:
    """One dump, streamed from the store; `.gz` or Accept-Encoding gzip compresses it."""
    gz_name = name.endswith(".gz")
    base_name = name[:-3] if gz_name else name
    fmt_name = ld.DUMPS.get(base_name)
    if fmt_name is None:
        abort(404, "No such dump")
    fmt = ld.FORMATS[fmt_name]
    chunks = ld.dump_chunks(data.store(), fmt)
    if gz_name:
        response = Response(_gzip(chunks), mimetype="application/gzip")
    else:
        response = Response(chunks, mimetype=fmt.media_type)
        if fmt.media_type.startswith("text/"):
            response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"]:
            response.response = _gzip(chunks)
            response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        out = packer.compress(chunk)
        if out:
            yield out
    yield packer.flush()
