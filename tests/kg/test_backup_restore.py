"""Backup and restore: `govkg export` (TriG) then `govkg import` gives the same store (every
named graph's quads), the same search index and the same answers to every example query;
a non-empty data directory is refused unless --replace; a bad dump changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import Store
from tests.conftest import load_bench

crash_trials = load_bench("crash_trials")


def run(data: Path, *args: str):
    return CliRunner().invoke(main, ["--data", str(data), *args])


def quads_by_graph(data: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with Store(data, read_only=True) as store:
        for q in store.store:
            out.setdefault(str(q.graph_name), set()).add(str(q.triple))
    return out


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 synthetic meetings ingested, one action rejected and one confirmed in review."""
    root = tmp_path_factory.mktemp("backup")
    minutes = root / "minutes"
    load_bench("synthetic_minutes").generate(minutes, 12, seed=11)
    data = root / "data"
    assert run(data, "ingest", str(minutes)).exit_code == 0
    with Store(data, read_only=True) as store:
        _, rows = store.select("SELECT ?a WHERE { ?a a gkg:Action } ORDER BY ?a LIMIT 2")
    first, second = (str(r["a"]) for r in rows)
    assert run(data, "review", "reject", first, "--note", "not an action").exit_code == 0
    assert run(data, "review", "confirm", second, "--by", "A Maintainer").exit_code == 0
    return data


@pytest.fixture(scope="module")
def dump(original: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dump") / "backup.trig"
    result = run(original, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_the_trig_export_holds_every_document_graph_and_the_review_graph(original, dump):
    graphs = {str(q.graph_name) for q in ox.parse(path=dump, format=ox.RdfFormat.TRIG)}
    with Store(original, read_only=True) as store:
        documents = {str(d["document"]) for d in store.documents()}
        assert len(documents) == 12
        assert documents <= {g.strip("<>") for g in graphs}
    assert "<https://w3id.org/govkg/id/graph/review>" in graphs
    assert "DefaultGraph" not in " ".join(graphs)  # the union is derived, not dumped


def test_import_restores_the_same_store_index_and_answers(original, dump, tmp_path):
    restored = tmp_path / "restored"
    result = run(restored, "import", str(dump))
    assert result.exit_code == 0, result.output
    assert "imported 12 documents" in result.output
    assert "2 review decisions" in result.output
    assert "12 documents have no copy of their original file" in result.output

    # the same quads in every named graph: documents, review, and the recomputed
    # derived graphs (identity, follow-up links); and the same union default graph
    assert quads_by_graph(restored) == quads_by_graph(original)
    expected = crash_trials.snapshot(original, sources=False)
    found = crash_trials.snapshot(restored, sources=False)
    assert crash_trials.differences(expected, found) == []
    assert found["index"] == {"documents": 12, "units": expected["index"]["units"], "agree": True}
    assert any(total for total, _ in found["searches"].values())
    assert len(found["examples"]) >= 10
    with Store(restored, read_only=True) as store:
        assert store.derived_counts()["review_decisions"] == 2


def test_import_refuses_a_non_empty_directory_unless_replace(original, dump, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(original, target)
    before = quads_by_graph(target)
    refused = run(target, "import", str(dump))
    assert refused.exit_code == 1
    assert "not empty" in refused.output and "--replace" in refused.output

    # a broken dump changes nothing, even with --replace
    broken = tmp_path / "broken.trig"
    broken.write_bytes(dump.read_bytes()[: len(dump.read_bytes()) // 2] + b" <x> <y> .")
    failed = run(target, "import", "--replace", str(broken))
    assert failed.exit_code == 1
    assert "cannot import" in failed.output
    assert quads_by_graph(target) == before
    assert not (target / ".import").exists()

    replaced = run(target, "import", "--replace", str(dump))
    assert replaced.exit_code == 0, replaced.output
    assert quads_by_graph(target) == before
    # the copies of the documents in the dump stay
    assert sorted(p.name for p in (target / "sources").iterdir()) == sorted(
        p.name for p in (original / "sources").iterdir()
    )


def test_import_restores_source_copies_from_a_folder(original, dump, tmp_path):
    restored = tmp_path / "restored"
    result = run(restored, "import", str(dump), "--sources", str(original / "sources"))
    assert result.exit_code == 0, result.output
    assert "restored 12 source files" in result.output
    assert "no copy of their original file" not in result.output
    assert sorted(p.name for p in (restored / "sources").iterdir()) == sorted(
        p.name for p in (original / "sources").iterdir()
    )


def test_a_dump_without_graph_names_is_refused(original, tmp_path):
    ttl = tmp_path / "union.ttl"
    assert run(original, "export", "--format", "turtle", "-o", str(ttl)).exit_code == 0
    refused = run(tmp_path / "new", "import", str(ttl), "--format", "trig")
    assert refused.exit_code == 1
    assert "outside any named graph" in refused.output
    refused = run(tmp_path / "new2", "import", str(ttl))
    assert refused.exit_code == 1
    assert "no graph names" in refused.output
    assert not (tmp_path / "new" / "oxigraph").exists()
