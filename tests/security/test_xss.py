"""XSS (issue 9): payloads planted in minutes (titles, names, agenda items, paragraphs,
actions), typed into search boxes and filters, and put into URLs are rendered inert.

Two checks on every page: the HTML, parsed, holds no element or attribute that could run
script (no inline <script>, no on* handler, no javascript: URL); and a real Chromium
*with the Content-Security-Policy switched off* loads the page and no payload runs (no
dialog opens, window.__xss stays unset): escaping alone stops them, the CSP is a second
wall. With the CSP on, no page even triggers a CSP violation report.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest

from tests.security.conftest import FLAG, PAYLOADS


class _Scan(HTMLParser):
    """Every tag and attribute that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not (names.get("src") or "").startswith("/static/"):
            self.problems.append(f"inline or foreign <script {attrs}>")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            url = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            linked = name in ("href", "src", "action", "formaction", "xlink:href", "data")
            if linked and url.startswith(("javascript:", "data:text/html", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def script_problems(html: str) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.problems


def pages(client, payloads: list[str] = PAYLOADS) -> list[str]:
    """Every page a payload can reach, the most telling first: the meetings, their people
    and bodies; payloads in searches, filters (search facets, tracker, network), the
    SPARQL editor and error pages; then searches for planted words and their facets."""
    urls = ["/", "/meetings", "/actions", "/network", "/query"]
    for m in client.get("/api/meetings").get_json()["meetings"]:
        urls.append(m["url"])
        if m["body_url"]:
            urls.append(m["body_url"])
        page = client.get(m["url"] + ".json").get_json()
        urls += [p["url"] for p in page["attendees"] if p.get("url")]
    for p in payloads:
        urls.append("/?" + urlencode({"q": p}))
        urls.append("/?" + urlencode({"q": "weapons", "speaker": p, "topic": p}))
        urls.append("/?" + urlencode({"person": p}))
        urls.append("/actions?" + urlencode({"owner": p, "topic": p, "body": p}))
        urls.append("/network?" + urlencode({"body": p}))
        urls.append("/network/around?" + urlencode({"iri": p}))
        urls.append("/query?" + urlencode({"query": f"SELECT * WHERE {{ ?s ?p '{p}' }}"}))
        urls.append("/meeting/" + quote(p, safe=""))
        urls.append("/id/person/" + quote(p, safe=""))
        urls.append("/nope/" + quote(p, safe=""))
    for word in ("weapons", "speeding", "knives", "window", "script", "alert"):
        urls.append("/?" + urlencode({"q": word}))
    hits = client.get("/api/search?q=weapons").get_json()
    urls += [h["url"] for h in hits["hits"]]
    for facet in hits.get("facets", {}).values():
        urls += [v["url"] for v in facet[:3] if v.get("url")]
    urls.append("/query?" + urlencode({"query": "SELECT ?t WHERE { ?m dcterms:title ?t }"}))
    return list(dict.fromkeys(urls))


def test_planted_payloads_reach_the_pages_escaped(xss) -> None:
    """The payloads really are in the data (the test is not vacuous), shown as text."""
    meetings = xss.get("/api/meetings").get_json()["meetings"]
    assert any(PAYLOADS[0] in (m["title"] or "") for m in meetings)
    page = xss.get(next(m["url"] for m in meetings if PAYLOADS[0] in m["title"]))
    html = page.get_data(as_text=True)
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in html
    assert PAYLOADS[0] not in html


def test_no_page_holds_anything_that_can_run_script(xss) -> None:
    urls = pages(xss)
    assert len(urls) > 60
    checked = 0
    for url in urls:
        response = xss.get(url)
        assert response.status_code < 500, url
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert script_problems(html) == [], url
        for p in PAYLOADS:
            if "<" in p:
                assert p not in html, (url, p)
        checked += 1
    assert checked > 60


@pytest.mark.parametrize(
    "url, mimetype",
    [
        ("/actions.atom", "application/atom+xml"),
        ("/search.atom?q=weapons", "application/atom+xml"),
        ("/actions.csv", "text/csv"),
    ],
)
def test_feeds_and_exports_carry_payloads_as_text(xss, url, mimetype) -> None:
    """Feeds are XML: a payload in them is escaped text, never markup. The CSV holds
    the text as written, under a type no browser renders as a page."""
    response = xss.get(url)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data(as_text=True)
    assert "window.__xss" in body  # the payloads are there
    if mimetype.endswith("xml"):
        assert "<script" not in body and "<img" not in body and "<svg" not in body


def test_search_api_snippets_are_escaped_html(xss) -> None:
    """The snippet is the one field rendered as HTML: only <mark> may be in it."""
    for word in ("weapons", "knives", "speeding", "script", "alert", "img"):
        for hit in xss.get("/api/search?" + urlencode({"q": word})).get_json()["hits"]:
            snippet = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
            assert "<" not in snippet and ">" not in snippet, snippet


def test_no_payload_runs_in_a_browser_even_without_csp(xss_app, xss_server) -> None:
    from tests.web.browser import chromium, guard, require_browser

    require_browser()
    urls = pages(xss_app.test_client(), PAYLOADS[:2])[:28]
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, java_script_enabled=True)
        guard(context, xss_server)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        # the detector works: an unescaped payload on the test's own canary page runs
        page.goto(xss_server + "/_canary", wait_until="load")
        assert page.evaluate(f"() => window.{FLAG}") == 2 and len(dialogs) == 1
        dialogs.clear()
        for url in urls:
            page.goto(xss_server + url, wait_until="load")
            assert page.evaluate(f"() => window.{FLAG} === undefined"), url
            # follow the first few links that carry data: a javascript: href would run here
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            assert not any(h.strip().lower().startswith("javascript:") for h in hrefs), url
        assert dialogs == []
        context.close()


def test_no_csp_violation_on_any_page(xss_app, xss_server) -> None:
    """With the CSP on, nothing on any page even tries to run inline script or style."""
    from tests.web.browser import chromium, guard, require_browser

    require_browser()
    urls = pages(xss_app.test_client(), PAYLOADS[:1])[:12]
    with chromium() as browser:
        context = browser.new_context()
        guard(context, xss_server)
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        for url in urls:
            page.goto(xss_server + url, wait_until="load")
        assert violations == []
        context.close()
