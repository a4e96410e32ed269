"""The commitments tracker over real minutes: filters, sort, pages, CSV, JSON, errors."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from web import create_app

DATA = Path(__file__).resolve().parent.parent / "data"
TINTERN = ["tintern_cc_minutes_2019-01-07.txt", "tintern_cc_minutes_2020-01-06.txt"]
PLANTED = (
    "Minutes of a meeting of Testham Parish Council held on 6 January 2025\n\n"
    "Present: Cllr Ann Hoskins (Chair), Cllr Bob Evans\n\n"
    "1. Highways\n\n"
    "The potholes on Mill Lane were discussed. The Clerk to write to Highways about the "
    "potholes by 10 January 2025.\n\n"
    "2. Speeding\n\n"
    "Cllr Evans will report on speeding in Testham by 20 January 2025.\n\n"
    "3. Actions\n\n"
    "Ref\tAction\tOwner\tDue\n"
    'A1\t=HYPERLINK("http://evil") check the verges\tClerk\t31 January 2025\n'
)
"""Three dated actions in January 2025, one a spreadsheet formula."""
FOLLOW_UP = (
    "Minutes of a meeting of Testham Parish Council held on 3 February 2025\n\n"
    "Present: Cllr Ann Hoskins (Chair), Cllr Bob Evans\n\n"
    "1. Matters arising\n\n"
    "Highways have now repaired the potholes on Mill Lane after the Clerk wrote to them.\n\n"
    "A1: check the verges – ongoing.\n\n"
    "2. Traffic\n\n"
    "The county traffic survey was presented: counts were taken at the school, the church, "
    "the recreation ground, the village hall, the garage and the bus shelter over two weeks "
    "in late January, with lorries, vans, cars, tractors, cyclists and walkers recorded "
    "separately. Parking near the shop, verge damage by delivery drivers, the narrow bridge, "
    "the footpath to the station, the bus timetable, street lighting near the pub, hedge "
    "cutting, drainage on the common, litter near the bins, dog fouling on the playing field, "
    "noise from the quarry, the new housing estate, the signs near the school and speeding "
    "through Testham at night were all mentioned by residents, who would like a further "
    "survey in spring, a meeting with the police, another with the bus company and a "
    "newsletter article on road safety. Also raised: overhanging trees on Church Walk, a "
    "blocked culvert by the ford, potholed lay-bys, faded white lines, a missing grit bin, "
    "broken benches and the stile near Old Farm.\n"
)
"""The next meeting: the potholes repaired (done), the verges carried on by their reference
(updated), and speeding in Testham named in passing in a long paragraph (a possible
follow-up only)."""


def build_data(root: Path, follow_up: bool = False) -> Path:
    """A data directory: the corpus, two Tintern meetings and the planted minutes (with
    `follow_up`, also the next Testham meeting, linked by the ledger)."""
    from kg.ledger import link_store
    from kg.pipeline import ingest_paths
    from kg.store import Store

    src = root / "src"
    src.mkdir()
    for f in (DATA / "corpus").iterdir():
        shutil.copy(f, src / f.name)
    for name in TINTERN:
        shutil.copy(DATA / "tintern_series" / name, src / name)
    (src / "testham_pc_minutes_2025-01-06.txt").write_text(PLANTED, encoding="utf-8")
    if follow_up:
        (src / "testham_pc_minutes_2025-02-03.txt").write_text(FOLLOW_UP, encoding="utf-8")
    data = root / "data"
    with Store(data) as store:
        report = ingest_paths([src], store)
        assert report.ok, report.failed
        link_store(store)
    return data


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_data(tmp_path_factory.mktemp("tracker"), follow_up=True)


@pytest.fixture
def client(data_dir: Path):
    app = create_app({"TESTING": True, "DATA": str(data_dir), "TODAY": "2025-01-01"})
    return app.test_client()


def actions(client, query: str = "", **params) -> list[dict]:
    response = client.get("/api/actions" + query, query_string={"per_page": 100, **params})
    assert response.status_code == 200, response.json
    return response.json["actions"]


def test_json_shape(client) -> None:
    data = client.get("/api/actions").json
    assert set(data) == {
        "ok",
        "title",
        "filters",
        "sort",
        "today",
        "total",
        "page",
        "per_page",
        "pages",
        "actions",
        "links",
        "status_choices",
        "sort_choices",
    }
    assert data["ok"] is True and data["today"] == "2025-01-01" and data["total"] > 50
    assert len(data["actions"]) == 25 and data["pages"] == -(-data["total"] // 25)
    row = data["actions"][0]
    assert set(row) == {
        "action", "kind", "text", "owner", "owner_name", "owner_id", "owner_url", "owed_to",
        "owed_to_name", "owed_to_id", "owed_to_url", "due", "due_date", "status",
        "recorded_status", "ref", "meeting", "meeting_date", "meeting_title", "meeting_url",
        "body", "span", "page", "paragraph", "source_url", "follow_ups", "confidence",
        "status_evidence", "possible_follow_up",
    }  # fmt: skip
    assert "document" not in row  # no server paths in the API
    # the same data as .json and by Accept
    assert client.get("/actions.json").json["total"] == data["total"]
    accept = client.get("/actions", headers={"Accept": "application/json"})
    assert accept.json["total"] == data["total"]


def test_row_links_to_person_meeting_and_paragraph(client) -> None:
    (row,) = actions(client, owner="Evans", body="Testham")
    assert row["owner"] == "Cllr Evans (Bob Evans)"
    assert row["owner_url"] == "/id/person/bob-evans"
    assert row["meeting_url"] == "/meeting/testham-parish-council-2025-01-06"
    start, end = row["span"]
    assert re.fullmatch(
        rf"/meeting/testham-parish-council-2025-01-06\?hl={start}-{end}#p-\d+", row["source_url"]
    )
    assert (row["kind"], row["due_date"], row["status"]) == ("commitment", "2025-01-20", "open")
    page = client.get("/actions", query_string={"owner": "Evans", "body": "Testham"})
    html = page.get_data(as_text=True)
    assert '<a href="/id/person/bob-evans">Cllr Evans (Bob Evans)</a>' in html
    assert f'href="{row["source_url"]}"' in html
    assert '<th scope="col">Owner</th>' in html and "<caption>" in html
    assert '<strong class="tag open">open</strong>' in html


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"owner": "clerk"}, lambda r: "clerk" in (r["owner"] + (r["owner_name"] or "")).lower()),
        ({"owed_to": "highways"}, lambda r: "highways" in r["owed_to"].lower()),
        ({"body": "suffolk"}, lambda r: r["body"] == "Suffolk Libraries IPS"),
        ({"status": "overdue"}, lambda r: r["due_date"] < "2025-01-01"),
        ({"due_after": "2025-01-15"}, lambda r: r["due_date"] >= "2025-01-15"),
        ({"due_before": "2025-01-10"}, lambda r: r["due_date"] <= "2025-01-10"),
    ],
)
def test_each_filter_narrows(client, params: dict, check) -> None:
    every = actions(client)
    found = actions(client, **params)
    assert 0 < len(found) < len(every)
    assert all(check(r) for r in found), found


def test_topic_and_place_filters(client) -> None:
    every = {r["action"] for r in actions(client)}
    topic = {r["action"] for r in actions(client, topic="potholes")}
    assert topic and topic < every
    assert any(
        r["text"].startswith("The Clerk to write to Highways")
        for r in actions(client, topic="POTHOLES")
    )
    place = actions(client, place="testham")
    assert [r["text"] for r in place] == [
        "Cllr Evans will report on speeding in Testham by 20 January 2025."
    ]
    assert actions(client, topic="no such topic at all") == []


def test_filters_combine_and_dates_are_inclusive(client) -> None:
    rows = actions(client, due_after="2025-01-10", due_before="2025-01-20", sort="due")
    assert [r["due_date"] for r in rows] == ["2025-01-10", "2025-01-20"]


def test_overdue_needs_a_past_due_date(client) -> None:
    overdue = actions(client, status="overdue")
    assert {r["status"] for r in overdue} == {"overdue"}
    suffolk = [r for r in overdue if r["due"] == "2014-10-20"]
    assert suffolk and suffolk[0]["recorded_status"] == "open"
    # "next meeting" is due on the next meeting's date when the minutes give it
    nxt = [r for r in overdue if r["due"] == "next meeting"]
    assert nxt and all(r["due_date"] for r in nxt)
    assert all(r["status"] == "open" for r in actions(client, status="open"))
    later = create_app(
        {"TESTING": True, "DATA": client.application.config["DATA"], "TODAY": "2025-02-01"}
    )
    rows = later.test_client().get("/api/actions", query_string={"body": "testham"}).json["actions"]
    # past due, unless the next meeting reported it done; "updated" (reported on, still
    # open) can be overdue too
    assert sorted((r["text"][:20], r["status"]) for r in rows) == [
        ('=HYPERLINK("http://e', "overdue"),
        ("Cllr Evans will repo", "overdue"),
        ("The Clerk to write t", "done"),
    ]


def test_sorts(client) -> None:
    raised = [r["meeting_date"] or "" for r in actions(client)]
    assert raised == sorted(raised, reverse=True)
    due = [r["due_date"] for r in actions(client, sort="due")]
    dated = [d for d in due if d]
    assert dated == sorted(dated) and due[: len(dated)] == dated  # undated last
    owners = [r["owner"] for r in actions(client, sort="owner")]
    named = [o for o in owners if o]
    assert [o.lower() for o in named] == sorted(o.lower() for o in named)
    assert owners[: len(named)] == named


def test_pagination(client) -> None:
    first = client.get("/api/actions?per_page=10").json
    second = client.get("/api/actions?per_page=10&page=2").json
    assert first["total"] == second["total"] and len(second["actions"]) == 10
    assert not {r["action"] for r in first["actions"]} & {r["action"] for r in second["actions"]}
    assert second["links"]["previous"] == "/actions?page=1"
    assert second["links"]["next"] == "/actions?page=3"
    past = client.get(f"/api/actions?per_page=10&page={first['pages'] + 1}").json
    assert past["actions"] == [] and past["total"] == first["total"]
    filtered = client.get("/api/actions?owner=clerk&per_page=5&page=2").json
    assert filtered["links"]["next"] in (None, "/actions?owner=clerk&page=3")
    html = client.get("/actions?owner=clerk&per_page=5").get_data(as_text=True)
    assert 'rel="next"' in html and "page=2" in html


def test_csv_download(client) -> None:
    response = client.get("/actions.csv?owner=clerk")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="actions.csv"'
    text = response.get_data(as_text=True)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "meeting_date", "body", "kind", "owner", "owed_to", "text", "due", "due_date",
        "status", "follow_ups", "last_follow_up", "confidence", "evidence_url",
        "possible_follow_up_url", "ref", "meeting_title", "source_url", "action",
    ]  # fmt: skip
    assert len(rows) - 1 == client.get("/api/actions?owner=clerk").json["total"]
    assert all(r[16].startswith("http://localhost/meeting/") for r in rows[1:])
    html = client.get("/actions?owner=clerk").get_data(as_text=True)
    assert 'href="/actions.csv?owner=clerk"' in html


def test_csv_guards_against_formulas(client) -> None:
    text = client.get("/actions.csv?body=testham").get_data(as_text=True)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://evil") check the verges' in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    # the page and the JSON keep the text as written
    texts = [r["text"] for r in actions(client, body="testham")]
    assert '=HYPERLINK("http://evil") check the verges' in texts


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("due_before=2025-13-01", "due before: not a date, use YYYY-MM-DD: '2025-13-01'"),
        ("due_after=yesterday", "due after: not a date, use YYYY-MM-DD: 'yesterday'"),
        (
            "status=late",
            "status: unknown status 'late'; use one of open, overdue, updated, done, dropped, superseded",
        ),
        ("sort=colour", "sort: unknown sort 'colour'; use one of raised, due, owner"),
        ("page=0", "page: not a positive whole number: '0'"),
    ],
)
def test_bad_filters_are_400_in_the_one_error_shape(client, query: str, error: str) -> None:
    response = client.get("/api/actions?" + query)
    assert response.status_code == 400
    assert response.json == {"ok": False, "error": error, "status": 400}
    if not query.startswith("page="):
        assert client.get("/actions.csv?" + query).status_code == 400
        assert client.get("/actions.atom?" + query).status_code == 400
    html = client.get("/actions?" + query)
    assert html.status_code == 400 and "text/html" in html.content_type


def test_form_is_labelled_and_keeps_values(client) -> None:
    html = client.get("/actions?owner=%3Cb%3Eclerk&status=open&sort=due").get_data(as_text=True)
    for name in (
        "owner",
        "owed_to",
        "body",
        "topic",
        "place",
        "status",
        "due_after",
        "due_before",
        "sort",
    ):
        assert f'<label class="label" for="f-{name}">' in html
        assert f'id="f-{name}" name="{name}"' in html
    assert 'value="&lt;b&gt;clerk"' in html and "<b>clerk" not in html
    assert '<option value="open" selected>' in html and '<option value="due" selected>' in html
    assert (
        'type="application/atom+xml" href="/actions.atom?owner=%3Cb%3Eclerk&amp;status=open&amp;sort=due"'
        in html
    )
    assert "style=" not in html


def test_library_use_without_flask(data_dir: Path) -> None:
    from kg.store import Store
    from web.tracker import Filters, find

    with Store(data_dir, read_only=True) as store:
        page = find(store, Filters(body="testham", sort="due"), today="2025-01-01", per_page=2)
    assert (page.total, page.pages, len(page.rows)) == (3, 2, 2)
    assert [r["due_date"] for r in page.rows] == ["2025-01-10", "2025-01-20"]
    with pytest.raises(ValueError, match="not a date"):
        Filters(due_after="1/1/2025")


def test_actions_query_keeps_its_cli_columns() -> None:
    from kg.queries import actions_query

    query = actions_query(owner="x")
    assert "SELECT ?action (SAMPLE(?kind_) AS ?kind)" in query and "LIMIT" not in query
    assert "?total" in actions_query(limit=5) and "?state" in actions_query(detail=True)


def _testham(client, **params) -> dict[str, dict]:
    return {r["text"][:20]: r for r in actions(client, body="testham", **params)}


def test_status_is_what_the_next_meeting_reported_with_a_link_to_the_paragraph(client) -> None:
    rows = _testham(client)
    potholes = rows["The Clerk to write t"]
    assert (potholes["status"], potholes["recorded_status"]) == ("done", "open")
    assert potholes["follow_ups"] == 1 and potholes["confidence"] >= 0.6
    evidence = potholes["status_evidence"]
    assert evidence["date"] == "2025-02-03" and evidence["status"] == "done"
    assert re.fullmatch(r"/meeting/testham-parish-council-2025-02-03#p-\d+", evidence["url"])
    # the link lands on the paragraph that says so
    page = client.get(evidence["url"].split("#")[0]).get_data(as_text=True)
    anchor = evidence["url"].split("#")[1]
    assert f'id="{anchor}"' in page
    at = page.index(f'id="{anchor}"')
    assert "Highways have now repaired the potholes" in page[at : at + 600]
    verges = rows['=HYPERLINK("http://e']
    assert (verges["status"], verges["status_evidence"]["confidence"]) == ("updated", 0.95)
    html = client.get("/actions", query_string={"body": "testham"}).get_data(as_text=True)
    assert '<strong class="tag done">done</strong>' in html
    assert f'Reported done at <a href="{evidence["url"]}">2025-02-03' in html
    assert '<strong class="tag updated">updated</strong>' in html
    assert "confidence 0.95" in html and "confidence 0.90" in html


def test_a_weak_match_is_a_possible_follow_up_never_the_status(client) -> None:
    speeding = _testham(client)["Cllr Evans will repo"]
    assert speeding["status"] == "open" and speeding["status_evidence"] is None
    possible = speeding["possible_follow_up"]
    assert possible["date"] == "2025-02-03" and 0.4 <= possible["confidence"] < 0.6
    assert speeding["follow_ups"] == 0 and speeding["confidence"] is None
    html = client.get("/actions", query_string={"owner": "Evans", "body": "testham"})
    text = html.get_data(as_text=True)
    assert '<strong class="tag open">open</strong>' in text
    assert f'Possible follow-up at <a href="{possible["url"]}">2025-02-03' in text
    assert "not confirmed" in text and "Reported" not in text
    # filtering by status follows the ledger, and a possible follow-up changes nothing
    assert list(_testham(client, status="done")) == ["The Clerk to write t"]
    assert list(_testham(client, status="updated")) == ['=HYPERLINK("http://e']
    assert list(_testham(client, status="open")) == ["Cllr Evans will repo"]


def test_overdue_follows_the_ledger_over_real_http(data_dir: Path) -> None:
    from urllib.request import urlopen

    from tests.web.browser import live_server

    app = create_app({"DATA": str(data_dir), "TODAY": "2025-02-10"})
    with live_server(app) as base:
        with urlopen(f"{base}/api/actions?body=testham&status=overdue") as r:
            import json

            overdue = json.load(r)["actions"]
        # open and updated actions past due; the one reported done is not overdue
        assert sorted(a["text"][:20] for a in overdue) == [
            '=HYPERLINK("http://e',
            "Cllr Evans will repo",
        ]
        with urlopen(f"{base}/actions.csv?body=testham&status=done") as r:
            rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
        assert [(x["status"], x["last_follow_up"], x["confidence"]) for x in rows] == [
            ("done", "2025-02-03", "0.9")
        ]
        assert rows[0]["evidence_url"].startswith(f"{base}/meeting/testham-parish-council-2025-02")
        with urlopen(rows[0]["evidence_url"]) as r:
            assert "Highways have now repaired the potholes" in r.read().decode("utf-8")
