"""Readers never see half a document: a real server answers SPARQL and search over a data
directory while real `govkg ingest` processes write to it. Every answer must hold each
document whole or not at all (its graph's triple count is 0 or the final one; its
action units in search are none or all), and the server never fails."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from kg import iris
from tests.conftest import load_bench
from tests.web.browser import live_server

GOVKG = [sys.executable, "-m", "kg"]
BATCHES = 3
PER_BATCH = 5

PER_GRAPH = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a gkg:SourceDocument } "
    "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def graph_counts(base: str) -> tuple[int, dict[str, int]]:
    query = urllib.parse.urlencode({"query": PER_GRAPH, "format": "json"})
    status, body = get(f"{base}/sparql?{query}")
    if status != 200:
        return status, {}
    rows = json.loads(body)["results"]["bindings"]
    return status, {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def action_hits(base: str) -> tuple[int, dict[str, int]]:
    status, body = get(f"{base}/api/search?q=kind%3Aaction")
    if status != 200:
        return status, {}
    data = json.loads(body)
    assert data["total"] == len(data["hits"]), "every hit on one page"
    return status, dict(Counter(hit["doc"] for hit in data["hits"]))


def test_readers_see_whole_documents_while_ingest_writes(tmp_path: Path) -> None:
    from web import create_app

    minutes = tmp_path / "minutes"
    load_bench("synthetic_minutes").generate(minutes, BATCHES * PER_BATCH, seed=3)
    files = sorted(minutes.iterdir())
    documents = {
        iris.document_iri(hashlib.sha256(f.read_bytes()).hexdigest()).value: f for f in files
    }
    batches = [tmp_path / f"batch{i}" for i in range(BATCHES)]
    for i, folder in enumerate(batches):
        folder.mkdir()
        for f in files[i::BATCHES]:
            f.rename(folder / f.name)

    data = tmp_path / "data"
    # the server needs a store to open: the first batch goes in before it starts
    first = subprocess.run(
        [*GOVKG, "--data", str(data), "ingest", str(batches[0])], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    app = create_app({"DATA": str(data), "PER_PAGE": 500, "SPARQL_WORKERS": 1})
    seen_graphs: list[dict[str, int]] = []
    seen_hits: list[dict[str, int]] = []
    failures: list[str] = []
    done = threading.Event()

    def poll(base: str) -> None:
        while not done.is_set():
            status, counts = graph_counts(base)
            if status != 200:
                failures.append(f"/sparql answered {status}")
            else:
                seen_graphs.append(counts)
            status, hits = action_hits(base)
            if status != 200:
                failures.append(f"/api/search answered {status}")
            else:
                seen_hits.append(hits)
            status, _ = get(f"{base}/?q=budget")
            if status != 200:
                failures.append(f"/?q=budget answered {status}")

    with live_server(app) as base:
        pollers = [threading.Thread(target=poll, args=(base,)) for _ in range(2)]
        for t in pollers:
            t.start()
        try:
            for folder in batches[1:]:
                run = subprocess.run(
                    [*GOVKG, "--data", str(data), "ingest", str(folder)],
                    capture_output=True,
                    text=True,
                )
                assert run.returncode == 0, run.stderr
            time.sleep(1.5)  # the server notices a change within a second
        finally:
            done.set()
            for t in pollers:
                t.join(timeout=120)
        final_status, final_graphs = graph_counts(base)
        _, final_hits = action_hits(base)

    assert final_status == 200
    assert set(final_graphs) == set(documents), "the server sees every document at the end"
    assert not failures, failures[:5]
    assert len(seen_graphs) >= 5 and len(seen_hits) >= 5
    print(f"{len(seen_graphs)} SPARQL and {len(seen_hits)} search answers checked")
    shas = {iri.rsplit("/", 1)[-1]: iri for iri in documents}
    for counts in seen_graphs:
        for graph, n in counts.items():
            assert n == final_graphs[graph], (
                f"{documents[graph].name}: {n} of {final_graphs[graph]}"
            )
    for hits in seen_hits:
        for sha, n in hits.items():
            assert sha in shas
            assert n == final_hits[sha], f"{sha[:8]}: {n} of {final_hits[sha]} action units"
    # and the polls saw the ingest happen: a state after the first batch, before the end
    sizes = {len(c) for c in seen_graphs}
    assert any(PER_BATCH < n < len(documents) for n in sizes), sizes
