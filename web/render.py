"""One data dict per page, rendered as HTML or JSON (the page's API)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, request


def wants_json() -> bool:
    """JSON for /api/..., a .json suffix, ?format=json, or an Accept header preferring it."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    if request.args.get("format") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def page(template: str, data: dict[str, Any], status: int = 200) -> Any:
    """Render `data` with `template`, or as JSON when the client asks for it."""
    if wants_json():
        response = jsonify(data)
        response.status_code = status
        return response
    return render_template(template, **data), status
