"""The app factory: defaults, then the instance config, then the caller's mapping."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # the data directory (store, index, source copies); None: $GOVKG_DATA or ./govkg-data
    "DATA": None,
    "SITE_NAME": "govkg",
    "PER_PAGE": 10,
    "FEED_ITEMS": 50,
    # bytes of request body at most (413 beyond; web/security.py)
    "MAX_CONTENT_LENGTH": 2**20,
    # keep whole responses to repeated GETs per store generation (web/responsecache.py)
    "RESPONSE_CACHE": True,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` wins over the instance config (instance/config.py)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    if config:
        app.config.from_mapping(config)
    data_dir = app.config["DATA"] or os.environ.get("GOVKG_DATA") or "govkg-data"
    app.config["DATA"] = str(Path(data_dir).resolve())

    from web import data, errors, responsecache, security
    from web.views import register_views

    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep each page's key order
    data.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    responsecache.init_app(app)
    register_views(app)
    return app
