"""`--store URL`: the same ingest and queries against a real SPARQL 1.1 server.

The server is Oxigraph's (`oxigraph serve`, from the test extra) started on a free
127.0.0.1 port with a temporary --location; answers are compared with the embedded
store holding the same samples/ (tests/kg/conftest.py `samples_data`).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import iris, queries
from kg.cli import main
from kg.index import SearchIndex
from kg.indexing import agreement, index_dir
from kg.pipeline import ingest_paths
from kg.remote import Endpoints, RemoteStore
from kg.search import search
from kg.store import Store, StoreError, open_store
from tests.kg.conftest import SAMPLES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if found is None:
        pytest.fail("the `oxigraph` server is missing: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port; yields its base URL, stops it after."""
    port = _free_port()
    log = open(location.parent / f"oxigraph-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 30 s")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def samples_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server holding samples/ (read-only use)."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as url:
        yield url


@pytest.fixture(scope="session")
def remote_data(samples_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local data directory (sources, index) of samples/ ingested into the server."""
    data = tmp_path_factory.mktemp("remote") / "data"
    with RemoteStore(data, url=samples_server) as store:
        report = ingest_paths([SAMPLES], store)
    assert report.ok, report.failed
    assert len(report.added) == 4
    return data


@pytest.fixture(scope="session")
def remote(samples_server: str, remote_data: Path) -> Iterator[Store]:
    with open_store(remote_data, url=samples_server, read_only=True) as store:
        yield store


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """An empty server of this test's own."""
    with oxigraph_server(tmp_path / "db") as url:
        yield url


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def triples(store: Store, where: str) -> set[ox.Triple]:
    return set(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"))


# -- the same answers as the embedded store ---------------------------------------------
def test_counts_and_documents_match_the_embedded_store(remote: Store, samples_store: Store) -> None:
    assert isinstance(remote, RemoteStore)
    counts = remote.counts()
    assert counts == samples_store.counts()
    assert counts["documents"] == 4 and counts["triples"] > 1000
    # the derive pass ran over the server too, with the same result
    derived = remote.derived_counts()
    assert derived == samples_store.derived_counts() and derived["derived_graphs"] > 0
    # documents share nodes: the union (documents and derived graphs) is a set
    assert counts["quads"] + derived["derived_quads"] > counts["triples"]
    assert remote.documents() == samples_store.documents()
    assert not (remote_path := remote.path / "oxigraph").exists(), remote_path
    # the sources are still copied locally, one per document
    for doc in remote.documents():
        assert doc["sha256"] and remote.source_file(doc["sha256"]) is not None


def test_named_queries_give_the_same_rows(remote: Store, samples_store: Store) -> None:
    [first, *_] = samples_store.documents()
    person = samples_store.select(
        "SELECT ?p WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n LIMIT 1"
    )[1][0]["p"]
    assert person
    for query in (
        queries.actions_query(),
        queries.actions_query(sort="due"),
        queries.count_query(),
        queries.entity_feed_query(person, "person"),
        "SELECT ?n WHERE { ?m a gkg:Meeting ; dcterms:title ?n } ORDER BY ?n",
    ):
        assert remote.select(query) == samples_store.select(query), query
    assert remote.document_for_path(str(first["path"])) == first["sha256"]
    assert remote.document_for_path("/no/such/file.txt") is None
    assert remote.has_document(str(first["sha256"])) and not remote.has_document("0" * 64)
    assert bool(remote.query("ASK { ?a a gkg:Action }")) is True
    assert triples(remote, "?s a foaf:Person ; ?p ?o") == triples(
        samples_store, "?s a foaf:Person ; ?p ?o"
    )


def test_cli_actions_sparql_and_export_match(
    samples_server: str, remote_data: Path, samples_data: Path
) -> None:
    remote_cli = ("--store", samples_server, "--data", str(remote_data))
    local_cli = ("--data", str(samples_data))
    for args in (
        ("actions", "--format", "json"),
        ("sparql", "--format", "csv", "SELECT ?n WHERE { ?p foaf:name ?n } ORDER BY ?n"),
        ("sparql", "ASK { ?s a gkg:Meeting }"),
    ):
        code, out = cli(*remote_cli, *args)
        assert code == 0, out
        assert (code, out) == cli(*local_cli, *args), args
    assert len(json.loads(cli(*remote_cli, "actions", "--format", "json")[1])) > 10

    def quads(*prefix: str) -> set[ox.Quad]:
        code, out = cli(*prefix, "export", "--format", "nquads")
        assert code == 0, out
        return set(ox.parse(out.encode(), format=ox.RdfFormat.N_QUADS))

    local = quads(*local_cli)
    assert len(local) > 1000
    assert quads(*remote_cli) == local  # document graphs by the Graph Store Protocol
    # without a GSP endpoint the graphs come from one SELECT
    no_gsp = f"query={samples_server}/query,update={samples_server}/update"
    assert quads("--store", no_gsp, "--data", str(remote_data)) == local


def test_search_index_built_from_the_server(
    remote: Store, remote_data: Path, samples_index: SearchIndex
) -> None:
    with SearchIndex(index_dir(remote_data), read_only=True) as ix:
        assert agreement(remote, ix).agree
        for q in ("council", "kind:action", "police"):
            mine = search(ix, q, per_page=20)
            theirs = search(samples_index, q, per_page=20)
            assert mine.total == theirs.total > 0, q
            assert [h.id for h in mine.hits] == [h.id for h in theirs.hits], q


def test_cli_stats_end_to_end_and_from_the_environment(
    samples_server: str, remote_data: Path, samples_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = cli("--store", samples_server, "--data", str(remote_data), "stats", "--json")
    assert code == 0, out
    counts = json.loads(out)
    assert counts["documents"] == 4 and counts["index_agrees"] is True
    local = json.loads(cli("--data", str(samples_data), "stats", "--json")[1])
    assert counts == local
    monkeypatch.setenv("GOVKG_STORE_URL", samples_server)
    code, out = cli("--data", str(remote_data), "stats")
    assert code == 0, out
    assert "index agrees     yes" in out and "documents        4" in out


def test_web_pages_over_the_server(
    samples_server: str, remote_data: Path, samples_data: Path, samples_store: Store
) -> None:
    """`govkg --store URL serve` shows what the embedded store shows: the tracker, an
    entity's Linked Data description, VoID, a dump (the last three read quads by pattern
    through RemoteStore.store)."""
    person = samples_store.select(
        "SELECT ?p WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n LIMIT 1"
    )[1][0]["p"]
    assert person and person.startswith(iris.base())
    pages = [
        "/actions.json",
        "/void",
        "/dumps/govkg.nq",
        "/id/" + person.removeprefix(iris.base()).lstrip("/") + ".ttl",
    ]
    for page in pages:
        code, out = cli(
            "--store", samples_server, "--data", str(remote_data), "serve", "--get", page
        )
        assert code == 0, (page, out)
        assert out.strip(), page
        if page == "/actions.json":
            assert json.loads(out)["total"] > 10
        local = cli("--data", str(samples_data), "serve", "--get", page)
        assert (code, sorted(out.splitlines())) == (local[0], sorted(local[1].splitlines())), page


# -- writing ----------------------------------------------------------------------------
def test_reingest_adds_nothing(samples_server: str, remote_data: Path, tmp_path: Path) -> None:
    with RemoteStore(remote_data, url=samples_server) as store:
        before = store.counts()
        report = ingest_paths([SAMPLES], store)
        assert (len(report.unchanged), report.added, report.replaced) == (4, [], [])
        assert store.counts() == before


def test_replacing_a_file_keeps_the_default_graph_the_set_union(
    server: str, tmp_path: Path
) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    text = (SAMPLES / "tintern_cc_minutes_2019-03-25.txt").read_text(encoding="utf-8")
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(text + "\nAny other business: none.\n", encoding="utf-8")
    data = tmp_path / "data"
    with open_store(data, url=server) as store:
        assert ingest_paths([folder], store).ok
        old_sha = store.document_for_path(str(a.resolve()))
        assert old_sha and store.source_file(old_sha) is not None
        shared = triples(
            store, f"GRAPH {iris.document_iri(old_sha)} {{ VALUES ?p {{ foaf:name }} ?s ?p ?o }}"
        )
        assert shared  # people named in both a.txt and b.txt
        only_old = triples(
            store, f"GRAPH {iris.document_iri(old_sha)} {{ VALUES ?p {{ gkg:sha256 }} ?s ?p ?o }}"
        )

        a.write_text(
            (SAMPLES / "stoke_ferry_pc_minutes_2015-01-14.md").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        report = ingest_paths([a], store)
        assert report.replaced == [str(a)], report
        new_sha = store.document_for_path(str(a.resolve()))
        assert new_sha and new_sha != old_sha
        assert not store.has_document(old_sha) and store.has_document(new_sha)
        assert store.source_file(old_sha) is None and store.source_file(new_sha) is not None
        union = triples(store, "GRAPH ?g { ?s ?p ?o }")
        default = triples(store, "?s ?p ?o")
        assert default == union
        assert shared <= default  # b.txt still holds them
        assert not only_old & default  # only the old a.txt held them
        assert store.counts()["documents"] == 2
        with SearchIndex(index_dir(data), read_only=True) as ix:
            assert agreement(store, ix).agree

        remote_counts = store.counts()

    # the same steps on the embedded store give the same graphs
    with Store(tmp_path / "embedded") as local:
        a.write_text(text, encoding="utf-8")
        assert ingest_paths([folder], local).ok
        a.write_text(
            (SAMPLES / "stoke_ferry_pc_minutes_2015-01-14.md").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        assert ingest_paths([a], local).replaced == [str(a)]
        assert triples(local, "?s ?p ?o") == default
        assert triples(local, "GRAPH ?g { ?s ?p ?o }") == union
        assert local.counts() == remote_counts


def test_a_failed_replacement_writes_nothing(server: str, tmp_path: Path) -> None:
    """Store.replace_document's text is ONE update request, and Oxigraph server runs it
    in one transaction: an operation failing at its end (a LOAD the server refuses)
    undoes the DELETE, DROP and INSERT before it."""
    text = (SAMPLES / "tintern_cc_minutes_2019-03-25.txt").read_text(encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text(text, encoding="utf-8")
    with RemoteStore(tmp_path / "data", url=server) as store:
        assert ingest_paths([doc], store).ok
        old_sha = store.document_for_path(str(doc.resolve()))
        before = store.counts()
        before_triples = triples(store, "?s ?p ?o")
        sent: list[str] = []
        send = store._update

        def and_then_fail(sparql: str) -> None:
            sent.append(sparql)
            send(sparql + " ;\nLOAD <http://127.0.0.1:1/refused-before-any-connection>")

        store._update = and_then_fail  # type: ignore[method-assign]
        doc.write_text(text + "\nAny other business: none.\n", encoding="utf-8")
        report = ingest_paths([doc], store)
        [request] = sent
        assert "DROP SILENT GRAPH" in request and "INSERT DATA" in request
        [line] = report.failed
        assert f"{server}/update" in line and "HTTP 500" in line
        assert store.document_for_path(str(doc.resolve())) == old_sha
        assert store.counts() == before
        assert triples(store, "?s ?p ?o") == before_triples


# -- URLs and errors --------------------------------------------------------------------
def test_url_forms() -> None:
    assert Endpoints.parse("http://127.0.0.1:7878/") == Endpoints(
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store"
    )
    assert Endpoints.parse("http://127.0.0.1:3030/ds") == Endpoints(
        "http://127.0.0.1:3030/ds/sparql",
        "http://127.0.0.1:3030/ds/update",
        "http://127.0.0.1:3030/ds/data",
    )
    assert Endpoints.parse("query=http://h/q?a=1,gsp=http://h/g") == Endpoints(
        "http://h/q?a=1", None, "http://h/g"
    )
    for bad in (
        "ftp://h",
        "127.0.0.1:7878",
        "update=http://h/u",
        "query=http://h/q,query=http://h/r",
    ):
        with pytest.raises(StoreError):
            Endpoints.parse(bad)


def test_unreachable_server_is_one_line_and_exit_code_1(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    code, out = cli("--store", url, "--data", str(tmp_path), "stats")
    assert code == 1
    [line] = out.strip().splitlines()
    assert line.startswith("Error: ") and url in line and "cannot reach" in line
    code, out = cli("--store", url, "--data", str(tmp_path), "ingest", str(SAMPLES))
    assert code == 1 and len(out.strip().splitlines()) == 1


def test_server_errors_are_one_line(samples_server: str, tmp_path: Path) -> None:
    code, out = cli("--store", samples_server, "--data", str(tmp_path), "sparql", "SELEC ?x")
    assert code == 1
    [line] = out.strip().splitlines()
    assert f"{samples_server}/query" in line and "HTTP 400" in line
    wrong = f"query={samples_server}/nothing-here"
    code, out = cli("--store", wrong, "--data", str(tmp_path), "stats")
    assert code == 1 and len(out.strip().splitlines()) == 1 and "HTTP 404" in out
    # no update endpoint: reading works, writing is refused before anything is sent
    read_only = f"query={samples_server}/query"
    code, out = cli("--store", read_only, "--data", str(tmp_path), "ingest", str(SAMPLES))
    assert code == 1 and len(out.strip().splitlines()) == 1 and "no update endpoint" in out
    code, out = cli("--store", read_only, "--data", str(tmp_path), "stats", "--json")
    assert code == 0 and json.loads(out)["documents"] == 4
