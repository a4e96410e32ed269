"""The SPARQL editor at /query: examples menu, server-side results without
JavaScript, escaping, errors with their status; in Chromium: highlighting, Ctrl+Enter
and axe-core on the page with results."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from kg.examples import example, examples
from tests.web.browser import axe_problems, guard

WHO = example("who-committed-to-what")


def get_query(client, query: str):
    return client.get("/query?" + urlencode({"query": query}))


def textarea(page: str) -> str:
    m = re.search(r'<textarea[^>]*id="query"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, "the page has the query textarea"
    return html.unescape(m.group(1))


def test_blank_editor_has_prefixes_and_the_menu(client):
    r = client.get("/query")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    text = textarea(page)
    for line in (
        "PREFIX gkg:",
        "PREFIX dcterms:",
        "PREFIX skos:",
        "PREFIX text:    <https://w3id.org/govkg/text#>",
    ):
        assert line in text
    links = re.findall(r'href="/query\?example=([a-z0-9-]+)"', page)
    assert len(links) >= 12
    assert set(links) == {e.name for e in examples()}
    shown = html.unescape(page)
    for ex in examples():
        assert ex.title in shown and ex.description in shown
    assert '<label class="label" for="query">' in page
    assert 'src="/static/sparql-editor.js"' in page
    assert "<script>" not in page  # CSP: no inline script


@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_each_example_link_loads_its_text(client, name):
    r = client.get("/query?example=" + name)
    assert r.status_code == 200
    assert textarea(r.get_data(as_text=True)) == example(name).query


def test_unknown_example_is_a_404_with_the_names(client):
    r = client.get("/query?example=nope")
    assert r.status_code == 404
    assert "who-committed-to-what" in r.get_data(as_text=True)


def test_running_an_example_shows_a_table_with_entity_links(client):
    r = get_query(client, WHO.query)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert '<table class="table sparql-table">' in page
    assert '<th scope="col">owner</th>' in page
    links = re.findall(r'<a href="(/id/meeting/[^"]+)"', page)
    assert links
    entity = client.get(links[0], follow_redirects=True)
    assert entity.status_code == 200
    assert textarea(page) == WHO.query  # the query stays in the editor


def test_download_links_fetch_the_same_query(client):
    page = get_query(client, WHO.query).get_data(as_text=True)
    urls = [html.unescape(u) for u in re.findall(r'href="(/sparql\?[^"]+)"', page)]
    formats = {parse_qs(urlparse(u).query)["format"][0] for u in urls}
    assert formats == {"csv", "tsv", "json", "xml"}
    csv_url = next(u for u in urls if "format=csv" in u)
    assert parse_qs(urlparse(csv_url).query)["query"][0] == WHO.query
    r = client.get(csv_url)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.get_data(as_text=True).splitlines()[0].startswith("date,meeting,owner")


def test_literals_are_escaped(client):
    evil = "<script>alert(1)</script>"
    query = 'SELECT ?x ?y WHERE { BIND("' + evil + '" AS ?x) BIND(<http://example.org/a> AS ?y) }'
    page = get_query(client, query).get_data(as_text=True)
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://example.org/a" in page
    assert 'href="http://example.org/a"' not in page  # other IRIs are text


def test_ask_and_construct(client):
    ask = get_query(client, example("ask-any-overdue").query).get_data(as_text=True)
    assert '<p class="ask-answer"><strong>true</strong></p>' in ask
    graph = get_query(client, example("meeting-summary-graph").query)
    page = graph.get_data(as_text=True)
    assert graph.status_code == 200
    assert '<pre class="turtle"' in page and "gkg:raisedAt" in page
    assert "format=turtle" in page and "format=jsonld" in page


def test_full_text_inside_the_editor(client):
    page = get_query(client, example("chief-constable-on-custody").query).get_data(as_text=True)
    assert '<th scope="col">score</th>' in page
    assert re.search(r'<a href="/id/statement/', page)


def test_syntax_error_shows_the_parser_message_with_400(client):
    r = get_query(client, "SELECT ?x WHERE { ?x ?y }")
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert 'role="alert"' in page
    assert "The query could not be run" in page
    assert re.search(r"error-message\">[^<]*(expected|error|unexpected)", page, re.I)
    assert textarea(page) == "SELECT ?x WHERE { ?x ?y }"


def test_update_is_refused(client):
    r = get_query(client, "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert r.status_code == 400
    assert "read-only" in r.get_data(as_text=True)


# -- in the browser -----------------------------------------------------------------


def test_highlighting_ctrl_enter_and_axe(site):
    base, browser = site
    context = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True)
    guard(context, base)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(base + "/query?example=who-committed-to-what")
    box = p.locator("[data-sparql-editor]")
    assert "enhanced" in (box.get_attribute("class") or "")
    assert p.locator(".sparql-highlight .tok-keyword", has_text="SELECT").count() >= 1
    assert p.locator(".sparql-highlight .tok-variable", has_text="?action").count() >= 1
    assert p.locator(".sparql-highlight .tok-comment").count() >= 1
    assert p.locator(".sparql-highlight .tok-pname", has_text="gkg:Action").count() == 1
    editor = p.locator("#query")
    editor.focus()
    p.keyboard.press("End")
    p.keyboard.type(" # typed")
    assert p.locator(".sparql-highlight .tok-comment", has_text="# typed").count() == 1
    with p.expect_navigation():
        p.keyboard.press("Control+Enter")
    assert "query=" in p.url
    p.wait_for_selector("table.sparql-table")
    assert p.locator("table.sparql-table a[href^='/id/']").count() >= 1
    # nothing wider than a phone screen but the scrolling table
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
    problems = axe_problems(p, "/query")
    context.close()
    assert not problems, "\n".join(problems)
    assert not errors
