"""Linked Data over the corpus: data IRIs dereference as RDF by content negotiation,
suffix or ?format=, HTML stays the browser's default; /ontology documents govkg.ttl;
VoID counts agree with the store; the dumps round-trip."""

from __future__ import annotations

import gzip
import json
import re
import urllib.request
import warnings
from html import unescape

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.namespace import OWL

from kg import iris
from kg.store import Store
from tests.web.browser import axe_problems, chromium, guard, live_server, require_browser

VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
KINDS = (
    "meeting",
    "person",
    "org",
    "place",
    "topic",
    "role",
    "item",
    "statement",
    "action",
    "paragraph",
    "membership",
)
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def store(corpus_index):
    data_dir, _ = corpus_index
    st = Store(data_dir, read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="module")
def examples(store) -> dict[str, str]:
    """One IRI of each kind (the first by IRI), from the store itself."""
    out = {}
    for kind in KINDS:
        prefix = f"{iris.base()}{kind}/"
        _, rows = store.select(
            f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{prefix}")) }} '
            "ORDER BY ?s LIMIT 1"
        )
        assert rows, f"the corpus has no {kind}"
        out[kind] = str(rows[0]["s"])
    return out


def path_of(iri: str) -> str:
    return "/id/" + iri[len(iris.base()) :]


def count(store: Store, where: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[1][0]["n"] or 0)


def parse(body: bytes, fmt: str) -> rdflib.Graph:
    g = rdflib.Graph()
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser still builds a ConjunctiveGraph (deprecated in 7.x)
        warnings.simplefilter("ignore", DeprecationWarning)
        g.parse(data=body, format=fmt)
    return g


def parse_dataset(body: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    """Named graphs of a TriG/N-Quads body: {graph name: its triples}."""
    ds = rdflib.Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(data=body, format=fmt)
        graphs = {}
        for ctx in ds.contexts():
            if len(ctx) and str(ctx.identifier) != "urn:x-rdflib:default":
                graphs[str(ctx.identifier)] = ctx
    return graphs


# -- dereferencing ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_iri_dereferences_in_each_rdf_format(client, store, examples, kind):
    iri = examples[kind]
    own = count(store, f"<{iri}> ?p ?o")
    sizes = set()
    for media_type, fmt in RDF_FORMATS.items():
        r = client.get(path_of(iri), headers={"Accept": media_type})
        assert r.status_code == 200, (media_type, r.status_code)
        assert r.mimetype == media_type
        assert "Accept" in r.headers["Vary"]
        g = parse(r.data, fmt)
        subject = URIRef(iri)
        # every triple it is the subject of, in the union graph
        assert len(list(g.triples((subject, None, None)))) == own
        sizes.add(len(g))
    assert len(sizes) == 1, f"the formats disagree: {sizes}"


def test_a_description_names_what_it_links_to_and_what_links_to_it(client, store, examples):
    meeting = URIRef(examples["meeting"])
    g = parse(client.get(path_of(meeting), headers={"Accept": "text/turtle"}).data, "turtle")
    linked = {o for o in g.objects(meeting, None) if isinstance(o, URIRef)}
    people = [o for o in linked if "/person/" in str(o)]
    assert people, "a meeting links to people"
    assert all(g.value(p, URIRef("http://xmlns.com/foaf/0.1/name")) for p in people)
    incoming = count(store, f"?s ?p <{meeting}>")
    assert len(list(g.triples((None, None, meeting)))) == min(incoming, 1000)
    assert len(g) <= 5000


def test_browsers_and_plain_clients_get_html(client, examples):
    path = path_of(examples["person"])
    for accept in (BROWSER_ACCEPT, "*/*", None, "text/html"):
        r = client.get(path, headers={"Accept": accept} if accept else {})
        assert r.status_code == 200
        assert r.mimetype == "text/html", accept
        assert "Accept" in r.headers["Vary"]
        assert 'type="text/turtle"' in r.headers["Link"]


def test_rdf_is_served_when_preferred_over_html(client, examples):
    path = path_of(examples["topic"])
    r = client.get(path, headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert r.mimetype == "text/turtle"
    r = client.get(path, headers={"Accept": "text/turtle;q=0.5, text/html"})
    assert r.mimetype == "text/html"


def test_suffix_and_format_parameter_download_the_description(client, examples):
    iri = examples["org"]
    path = path_of(iri)
    slug = path.rsplit("/", 1)[1]
    cases = {
        f"{path}.ttl": ("text/turtle", "turtle", f"org-{slug}.ttl"),
        f"{path}.nt": ("application/n-triples", "nt", f"org-{slug}.nt"),
        f"{path}.jsonld": ("application/ld+json", "json-ld", f"org-{slug}.jsonld"),
        f"{path}?format=ttl": ("text/turtle", "turtle", f"org-{slug}.ttl"),
        f"{path}?format=jsonld": ("application/ld+json", "json-ld", f"org-{slug}.jsonld"),
    }
    for url, (media_type, fmt, filename) in cases.items():
        r = client.get(url, headers={"Accept": BROWSER_ACCEPT})
        assert r.status_code == 200, url
        assert r.mimetype == media_type, url
        assert r.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert (URIRef(iri), None, None) in parse(r.data, fmt)


def test_link_header_alternates_all_work(client, examples):
    r = client.get(path_of(examples["role"]), headers={"Accept": "text/turtle"})
    links = re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', r.headers["Link"])
    assert {t for _, t in links} == {"text/html", *RDF_FORMATS}
    for url, media_type in links:
        got = client.get(url)
        assert got.status_code == 200, url
        assert got.mimetype == media_type, url


def test_odd_accept_or_format_is_406_in_the_error_shape(client, examples):
    path = path_of(examples["person"])
    r = client.get(path, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get(path + "?format=pdf", headers={"Accept": "application/json"})
    assert r.status_code == 406
    body = r.get_json()
    assert body["ok"] is False and body["status"] == 406 and "ttl" in body["error"]


def test_unknown_iris_are_404(client):
    for url, accept in (
        ("/id/person/nobody-at-all", "text/turtle"),
        ("/id/person/nobody-at-all.ttl", BROWSER_ACCEPT),
        ("/id/topic/no-such-topic", "application/ld+json"),
        ("/id/document/" + "0" * 64, "application/trig"),
        ("/id/membership/no-such-membership", BROWSER_ACCEPT),
    ):
        assert client.get(url, headers={"Accept": accept}).status_code == 404, url
    r = client.get("/id/person/nobody-at-all", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.get_json() == {"ok": False, "error": r.get_json()["error"], "status": 404}


@pytest.mark.parametrize("kind", ["statement", "paragraph", "action", "item"])
def test_parts_as_html_redirect_to_their_paragraph(client, store, kind):
    # the part that starts furthest into its minutes: surely inside a paragraph
    prefix = f"{iris.base()}{kind}/"
    _, rows = store.select(
        f'SELECT ?s WHERE {{ ?s gkg:spanStart ?a FILTER(STRSTARTS(STR(?s), "{prefix}")) }} '
        "ORDER BY DESC(?a) ?s LIMIT 1"
    )
    r = client.get(path_of(str(rows[0]["s"])), headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 303
    assert re.match(r"^/meeting/[^#]+#p-\d+$", r.headers["Location"]), r.headers["Location"]
    assert client.get(r.headers["Location"].split("#")[0]).status_code == 200


def test_memberships_and_announced_meetings_redirect_to_a_meeting_page(client, store, examples):
    r = client.get(path_of(examples["membership"]), headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 303 and r.headers["Location"].startswith("/meeting/")
    _, rows = store.select("SELECT ?m ?n WHERE { ?m gkg:nextMeeting ?n } ORDER BY ?n LIMIT 1")
    nxt = str(rows[0]["n"])
    r = client.get(path_of(nxt), headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 303
    assert r.headers["Location"] == "/meeting/" + str(rows[0]["m"]).rsplit("/", 1)[1]
    assert client.get(r.headers["Location"]).status_code == 200
    g = parse(client.get(path_of(nxt) + ".ttl").data, "turtle")
    assert (URIRef(nxt), None, None) in g


def test_a_document_iri_gives_its_named_graph(client, store):
    doc = store.documents()[0]
    iri = str(doc["document"])
    r = client.get(path_of(iri), headers={"Accept": "application/trig"})
    assert r.status_code == 200 and r.mimetype == "application/trig"
    graphs = parse_dataset(r.data, "trig")
    assert set(graphs) == {iri}
    assert len(graphs[iri]) == count(store, f"GRAPH <{iri}> {{ ?s ?p ?o }}")
    r = client.get(path_of(iri) + ".nq")
    assert r.mimetype == "application/n-quads"
    assert len(r.data.splitlines()) == count(store, f"GRAPH <{iri}> {{ ?s ?p ?o }}")
    # its triples in Turtle; the HTML page is the meeting's
    assert (URIRef(iri), None, None) in parse(client.get(path_of(iri) + ".ttl").data, "turtle")
    assert client.get(path_of(iri), headers={"Accept": BROWSER_ACCEPT}).status_code == 303


def test_live_server_negotiates_over_http(corpus_app, examples):
    path = path_of(examples["place"])
    with live_server(corpus_app) as base:
        req = urllib.request.Request(base + path, headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
            assert "Accept" in resp.headers["Vary"]
            body = resp.read()
        assert (URIRef(examples["place"]), None, None) in parse(body, "turtle")
        req = urllib.request.Request(base + path, headers={"Accept": BROWSER_ACCEPT})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Type"].startswith("text/html")


# -- /ontology ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vocabulary() -> rdflib.Graph:
    from ontology import path

    g = rdflib.Graph()
    g.parse(path("govkg.ttl"), format="turtle")
    return g


def test_ontology_page_documents_every_class_with_its_comment_and_anchor(client, vocabulary):
    r = client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    ns = "https://w3id.org/govkg/ns#"
    classes = [c for c in vocabulary.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)]
    assert len(classes) >= 10
    for cls in classes:
        name = str(cls)[len(ns) :]
        assert f'id="{name}"' in html, name
        assert f'href="#{name}"' in html, name
        comment = " ".join(str(vocabulary.value(cls, RDFS.comment)).split())
        assert comment in unescape(html), name
    for prop in vocabulary.subjects(RDF.type, OWL.ObjectProperty):
        assert f'id="{str(prop)[len(ns) :]}"' in html
    # gkg:chair: domain Meeting, range foaf:Person, sub-property of gkg:attendee
    chair = html[html.index('id="chair"') :]
    chair = chair[: chair.index("</section>")]
    assert 'href="#Meeting"' in chair and "foaf:Person" in chair and 'href="#attendee"' in chair


def test_ontology_rdf_equals_the_file(client, vocabulary):
    from rdflib.compare import isomorphic

    from ontology import path

    r = client.get("/ontology.ttl")
    assert r.mimetype == "text/turtle"
    assert r.data == path("govkg.ttl").read_bytes()
    assert isomorphic(parse(r.data, "turtle"), vocabulary)
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle" and "Accept" in r.headers["Vary"]
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json"
    assert isomorphic(parse(r.data, "json-ld"), vocabulary)
    assert isomorphic(parse(client.get("/ontology.nt").data, "nt"), vocabulary)


# -- VoID -----------------------------------------------------------------------------------
def test_void_counts_equal_the_store(client, store):
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = parse(r.data, "turtle")
    ds = g.value(None, RDF.type, VOID.Dataset)
    assert ds is not None

    def number(prop):
        value = g.value(ds, prop)
        assert isinstance(value, Literal), prop
        return int(value)

    assert number(VOID.triples) == count(store, "?s ?p ?o")
    # documents: the source documents' graphs, not the derived ones beside them
    assert store.derived_graphs(), "the ingest wrote the identity and follow-up graphs"
    assert number(VOID.documents) == len(store.documents()) == store.counts()["documents"]
    assert number(VOID.distinctSubjects) == count(store, "SELECT DISTINCT ?s { ?s ?p ?o }")
    assert number(VOID.entities) == count(
        store, f'SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{iris.base()}")) }}'
    )
    _, rows = store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")
    expected = {str(r["c"]): int(r["n"] or 0) for r in rows}
    partitions = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
        for p in g.objects(ds, VOID.classPartition)
    }
    assert partitions == expected
    assert str(g.value(ds, VOID.uriSpace)) == "https://w3id.org/govkg/id/"
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    assert str(g.value(ds, DCT.license)) == "https://spdx.org/licenses/MIT"
    assert URIRef("https://w3id.org/govkg/ns#") in set(g.objects(ds, VOID.vocabulary))
    for example in g.objects(ds, VOID.exampleResource):
        assert client.get(path_of(str(example)) + ".ttl").status_code == 200
    dumps = sorted(str(d) for d in g.objects(ds, VOID.dataDump))
    assert len(dumps) == 4
    for url in dumps:
        assert client.get("/" + url.split("://", 1)[1].split("/", 1)[1]).status_code == 200
    # the other address and the other formats say the same
    from rdflib.compare import isomorphic

    assert isomorphic(parse(client.get("/void").data, "turtle"), g)
    r = client.get("/void", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json"
    assert isomorphic(parse(r.data, "json-ld"), g)


# -- dumps ----------------------------------------------------------------------------------
def test_dumps_round_trip(client, store):
    r = client.get("/dumps/govkg.trig")
    assert r.status_code == 200 and r.mimetype == "application/trig"
    assert r.headers["Content-Disposition"] == 'attachment; filename="govkg.trig"'
    trig = r.data
    graphs = parse_dataset(trig, "trig")
    # every named graph: the documents and the derived graphs (identity, follow-ups,
    # review decisions), which a backup must carry
    documents = {str(d["document"]) for d in store.documents()}
    derived = set(store.derived_graphs())
    assert any(g.startswith(f"{iris.base()}graph/identity/") for g in derived)
    assert set(graphs) == documents | derived and not documents & derived
    assert sum(len(graphs[g]) for g in documents) == store.document_quads()
    assert sum(len(g) for g in graphs.values()) == store.dataset_quads()
    assert store.dataset_quads() > store.document_quads()
    nq = client.get("/dumps/govkg.nq").data
    assert len(nq.splitlines()) == store.dataset_quads()
    ttl = client.get("/dumps/govkg.ttl")
    assert ttl.mimetype == "text/turtle"
    assert len(parse(ttl.data, "turtle")) == count(store, "?s ?p ?o")
    nt = client.get("/dumps/govkg.nt").data  # pyoxigraph's parser: rdflib's takes seconds
    triples = list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(triples) == len(nt.splitlines()) == count(store, "?s ?p ?o")
    # gzip: by name, or by Accept-Encoding
    r = client.get("/dumps/govkg.trig.gz")
    assert r.mimetype == "application/gzip"
    assert r.headers["Content-Disposition"] == 'attachment; filename="govkg.trig.gz"'
    assert gzip.decompress(r.data) == trig
    r = client.get("/dumps/govkg.trig", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"]
    assert gzip.decompress(r.data) == trig
    for bad in ("/dumps/govkg.json", "/dumps/..%2Foxigraph", "/dumps/oxigraph.gz"):
        assert client.get(bad).status_code == 404


def test_dumps_page_lists_every_dump(client, store):
    r = client.get("/dumps")
    html = r.get_data(as_text=True)
    for name in ("govkg.trig", "govkg.nq", "govkg.ttl", "govkg.nt"):
        assert f'href="/dumps/{name}"' in html and f'href="/dumps/{name}.gz"' in html
    assert f"{store.dataset_quads()} quads" in html
    assert 'href="/void"' in html and 'href="/ontology"' in html


def test_json_pages_of_entities_are_untouched(client, examples):
    r = client.get(path_of(examples["person"]), headers={"Accept": "application/json"})
    assert r.mimetype == "application/json"
    assert json.loads(r.data)["entity"]["iri"] == examples["person"]


# -- accessibility --------------------------------------------------------------------------
def test_axe_on_ontology_and_dumps_pages(corpus_index):
    require_browser()
    from web import create_app

    data_dir, _ = corpus_index
    app = create_app({"DATA": str(data_dir)})
    problems = []
    with live_server(app) as base, chromium() as browser:
        context = browser.new_context(bypass_csp=True)  # axe is injected as a script
        guard(context, base)
        p = context.new_page()
        for url in ("/ontology", "/dumps"):
            p.goto(base + url)
            problems += axe_problems(p, url)
        # a term IRI's fragment lands on its entry
        p.goto(base + "/ontology#Meeting")
        assert p.locator("[id='Meeting']").is_visible()
        context.close()
    assert not problems, "\n".join(problems)
