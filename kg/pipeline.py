"""Files and folders in, document graphs in the store out: `ingest_paths`.

Idempotent by content hash: a file whose bytes are already stored (under any path)
is not even extracted. A changed file replaces the graph stored for its path. A bad
file becomes a one-line error ("path: problem") and the batch goes on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Quad

from ingest.models import MinutesRecord
from kg.build import record_to_quads
from kg.store import ADDED, REPLACED, UNCHANGED, Store

if TYPE_CHECKING:
    from kg.index import SearchIndex
    from kg.indexing import IndexSync

__all__ = ["IngestReport", "ingest_paths", "expand_paths", "suffixes"]


def suffixes() -> tuple[str, ...]:
    """What a folder is searched for (recursively): every registered format's endings.
    A file named on its own is always tried, whatever its name."""
    from ingest.formats import formats

    return tuple(s for f in formats() for s in f.suffixes)


@dataclass
class IngestReport:
    """What one `ingest_paths` call did. Lists hold source paths; `failed` holds errors."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """One line per bad file: "path: problem"."""
    triples: int = 0
    """Quads written (the graphs of added and replaced documents)."""
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged) + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """The closing line, e.g.

        "ingested 3 documents (2 new, 0 replaced, 0 unchanged, 1 failed), 812 triples, 0.4 s"
        """
        return (
            f"ingested {self.documents} documents ({len(self.added)} new, "
            f"{len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed), {self.triples} triples, {self.seconds:.1f} s"
        )


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every file of a known format under each folder, sorted.

    Hidden files and folders (".git", ".DS_Store") under a folder are skipped; a path
    that does not exist is kept, so that ingesting it reports the error.
    """
    out: list[Path] = []
    known = suffixes()
    for p in map(Path, paths):
        if p.is_dir():
            found = [
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.name.lower().endswith(known)
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
            out.extend(sorted(found))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [p for p in out if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def _problem(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _store(store: Store, path: Path, record: MinutesRecord, quads: list[Quad]) -> str:
    """Copy the source, then replace its graph; if the graph cannot be stored, the copy
    made for it goes too, so a failed file leaves nothing behind."""
    existed = store.source_copy(path, record.source.sha256).exists()
    copy = store.save_source(path, record.source.sha256)
    try:
        return store.replace_document(record, quads)
    except BaseException:
        if not existed:
            copy.unlink(missing_ok=True)
        raise


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Callable[[Path], None] | None = None,
    *,
    index: SearchIndex | None = None,
    commit_every: int | None = None,
) -> IngestReport:
    """Extract each file, build its graph and store it, and update the search index.

    The index (``DATA/index/`` beside the store) gets the same replace semantics: a
    changed file's old units go, its new ones come from the store. See kg.indexing
    for the crash safety (a pending marker written before each store write).

    Args:
        paths: files and folders (folders are searched recursively, see expand_paths).
        store: an open, writable Store.
        progress: called with each file's path once it is done.
        index: the SearchIndex to update; None opens (and closes) the one beside the store.
        commit_every: documents per index commit (default kg.indexing.COMMIT_EVERY).

    Returns:
        The report; exceptions from reading or extracting a file never escape.
    """
    from kg.indexing import COMMIT_EVERY, IndexSync, open_index

    report = IngestReport()
    started = time.perf_counter()
    ix = open_index(store) if index is None else index
    sync = IndexSync(store, ix)
    try:
        _ingest_all(paths, store, sync, report, progress, commit_every or COMMIT_EVERY)
        sync.commit()
        if report.added or report.replaced:
            store.optimize()
    finally:
        if index is None:
            ix.close()
    report.seconds = time.perf_counter() - started
    return report


def _ingest_all(
    paths: Iterable[str | Path],
    store: Store,
    sync: IndexSync,
    report: IngestReport,
    progress: Callable[[Path], None] | None,
    commit_every: int,
) -> None:
    from ingest import IngestError
    from ingest.formats import file_bytes
    from ingest.pipeline import extract_bytes

    for path in expand_paths(paths):
        name = str(path)
        try:
            resolved = path.resolve()
            data = file_bytes(resolved)
            sha = hashlib.sha256(data).hexdigest()
            if store.has_document(sha):
                report.unchanged.append(name)
            else:
                record = extract_bytes(data, str(resolved))
                quads = record_to_quads(record)
                touched = [sha, store.document_for_path(record.source.path)]
                sync.before_store(touched)  # the marker is on disk before the store write
                status = _store(store, resolved, record, quads)
                sync.changed(touched)
                {ADDED: report.added, REPLACED: report.replaced, UNCHANGED: report.unchanged}[
                    status
                ].append(name)
                if status != UNCHANGED:
                    report.triples += len(quads)
        except IngestError as exc:
            report.failed.append(f"{name}: {exc.problem}")
        except IsADirectoryError:
            report.failed.append(f"{name}: is a directory")
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            problem = _problem(exc)
            # library errors name the file already ("/abs/m.txt: cannot store ...")
            problem = problem.removeprefix(f"{path.resolve()}: ")
            report.failed.append(f"{name}: {problem}")
        if progress is not None:
            progress(path)
        if len(sync.queued) >= commit_every:
            store.flush()  # bounds the store's memory during a long ingest
            sync.commit()
