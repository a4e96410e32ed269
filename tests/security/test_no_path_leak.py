"""No public surface publishes the server's file paths (issue 9).

Minutes ingested from an absolute folder (named like a user's home) must not show that
folder in any answer of the SPARQL endpoint, the dumps, the Linked Data views or the web
pages: the graph holds each file's name (gkg:sourcePath) and a hash of its path
(gkg:sourceKey), and ingesting the same path again still replaces its document. Real
store, real waitress server on 127.0.0.1, real HTTP.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from kg.build import source_key

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FOLDER_NAME = "home-someone-private-minutes"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the absolute folder the samples were ingested from, the data directory)."""
    from kg.pipeline import ingest_paths
    from kg.store import Store

    root = tmp_path_factory.mktemp("leak")
    folder = (root / FOLDER_NAME).resolve()
    shutil.copytree(SAMPLES, folder)
    data = root / "data"
    with Store(data) as store:
        report = ingest_paths([folder], store)
    assert report.ok and len(report.added) == 4, report.failed
    return folder, data


@pytest.fixture(scope="module")
def server(ingested: tuple[Path, Path]) -> Iterator[str]:
    from tests.security.conftest import serving
    from web import create_app

    _, data = ingested
    app = create_app({"DATA": str(data), "SPARQL_MAX_ROWS": 100_000, "WARM_PAGES": False})
    with serving(app) as base:
        yield base


def get(url: str, accept: str = "text/html") -> str:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read().decode("utf-8", "replace")


def leaks(folder: Path, text: str) -> bool:
    """Whether `text` names the folder (as written, or percent-encoded in a URL)."""
    return any(
        needle in text
        for needle in (str(folder), FOLDER_NAME, quote(str(folder)), str(folder.parent))
    )


def test_the_graph_holds_file_names_and_path_keys(ingested) -> None:
    from kg.store import Store

    folder, data = ingested
    with Store(data, read_only=True) as store:
        _, rows = store.select(
            "SELECT ?path ?key WHERE { GRAPH ?g { ?g gkg:sourcePath ?path ; gkg:sourceKey ?key } }"
        )
        assert sorted(r["path"] for r in rows) == sorted(p.name for p in SAMPLES.iterdir())
        assert {r["key"] for r in rows} == {source_key(str(p)) for p in folder.iterdir()}
        assert not leaks(folder, "".join(str(q) for q in store.store))


def test_sparql_answers_do_not_name_the_folder(server, ingested) -> None:
    folder, _ = ingested
    for query in (
        "SELECT ?o WHERE { ?s ?p ?o }",
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    ):
        accept = "application/sparql-results+json, text/turtle;q=0.9"
        body = get(f"{server}/sparql?query={quote(query)}", accept)
        assert len(body) > 10_000  # it did answer, with the file names:
        assert "tintern_cc_minutes_2019-03-25.txt" in body
        assert not leaks(folder, body), query


def test_dumps_do_not_name_the_folder(server, ingested) -> None:
    folder, _ = ingested
    for name in ("govkg.trig", "govkg.nq", "govkg.ttl", "govkg.nt"):
        body = get(f"{server}/dumps/{name}", "*/*")
        assert "sourceKey" in body or "sourcekey" in body.lower()
        assert not leaks(folder, body), name


def test_linked_data_and_pages_do_not_name_the_folder(server, ingested) -> None:
    """The documents' Linked Data in Turtle and JSON-LD, then every page reachable from
    the home page (a bounded crawl: the meetings, their documents, people, topics...)."""
    from kg import iris
    from kg.store import Store

    folder, data = ingested

    with Store(data, read_only=True) as store:
        documents = [d["document"] for d in store.documents()]
    assert len(documents) == 4
    for iri in documents:
        path = "/id/" + str(iri).removeprefix(iris.base())
        for accept in ("text/turtle", "application/ld+json", "application/trig", "text/html"):
            body = get(f"{server}{path}", accept)
            assert "tintern" in body or "portland" in body or "stoke" in body or "mercia" in body
            assert not leaks(folder, body), (path, accept)
    seen: set[str] = set()
    todo = ["/", "/meetings", "/actions", "/search?q=police", "/dumps"]
    while todo and len(seen) < 80:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            body = get(urljoin(server, path))
        except urllib.error.HTTPError as exc:
            assert exc.code in (404, 406), path
            continue
        assert not leaks(folder, body), path
        for href in re.findall(r'href="(/[^"#]*)"', body):
            if (
                not href.startswith(("/static", "/dumps/", "/source/", "/sparql"))
                and href not in seen
            ):
                todo.append(href.replace("&amp;", "&"))
    assert len(seen) >= 30


def test_reingesting_the_same_path_replaces_its_document(ingested, tmp_path: Path) -> None:
    from kg.pipeline import ingest_paths
    from kg.store import Store

    folder, data = ingested
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    name = "stoke_ferry_pc_minutes_2015-01-14.md"
    with Store(copy) as store:
        old = store.document_for_path(str(folder / name))
        assert old is not None
        same = ingest_paths([folder / name], store)
        assert same.unchanged and not same.added and not same.replaced
        changed = folder.parent / "changed" / FOLDER_NAME
        shutil.copytree(folder, changed)
        # the same path, other bytes: written in the ingested folder itself
        original = (folder / name).read_bytes()
        try:
            (folder / name).write_bytes(original + b"\nAOB: none.\n")
            report = ingest_paths([folder / name], store)
        finally:
            (folder / name).write_bytes(original)
        assert report.ok and len(report.replaced) == 1 and not report.added, report
        assert len(store.documents()) == 4
        new = store.document_for_path(str(folder / name))
        assert new not in (None, old)
        # another folder with the same file name is another document
        other = ingest_paths([changed / "tintern_cc_minutes_2019-03-25.txt"], store)
        assert other.unchanged  # same bytes: stored already, under any path
