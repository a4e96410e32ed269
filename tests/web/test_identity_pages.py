"""Entity pages follow identity (kg.identity's owl:sameAs) on the real Tintern series:
a person recorded under several names has one page with the statements and actions of
every name, each variant's page sends the browser there (its RDF stays its own), and
the tracker and `govkg actions --owner` count the variants as the person. No name is
hard-coded: the people are found in the store by their shape."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import Store
from tests.web.tintern_store import path, select

SAME = "http://www.w3.org/2002/07/owl#sameAs"


@pytest.fixture(scope="module")
def people(tintern_dir: Path) -> dict[str, list[str]]:
    """Canonical person -> the nodes merged into it (identity graph)."""
    with Store(tintern_dir, read_only=True) as store:
        _, rows = store.select(
            f"SELECT ?v ?c WHERE {{ GRAPH ?g {{ ?v <{SAME}> ?c }} ?c a foaf:Person }}"
        )
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        out[str(r["c"])].append(str(r["v"]))
    return dict(out)


def names(tintern_dir: Path, nodes: list[str]) -> dict[str, str]:
    values = " ".join(f"<{n}>" for n in nodes)
    rows = select(tintern_dir, f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n foaf:name ?l }}")
    return {str(r["n"]): str(r["l"]) for r in rows}


def spoken(tintern_dir: Path, nodes: list[str]) -> dict[str, str]:
    """Statement -> the node (of these) that spoke it."""
    values = " ".join(f"<{n}>" for n in nodes)
    rows = select(
        tintern_dir,
        f"SELECT ?s ?who WHERE {{ VALUES ?who {{ {values} }} ?s gkg:speaker ?who ; a gkg:Statement }}",
    )
    return {str(r["s"]): str(r["who"]) for r in rows}


@pytest.fixture(scope="module")
def speaker(tintern_dir: Path, people: dict[str, list[str]]) -> tuple[str, list[str]]:
    """A person whose statements are recorded under their canonical node and under at
    least two other nodes, with no more than one page of them (50)."""
    best = None
    for canon, variants in people.items():
        said = spoken(tintern_dir, [canon, *variants])
        speakers = set(said.values())
        if len(speakers) >= 3 and len(said) <= 50 and (best is None or len(said) > best[0]):
            best = (len(said), canon, variants)
    assert best, "no person in the series speaks under several recorded names"
    return best[1], best[2]


def test_one_page_lists_the_statements_recorded_under_every_name(
    tintern_client, tintern_dir: Path, speaker
) -> None:
    canon, variants = speaker
    said = spoken(tintern_dir, [canon, *variants])
    page = tintern_client.get(path(canon) + ".json").get_json()
    shown = {s["iri"] for s in page["statements"]}
    assert shown == set(said), "every statement of every name, and nothing else"
    assert len({said[s] for s in shown}) >= 3, "statements from several recorded names"
    # the HTML says so: "Also recorded as", each name with the page explaining the merge
    html = unescape(tintern_client.get(path(canon)).get_data(as_text=True))
    assert "Also recorded as" in html
    written = names(tintern_dir, variants)
    for name in set(written.values()):
        assert re.search(rf"<strong>{re.escape(name)}</strong>", html), name
    why = re.findall(r'href="(/id/person/[^"]+/same-as/[^"]+)"', html)
    assert why, "a link to why each name is this person"
    answer = tintern_client.get(why[0])
    assert answer.status_code == 200
    text = unescape(answer.get_data(as_text=True))
    assert "SAME person" in text and canon in text
    assert re.search(r"(same-name|initials|surname-only|curation)", text), "the rule is named"


def test_actions_owned_under_a_variant_are_on_the_persons_page(
    tintern_client, tintern_dir: Path, people: dict[str, list[str]]
) -> None:
    rows = select(
        tintern_dir,
        f"SELECT ?c ?a WHERE {{ GRAPH ?g {{ ?v <{SAME}> ?c }} ?c a foaf:Person . "
        "?a gkg:owner ?v ; a gkg:Action }",
    )
    by_person: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        by_person[str(r["c"])].add(str(r["a"]))
    canon = min(by_person, key=lambda c: (abs(len(by_person[c]) - 10), c))
    page = tintern_client.get(path(canon) + ".json").get_json()
    owned = {a["iri"] for a in page["actions_owned"]}
    assert by_person[canon] & owned == by_person[canon] or len(owned) == 50
    assert by_person[canon] & owned, "actions recorded under a variant's name are listed"


def test_a_variants_page_redirects_to_the_person_and_keeps_its_own_rdf(
    tintern_client, tintern_dir: Path, speaker
) -> None:
    canon, variants = speaker
    variant = sorted(variants)[0]
    answer = tintern_client.get(path(variant))
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(path(canon))
    assert (
        tintern_client.get(path(variant) + ".json")
        .headers["Location"]
        .endswith(path(canon) + ".json")
    )
    # Linked Data: the variant IRI still describes its own triples
    rdf = tintern_client.get(path(variant), headers={"Accept": "text/turtle"})
    assert rdf.status_code == 200 and rdf.mimetype == "text/turtle"
    body = rdf.get_data(as_text=True)
    assert variant in body or path(variant).rsplit("/", 1)[-1] in body
    # the canonical page itself is not redirected
    assert tintern_client.get(path(canon)).status_code == 200


def test_an_organisation_alias_redirects_to_its_organisation(
    tintern_client, tintern_dir: Path
) -> None:
    rows = select(
        tintern_dir,
        f"SELECT ?v ?c WHERE {{ GRAPH ?g {{ ?v <{SAME}> ?c }} ?c a org:Organization }}",
    )
    assert rows, "the series has organisation aliases"
    alias, canon = str(rows[0]["v"]), str(rows[0]["c"])
    answer = tintern_client.get(path(alias))
    assert answer.status_code == 303 and answer.headers["Location"].endswith(path(canon))
    html = tintern_client.get(path(canon)).get_data(as_text=True)
    assert "Also recorded as" in html


def _variant_owned(tintern_dir: Path) -> tuple[str, str, set[str]]:
    """(canonical name, canonical, actions owned by its variants whose owner text does
    not contain the canonical name)."""
    rows = select(
        tintern_dir,
        f"SELECT ?c ?cn ?a ?ot WHERE {{ GRAPH ?g {{ ?v <{SAME}> ?c }} ?c a foaf:Person ; "
        "foaf:name ?cn . ?a gkg:owner ?v ; a gkg:Action . OPTIONAL { ?a gkg:ownerText ?ot } }",
    )
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        name = str(r["cn"])
        if " " in name and name.lower() not in str(r["ot"] or "").lower():
            found[(name, str(r["c"]))].add(str(r["a"]))
    assert found, "an action owned under a variant's name, not the full name"
    (name, canon), actions = max(found.items(), key=lambda kv: len(kv[1]))
    return name, canon, actions


def test_tracker_owner_filter_counts_a_persons_variants(tintern_client, tintern_dir: Path) -> None:
    name, _canon, actions = _variant_owned(tintern_dir)
    listed = tintern_client.get("/actions.json", query_string={"owner": name, "per_page": 100})
    rows = listed.get_json()
    found = {a["action"] for a in rows["actions"]}
    assert actions <= found, "the tracker lists what the person owns under every name"


def test_cli_actions_owner_counts_a_persons_variants(tintern_dir: Path) -> None:
    name, _canon, actions = _variant_owned(tintern_dir)
    result = CliRunner().invoke(
        main, ["--data", str(tintern_dir), "actions", "--owner", name, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    found = {a["action"] for a in json.loads(result.output)}
    assert actions <= found


def test_how_a_merged_name_is_described() -> None:
    from web.views.entities import how_written

    assert how_written("Doe", "Jane Doe", person=True) == "the surname alone"
    assert how_written("J A Doe", "Jane Ann Doe", person=True) == "initials and surname"
    assert how_written("JD", "Jane Doe", person=True) == "initials alone"
    assert how_written("Clerk", "Clerk", person=True) == "the same name, in other minutes"
    assert how_written("TPC", "Town Parish Council", person=False) == "its initials"
    assert how_written("Council", "Town Parish Council", person=False) == (
        "the word its own minutes use for it"
    )
