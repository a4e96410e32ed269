"""govkg's web layer: a small Flask app over the store and the search index.

    from web import create_app
    app = create_app({"DATA": "govkg-data"})

Every page builds one data dict and renders it as HTML, or as JSON for `/api/...`,
a `.json` suffix or `Accept: application/json` (see web.render). The public site is
read-only: the store and the index are opened read-only.
"""

from web.app import create_app

__all__ = ["create_app"]
