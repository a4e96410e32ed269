"""Network pages over the corpus (tests/data/corpus): the overview and its downloads,
an entity's neighbourhood picture, the evidence path page; and in Chromium, the picture
renders, its nodes lead to entity pages, and axe-core finds nothing serious."""

from __future__ import annotations

import io
import re
from html import escape

import networkx as nx
import pytest

from kg import networks as N
from tests.web.browser import axe_problems, chromium, guard, live_server, require_browser


@pytest.fixture(scope="module")
def people(corpus_index):
    from kg.store import Store

    data, _ = corpus_index
    with Store(data, read_only=True) as store:
        yield N.build(store, "coattendance")


def _hub(g: nx.Graph) -> str:
    return max(sorted(g), key=lambda v: g.degree(v))


def test_overview_ranks_and_downloads(client, people):
    r = client.get("/network?kind=coattendance&by=degree")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    first_row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert escape(str(N.centrality(people, "degree")[0]["label"])) in first_row
    assert 'href="/network.graphml?kind=coattendance"' in html
    assert "Communities" in html
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        r = client.get(f"/network.{fmt}?kind=coattendance")
        assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
        back = read(io.BytesIO(r.data))
        assert set(back) == set(people)
        assert back.number_of_edges() == people.number_of_edges()
    data = client.get("/network.json?kind=topic-cooccurrence&by=eigenvector").get_json()
    assert data["kind"] == "topic-cooccurrence" and data["top"]
    assert client.get("/network?kind=nonsense").status_code == 400
    assert client.get("/network?since=31/12/2020").status_code == 400


def test_neighbourhood_svg_and_table_list_the_same_people(client, people):
    hub = _hub(people)
    path = hub.split("/id/", 1)[1]
    r = client.get(f"/id/{path}/network")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert '<title id="network-title">' in svg and '<desc id="network-desc">' in svg
    assert "style=" not in svg and "<script" not in html.split("</footer>")[0]
    svg_links = set(re.findall(r'<a class="node[^"]*" href="([^"]+)"', svg))
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    table_links = set(re.findall(r'<td><a href="(/id/[^"]+)"', table))
    neighbours = {"/id/" + v.split("/id/", 1)[1] for v in people[hub]}
    assert table_links and table_links <= neighbours
    assert svg_links == table_links | {f"/id/{path}"}
    # the strongest tie's evidence is a meeting link
    assert re.search(r'href="/meeting/[^"]+"', table)
    assert client.get("/id/person/no-such-person-here/network").status_code == 404
    assert client.get(f"/network/around?iri={hub}&kind=connections").status_code == 200


def test_path_page_explains_each_hop(client, people):
    a, b, d = next((a, b, d) for a, b, d in sorted(people.edges(data=True)) if d["weight"] == 1)
    (meeting,) = N.evidence_list(d)
    r = client.get("/network/path", query_string={"from": a, "to": b})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    first = html.split('<ol class="path">', 1)[1].split("</ol>", 1)[0]
    assert "<strong>attended</strong>" in first or "<strong>chaired</strong>" in first
    assert f'href="/meeting/{meeting.rsplit("/", 1)[-1]}"' in first
    r = client.get("/network/path", query_string={"from": a, "to": "zzzz qqqq"})
    assert r.status_code == 404 and "Nothing in the network is called" in r.get_data(as_text=True)


def test_browser_neighbourhood_links_and_axe(corpus_index, people):
    require_browser()
    from web import create_app

    data, _ = corpus_index
    hub = _hub(people)
    path = "/id/" + hub.split("/id/", 1)[1]
    with live_server(create_app({"DATA": str(data)})) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        guard(context, base)
        p = context.new_page()
        problems = []
        for url in (path + "/network", "/network?kind=person-topic", "/network/path"):
            p.goto(base + url)
            if url.endswith("/network"):
                svg = p.locator("svg.network-svg")
                assert svg.is_visible()
                box = svg.bounding_box()
                assert box and box["width"] > 300 and box["height"] > 200
                assert p.locator("svg.network-svg a.node").count() >= 3
            problems += axe_problems(p, url)
        assert not problems, "\n".join(problems)
        # a neighbour's node is a link to its entity page
        p.goto(base + path + "/network")
        node = p.locator("svg.network-svg a.node:not(.node-centre)").first
        label = node.locator("title").text_content() or ""
        node.click()
        p.wait_for_load_state()
        assert re.search(r"/id/person/[^/]+$", p.url)
        assert label.rsplit(" (", 1)[0] in p.locator("h1").inner_text()
        context.close()


def test_entity_pages_link_to_their_network(corpus_index):
    from web import create_app

    data_dir, _ = corpus_index
    client = create_app({"DATA": str(data_dir)}).test_client()
    for kind in ("person", "topic", "place", "organisation"):
        hits = client.get(f"/api/search?q=kind:{kind}").get_json()["hits"]
        url = next(h["url"] for h in hits if h.get("kind") == kind and h.get("url"))
        page = client.get(url).get_data(as_text=True)
        assert f'href="{url}/network"' in page, kind
        assert client.get(f"{url}/network").status_code == 200


def test_entity_pages_link_to_their_commitments(corpus_index):
    """Open and overdue commitments per owner, topic, place: links into the tracker,
    whose rows then all belong to that entity."""
    from urllib.parse import parse_qs, urlparse

    from web import create_app

    data_dir, _ = corpus_index
    client = create_app({"DATA": str(data_dir)}).test_client()
    owners = [
        r["owner"] for r in client.get("/api/actions").get_json()["actions"] if r.get("owner")
    ]
    assert owners
    person_hits = client.get("/api/search?q=kind:person").get_json()["hits"]
    checked = 0
    for hit in person_hits:
        page = client.get(hit["url"]).get_data(as_text=True)
        links = re.findall(r'href="(/actions\?[^"]+)"', page)
        assert links, hit["url"]
        for link in links:
            url = link.replace("&amp;", "&")
            rows = client.get(url.replace("/actions?", "/api/actions?")).get_json()["actions"]
            owner = parse_qs(urlparse(url).query).get("owner", [""])[0].lower()
            for row in rows:
                if owner:
                    assert owner in (row.get("owner") or "").lower()
            checked += bool(rows)
    assert checked  # some person owns something in the corpus
