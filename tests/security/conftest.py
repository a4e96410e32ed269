"""Security fixtures: minutes full of XSS payloads (in titles, names, agenda items,
paragraphs, actions), ingested once per session into a real data directory; the app
over it; and a live server over it for the HTTP and browser tests."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FLAG = "__xss"
"""Every payload sets window.__xss (and opens a dialog) if it ever runs."""
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '"><img src=x onerror="window.__xss=2;alert(2)">',
    "javascript:window.__xss=3;alert(3)",
    "'><svg/onload=window.__xss=4;alert(4)>",
    "</title></textarea><script>window.__xss=5;confirm(5)</script>",
    "{{7*7}}${7*7}<iframe src=javascript:alert(6)>",
]
"""Script, attribute break-out, javascript: URL, SVG handler, context escape, template."""

_BLOCKS = [
    "Eastshire Police and Crime Commissioner {p0}\nAccountability Board {p1} – Minutes\n"
    "Date: Tuesday 4 June 2024, 14:00–16:00\nLocation: Room 2, {p2} Headquarters",
    "Present:\n• Helen {p0} Ward – Police and Crime Commissioner (PCC)\n"
    "• Martin {p1} Cole – Chief Constable (CC)\n• Ann {p3} Price – Chief Executive",
    "1. Knife crime {p4}\nThe PCC asked how many weapons {p0} had been recovered in "
    "Northtown {p1}. The CC said that 41 knives had been surrendered {p2} {p3}.",
    "2. Road safety {p5} in Northtown\nThe CC said that he would report on speeding {p3} "
    "by 31 July 2024 {p4}. See {p2} and https://example.org/{p1}.",
    "ACTION: Chief Constable to write to {p0} the panel {p5} by 30 June 2024.",
]


def _text(escape: bool) -> list[str]:
    values = {f"p{i}": html.escape(p) if escape else p for i, p in enumerate(PAYLOADS)}
    return [block.format(**values) for block in _BLOCKS]


def xss_html() -> str:
    """Minutes as an HTML page whose *text* holds the payloads (written as entities)."""
    body = "".join("<p>" + "<br>\n".join(b.split("\n")) + "</p>\n" for b in _text(True))
    return f"<html><head><title>t</title></head><body><main>\n{body}</main></body></html>\n"


def xss_markdown() -> str:
    """Markdown minutes with link syntax around javascript: URLs and raw payloads."""
    blocks = _text(False)
    blocks.insert(3, "[click me](javascript:alert(7)) ![img](javascript:alert(8))")
    return "\n\n".join(blocks).replace("4 June", "5 June") + "\n"


@contextmanager
def serving(app, threads: int = 8) -> Iterator[str]:
    """Serve `app` with waitress on a free port of 127.0.0.1; yield its base URL.

    Stopped in order: the worker threads finish, then every socket is closed from the
    server's own loop thread (closing them from here races with a response being sent).
    """
    from waitress import wasyncore

    from tests.web.browser import free_port
    from web.server import create_server  # what `govkg serve` runs

    server = create_server(app, host="127.0.0.1", port=free_port(), threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=10)
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def xss_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.pipeline import ingest_paths
    from kg.store import Store

    root = tmp_path_factory.mktemp("xss")
    files = root / "minutes"
    files.mkdir()
    (files / "eastshire_board_2024-06-04.html").write_text(xss_html(), encoding="utf-8")
    (files / "eastshire_board_2024-06-05.md").write_text(xss_markdown(), encoding="utf-8")
    data = root / "data"
    with Store(data) as store:
        report = ingest_paths([files], store)
    assert report.ok, report.failed
    return data


@pytest.fixture(scope="session")
def xss_app(xss_data: Path):
    from web import create_app

    return create_app({"TESTING": True, "DATA": str(xss_data)})


@pytest.fixture
def xss(xss_app):
    return xss_app.test_client()


@pytest.fixture(scope="module")
def xss_server(xss_data: Path):
    """A live waitress server over the payload data: its base URL. Its app (this
    fixture's own) has one extra page, /_canary, that shows a payload unescaped: the
    browser test proves on it that a payload which reaches a page does run."""
    from web import create_app

    app = create_app({"DATA": str(xss_data)})
    app.add_url_rule("/_canary", "canary", lambda: f"<!doctype html><p>{PAYLOADS[1]}</p>")
    with serving(app) as base:
        yield base
