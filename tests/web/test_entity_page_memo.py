"""Entity pages are worked out once per opened store: asked again (a second visitor,
twenty at once on a cold server) they cost no store query; a new ingest shows new data."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from web import create_app, data


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.web.test_tracker import build_data

    return build_data(tmp_path_factory.mktemp("entity-memo"))


def counted(app, path: str) -> tuple[int, int, str]:
    """GET `path`: (status, store queries it ran, body)."""
    client = app.test_client()
    with app.test_request_context("/"):
        store = data.store()
    calls = [0]
    real = store.select
    lock = threading.Lock()

    def select(query: str):  # observe the real store's queries (no other change)
        with lock:
            calls[0] += 1
        return real(query)

    store.select = select
    try:
        response = client.get(path)
    finally:
        del store.select
    return response.status_code, calls[0], response.get_data(as_text=True)


def test_second_visit_to_a_person_page_runs_no_query(data_dir: Path) -> None:
    app = create_app({"TESTING": True, "DATA": str(data_dir), "TODAY": "2025-01-01"})
    status, first, body = counted(app, "/id/person/bob-evans")
    assert status == 200 and first > 3 and "speeding" in body.lower()
    status, second, again = counted(app, "/id/person/bob-evans")
    assert (status, second) == (200, 0)
    assert again == body
    # another section page is another key: it is computed, not served from the first
    status, other, _ = counted(app, "/id/person/bob-evans?statements_page=2")
    assert status == 200 and other > 0


def test_concurrent_cold_visitors_compute_a_page_once(data_dir: Path) -> None:
    # each app's TODAY is part of the memo key: each computes the page afresh
    app = create_app({"TESTING": True, "DATA": str(data_dir), "TODAY": "2025-01-03"})
    status, alone, _ = counted(app, "/id/person/bob-evans")
    assert status == 200 and alone > 3
    app2 = create_app({"TESTING": True, "DATA": str(data_dir), "TODAY": "2025-01-02"})
    with app2.test_request_context("/"):
        store = data.store()
    calls = [0]
    real = store.select
    lock = threading.Lock()

    def select(query: str):
        with lock:
            calls[0] += 1
        return real(query)

    store.select = select
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def visit() -> None:
        client = app2.test_client()
        barrier.wait()
        statuses.append(client.get("/id/person/bob-evans").status_code)

    threads = [threading.Thread(target=visit) for _ in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        del store.select
    assert statuses == [200] * 8
    assert calls[0] <= alone, "eight visitors at once ran the page's queries more than once"
