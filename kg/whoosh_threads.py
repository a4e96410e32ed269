"""Whoosh's memory-mapped index files, made safe to read from several threads at once.

The web server shares one Whoosh searcher between its threads (opening one per thread
would repeat the per-segment caches). Whoosh maps each segment file and hands its
parts out as ``BufferFile`` objects whose ``seek``/``read`` go through one shared
``BytesIO`` position: two threads reading postings of the same part moved each other's
position, and one of them read bytes at the other's offset ("Block tag error",
"invalid load key" from a stored-fields pickle: a 500 for a search under load at
10,000 meetings). Here ``seek``, ``tell``, ``read``, ``readline`` and ``read_pickle``
keep a position per thread and
read straight from the mapped buffer (slicing a memoryview is thread-safe); ``get``
already did. Importing this module patches the class once.
"""

from __future__ import annotations

import pickle
import threading
from typing import Any

from whoosh.filedb.structfile import BufferFile

__all__ = ["patch"]

_get_ident = threading.get_ident


def _positions(f: Any) -> dict[int, int]:
    found: dict[int, int] | None = f.__dict__.get("_thread_pos")
    if found is None:
        # setdefault: two threads creating it at once keep one dict
        found = f.__dict__.setdefault("_thread_pos", {})
    return found


def _seek(self: Any, offset: int, whence: int = 0) -> int:
    pos = _positions(self)
    if whence == 1:
        offset += pos.get(_get_ident(), 0)
    elif whence == 2:
        offset += len(self._buf)
    pos[_get_ident()] = offset
    return offset


def _tell(self: Any) -> int:
    return _positions(self).get(_get_ident(), 0)


def _read(self: Any, n: int | None = -1) -> bytes:
    pos = _positions(self)
    me = _get_ident()
    start = pos.get(me, 0)
    size = len(self._buf)
    end = size if n is None or n < 0 else min(start + n, size)
    pos[me] = max(start, end)
    return bytes(self._buf[start:end])


def _readline(self: Any, limit: int = -1) -> bytes:
    pos = _positions(self)
    me = _get_ident()
    start = pos.get(me, 0)
    size = len(self._buf) if limit is None or limit < 0 else min(len(self._buf), start + limit)
    end = start
    while end < size:  # lines are short where Whoosh reads them (pickle protocol 0)
        chunk = bytes(self._buf[end : min(end + 256, size)])
        cut = chunk.find(b"\n")
        if cut >= 0:
            end += cut + 1
            break
        end += len(chunk)
    pos[me] = end
    return bytes(self._buf[start:end])


class _ThisThread:
    """A file object over a BufferFile at this thread's position (for pickle.load)."""

    __slots__ = ("f",)

    def __init__(self, f: Any) -> None:
        self.f = f

    def read(self, n: int = -1) -> bytes:
        return _read(self.f, n)

    def readline(self, limit: int = -1) -> bytes:
        return _readline(self.f, limit)


def _read_pickle(self: Any) -> Any:
    return pickle.load(_ThisThread(self))  # noqa: S301 - our own index files


def patch() -> None:
    """Give BufferFile per-thread positions (idempotent)."""
    if getattr(BufferFile, "_govkg_thread_safe", False):
        return
    BufferFile.seek = _seek
    BufferFile.tell = _tell
    BufferFile.read = _read
    BufferFile.readline = _readline
    BufferFile.read_pickle = _read_pickle
    BufferFile._govkg_thread_safe = True


patch()
