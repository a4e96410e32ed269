"""Real SPARQL clients against /sparql on a live waitress server on 127.0.0.1:
SPARQLWrapper (JSON, XML, CSV, Turtle, RDF/XML, JSON-LD; SELECT, ASK, CONSTRUCT; GET
and POST) and rdflib's SPARQLStore (a remote Graph queried through rdflib). Expected
answers come from the store itself, opened read-only in this process."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser import live_server

PEOPLE = (
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "SELECT ?p ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name"
)
PEOPLE_GRAPH = (
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "CONSTRUCT { ?p foaf:name ?name } WHERE { ?p a foaf:Person ; foaf:name ?name }"
)
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"


@pytest.fixture(scope="module")
def site(corpus_index) -> Iterator[dict[str, Any]]:
    from kg.store import Store
    from web import create_app

    data_dir, _ = corpus_index
    app = create_app({"DATA": str(data_dir), "SPARQL_WORKERS": 1})
    store = Store(data_dir, read_only=True)
    _, rows = store.select(PEOPLE)
    try:
        with live_server(app) as base:
            yield {
                "url": base + "/sparql",
                "store": store,
                "people": sorted((r["p"], r["name"]) for r in rows),
            }
    finally:
        app.extensions["govkg.sparql"].close()
        store.close()


def wrapper(site, query: str, fmt: str, method: str | None = None) -> Any:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(site["url"])
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client.query()


# -- SPARQLWrapper --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(site, method) -> None:
    from SPARQLWrapper import JSON

    result = wrapper(site, PEOPLE, JSON, method).convert()
    rows = result["results"]["bindings"]
    assert sorted((r["p"]["value"], r["name"]["value"]) for r in rows) == site["people"]


def test_sparqlwrapper_select_xml(site) -> None:
    from SPARQLWrapper import XML

    doc = wrapper(site, PEOPLE, XML).convert()  # an xml.dom.minidom Document
    rows = []
    for result in doc.getElementsByTagName("result"):
        cells = {
            b.getAttribute("name"): b.firstChild.firstChild.data
            for b in result.getElementsByTagName("binding")
        }
        rows.append((cells["p"], cells["name"]))
    assert sorted(rows) == site["people"]


def test_sparqlwrapper_select_csv(site) -> None:
    from SPARQLWrapper import CSV

    body = wrapper(site, PEOPLE, CSV).convert()
    reader = csv.reader(io.StringIO(body.decode()))
    assert next(reader) == ["p", "name"]
    assert sorted((p, n) for p, n in reader) == site["people"]


def test_sparqlwrapper_ask(site) -> None:
    from SPARQLWrapper import JSON, XML

    yes = wrapper(site, "ASK { ?p a <http://xmlns.com/foaf/0.1/Person> }", JSON).convert()
    assert yes["boolean"] is True
    no = wrapper(site, "ASK { ?p a <urn:nothing> }", XML).convert()
    assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", ["rdfxml", "turtle", "json-ld"])
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct(site, fmt) -> None:
    import rdflib
    from SPARQLWrapper import JSONLD, RDFXML, TURTLE

    chosen = {"rdfxml": RDFXML, "turtle": TURTLE, "json-ld": JSONLD}[fmt]
    result = wrapper(site, PEOPLE_GRAPH, chosen).convert()
    if isinstance(result, bytes):  # SPARQLWrapper hands Turtle back unparsed
        result = rdflib.Graph().parse(data=result.decode(), format="turtle")
    got = sorted((str(s), str(o)) for s, p, o in result if str(p) == FOAF_NAME)
    assert got == site["people"]
    assert len(result) == len(site["people"])


def test_sparqlwrapper_update_and_bad_query_are_client_errors(site) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(site["url"])
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed, match="read-only endpoint"):
        client.query()
    with pytest.raises(QueryBadFormed, match="syntax error"):
        wrapper(site, "SELECT ?x WHERE { ?x }", JSON)
    # nothing was written
    assert wrapper(site, "ASK { <urn:a> <urn:b> <urn:c> }", JSON).convert()["boolean"] is False


# -- rdflib's SPARQLStore -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_graph(site, method) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import FOAF
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    # context_aware=False: the Graph is the endpoint's default graph (the union of the
    # documents); otherwise rdflib sends its own graph name as default-graph-uri
    store = SPARQLStore(site["url"], method=method, context_aware=False)
    graph = Graph(store)
    try:
        rows = graph.query(PEOPLE)
        assert sorted((str(r.p), str(r.name)) for r in rows) == site["people"]  # type: ignore[union-attr]
        assert graph.query("ASK { ?p a <http://xmlns.com/foaf/0.1/Person> }").askAnswer is True
        built = graph.query(PEOPLE_GRAPH).graph
        assert built is not None and len(built) == len(site["people"])
        # the Graph API goes through the endpoint too
        iri, name = site["people"][0]
        assert list(graph.objects(URIRef(iri), FOAF.name)) == [Literal(name)]
        assert len(graph) == site["store"].counts()["triples"]
    finally:
        store.close()


def test_rdflib_graph_named_by_a_document_is_that_document(site) -> None:
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    _, rows = site["store"].select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    store = SPARQLStore(site["url"])
    try:
        for row in rows[:2]:
            graph = Graph(store, identifier=URIRef(row["g"]))  # sent as default-graph-uri
            assert len(graph) == int(row["n"])
    finally:
        store.close()
