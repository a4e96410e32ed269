"""kg.whoosh_threads: two threads reading the same mapped index file each read at their
own position (Whoosh's shared position made a search under load read another search's
bytes: "Block tag error", a 500)."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable

from whoosh.filedb.structfile import BufferFile

import kg.whoosh_threads  # noqa: F401  (the patch under test)

DATA = bytes(range(256)) * 4


def interleaved(f: BufferFile, first: Callable[[], object], second: Callable[[], object]):
    """Thread A positions itself, thread B positions itself elsewhere, then A reads."""
    a_positioned, b_positioned = threading.Event(), threading.Event()
    out: dict[str, object] = {}

    def a() -> None:
        first()
        a_positioned.set()
        b_positioned.wait(10)
        out["a"] = f.read(4)

    def b() -> None:
        a_positioned.wait(10)
        second()
        b_positioned.set()
        out["b"] = f.read(4)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return out


def test_each_thread_reads_at_its_own_position() -> None:
    f = BufferFile(memoryview(DATA))
    out = interleaved(f, lambda: f.seek(10), lambda: f.seek(500))
    assert out == {"a": DATA[10:14], "b": DATA[500:504]}


def test_relative_seek_tell_and_reading_on_are_per_thread() -> None:
    f = BufferFile(memoryview(DATA))
    f.seek(100)
    assert f.read(2) == DATA[100:102] and f.tell() == 102
    f.seek(3, 1)
    assert f.tell() == 105 and f.read(1) == DATA[105:106]
    f.seek(-4, 2)
    assert f.read() == DATA[-4:] and f.read(5) == b""
    out = interleaved(f, lambda: f.seek(7), lambda: f.seek(9, 0))
    assert out["a"] == DATA[7:11] and out["b"] == DATA[9:13]


def test_pickles_are_read_at_each_threads_position() -> None:
    one, two = pickle.dumps({"unit": "one"}), pickle.dumps(["two", 2], protocol=0)
    f = BufferFile(memoryview(b"xx" + one + two + b"line\nrest"))
    got: dict[str, object] = {}
    ready = threading.Barrier(2)

    def load(key: str, at: int) -> None:
        for _ in range(200):
            f.seek(at)
            ready.wait(10)
            got[key] = f.read_pickle()

    threads = [
        threading.Thread(target=load, args=("one", 2)),
        threading.Thread(target=load, args=("two", 2 + len(one))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert got == {"one": {"unit": "one"}, "two": ["two", 2]}
    f.seek(2 + len(one) + len(two))
    assert f.readline() == b"line\n" and f.read() == b"rest"
