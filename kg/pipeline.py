"""Files and folders in, document graphs in the store out: `ingest_paths`.

Idempotent by content hash: a file whose bytes are already stored (under any path)
is not even extracted. A changed file replaces the graph stored for its path. A bad
file becomes a one-line error ("path: problem") and the batch goes on.

After a batch that added or replaced documents, the DERIVED graphs are brought up to
date (`derive_graphs`, skipped with ``derive=False``), in this order:

1. the identity graph (kg.identity.refresh: a function of the whole set of documents,
   so it is recomputed whole; it also names the body of a meeting whose minutes do
   not, which decides the meeting's ledger series, hence first);
2. the ledger graphs (kg.ledger.link_store) of the series the changed documents
   belong to, before and after the change; a ledger graph whose series no longer has
   a meeting is dropped;
3. review decisions follow their nodes into re-ingested documents (kg.review.reattach).

Crash safety: the derived graphs are recomputable, so one marker suffices.
``DATA/derive-pending`` is written (durably) before the batch's first document write
and removed once the derive pass is done; a crash in between, or ``derive=False``,
leaves it, and the next derive pass that finds it recomputes every derived graph
(identity, every series' ledger, review). `govkg identity` and `govkg link` recompute
one kind on demand.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from kg.build import record_to_quads
from kg.lock import writer
from kg.store import ADDED, REPLACED, UNCHANGED, Store, document_triples

if TYPE_CHECKING:
    from kg.identity import Curation, RefreshReport
    from kg.index import SearchIndex
    from kg.indexing import IndexSync
    from kg.ledger import LinkReport

__all__ = [
    "DERIVE_MARKER",
    "DeriveReport",
    "IngestReport",
    "derive_graphs",
    "derive_pending",
    "default_jobs",
    "Extractor",
    "ingest_paths",
    "expand_paths",
    "suffixes",
]

DERIVE_MARKER = "derive-pending"
"""File in the data directory: documents changed and the derived graphs may lag."""


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
    """The whole call, the derive pass included."""
    derived: DeriveReport | None = None
    """What the derive pass did; None when it did not run."""

    @property
    def derive_seconds(self) -> float:
        """Time spent on the derived graphs (0.0 when the pass did not run)."""
        return self.derived.seconds if self.derived is not None else 0.0

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


@dataclass
class DeriveReport:
    """What one derive pass did (`derive_graphs`)."""

    identity: RefreshReport | None = None
    """The identity pass; None when it failed (see `errors`)."""
    links: LinkReport | None = None
    series: list[str] = field(default_factory=list)
    """The ledger series recomputed."""
    dropped: list[str] = field(default_factory=list)
    """Ledger graphs dropped: their series has no meeting any more."""
    reattached: int = 0
    """Review decisions moved to a re-ingested document's parts."""
    full: bool = False
    """Everything was recomputed (a pending marker was found, or asked for)."""
    errors: list[str] = field(default_factory=list)
    """One line per pass that failed (a broken curation file); the marker stays."""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """What `govkg ingest` prints after its summary: only what changed or failed."""
        out = [f"error: {e}" for e in self.errors]
        if self.identity is not None and self.identity.written:
            out.append(self.identity.summary())
        if self.links is not None and (self.links.links or self.dropped):
            out.append(self.links.summary())  # a line when there are follow-ups to tell
        if self.reattached:
            out.append(f"review: {self.reattached} decisions moved to the re-ingested parts")
        if self.seconds > 0.1:
            out.append(f"derived graphs: {self.seconds:.1f} s")
        return out


def derive_pending(store: Store) -> bool:
    """Whether documents changed since the derived graphs were last brought up to date."""
    return (store.path / DERIVE_MARKER).exists()


def _mark_derive_pending(store: Store) -> None:
    """The marker, on disk before the first document write of a batch."""
    marker = store.path / DERIVE_MARKER
    if marker.exists():
        return
    store.path.mkdir(parents=True, exist_ok=True)
    with open(marker, "w", encoding="utf-8") as f:
        f.write("documents changed; the next ingest recomputes the derived graphs\n")
        f.flush()
        os.fsync(f.fileno())


def derive_graphs(
    store: Store,
    shas: Iterable[str] | None = None,
    series: Iterable[str] = (),
    *,
    curation: str | os.PathLike[str] | Curation | None = None,
) -> DeriveReport:
    """Bring the derived graphs up to date after documents changed; clear the marker.

    The pass costs what changed, not what is stored: when documents were only added,
    identity recomputes the groups they touch (kg.identity.refresh with `documents`)
    and the ledger the series they belong to, each reading only its own documents.
    A replaced document (`series` given) recomputes identity whole (a document that
    leaves a group may split what it joined); None recomputes everything.

    Args:
        store: an open, writable Store.
        shas: the documents that were added or replaced (their new sha256); None
            recomputes every derived graph (what `ingest_paths` asks for when an
            earlier batch left the marker).
        series: ledger series to recompute as well (those the replaced documents
            belonged to before the change, which the store no longer says).
        curation: for kg.identity.refresh; None means DATA/curation.ttl if present.
    """
    from kg import identity, iris, review, summaries
    from kg.ledger import ledger_graph_iri, link_store, series_of_documents

    started = time.perf_counter()
    report = DeriveReport(full=shas is None)
    old_series = set(series)
    added_only = shas is not None and not old_series
    try:
        documents = [iris.document_iri(s).value for s in shas or ()] if added_only else None
        report.identity = identity.refresh(store, curation, documents)
    except ValueError as exc:  # a broken curation file: the documents stand
        report.errors.append(str(exc))
    # the series are read after the identity pass: it names the body of a meeting whose
    # minutes do not, and the body is the ledger's series key
    prefix = ledger_graph_iri("").value
    if report.full:
        from kg.indexing import store_documents

        current = series_of_documents(store, store_documents(store))
        report.links = link_store(store)
        report.series = sorted(report.links.linked)
        vanished = {
            g.removeprefix(prefix) for g in store.derived_graphs() if g.startswith(prefix)
        } - current
    else:
        wanted = series_of_documents(store, shas or ()) | old_series
        report.links = link_store(store, sorted(wanted))
        report.series = sorted(report.links.linked)
        vanished = wanted - set(report.links.linked)
    for key in sorted(vanished):
        _, rows = store.select(
            f"SELECT ?s WHERE {{ GRAPH {ledger_graph_iri(key)} {{ ?s ?p ?o }} }} LIMIT 1"
        )
        if rows:
            store.replace_graph(ledger_graph_iri(key), [])
            report.dropped.append(key)
    # the example queries' summaries (kg/summaries.py), for the same series as the ledger
    summaries.refresh(store, None if report.full else wanted)
    report.reattached = review.reattach(store)
    if not report.errors:
        (store.path / DERIVE_MARKER).unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


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


def _store(store: Store, path: Path, doc: _Extracted) -> str:
    """Copy the source, then replace its graph; if the graph cannot be stored, the copy
    made for it goes too, so a failed file leaves nothing behind."""
    existed = store.source_copy(path, doc.sha).exists()
    copy = store.save_source(path, doc.sha)
    try:
        return store.write_document(doc.sha, doc.source_path, doc.triples)
    except BaseException:
        if not existed:
            copy.unlink(missing_ok=True)
        raise


@writer()  # one writer per data directory (DATA/lock, kg.lock); re-entrant under the CLI's
def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Callable[[Path], None] | None = None,
    *,
    index: SearchIndex | None = None,
    commit_every: int | None = None,
    derive: bool = True,
    jobs: int = 1,
) -> IngestReport:
    """Extract each file, build its graph and store it, update the search index and the
    derived graphs.

    The index (``DATA/index/`` beside the store) gets the same replace semantics: a
    changed file's old units go, its new ones come from the store. See kg.indexing
    for the crash safety (a pending marker written before each store write).
    The derived graphs (identity, follow-up links, review) are brought up to date
    once, after the batch, when it added or replaced a document or a previous one
    left the derive marker (see the module's docstring; `report.derived`).

    Args:
        paths: files and folders (folders are searched recursively, see expand_paths).
        store: an open, writable Store.
        progress: called with each file's path once it is done.
        index: the SearchIndex to update; None opens (and closes) the one beside the store.
        commit_every: documents per index commit (default kg.indexing.COMMIT_EVERY).
        derive: run the derive pass; False leaves it to a later ingest (the marker
            stays), e.g. to time it apart (`derive_graphs(store)`).
        jobs: extraction processes. 1 extracts in this process; more run the
            extraction (read, extract, build the graph: pure functions of the bytes)
            in a pool of worker processes while this process writes the store and
            the index, in input order (see `Extractor`). `govkg ingest` uses one
            per core.

    Returns:
        The report; exceptions from reading or extracting a file never escape. One
        from the derive pass (the store failing) does, after the documents and the
        index are written; the marker stays for the next ingest.
    """
    from kg.indexing import COMMIT_EVERY, IndexSync, open_index

    report = IngestReport()
    started = time.perf_counter()
    ix = open_index(store) if index is None else index
    files = expand_paths(paths)
    procs = ix.writer_procs
    if jobs > 1 and len(files) >= INDEX_PROCS_FROM:
        # the index commits analyse and write in as many processes (forked: kg.lock makes
        # a child of the lock holder die with it, so none outlives a killed ingest)
        ix.writer_procs = jobs
    sync = IndexSync(store, ix)
    batch = _Batch()
    behind = derive_pending(store)  # an earlier batch did not finish its derive pass
    try:
        _ingest_all(files, store, sync, report, progress, commit_every or COMMIT_EVERY, batch, jobs)
        sync.commit()
        if derive and (batch.shas or behind):
            report.derived = derive_graphs(store, None if behind else batch.shas, batch.series)
        if len(report.added) + len(report.replaced) >= COMPACT_FROM:
            store.optimize()
    finally:
        ix.writer_procs = procs
        if index is None:
            ix.close()
    report.seconds = time.perf_counter() - started
    return report


INDEX_PROCS_FROM = 50
"""Files from which a parallel ingest also indexes in `jobs` processes (Whoosh's
MpWriter forks them at every index commit: not worth it for a few files)."""


@dataclass
class _Batch:
    """What the derive pass needs to know about a batch."""

    shas: list[str] = field(default_factory=list)
    """Documents added or replaced (their new sha256)."""
    series: set[str] = field(default_factory=set)
    """Ledger series of the documents replaced, as they were before the write."""


def _ingest_all(
    files: list[Path],
    store: Store,
    sync: IndexSync,
    report: IngestReport,
    progress: Callable[[Path], None] | None,
    commit_every: int,
    batch: _Batch,
    jobs: int,
) -> None:
    from kg.ledger import series_of_documents

    with Extractor(store, jobs) as extractor:
        for path, got in extractor.run(files):
            name = str(path)
            try:
                if isinstance(got, str):
                    report.failed.append(f"{name}: {got}")
                elif got is None or store.has_document(got.sha):
                    # a copy of a file earlier in this batch is stored now
                    report.unchanged.append(name)
                else:
                    old = store.document_for_path(got.source_path)
                    touched = [got.sha, old]
                    sync.before_store(touched)  # the marker is on disk before the store write
                    _mark_derive_pending(store)  # so is the derived graphs' one
                    if old is not None:
                        batch.series |= series_of_documents(store, [old])
                    status = _store(store, path.resolve(), got)
                    sync.changed(touched)
                    if status != UNCHANGED:
                        batch.shas.append(got.sha)
                        report.triples += len(got.triples)
                    {ADDED: report.added, REPLACED: report.replaced, UNCHANGED: report.unchanged}[
                        status
                    ].append(name)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
                report.failed.append(f"{name}: {_failure(path, exc)}")
            if progress is not None:
                progress(path)
            if len(sync.queued) >= commit_every:
                store.flush()  # bounds the store's memory during a long ingest
                sync.commit()


# -- extraction, in this process or in a pool of worker processes -------------------------
@dataclass
class _Extracted:
    """What the extraction of one file hands to the writer: its graph's triples."""

    sha: str
    source_path: str
    """The record's source path (the store's key for replacing)."""
    triples: list[str]
    """N-Triples lines (`kg.store.document_triples`)."""


_Outcome = _Extracted | str | None
"""A file's extraction: the graph, the problem of a bad file, or None: already stored."""


def _failure(path: Path, exc: BaseException) -> str:
    """The problem of a bad file, for the "path: problem" line."""
    from ingest import IngestError

    if isinstance(exc, IngestError):
        return exc.problem
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    # library errors name the file already ("/abs/m.txt: cannot store ...")
    return _problem(exc).removeprefix(f"{path.resolve()}: ")


def _extract(data: bytes, resolved: str) -> _Extracted | str:
    """Extract one file's bytes and build its graph: a pure function of the bytes, run
    in this process or in a worker. A bad file is its problem (a string)."""
    from ingest.pipeline import extract_bytes

    try:
        record = extract_bytes(data, resolved)
        sha = record.source.sha256
        return _Extracted(sha, record.source.path, document_triples(sha, record_to_quads(record)))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return _failure(Path(resolved), exc)


def _worker_init(parent: int, env: dict[str, str | None]) -> None:
    """In each worker process: the parent's settings; Ctrl-C is the parent's to handle;
    exit when the parent is gone (SIGKILL included). Workers never write anything."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # a new process took the pid: the parent is gone
                os._exit(0)

    threading.Thread(target=watch, name="govkg-parent-watch", daemon=True).start()


IN_FLIGHT_PER_JOB = 24
"""Files read and waiting for (or in) extraction, per worker: bounds memory (a file's
bytes and its graph's triples, ~150 KB) while the writer is busy with an index commit."""

_SETTINGS = ("GOVKG_BASE",)
"""Environment variables an extraction reads (kg.iris), passed on to the workers."""


COMPACT_FROM = 50
"""Documents written by one batch from which it ends with a store compaction. A full
compaction rewrites the whole store (about a minute at 10,000 meetings): after a big
batch it shrinks the files several times over, after a few new meetings it would make
ingesting one meeting cost in proportion to everything stored (RocksDB compacts the
small writes in the background by itself)."""


def default_jobs() -> int:
    """Extraction processes `govkg ingest` runs by default: one per core it may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class Extractor:
    """Files in input order -> their extractions in the same order.

    With ``jobs`` > 1 the extraction runs in a pool of worker processes (forkserver:
    the workers start from a clean process, not from a copy of one holding the store
    open), at most ``IN_FLIGHT_PER_JOB * jobs`` files ahead of the writer. The bytes
    are read (and the store asked whether they are there already) here, so an
    unchanged file is never extracted. A worker that dies (a crash in a native
    library) fails the file it held, found by running the files then in flight one by
    one in a new pool; the batch goes on. On leaving (Ctrl-C included) the workers
    are stopped; they write nothing, only this process does.
    """

    def __init__(self, store: Store, jobs: int = 1) -> None:
        self.store = store
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop(kill=exc_type is not None)

    def _read(self, path: Path) -> tuple[bytes, str] | _Outcome:
        from ingest.formats import file_bytes

        try:
            resolved = path.resolve()
            if path.is_symlink() and path.parent.resolve() not in resolved.parents:
                raise ValueError(
                    f"a symbolic link to {resolved}, outside its folder; refusing "
                    "(ingest the file itself)"
                )
            data = file_bytes(resolved)
            if self.store.has_document(hashlib.sha256(data).hexdigest()):
                return None
            return data, str(resolved)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            return _failure(path, exc)

    def run(self, files: list[Path]) -> Iterator[tuple[Path, _Outcome]]:
        """Each file with its outcome, in the order given."""
        if self.jobs == 1 or len(files) < 2:
            for path in files:
                got = self._read(path)
                yield path, _extract(*got) if isinstance(got, tuple) else got
            return
        pending: deque[tuple[Path, Future[_Extracted | str] | _Outcome, tuple[bytes, str]]] = (
            deque()
        )
        limit = IN_FLIGHT_PER_JOB * self.jobs
        for path in files:
            got = self._read(path)
            if isinstance(got, tuple):
                pending.append((path, self._submit(got), got))
            else:
                pending.append((path, got, (b"", "")))
            while len(pending) >= limit:
                yield self._next(pending)
        while pending:
            yield self._next(pending)

    def _submit(self, args: tuple[bytes, str]) -> Future[_Extracted | str]:
        if self._pool is None:
            import multiprocessing

            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["kg.pipeline", "ingest.pipeline", "kg.build"])
            env = {key: os.environ.get(key) for key in _SETTINGS}
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(), env)
            )
        return self._pool.submit(_extract, *args)

    def _next(
        self,
        pending: deque[tuple[Path, Future[_Extracted | str] | _Outcome, tuple[bytes, str]]],
    ) -> tuple[Path, _Outcome]:
        path, got, args = pending.popleft()
        if not isinstance(got, Future):
            return path, got
        try:
            return path, got.result()
        except BrokenProcessPool:
            # a worker died: every file in flight failed with it. Find the one that
            # killed it by running them one at a time in a new pool.
            redone: dict[Path, _Outcome] = {}
            retry = [(path, args)]
            for p, g, a in pending:
                if isinstance(g, Future):
                    if g.done() and not g.cancelled() and g.exception() is None:
                        redone[p] = g.result()  # finished before the worker died
                    else:
                        retry.append((p, a))
            self._stop(kill=True)
            for p, a in retry:
                try:
                    redone[p] = self._submit(a).result()
                except BrokenProcessPool:
                    redone[p] = "the extraction crashed (its worker process died)"
                    self._stop(kill=True)
            for i, (p, g, a) in enumerate(pending):
                if isinstance(g, Future):
                    pending[i] = (p, redone[p], a)
            return path, redone[path]

    def _stop(self, *, kill: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:  # Ctrl-C, an error, a dead worker: do not wait for the queue to drain
            workers = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in workers:
                proc.kill()
            for proc in workers:
                proc.join(5)
        else:
            pool.shutdown(wait=True)
