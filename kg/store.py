"""The embedded store: one pyoxigraph (RocksDB) store plus copies of the sources.

Layout of a data directory (``--data DIR``, ``$GOVKG_DATA``, default ``./govkg-data``)::

    DIR/oxigraph/              the RDF store: one named graph per source document
    DIR/sources/<sha256>.<ext> a copy of every ingested file

The manifest is the RDF itself: each graph holds its document node (the graph's own
IRI) with ``gkg:sha256``, ``gkg:sourcePath`` (the file name) and ``gkg:sourceKey`` (a
hash of the full path, see `document_for_path`); a document graph is one typed
gkg:SourceDocument. The other named graphs are DERIVED from the documents (kg.identity,
kg.ledger) or kept beside them (kg.review), see `derived_graphs`. Queries see the union
of all named graphs as their default graph.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from ingest.models import MinutesRecord
from kg import iris, queries
from kg.build import source_key

__all__ = [
    "Store",
    "StoreError",
    "document_triples",
    "open_store",
    "QueryError",
    "default_data_dir",
    "term_value",
    "ADDED",
    "REPLACED",
    "UNCHANGED",
    "EXPORT_FORMATS",
]

ADDED = "added"
"""A document whose path was not in the store."""
REPLACED = "replaced"
"""A document whose path was in the store with other content: its old graph is gone."""
UNCHANGED = "unchanged"
"""Bytes already in the store, under this path or another: nothing was written."""

DOCUMENT_FOR_PATH = (
    "SELECT ?sha ?key ?path WHERE { { GRAPH ?g { ?g gkg:sourceKey ?key ; gkg:sha256 ?sha } } UNION "
    "{ GRAPH ?g { ?g gkg:sourcePath ?path ; gkg:sha256 ?sha } } } ORDER BY ?sha LIMIT 1"
)
"""The document stored for a path: ?key is its `source_key`, ?path the path itself (the
graphs of build version < 3 held it). kg.remote binds both with VALUES."""

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""Formats `export` writes. Turtle and N-Triples hold the union graph (no graph names)."""


READ_ONLY_TRIES = 10
"""Attempts to open a store read-only while a writer compacts it (see `_open_read_only`)."""


def _open_read_only(db: Path) -> ox.Store:
    """`ox.Store.read_only`, tried again when a writer's compaction deleted a table file
    between our reading of the file list and opening it (RocksDB then reports
    "Corruption ... No such file or directory"): the next attempt reads the new list.
    Seen as a 503 from a SPARQL worker opening the store while `govkg ingest` wrote."""
    for attempt in range(READ_ONLY_TRIES):
        try:
            return ox.Store.read_only(str(db))
        except (OSError, RuntimeError) as exc:
            vanished = "No such file or directory" in str(exc)
            if not vanished or attempt == READ_ONLY_TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class StoreError(Exception):
    """The data directory cannot be used as asked; the message names the fix."""


class QueryError(StoreError):
    """A SPARQL query could not be parsed or run; the message is one line."""


def default_data_dir() -> Path:
    """``$GOVKG_DATA`` or ``./govkg-data``."""
    return Path(os.environ.get("GOVKG_DATA") or "govkg-data")


def term_value(term: Any) -> str | None:
    """A result term as plain text: an IRI's or literal's value, "_:id" for a blank node."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def open_store(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    url: str | None = None,
    read_only: bool = False,
) -> Store:
    """The store of a data directory: the embedded one, or a SPARQL server's.

    Args:
        data_dir: the local data directory (source copies and the search index stay
            here either way); None means `default_data_dir()`.
        url: a SPARQL 1.1 server (`kg.remote.RemoteStore`, URL forms in
            `kg.remote.Endpoints.parse`); None or "" means the embedded store in
            DIR/oxigraph.
        read_only: open for queries only.
    """
    if url:
        from kg.remote import RemoteStore

        return RemoteStore(data_dir, url=url, read_only=read_only)
    return Store(data_dir, read_only=read_only)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


class Store:
    """A govkg data directory.

    Args:
        data_dir: the directory; None means `default_data_dir()`.
        read_only: open for queries only (several readers may share a directory; a
            writer may not run at the same time). Raises StoreError when the
            directory holds no store yet.
    """

    def __init__(
        self, data_dir: str | os.PathLike[str] | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(data_dir) if data_dir is not None else default_data_dir()
        self.read_only = read_only
        db = self.path / "oxigraph"
        try:
            if read_only:
                if not db.is_dir():
                    raise StoreError(
                        f"{self.path}: no govkg data here; run `govkg ingest PATH` first "
                        "or point --data at a data directory"
                    )
                self._store: ox.Store | None = _open_read_only(db)
            else:
                db.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(db))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({_one_line(exc)})") from exc

    # -- lifecycle --------------------------------------------------------------
    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store (for code that needs the raw API)."""
        if self._store is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._store

    def flush(self) -> None:
        """Write the in-memory tables to disk files. Every write is durable already (the
        write-ahead log); this bounds memory: RocksDB keeps up to 128 MB of memtable per
        index (about ten of them) before flushing on its own, so a long ingest grew to
        gigabytes of memory and of log files without it."""
        if not self.read_only:
            self.store.flush()

    def optimize(self) -> None:
        """Compact the on-disk store (RocksDB): after a batch of per-document writes the
        files are several times larger than the data (18 MB -> 5 MB for 18 board minutes)."""
        if not self.read_only:
            self.store.flush()
            self.store.optimize()

    def close(self) -> None:
        """Release the store (RocksDB closes when the last reference goes)."""
        if self._store is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- questions ----------------------------------------------------------------
    def has_document(self, sha256: str) -> bool:
        """Whether a document with these bytes is in the store (under any path)."""
        return bool(self.store.contains_named_graph(iris.document_iri(sha256)))

    def document_for_path(self, path: str) -> str | None:
        """The sha256 of the document stored for this source path (as ingested: absolute),
        or None. Found by its gkg:sourceKey (`kg.build.source_key`; the graph holds no
        path), or in a graph of build version < 3 by the path itself (`govkg upgrade`
        turns those into keys)."""
        solutions = self.store.query(
            DOCUMENT_FOR_PATH,
            prefixes=queries.PREFIXES,
            substitutions={
                ox.Variable("key"): ox.Literal(source_key(path)),
                ox.Variable("path"): ox.Literal(path),
            },
        )
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            return term_value(row["sha"])
        return None

    def documents(self) -> list[dict[str, str | None]]:
        """Every document (a named graph typed gkg:SourceDocument; the derived graphs are
        not documents): document, sha256, path, format, title, date, triples."""
        return self.select(queries.documents_query())[1]

    def counts(self) -> dict[str, int]:
        """Documents, distinct nodes per class, triples and quads.

        "documents" and "quads" count the document graphs only (named graphs typed
        gkg:SourceDocument); the class counts are the documents' nodes (the derived
        graphs type no node of those classes). "triples" is the default graph, what
        every query sees: the union of the documents and of the derived graphs (a
        triple held by several graphs counts once). `derived_counts` tells the
        derived graphs apart.
        """
        _, rows = self.select(queries.count_query())
        counts = {name: int(value or 0) for name, value in rows[0].items()} if rows else {}
        _, total = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        counts["triples"] = int(total[0]["n"] or 0)
        counts["quads"] = self.document_quads()
        return counts

    def document_quads(self) -> int:
        """Quads in the document graphs (a triple two documents share counts twice); the
        derived graphs (identity, follow-up links, review) are not counted."""
        _, rows = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a gkg:SourceDocument } "
            "GRAPH ?g { ?s ?p ?o } }"
        )
        return int(rows[0]["n"] or 0)

    def dataset_quads(self) -> int:
        """Quads in every named graph, documents and derived graphs: what an export or
        dump in TriG or N-Quads holds (the default graph is their union, left out)."""
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"] or 0)

    def derived_graphs(self) -> list[str]:
        """The named graphs that are not documents (kg.identity's, kg.ledger's, kg.review's),
        sorted."""
        _, rows = self.select("SELECT ?g WHERE { GRAPH ?g { ?g a gkg:SourceDocument } }")
        documents = {r["g"] for r in rows}
        return sorted(
            name
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and (name := g.value) not in documents
        )

    def derived_counts(self) -> dict[str, int]:
        """What the derived graphs hold, apart from the documents.

        Keys: people (canonical persons: person nodes that the identity graph does not
        link to another with owl:sameAs), person_nodes (as extracted), identity_links
        (owl:sameAs of person nodes), organisation_aliases, tenures, follow_ups
        (confidence >= kg.ledger.CONFIDENT), possible_follow_ups, linked_series (ledger
        graphs), review_decisions, derived_graphs, derived_quads.
        """
        from kg.ledger import CONFIDENT, ledger_graph_iri

        # kg.identity's graphs (one per group, <{BASE}graph/identity/...>) are the only
        # ones with owl:sameAs and gkg:Tenure: asked of the default graph, their union
        review = f"<{iris.base()}graph/review>"
        links = queries.literal(ledger_graph_iri("").value)
        same = "<http://www.w3.org/2002/07/owl#sameAs>"
        parts = {
            "people": f"?x a foaf:Person FILTER NOT EXISTS {{ ?x {same} ?y }}",
            "person_nodes": "?x a foaf:Person",
            "identity_links": f"?x {same} ?y . ?x a foaf:Person",
            "organisation_aliases": f"?x {same} ?y FILTER NOT EXISTS {{ ?x a foaf:Person }}",
            "tenures": "?x a gkg:Tenure",
            "follow_ups": "GRAPH ?g { ?x a gkg:FollowUp ; gkg:confidence ?c } "
            f"FILTER(STRSTARTS(STR(?g), {links}) && ?c >= {CONFIDENT})",
            "possible_follow_ups": "GRAPH ?g { ?x a gkg:FollowUp ; gkg:confidence ?c } "
            f"FILTER(STRSTARTS(STR(?g), {links}) && ?c < {CONFIDENT})",
            "review_decisions": f"GRAPH {review} {{ ?x a gkg:Review }}",
        }
        select = " ".join(
            f"{{ SELECT (COUNT(DISTINCT ?x) AS ?{k}) WHERE {{ {w} }} }}" for k, w in parts.items()
        )
        _, rows = self.select(f"SELECT * WHERE {{ {select} }}")
        counts = {k: int(rows[0][k] or 0) for k in parts} if rows else dict.fromkeys(parts, 0)
        graphs = self.derived_graphs()
        counts["linked_series"] = sum(1 for g in graphs if g.startswith(ledger_graph_iri("").value))
        counts["derived_graphs"] = len(graphs)
        counts["derived_quads"] = self.dataset_quads() - self.document_quads()
        return counts

    def source_file(self, sha256: str) -> Path | None:
        """The stored copy of a document's source file, if any."""
        from kg.pipeline import suffixes

        folder = self.path / "sources"
        # the usual endings first: a glob lists the whole folder (10,000 files at scale)
        for suffix in suffixes():
            if (folder / f"{sha256}{suffix}").is_file():
                return folder / f"{sha256}{suffix}"
        found = sorted(folder.glob(f"{sha256}.*"))
        return found[0] if found else None

    def source_copy(self, path: str | os.PathLike[str], sha256: str) -> Path:
        """Where `save_source` keeps the copy of this source file."""
        return self.path / "sources" / f"{sha256}{Path(path).suffix.lower()}"

    # -- queries ----------------------------------------------------------------
    def query(self, sparql: str) -> Any:
        """Run a SPARQL query; the default graph is the union of the named graphs.

        Returns pyoxigraph QuerySolutions (SELECT), QueryTriples (CONSTRUCT/DESCRIBE)
        or QueryBoolean (ASK). The prefixes of `kg.queries.PREFIXES` need no PREFIX.

        Raises:
            QueryError: a syntax error or a failure while evaluating, in one line.
        """
        try:
            # the stored default graph is the set union of the document graphs (kept by
            # replace_document); Oxigraph's own union mode would repeat a triple once
            # per document that holds it, and every count over shared nodes would be off
            return self.store.query(sparql, prefixes=queries.PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"SPARQL query failed: {_one_line(exc)}") from exc

    def select(self, sparql: str) -> tuple[list[str], list[dict[str, str | None]]]:
        """Run a SELECT: (variable names, rows of plain values; None where unbound)."""
        solutions = self.query(sparql)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in solutions.variables]
        try:
            rows = [{n: term_value(row[n]) for n in names} for row in solutions]
        except (OSError, ValueError, TypeError, SyntaxError) as exc:
            # SyntaxError: results that a SPARQL server sent are parsed row by row
            raise QueryError(f"SPARQL query failed: {_one_line(exc)}") from exc
        return names, rows

    # -- writing ------------------------------------------------------------------
    def replace_document(self, record: MinutesRecord, quads: Iterable[ox.Quad]) -> str:
        """Store a document's graph, replacing the graph previously stored for its path.

        The default graph is kept equal to the set union of the document graphs: the
        old graph's triples that no other document holds leave it, the new graph's
        triples join it.

        Atomic: one transaction. A replacement is ONE SPARQL UPDATE request
        (``DELETE {..} WHERE {..} ; DROP SILENT GRAPH <old> ; INSERT DATA { GRAPH <new>
        {...} ... }``), which pyoxigraph runs in one RocksDB transaction (`remove_graph`
        + `extend` would be two); a new path is one `load` of the graph's and the
        union's quads (N-Quads), also one transaction: either all of it is written or
        none of it.

        Returns ADDED, REPLACED or UNCHANGED (these bytes are already stored, under
        any path: nothing is written).
        """
        sha = record.source.sha256
        triples = document_triples(sha, quads)
        return self.write_document(sha, record.source.path, triples)

    def write_document(self, sha256: str, path: str, triples: list[str]) -> str:
        """`replace_document` from the graph's triples as N-Triples lines (what
        `document_triples` makes, e.g. in an extraction worker process)."""
        if self.has_document(sha256):
            return UNCHANGED
        old = self.document_for_path(path)
        graph = iris.document_iri(sha256)
        try:
            if old is None and isinstance(self._store, ox.Store):
                # a new path: nothing to drop, so no SPARQL to parse (~25% of the write)
                self._load(graph, triples)
            else:
                parts = []
                if old is not None:
                    parts.append(_drop_graph(iris.document_iri(old)))
                parts.append(_insert(graph, triples))
                self._update("".join(parts))
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(
                f"{path}: cannot store its graph "
                f"(SPARQL update failed, nothing written: {_one_line(exc)})"
            ) from exc
        except StoreError as exc:  # a SPARQL server's answer (kg.remote), in one line
            raise StoreError(f"{path}: cannot store its graph ({exc})") from exc
        if old is not None:
            for stale in (self.path / "sources").glob(f"{old}.*"):
                stale.unlink(missing_ok=True)
        return REPLACED if old is not None else ADDED

    def _load(self, graph: ox.NamedNode, triples: list[str]) -> None:
        """Insert triples into a new named graph and into the default graph (the
        union), as one `load` (one transaction)."""
        named = f" {graph} .\n"
        data = "".join(t[:-3] + named for t in triples) + "".join(triples)
        self.store.load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        """Replace a DERIVED named graph (kg.ledger's follow-up links) with `quads`.

        The same union semantics as replace_document, in one SPARQL UPDATE: the old
        graph's triples that no other graph holds leave the default graph, the new
        ones join it. A derived graph is "another graph" for a document replaced
        later. Must not name a document graph. Returns the number of quads written.

        Only the difference is written: the triples that leave the graph and those
        that join it (a series' ledger graph gains a few follow-ups when one meeting is
        added; rewriting it whole cost in proportion to the series). A graph with
        blank nodes is rewritten whole (a blank node cannot be named in an update). A
        literal the store keeps in its canonical form ("0.60" as "0.6") counts as
        changed: it is deleted and written again, to the same effect.
        """
        if graph.value.startswith(iris.document_iri("").value):
            raise ValueError(f"{graph} is a document graph; use replace_document")
        triples = _triples(quads, graph, "the graph")
        update = self._graph_difference(graph, triples)
        if update is None:
            update = _drop_graph(graph) + (_insert(graph, triples) if triples else "")
        try:
            if update:
                self._update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(
                f"{graph}: cannot store the graph (nothing written: {_one_line(exc)})"
            ) from exc
        return len(triples)

    def _graph_difference(self, graph: ox.NamedNode, triples: list[str]) -> str | None:
        """The update that turns `graph` into `triples` by what differs ("" when nothing
        does), or None to rewrite it whole (blank nodes; a store other than Oxigraph's)."""
        if not isinstance(self._store, ox.Store):
            return None
        stored = list(self._store.quads_for_pattern(None, None, None, graph))
        if any(isinstance(t, ox.BlankNode) for q in stored for t in (q.subject, q.object)) or any(
            "_:" in t for t in triples
        ):
            return None
        old = {f"{q.subject} {q.predicate} {q.object} .\n": q for q in stored}
        new = set(triples)
        gone = sorted(set(old) - new)
        added = sorted(new - set(old))
        parts = []
        if gone:
            # a triple leaves the default graph (the union) when no other graph holds it
            alone = [
                t
                for t in gone
                if not any(
                    isinstance(o.graph_name, ox.NamedNode) and o.graph_name != graph
                    for o in self._store.quads_for_pattern(
                        old[t].subject, old[t].predicate, old[t].object
                    )
                )
            ]
            parts.append(
                f"DELETE DATA {{ GRAPH {graph} {{\n{''.join(gone)}}}\n{''.join(alone)}}} ;\n"
            )
        if added:
            parts.append(_insert(graph, added))
        elif gone and not new:
            parts.append(f"DROP SILENT GRAPH {graph} ;\n")  # emptied: no graph by that name
        return "".join(parts)

    def _update(self, sparql: str) -> None:
        """Run one SPARQL UPDATE request (one transaction)."""
        self.store.update(sparql)

    def save_source(self, path: str | os.PathLike[str], sha256: str) -> Path:
        """Copy a source file to DIR/sources/<sha256>.<ext> (once)."""
        src = Path(path)
        target = self.source_copy(src, sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
        return target

    # -- export -------------------------------------------------------------------
    def export(self, fmt: str = "trig") -> bytes:
        """The store serialised: trig/nquads/jsonld keep graphs; turtle/ntriples the union."""
        try:
            rdf_format = EXPORT_FORMATS[fmt]
        except KeyError:
            raise StoreError(
                f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
            ) from None
        if rdf_format.supports_datasets:
            # the named graphs (documents and derived graphs: a backup carries the review
            # decisions); the default graph is their union, derived
            quads = self._named_graph_quads()
            return ox.serialize(quads, format=rdf_format, prefixes=queries.PREFIXES) or b""
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return ox.serialize(triples, format=rdf_format, prefixes=queries.PREFIXES) or b""

    def _named_graph_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs (not the derived default graph)."""
        return (q for q in self.store if not isinstance(q.graph_name, ox.DefaultGraph))

    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of the union graph (repeats across documents merged)."""
        yield from self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


# -- the update parts that keep the default graph the union of the named graphs ----------
def _drop_graph(graph: ox.NamedNode) -> str:
    """Drop a named graph, and its triples that no other graph holds from the default
    graph (the union)."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }} ;\n"
        f"DROP SILENT GRAPH {graph} ;\n"
    )


def document_triples(sha256: str, quads: Iterable[ox.Quad]) -> list[str]:
    """A document's quads as the N-Triples lines `Store.write_document` takes; every quad
    must be in the document's graph. A pure function: extraction workers call it."""
    return _triples(quads, iris.document_iri(sha256), "the document graph")


def _triples(quads: Iterable[ox.Quad], graph: ox.NamedNode, what: str) -> list[str]:
    """The quads' triples as N-Triples lines; every quad must be in `graph`."""
    lines = []
    for quad in quads:
        if quad.graph_name != graph:
            raise ValueError(f"quad outside {what} {graph}: {quad}")
        lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return lines


def _insert(graph: ox.NamedNode, triples: list[str]) -> str:
    """Insert triples into a named graph and into the default graph (the union)."""
    body = "".join(triples)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}}}\n{body}}}"


# -- restoring a dump (kg.backup) ------------------------------------------------------
def load_named_graphs(store: Store, quads: Iterable[ox.Quad]) -> int:
    """Bulk-load named-graph quads into an EMPTY embedded store, keeping the default
    graph the set union of the named graphs (each triple is also added there).

    Not one transaction (RocksDB's bulk loader): `kg.backup` loads into a staging
    directory and moves it in place only once the load is complete. Quads in the
    default graph are refused (the default graph is derived). Returns quads loaded.
    """
    count = 0

    def both() -> Iterator[ox.Quad]:
        nonlocal count
        for quad in quads:
            if isinstance(quad.graph_name, ox.DefaultGraph):
                raise ValueError(f"a triple outside any named graph: {quad.triple}")
            count += 1
            yield quad
            yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())

    store.store.bulk_extend(both())
    store.store.flush()
    return count
