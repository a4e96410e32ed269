"""kg/networks.py over real stores: the 28 Tintern minutes (tests/data/tintern_series)
and a small council whose chair attends every meeting (fictional names)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg import networks as N
from kg.cli import main
from tests.conftest import DATA, simple_extract

SERIES = DATA / "tintern_series"


def _load(data: Path, records) -> None:
    from kg.build import record_to_quads
    from kg.store import Store

    with Store(data) as store:
        for record in records:
            store.replace_document(record, record_to_quads(record))


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory):
    """A store (no search index: not needed here) holding the 28 Tintern meetings."""
    from ingest import extract_file
    from kg.store import Store

    data = tmp_path_factory.mktemp("tintern-net") / "data"
    _load(data, (extract_file(str(p)) for p in sorted(SERIES.iterdir())))
    with Store(data, read_only=True) as store:
        yield store


COUNCIL = [  # (date, attendees): the chair at all five, two groups otherwise apart
    ("2021-01-05", "Avery Chairperson, Bo Rowan, Cy Rowan"),
    ("2021-02-02", "Avery Chairperson, Bo Rowan, Cy Rowan, Di Rowan"),
    ("2021-03-02", "Avery Chairperson, Ed Fenwick, Flo Fenwick"),
    ("2021-04-06", "Avery Chairperson, Ed Fenwick, Flo Fenwick, Gus Fenwick"),
    ("2021-05-04", "Avery Chairperson, Di Rowan, Gus Fenwick"),
]


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory):
    from kg.store import Store

    root = tmp_path_factory.mktemp("council-net")
    paths = []
    for day, present in COUNCIL:
        path = root / f"council-{day}.txt"
        path.write_text(f"Council meeting\ndate: {day}\npresent: {present}\n", encoding="utf-8")
        paths.append(path)
    _load(root / "data", (simple_extract(str(p)) for p in paths))
    with Store(root / "data", read_only=True) as store:
        yield root / "data", store


def _attendance(store) -> dict[str, set[str]]:
    rows = store.select("SELECT ?p ?m WHERE { ?m a gkg:Meeting ; gkg:attendee ?p }")[1]
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(str(r["p"]), set()).add(str(r["m"]))
    return out


def test_every_attendee_is_one_node_and_weights_count_shared_meetings(series):
    g = N.build(series, "coattendance")
    attended = _attendance(series)
    assert set(g) == set(attended)  # one node per person IRI, nobody missing
    assert all(g.nodes[p]["kind"] == "person" and g.nodes[p]["iri"] == p for p in g)
    assert all(g.nodes[p]["meetings"] == len(attended[p]) for p in g)
    assert g.number_of_edges() > 100
    for a, b, d in g.edges(data=True):
        together = attended[a] & attended[b]
        assert d["weight"] == len(together)
        assert set(N.evidence_list(d)) == together
    # people who recur across meetings are single nodes joined to several meetings
    assert max(d["weight"] for _, _, d in g.edges(data=True)) >= 3


def test_graphml_and_gexf_round_trip(series, tmp_path):
    g = N.build(series, "coattendance")
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"people.{fmt}"
        assert N.write(g, fmt, path) > 1000
        back = read(path)
        assert set(back) == set(g)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
        for a, b, d in g.edges(data=True):
            assert float(back.edges[a, b]["weight"]) == d["weight"]
            assert back.edges[a, b]["evidence"] == d["evidence"]
        for v in list(g)[:20]:
            assert back.nodes[v]["label"] == g.nodes[v]["label"]
            assert back.nodes[v]["kind"] == "person"


def test_bipartite_and_topic_networks_have_evidence(series):
    for kind, kinds in (
        ("person-topic", {"person", "topic"}),
        ("place-topic", {"place", "topic"}),
        ("topic-cooccurrence", {"topic"}),
    ):
        g = N.build(series, kind)
        assert g.number_of_edges() > 10, kind
        assert {d["kind"] for _, d in g.nodes(data=True)} == kinds, kind
        for a, b, d in g.edges(data=True):
            if kind != "topic-cooccurrence":
                assert g.nodes[a]["kind"] != g.nodes[b]["kind"]  # bipartite
            assert d["weight"] == len(N.evidence_list(d)) >= 1
    # a person-topic edge's evidence is statements that person made
    g = N.build(series, "person-topic")
    a, b, d = max(g.edges(data=True), key=lambda e: e[2]["weight"])
    person = a if g.nodes[a]["kind"] == "person" else b
    st = N.evidence_list(d)[0]
    rows = series.select(f"SELECT ?p WHERE {{ <{st}> gkg:speaker ?p }}")[1]
    assert person in {r["p"] for r in rows}


def test_filters_restrict_meetings(series):
    everything = N.build(series, "coattendance")
    late = N.build(series, "coattendance", N.Filters(since="2020-01-01"))
    assert 0 < late.number_of_edges() < everything.number_of_edges()
    dates = {
        r["m"]: r["d"]
        for r in series.select("SELECT ?m ?d WHERE { ?m a gkg:Meeting ; dcterms:date ?d }")[1]
    }
    for _, _, d in late.edges(data=True):
        assert all(dates[m] >= "2020-01-01" for m in N.evidence_list(d))
    body = N.build(series, "coattendance", N.Filters(body="community council"))
    meetings = {m for _, _, d in body.edges(data=True) for m in N.evidence_list(d)}
    assert 1 <= len(meetings) < 28
    with pytest.raises(N.NetworkError):
        N.Filters(since="last tuesday")


def test_the_chair_is_most_central(council):
    _, store = council
    g = N.build(store, "coattendance")
    chair = [v for v in g if g.nodes[v]["label"] == "Avery Chairperson"][0]
    for by in N.MEASURES:
        ranking = N.centrality(g, by)
        assert ranking[0]["iri"] == chair, by
    groups = N.communities(g)
    assert len(groups) >= 2
    assert [v for v in g if "Rowan" in g.nodes[v]["label"]] != []


def test_path_between_two_people_goes_through_a_meeting_both_attended(series):
    g = N.build(series, "connections")
    people = N.build(series, "coattendance")
    a, b, d = next(
        (a, b, d)
        for a, b, d in sorted(people.edges(data=True))
        if d["weight"] == 1 and people.nodes[a]["label"] != people.nodes[b]["label"]
    )
    (meeting,) = N.evidence_list(d)
    (best, *_) = N.paths(g, a, b, k=2)
    assert [h.source for h in best] == [a, meeting]
    assert best[-1].target == b
    assert all(h.relation in ("attended", "chaired", "minuted") for h in best)
    assert all(meeting in h.evidence for h in best)
    assert best[1].text.startswith(people.nodes[b]["label"])  # "B attended M"


def test_resolve_names_and_neighbourhood(council):
    _, store = council
    g = N.build(store, "coattendance")
    (chair,) = N.resolve(g, "avery chairperson")
    assert N.resolve(g, "Rowan")[0] != chair and len(N.resolve(g, "Rowan")) == 3
    near = N.neighbourhood(g, chair, limit=3)
    assert chair in near and near.number_of_nodes() == 4
    pos = N.spring_layout(near, chair)
    assert pos[chair] == (0.0, 0.0) and pos == N.spring_layout(near, chair)
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in pos.values())


def test_cli_network_commands(council, runner, tmp_path):
    data, _ = council
    out = tmp_path / "people.gexf"
    r = runner.invoke(
        main, ["--data", str(data), "network", "export", "--format", "gexf", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert set(nx.read_gexf(out).nodes) and "7 nodes" in r.output
    r = runner.invoke(main, ["--data", str(data), "network", "top", "--by", "betweenness"])
    assert r.exit_code == 0 and r.output.splitlines()[2].split()[1:3] == ["Avery", "Chairperson"]
    r = runner.invoke(main, ["--data", str(data), "network", "path", "Bo Rowan", "Ed Fenwick"])
    assert r.exit_code == 0, r.output
    assert "Bo Rowan attended Council meeting" in r.output
    assert "evidence: https://w3id.org/govkg/id/meeting/" in r.output
    r = runner.invoke(main, ["--data", str(data), "network", "path", "Bo Rowan", "Nobody Here"])
    assert r.exit_code == 1 and "Nobody Here" in r.output
    r = runner.invoke(main, ["--data", str(data), "network", "top", "--since", "soon"])
    assert r.exit_code == 2
