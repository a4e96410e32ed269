"""Whole responses to repeated GET requests, kept per process for one store generation.

What govkg serves for a GET is a function of the URL, the negotiated headers, the data
directory's store and index (they change only when something is ingested) and, for what
is overdue, today's date. So a response to a GET is kept and sent again for the same
request until one of those changes:

- the cache lives with the opened store (`web.data`): a new ingest reopens the store and
  the responses computed from the old one go with it, as `memo()`'s results do;
- the key is the app, the full URL (scheme, host, path, query), the date, the request headers
  the response varies on (Accept always: /sparql, Linked Data and the JSON views are
  negotiated);
- an entry is dropped after MAX_AGE seconds in any case (a SPARQL query may read NOW());
- a request with `Cache-Control: no-cache` (a hard reload, a benchmark) is computed again;
- only complete 200 answers under MAX_ENTRY bytes are kept: no error, no stream (dumps,
  stored source files), no response varying on Cookie or on everything.

Why: at 10,000 meetings a person or topic page costs 0.1-3 s of CPU and an example SPARQL
query up to 1 s; on two cores twenty clients asking for the popular pages and queries
would otherwise compute them again and again (issue 8: page p95 under 20 clients).
Every kept response also gets an ETag, so a browser's conditional request is answered
304 without the body.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from flask import Flask, Response, request

MAX_BYTES = 64 * 2**20
"""Bytes of response bodies kept per process and store generation at most."""
MAX_ENTRY = 2**20
"""A larger response is not kept."""
MAX_AGE = 300.0
"""Seconds an entry is sent again at most."""
HEADER = "X-GovKG-Cache"
"""hit or miss: whether the response came from this cache (for operators and benches)."""
_SKIPPED_VARY = {"*", "cookie", "authorization"}
_PER_RESPONSE = {"content-length", "date", HEADER.lower()}
"""Headers not kept: set again for each response sent."""


class ResponseCache:
    """An LRU of (body, status, headers) under a byte budget; thread-safe."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, bytes, list[Any]]] = OrderedDict()
        self._vary: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def key(self, url: str, headers: Any) -> tuple[Any, ...]:
        """The key of a request: its URL, today's date, the varying request headers."""
        with self._lock:
            vary = self._vary.get(url, ("accept",))
        from flask import current_app

        from web.views.actions import today

        # apps over the same data directory share its opened store (web.data) but may
        # differ in their config (items per page, feed length): each app has its own keys
        app = current_app.extensions["govkg.responses"]
        return (app, url, today(), vary, tuple(headers.get(h, "") for h in vary))

    def get(self, key: tuple[Any, ...]) -> tuple[bytes, list[Any]] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored, body, headers = entry
            if time.monotonic() - stored > MAX_AGE:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return body, headers

    def put(self, url: str, headers: Any, response: Response) -> None:
        vary = tuple(sorted({"accept", *(v.lower() for v in response.vary)}))
        if _SKIPPED_VARY & set(vary):
            return
        body = response.get_data()
        if len(body) > MAX_ENTRY:
            return
        with self._lock:
            self._vary[url] = vary
        key = self.key(url, headers)
        kept = [(k, v) for k, v in response.headers.items() if k.lower() not in _PER_RESPONSE]
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic(), body, kept)
            self.size += len(body)
            while self.size > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[Any, ...]) -> None:
        _, body, _ = self._entries.pop(key)
        self.size -= len(body)


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and request.endpoint is not None
        and request.endpoint != "static"
        and "Cookie" not in request.headers
        and "Authorization" not in request.headers
    )


def _revalidating() -> bool:
    """Whether the client asks for an answer computed now (a browser's hard reload, a
    benchmark timing the work: `Cache-Control: no-cache`, or `Pragma: no-cache`)."""
    control = (request.headers.get("Cache-Control") or "").lower()
    return (
        "no-cache" in control
        or "max-age=0" in control
        or ((request.headers.get("Pragma") or "").lower() == "no-cache")
    )


def _cache() -> ResponseCache | None:
    from web import data

    try:
        return data.responses()
    except Exception:  # noqa: BLE001 - no store yet: the view reports it
        return None


def init_app(app: Flask) -> None:
    app.extensions["govkg.responses"] = uuid.uuid4().hex

    @app.before_request
    def answer_from_cache() -> Response | None:
        if not app.config.get("RESPONSE_CACHE", True) or not _cacheable_request():
            return None
        if _revalidating():
            return None  # a reload asks for a fresh answer (it is then kept)
        cache = _cache()
        if cache is None:
            return None
        hit = cache.get(cache.key(request.url, request.headers))
        if hit is None:
            return None
        body, headers = hit
        response = Response(body, headers=headers)
        response.headers[HEADER] = "hit"
        response.make_conditional(request)  # a 304 when the client has this ETag
        return response

    @app.after_request
    def keep(response: Response) -> Response:
        if (
            response.headers.get(HEADER) == "hit"
            or not app.config.get("RESPONSE_CACHE", True)
            or not _cacheable_request()
            or response.status_code != 200
            or response.is_streamed
            or response.direct_passthrough
            or "Set-Cookie" in response.headers
            or "no-store" in (response.headers.get("Cache-Control") or "")
        ):
            return response
        cache = _cache()
        if cache is None:
            return response
        response.add_etag()
        cache.put(request.url, request.headers, response)
        response.headers[HEADER] = "miss"
        response.make_conditional(request)
        return response
