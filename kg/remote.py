"""A SPARQL 1.1 server as the store (`govkg --store URL`, ``$GOVKG_STORE_URL``).

`RemoteStore` is a `kg.store.Store` whose RDF lives in a SPARQL server, reached with
the standard protocols only (the standard library's urllib, a timeout on every
request):

- queries: SPARQL 1.1 Protocol, ``POST`` with ``Content-Type:
  application/sparql-query`` to the query endpoint; SELECT/ASK results are read as
  SPARQL JSON (or XML) results, CONSTRUCT/DESCRIBE as N-Triples (or Turtle). The
  PREFIXES of `kg.queries` are sent as PREFIX lines: the server does not know them.
- updates: ``POST`` with ``Content-Type: application/sparql-update`` to the update
  endpoint -- the very text `Store.replace_document` runs, ONE request, so a document
  replacement (and the default graph kept as the set union of the document graphs)
  is atomic on a server that runs one update request in one transaction (Oxigraph
  server does; so does Fuseki over TDB2).
- the document graphs for `export`: Graph Store Protocol ``GET ?graph=IRI``.

The data directory stays local: the source copies (DATA/sources) and the search index
(DATA/index, built from the server's graphs).

URL forms (`Endpoints.parse`):

- ``http://127.0.0.1:7878`` -- Oxigraph server (``oxigraph serve``): ``/query``,
  ``/update`` and ``/store``;
- ``http://127.0.0.1:3030/ds`` -- a URL with a path is an Apache Jena Fuseki dataset:
  ``/ds/sparql``, ``/ds/update`` and ``/ds/data``;
- ``query=URL,update=URL,gsp=URL`` -- each endpoint given; ``update`` and ``gsp`` may
  be left out (no update endpoint: the store can only be read).

The server's default graph must be its real default graph (Oxigraph's and Fuseki's
default), not a union of the named graphs: govkg stores the union there itself.
"""

from __future__ import annotations

import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from kg import iris, queries
from kg.store import QueryError, Store, StoreError, term_value

__all__ = ["DEFAULT_TIMEOUT", "Endpoints", "RemoteDataset", "RemoteStore"]

DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for a server's answer to one request (``$GOVKG_STORE_TIMEOUT``)."""

_ACCEPT_RESULTS = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5"
)
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_KEYS = ("query", "update", "gsp")
_PREFIX_LINE = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in queries.PREFIXES.items()) + " "
"""kg.queries.PREFIXES on the query's first line: a server's error positions stay right
(line numbers; columns of line 1 are shifted)."""


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _http_url(url: str, what: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(
            f"{what} {url!r} is not an http(s) URL; use http://HOST:PORT (Oxigraph server), "
            "http://HOST:PORT/DATASET (Fuseki) or query=URL,update=URL,gsp=URL"
        )
    return url


@dataclass(frozen=True)
class Endpoints:
    """Where a server answers: the query, update and Graph Store Protocol endpoints."""

    query: str
    update: str | None = None
    gsp: str | None = None

    @classmethod
    def parse(cls, url: str) -> Endpoints:
        """Endpoints from a ``--store`` value (the forms are in the module docstring).

        Raises:
            StoreError: not one of the forms.
        """
        url = url.strip()
        if re.match(r"^(query|update|gsp)=", url):
            given: dict[str, str] = {}
            for part in re.split(r",(?=(?:query|update|gsp)=)", url):
                key, _, value = part.partition("=")
                if key not in _KEYS or key in given or not value.strip():
                    raise StoreError(f"--store {url!r}: write query=URL[,update=URL][,gsp=URL]")
                given[key] = _http_url(value.strip(), key)
            if "query" not in given:
                raise StoreError(f"--store {url!r}: the query=URL endpoint is missing")
            return cls(given["query"], given.get("update"), given.get("gsp"))
        _http_url(url, "--store")
        base = url.rstrip("/")
        if urllib.parse.urlsplit(base).path:  # Fuseki: http://host:3030/ds
            return cls(f"{base}/sparql", f"{base}/update", f"{base}/data")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store")  # Oxigraph server


class RemoteStore(Store):
    """A govkg store in a SPARQL 1.1 server; source copies and the index stay local.

    Args:
        data_dir: the local data directory; None means `kg.store.default_data_dir()`.
        url: the server (`Endpoints.parse` forms).
        read_only: refuse updates.
        timeout: seconds per request; None means ``$GOVKG_STORE_TIMEOUT`` or 60.

    Raises:
        StoreError: a malformed URL, or the server does not answer a query (one line,
            naming the URL).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        url: str,
        read_only: bool = False,
        timeout: float | None = None,
    ) -> None:
        from kg.store import default_data_dir

        self.path = Path(data_dir) if data_dir is not None else default_data_dir()
        self.read_only = read_only
        self.url = url
        self.endpoints = Endpoints.parse(url)
        if timeout is None:
            try:
                timeout = float(os.environ.get("GOVKG_STORE_TIMEOUT") or DEFAULT_TIMEOUT)
            except ValueError:
                raise StoreError("$GOVKG_STORE_TIMEOUT: not a number of seconds") from None
        self.timeout = timeout
        self._store = None
        self._closed = False
        if not read_only and self.endpoints.update is None:
            raise StoreError(f"--store {url}: no update endpoint given (add update=URL)")
        self.query("ASK {}")  # reachable, and a SPARQL endpoint: fail now, in one line

    # -- lifecycle --------------------------------------------------------------
    @property
    def store(self) -> ox.Store:
        """A stand-in for the raw pyoxigraph store, for code written against it: the
        read methods `quads_for_pattern`, `named_graphs` and `contains_named_graph`,
        each one SPARQL query to the server (see `RemoteDataset`)."""
        if self._closed:
            raise StoreError(f"{self.url}: the store is closed")
        return cast(ox.Store, RemoteDataset(self))

    def optimize(self) -> None:
        """Nothing to do: the server looks after its own storage."""

    def flush(self) -> None:
        """Nothing to do: the server looks after its own memory."""

    def close(self) -> None:
        self._closed = True

    def __repr__(self) -> str:
        return f"RemoteStore({str(self.path)!r}, url={self.url!r})"

    # -- HTTP -------------------------------------------------------------------
    def _request(
        self,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        error: type[StoreError] = StoreError,
    ) -> tuple[str, bytes]:
        """One request; (the answer's media type, its body). Errors are one line."""
        if self._closed:
            raise StoreError(f"{self.url}: the store is closed")
        headers = {"User-Agent": "govkg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(
            url, data=body, headers=headers, method="POST" if body is not None else "GET"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media = response.headers.get_content_type()
                return media, response.read()
        except urllib.error.HTTPError as exc:
            try:
                detail = exc.read(2000).decode("utf-8", "replace")
            except OSError:
                detail = ""
            raise error(
                f"{url}: the SPARQL server answered HTTP {exc.code} {exc.reason}"
                + (f": {_one_line(detail)}" if detail.strip() else "")
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{url}: no answer within {self.timeout:g} s") from exc
            raise StoreError(
                f"{url}: cannot reach the SPARQL server ({_one_line(str(reason))})"
            ) from exc
        except TimeoutError as exc:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s") from exc
        except (http.client.HTTPException, OSError) as exc:
            raise StoreError(f"{url}: the SPARQL server connection failed ({exc!r})") from exc

    # -- questions ----------------------------------------------------------------
    def query(self, sparql: str) -> Any:
        """Run a SPARQL query on the server (default graph: the union of the documents).

        Returns pyoxigraph QuerySolutions (SELECT) or QueryBoolean (ASK), parsed from
        the server's results, or a list of pyoxigraph Triples (CONSTRUCT/DESCRIBE).

        Raises:
            QueryError: the server refused the query or sent what cannot be read.
            StoreError: the server cannot be reached or did not answer in time.
        """
        url = self.endpoints.query
        media, data = self._request(
            url,
            body=(_PREFIX_LINE + sparql).encode("utf-8"),
            content_type="application/sparql-query; charset=utf-8",
            accept=_ACCEPT_RESULTS,
            error=QueryError,
        )
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media)
            if results_format is not None:
                return ox.parse_query_results(data, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media)
            if rdf_format is not None and not rdf_format.supports_datasets:
                return [quad.triple for quad in ox.parse(data, format=rdf_format)]
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"{url}: unreadable {media} answer ({_one_line(str(exc))})") from exc
        raise QueryError(f"{url}: the SPARQL server answered {media!r}, not SPARQL results")

    def has_document(self, sha256: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {iris.document_iri(sha256)} {{ ?s ?p ?o }} }}"))

    def document_for_path(self, path: str) -> str | None:
        from kg.build import source_key
        from kg.store import DOCUMENT_FOR_PATH

        values = (
            f"VALUES (?key ?path) {{ ({queries.literal(source_key(path))} "
            f"{queries.literal(path)}) }} "
        )
        solutions = self.query(DOCUMENT_FOR_PATH.replace("WHERE { ", "WHERE { " + values, 1))
        for row in solutions:
            return term_value(row["sha"])
        return None

    # -- writing ------------------------------------------------------------------
    def _update(self, sparql: str) -> None:
        """POST one SPARQL UPDATE request (the server runs it as one transaction)."""
        if self.read_only:
            raise StoreError(f"{self.url}: the store was opened read-only")
        if self.endpoints.update is None:
            raise StoreError(f"{self.url}: no update endpoint given (add update=URL)")
        self._request(
            self.endpoints.update,
            body=sparql.encode("utf-8"),
            content_type="application/sparql-update; charset=utf-8",
        )

    # -- export -------------------------------------------------------------------
    def _named_graph_quads(self) -> Iterator[ox.Quad]:
        """The named graphs' quads: each graph fetched with the Graph Store Protocol
        (GET ?graph=IRI), or all of them with one SELECT where no GSP endpoint is known."""
        _, rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        graphs = [str(row["g"]) for row in rows if row["g"] and not row["g"].startswith("_:")]
        if self.endpoints.gsp is None:
            yield from self._quads_by_select()
            return
        for graph in graphs:
            name = ox.NamedNode(graph)
            url = f"{self.endpoints.gsp}?{urllib.parse.urlencode({'graph': graph})}"
            media, data = self._request(url, accept=_ACCEPT_GRAPH)
            rdf_format = ox.RdfFormat.from_media_type(media)
            if rdf_format is None:
                raise StoreError(f"{url}: the server answered {media!r}, not RDF")
            try:
                for quad in ox.parse(data, format=rdf_format):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, name)
            except (SyntaxError, ValueError, OSError) as exc:
                raise StoreError(f"{url}: unreadable {media} ({_one_line(str(exc))})") from exc

    def _quads_by_select(self) -> Iterator[ox.Quad]:
        solutions = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        try:
            for row in solutions:
                yield ox.Quad(row["s"], row["p"], row["o"], row["g"])
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"{self.endpoints.query}: unreadable results ({exc})") from exc


_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class RemoteDataset:
    """The read side of pyoxigraph's Store API over a `RemoteStore`'s SPARQL endpoint
    (what `RemoteStore.store` gives to code that reads quads by pattern)."""

    def __init__(self, remote: RemoteStore) -> None:
        self._remote = remote

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: _Term | None,  # noqa: A002 - pyoxigraph's parameter name
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching the pattern (None: any); graph None means every graph."""
        s, p, o = (
            "?s" if subject is None else str(subject),
            "?p" if predicate is None else str(predicate),
            "?o" if object is None else str(object),
        )
        triple = f"{s} {p} {o}"
        if isinstance(graph_name, ox.DefaultGraph):
            where = triple
        elif graph_name is None:
            where = f"{{ {triple} }} UNION {{ GRAPH ?g {{ {triple} }} }}"
        else:
            where = f"GRAPH {graph_name} {{ {triple} }}"
        solutions = self._remote.query(f"SELECT * WHERE {{ {where} }}")
        default = ox.DefaultGraph()
        for row in solutions:
            g = graph_name if graph_name is not None else row["g"]
            yield ox.Quad(
                subject if subject is not None else row["s"],
                predicate if predicate is not None else row["p"],
                object if object is not None else row["o"],
                default if g is None else g,
            )

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        for row in self._remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield row["g"]

    def contains_named_graph(self, graph_name: ox.NamedNode | ox.BlankNode) -> bool:
        return bool(self._remote.query(f"ASK {{ GRAPH {graph_name} {{ ?s ?p ?o }} }}"))

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)
