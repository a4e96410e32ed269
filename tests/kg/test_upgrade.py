"""kg.upgrade and `govkg upgrade`: a store written before gkg:inMeeting and
gkg:buildVersion says so, and the upgrade makes it equal to a fresh ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import BUILD_VERSION, source_key
from kg.cli import main
from kg.examples import example
from kg.store import Store
from kg.summaries import _summary_series, summary_graph_iri
from kg.upgrade import outdated_count, outdated_documents, outdated_message, upgrade
from tests.kg.conftest import SAMPLES

OLD_BUILD = """
PREFIX gkg: <https://w3id.org/govkg/ns#>
DELETE WHERE { GRAPH ?g { ?s gkg:inMeeting ?m } } ;
DELETE WHERE { ?s gkg:inMeeting ?m } ;
DELETE WHERE { GRAPH ?g { ?d gkg:buildVersion ?v } } ;
DELETE WHERE { ?d gkg:buildVersion ?v }
"""
"""Turns a store into what govkg wrote before build version 2 (neither triple)."""


def old_paths(folder: Path) -> str:
    """Turns a store's graphs into what govkg wrote before build version 3: gkg:sourcePath
    the absolute path of the file in `folder`, no gkg:sourceKey."""
    prefix = str(folder.resolve()) + "/"
    return (
        "PREFIX gkg: <https://w3id.org/govkg/ns#>\n"
        "DELETE { GRAPH ?g { ?g gkg:sourcePath ?n ; gkg:sourceKey ?k } "
        "?g gkg:sourcePath ?n ; gkg:sourceKey ?k }\n"
        "INSERT { GRAPH ?g { ?g gkg:sourcePath ?p } ?g gkg:sourcePath ?p }\n"
        "WHERE { GRAPH ?g { ?g gkg:sourcePath ?n ; gkg:sourceKey ?k } "
        f'BIND(CONCAT("{prefix}", ?n) AS ?p) }}'
    )


def quads(store: Store) -> set[ox.Quad]:
    """Every quad: the document graphs, the derived graphs and the stored union."""
    return set(store.store)


@pytest.fixture
def old_data(samples_data: Path, tmp_path: Path) -> Path:
    """A copy of the samples data directory as an older govkg left it."""
    data = tmp_path / "data"
    shutil.copytree(samples_data, data)
    with Store(data) as store:
        store.store.update(OLD_BUILD)
        store.store.update(old_paths(SAMPLES))
    return data


def test_a_fresh_ingest_is_up_to_date(samples_store: Store) -> None:
    assert outdated_count(samples_store) == 0
    assert outdated_documents(samples_store) == []
    assert outdated_message(0) == ""


def test_upgrade_gives_exactly_what_a_fresh_ingest_holds(
    samples_data: Path, old_data: Path
) -> None:
    with Store(samples_data, read_only=True) as fresh:
        expected = quads(fresh)
        documents = len(fresh.documents())
    with Store(old_data) as store:
        assert quads(store) != expected
        assert outdated_count(store) == documents == 4
        seen: list[tuple[int, int]] = []
        assert upgrade(store, batch=3, progress=lambda d, t: seen.append((d, t))) == documents
        assert seen == [(3, 4), (4, 4)]
        assert quads(store) == expected
        assert outdated_count(store) == 0
        assert upgrade(store) == 0  # again: nothing to do, nothing changes
        assert quads(store) == expected


def test_old_store_is_reported_by_stats_and_sparql(old_data: Path) -> None:
    runner = CliRunner()
    stats = runner.invoke(main, ["--data", str(old_data), "stats"])
    assert stats.exit_code == 0, stats.output
    assert "4 document graphs" in stats.output and "govkg upgrade" in stats.output
    # an example that follows gkg:inMeeting finds nothing in the old data, and says why
    ran = runner.invoke(
        main, ["--data", str(old_data), "sparql", "--example", "places-most-discussed"]
    )
    assert ran.exit_code == 0, ran.output
    assert "govkg upgrade" in ran.output


def test_cli_upgrade_then_the_examples_answer(old_data: Path) -> None:
    runner = CliRunner()
    query = example("places-most-discussed").query
    with Store(old_data, read_only=True) as store:
        assert list(store.query(query)) == []
    up = runner.invoke(main, ["--data", str(old_data), "upgrade"])
    assert up.exit_code == 0, up.output
    assert f"upgraded 4 document graphs to build version {BUILD_VERSION}" in up.output
    again = runner.invoke(main, ["--data", str(old_data), "upgrade"])
    assert "nothing to do" in again.output
    stats = runner.invoke(main, ["--data", str(old_data), "stats"])
    assert "govkg upgrade" not in stats.output
    with Store(old_data, read_only=True) as store:
        assert list(store.query(query))


def test_upgrade_removes_the_server_paths_and_keeps_recognising_the_files(
    old_data: Path, tmp_path: Path
) -> None:
    """An old store publishes /abs/folder/file paths; after `upgrade` no graph holds the
    folder, each document is keyed by the hash of its old path, and ingesting one of
    those files again (changed) replaces its graph instead of adding a second one."""
    from kg.pipeline import ingest_paths

    folder = str(SAMPLES.resolve())
    name = "tintern_cc_minutes_2019-03-25.txt"
    with Store(old_data) as store:
        before = store.document_for_path(f"{folder}/{name}")
        assert before is not None  # an old graph is recognised by its path
        assert folder in "".join(str(q) for q in store.store)
        upgrade(store)
        assert folder not in "".join(str(q) for q in store.store)
        _, rows = store.select(
            "SELECT ?path ?key WHERE { GRAPH ?g { ?g gkg:sourcePath ?path ; gkg:sourceKey ?key } }"
        )
        assert sorted(r["path"] for r in rows) == sorted(p.name for p in SAMPLES.iterdir())
        assert {r["key"] for r in rows} == {source_key(str(p)) for p in SAMPLES.resolve().iterdir()}
        assert store.document_for_path(f"{folder}/{name}") == before
    # the same path with other bytes: a replacement, still four documents
    changed = tmp_path / "samples"
    shutil.copytree(SAMPLES, changed)
    text = (changed / name).read_text(encoding="utf-8")
    (changed / name).write_text(text + "\nAOB: none.\n", encoding="utf-8")
    with Store(old_data) as store:
        store.store.update(
            "PREFIX gkg: <https://w3id.org/govkg/ns#>\n"
            "DELETE { GRAPH ?g { ?g gkg:sourceKey ?k } ?g gkg:sourceKey ?k }\n"
            "INSERT { GRAPH ?g { ?g gkg:sourceKey ?new } ?g gkg:sourceKey ?new }\n"
            "WHERE { GRAPH ?g { ?g gkg:sourceKey ?k } FILTER(?k = "
            f'"{source_key(f"{folder}/{name}")}") '
            f'BIND("{source_key(str((changed / name).resolve()))}" AS ?new) }}'
        )  # as if the samples had been ingested from the copy's folder
        report = ingest_paths([changed / name], store)
        assert report.ok, report.failed
        assert len(report.replaced) == 1 and not report.added
        assert len(store.documents()) == 4
        assert store.document_for_path(str((changed / name).resolve())) not in (None, before)


def test_cli_upgrade_builds_missing_summary_graphs(old_data: Path) -> None:
    """A store from before the per-series summaries: topics-shared-by-bodies reads them,
    so a store that is only served must get them from the upgrade."""
    query = example("topics-shared-by-bodies").query
    with Store(old_data) as store:
        before = list(store.query(query))
        for series in _summary_series(store):  # as a govkg before the summaries left it
            store.replace_graph(summary_graph_iri(series), [])
        assert list(store.query(query)) == [] != before
    up = CliRunner().invoke(main, ["--data", str(old_data), "upgrade"])
    assert up.exit_code == 0, up.output
    assert "built the summary graphs of" in up.output
    with Store(old_data, read_only=True) as store:
        assert list(store.query(query)) == before
    again = CliRunner().invoke(main, ["--data", str(old_data), "upgrade"])
    assert "summary graphs" not in again.output
