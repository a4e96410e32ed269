"""`/source/<sha256>`: the stored copy of an ingested file, from DATA/sources only.

The name is checked to be a sha256 (64 hex digits) before anything touches the disk,
and the file is sent with `send_from_directory`, which refuses any path leaving the
folder. A stored HTML page is served sandboxed: it is the document as published, and
its scripts never run on this site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, send_from_directory

from web.views.entities import SHA

bp = Blueprint("files", __name__)

SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self'"
"""The Content-Security-Policy of a stored HTML or Markdown file: no script, no forms."""
TEXT = {".txt", ".md", ".markdown"}


@bp.get("/source/<sha>")
def source(sha: str) -> Any:
    """The original file of a document, as ingested."""
    if not SHA.match(sha):
        abort(404, "No such source file")
    folder = Path(current_app.config["DATA"]) / "sources"
    found = sorted(p.name for p in folder.glob(f"{sha}.*")) if folder.is_dir() else []
    found = [name for name in found if not name.endswith(".part")]
    if not found:
        abort(404, "No such source file")
    name = found[0]
    suffix = Path(name).suffix.lower()
    response = send_from_directory(
        folder,
        name,
        mimetype="text/plain" if suffix in TEXT else None,
        max_age=86400,
    )
    if suffix not in (".pdf", ".docx"):
        response.headers["Content-Security-Policy"] = SANDBOX
    if suffix == ".docx":
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
