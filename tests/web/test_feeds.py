"""Atom (RFC 4287) and iCalendar (RFC 5545) feeds: validated by parsing, and raw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from web import create_app

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.web.test_tracker import build_data

    return build_data(tmp_path_factory.mktemp("feeds"))


@pytest.fixture
def client(data_dir: Path):
    app = create_app({"TESTING": True, "DATA": str(data_dir), "TODAY": "2025-01-01"})
    return app.test_client()


def atom(client, url: str) -> ET.Element:
    """The feed, checked against RFC 4287's required elements."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{A}feed"
    # feed: exactly one id, title, updated; a rel=self link; an author (feed or entries)
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
    assert RFC3339.match(feed.findtext(f"{A}updated") or "")
    self_links = [x for x in feed.findall(f"{A}link") if x.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href") == "http://localhost" + url
    assert feed.findtext(f"{A}id") == "http://localhost" + url
    assert feed.find(f"{A}author/{A}name") is not None
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{A}{tag}")) == 1, (tag, ET.tostring(entry))
        assert RFC3339.match(entry.findtext(f"{A}updated") or ""), entry.findtext(f"{A}updated")
        link = entry.find(f"{A}link")
        assert link is not None and link.get("href", "").startswith("http://localhost/")
        assert (entry.findtext(f"{A}author/{A}name") or "").strip()
        assert re.match(r"^[a-z][a-z0-9+.-]*:", entry.findtext(f"{A}id") or "")  # an IRI
        ids.append(entry.findtext(f"{A}id"))
    assert len(ids) == len(set(ids))
    return feed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    return [
        {
            "id": e.findtext(f"{A}id") or "",
            "title": e.findtext(f"{A}title") or "",
            "updated": e.findtext(f"{A}updated") or "",
            "link": e.find(f"{A}link").get("href", ""),  # type: ignore[union-attr]
            "summary": e.findtext(f"{A}summary") or "",
        }
        for e in feed.findall(f"{A}entry")
    ]


def test_tracker_feed_has_new_actions_and_actions_falling_due(client) -> None:
    feed = atom(client, "/actions.atom?body=testham")
    items = entries(feed)
    due = [e for e in items if "#due-" in e["id"]]
    # 2025-01-10 is within 14 days of 2025-01-01; 2025-01-20 and -31 are not
    assert [e["title"][:15] for e in due] == ["Due 2025-01-10:"]
    assert due[0]["updated"] == "2025-01-01T00:00:00Z"
    new = [e for e in items if "#due-" not in e["id"]]
    assert len(new) == 3 and all(e["updated"] == "2025-01-06T00:00:00Z" for e in new)
    assert all(
        re.search(r"/meeting/testham-parish-council-2025-01-06\?hl=\d+-\d+#p-\d+$", e["link"])
        for e in items
    )
    assert feed.findtext(f"{A}updated") == "2025-01-06T00:00:00Z"
    alternate = [x for x in feed.findall(f"{A}link") if x.get("rel") == "alternate"]
    assert alternate[0].get("href") == "http://localhost/actions?body=testham"


def test_tracker_feed_keeps_filters_and_escapes(client) -> None:
    raw = client.get("/actions.atom?owner=clerk&body=testham").get_data(as_text=True)
    assert "=HYPERLINK(&quot;http://evil&quot;)" in raw or '=HYPERLINK("http://evil")' in raw
    feed = atom(client, "/actions.atom?owner=clerk&body=testham")
    assert all(
        "Clerk" in (e.findtext(f"{A}author/{A}name") or "") for e in feed.findall(f"{A}entry")
    )
    assert client.get("/actions.atom?due_before=soon").status_code == 400


def test_search_feed(client) -> None:
    feed = atom(client, "/search.atom?q=potholes")
    items = entries(feed)
    assert any("/meeting/testham-parish-council-2025-01-06?hl=" in e["link"] for e in items)
    assert all(re.search(r"/meeting/[a-z0-9-]+\?hl=\d+-\d+#p-\d+$", e["link"]) for e in items)
    dates = [e["updated"] for e in entries(atom(client, "/search.atom?q=police"))]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert entries(atom(client, "/search.atom?q=zzzxqj")) == []


def test_search_feed_escapes_what_the_query_says(client) -> None:
    url = "/search.atom?q=%3Cscript%3Ealert(1)%3C/script%3E"
    raw = client.get(url).get_data(as_text=True)
    assert "<script>" not in raw
    assert atom(client, url).findtext(f"{A}title") == "Search: <script>alert(1)</script> – govkg"


def test_entity_feeds(client) -> None:
    person = entries(atom(client, "/id/person/bob-evans.atom"))
    assert any("Cllr Evans will report on speeding" in e["summary"] for e in person)
    assert all(
        e["title"].startswith("Testham Parish Council 2025-01-06: Bob Evans") for e in person
    )
    topic = entries(atom(client, "/id/topic/potholes.atom"))
    paragraphs = [e for e in topic if "/paragraph/" in e["id"]]
    assert paragraphs and all("#p-" in e["link"] for e in paragraphs)
    assert all("otholes" in e["summary"] for e in topic)
    dates = [e["updated"] for e in topic]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_topic_feed_has_its_mentions_and_meetings(client) -> None:
    """A topic's feed is never empty when the minutes mention it, and also lists the
    meetings that had it as a subject, linked to their pages."""
    page = client.get("/api/id/topic/potholes").get_json()
    feed = entries(atom(client, "/id/topic/potholes.atom"))
    mentioned = {p["iri"] for p in page["paragraphs"]}
    assert mentioned and mentioned <= {e["id"] for e in feed}
    for p in page["paragraphs"]:
        link = urlsplit(next(e for e in feed if e["id"] == p["iri"])["link"])
        page_url = urlsplit(p["url"])
        assert (link.path, link.fragment) == (page_url.path, page_url.fragment)
    meetings = [e for e in feed if "/meeting/" in e["id"]]
    assert page["meetings"] and meetings
    assert {m["iri"] for m in page["meetings"]} <= {e["id"] for e in meetings}
    assert all("Potholes was a subject of" in e["summary"] for e in meetings)
    assert all(re.search(r"^http://localhost/meeting/[a-z0-9-]+$", e["link"]) for e in meetings)


def test_entity_feed_keeps_the_newest_items(data_dir: Path) -> None:
    app = create_app({"TESTING": True, "DATA": str(data_dir), "FEED_ITEMS": 3})
    feed = entries(atom(app.test_client(), "/id/topic/potholes.atom"))
    everything = entries(atom(client_for(data_dir), "/id/topic/potholes.atom"))
    assert len(everything) > 3 and len(feed) == 3
    assert [e["updated"] for e in feed] == [e["updated"] for e in everything[:3]]


def client_for(data_dir: Path):
    return create_app({"TESTING": True, "DATA": str(data_dir)}).test_client()


@pytest.mark.parametrize(
    "url", ["/id/person/no-such-person.atom", "/id/spaceship/x.atom", "/id/person/A%20B.atom"]
)
def test_unknown_entity_feed_is_404(client, url: str) -> None:
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert set(response.json) == {"ok", "error", "status"} and response.json["status"] == 404


# -- iCalendar ----------------------------------------------------------------------


def test_ics_parses_with_icalendar(client) -> None:
    import icalendar

    response = client.get("/actions.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    dues = {e.decoded("DTSTART").isoformat() for e in events}
    # open actions due from 60 days before today (2025-01-01) on; not one due in 2014
    assert {"2025-01-10", "2025-01-20", "2025-01-31"} <= dues
    assert min(dues) >= "2024-11-02"
    assert "2024-11-02" in str(cal["X-WR-CALDESC"])
    verges = [e for e in events if "verges" in str(e["SUMMARY"])]
    assert len(verges) == 1
    assert str(verges[0]["DESCRIPTION"]).startswith('=HYPERLINK("http://evil") check the verges. ')
    assert str(verges[0]["URL"]).startswith(
        "http://localhost/meeting/testham-parish-council-2025-01-06?hl="
    )
    api = client.get("/api/actions?per_page=100&due_after=2024-11-02").json["actions"]
    expected = {a["action"] for a in api if a["status"] in ("open", "updated", "overdue")}
    assert expected and len(events) == len(expected)


def test_ics_explicit_filters_reach_back_and_cap(client, monkeypatch) -> None:
    import icalendar

    from web.views import feeds

    def dues(url: str) -> list[str]:
        cal = icalendar.Calendar.from_ical(client.get(url).data)
        return [e.decoded("DTSTART").isoformat() for e in cal.walk("VEVENT")]

    # an explicit due_after (and status) reaches further back than the default window
    assert "2014-10-20" in dues("/actions.ics?due_after=2014-01-01")
    api = client.get("/api/actions?per_page=100&status=done").json["actions"]
    done = sorted(a["due_date"] for a in api if a["due_date"])
    assert dues("/actions.ics?status=done&due_after=2000-01-01") == done
    # at most ICS_MAX_EVENTS, the soonest due kept
    every = dues("/actions.ics?due_after=2000-01-01")
    monkeypatch.setattr(feeds, "ICS_MAX_EVENTS", 2)
    capped = dues("/actions.ics?due_after=2000-01-01&due_before=2099-12-31")
    assert len(every) > 2 and capped == every[:2]


def test_ics_raw_format(client) -> None:
    raw = client.get("/actions.ics").data
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded
    raw.decode("utf-8")  # folding never splits a character
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]
    stack = []
    for line in unfolded:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    uids = [line[4:] for line in unfolded if line.startswith("UID:")]
    assert len(uids) == unfolded.count("BEGIN:VEVENT") and len(set(uids)) == len(uids)
    for name in ("DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY", "DESCRIPTION", "URL"):
        assert sum(1 for line in unfolded if line.startswith(name + ":")) == len(uids), name
    assert all(
        re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", x) for x in unfolded if x.startswith("DTSTART")
    )


def test_ics_filters_and_escaping(client) -> None:
    raw = client.get("/actions.ics?body=testham&due_before=2025-01-15").data
    text = raw.replace(b"\r\n ", b"").decode()
    assert text.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20250110" in text
    assert r"Raised at: Testham Parish Council 2025-01-06." in text


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("a, b; c\\d", "a\\, b\\; c\\\\d"),
        ("line one\nline two\r\nthree", "line one\\nline two\\nthree"),
        ("plain", "plain"),
    ],
)
def test_ical_text_escaping(value: str, escaped: str) -> None:
    from web.views.feeds import ical_text

    assert ical_text(value) == escaped


def test_fold_counts_octets_not_characters() -> None:
    from web.views.feeds import fold

    folded = fold("SUMMARY:" + "é" * 100)
    lines = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines) and len(lines) == 3
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "SUMMARY:" + "é" * 100


def test_feed_links_macro(client) -> None:
    html = client.get("/actions?owner=clerk").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/actions.atom?owner=clerk"' in html
    )
    assert (
        '<a href="/actions.atom?owner=clerk" type="application/atom+xml">Subscribe (Atom)' in html
    )
    assert '<a href="/actions.ics?owner=clerk" type="text/calendar">' in html
