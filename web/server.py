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

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server as _waitress_server
from waitress.task import ErrorTask

from web.security import HEADERS

__all__ = ["create_server", "serve", "serve_workers", "SecureErrorTask", "SecureChannel"]


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


def serve_workers(
    make_app: Callable[[], Any],
    *,
    host: str,
    port: int,
    threads: int,
    workers: int,
    ident: str = "govkg",
    on_start: Callable[[Any], None] | None = None,
) -> None:
    """Serve with `workers` processes (fork) accepting on one listening socket.

    One Python process serves on one core at a time (the GIL): search and the pages are
    pure-Python work, so on a 2-core machine one process saturates at half the machine.
    Here the parent binds the socket, forks the workers (each makes its own app with
    `make_app`, so each opens its own read-only store and index after the fork, and
    calls `on_start(app)`, e.g. to warm it), and supervises them: a worker that dies
    is replaced (unless workers die faster than one per START_GRACE seconds, then
    serving stops with an error), SIGTERM/SIGINT stop them all, and each dies with the
    parent (kg.lock.die_with_parent) even after a SIGKILL of the parent.
    """
    from kg.lock import die_with_parent

    sock = socket.create_server((host, port), backlog=1024)
    sock.setblocking(False)

    def start() -> int:
        pid = os.fork()
        if pid:
            return pid
        code = 0
        try:
            die_with_parent()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            app = make_app()
            if on_start is not None:
                on_start(app)
            create_server(app, sockets=[sock], threads=threads, ident=ident).run()
        except BaseException:  # noqa: BLE001 - a worker reports and exits, never returns
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)

    stopping = False

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    children: dict[int, float] = {}
    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    quick = 0  # workers in a row that died within START_GRACE of their start
    try:
        for _ in range(workers):
            children[start()] = time.monotonic()
        while children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            started = children.pop(pid, None)
            if started is None or stopping:
                continue
            quick = quick + 1 if time.monotonic() - started < START_GRACE else 0
            if quick > workers:
                stop(signal.SIGTERM, None)
                raise RuntimeError("the server's worker processes keep failing at start")
            children[start()] = time.monotonic()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        sock.close()


START_GRACE = 5.0
"""A worker that dies within this many seconds of starting counts as failing at start."""
