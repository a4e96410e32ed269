"""HTTP tests of the search, meeting, entity and source pages over the real corpus."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

WEST_MERCIA = "/meeting/west-mercia-police-and-crime-commissioner-2024-09-03"
MILBURN = "/meeting/milburn-parish-council-2018-11-06"

PAGES = {
    "/": {"query", "hits", "total", "facets", "latest_meetings"},
    "/?q=domestic+abuse": {
        "query",
        "hits",
        "total",
        "page",
        "pages",
        "per_page",
        "sort",
        "facets",
        "notes",
        "did_you_mean",
        "expanded",
        "filters",
        "person",
        "pagination",
    },
    "/meetings": {"meetings", "total", "page", "pages", "per_page"},
    WEST_MERCIA: {
        "meeting",
        "documents",
        "document",
        "attendees",
        "apologies",
        "agenda",
        "paragraphs",
        "other_actions",
        "highlight",
    },
    "/id/person/richard-cooper": {
        "entity",
        "roles",
        "meetings",
        "statements",
        "actions_owned",
        "actions_owed",
        "search_url",
    },
    "/id/org/west-mercia-police": {
        "entity",
        "meetings",
        "members",
        "actions_owned",
        "actions_owed",
        "timeline",
        "paragraphs",
    },
    "/id/place/hindlip": {"entity", "timeline", "paragraphs", "open_actions", "search_url"},
    "/id/topic/domestic-abuse": {"entity", "timeline", "paragraphs", "meetings", "search_url"},
    "/id/role/t-chief-constable": {"entity", "holders"},
}
EVIL = "<script>alert(1)</script>"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def assert_clean(response) -> str:
    """The CSP header is there and the page has no inline style or script."""
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert " style=" not in html
    assert not INLINE_SCRIPT.search(html)
    return html


def hrefs(html: str, pattern: str = "") -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if pattern in unescape(h)]


@pytest.mark.parametrize("url", PAGES)
def test_page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = assert_clean(response)
    assert html.count("<h1") == 1
    assert '<html lang="en-GB">' in html


@pytest.mark.parametrize("url", PAGES)
def test_page_json(client, url):
    as_format = client.get(url + ("&" if "?" in url else "?") + "format=json")
    by_accept = client.get(url, headers={"Accept": "application/json"})
    for response in (as_format, by_accept):
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert PAGES[url] <= set(response.get_json())
    assert as_format.get_json() == by_accept.get_json()


@pytest.mark.parametrize(
    ("alias", "page"),
    [
        ("/api/search?q=custody", "/?q=custody"),
        ("/api/meetings", "/meetings"),
        ("/api" + WEST_MERCIA, WEST_MERCIA),
        ("/api/id/person/richard-cooper", "/id/person/richard-cooper"),
        ("/id/person/richard-cooper.json", "/id/person/richard-cooper"),
        (WEST_MERCIA + ".json", WEST_MERCIA),
    ],
)
def test_api_aliases(client, alias, page):
    response = client.get(alias)
    assert response.status_code == 200
    assert (
        response.get_json()
        == client.get(page + ("&" if "?" in page else "?") + "format=json").get_json()
    )


def test_api_search_is_search_results_json(client, corpus_index):
    from kg.search import search

    _, index = corpus_index
    data = client.get("/api/search?q=custody").get_json()
    expected = search(index, "custody", per_page=10).to_json()
    assert data["total"] == expected["total"]
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in expected["hits"]]
    assert set(expected) <= set(data)
    assert all(h["url"] for h in data["hits"])


def _paragraph(html: str, anchor: str) -> str:
    m = re.search(rf'<p class="para[^"]*" id="{anchor}">(.*?)</p>', html, re.S)
    assert m, f"no paragraph #{anchor}"
    return m.group(0)


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_search_hit_lands_on_its_highlighted_paragraph(client):
    data = client.get("/api/search?q=domestic+abuse").get_json()
    first = data["hits"][0]
    assert first["kind"] == "paragraph"
    url = urlsplit(first["url"])
    assert url.path == WEST_MERCIA
    assert url.fragment == f"p-{first['anchor']}"
    assert parse_qs(url.query)["hl"] == [f"{first['span'][0]}-{first['span'][1]}"]
    html = assert_clean(client.get(f"{url.path}?{url.query}"))
    para = _paragraph(html, url.fragment)
    assert 'class="para hit"' in para
    marked = "".join(re.findall(r'<mark class="highlight">(.*?)</mark>', para, re.S))
    assert _text(marked) == " ".join(first["text"].split())


def test_statement_hit_marks_exactly_its_span(client):
    data = client.get("/api/search?q=timeliness&kind=statement").get_json()
    assert data["hits"], "expected statements about timeliness"
    hit = data["hits"][0]
    url = urlsplit(hit["url"])
    html = client.get(f"{url.path}?{url.query}").get_data(as_text=True)
    para = _paragraph(html, url.fragment)
    marked = " ".join(
        _text(m) for m in re.findall(r'<mark class="highlight">(.*?)</mark>', para, re.S)
    )
    words = " ".join(hit["text"].split())
    # the speaker's name is inserted after the mention; the marked text is the statement
    assert marked.replace("  ", " ").split() == words.split()


def test_meeting_page_links_speakers_and_boxes_actions(client):
    response = client.get(WEST_MERCIA)
    html = assert_clean(response)
    assert '<a class="speaker" href="/id/person/richard-cooper">Richard Cooper</a>' in html
    assert html.count('class="action-box"') == 5
    anchors = re.findall(r'<p class="para[^"]*" id="p-(\d+)"', html)
    assert anchors == [str(n) for n in range(1, len(anchors) + 1)]
    assert 'id="item-5"' in html and 'href="#item-5"' in html
    sha = "334e9c38c0dc5bc5a426fbe4b84469cdf8f125e2e6b3b64f74267087d321781d"
    assert f'href="/source/{sha}"' in html
    data = client.get(WEST_MERCIA + ".json").get_json()
    assert data["meeting"]["chair"]["name"] == "John Campion"
    assert {p["name"] for p in data["attendees"]} >= {"Richard Cooper", "John Campion"}
    assert data["highlight"] is None


def test_pdf_paragraphs_link_their_page(client):
    data = client.get(MILBURN + ".json").get_json()
    sha = data["document"]
    pages = {p["page"] for p in data["paragraphs"]}
    assert pages >= {1}
    html = client.get(MILBURN).get_data(as_text=True)
    assert f'href="/source/{sha}#page=1"' in html


def test_facet_links_narrow_the_results(client):
    data = client.get("/api/search?q=domestic+abuse").get_json()
    speaker = data["facets"]["speaker"][0]
    narrowed = client.get(speaker["url"] + "&format=json").get_json()
    assert narrowed["total"] == speaker["count"] < data["total"]
    assert narrowed["filters"] == {"speaker": [speaker["value"]]}
    assert all(speaker["value"] in h["speakers"] for h in narrowed["hits"])
    html = client.get(speaker["url"]).get_data(as_text=True)
    assert "Filters in use" in html
    # removing the filter goes back to the unfiltered search
    assert "/?q=domestic+abuse" in hrefs(html)


def test_pagination(client):
    first = client.get("/api/search?q=council").get_json()
    assert first["pages"] > 2 and first["pagination"]["previous"] is None
    second = client.get(first["pagination"]["next"] + "&format=json").get_json()
    assert second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    html = client.get("/?q=council&page=2").get_data(as_text=True)
    assert 'aria-current="page"' in html and 'rel="prev"' in html and 'rel="next"' in html


def test_sort_by_date(client):
    data = client.get("/api/search?q=council&sort=date").get_json()
    dates = [h["date"] for h in data["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)
    response = client.get("/api/search?q=council&sort=sideways")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": "Sort by relevance or date", "status": 400}


def test_did_you_mean(client):
    data = client.get("/api/search?q=custdy").get_json()
    assert data["did_you_mean"] == "custody"
    assert data["did_you_mean_url"] == "/?q=custody"
    assert 'Did you mean <a href="/?q=custody">custody</a>?' in client.get("/?q=custdy").get_data(
        as_text=True
    )


def test_search_within_a_person(client):
    person = client.get("/api/id/person/richard-cooper").get_json()
    assert person["search_url"] == "/?person=person%2Frichard-cooper"
    data = client.get(person["search_url"] + "&q=performance&format=json").get_json()
    assert data["person"]["name"] == "Richard Cooper"
    assert data["total"] > 0
    everyone = client.get("/api/search?q=performance").get_json()
    assert data["total"] < everyone["total"]
    html = client.get(person["search_url"]).get_data(as_text=True)
    assert "Search what Richard Cooper said or was named in" in html


def test_empty_search_shows_intro_and_latest_meetings(client):
    data = client.get("/?format=json").get_json()
    assert [m["date"] for m in data["latest_meetings"]][0] == "2024-09-03"
    assert data["hits"] == [] and data["total"] == 0


def test_meetings_newest_first_with_counts(client):
    data = client.get("/api/meetings").get_json()
    dates = [m["date"] for m in data["meetings"]]
    assert dates == sorted(dates, reverse=True) and data["total"] == 6
    wm = data["meetings"][0]
    assert (wm["paragraphs"], wm["statements"], wm["actions"]) == (35, 46, 5)


def test_person_page(client):
    data = client.get("/api/id/person/richard-cooper").get_json()
    assert data["entity"]["label"] == "Richard Cooper"
    assert data["roles"][0]["role"] == "T/ Chief Constable"
    assert data["statements"] and all(s["url"].startswith(WEST_MERCIA) for s in data["statements"])
    assert data["actions_owned"][0]["owner"]["label"] == "Richard Cooper"
    # a statement's link lands on a paragraph that exists on the meeting page
    url = urlsplit(data["statements"][0]["url"])
    _paragraph(client.get(f"{url.path}?{url.query}").get_data(as_text=True), url.fragment)


def test_topic_page_without_or_with_chart(client):
    data = client.get("/api/id/topic/domestic-abuse").get_json()
    assert data["timeline"] == [{"date": "2024-09-03", "count": 2}]
    assert data["meetings"][0]["url"] == WEST_MERCIA
    html = client.get("/id/topic/domestic-abuse").get_data(as_text=True)
    try:
        import web.charts  # noqa: F401  (built in parallel; the page works without it)
    except ImportError:
        assert "<svg" not in html
    else:
        assert 'role="img"' in html and "<svg" in html


@pytest.mark.parametrize(
    ("url", "location"),
    [
        (
            "/id/meeting/west-mercia-police-and-crime-commissioner-2024-09-03",
            WEST_MERCIA,
        ),
        (
            "/id/document/334e9c38c0dc5bc5a426fbe4b84469cdf8f125e2e6b3b64f74267087d321781d",
            WEST_MERCIA + "?doc=334e9c38c0dc5bc5a426fbe4b84469cdf8f125e2e6b3b64f74267087d321781d",
        ),
        (
            "/id/paragraph/west-mercia-police-and-crime-commissioner-2024-09-03-334e9c38-11",
            WEST_MERCIA + "#p-11",
        ),
        (
            "/id/statement/west-mercia-police-and-crime-commissioner-2024-09-03-334e9c38-1",
            WEST_MERCIA + "#p-2",
        ),
    ],
)
def test_meeting_document_and_part_iris_redirect(client, url, location):
    response = client.get(url)
    assert response.status_code == 303
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/id/person/nobody-at-all", "Nothing is known by that name"),
        ("/id/widget/x", "Nothing is known by that name"),
        ("/id/document/abc", "No such document"),
        ("/meeting/no-such-meeting", "No such meeting"),
        (WEST_MERCIA + "?doc=" + "0" * 64, "No such document for this meeting"),
    ],
)
def test_not_found_html_and_json(client, url, message):
    html = client.get(url)
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert message in assert_clean(html)
    js = client.get(url, headers={"Accept": "application/json"})
    assert js.status_code == 404
    assert js.get_json() == {"ok": False, "error": message, "status": 404}


def test_source_serves_the_stored_file(client, corpus_index):
    data_dir, _ = corpus_index
    stored = sorted((data_dir / "sources").glob("*.pdf"))[0]
    sha = stored.name.split(".")[0]
    with client.get(f"/source/{sha}") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data == stored.read_bytes()
    text = sorted((data_dir / "sources").glob("*.txt"))[0]
    with client.get(f"/source/{text.name.split('.')[0]}") as response:
        assert response.mimetype == "text/plain"
        assert response.data == text.read_bytes()
        assert response.headers["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.parametrize(
    "url",
    [
        "/source/../oxigraph/CURRENT",
        "/source/..%2Foxigraph%2FCURRENT",
        "/source/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/source/..%252f..%252fetc%252fpasswd",
        "/source/not-a-sha",
        "/source/" + "g" * 64,
        "/source/" + "A" * 64,
        "/source/" + "0" * 64,
        "/source/" + "0" * 63,
    ],
)
def test_source_refuses_anything_else(client, url):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 404
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 404


def test_planted_script_is_escaped_everywhere(hostile):
    meetings = hostile.get("/api/meetings").get_json()["meetings"]
    board = next(m for m in meetings if m["date"] == "2024-06-04")
    pages = [board["url"], "/?q=alert", "/?q=weapons"]
    person = hostile.get(board["url"] + ".json").get_json()["attendees"]
    helen = next(p for p in person if p["name"].startswith("Helen"))
    assert EVIL in helen["name"]
    pages.append(helen["url"])
    for url in pages:
        response = hostile.get(url)
        assert response.status_code == 200, url
        html = assert_clean(response)
        assert EVIL not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    # the search snippet (the one field rendered as HTML) is escaped by the search code
    hits = hostile.get("/api/search?q=weapons").get_json()["hits"]
    assert any("&lt;script&gt;" in h["snippet"] for h in hits)


def test_planted_unclosed_tag_in_plain_text_is_escaped(hostile):
    html = assert_clean(hostile.get("/?q=costed"))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)//" in html
    meetings = hostile.get("/api/meetings").get_json()["meetings"]
    panel = next(m for m in meetings if m["date"] == "2024-07-02")
    page = assert_clean(hostile.get(panel["url"]))
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)//" in page


def test_stored_html_source_is_sandboxed(hostile, hostile_app):
    from pathlib import Path

    stored = next((Path(hostile_app.config["DATA"]) / "sources").glob("*.html"))
    with hostile.get(f"/source/{stored.stem}") as response:
        assert response.status_code == 200
        assert response.data == stored.read_bytes()
        assert response.headers["Content-Security-Policy"].startswith("sandbox")


def test_person_page_lists_come_in_pages(uncached_client, monkeypatch):
    """A person's long lists show a page at a time, with next and previous links that
    move one list and keep the others where they are."""
    from web.views import entities

    monkeypatch.setattr(entities, "PERSON_LIST", 1)
    first = uncached_client.get("/api/id/person/richard-cooper").get_json()
    assert len(first["statements"]) == 1
    paging = first["pagination"]["statements"]
    assert paging["previous"] is None
    assert paging["next"] == "/api/id/person/richard-cooper?statements_page=2#statements"

    html = uncached_client.get("/id/person/richard-cooper?meetings_page=1").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Pages of statements">.*?</nav>', html, re.S)
    assert nav, "the statements have a pager"
    assert 'href="/id/person/richard-cooper?meetings_page=1&amp;statements_page=2#statements"' in (
        nav.group(0)
    )
    assert 'id="statements"' in html

    second = uncached_client.get(urlsplit(paging["next"]).path + "?statements_page=2").get_json()
    assert len(second["statements"]) == 1
    assert second["statements"][0]["iri"] != first["statements"][0]["iri"]
    assert second["pagination"]["statements"]["previous"] == (
        "/api/id/person/richard-cooper#statements"
    )
    # the other lists stay on their first page
    assert second["roles"] == first["roles"]
    assert second["meetings"] == first["meetings"]


def test_person_page_beyond_the_last_page_is_empty_not_an_error(client):
    data = client.get("/api/id/person/richard-cooper?statements_page=999").get_json()
    assert data["statements"] == []
    assert data["pagination"]["statements"]["next"] is None
    assert data["pagination"]["statements"]["previous"]
    assert client.get("/id/person/richard-cooper?statements_page=x").status_code == 200


def test_meetings_list_is_newest_first_and_pages(client):
    data = client.get("/meetings.json").get_json()
    dates = [m["date"] for m in data["meetings"] if m["date"]]
    assert dates == sorted(dates, reverse=True)
    assert data["total"] == len(data["meetings"]) or data["pages"] > 1
    latest = client.get("/?format=json").get_json()["latest_meetings"]
    assert [m["url"] for m in latest] == [m["url"] for m in data["meetings"][:5]]
    assert client.get("/meetings.json?page=999").get_json()["meetings"] == []


@pytest.mark.parametrize("url", ["/api/id/place/hindlip", "/api/id/topic/domestic-abuse"])
def test_latest_mentions_are_newest_first_and_capped(uncached_client, monkeypatch, url):
    """The latest mentions are the newest paragraphs, at most MENTIONS of them, while
    the timeline still counts every mention, and every mention links to its paragraph."""
    from web.views import entities

    everything = uncached_client.get(url).get_json()
    paragraphs = everything["paragraphs"]
    assert paragraphs and len(paragraphs) <= entities.MENTIONS
    dates = [p["meeting"]["date"] for p in paragraphs]
    assert dates == sorted(dates, reverse=True)
    assert sum(t["count"] for t in everything["timeline"]) >= len(paragraphs)
    for p in paragraphs:
        page = uncached_client.get(p["url"].split("#")[0]).get_data(as_text=True)
        assert f'id="{p["url"].split("#")[1]}"' in page

    monkeypatch.setattr(entities, "MENTIONS", 1)
    capped = uncached_client.get(url).get_json()
    assert [p["iri"] for p in capped["paragraphs"]] == [paragraphs[0]["iri"]]
    assert capped["timeline"] == everything["timeline"]


def test_topic_meetings_newest_first(client):
    meetings = client.get("/api/id/topic/domestic-abuse").get_json()["meetings"]
    dates = [m["date"] for m in meetings]
    assert meetings and dates == sorted(dates, reverse=True)
    assert all(m["url"].startswith("/meeting/") for m in meetings)


@pytest.mark.parametrize("window", [1, 2, 5])
def test_latest_mentions_same_whichever_meetings_are_asked_first(
    uncached_client, monkeypatch, window
):
    """The newest meetings are searched first; the list is the same as from all."""
    from web.views import entities

    urls = [
        "/api/id/place/hindlip",
        "/api/id/topic/domestic-abuse",
        "/api/id/org/west-mercia-police",
    ]
    monkeypatch.setattr(entities, "MENTIONS_WINDOW", 10**6)
    full = {u: uncached_client.get(u).get_json()["paragraphs"] for u in urls}
    monkeypatch.setattr(entities, "MENTIONS_WINDOW", window)
    monkeypatch.setattr(entities, "MENTIONS", 1)
    for u in urls:
        assert uncached_client.get(u).get_json()["paragraphs"] == full[u][:1]
