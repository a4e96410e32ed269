"""The SPARQL 1.1 Protocol at /sparql over raw HTTP, against a live waitress server on
127.0.0.1 over the real minutes (the session's corpus data directory): every way to
send a query, every result format, the refusals, the time limit, the row cap, CORS and
the service description. Expected answers come from the store itself, opened read-only
in this process."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import pytest

from tests.conftest import GOOD_MINUTES
from tests.web.browser import live_server

TIMEOUT = 2
MAX_ROWS = 1000
SD = "http://www.w3.org/ns/sparql-service-description#"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

PEOPLE = "SELECT ?p ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name"
PEOPLE_GRAPH = "CONSTRUCT { ?p foaf:name ?name } WHERE { ?p a foaf:Person ; foaf:name ?name }"
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def site(corpus_index) -> Iterator[dict[str, Any]]:
    from kg.store import Store
    from web import create_app

    data_dir, _ = corpus_index
    app = create_app(
        {"DATA": str(data_dir), "SPARQL_TIMEOUT": TIMEOUT, "SPARQL_MAX_ROWS": MAX_ROWS}
    )
    with app.app_context():
        from web.views.sparql import service

        svc = service()
        svc.warm()
    store = Store(data_dir, read_only=True)
    try:
        with live_server(app) as base:
            yield {"url": base + "/sparql", "store": store, "service": svc}
    finally:
        svc.close()
        store.close()


@pytest.fixture(scope="module")
def people(site) -> list[tuple[str, str]]:
    """(IRI, name) of every person, from the store itself."""
    _, rows = site["store"].select(PEOPLE)
    assert len(rows) > 20
    return sorted((r["p"], r["name"]) for r in rows)


class Reply:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0]

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    url: str,
    method: str = "GET",
    params: dict[str, Any] | list[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One HTTP request with http.client (no redirects followed, no error raised)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{urlencode(params, doseq=True)}" if params else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        data = body.encode() if isinstance(body, str) else body
        conn.request(method, target, body=data, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def form(query: str, **extra: str | list[str]) -> dict[str, Any]:
    """The keyword arguments of `call` for a form POST of `query`."""
    return {
        "body": urlencode({"query": query, **extra}, doseq=True),
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }


def json_people(reply: Reply) -> list[tuple[str, str]]:
    rows = reply.json()["results"]["bindings"]
    return sorted((r["p"]["value"], r["name"]["value"]) for r in rows)


@pytest.fixture
def listener() -> Iterator[list[bytes]]:
    """A TCP server on 127.0.0.1 that records what any connection sends it."""
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    received.append(f"http://127.0.0.1:{server.getsockname()[1]}".encode())
    try:
        yield received
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


# -- sending a query --------------------------------------------------------------------


def test_get_post_form_and_post_body_give_the_stores_answer(site, people) -> None:
    url = site["url"]
    got = call(url, params={"query": PEOPLE})
    assert got.status == 200
    assert got.type == "application/sparql-results+json"
    assert json_people(got) == people
    posted = call(url, "POST", **form(PEOPLE))
    assert posted.status == 200 and json_people(posted) == people
    direct = call(url, "POST", body=PEOPLE, headers={"Content-Type": "application/sparql-query"})
    assert direct.status == 200 and json_people(direct) == people


def test_govkg_prefixes_need_no_declaration_and_declared_ones_work(site) -> None:
    declared = "PREFIX f: <http://xmlns.com/foaf/0.1/> SELECT (COUNT(*) AS ?n) { ?p f:name ?x }"
    bare = "SELECT (COUNT(*) AS ?n) { ?p foaf:name ?x }"
    a = call(site["url"], params={"query": declared}).json()
    b = call(site["url"], params={"query": bare}).json()
    assert a == b and int(a["results"]["bindings"][0]["n"]["value"]) > 20


# -- result formats -----------------------------------------------------------------------


def parse_results(reply: Reply) -> list[tuple[str, str]]:
    if reply.type in ("application/sparql-results+json", "application/json"):
        return json_people(reply)
    if reply.type == "application/sparql-results+xml":
        root = ET.fromstring(reply.body)
        names = [v.get("name") for v in root.iter(RESULTS_NS + "variable")]
        assert names == ["p", "name"]
        rows = []
        for result in root.iter(RESULTS_NS + "result"):
            cells = {b.get("name"): "".join(b.itertext()) for b in result}
            rows.append((cells["p"], cells["name"]))
        return sorted(rows)
    if reply.type == "text/csv":
        reader = csv.reader(io.StringIO(reply.body.decode()))
        assert next(reader) == ["p", "name"]
        assert reply.body.endswith(b"\r\n")
        return sorted((p, n) for p, n in reader)
    if reply.type == "text/tab-separated-values":
        lines = reply.body.decode().splitlines()
        assert lines[0] == "?p\t?name"
        rows = [line.split("\t") for line in lines[1:]]
        return sorted((p.strip("<>"), ox.Literal(n[1:-1]).value) for p, n in rows)
    raise AssertionError(f"unexpected type {reply.type}")


RESULT_TYPES = [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
]


@pytest.mark.parametrize(("accept", "expected"), RESULT_TYPES)
def test_select_results_by_accept(site, people, accept, expected) -> None:
    reply = call(site["url"], params={"query": PEOPLE}, headers={"Accept": accept})
    assert reply.status == 200
    assert reply.type == expected
    assert parse_results(reply) == people


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
        ("json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_format_parameter_wins_over_accept(site, people, value, expected) -> None:
    reply = call(
        site["url"],
        params={"query": PEOPLE, "format": value},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status == 200 and reply.type == expected
    assert parse_results(reply) == people


GRAPH_TYPES = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]


@pytest.mark.parametrize(("accept", "rdf_format"), GRAPH_TYPES)
def test_construct_by_accept_and_by_format(site, people, accept, rdf_format) -> None:
    expected = {(ox.NamedNode(p), ox.Literal(n)) for p, n in people}
    names = {
        "text/turtle": "ttl",
        "application/n-triples": "nt",
        "application/ld+json": "jsonld",
        "application/rdf+xml": "rdfxml",
    }
    for headers, params in (
        ({"Accept": accept}, {"query": PEOPLE_GRAPH}),
        ({}, {"query": PEOPLE_GRAPH, "format": names[accept]}),
    ):
        reply = call(site["url"], params=params, headers=headers)
        assert reply.status == 200 and reply.type == accept
        triples = list(ox.parse(reply.body, format=rdf_format))
        assert {(t.subject, t.object) for t in triples} == expected
        assert {t.predicate.value for t in triples} == {"http://xmlns.com/foaf/0.1/name"}


def test_describe_and_graph_default_is_turtle(site, people) -> None:
    iri = people[0][0]
    reply = call(site["url"], params={"query": f"DESCRIBE <{iri}>"})
    assert reply.status == 200 and reply.type == "text/turtle"
    triples = {q.triple for q in ox.parse(reply.body, format=ox.RdfFormat.TURTLE)}
    assert (
        ox.Triple(
            ox.NamedNode(iri),
            ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
            ox.Literal(people[0][1]),
        )
        in triples
    )


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+json", lambda b: json.loads(b)["boolean"]),
        (
            "application/sparql-results+xml",
            lambda b: ET.fromstring(b).find(RESULTS_NS + "boolean").text == "true",
        ),
    ],
)
def test_ask(site, accept, check) -> None:
    yes = call(
        site["url"], params={"query": "ASK { ?p a foaf:Person }"}, headers={"Accept": accept}
    )
    assert yes.status == 200 and yes.type == accept and check(yes.body) is True
    no = call(site["url"], params={"query": "ASK { ?p a <urn:nothing> }"})
    assert no.json() == {"head": {}, "boolean": False}


def test_unsupported_accept_is_406_in_the_error_shape(site) -> None:
    reply = call(site["url"], params={"query": PEOPLE}, headers={"Accept": "image/png"})
    assert reply.status == 406 and reply.type == "application/json"
    data = reply.json()
    assert data["ok"] is False and data["status"] == 406
    assert "text/csv" in data["error"]
    graph = call(site["url"], params={"query": PEOPLE_GRAPH}, headers={"Accept": "text/csv"})
    assert graph.status == 406 and "text/turtle" in graph.json()["error"]


# -- errors and refusals ------------------------------------------------------------------


def test_syntax_error_is_400_with_the_parsers_message(site) -> None:
    reply = call(site["url"], params={"query": "SELECT ?x WHERE { ?x foaf:name }"})
    assert reply.status == 400 and reply.type == "application/json"
    data = reply.json()
    assert data["ok"] is False and data["status"] == 400
    assert "syntax error" in data["error"] and "1:" in data["error"]
    page = call(
        site["url"],
        params={"query": "SELECT ?x WHERE { ?x foaf:name }"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.status == 400 and page.type == "text/html"
    assert b"syntax error" in page.body


REFUSED = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <file:///etc/passwd>", "LOAD"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("PREFIX ex: <urn:x#> # a comment with SELECT\nDROP ALL", "DROP"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE"),
]


@pytest.mark.parametrize(("update", "op"), REFUSED)
def test_updates_are_refused_and_change_nothing(site, update, op) -> None:
    before = call(site["url"], params={"query": COUNT}).json()
    for reply in (
        call(site["url"], params={"query": update}),
        call(site["url"], "POST", **form(update)),
        call(
            site["url"], "POST", body=update, headers={"Content-Type": "application/sparql-query"}
        ),
    ):
        assert reply.status == 400, reply.body
        assert reply.json()["error"] == f"read-only endpoint: SPARQL Update ({op}) is refused"
    for reply in (
        call(site["url"], params={"update": update}),
        call(
            site["url"],
            "POST",
            body=urlencode({"update": update}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        call(
            site["url"], "POST", body=update, headers={"Content-Type": "application/sparql-update"}
        ),
    ):
        assert reply.status == 400
        assert reply.json()["error"].startswith("read-only endpoint: SPARQL Update")
    assert call(site["url"], params={"query": COUNT}).json() == before


def test_update_keywords_inside_strings_iris_and_names_are_not_refused(site) -> None:
    query = (
        'SELECT ?x WHERE { BIND("INSERT DATA { }" AS ?x) '
        "OPTIONAL { <urn:delete> <urn:load#clear> ?drop } } # DELETE WHERE"
    )
    reply = call(site["url"], params={"query": query})
    assert reply.status == 200
    assert reply.json()["results"]["bindings"] == [
        {"x": {"type": "literal", "value": "INSERT DATA { }"}}
    ]


def test_service_is_refused_before_anything_is_fetched(site, listener) -> None:
    base = listener[0].decode()
    for query in (
        f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p 1e3SERVICE SILENT <{base}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o.service <{base}/y> {{ ?s ?p ?o }} }}",
    ):
        reply = call(site["url"], params={"query": query})
        assert reply.status == 400
        assert reply.json()["error"].startswith("SERVICE is refused")
    time.sleep(0.3)
    assert listener[1:] == []


def test_keywords_spelled_with_unicode_escapes_do_not_run(site, listener) -> None:
    """SPARQL allows \\u escapes in strings and IRIs; a keyword written with them is no
    keyword to Oxigraph either: the query does not parse, nothing is fetched or written."""
    base = listener[0].decode()
    before = count(site, COUNT)
    for query in (
        f"SELECT * WHERE {{ \\u0053ERVICE <{base}/z> {{ ?s ?p ?o }} }}",
        "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ):
        reply = call(site["url"], params={"query": query})
        assert reply.status == 400 and "syntax error" in reply.json()["error"]
    time.sleep(0.3)
    assert listener[1:] == []
    assert count(site, COUNT) == before


def test_from_names_a_graph_in_the_store_and_fetches_nothing(site, listener) -> None:
    base = listener[0].decode()
    for source in ("file:///etc/passwd", f"{base}/data.ttl"):
        for query in (
            f"SELECT * FROM <{source}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{source}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        ):
            reply = call(site["url"], params={"query": query})
            assert reply.status == 200
            assert reply.json()["results"]["bindings"] == []
        # Oxigraph itself, in this process (no worker, no network wall): FROM is a name
        direct = site["store"].store.query(f"SELECT * FROM <{source}> WHERE {{ ?s ?p ?o }}")
        assert list(direct) == []
    time.sleep(0.3)
    assert listener[1:] == []


def test_workers_have_no_network_even_past_the_check(site, listener) -> None:
    """The second wall: a SERVICE that the text check did not stop still cannot connect."""
    svc = site["service"]
    if not svc.isolated:
        pytest.skip("this kernel does not let a process leave the network namespace")
    base = listener[0].decode()
    request = {
        "query": f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        "fmt": "json",
        "default_graph": None,
        "named_graphs": [],
        "max_rows": 10,
    }
    reply = svc._evaluate(request, 5.0)
    assert reply[0] == "error", reply
    time.sleep(0.3)
    assert listener[1:] == []


def test_other_content_types_and_empty_queries_are_refused(site) -> None:
    reply = call(site["url"], "POST", body="{}", headers={"Content-Type": "application/json"})
    assert reply.status == 415 and "application/sparql-query" in reply.json()["error"]
    assert call(site["url"], params={"query": "  "}).status == 400
    two = call(site["url"], params=[("query", PEOPLE), ("query", COUNT)])
    assert two.status == 400 and "more than one" in two.json()["error"]
    bad_graph = call(site["url"], params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert bad_graph.status == 400 and "not an absolute IRI" in bad_graph.json()["error"]


# -- the dataset ----------------------------------------------------------------------------


def count(site, query: str, **params: str | list[str]) -> int:
    reply = call(site["url"], params={"query": query, **params})
    assert reply.status == 200, reply.body
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_and_graph_reaches_one_document(site) -> None:
    graphs = site["store"].select("SELECT ?g WHERE { GRAPH ?g { ?g gkg:sha256 ?x } } ORDER BY ?g")
    names = [r["g"] for r in graphs[1]]
    assert len(names) >= 4
    union = count(site, COUNT)
    per_doc = [
        count(site, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        for g in names
    ]
    # the union of the documents and of the derived graphs (identity, follow-up links)
    derived = site["store"].derived_counts()["derived_quads"]
    assert max(per_doc) < union <= sum(per_doc) + derived
    assert union == site["store"].counts()["triples"]
    # default-graph-uri: that document is the default graph
    assert count(site, COUNT, **{"default-graph-uri": names[0]}) == per_doc[0]
    two = count(site, COUNT, **{"default-graph-uri": names[:2]})
    assert max(per_doc[:2]) <= two <= per_doc[0] + per_doc[1]
    # named-graph-uri: GRAPH ?g sees only those; the default graph is empty
    seen = call(
        site["url"],
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": names[1],
        },
    ).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in seen] == [names[1]]
    assert count(site, COUNT, **{"named-graph-uri": names[1]}) == 0
    # in a form POST too
    posted = call(site["url"], "POST", **form(COUNT, **{"default-graph-uri": names[0]})).json()
    assert int(posted["results"]["bindings"][0]["n"]["value"]) == per_doc[0]


# -- limits ---------------------------------------------------------------------------------


def test_time_limit_stops_the_query_and_the_next_one_works(site) -> None:
    svc = site["service"]
    pids = {w.process.pid for w in svc._all}
    started = time.monotonic()
    reply = call(site["url"], params={"query": EXPLOSIVE})
    elapsed = time.monotonic() - started
    assert reply.status == 503
    assert reply.json()["error"] == f"the query ran longer than {TIMEOUT} s and was stopped"
    assert reply.headers["Retry-After"]
    assert TIMEOUT - 0.2 < elapsed < TIMEOUT + 1
    # the worker that ran it is gone (killed, not left computing)
    gone = pids - {w.process.pid for w in svc._all}
    assert len(gone) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pop(), 0)
    started = time.monotonic()
    assert count(site, COUNT) > 1000
    assert time.monotonic() - started < TIMEOUT


def test_row_cap_cuts_the_answer_and_says_so(site) -> None:
    big = call(site["url"], params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert big.status == 200
    assert len(big.json()["results"]["bindings"]) == MAX_ROWS
    assert big.headers["X-GovKG-Truncated"] == "true"
    assert big.headers["X-GovKG-Row-Limit"] == str(MAX_ROWS)
    as_csv = call(site["url"], params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(as_csv.body.decode())))) == MAX_ROWS + 1
    assert as_csv.headers["X-GovKG-Truncated"] == "true"
    graph = call(site["url"], params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.N_TRIPLES))) == MAX_ROWS
    assert graph.headers["X-GovKG-Truncated"] == "true"
    small = call(site["url"], params={"query": PEOPLE})
    assert "X-GovKG-Truncated" not in small.headers


# -- CORS, service description -------------------------------------------------------------


def test_cors(site) -> None:
    got = call(site["url"], params={"query": COUNT}, headers={"Origin": "https://example.org"})
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-GovKG-Truncated" in got.headers["Access-Control-Expose-Headers"]
    preflight = call(
        site["url"],
        "OPTIONS",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    posted = call(site["url"], "POST", **form(COUNT))
    assert posted.headers["Access-Control-Allow-Origin"] == "*"


def test_service_description(site) -> None:
    reply = call(site["url"])
    assert reply.status == 200 and reply.type == "text/turtle"
    graph = [q.triple for q in ox.parse(reply.body, format=ox.RdfFormat.TURTLE)]

    def objects(subject: Any, predicate: str) -> set[str]:
        return {
            t.object.value
            for t in graph
            if (subject is None or t.subject == subject) and t.predicate.value == SD + predicate
        }

    endpoint = ox.NamedNode(site["url"])
    assert objects(endpoint, "endpoint") == {site["url"]}
    assert objects(endpoint, "supportedLanguage") == {SD + "SPARQL11Query"}
    assert SD + "UnionDefaultGraph" in objects(endpoint, "feature")
    formats = objects(endpoint, "resultFormat")
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    names = objects(None, "name")
    documents = site["store"].documents()
    assert names == {d["document"] for d in documents}
    as_jsonld = call(site["url"], headers={"Accept": "application/ld+json"})
    assert as_jsonld.type == "application/ld+json"
    assert len(list(ox.parse(as_jsonld.body, format=ox.RdfFormat.JSON_LD))) == len(graph)


def test_browser_asking_for_sparql_goes_to_the_editor(site) -> None:
    reply = call(site["url"], headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status == 303
    assert reply.headers["Location"].endswith("/query")


# -- a new ingest ----------------------------------------------------------------------------


def test_workers_see_a_new_ingest(tmp_path: Path, fake_extract) -> None:
    from kg.pipeline import ingest_paths
    from kg.sparqlservice import SparqlService
    from kg.store import Store

    files = tmp_path / "minutes"
    files.mkdir()
    (files / "one.txt").write_text(GOOD_MINUTES, encoding="utf-8")
    data = tmp_path / "data"
    with Store(data) as store:
        assert ingest_paths([files / "one.txt"], store).ok
    people = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }"
    with SparqlService(data, workers=1) as svc:
        first = json.loads(svc.run(people, fmt="json").body)
        assert first["results"]["bindings"][0]["n"]["value"] == "2"
        (files / "two.txt").write_text(
            GOOD_MINUTES.replace("Bob Evans", "Cai Morgan, Dee Lloyd"), encoding="utf-8"
        )
        with Store(data) as store:
            assert ingest_paths([files / "two.txt"], store).ok
        time.sleep(1.1)  # a worker looks for changes at most once a second
        second = json.loads(svc.run(people, fmt="json").body)
        assert second["results"]["bindings"][0]["n"]["value"] == "4"
