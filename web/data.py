"""Per-request access to the store and the index, opened read-only and shared.

pyoxigraph's read-only store and the Whoosh index are opened once per process (opening
is the slow part) and reopened when the data directory changes underneath (a new
ingest), checked at most once a second.

With ``app.config["STORE_URL"]`` or ``$GOVKG_STORE_URL`` set, the graph is read from
that SPARQL server (kg.remote) and the index and source copies from the data
directory; a new ingest is then noticed through the index directory's mtime.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g

_lock = threading.Lock()
_cache: dict[str, Any] = {}
CHECK_EVERY = 1.0


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

            if entry is not None:
                entry["store"].close()
            st = open_store(data, url=url, read_only=True)
            entry = {"store": st, "index": open_index(st, read_only=True), "stamp": _stamp(data)}
            _cache[key] = entry
        entry["checked"] = now
    g.govkg = entry
    return entry
