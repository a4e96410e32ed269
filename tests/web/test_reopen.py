"""The web app sees a new ingest: what it remembers per store goes with the store."""

from __future__ import annotations

from pathlib import Path

MINUTES = (
    "Westshire Parish Council\nMinutes of the meeting\nDate: Monday {day} March 2024\n\n"
    "Present:\n• Ann Price – Chair\n\n1. Footpaths\nThe Chair said that the footpath "
    "by the {thing} was closed.\n"
)


def _ingest(data: Path, folder: Path, day: int, thing: str) -> None:
    from kg.pipeline import ingest_paths
    from kg.store import Store

    folder.mkdir(exist_ok=True)
    path = folder / f"westshire_{day:02d}.txt"
    path.write_text(MINUTES.format(day=day, thing=thing), encoding="utf-8")
    with Store(data) as store:
        report = ingest_paths([path], store)
    assert report.ok, report.failed


def test_meetings_list_and_home_page_show_a_new_ingest(tmp_path, monkeypatch):
    from web import create_app, data

    monkeypatch.setattr(data, "CHECK_EVERY", 0.0)
    root = tmp_path / "data"
    _ingest(root, tmp_path / "minutes", 4, "church")
    client = create_app({"TESTING": True, "DATA": str(root)}).test_client()
    before = client.get("/meetings.json").get_json()
    assert before["total"] == 1
    assert len(client.get("/?format=json").get_json()["latest_meetings"]) == 1

    _ingest(root, tmp_path / "minutes", 18, "school")
    after = client.get("/meetings.json").get_json()
    assert after["total"] == 2
    assert [m["date"] for m in after["meetings"]] == ["2024-03-18", "2024-03-04"]
    latest = client.get("/?format=json").get_json()["latest_meetings"]
    assert [m["date"] for m in latest] == ["2024-03-18", "2024-03-04"]


def test_a_busy_server_still_sees_a_new_ingest(tmp_path, monkeypatch):
    """Requests arriving more often than CHECK_EVERY, before, during and after an
    ingest, must not put off the look at the data directory for ever: the new meeting
    shows within about CHECK_EVERY of the ingest's end."""
    import threading
    import time

    from web import create_app, data

    monkeypatch.setattr(data, "CHECK_EVERY", 0.3)
    root = tmp_path / "data"
    _ingest(root, tmp_path / "minutes", 4, "church")
    app = create_app({"TESTING": True, "DATA": str(root)})
    fresh = {"Cache-Control": "no-cache"}  # the page computed each time, not kept
    totals: list[int] = []
    ingested = threading.Event()
    stop = threading.Event()

    def poll() -> None:  # a request every 50 ms, well under CHECK_EVERY
        client = app.test_client()
        while not stop.is_set():
            total = client.get("/meetings.json", headers=fresh).get_json()["total"]
            totals.append(total)
            if total == 2 and ingested.is_set():
                return
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        time.sleep(0.5)
        _ingest(root, tmp_path / "minutes", 18, "school")
        ingested.set()
        poller.join(timeout=3.0)
    finally:
        stop.set()
        poller.join()
    assert totals[0] == 1
    assert totals[-1] == 2, f"still {totals[-1]} after {len(totals)} requests"
