"""Blueprints, one per area. Each module defines `bp`."""

from __future__ import annotations

import importlib

from flask import Flask

AREAS = (
    "search",
    "meetings",
    "entities",
    "actions",
    "feeds",
    "files",
    "linkeddata",
    "sparql",
    "editor",
    "network",
)


def register_views(app: Flask) -> None:
    for area in AREAS:
        app.register_blueprint(importlib.import_module(f"web.views.{area}").bp)
