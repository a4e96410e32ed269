"""The commitments timeline of entity pages (web.charts.commitments_svg): one bar per
commitment, coloured and patterned by the status the ledger gives, follow-ups as
markers, a low-confidence link dashed; drawn on the real Tintern series, and checked
with axe-core in Chromium."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from html import unescape
from pathlib import Path

import pytest

from tests.web.tintern_store import TODAY, path, select
from web import create_app
from web.charts import COMMITMENT_STATUSES, commitments_svg

S = "{http://www.w3.org/2000/svg}"
SAME = "http://www.w3.org/2002/07/owl#sameAs"


# -- the chart on invented commitments ---------------------------------------------------
def _item(n: int, status: str, **extra) -> dict:
    return {
        "label": f"A{n}: item {n}",
        "text": f"Commitment {n}",
        "raised": f"2024-0{1 + n % 6}-10",
        "due": None,
        "status": status,
        "follow_ups": [],
        **extra,
    }


ITEMS = [
    _item(1, "open", due="2024-09-30"),
    _item(
        2, "updated", follow_ups=[{"date": "2024-05-01", "possible": False, "status": "updated"}]
    ),
    _item(3, "overdue", due="2024-05-01"),
    _item(4, "done", follow_ups=[{"date": "2024-08-01", "possible": False, "status": "done"}]),
    _item(5, "dropped"),
    _item(
        6,
        "superseded",
        text="<script>alert(1)</script> & more",
        follow_ups=[{"date": "2024-12-01", "possible": True, "status": "done"}],
    ),
]


def _svg(items=ITEMS) -> ET.Element:
    return ET.fromstring(commitments_svg(items, title="Commitments of a body", chart_id="t"))


def test_one_bar_per_commitment_with_its_status_in_pattern_and_words() -> None:
    root = _svg()
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t-title t-desc"
    assert root.findtext(f"{S}title") == "Commitments of a body"
    assert "1 open, 1 updated, 1 overdue, 1 done, 1 dropped, 1 superseded" in (
        root.findtext(f"{S}desc") or ""
    )
    bars = [g for g in root.iter(f"{S}g") if "commitment" in (g.get("class") or "")]
    assert [g.get("class") for g in bars] == [f"commitment {i['status']}" for i in ITEMS]
    fills = set()
    for g, item in zip(bars, ITEMS, strict=True):
        rect = g.find(f"{S}rect")
        assert rect is not None
        fills.add(rect.get("fill"))
        # the status is written at the end of the row: not colour alone
        assert item["status"] in [t.text for t in g.iter(f"{S}text")]
        assert f"status {item['status']}" in (g.findtext(f"{S}title") or "")
    assert len(fills) == 6, "each status its own fill pattern"
    patterns = {p.get("id") for p in root.iter(f"{S}pattern")}
    assert patterns == {f"t-{s}" for s in COMMITMENT_STATUSES}


def test_possible_follow_up_is_dashed_and_confident_ones_are_not() -> None:
    root = _svg()
    bars = [g for g in root.iter(f"{S}g") if "commitment" in (g.get("class") or "")]
    possible = [c for c in bars[5].iter(f"{S}circle") if "possible" in (c.get("class") or "")]
    assert possible and all(c.get("stroke-dasharray") for c in possible)
    assert "possible follow-up (low confidence) 2024-12-01" in (bars[5].findtext(f"{S}title") or "")
    sure = [p for p in bars[3].iter(f"{S}path") if p.get("class") == "follow-up"]
    assert sure and not sure[0].get("stroke-dasharray")
    # a possible follow-up never lengthens the bar: it ends at the raising meeting
    rect5 = bars[4].find(f"{S}rect")
    rect6 = bars[5].find(f"{S}rect")
    assert float(rect6.get("width")) == float(rect5.get("width")) == 4.0  # type: ignore[union-attr]
    # a due date lengthens the bar and is marked
    assert bars[0].find(f"{S}line[@class='due']") is not None


def test_no_style_no_script_and_text_escaped() -> None:
    svg = commitments_svg(ITEMS, title="A <b>title</b>", chart_id="t")
    assert "<script" not in svg and "style=" not in svg and "href" not in svg
    assert "&lt;script&gt;" in svg
    assert ET.fromstring(svg).findtext(f"{S}title") == "A <b>title</b>"


# -- on the real series ----------------------------------------------------------------
def chart_of(html: str) -> ET.Element:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart commitments-chart"')
    return ET.fromstring(html[start : html.index("</svg>", start) + 6])


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{S}g") if "commitment" in (g.get("class") or "")]


def ledger_status(tintern_dir: Path, actions: list[str]) -> dict[str, str]:
    values = " ".join(f"<{a}>" for a in actions)
    rows = select(
        tintern_dir,
        f"SELECT ?a ?s WHERE {{ VALUES ?a {{ {values} }} ?a gkg:currentStatus ?s }}",
    )
    return {str(r["a"]): str(r["s"]).rsplit("#Status", 1)[-1].lower() for r in rows}


@pytest.fixture(scope="module")
def owner(tintern_dir: Path) -> tuple[str, set[str]]:
    """A person whose commitments (owned or owed, under any of their names) are more
    than one and fit on the timeline, recorded under at least one variant."""
    rows = select(
        tintern_dir,
        f"SELECT ?c ?v ?a WHERE {{ GRAPH ?g {{ ?v <{SAME}> ?c }} ?c a foaf:Person . "
        "{ ?a gkg:owner ?v } UNION { ?a gkg:owedTo ?v } UNION { ?a gkg:owner ?c } "
        "UNION { ?a gkg:owedTo ?c } ?a a gkg:Action }",
    )
    found: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        found[str(r["c"])].add(str(r["a"]))
    fits = {c: a for c, a in found.items() if 3 <= len(a) <= 60}
    assert fits
    canon = max(fits, key=lambda c: (len(fits[c]), c))
    return canon, fits[canon]


def test_a_persons_timeline_has_one_bar_per_commitment_with_the_ledgers_status(
    tintern_client, tintern_dir: Path, owner
) -> None:
    canon, actions = owner
    page = tintern_client.get(path(canon) + ".json").get_json()
    items = page["commitments"]["items"]
    assert {i["iri"] for i in items} == actions
    status = ledger_status(tintern_dir, sorted(actions))
    for item in items:
        assert item["status"] == status[item["iri"]], item["text"]
    html = tintern_client.get(path(canon)).get_data(as_text=True)
    bars = bars_of(chart_of(html))
    assert len(bars) == len(actions)
    assert [g.get("class") for g in bars] == [f"commitment {i['status']}" for i in items]
    assert html.count('class="commitment-row"') == len(actions), "the table alternative"


def test_a_bodys_timeline_is_bounded_and_links_to_the_tracker(
    tintern_client, tintern_dir: Path
) -> None:
    rows = select(
        tintern_dir,
        "SELECT ?b (COUNT(DISTINCT ?a) AS ?n) WHERE { ?m schema:organizer ?b ; a gkg:Meeting . "
        "?a gkg:raisedAt ?m ; a gkg:Action } GROUP BY ?b ORDER BY DESC(?n) LIMIT 1",
    )
    body, n = str(rows[0]["b"]), int(rows[0]["n"])
    assert n > 60, "the series raises more commitments than the timeline draws"
    html = tintern_client.get(path(body)).get_data(as_text=True)
    assert len(bars_of(chart_of(html))) == 60
    assert "The newest 60 commitments" in unescape(html) and 'href="/actions?body=' in html
    statuses = {g.get("class") for g in bars_of(chart_of(html))}
    assert {"commitment open", "commitment updated"} <= statuses


def test_a_possible_follow_up_is_drawn_dashed_never_as_fact(
    tintern_client, tintern_dir: Path
) -> None:
    rows = select(
        tintern_dir,
        f"SELECT ?c ?a WHERE {{ ?f gkg:followUpOf ?a ; gkg:confidence ?conf FILTER(?conf < 0.6) "
        f"?a gkg:owner ?o . OPTIONAL {{ GRAPH ?g {{ ?o <{SAME}> ?canon }} }} "
        "BIND(COALESCE(?canon, ?o) AS ?c) ?c a foaf:Person }",
    )
    assert rows, "the ledger keeps some low-confidence links"
    canon = str(rows[0]["c"])
    page = tintern_client.get(path(canon) + ".json").get_json()
    ups = [f for i in page["commitments"]["items"] for f in i["follow_ups"] if f["possible"]]
    assert ups, "the possible follow-up is on the owner's timeline"
    html = tintern_client.get(path(canon)).get_data(as_text=True)
    circles = [c for c in chart_of(html).iter(f"{S}circle") if "possible" in (c.get("class") or "")]
    assert circles and all(c.get("stroke-dasharray") for c in circles)
    assert "possible follow-up, low confidence" in html


def test_person_page_with_its_timeline_passes_axe(tintern_dir: Path, owner) -> None:
    from tests.web.browser import axe_problems, chromium, guard, live_server, require_browser

    require_browser()
    canon, _ = owner
    app = create_app({"DATA": str(tintern_dir), "TODAY": TODAY})
    with live_server(app) as base, chromium() as browser:
        # as a visitor gets it: the strict CSP, nothing blocked
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        guard(context, base)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(base + path(canon))
        assert page.locator("svg.commitments-chart").count() == 1
        assert page.get_by_role("img", name="Commitments of").count() >= 1
        page.locator("details.commitments-table summary").click()
        assert page.locator("tr.commitment-row").first.is_visible()
        context.close()
        # axe-core is injected as a script: that context lets it run
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        guard(context, base)
        page = context.new_page()
        page.goto(base + path(canon))
        page.locator("details.commitments-table summary").click()
        problems = axe_problems(page, path(canon))
        context.close()
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
