"""Security headers on every response, and the request-size limit.

Every response (pages, errors, static files, SPARQL results, feeds, dumps, stored
sources) carries a strict Content-Security-Policy (no inline script or style, no
framing), no sniffing, no framing, no referrer leaks. A view may set a stricter policy of
its own (a stored HTML source is sandboxed); `frame-ancestors 'none'` is added to it
when it lacks one. A request declaring a body over MAX_CONTENT_LENGTH bytes is refused
(413) before any view reads it; a body sent without a length is cut off at the same
size by Werkzeug while it is read.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Set on every response (a view's own value of a header wins, see above)."""


def init_app(app: Flask) -> None:
    @app.before_request
    def size_limit() -> None:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and (request.content_length or 0) > limit:
            abort(413, f"The request body is larger than {limit} bytes.")

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        csp = response.headers["Content-Security-Policy"]
        if "frame-ancestors" not in csp:
            response.headers["Content-Security-Policy"] = f"{csp}; frame-ancestors 'none'"
        return response
