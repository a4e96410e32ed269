"""A server over a data directory with nothing in it yet, or without its search index,
answers every page and query with a 503 that says so (never a 500, never the server's
paths), and serves the data once it is ingested."""

from __future__ import annotations

import shutil
from urllib.parse import quote

from tests.web.test_reopen import _ingest

URLS = [
    "/",
    "/meetings",
    "/actions",
    "/?q=footpath",
    "/api/search?q=footpath",
    "/sparql?query=" + quote("ASK {}"),
]


def _answers(app, root):
    client = app.test_client()
    out = {}
    for url in URLS:
        r = client.get(url, headers={"Accept": "application/json", "Cache-Control": "no-cache"})
        body = r.get_data(as_text=True)
        assert str(root) not in body, f"{url} shows the server's path"
        out[url] = (r.status_code, body)
    return out


def test_no_data_then_data_then_no_index(tmp_path, monkeypatch):
    from web import create_app, data

    monkeypatch.setattr(data, "CHECK_EVERY", 0.0)
    root = tmp_path / "data"
    app = create_app({"TESTING": True, "DATA": str(root)})
    for url, (status, body) in _answers(app, root).items():
        assert status == 503, (url, status, body)
        assert "data directory" in body

    _ingest(root, tmp_path / "minutes", 4, "church")
    for url, (status, body) in _answers(app, root).items():
        assert status == 200, (url, status, body)

    without_index = tmp_path / "copy"
    shutil.copytree(root, without_index, ignore=shutil.ignore_patterns("index"))
    app = create_app({"TESTING": True, "DATA": str(without_index)})
    answers = _answers(app, without_index)
    assert answers["/meetings"][0] == 503 and "search index" in answers["/meetings"][1]
    assert answers["/sparql?query=" + quote("ASK {}")][0] == 200  # no text search in it
