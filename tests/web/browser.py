"""A live govkg server on 127.0.0.1 and headless Debian Chromium driven by Playwright.

Chromium comes from Debian (`apt-get install chromium`, as .ci/run does), never from
`playwright install`. Without it the browser tests skip, unless GOVKG_REQUIRE_BROWSER is
set (CI sets it), when they fail instead. Every request that is not to the test server
is aborted: a page must work offline.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def require_browser() -> None:
    """Skip (or fail, in CI) when Chromium, Playwright or axe-core are missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("Debian's chromium (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if not AXE.exists():
        missing.append("axe-core (npm ci)")
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if os.environ.get("GOVKG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve `app` with waitress on 127.0.0.1 in a thread; yield its base URL."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            # close() from this thread races the loop's select() on the sockets it
            # closes (EBADF): expected while closing, a real failure otherwise
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        closing.set()
        server.close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def guard(context, base: str) -> None:
    """Abort every request that does not go to the test server."""

    def route(r):
        if r.request.url.startswith(base):
            return r.continue_()
        return r.abort()

    context.route("**/*", route)


def axe_problems(page, label: str) -> list[str]:
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the page as it is now; one line per
    serious or critical violation, starting with `label` (the page's name or URL)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})"
    )
    return [
        f"{label}: {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
