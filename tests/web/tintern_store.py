"""The 28 Tintern minutes (tests/data/tintern_series) ingested once per test session,
with their derived graphs (identity, ledger): for the identity pages and the
commitments timeline tests. Read-only use."""

from __future__ import annotations

from pathlib import Path

import pytest

SERIES = Path(__file__).resolve().parents[1] / "data" / "tintern_series"
TODAY = "2021-06-01"
"""The app's today for these tests: after the series' last meeting, so due dates have passed."""
_BUILT: dict[str, Path] = {}


def tintern_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory (built by the first caller of the session)."""
    if "data" not in _BUILT:
        from kg.pipeline import ingest_paths
        from kg.store import Store

        data = tmp_path_factory.mktemp("tintern-web") / "data"
        with Store(data) as store:
            report = ingest_paths([SERIES], store)
        assert report.ok, report.failed
        _BUILT["data"] = data
    return _BUILT["data"]


def select(data_dir: Path, query: str) -> list[dict]:
    """The rows of a SELECT over the built store."""
    from kg.store import Store

    with Store(data_dir, read_only=True) as store:
        return store.select(query)[1]


def path(iri: str) -> str:
    """The site path of an entity IRI."""
    return "/id/" + iri.split("/id/", 1)[1]
