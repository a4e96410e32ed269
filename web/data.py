"""Per-request access to the store and the index, opened read-only and shared.

pyoxigraph's read-only store and the Whoosh index are opened once per process (opening
is the slow part) and reopened when the data directory changes underneath (a new
ingest), checked at most once a second.

With ``app.config["STORE_URL"]`` or ``$GOVKG_STORE_URL`` set, the graph is read from
that SPARQL server (kg.remote) and the index and source copies from the data
directory; a new ingest is then noticed through the index directory's mtime.

`memo()` keeps what a page computes over the whole store (the meetings in date order,
...) with the opened store, so it is worked out once per store and dropped with it when
the store is reopened. One thread computes a missing key; others asking for it wait.

Cold start: when a store is opened, a background thread pays the one-time costs before
visitors do: with ``app.config["WARM_PAGES"]`` (`govkg serve` sets it) it requests the
pages of WARM_PATHS once inside the process (filling their memo entries: the meetings in
date order for the home page, the action feeds), then it warms the search index. `prewarm(app)` (called by `govkg serve` at start) opens the store at
once instead of at the first request.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, g

_lock = threading.Lock()
_cache: dict[str, Any] = {}
CHECK_EVERY = 1.0
MEMO_SIZE = 256
"""How many results `memo()` keeps per opened store (least recently used go first)."""
WARM_PATHS = ("/", "/meetings")
"""Pages requested once in the background when a store is opened (their whole-store
memo entries cost seconds at 10,000 meetings the first time)."""
WARM_TRACKER = ("/actions", "/actions.ics")
"""The tracker's pages, requested in a second warm-up thread from the start: its
table (one for every filter, sort and page, web.tracker) is the longest to compute
(30-60 s at 10,000 meetings on a busy machine), and the index warm-up would otherwise
hold it back."""

T = TypeVar("T")


def init_app(app: Flask) -> None:
    app.extensions["govkg.data"] = {"opened": 0.0}


def _stamp(data: Path) -> float:
    """When the store or index last changed (their directories' mtimes)."""
    stamps = [p.stat().st_mtime for p in (data / "oxigraph", data / "index") if p.exists()]
    return max(stamps, default=0.0)


def store() -> Any:
    """The read-only Store of the app's data directory (kg.store.Store)."""
    return _open()["store"]


def index() -> Any:
    """The read-only SearchIndex (kg.index.SearchIndex)."""
    return _open()["index"]


def responses() -> Any:
    """The current store's cache of whole responses (web.responsecache): it goes with the
    store when a new ingest reopens it."""
    return _open()["responses"]


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for as long as the current store is open.

    The store is reopened when the data directory changes (a new ingest), and what was
    remembered goes with the old one. At most MEMO_SIZE results are kept per store.
    Single flight: while one thread computes a key, others asking for it wait for its
    result instead of computing it again (a warm-up and a first visitor, twenty clients
    on a cold page). If the computing thread fails, a waiting one computes it itself.
    """
    entry = _open()

    def trim(cache: OrderedDict[Hashable, Any]) -> None:
        while len(cache) > MEMO_SIZE:
            cache.popitem(last=False)

    return single_flight(
        entry["memo"], entry["memo_pending"], entry["memo_lock"], key, compute, trim
    )


def single_flight(
    cache: OrderedDict[Hashable, Any],
    pending: dict[Hashable, threading.Event],
    lock: threading.Lock,
    key: Hashable,
    compute: Callable[[], T],
    trim: Callable[[OrderedDict[Hashable, Any]], None] | None = None,
) -> T:
    """`cache[key]`, computed by one thread while others asking for it wait (`memo`'s
    and the tracker's way). If the computing thread fails, a waiting one computes it
    itself. `trim(cache)` runs under `lock` after a value is stored (a size bound)."""
    while True:
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]  # type: ignore[no-any-return]
            running = pending.get(key)
            if running is None:
                done = pending[key] = threading.Event()
                break
        running.wait()
    try:
        value = compute()
        with lock:
            cache[key] = value
            cache.move_to_end(key)
            if trim is not None:
                trim(cache)
        return value
    finally:
        with lock:
            pending.pop(key, None)
        done.set()


def prewarm(app: Flask) -> None:
    """Open the app's store and index now and start their warm-up in the background
    (`govkg serve` calls it at start, so the first visitor finds them open)."""

    def run() -> None:
        try:
            with app.test_request_context("/"):
                _open()
        except Exception:  # noqa: BLE001 - the first request reports real errors
            logging.getLogger(__name__).debug("pre-warm failed", exc_info=True)

    threading.Thread(target=run, daemon=True, name="govkg-prewarm").start()


def _open() -> dict[str, Any]:
    if "govkg" in g:
        return g.govkg
    data = Path(current_app.config["DATA"])
    url = current_app.config.get("STORE_URL") or os.environ.get("GOVKG_STORE_URL") or None
    key = f"{data}\n{url or ''}"
    now = time.monotonic()
    with _lock:
        entry = _cache.get(key)
        stale = entry is None
        # the data directory is looked at once a CHECK_EVERY, counted from the last
        # look (not the last request: a busy server must still see a new ingest)
        if entry is not None and now - entry["checked"] > CHECK_EVERY:
            entry["checked"] = now
            stale = _stamp(data) != entry["stamp"]
        if entry is None or stale:
            from kg.indexing import open_index
            from kg.store import open_store
            from web.responsecache import ResponseCache

            # the store opened before is not closed here: requests in flight (other
            # threads) still read from it; it closes when the last of them drops it
            st = open_store(data, url=url, read_only=True)
            entry = {
                "store": st,
                "index": open_index(st, read_only=True),
                "stamp": _stamp(data),
                "memo": OrderedDict(),
                "memo_lock": threading.Lock(),
                "memo_pending": {},
                "responses": ResponseCache(),
                "checked": now,
            }
            _cache[key] = entry
            app = current_app._get_current_object()  # type: ignore[attr-defined]
            threading.Thread(
                target=_warm, args=(app, entry), daemon=True, name="govkg-warm"
            ).start()
    g.govkg = entry
    return entry


def _warm(app: Flask, entry: dict[str, Any]) -> None:
    """Pay an opened store's one-time costs in the background, not in the first visitors'
    requests (seconds each at 10,000 meetings): request the home page once (its memo
    entries), then pay the index generation's costs (kind weights, date order, facet
    tables, the thesaurus), then request the other WARM_PATHS (the tracker's table
    first), and last say if the store needs `govkg upgrade`. A failure here only means
    the first visitor pays instead."""
    log = logging.getLogger(__name__)
    client = app.test_client() if app.config.get("WARM_PAGES") else None

    def pages(paths: tuple[str, ...]) -> None:
        if client is None:
            return
        for path in paths:
            if _cache_entry_is(entry):
                try:
                    client.get(path)
                except Exception:  # noqa: BLE001 - best effort
                    log.debug("warming %s failed", path, exc_info=True)

    started = time.perf_counter()
    tracker = threading.Thread(
        target=pages, args=(WARM_TRACKER,), daemon=True, name="govkg-warm-tracker"
    )
    tracker.start()
    pages(WARM_PATHS[:1])  # the home page first: the first visitor lands there
    try:
        from kg.search import search

        entry["index"].warm()
        search(entry["index"], "warm", facets=False)
    except Exception:  # noqa: BLE001 - best effort; the request path reports real errors
        log.debug("index warm-up failed", exc_info=True)
    pages(WARM_PATHS[1:])
    tracker.join()
    if _cache_entry_is(entry):  # operators (and bench/scale_bench.py) wait for this line
        log.info("%s: warmed up in %.1f s", app.config.get("DATA"), time.perf_counter() - started)
    # last: a whole-store query (14 s at 10,000 meetings) that only logs a warning
    try:
        from kg.upgrade import outdated_count, outdated_message

        message = outdated_message(outdated_count(entry["store"]))
        if message:
            log.warning("%s: %s", app.config.get("DATA"), message)
    except Exception:  # noqa: BLE001 - best effort
        log.debug("build version check failed", exc_info=True)


def _cache_entry_is(entry: dict[str, Any]) -> bool:
    """Whether `entry` is still the app's open store (not replaced by a newer ingest)."""
    return any(e is entry for e in _cache.values())
