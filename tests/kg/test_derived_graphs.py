"""The derived graphs (identity, follow-up links, review) follow the documents when the
LIBRARY ingests (kg.pipeline.ingest_paths), with no CLI call: on eight meetings of the
Tintern series, on a real store on disk. Re-ingesting changes nothing; a replaced file
relinks its series and keeps its review decisions; a crash before the derive pass is
repaired by the next ingest; `govkg stats` counts the derived graphs apart."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import iris, review
from kg.cli import main
from kg.ledger import CONFIDENT, ledger_graph_iri
from kg.pipeline import DERIVE_MARKER, ingest_paths
from kg.store import Store
from tests.conftest import DATA, needs_pipeline

pytestmark = needs_pipeline

MEETINGS = sorted((DATA / "tintern_series").glob("*.txt"))[:8]
IDENTITY = f"{iris.base()}graph/identity/"  # one graph per body (or series of files)
LINKS = ledger_graph_iri("").value


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """(minutes folder, data dir, the first report): eight meetings ingested once."""
    root = tmp_path_factory.mktemp("derived")
    files = root / "minutes"
    files.mkdir()
    for path in MEETINGS:
        shutil.copyfile(path, files / path.name)
    data = root / "data"
    with Store(data) as store:
        report = ingest_paths([files], store)
    assert report.ok, report.failed
    return files, data, report


@pytest.fixture
def copy(ingested: tuple[Path, Path, object], tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The minutes folder and a copy of the data dir, for a test that changes them: the
    files keep their paths (a changed file replaces its graph) and get their bytes back
    afterwards."""
    files, data, _ = ingested
    shutil.copytree(data, tmp_path / "data")
    original = {p: p.read_bytes() for p in files.iterdir()}
    try:
        yield files, tmp_path / "data"
    finally:
        for path, content in original.items():
            path.write_bytes(content)


@pytest.fixture
def opened(copy: tuple[Path, Path]) -> Iterator[tuple[Path, Store]]:
    files, data = copy
    with Store(data) as store:
        yield files, store


def snapshot(store: Store) -> dict[str, int]:
    return {
        **store.derived_counts(),
        **{f"graph {g}": n for g, n in graph_sizes(store).items()},
        "documents": len(store.documents()),
        "document quads": store.document_quads(),
    }


def graph_sizes(store: Store) -> dict[str, int]:
    return {
        g: len(list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(g))))
        for g in store.derived_graphs()
    }


def rows(store: Store, sparql: str) -> list[dict[str, str | None]]:
    return store.select(sparql)[1]


def dangling(store: Store) -> list[dict[str, str | None]]:
    """Follow-up evidence or a current status about a node no document holds any more."""
    return rows(
        store,
        f"SELECT ?x WHERE {{ GRAPH ?g {{ {{ ?fu gkg:evidence ?x }} UNION {{ ?x gkg:currentStatus ?s }} }} "
        f'FILTER(STRSTARTS(STR(?g), "{LINKS}")) '
        "FILTER NOT EXISTS { GRAPH ?d { ?d a gkg:SourceDocument . ?x a ?type } } }",
    )


def evidence_by_document(store: Store) -> dict[str, int]:
    """File name -> confident follow-ups whose evidence paragraph that file holds."""
    found = rows(
        store,
        "SELECT ?path (COUNT(DISTINCT ?fu) AS ?n) WHERE { "
        f"GRAPH ?g {{ ?fu gkg:evidence ?e ; gkg:confidence ?c }} FILTER(?c >= {CONFIDENT}) "
        "GRAPH ?d { ?d a gkg:SourceDocument ; gkg:sourcePath ?path . ?e a gkg:Paragraph } "
        "} GROUP BY ?path",
    )
    return {Path(str(r["path"])).name: int(r["n"] or 0) for r in found}


# -- the library ingest derives --------------------------------------------------------------
def test_library_ingest_writes_identity_and_follow_ups(ingested) -> None:
    _, data, report = ingested
    assert report.derived is not None and report.derived.full is False
    assert 0 < report.derive_seconds < report.seconds
    # the closing line is the same as before: the derive pass is reported apart
    assert re.fullmatch(
        r"ingested 8 documents \(8 new, 0 replaced, 0 unchanged, 0 failed\), "
        r"\d+ triples, \d+\.\d s",
        report.summary(),
    )
    assert not (data / DERIVE_MARKER).exists()
    with Store(data, read_only=True) as store:
        counts = store.derived_counts()
        graphs = store.derived_graphs()
        assert [g for g in graphs if g.startswith(IDENTITY)]
        assert f"{iris.base()}graph/identity" not in graphs  # the single graph of old
        [series] = [g for g in graphs if g.startswith(LINKS)]
        assert counts["linked_series"] == 1
        # one person written several ways is one canonical person
        assert 0 < counts["people"] < counts["person_nodes"]
        assert counts["identity_links"] == counts["person_nodes"] - counts["people"]
        assert counts["tenures"] > 0 and counts["follow_ups"] > 0
        # every action of the series has its current status, some already followed up
        statuses = rows(
            store,
            "SELECT ?a ?s WHERE { ?a a gkg:Action . OPTIONAL { ?a gkg:currentStatus ?s } }",
        )
        assert statuses and all(r["s"] for r in statuses)
        assert {str(r["s"]).rsplit("#", 1)[-1] for r in statuses} > {"StatusOpen"}
        assert dangling(store) == []
        # the documents are counted as documents, the derived graphs apart
        assert len(store.documents()) == store.counts()["documents"] == 8
        assert store.dataset_quads() == store.document_quads() + counts["derived_quads"]
        assert counts["derived_quads"] == sum(graph_sizes(store).values()) > 0
        assert series in store.export("trig").decode()


def test_reingesting_the_same_files_changes_nothing(copy: tuple[Path, Path]) -> None:
    files, data = copy
    with Store(data) as store:
        before = snapshot(store)
        again = ingest_paths([files], store)
        assert (len(again.unchanged), again.triples, again.derived) == (8, 0, None)
        assert snapshot(store) == before


# -- a replaced file -------------------------------------------------------------------------
def test_replacing_a_file_relinks_its_series_and_keeps_review_decisions(opened) -> None:
    files, store = opened
    before = evidence_by_document(store)
    name = max(before, key=lambda k: (before[k], k))  # the file most follow-ups cite
    path = files / name
    old_sha = store.document_for_path(str(path.resolve()))
    assert old_sha
    [action] = rows(
        store,
        f"SELECT ?a ?text WHERE {{ GRAPH {iris.document_iri(old_sha)} {{ "
        "?a a gkg:Action ; gkg:text ?text } } ORDER BY ?a LIMIT 1",
    )
    review.decide(store, str(action["a"]), review.REJECTED, by="tester", note="not an action")
    decisions_before = store.derived_counts()["review_decisions"]

    path.write_bytes(path.read_bytes() + b"\nAddendum: a line added after publication.\n")
    report = ingest_paths([files], store)
    assert (len(report.replaced), len(report.unchanged)) == (1, 7)
    assert report.derived is not None and report.derived.reattached == 1
    # only the series of the replaced file was relinked
    assert [ledger_graph_iri(s).value for s in report.derived.series] == [
        g for g in store.derived_graphs() if g.startswith(LINKS)
    ]
    # the links now cite the new document's paragraphs, none of the replaced one's
    assert evidence_by_document(store) == before
    assert dangling(store) == []
    new_sha = store.document_for_path(str(path.resolve()))
    assert new_sha != old_sha
    cited = rows(
        store,
        f'SELECT ?e WHERE {{ GRAPH ?g {{ ?fu gkg:evidence ?e }} FILTER(STRSTARTS(STR(?g), "{LINKS}")) '
        f'FILTER(CONTAINS(STR(?e), "{old_sha[:8]}")) }}',
    )
    assert cited == []
    # the decision followed the action into the new graph, and still wins
    [decision] = review.decisions(store)
    assert decision.target != action["a"] and decision.present
    assert decision.decision == review.REJECTED and decision.by == "tester"
    assert store.derived_counts()["review_decisions"] == decisions_before == 1
    moved_to = rows(
        store,
        f"SELECT ?t WHERE {{ GRAPH {iris.document_iri(new_sha)} {{ <{decision.target}> gkg:text ?t }} }}",
    )
    assert moved_to == [{"t": action["text"]}]
    # a backup carries the review graph
    assert f"{iris.base()}graph/review" in store.export("nquads").decode()


# -- crash safety ----------------------------------------------------------------------------
def test_a_crash_before_the_derive_pass_is_repaired_by_the_next_ingest(
    opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, store = opened
    before = evidence_by_document(store)
    name = max(before, key=lambda k: (before[k], k))
    path = files / name
    path.write_bytes(path.read_bytes() + b"\nAddendum: a line added after publication.\n")

    def crash(*_a: object, **_k: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr("kg.ledger.link_store", crash)
    with pytest.raises(RuntimeError, match="killed"):
        ingest_paths([files], store)
    monkeypatch.undo()
    # the document was written, the links were not: they cite the replaced file
    assert len(store.documents()) == 8 and dangling(store) != []
    assert (store.path / DERIVE_MARKER).exists()

    again = ingest_paths([files], store)  # nothing new to read: the marker alone
    assert (len(again.unchanged), again.triples) == (8, 0)
    assert again.derived is not None and again.derived.full
    assert dangling(store) == [] and evidence_by_document(store) == before
    assert not (store.path / DERIVE_MARKER).exists()


def test_ingest_without_derive_leaves_the_marker_for_the_next(opened) -> None:
    files, store = opened
    path = files / MEETINGS[-1].name
    path.write_bytes(path.read_bytes() + b"\nAddendum.\n")
    skipped = ingest_paths([files], store, derive=False)
    assert len(skipped.replaced) == 1 and skipped.derived is None
    assert skipped.derive_seconds == 0.0 and (store.path / DERIVE_MARKER).exists()
    assert dangling(store) != []
    again = ingest_paths([files], store)
    assert again.derived is not None and again.derived.full and dangling(store) == []


# -- the CLI ---------------------------------------------------------------------------------
def test_stats_counts_documents_and_derived_graphs_apart(ingested) -> None:
    _, data, _ = ingested
    with Store(data, read_only=True) as store:
        derived = store.derived_counts()
        counts = store.counts()
    result = CliRunner().invoke(main, ["--data", str(data), "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["documents"], stats["quads"]) == (8, counts["quads"])
    assert (stats["people"], stats["person_nodes"]) == (derived["people"], derived["person_nodes"])
    for key in ("identity_links", "tenures", "follow_ups", "review_decisions", "derived_graphs"):
        assert stats[key] == derived[key], key
    text = CliRunner().invoke(main, ["--data", str(data), "stats"]).stdout
    assert re.search(
        rf"^people\s+{derived['people']} \({derived['person_nodes']} person nodes\)$", text, re.M
    )
    assert re.search(r"^documents\s+8$", text, re.M)
    assert re.search(rf"^derived graphs\s+{derived['derived_graphs']}$", text, re.M)
    assert re.search(rf"^  follow ups\s+{derived['follow_ups']}$", text, re.M)
    assert re.search(rf"^  identity links\s+{derived['identity_links']}$", text, re.M)


def test_cli_ingest_prints_the_derive_pass_after_its_summary(copy: tuple[Path, Path]) -> None:
    files, data = copy
    path = files / MEETINGS[0].name
    path.write_bytes(path.read_bytes() + b"\nAddendum.\n")
    result = CliRunner().invoke(main, ["--data", str(data), "ingest", str(files)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("ingested 8 documents (0 new, 1 replaced, 7 unchanged, 0 failed)")
    assert any(re.fullmatch(r"linked \d+ actions of 1 series: .*", ln) for ln in lines[1:])
    again = CliRunner().invoke(main, ["--data", str(data), "ingest", str(files)])
    assert again.stderr.splitlines() == [again.stderr.splitlines()[0]]
