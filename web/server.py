"""The production HTTP server: waitress, with the security headers on its own errors.

waitress answers some bad requests itself, before any WSGI app sees them: a malformed
request line, a header with control characters, a body over its own limits, a bad
chunked encoding (400, 413, 431...). Those responses come from its ``ErrorTask``, not
from Flask, so `web.security`'s headers were missing from them. waitress has no hook
for it; its channel class names the error task class (``HTTPChannel.error_task_class``)
and each listening server names its channel class (``channel_class``), so
`create_server` makes waitress's server and points every listening socket at a channel
whose error task adds `web.security.HEADERS` (CSP, nosniff, frame denial, referrer
policy) before waitress's own Content-Type / Content-Length / Connection. The body stays
waitress's short plain-text message (no trace, nothing from the app).

    server = create_server(app, host="127.0.0.1", port=5000, threads=8)
    server.run()
"""

from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server as _waitress_server
from waitress.task import ErrorTask

from web.security import HEADERS

__all__ = ["create_server", "serve", "SecureErrorTask", "SecureChannel"]


class SecureErrorTask(ErrorTask):  # type: ignore[misc]
    """waitress's error response, with the security headers."""

    def execute(self) -> None:
        self.response_headers.extend(HEADERS.items())
        super().execute()


class SecureChannel(HTTPChannel):  # type: ignore[misc]
    """A waitress channel whose own error responses carry the security headers."""

    error_task_class = SecureErrorTask


def create_server(app: Any, **kw: Any) -> Any:
    """`waitress.server.create_server` (same arguments) whose connections use
    SecureChannel."""
    socket_map: dict[Any, Any] = kw.pop("map", None) or {}
    server = _waitress_server(app, map=socket_map, **kw)
    for listener in {id(s): s for s in (server, *socket_map.values())}.values():
        if hasattr(listener, "channel_class"):
            listener.channel_class = SecureChannel
    return server


def serve(app: Any, **kw: Any) -> None:
    """`waitress.serve` with `create_server`: log the address, serve until stopped."""
    from waitress import serve as waitress_serve

    waitress_serve(app, _server=create_server, **kw)
