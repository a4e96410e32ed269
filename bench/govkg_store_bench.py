"""Benchmark govkg's own Store: per-document atomic writes with the union default graph.

`store_bench.py` compares storage engines; this measures what govkg does with the one it
chose: every document goes in through `Store.replace_document` (one SPARQL UPDATE that
also keeps the default graph equal to the set union of the document graphs), then one
document is replaced, then the README's first query runs over the default graph.

    python bench/govkg_store_bench.py --quads 20000      # CI size
    python bench/govkg_store_bench.py --quads 1000000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_graph import generate  # noqa: E402

from kg.store import Store  # noqa: E402

WHO_COMMITTED = """
SELECT ?date ?owner ?due ?text WHERE {
  ?a a gkg:Action ; gkg:text ?text ; gkg:raisedAt/dcterms:date ?date .
  OPTIONAL { ?a gkg:owner/foaf:name ?owner }
  OPTIONAL { ?a gkg:due ?due }
} ORDER BY DESC(?date)
"""
PER_SPEAKER = """
SELECT ?name (COUNT(?s) AS ?n) WHERE { ?s a gkg:Statement ; gkg:speaker/foaf:name ?name }
GROUP BY ?name ORDER BY DESC(?n) LIMIT 10
"""


def documents(n: int) -> dict[str, list[ox.Quad]]:
    """The synthetic quads grouped by document graph."""
    docs: dict[str, list[ox.Quad]] = defaultdict(list)
    data = "".join(generate(n)).encode()
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        docs[quad.graph_name.value].append(quad)
    return docs


def record_for(graph: str, path: str) -> SimpleNamespace:
    """What replace_document reads from a record: the source path and hash."""
    sha = graph.rsplit("/", 1)[-1]
    return SimpleNamespace(source=SimpleNamespace(path=path, sha256=sha))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quads", type=int, default=20000, help="size of the synthetic data")
    args = ap.parse_args(argv)

    docs = documents(args.quads)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data")
        # the synthetic graphs are named by slug; govkg names them by sha256
        renamed = {}
        for i, (graph, quads) in enumerate(docs.items()):
            sha = f"{i:064x}"
            target = ox.NamedNode(f"https://w3id.org/govkg/id/document/{sha}")
            renamed[sha] = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        t0 = time.perf_counter()
        per_doc = []
        for i, (sha, quads) in enumerate(renamed.items()):
            t = time.perf_counter()
            store.replace_document(record_for(sha, f"doc-{i}.txt"), quads)
            per_doc.append(time.perf_counter() - t)
        load = time.perf_counter() - t0

        # replace the first document by a copy under a new hash (a changed file)
        first_sha, first_quads = next(iter(renamed.items()))
        new_sha = "f" * 64
        target = ox.NamedNode(f"https://w3id.org/govkg/id/document/{new_sha}")
        changed = [ox.Quad(q.subject, q.predicate, q.object, target) for q in first_quads]
        t = time.perf_counter()
        store.replace_document(record_for(new_sha, "doc-0.txt"), changed)
        replace = time.perf_counter() - t

        timings = {}
        for name, query in (("who committed", WHO_COMMITTED), ("per speaker", PER_SPEAKER)):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                rows = store.select(query)[1]
                runs.append(time.perf_counter() - t)
            timings[name] = (statistics.median(runs), len(rows))
        store.close()

    print(f"quads {args.quads}, documents {len(docs)}")
    print(f"ingest through replace_document: {load:.2f} s ({args.quads / load:,.0f} quads/s)")
    print(f"  per document p50 {statistics.median(per_doc) * 1000:.0f} ms, max {max(per_doc) * 1000:.0f} ms")
    print(f"replace one document (old triples leave the union): {replace * 1000:.0f} ms")
    for name, (seconds, n) in timings.items():
        print(f"query '{name}': {seconds * 1000:.0f} ms, {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
