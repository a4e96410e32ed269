"""Web fixtures: the app over the corpus data directory (built once per session), and
an app over a small data directory with hostile text planted in its minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

EVIL = "<script>alert(1)</script>"
"""Planted in the hostile minutes; it must never reach a page unescaped."""
EVIL_HTML = EVIL.replace("<", "&lt;").replace(">", "&gt;")

_BLOCKS = [
    "Northshire Police and Crime Commissioner\nAccountability Board – Minutes\n"
    "Date: Tuesday 4 June 2024, 14:00–16:00\nLocation: Room 2, {evil} Headquarters",
    "Present:\n• Helen {evil} Ward – Police and Crime Commissioner (PCC)\n"
    "• Martin Cole – Chief Constable (CC)",
    "1. Knife crime {evil}\nThe PCC asked how many weapons had been recovered {evil} in "
    "Northtown. The CC said that 41 knives had been surrendered {evil}.",
]

HOSTILE_TXT = (
    "Southshire Police and Crime Panel\nPanel meeting – Minutes\n"
    "Date: Tuesday 2 July 2024, 10:00\n\nPresent:\n"
    "• Ann Price – Chair\n• Bob Stone – Member\n\n"
    '1. Budget\nThe Chair asked whether <img src=x onerror=alert(1)// "quoted" & more '
    "had been costed. Bob Stone said that it would be costed by 31 July 2024.\n"
)
"""Plain text keeps a lone unclosed tag (closed tags are blanked by the reader)."""


def hostile_html() -> str:
    """Minutes as an HTML page whose text holds EVIL (written as entities, so the
    reader decodes them into the text itself)."""
    body = "".join(
        "<p>" + "<br>\n".join(block.format(evil=EVIL_HTML).split("\n")) + "</p>\n"
        for block in _BLOCKS
    )
    return f"<html><body><main>\n{body}</main></body></html>\n"


@pytest.fixture(scope="session")
def corpus_app(corpus_index):
    from web import create_app

    data_dir, _ = corpus_index
    return create_app({"TESTING": True, "DATA": str(data_dir)})


@pytest.fixture
def client(corpus_app):
    return corpus_app.test_client()


@pytest.fixture
def uncached_client(corpus_app):
    """A client whose every request asks for a fresh answer (Cache-Control: no-cache),
    for tests that change the code's limits with monkeypatch: the per-process response
    cache (web/responsecache.py) would otherwise answer with a page made before."""
    fresh = corpus_app.test_client()
    fresh.environ_base["HTTP_CACHE_CONTROL"] = "no-cache"
    return fresh


@pytest.fixture(scope="session")
def hostile_app(tmp_path_factory: pytest.TempPathFactory):
    from kg.pipeline import ingest_paths
    from kg.store import Store
    from web import create_app

    root = tmp_path_factory.mktemp("hostile")
    files = root / "minutes"
    files.mkdir()
    (files / "northshire_board_2024-06-04.html").write_text(hostile_html(), encoding="utf-8")
    (files / "southshire_panel_2024-07-02.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    data: Path = root / "data"
    with Store(data) as store:
        report = ingest_paths([files], store)
    assert report.ok, report.failed
    return create_app({"TESTING": True, "DATA": str(data)})


@pytest.fixture
def hostile(hostile_app):
    return hostile_app.test_client()


@pytest.fixture(scope="module")
def site(corpus_index):
    """A live server over the corpus data and a headless Chromium: (base URL, browser).
    Skips (or fails, with GOVKG_REQUIRE_BROWSER=1) where no Chromium is installed."""
    from tests.web.browser import chromium, live_server, require_browser
    from web import create_app

    require_browser()
    data_dir, _index = corpus_index
    app = create_app({"DATA": str(data_dir)})
    with live_server(app) as base, chromium() as browser:
        yield base, browser


# -- the Tintern series with its derived graphs (identity pages, commitments timeline) --
@pytest.fixture(scope="module")
def tintern_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.web.tintern_store import tintern_data

    return tintern_data(tmp_path_factory)


@pytest.fixture(scope="module")
def tintern_app(tintern_dir: Path):
    from tests.web.tintern_store import TODAY
    from web import create_app

    return create_app({"TESTING": True, "DATA": str(tintern_dir), "TODAY": TODAY})


@pytest.fixture
def tintern_client(tintern_app):
    return tintern_app.test_client()
