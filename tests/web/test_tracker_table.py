"""The tracker's whole-store table: every filter and sort gives the rows, in the order,
that kg.queries.actions_query's own SPARQL gives (what the tracker ran per filter
before), and a second filter combination runs no second whole-store query."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from kg.queries import actions_query
from kg.store import Store
from web import tracker
from web.tracker import Filters, all_rows, find

TODAY = "2025-01-15"
COMBINATIONS = [
    {},
    {"sort": "due"},
    {"sort": "owner"},
    {"status": "open"},
    {"status": "overdue"},
    {"status": "overdue", "sort": "due"},
    {"status": "done"},
    {"status": "updated", "sort": "owner"},
    {"owner": "clerk"},
    {"owner": "Evans", "sort": "due"},
    {"owner": "bob evans"},
    {"owed_to": "council"},
    {"body": "Testham"},
    {"body": "tintern", "sort": "owner"},
    {"topic": "highways"},
    {"place": "mill lane"},
    {"due_before": "2025-01-25"},
    {"due_after": "2025-01-10", "sort": "due"},
    {"due_after": "2019-01-01", "due_before": "2020-12-31", "status": "open"},
    {"owner": "clerk", "status": "overdue", "sort": "due"},
]


class Recording:
    """A real opened store that notes every SELECT sent to it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.queries: list[str] = []
        self.lock = threading.Lock()

    def select(self, sparql: str) -> Any:
        with self.lock:
            self.queries.append(sparql)
        return self.store.select(sparql)

    def tables(self) -> int:
        """Whole-store action table queries sent so far: the per-filter query
        (kg.queries.actions_query) or the table's own (every action's meeting)."""
        return sum(
            "GROUP BY ?action ?meeting" in q or "gkg:raisedAt ?x }" in q for q in self.queries
        )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.web.test_tracker import build_data

    return build_data(tmp_path_factory.mktemp("tracker-table"), follow_up=True)


@pytest.fixture(scope="module")
def store(data_dir: Path):
    with Store(data_dir, read_only=True) as opened:
        yield opened


def sparql_order(store: Store, filters: Filters) -> list[str]:
    """The actions, in order, as the per-filter SPARQL query gives them."""
    query = actions_query(**filters.query_kwargs(), today=TODAY, detail=True, ledger=True)
    _, rows = store.select(query)
    return [str(r["action"]) for r in rows if r.get("action")]


@pytest.mark.parametrize(
    "args", COMBINATIONS, ids=lambda a: "&".join(f"{k}={v}" for k, v in a.items()) or "all"
)
def test_same_rows_and_order_as_the_sparql_query(store: Store, args: dict[str, str]) -> None:
    filters = Filters(**args)
    expected = sparql_order(store, filters)
    rows = all_rows(store, filters, today=TODAY)
    assert [r["action"] for r in rows] == expected
    page = find(store, filters, today=TODAY, page=2, per_page=3)
    assert page.total == len(expected)
    assert [r["action"] for r in page.rows] == expected[3:6]


def test_the_fixture_exercises_every_filter(store: Store) -> None:
    """The comparison above means something: most filters keep some rows and drop others."""
    everything = len(sparql_order(store, Filters()))
    kept = {tuple(sorted(a.items())): len(sparql_order(store, Filters(**a))) for a in COMBINATIONS}
    assert everything > 50
    assert sum(0 < n < everything for n in kept.values()) >= 12
    statuses = {r["status"] for r in all_rows(store, Filters(), today=TODAY)}
    assert {"open", "overdue", "done"} <= statuses


def test_table_has_the_columns_of_the_sparql_query(store: Store) -> None:
    """Every column of every action as actions_query(detail, ledger) gives it."""
    _, raw = store.select(actions_query(detail=True, ledger=True))
    expected = {(r["action"], r["meeting"]): r for r in raw}
    rows = tracker._with_details(store, tracker._table(store))
    table = {(r["action"], r["meeting"]): r for r in rows}
    assert table.keys() == expected.keys()
    differ = [
        (key, column, row[column], table[key][column])
        for key, row in expected.items()
        for column in row
        if row[column] != table[key][column]
    ]
    assert differ == []
    assert any(r["due_date"] and not r["due"][:1].isdigit() for r in table.values()), (
        "no due 'next meeting' resolved to a date in the fixture"
    )


def test_shown_status_same_as_the_sparql_state(store: Store) -> None:
    query = actions_query(today=TODAY, detail=True, ledger=True)
    _, raw = store.select(query)
    expected = {str(r["action"]): r["state"] or r["status"] or "open" for r in raw}
    rows = all_rows(store, Filters(), today=TODAY)
    assert {r["action"]: r["status"] for r in rows} == expected
    # another day, another "overdue": the state is the day's, not the table's
    later = {r["action"]: r["status"] for r in all_rows(store, Filters(), today="2030-01-01")}
    assert sum(s == "overdue" for s in later.values()) > sum(
        s == "overdue" for s in expected.values()
    )


def test_second_filter_combination_runs_no_whole_store_query(data_dir: Path) -> None:
    with Store(data_dir, read_only=True) as opened:
        store = Recording(opened)
        first = find(store, Filters(status="open"), today=TODAY)
        assert store.tables() == 1
        before = len(store.queries)
        for args in COMBINATIONS:
            find(store, Filters(**args), today=TODAY, page=2)
        assert store.tables() == 1, "a filter or sort ran the whole-store query again"
        # what did run: per page, its rows' shown columns, paragraphs and follow-ups;
        # and one label look-up per text filter value, each once
        assert len(store.queries) - before < 5 * len(COMBINATIONS)
        n = len(store.queries)
        again = find(store, Filters(status="open"), today=TODAY)
        assert [r["action"] for r in again.rows] == [r["action"] for r in first.rows]
        assert len(store.queries) - n <= 3  # the page's shown columns, paragraphs, follow-ups


def test_cold_table_is_computed_once_for_concurrent_visitors(data_dir: Path) -> None:
    with Store(data_dir, read_only=True) as opened:
        store = Recording(opened)
        barrier = threading.Barrier(8)
        totals: list[int] = []

        def visit(n: int) -> None:
            barrier.wait()
            args = COMBINATIONS[n]
            totals.append(find(store, Filters(**args), today=TODAY).total)

        threads = [threading.Thread(target=visit, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(totals) == 8
        assert store.tables() == 1


def test_a_new_store_gets_a_new_table(data_dir: Path) -> None:
    """The table hangs on the opened store: a reopened store (a new ingest) is asked again."""
    for _ in range(2):
        with Store(data_dir, read_only=True) as opened:
            store = Recording(opened)
            find(store, Filters(), today=TODAY)
            assert store.tables() == 1
    assert tracker._CACHE_SIZE >= 16
