"""Per-request access to the store and the index, opened read-only and shared.

pyoxigraph's read-only store and the Whoosh index are opened once per process (opening
is the slow part) and reopened when the data directory changes underneath (a new
ingest), checked at most once a second.

With ``app.config["STORE_URL"]`` or ``$GOVKG_STORE_URL`` set, the graph is read from
that SPARQL server (kg.remote) and the index and source copies from the data
directory; a new ingest is then noticed through the index directory's mtime.

`memo()` keeps what a page computes over the whole store (the meetings in date order,
...) with the opened store, so it is worked out once per store and dropped with it when
the store is reopened.
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


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for as long as the current store is open.

    The store is reopened when the data directory changes (a new ingest), and what was
    remembered goes with the old one. At most MEMO_SIZE results are kept per store.
    Two threads asking for the same missing key may both compute it; one result stays.
    """
    entry = _open()
    cache: OrderedDict[Hashable, Any] = entry["memo"]
    lock: threading.Lock = entry["memo_lock"]
    with lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]  # type: ignore[no-any-return]
    value = compute()
    with lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > MEMO_SIZE:
            cache.popitem(last=False)
    return value


def _open() -> dict[str, Any]:
    if "govkg" in g:
        return g.govkg
    data = Path(current_app.config["DATA"])
    url = current_app.config.get("STORE_URL") or os.environ.get("GOVKG_STORE_URL") or None
    key = f"{data}\n{url or ''}"
    now = time.monotonic()
    with _lock:
        entry = _cache.get(key)
        if entry is None or (
            now - entry["checked"] > CHECK_EVERY and _stamp(data) != entry["stamp"]
        ):
            from kg.indexing import open_index
            from kg.store import open_store

            # the store opened before is not closed here: requests in flight (other
            # threads) still read from it; it closes when the last of them drops it
            st = open_store(data, url=url, read_only=True)
            entry = {
                "store": st,
                "index": open_index(st, read_only=True),
                "stamp": _stamp(data),
                "memo": OrderedDict(),
                "memo_lock": threading.Lock(),
            }
            _cache[key] = entry
            threading.Thread(target=_warm, args=(entry["index"],), daemon=True).start()
        entry["checked"] = now
    g.govkg = entry
    return entry


def _warm(index: Any) -> None:
    """Pay an index generation's one-time costs (kind weights, date order, facet tables,
    the thesaurus) in the background, not in the first visitor's search: seconds at
    10,000 meetings. A failure here only means the first search pays instead."""
    try:
        from kg.search import search

        index.warm()
        search(index, "warm", facets=False)
    except Exception:  # noqa: BLE001 - best effort; the request path reports real errors
        logging.getLogger(__name__).debug("index warm-up failed", exc_info=True)
