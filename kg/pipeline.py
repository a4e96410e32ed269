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

from kg.build import record_to_quads
from kg.store import ADDED, REPLACED, UNCHANGED, Store

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


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Extract each file, build its graph and store it.

    Args:
        paths: files and folders (folders are searched recursively, see expand_paths).
        store: an open, writable Store.
        progress: called with each file's path once it is done.

    Returns:
        The report; exceptions from reading or extracting a file never escape.
    """
    from ingest import IngestError, extract_file

    report = IngestReport()
    started = time.perf_counter()
    for path in expand_paths(paths):
        name = str(path)
        try:
            resolved = path.resolve()
            sha = hashlib.sha256(resolved.read_bytes()).hexdigest()
            if store.has_document(sha):
                report.unchanged.append(name)
            else:
                record = extract_file(str(resolved))
                quads = record_to_quads(record)
                store.save_source(resolved, record.source.sha256)
                status = store.replace_document(record, quads)
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
            report.failed.append(f"{name}: {_problem(exc)}")
        if progress is not None:
            progress(path)
    report.seconds = time.perf_counter() - started
    return report
