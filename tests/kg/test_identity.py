"""Identity across meetings (kg/identity.py): rules on invented names, then structural
facts on the real 28-meeting community council series (no names hard-coded)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import identity
from kg.cli import main
from kg.identity import OWL_SAME_AS, Curation, Node, compute
from kg.store import Store

SERIES = Path(__file__).resolve().parents[1] / "data" / "tintern_series"


def _node(
    iri: str,
    name: str,
    group: str = "body",
    doc: str = "d1",
    date: str = "2020-01-01",
    titles: tuple[str, ...] = (),
) -> Node:
    return Node(iri, name, {name}, {group}, {doc}, {date}, {f"m-{doc}"}, set(titles))


def _same(ident: identity.Identity, a: str, b: str) -> bool:
    return ident.find(a) == ident.find(b)


# -- the rules, on invented names ------------------------------------------------------------
def test_initials_surname_only_and_same_name_join_the_one_full_name() -> None:
    nodes = {
        n.iri: n
        for n in [
            _node("p/jane-doe", "Jane Doe", doc="d1"),
            _node("p/j-doe", "J Doe", doc="d2"),
            _node("p/m1-doe", "Doe", doc="d3"),
            _node("p/m2-doe", "Doe", doc="d4"),
            _node("p/jd", "JD", doc="d1"),
            _node("p/rex-roe", "Rex Roe", doc="d1"),
        ]
    }
    ident = compute(nodes)
    assert all(_same(ident, "p/jane-doe", x) for x in ["p/j-doe", "p/m1-doe", "p/m2-doe", "p/jd"])
    assert not _same(ident, "p/jane-doe", "p/rex-roe")
    assert ident.canonical("p/m1-doe") == "p/jane-doe", "the fullest name is canonical"


def test_ambiguity_titles_bodies_and_curation_keep_people_apart() -> None:
    nodes = {
        n.iri: n
        for n in [
            _node("p/jane-doe", "Jane Doe", date="2019-01-01", titles=("mrs",)),
            _node("p/john-doe", "John Doe", date="2021-06-01", titles=("mr",)),
            _node("p/j-doe", "J Doe"),
            _node("p/m1-doe", "Doe", date="2019-01-01", titles=("mrs",)),
            _node("p/m2-doe", "Doe", group="other-body", doc="d9"),
            _node("p/ann-poe", "Ann Poe"),
            _node("p/a-poe", "A Poe"),
        ]
    }
    ident = compute(nodes)
    assert not _same(ident, "p/j-doe", "p/jane-doe") and not _same(ident, "p/j-doe", "p/john-doe")
    assert _same(ident, "p/m1-doe", "p/jane-doe"), "title and period fit only one"
    assert not _same(ident, "p/m1-doe", "p/m2-doe"), "a surname never crosses bodies"
    assert _same(ident, "p/ann-poe", "p/a-poe")
    cur = Curation(
        same=[("p/m2-doe", "p/john-doe")], different={frozenset(("p/ann-poe", "p/a-poe"))}
    )
    ident = compute(nodes, cur)
    assert _same(ident, "p/m2-doe", "p/john-doe") and not _same(ident, "p/ann-poe", "p/a-poe")
    # a merge that the titles forbid is refused, whatever order the rules meet them in
    nodes["p/m1-doe"].titles = {"mr"}
    ident = compute(nodes)
    assert not _same(ident, "p/m1-doe", "p/jane-doe")


# -- the real series ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def series_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.pipeline import ingest_paths

    data = tmp_path_factory.mktemp("series") / "data"
    with Store(data) as store:
        report = ingest_paths([SERIES], store)
        assert report.ok and len(report.added) == 28
        identity.refresh(store)
    return data


def _clusters(store: Store) -> dict[str, set[str]]:
    docs, ident = identity._load(store, None)
    return {ident.canonical(next(iter(c))): c for c in ident.clusters()}


def test_people_appear_once_across_the_series(series_data: Path) -> None:
    with Store(series_data, read_only=True) as store:
        _, rows = store.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }")
        nodes = int(rows[0]["n"] or 0)
        _, rows = store.select(
            f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a foaf:Person "
            f"FILTER NOT EXISTS {{ ?p <{OWL_SAME_AS}> ?c }} }}"
        )
        people = int(rows[0]["n"] or 0)
        # every node points to at most one canonical node, which points nowhere
        _, bad = store.select(
            f"SELECT ?p WHERE {{ {{ ?p <{OWL_SAME_AS}> ?a , ?b FILTER(?a != ?b) }} UNION "
            f"{{ ?p <{OWL_SAME_AS}> ?c . ?c <{OWL_SAME_AS}> ?d }} }} LIMIT 1"
        )
        # attendees of the 28 meetings, by canonical node
        _, att = store.select(
            f"SELECT DISTINCT ?m ?p WHERE {{ ?m gkg:attendee ?a . "
            f"OPTIONAL {{ ?a <{OWL_SAME_AS}> ?c }} BIND(COALESCE(?c, ?a) AS ?p) }}"
        )
        clusters = _clusters(store)
    assert not bad
    assert nodes > 200 and people < nodes / 4, (nodes, people)
    # recurring councillors: most canonical attendees are at many meetings
    meetings_of: dict[str, set[str]] = defaultdict(set)
    for r in att:
        meetings_of[r["p"] or ""].add(r["m"] or "")
    assert sum(1 for m in meetings_of.values() if len(m) >= 10) >= 6
    # merged nodes' names are variants of one another: one surname, forenames that fit
    from kg.identity import _forenames_fit

    with Store(series_data, read_only=True) as store:
        nodes = identity._load(store, None)[1].nodes
    for canon, members in clusters.items():
        surnames = {nodes[m].surname for m in members if not nodes[m].initials_only}
        assert len(surnames) <= 1, (canon, surnames)
        full = [nodes[m].forenames for m in members if nodes[m].forenames]
        assert all(_forenames_fit(a, b) for a in full for b in full), canon


def test_no_two_people_of_one_body_share_a_surname_with_fitting_forenames(
    series_data: Path,
) -> None:
    from kg.identity import _forenames_fit

    with Store(series_data, read_only=True) as store:
        nodes = identity._load(store, None)[1].nodes
        ident = compute(nodes)
    by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for iri, node in nodes.items():
        for group in node.groups:
            by_key[(group, node.surname)].add(ident.find(iri))
    for (group, surname), roots in by_key.items():
        full = [r for r in roots if not nodes[ident.canonical(r)].one_word]
        for a in full:
            for b in full:
                if a < b:
                    fa, fb = nodes[ident.canonical(a)], nodes[ident.canonical(b)]
                    assert not _forenames_fit(fa.forenames, fb.forenames), (group, surname)
        lone = [
            r
            for r in roots
            if nodes[ident.canonical(r)].one_word and not nodes[ident.canonical(r)].initials_only
        ]
        assert len(lone) <= 1, (group, surname)
        if lone and len(full) == 1:
            # a surname alone stays apart from the only full name only for a reason
            assert ident.conflict(lone[0], full[0]) is not None


def test_tenures_and_role_holder_query(series_data: Path) -> None:
    from kg.queries import role_holder_query

    with Store(series_data, read_only=True) as store:
        _, tenures = store.select(
            "SELECT ?t ?p ?first ?last (COUNT(?ev) AS ?n) WHERE { ?t a gkg:Tenure ; "
            "org:member ?p ; gkg:firstSeen ?first ; gkg:lastSeen ?last ; gkg:evidencedBy ?ev } "
            "GROUP BY ?t ?p ?first ?last ORDER BY DESC(?n)"
        )
        assert tenures and all((t["first"] or "") <= (t["last"] or "") for t in tenures)
        longest = tenures[0]
        assert int(longest["n"] or 0) >= 10, "a councillor's role is one tenure across meetings"
        _, role = store.select(f"SELECT ?l WHERE {{ <{longest['t']}> org:role/skos:prefLabel ?l }}")
        _, rows = store.select(role_holder_query(role[0]["l"], longest["first"]))
    assert longest["p"] in {r["person"] for r in rows}
    assert all(r["first_seen"] <= (longest["first"] or "") <= r["last_seen"] for r in rows)


def identity_state(store: Store) -> set[tuple[str | None, ...]]:
    """Every quad of the identity graphs (bound by VALUES: never GRAPH ?g over the store)."""
    graphs = identity.identity_graphs(store)
    if not graphs:
        return set()
    values = " ".join(f"<{g}>" for g in graphs)
    _, rows = store.select(
        f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return {(r["g"], r["s"], r["p"], r["o"]) for r in rows}


def ledger_state(store: Store) -> set[tuple[str | None, ...]]:
    from kg.ledger import ledger_graph_iri

    graphs = [g for g in store.derived_graphs() if g.startswith(ledger_graph_iri("").value)]
    values = " ".join(f"<{g}>" for g in graphs)
    _, rows = store.select(
        f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return {(r["g"], r["s"], r["p"], r["o"]) for r in rows}


def test_order_of_ingest_and_batches_give_the_graphs_of_a_full_recompute(tmp_path: Path) -> None:
    """Identity after each ingest recomputes only the groups the new documents touch;
    whatever the order and the batches, the graphs are those of a full recompute."""
    from kg.pipeline import derive_graphs, ingest_paths
    from tests.conftest import load_bench

    generated = tmp_path / "generated"
    load_bench("synthetic_minutes").generate(generated, 30, seed=7)
    files = sorted(SERIES.glob("*.txt"))[:4] + sorted(generated.iterdir())[::3]
    ways = {
        "forward": [[f] for f in files],
        "backward": [[f] for f in reversed(files)],
        "batches": [files[:3], files[7:], files[3:7]],
    }
    states = []
    for name, batches in ways.items():
        with Store(tmp_path / name) as store:
            scoped = []
            for batch in batches:
                report = ingest_paths(batch, store)
                assert report.ok and report.derived and report.derived.identity
                scoped.append(report.derived.identity)
            incremental = identity_state(store)
            ledgers = ledger_state(store)
            full = identity.refresh(store)
            assert full.full and not full.written, f"{name}: a full recompute changed the graphs"
            assert identity_state(store) == incremental
            # the ledger graphs, each linked from its own series' meetings, are too
            derive_graphs(store)
            assert ledger_state(store) == ledgers and len({q[0] for q in ledgers}) > 1
        # after the first batch, only the documents of the groups touched were read
        assert all(not r.full for r in scoped[1:])
        assert any(r.documents < full.documents for r in scoped[1:]), name
        states.append(incremental)
    assert states[0] and states[0] == states[1] == states[2]
    graphs = {q[0] for q in states[0]}
    assert len(graphs) > 1 and all(g.startswith(identity.graph_prefix()) for g in graphs)


def test_curation_file_and_why_same(series_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(series_data, data)
    with Store(data, read_only=True) as store:
        clusters = _clusters(store)
    canon, members = max(clusters.items(), key=lambda kv: len(kv[1]))
    alias = sorted(members - {canon})[0]
    runner = CliRunner()
    same = runner.invoke(main, ["--data", str(data), "why-same", alias, canon])
    assert same.exit_code == 0 and "SAME person" in same.output
    assert any(rule in same.output for rule in ("surname-only", "initials", "same-name"))
    # a maintainer says the two are different people: the merge goes, and why-same says why
    cur = tmp_path / "curation.ttl"
    cur.write_text(
        f"<{alias}> <https://w3id.org/govkg/ns#notSameAs> <{canon}> .\n", encoding="utf-8"
    )
    done = runner.invoke(main, ["--data", str(data), "identity", "--curation", str(cur)])
    assert done.exit_code == 0, done.output
    with Store(data, read_only=True) as store:
        _, rows = store.select(f"SELECT (1 AS ?x) WHERE {{ <{alias}> <{OWL_SAME_AS}> <{canon}> }}")
    assert not rows
    apart = runner.invoke(
        main, ["--data", str(data), "why-same", alias, canon, "--curation", str(cur)]
    )
    assert apart.exit_code == 1 and "notSameAs" in apart.output
