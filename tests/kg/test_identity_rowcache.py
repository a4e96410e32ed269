"""One new meeting in a big store: the derive pass reads what changed, not the store.

kg.identity keeps each document's rows (DATA/identity-rows.sqlite) so that an incremental
refresh asks the store only about the documents it has not read before; kg.summaries
looks up the graphs of the series asked for instead of walking every graph. The derived
graphs must be those of a full recompute whatever the cache holds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from kg import identity, iris
from kg.namespace import GKG, ORG
from kg.pipeline import derive_graphs, ingest_paths
from kg.store import Store

SERIES = Path(__file__).resolve().parents[1] / "data" / "tintern_series"


class CountingStore(Store):
    """A real store that keeps the text of every SPARQL SELECT it is asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def select(self, sparql: str) -> tuple[list[str], list[dict[str, str | None]]]:
        self.asked.append(sparql)
        return super().select(sparql)


def _derived(store: Store) -> set[tuple[str, str]]:
    """Every quad of every derived graph (identity, ledger, summaries, review)."""
    out = set()
    for g in store.derived_graphs():
        _, rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        out |= {(g, f"{r['s']} {r['p']} {r['o']}") for r in rows}
    return out


def _read_by_graph(asked: list[str]) -> set[str]:
    """The document graphs whose rows kg.identity read one by one (its branches
    ``{ GRAPH <doc> { ... } BIND(<doc> AS ?g) }``; kg.ledger reads its series' own way)."""
    doc = re.escape(iris.document_iri("").value)
    return {m for q in asked for m in re.findall(rf"BIND\(<({doc}[0-9a-f]+)> AS \?g\)", q)}


def test_one_new_meeting_reads_only_its_own_rows_and_derives_what_a_full_pass_does(
    tmp_path: Path,
) -> None:
    files = sorted(SERIES.glob("*.txt"))
    data = tmp_path / "data"
    with CountingStore(data) as store:
        assert ingest_paths(files[:8], store).ok
        assert (data / identity.ROWS_FILE).is_file()
        store.asked.clear()
        report = ingest_paths([files[8]], store)
        assert report.ok and report.derived is not None and report.derived.identity
        ident = report.derived.identity
        # the body's 9 documents were recomputed, but only the new one was read from its graph
        assert not ident.full and ident.documents == 9
        new = iris.document_iri(store.document_for_path(str(files[8].resolve())) or "").value
        assert _read_by_graph(store.asked) == {new}
        incremental = _derived(store)
        full = derive_graphs(store)  # every derived graph recomputed from the store
        assert full.full and full.identity is not None and not full.identity.written
        assert _derived(store) == incremental
        # the ledger and the summaries were rewritten for the one series only
        assert report.derived.series == full.series and len(full.series) == 1


def test_a_document_graph_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    """`govkg upgrade` rewrites a graph under the same IRI and sets its build version: the
    rows kept for the old version are not used."""
    files = sorted(SERIES.glob("*.txt"))
    data = tmp_path / "data"
    with Store(data) as store:
        assert ingest_paths(files[:4], store).ok
        sha = store.document_for_path(str(files[0].resolve()))
        g = iris.document_iri(sha or "")
        _, rows = store.select(
            f"SELECT ?ms ?role WHERE {{ GRAPH {g} {{ ?ms a org:Membership ; org:role ?role }} }} "
            "ORDER BY ?ms LIMIT 1"
        )
        ms, role = rows[0]["ms"], rows[0]["role"]
        new_role = f"{iris.base()}role/keeper-of-the-test-rolls"
        role_p, version = f"<{ORG.role}>", f"<{GKG.buildVersion}>"
        # as `govkg upgrade` does: the graph and the union (default graph) alike
        store._update(
            f"DELETE DATA {{ GRAPH {g} {{ <{ms}> {role_p} <{role}> }} <{ms}> {role_p} <{role}> }} ;"
            f"DELETE {{ GRAPH {g} {{ {g} {version} ?v }} {g} {version} ?v }} "
            f"WHERE {{ GRAPH {g} {{ {g} {version} ?v }} }} ;"
            f"INSERT DATA {{ GRAPH {g} {{ <{ms}> {role_p} <{new_role}> . {g} {version} 99 }} "
            f"<{ms}> {role_p} <{new_role}> . {g} {version} 99 }}"
        )
        # the next ingest recomputes the body, whose rows are all in the cache by now
        assert ingest_paths([files[4]], store).ok
        _, tenures = store.select(f"SELECT ?t WHERE {{ ?t a gkg:Tenure ; org:role <{new_role}> }}")
        assert tenures, "the tenure of the role as rewritten"
        full = identity.refresh(store)
        assert full.full and not full.written


def test_a_broken_row_cache_is_only_slower(tmp_path: Path) -> None:
    files = sorted(SERIES.glob("*.txt"))
    data = tmp_path / "data"
    with Store(data) as store:
        assert ingest_paths(files[:3], store).ok
    (data / identity.ROWS_FILE).write_bytes(b"not a database" * 100)
    with Store(data) as store:
        report = ingest_paths([files[3]], store)
        assert report.ok and report.derived is not None and not report.derived.errors
        full = identity.refresh(store)
        assert full.full and not full.written


def test_a_copied_data_directory_keeps_its_cache_valid(tmp_path: Path) -> None:
    """Rows are kept by document IRI (the sha256 of the bytes): a copy of the data
    directory, or the same bytes ingested elsewhere, give the same rows."""
    files = sorted(SERIES.glob("*.txt"))
    first = tmp_path / "a"
    with Store(first) as store:
        assert ingest_paths(files[:5], store).ok
    second = tmp_path / "b"
    shutil.copytree(first, second)
    with Store(second) as store:
        assert ingest_paths([files[5]], store).ok
        incremental = _derived(store)
        assert identity.refresh(store).written is False
        assert _derived(store) == incremental
