"""One error shape for every error: {"ok": false, "error": "...", "status": N}.

HTML for browsers (error.html), JSON where JSON is wanted (see web.render). An
unexpected exception is logged on the server and answered 500 with a fixed message:
no exception text, no stack trace reaches a client. If even the error page cannot be
rendered, the answer is the same message as plain text.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from kg.index import SearchIndexError
from kg.store import StoreError
from web.render import wants_json

INTERNAL = "Something went wrong on our side."
UNAVAILABLE = (
    "The data is not available: the data directory has no store or no search index "
    "(the server's log says which, and the command that makes it)."
)


def error_data(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def _no_html(accept: Any) -> bool:
    """A client that sent an Accept header without HTML in it (a SPARQL client asking
    for results, a feed reader) gets the error as JSON."""
    return bool(accept) and not accept.accept_html


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        message = exc.description or exc.name
        if status >= 500 and not isinstance(exc, (InternalServerError, _Unavailable)):
            message = exc.name  # a 5xx raised by a view says no more than its name
        data = error_data(status, message)
        try:
            if wants_json() or _no_html(request.accept_mimetypes):
                response = jsonify(data)
                response.status_code = status
                return response
            return render_template("error.html", **data, title=exc.name), status
        except Exception:
            app.logger.exception("the error page failed")
            return Response(f"{status} {exc.name}: {message}\n", status, mimetype="text/plain")

    @app.errorhandler(StoreError)
    @app.errorhandler(SearchIndexError)
    def no_data(exc: Exception) -> Any:
        # the operator's problem, not a bug: one line in the log (its message names the
        # directory and the fix), a 503 without the server's paths for the client
        app.logger.error("%s", exc)
        return http_error(_Unavailable(UNAVAILABLE))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error")
        return http_error(InternalServerError(INTERNAL))


class _Unavailable(ServiceUnavailable):
    """A 503 whose description is shown (werkzeug's own says only "try again later")."""
