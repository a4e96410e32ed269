"""Restoring a data directory from a dump: `govkg import FILE` (`import_dump`).

`govkg export` (TriG by default, or N-Quads / JSON-LD: the formats that keep graph
names) writes every named graph: the document graphs, the review graph and the
derived graphs. `import_dump` loads the DOCUMENT graphs and the REVIEW graph as they
are; the derived graphs in the dump (identity, follow-up links) are left out and
recomputed from the documents, as an ingest does (with ``DATA/curation.ttl`` if the
data directory holds one); then the search index is built from the store.

What a dump cannot restore: the copies of the original files (``DATA/sources/``).
`--sources DIR` copies those it finds in DIR (an old data directory's ``sources/``,
files named ``<sha256>.<ext>``; each is checked against its hash).

Safe against a crash or a bad file: the dump is loaded into a staging directory
(``DATA/.import/``) and moved into place only when the load is complete; until then
the data directory is untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import iris
from kg.store import Store, StoreError, load_named_graphs

__all__ = ["FORMATS", "ImportReport", "import_dump", "is_empty"]

FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""Dump formats that keep the graphs apart (Turtle and N-Triples hold the union only)."""

_SUFFIXES = {
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".jsonld": "jsonld",
    ".ttl": "turtle",
    ".nt": "ntriples",
}
_KEPT = ("lock", "curation.ttl")
"""What an "empty" data directory may hold: the writer's lock, a curation file."""
STAGING = ".import"


@dataclass
class ImportReport:
    documents: int = 0
    quads: int = 0
    """Quads loaded from the dump (document and review graphs)."""
    review_decisions: int = 0
    skipped_graphs: list[str] = field(default_factory=list)
    """Derived graphs in the dump, recomputed instead."""
    sources: int = 0
    """Source copies restored from --sources."""
    missing_sources: int = 0
    """Documents whose original file is not in the data directory."""
    index_units: int = 0
    derive_lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"imported {self.documents} documents, {self.quads} quads, "
            f"{self.review_decisions} review decisions; recomputed "
            f"{len(self.skipped_graphs)} derived graphs of the dump; indexed "
            f"{self.index_units} units, {self.seconds:.1f} s",
            *self.derive_lines,
        ]
        if self.sources:
            out.append(f"restored {self.sources} source files")
        if self.missing_sources:
            out.append(
                f"note: {self.missing_sources} documents have no copy of their original file "
                "(a dump does not hold them): `govkg extract` and the pages' links to the "
                "file need it; restore DATA/sources/ from a file backup, or import with "
                "--sources DIR"
            )
        return out


def is_empty(data_dir: Path) -> bool:
    """Whether a data directory holds nothing to lose (no store, index or source copies)."""
    if not data_dir.exists():
        return True
    return all(p.name in (*_KEPT, STAGING) for p in data_dir.iterdir())


def dump_format(path: Path, fmt: str | None) -> ox.RdfFormat:
    """The format asked for, or guessed from the file's ending (TriG by default)."""
    name = fmt or _SUFFIXES.get(path.suffix.lower(), "trig")
    try:
        return FORMATS[name]
    except KeyError:
        raise StoreError(
            f"cannot import {name!r}: it has no graph names; use one of {', '.join(FORMATS)} "
            "(`govkg export --format trig`)"
        ) from None


def _derived(graph: str) -> bool:
    """A graph that ingest recomputes (identity, follow-up links): under {BASE}graph/,
    but not the review graph."""
    from kg.review import graph_iri as review_graph

    return graph.startswith(f"{iris.base()}graph/") and graph != review_graph().value


def import_dump(
    data_dir: str | os.PathLike[str],
    dump: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    replace: bool = False,
    sources: str | os.PathLike[str] | None = None,
) -> ImportReport:
    """Restore a data directory from a dump (see the module's docstring).

    Holds the data directory's writer lock (kg.lock) throughout; re-entrant under the
    CLI's, which waits for it with --wait.

    Raises:
        StoreError: the directory is not empty (and not `replace`), the dump cannot
            be read (its line and column in the message), or holds no document.
    """
    from kg.lock import DataLock

    with DataLock(data_dir):
        return _import(Path(data_dir), Path(dump), fmt, replace, sources)


def _import(
    data: Path, dump: Path, fmt: str | None, replace: bool, sources: str | os.PathLike[str] | None
) -> ImportReport:
    from kg.indexing import open_index
    from kg.pipeline import DERIVE_MARKER, derive_graphs

    started = time.perf_counter()
    rdf_format = dump_format(dump, fmt)
    if not replace and not is_empty(data):
        raise StoreError(
            f"{data}: not empty; import restores into an empty data directory "
            "(--replace discards what this one holds)"
        )
    if not dump.is_file():
        raise StoreError(f"{dump}: no such file")
    report = ImportReport()
    staging = data / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # a crashed import's leftovers
    try:
        with Store(staging) as store:
            try:
                report.quads = load_named_graphs(store, _kept(dump, rdf_format, report))
            except (SyntaxError, ValueError, OSError) as exc:
                raise StoreError(f"{dump}: cannot import: {' '.join(str(exc).split())}") from exc
            shas = {str(d["sha256"]) for d in store.documents()}
            report.documents = len(shas)
            if not report.documents:
                raise StoreError(f"{dump}: no document graph in it; is it a govkg export?")
        # the load is complete: move it in place of whatever was there
        for target in list(data.iterdir()):  # --replace: the store, index, caches, markers
            if target.name in (*_KEPT, STAGING, "sources"):
                continue
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        if (data / "sources").is_dir():  # --replace: copies of documents not in the dump go
            for copy in (data / "sources").iterdir():
                if copy.name.split(".", 1)[0] not in shas:
                    copy.unlink()
        # the derived graphs are missing until derive_graphs below: the marker says so
        # first, so that an import killed after the move is finished by the next ingest
        (data / DERIVE_MARKER).write_text("restored from a dump\n", encoding="utf-8")
        os.replace(staging / "oxigraph", data / "oxigraph")
        shutil.rmtree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with Store(data) as store:
        derived = derive_graphs(store)  # full: identity, every series' ledger, review
        report.derive_lines = [
            line for line in derived.lines() if line.startswith(("error", "review"))
        ]
        report.review_decisions = store.derived_counts()["review_decisions"]
        ix = open_index(store)  # a new index over a store with documents: built whole
        try:
            report.index_units = ix.unit_count()
        finally:
            ix.close()
        if sources is not None:
            report.sources = _restore_sources(store, Path(sources), shas)
        report.missing_sources = sum(1 for sha in shas if store.source_file(sha) is None)
        store.optimize()
    report.seconds = time.perf_counter() - started
    return report


def _kept(dump: Path, rdf_format: ox.RdfFormat, report: ImportReport) -> Iterator[ox.Quad]:
    """The dump's quads, without those of the derived graphs (noted in the report)."""
    skipped: set[str] = set()
    for quad in ox.parse(path=dump, format=rdf_format):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and _derived(graph.value):
            skipped.add(graph.value)
            continue
        yield quad
    report.skipped_graphs = sorted(skipped)


def _restore_sources(store: Store, folder: Path, shas: set[str]) -> int:
    """Copy `<sha256>.<ext>` files of these documents from `folder`; returns how many."""
    if not folder.is_dir():
        raise StoreError(f"{folder}: not a folder of source files")
    restored = 0
    for path in sorted(folder.iterdir()):
        sha = path.name.split(".", 1)[0]
        if sha not in shas or not path.is_file() or store.source_file(sha) is not None:
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            continue  # not the bytes the document was extracted from
        store.save_source(path, sha)
        restored += 1
    return restored
