"""One writer at a time per data directory: the lock file ``DATA/lock``.

Every writer (`kg.pipeline.ingest_paths`, and the writing commands: ingest, import,
identity, link, review, reindex) holds it; readers (the web server, search, sparql,
stats, export) never take it. The lock is ``flock(2)`` on the open file, so the kernel
releases it when the holder's process ends, however it ends (SIGKILL included): a
stale lock is never left behind. The holder writes who it is into the file (pid,
host, command, since when) so that a refused writer can name it in one line.

Re-entrant within a thread: the CLI takes the lock before it opens the store, and
`ingest_paths`, called under it, takes it again at no cost. Another thread of the
same process is refused like another process (two writers are two writers). A child
process forked while the lock is held does not keep it (its copy of the descriptor
is closed after the fork) and is killed when the writer dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

__all__ = ["LOCK_FILE", "DataLock", "LockHeld", "die_with_parent", "holder", "writer"]

LOCK_FILE = "lock"
"""The lock's file name in the data directory."""

POLL = 0.1
"""Seconds between two attempts while waiting for the lock."""

P = ParamSpec("P")
R = TypeVar("R")

_held: dict[tuple[str, int], tuple[int, int]] = {}
"""(data directory, thread id) -> (file descriptor, depth) of the locks this process holds."""
_registry = threading.Lock()


class LockHeld(Exception):
    """Another writer holds the data directory's lock; the message names it in one line."""

    def __init__(self, data_dir: Path, info: dict[str, Any] | None, waited: float) -> None:
        self.data_dir = data_dir
        self.info = info or {}
        self.waited = waited
        super().__init__(self._message())

    def _message(self) -> str:
        who = describe(self.info)
        after = f" (waited {self.waited:.0f} s)" if self.waited >= 0.5 else ""
        return (
            f"{self.data_dir}: another writer holds the lock{after}: {who}; "
            "wait for it to finish, or run again with --wait SECONDS"
        )


def describe(info: dict[str, Any]) -> str:
    """The holder in a few words: "pid 1234 on host, `govkg ingest m/`, since 21:05:03 (12 s ago)"."""
    if not info.get("pid"):
        return "a process that has not yet written its name"
    parts = [f"pid {info['pid']} on {info.get('host') or '?'}"]
    if info.get("command"):
        parts.append(f"`{info['command']}`")
    since = info.get("since")
    if isinstance(since, (int, float)):
        stamp = datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        parts.append(f"since {stamp} ({max(0, time.time() - since):.0f} s ago)")
    return ", ".join(parts)


def holder(data_dir: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Who holds the lock now (pid, host, command, since), or None when nobody does."""
    path = Path(data_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> dict[str, Any] | None:
    try:
        data = os.pread(fd, 4096, 0)
        info = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None  # being written at this instant
    return info if isinstance(info, dict) else None


def _command() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    if name == "__main__.py":  # python -m kg
        name = "govkg" if Path(sys.argv[0]).parent.name == "kg" else "python -m ..."
    args = [name, *sys.argv[1:]]
    text = " ".join(args)
    return text if len(text) <= 200 else text[:197] + "..."


class DataLock:
    """The writer's lock of a data directory, as a context manager.

    Args:
        data_dir: the data directory (created if missing).
        command: what the holder is doing, for a refused writer's message; default
            the process's command line.
        wait: seconds to wait for a holder to finish; 0 refuses at once.

    Raises (on entry):
        LockHeld: another process (or thread) holds it and did not let go in time.
    """

    def __init__(
        self, data_dir: str | os.PathLike[str], command: str | None = None, wait: float = 0
    ) -> None:
        self.data_dir = Path(data_dir)
        self.command = command or _command()
        self.wait = max(0.0, wait)
        self._key = (str(self.data_dir.resolve()), threading.get_ident())

    @property
    def path(self) -> Path:
        return self.data_dir / LOCK_FILE

    def acquire(self) -> DataLock:
        with _registry:
            if self._key in _held:
                fd, depth = _held[self._key]
                _held[self._key] = (fd, depth + 1)
                return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        started = time.monotonic()
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    waited = time.monotonic() - started
                    if waited >= self.wait:
                        raise LockHeld(self.data_dir, _read(fd), waited) from None
                    time.sleep(min(POLL, self.wait - waited))
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": self.command,
                "since": time.time(),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        except BaseException:
            os.close(fd)
            raise
        with _registry:
            _held[self._key] = (fd, 1)
        return self

    def release(self) -> None:
        with _registry:
            fd, depth = _held[self._key]
            if depth > 1:
                _held[self._key] = (fd, depth - 1)
                return
            del _held[self._key]
        # the info stays in the file: only a flock() holder's words are ever believed
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> DataLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def writer(command: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a function whose second argument (or ``store=``) is a writable Store: the
    call holds the store's data directory lock (re-entrant; refuses at once if another
    writer holds it). `command` names the holder (default: the process's command line)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            store = kwargs["store"] if "store" in kwargs else args[1]
            with DataLock(store.path, command):  # type: ignore[attr-defined]
                return fn(*args, **kwargs)

        return call

    return decorate


def _after_fork_in_child() -> None:
    """A child forked by a writer: it must not keep the writer's lock, nor outlive it.

    It shares the parent's lock descriptions; closing its copies keeps the lock alive
    only as long as the parent (LOCK_UN would free the parent's). And it dies with the
    parent (Linux PR_SET_PDEATHSIG): a helper process forked while the lock is held
    (Whoosh's parallel index writers) shares the parent's other locks, such as the
    index's, and an orphan blocked forever after a `kill -9` of the writer kept them:
    every later ingest failed."""
    global _registry
    _registry = threading.Lock()  # another thread may have held it at the fork
    if not _held:
        return
    for fd, _depth in _held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()
    die_with_parent()


_forking = 0
"""The pid of the process that is forking (kept by the before-fork hook)."""


def _before_fork() -> None:
    global _forking
    _forking = os.getpid()


def die_with_parent() -> None:
    """Call in a freshly forked child: the kernel kills it when its parent dies (Linux
    PR_SET_PDEATHSIG; elsewhere nothing), and it exits now if the parent already did."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != _forking:  # the parent died before the call
        os._exit(1)


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
