"""text:search inside SPARQL: the search index's hits joined with graph patterns."""

from __future__ import annotations

import re

import pytest

from kg.search import search
from kg.textsparql import rewrite, uses_text_search

try:
    from kg.sparqlservice import QuerySyntaxError

    ERRORS: tuple[type[Exception], ...] = (ValueError, QuerySyntaxError)
except ImportError:  # the SPARQL service is not there yet
    ERRORS = (ValueError,)

PREFIX = "PREFIX text: <https://w3id.org/govkg/text#>\n"


def select(store, index, query: str) -> list[dict]:
    names, rows = store.select(rewrite(query, index))
    return rows


def all_hits(index, text: str) -> list:
    hits, page = [], 1
    while True:
        results = search(index, text, page=page, per_page=100, facets=False)
        hits += results.hits
        if page >= results.pages:
            return hits
        page += 1


def test_rewrite_equals_search_joined_with_the_graph(samples_store, samples_index):
    rows = select(
        samples_store,
        samples_index,
        PREFIX + 'SELECT ?s WHERE { ?s text:search "custody" . ?s a gkg:Statement }',
    )
    statements = {h.id for h in all_hits(samples_index, "custody") if h.kind == "statement"}
    assert statements, "the samples mention custody"
    assert {r["s"] for r in rows} == statements
    _, typed = samples_store.select("SELECT ?s WHERE { ?s a gkg:Statement }")
    assert statements <= {r["s"] for r in typed}


def test_score_is_bound_and_ordered(samples_store, samples_index):
    rows = select(
        samples_store,
        samples_index,
        PREFIX + 'SELECT ?u ?score WHERE { (?u ?score) text:search "police" } '
        "ORDER BY DESC(?score)",
    )
    hits = all_hits(samples_index, "police")
    assert len(rows) == len(hits) > 10
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["u"] == hits[0].id
    assert scores[0] == pytest.approx(hits[0].score)


def test_the_values_rows_come_best_first(samples_index):
    text = rewrite(PREFIX + 'SELECT * { (?u ?s) text:search "police" }', samples_index)
    scores = [float(s) for s in re.findall(r'"([0-9.e+-]+)"\^\^', text)]
    assert len(scores) > 10 and scores == sorted(scores, reverse=True)


def test_limit_keeps_the_best(samples_store, samples_index):
    rows = select(
        samples_store,
        samples_index,
        PREFIX + 'SELECT ?u WHERE { ?u text:search ("police" 3) }',
    )
    best = [h.id for h in all_hits(samples_index, "police")[:3]]
    assert sorted(r["u"] for r in rows) == sorted(best)
    capped = rewrite(PREFIX + 'SELECT ?u { ?u text:search ("police" 50) }', samples_index, limit=2)
    assert capped.count("<https://w3id.org/govkg/id/") == 2


def test_search_language_filters_work_inside_sparql(samples_store, samples_index):
    rows = select(
        samples_store,
        samples_index,
        PREFIX + "SELECT ?u ?k WHERE { ?u text:search 'custody kind:statement' . ?u a ?k }",
    )
    assert rows and {r["k"] for r in rows} == {"https://w3id.org/govkg/ns#Statement"}


def test_no_match_gives_no_rows(samples_store, samples_index):
    query = PREFIX + 'SELECT ?u ?t WHERE { ?u text:search "zqxjvw" ; gkg:text ?t }'
    assert "VALUES ?u {  }" in rewrite(query, samples_index)
    assert select(samples_store, samples_index, query) == []


def test_patterns_in_strings_comments_and_iris_stay(samples_index):
    query = (
        PREFIX
        + '# ?x text:search "custody" .\n'
        + "SELECT ?x WHERE { BIND(\"?x text:search 'custody' .\" AS ?x) "
        + "?y <https://w3id.org/govkg/text#searchy> ?z }"
    )
    assert not uses_text_search(query)
    assert rewrite(query, samples_index) == query


def test_prefix_under_another_name_and_full_iri(samples_store, samples_index):
    other = 'PREFIX ft: <https://w3id.org/govkg/text#>\nSELECT ?u { ?u ft:search "custody" }'
    full = 'SELECT ?u { ?u <https://w3id.org/govkg/text#search> "custody" }'
    a = {r["u"] for r in select(samples_store, samples_index, other)}
    b = {r["u"] for r in select(samples_store, samples_index, full)}
    assert a and a == b
    # a query that binds text: to something else is left alone
    mine = 'PREFIX text: <http://example.org/t#>\nSELECT ?u { ?u text:search "custody" }'
    assert rewrite(mine, samples_index) == mine


def test_the_chief_constable_example_joins_roles(samples_store, samples_index):
    from kg.examples import example

    rows = select(samples_store, samples_index, example("chief-constable-on-custody").query)
    found = {h.id for h in all_hits(samples_index, "custody")}
    assert rows and any("custod" in row["text"].lower() for row in rows)
    for row in rows:
        assert "Chief Constable" in row["role"]
        assert row["statement"] in found
        assert row["meeting"].startswith("https://w3id.org/govkg/id/meeting/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('SELECT * { ?s a ?o ; text:search "x" }', "own triple pattern"),
        ("SELECT * { ?u text:search ?q }", "must be a string"),
        ('SELECT * { <https://w3id.org/a> text:search "x" }', "subject must be"),
        ('SELECT * { (?a ?b ?c) text:search "x" }', "subject must be"),
        ('SELECT * { ?u text:search ("x" 2.5) }', "whole number"),
        ('SELECT * { ?u text:search "x"@en }', "plain string"),
    ],
)
def test_malformed_calls_fail_with_one_line(samples_index, query, message):
    with pytest.raises(ERRORS, match=message) as err:
        rewrite(PREFIX + query, samples_index)
    assert "\n" not in str(err.value)
