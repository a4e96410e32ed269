"""kg.upgrade and `govkg upgrade`: a store written before gkg:inMeeting and
gkg:buildVersion says so, and the upgrade makes it equal to a fresh ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import BUILD_VERSION
from kg.cli import main
from kg.examples import example
from kg.store import Store
from kg.upgrade import outdated_count, outdated_documents, outdated_message, upgrade

OLD_BUILD = """
PREFIX gkg: <https://w3id.org/govkg/ns#>
DELETE WHERE { GRAPH ?g { ?s gkg:inMeeting ?m } } ;
DELETE WHERE { ?s gkg:inMeeting ?m } ;
DELETE WHERE { GRAPH ?g { ?d gkg:buildVersion ?v } } ;
DELETE WHERE { ?d gkg:buildVersion ?v }
"""
"""Turns a store into what govkg wrote before build version 2 (neither triple)."""


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
