"""One error shape for every error: {"ok": false, "error": "...", "status": N}."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from web.render import wants_json


def error_data(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        data = error_data(status, exc.description or exc.name)
        if wants_json():
            from flask import jsonify

            response = jsonify(data)
            response.status_code = status
            return response
        return render_template("error.html", **data, title=exc.name), status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error")
        return http_error(InternalServerError("Something went wrong on our side."))
