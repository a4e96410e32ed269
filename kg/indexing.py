"""Keeping the search index in step with the store.

The index lives at ``DATA/index/`` beside the store. Every change goes through
`IndexSync`:

1. `IndexSync.before_store(shas)` writes the documents about to change (the new
   sha256 and the one it replaces) to ``DATA/index/pending.json`` -- durably, before
   the store's atomic write;
2. the store writes the document graph;
3. `IndexSync.changed(shas)` queues them; `IndexSync.commit()` (once per batch, or
   every `COMMIT_EVERY` documents) deletes those documents' units, adds their units as
   built from the store (`kg.units`), refreshes the shared entity units they touch,
   commits the index and clears the marker. The entities a replaced document named
   are noted in step 1 (from the store, before the write), so that their units are
   refreshed or deleted too.

A crash anywhere in between leaves the marker; `open_index()` for writing re-indexes
the documents it lists from the store (`recover`). `rebuild()` is `govkg reindex`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.index import ENTITY_KINDS, SearchIndex
from kg.store import Store
from kg.units import all_entities, document_entities, document_units, entity_units
from kg.units import store_unit_count as _store_unit_count

__all__ = [
    "COMMIT_EVERY",
    "Agreement",
    "IndexSync",
    "agreement",
    "index_dir",
    "open_index",
    "rebuild",
    "recover",
    "store_documents",
]

COMMIT_EVERY = 200
"""Documents per index commit during a long ingest (a commit costs ~ tens of ms)."""


def index_dir(data_dir: str | Path) -> Path:
    """Where the index of a data directory lives."""
    return Path(data_dir) / "index"


def store_documents(store: Store) -> set[str]:
    """sha256 of every document in the store."""
    _, rows = store.select(
        "SELECT ?sha WHERE { GRAPH ?g { ?g a gkg:SourceDocument ; gkg:sha256 ?sha } }"
    )
    return {str(r["sha"]) for r in rows}


def open_index(store: Store, *, read_only: bool = False) -> SearchIndex:
    """The index beside the store; opened for writing, it is first made whole again.

    A new index over a store that already holds documents is built from it; an index
    with a pending marker (a crash between a store write and the index commit) has
    those documents re-indexed from the store.
    """
    ix = SearchIndex(index_dir(store.path), read_only=read_only)
    if not read_only:
        if ix.created and store_documents(store):
            rebuild(store, ix)
        elif ix.pending():
            recover(store, ix)
    return ix


def recover(store: Store, ix: SearchIndex) -> list[str]:
    """Re-index the documents of the pending marker from the store; returns their shas.

    Which entities the documents named before the crash is no longer known, so every
    entity unit is brought up to date (and those no document holds any more go)."""
    shas = ix.pending()
    sync = IndexSync(store, ix)
    sync.changed(shas)
    sync.affected |= all_entities(store)
    sync.affected |= {u.id for kind in ENTITY_KINDS for u in ix.units(kind=kind)}
    sync.commit()
    # the replaced units' deletions would skew BM25's statistics until merged away
    ix.purge_deletions()
    return shas


class IndexSync:
    """A batch of document changes to carry from the store into the index."""

    def __init__(self, store: Store, ix: SearchIndex) -> None:
        self.store = store
        self.ix = ix
        self.queued: dict[str, None] = {}
        self.affected: set[str] = set()
        """Entities whose units to refresh at the next commit (named by a document
        that changed, before or after the change)."""
        self.fresh: set[str] = set()
        """Queued documents that were in neither the store nor the index before."""
        self.failed = False

    def before_store(self, shas: Iterable[str | None]) -> None:
        """Call before writing these documents to the store (marker first).

        The entities a stored document names now are noted: after the write they may
        be named by no document (their units go) or have other roles."""
        named = [s for s in shas if s]
        present = [s for s in named if self.store.has_document(s)]
        for sha in present:
            self.affected |= document_entities(self.store, sha)
        # a document neither stored nor left pending by a crash has no units in the
        # index: commit need not delete them (a delete by term opens a reader over
        # every segment: 0.3-1.9 s at 10,000 meetings, for one new meeting)
        left_pending = set(self.ix.pending())
        self.fresh.update(s for s in named if s not in present and s not in left_pending)
        self.ix.mark_pending(named)

    def changed(self, shas: Iterable[str | None]) -> None:
        """These documents changed in the store (added, replaced or removed)."""
        self.queued.update(dict.fromkeys(s for s in shas if s))

    def commit(self) -> int:
        """Bring the queued documents' units in line with the store; returns units written."""
        if not self.queued and not self.affected:
            if not self.failed:
                self.ix.clear_pending()
            return 0
        shas = list(self.queued)
        affected = set(self.affected)
        present = [sha for sha in shas if self.store.has_document(sha)]
        for sha in present:
            affected |= document_entities(self.store, sha)
        written = 0
        with self.ix.writing() as w:
            for sha in shas:
                if sha not in self.fresh:
                    w.delete_document(sha)
            for sha in present:
                for unit in document_units(self.store, sha):
                    # a part IRI is scoped by its document, whose units were just deleted
                    w.add(unit, new=True)
                    written += 1
            units = entity_units(self.store, affected)
            for gone in affected - {u.id for u in units}:
                w.delete_unit(gone)
            for unit in units:
                w.add(unit)
                written += 1
        self.queued.clear()
        self.affected.clear()
        self.fresh.clear()
        if not self.failed:
            self.ix.clear_pending()
        return written


def rebuild(store: Store, ix: SearchIndex, progress: Callable[[str], None] | None = None) -> int:
    """Rebuild the whole index from the store (`govkg reindex`); returns units written.

    Args:
        progress: called with each document's sha256 once its units are added.
    """
    ix.clear()
    written = 0
    with ix.writing(limitmb=256) as w:
        for sha in sorted(store_documents(store)):
            for unit in document_units(store, sha):
                w.add(unit, new=True)
                written += 1
            if progress is not None:
                progress(sha)
        for unit in entity_units(store, all_entities(store)):
            w.add(unit, new=True)
            written += 1
    ix.optimize()
    ix.clear_pending()
    return written


@dataclass
class Agreement:
    """Store and index compared: `agree` when both hold the same documents and units."""

    store_documents: int
    index_documents: int
    store_units: int
    index_units: int
    missing: list[str] = field(default_factory=list)
    """Documents in the store with no units in the index."""
    extra: list[str] = field(default_factory=list)
    """Documents with units in the index that the store no longer holds."""
    pending: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return (
            not self.missing
            and not self.extra
            and not self.pending
            and self.store_units == self.index_units
        )


def agreement(store: Store, ix: SearchIndex) -> Agreement:
    """Compare the store's documents and expected units with the index's."""
    in_store = store_documents(store)
    in_index = set(ix.documents())
    return Agreement(
        store_documents=len(in_store),
        index_documents=len(in_index),
        store_units=_store_unit_count(store),
        index_units=ix.unit_count(),
        missing=sorted(in_store - in_index),
        extra=sorted(in_index - in_store),
        pending=ix.pending(),
    )
