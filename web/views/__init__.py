"""Blueprints, one per area. Each module defines `bp`."""

from __future__ import annotations

import importlib

from flask import Flask

AREAS = ("search", "meetings", "entities", "actions", "feeds", "files")


def register_views(app: Flask) -> None:
    for area in AREAS:
        try:
            module = importlib.import_module(f"web.views.{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"web.views.{area}":
                raise
            continue  # an area not built yet
        app.register_blueprint(module.bp)
