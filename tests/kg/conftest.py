"""kg fixtures: the bundled samples/ minutes (what README command 1 serves), ingested
once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="session")
def samples_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory (store + search index) holding samples/; read-only use."""
    from kg.pipeline import ingest_paths
    from kg.store import Store

    data = tmp_path_factory.mktemp("samples") / "data"
    with Store(data) as store:
        report = ingest_paths([SAMPLES], store)
    assert report.ok, report.failed
    return data


@pytest.fixture(scope="session")
def samples_store(samples_data: Path):
    from kg.store import Store

    with Store(samples_data, read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def samples_index(samples_data: Path):
    from kg.index import SearchIndex
    from kg.indexing import index_dir

    with SearchIndex(index_dir(samples_data), read_only=True) as index:
        yield index
