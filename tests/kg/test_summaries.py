"""The example queries' summary graphs (kg/summaries.py) follow the documents: after a
file is added and after one is replaced, on a real store on disk, the summaries are what
a recount of the whole store gives, and topics-shared-by-bodies and
overdue-actions-by-owner answer what their old forms (which read every agenda item and
every action, tests/data/examples-before/) answer, on any day."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import summaries
from kg.examples import example
from kg.pipeline import ingest_paths
from kg.store import Store
from tests.conftest import needs_pipeline

pytestmark = needs_pipeline

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").iterdir())
BEFORE = Path(__file__).resolve().parents[1] / "data" / "examples-before"
PREFIX = summaries.summary_graph_iri("").value
TODAY = 'STRDT(STRBEFORE(STR(NOW()), "T"), xsd:date)'


def summary_quads(store: Store) -> set[ox.Quad]:
    return {
        q
        for g in list(store.store.named_graphs())
        if isinstance(g, ox.NamedNode) and g.value.startswith(PREFIX)
        for q in store.store.quads_for_pattern(None, None, None, g)
    }


def answer(store: Store, query: str, day: str | None = None) -> set[tuple]:
    if day is not None:
        assert TODAY in query
        query = query.replace(TODAY, f'"{day}"^^xsd:date')
    result = store.query(query)
    names = [v.value for v in result.variables]
    out = set()
    for row in result:
        values = {n: None if row[n] is None else row[n].value for n in names}
        values.pop("one_of_them", None)  # SAMPLE(): any one of them
        if "which" in values:  # GROUP_CONCAT: in the rows' order
            values["which"] = frozenset(values["which"].split(" | "))
        out.add(tuple(sorted(values.items())))
    return out


def deadlines(store: Store) -> list[str]:
    _, rows = store.select("SELECT DISTINCT ?d WHERE { ?x gkg:deadline ?d } ORDER BY ?d")
    return [str(r["d"]) for r in rows]


def check(store: Store) -> None:
    """The summaries equal a recount, and both examples answer as their old forms do:
    today, and on days between the deadlines (some past, some to come)."""
    kept = summary_quads(store)
    assert kept
    report = summaries.refresh(store)  # everything recounted
    assert report.series and not report.dropped
    assert summary_quads(store) == kept
    for name in ("topics-shared-by-bodies", "overdue-actions-by-owner"):
        old = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
        assert answer(store, example(name).query) == answer(store, old), name
    days = deadlines(store)
    assert len(days) >= 3
    query = example("overdue-actions-by-owner").query
    old = (BEFORE / "overdue-actions-by-owner.rq").read_text(encoding="utf-8")
    for day in (days[0], days[len(days) // 2], days[-1], "2100-01-01"):
        assert answer(store, query, day) == answer(store, old, day), day
    assert answer(store, query, days[len(days) // 2]) != answer(store, query, "2100-01-01")


@pytest.fixture
def minutes(tmp_path: Path) -> Iterator[Path]:
    """samples/ and 12 generated meetings of 3 bodies (deadlines on many days)."""
    folder = tmp_path / "minutes"
    generator = ROOT / "bench" / "synthetic_minutes.py"
    args = [str(folder), "--meetings", "12", "--seed", "3"]
    subprocess.run([sys.executable, str(generator), *args], check=True, capture_output=True)
    for path in SAMPLES:
        shutil.copyfile(path, folder / path.name)
    yield folder


def test_summaries_follow_an_added_and_a_replaced_file(minutes: Path, tmp_path: Path) -> None:
    files = sorted(minutes.iterdir())
    late = tmp_path / "later"
    late.mkdir()
    held_back = files[-1]
    shutil.move(held_back, late / held_back.name)
    with Store(tmp_path / "data") as store:
        assert ingest_paths([minutes], store).ok
        first = summary_quads(store)
        check(store)

        # one more file: only its series is recounted, and the answers take it in
        shutil.move(late / held_back.name, held_back)
        report = ingest_paths([minutes], store)
        assert report.ok and len(report.added) == 1
        assert report.derived is not None and report.derived.full is False
        grown = summary_quads(store)
        assert first != grown
        check(store)

        # a replaced file: the first half of the one with the most open actions
        busiest = max(files, key=lambda p: p.read_text(encoding="utf-8").lower().count("action"))
        lines = busiest.read_text(encoding="utf-8").splitlines(keepends=True)
        busiest.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        report = ingest_paths([minutes], store)
        assert report.ok and len(report.replaced) == 1
        assert summary_quads(store) != grown
        check(store)


def test_a_series_with_no_meetings_left_loses_its_summary(minutes: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "data") as store:
        assert ingest_paths([minutes], store).ok
        series = summaries.refresh(store).series
        assert len(series) >= 2
        gone = series[0]
        report = summaries.refresh(store, [gone, "no-such-series"])
        assert report.series == [gone] and report.dropped == []
        # a series none of whose meetings is stored any more: its graph goes
        fake = summaries.summary_graph_iri("org-that-left")
        store.replace_graph(
            fake,
            [
                ox.Quad(
                    ox.NamedNode(f"{PREFIX}x"), ox.NamedNode(f"{PREFIX}y"), ox.Literal("z"), fake
                )
            ],
        )
        report = summaries.refresh(store, ["org-that-left"])
        assert report.dropped == ["org-that-left"]
        assert fake not in set(store.store.named_graphs())
        assert summaries.refresh(store).dropped == []


def test_a_store_without_summaries_gets_them_all_at_the_next_refresh(
    minutes: Path, tmp_path: Path
) -> None:
    # a data directory written before kg/summaries.py: no summary graph at all
    with Store(tmp_path / "data") as store:
        assert ingest_paths([minutes], store).ok
        everything = summary_quads(store)
        series = summaries.refresh(store).series
        for key in series:
            store.replace_graph(summaries.summary_graph_iri(key), [])
        assert summary_quads(store) == set()
        report = summaries.refresh(store, series[:1])
        assert report.series == series
        assert summary_quads(store) == everything
