"""Repeated GETs are answered from the per-store response cache (web/responsecache.py)
over real HTTP, and nothing stale or wrong is ever sent from it: a new ingest, another
Accept, an error, a browser's conditional request."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

MINUTES = (
    "Westshire Parish Council\nMinutes of the meeting\nDate: Monday {day} March 2024\n\n"
    "Present:\n• Ann Price – Chair\n\n1. Footpaths\nThe Chair said that the footpath "
    "by the {thing} was closed.\n"
)
COUNT = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a gkg:Meeting }"


def _ingest(data: Path, folder: Path, day: int, thing: str) -> None:
    from kg.pipeline import ingest_paths
    from kg.store import Store

    folder.mkdir(exist_ok=True)
    path = folder / f"westshire_{day:02d}.txt"
    path.write_text(MINUTES.format(day=day, thing=thing), encoding="utf-8")
    with Store(data) as store:
        report = ingest_paths([path], store)
    assert report.ok, report.failed


def _get(url: str, accept: str = "text/html", **headers: str):
    request = urllib.request.Request(url, headers={"Accept": accept, **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()  # names case-insensitive
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture
def served(tmp_path, monkeypatch):
    from tests.web.browser import live_server
    from web import create_app, data

    monkeypatch.setattr(data, "CHECK_EVERY", 0.0)  # see a new ingest at once
    root = tmp_path / "data"
    _ingest(root, tmp_path / "minutes", 4, "church")
    with live_server(create_app({"DATA": str(root)})) as base:
        yield base, root, tmp_path / "minutes"


def test_a_repeated_page_is_the_same_answer_and_a_conditional_request_gets_304(served):
    base, _, _ = served
    status, first_headers, first = _get(base + "/meetings")
    assert status == 200 and first_headers["X-GovKG-Cache"] == "miss"
    status, headers, again = _get(base + "/meetings")
    assert status == 200 and headers["X-GovKG-Cache"] == "hit"
    assert again == first
    # the security headers are on the cached answer too
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["ETag"] == first_headers["ETag"]
    status, _, body = _get(base + "/meetings", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_a_new_ingest_is_seen_on_a_page_and_in_sparql_answered_before(served):
    base, root, minutes = served
    query = base + "/sparql?" + urlencode({"query": COUNT})
    sparql_json = "application/sparql-results+json"
    for _ in range(2):
        _, _, page = _get(base + "/meetings")
        _, _, answer = _get(query, sparql_json)
    assert page.count(b"2024-03-") >= 1 and b"2024-03-18" not in page
    assert json.loads(answer)["results"]["bindings"][0]["n"]["value"] == "1"

    _ingest(root, minutes, 18, "school")
    status, headers, page = _get(base + "/meetings")
    assert status == 200 and headers["X-GovKG-Cache"] == "miss"
    assert b"2024-03-18" in page
    _, _, answer = _get(query, sparql_json)
    assert json.loads(answer)["results"]["bindings"][0]["n"]["value"] == "2"


def test_each_negotiated_format_gets_its_own_answer(served):
    base, _, _ = served
    query = base + "/sparql?" + urlencode({"query": COUNT})
    csv_types, json_types = [], []
    for _ in range(2):
        _, h_csv, csv_body = _get(query, "text/csv")
        _, h_json, json_body = _get(query, "application/sparql-results+json")
        csv_types.append(h_csv["Content-Type"])
        json_types.append(h_json["Content-Type"])
    assert all(t.startswith("text/csv") for t in csv_types)
    assert all(t.startswith("application/sparql-results+json") for t in json_types)
    assert csv_body.splitlines()[0].strip() == b"n"
    assert json.loads(json_body)["head"]["vars"] == ["n"]


def test_an_error_is_not_kept_a_later_ingest_answers(served):
    base, root, minutes = served
    _, _, listing = _get(base + "/meetings.json", "application/json")
    url = json.loads(listing)["meetings"][0]["url"]
    later = base + url.replace("2024-03-04", "2024-03-25")
    assert later != base + url
    assert _get(later)[0] == 404
    assert _get(later)[0] == 404
    _ingest(root, minutes, 25, "bridge")
    status, headers, page = _get(later)
    assert status == 200, page[:300]
    assert b"bridge" in page


def test_a_reload_asking_for_no_cache_is_computed_again(served):
    base, _, _ = served
    _get(base + "/meetings")
    _, headers, _ = _get(base + "/meetings", **{"Cache-Control": "no-cache"})
    assert headers["X-GovKG-Cache"] == "miss"
    _, headers, _ = _get(base + "/meetings")
    assert headers["X-GovKG-Cache"] == "hit"
