"""Document graphs written by an older govkg: find them, and bring them up to date in place.

Every document node carries ``gkg:buildVersion`` (`kg.build.BUILD_VERSION`), the version
of the builder that wrote its graph. Data stored before a version that queries rely on
lacks its triples: the example queries would quietly answer nothing for those documents.
So the CLI (`govkg stats`, `govkg sparql`, `govkg serve`) and the web app say so
(`outdated_message`), and `govkg upgrade` (`upgrade`) adds the missing triples to each
outdated document graph with SPARQL UPDATE: no file is read or extracted again, which
at 10,000 meetings took about two minutes (on a loaded machine) instead of the 20-45
minutes of a re-ingest.

Version 2 adds ``?part gkg:inMeeting ?meeting`` for every agenda item, paragraph,
statement and action, found by following ``dcterms:isPartOf`` up inside the document's
own graph (where the builder's nesting ends: the document's meeting). Each update writes
the new triples into the document graph and into the default graph (the stored union,
see kg.store), so the union stays equal to the documents, as after a re-ingest.

Version 3 stops publishing the server's folders: ``gkg:sourcePath`` held the absolute
path of the ingested file (e.g. /home/someone/minutes/x.pdf), which the SPARQL endpoint,
the dumps and the Linked Data pages served to anyone. It becomes the file's name, and
``gkg:sourceKey`` the SHA-256 of the old path (SPARQL's SHA256, equal to
`kg.build.source_key`), which kg.store's `document_for_path` looks up so that ingesting
the same file again still replaces its graph. Until a store is upgraded the old graphs
keep their paths (and are still recognised by them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.build import BUILD_VERSION
from kg.queries import prefix_block

__all__ = ["BUILD_VERSION", "outdated_documents", "outdated_count", "outdated_message", "upgrade"]

BATCH = 25
"""Document graphs per SPARQL UPDATE request (one transaction each)."""

_OUTDATED = (
    "SELECT ?d WHERE { ?d a gkg:SourceDocument . "
    "OPTIONAL { ?d gkg:buildVersion ?v } "
    f"FILTER(!BOUND(?v) || ?v < {BUILD_VERSION}) }} ORDER BY ?d"
)
_ANY_OUTDATED = (
    "ASK { ?d a gkg:SourceDocument . "
    "OPTIONAL { ?d gkg:buildVersion ?v } "
    f"FILTER(!BOUND(?v) || ?v < {BUILD_VERSION}) }}"
)


def outdated_documents(store: Any) -> list[str]:
    """The IRIs of the document graphs written by an older builder (sorted)."""
    _, rows = store.select(_OUTDATED)
    return [r["d"] for r in rows if r["d"]]


def outdated_count(store: Any) -> int:
    """How many document graphs an older builder wrote (0: all up to date). Cheap when
    there are none to count: one ASK over the document nodes (~10 ms at 10,000)."""
    if not bool(store.query(_ANY_OUTDATED)):
        return 0
    return len(outdated_documents(store))


def outdated_message(count: int) -> str:
    """What to tell a user whose store has `count` outdated documents ("" for none)."""
    if count <= 0:
        return ""
    return (
        f"{count} document graph{'s' if count != 1 else ''} in this store "
        f"{'were' if count != 1 else 'was'} written by an older govkg (before build "
        f"version {BUILD_VERSION}): some queries (the examples that use gkg:inMeeting) "
        "miss them, and they publish the server's file paths. Run `govkg upgrade` "
        "(minutes, no re-extraction) or re-ingest."
    )


def _upgrade_graph(graph: str) -> str:
    """The update parts that bring one document graph to BUILD_VERSION."""
    g = f"<{graph}>"
    return (
        # version 2: every part of the meeting links straight to it
        f"INSERT {{ GRAPH {g} {{ ?part gkg:inMeeting ?m }} ?part gkg:inMeeting ?m }}\n"
        f"WHERE {{ GRAPH {g} {{ ?m a gkg:Meeting ; prov:wasDerivedFrom {g} . "
        "?part dcterms:isPartOf+ ?m } } ;\n"
        # version 3: the file's name instead of its path, and a hash of the path as key
        # (only where the path still has folders: idempotent)
        f"DELETE {{ GRAPH {g} {{ {g} gkg:sourcePath ?p }} {g} gkg:sourcePath ?p }}\n"
        f"INSERT {{ GRAPH {g} {{ {g} gkg:sourcePath ?name ; gkg:sourceKey ?key }} "
        f"{g} gkg:sourcePath ?name ; gkg:sourceKey ?key }}\n"
        f"WHERE {{ GRAPH {g} {{ {g} gkg:sourcePath ?p }} "
        r'FILTER(REGEX(STR(?p), "[/\\\\]")) '
        r'BIND(REPLACE(STR(?p), "^.*[/\\\\]", "") AS ?name) '
        "BIND(SHA256(STR(?p)) AS ?key) } ;\n"
        # the version: in the graph and in the union (the document node is its graph's own)
        f"DELETE WHERE {{ GRAPH {g} {{ {g} gkg:buildVersion ?old }} }} ;\n"
        f"DELETE WHERE {{ {g} gkg:buildVersion ?old }} ;\n"
        f"INSERT DATA {{ GRAPH {g} {{ {g} gkg:buildVersion {BUILD_VERSION} }} "
        f"{g} gkg:buildVersion {BUILD_VERSION} }} ;\n"
    )


def upgrade(
    store: Any,
    *,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Bring every outdated document graph of a writable store to BUILD_VERSION.

    Idempotent: an up-to-date graph is not touched, and a graph upgraded twice gets the
    same triples. `batch` graphs go in one SPARQL UPDATE (one transaction); an
    interrupted run leaves whole graphs upgraded or not, and running again finishes.

    Args:
        store: a kg.store.Store (or kg.remote.RemoteStore) opened for writing.
        progress: called with (done, total) after each batch.

    Returns:
        How many document graphs were upgraded.
    """
    todo = outdated_documents(store)
    head = prefix_block()
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        store._update(head + "".join(_upgrade_graph(g) for g in chunk).rstrip(" ;\n"))
        if progress is not None:
            progress(start + len(chunk), len(todo))
    if todo:
        store.flush()
    return len(todo)
