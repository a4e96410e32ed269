"""Review decisions (kg/review.py) through the CLI on a real set of minutes: they win
over extraction, survive re-ingest of the same and of a changed file, and are exported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "samples").glob("tintern*.txt"))[0]


def _run(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--data", str(data), *args])
    return result.exit_code, result.output


def _actions(data: Path) -> dict[str, dict[str, str]]:
    code, out = _run(data, "actions", "--format", "json")
    assert code == 0, out
    return {r["action"]: r for r in json.loads(out)}


@pytest.fixture()
def minutes(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "minutes.txt"
    path.parent.mkdir()
    shutil.copyfile(SAMPLE, path)
    return path


def test_reject_and_confirm_win_over_extraction_and_survive_reingest(
    tmp_path: Path, minutes: Path
) -> None:
    data = tmp_path / "data"
    assert _run(data, "ingest", str(minutes))[0] == 0
    before = _actions(data)
    assert len(before) >= 2
    rejected, confirmed = sorted(before)[:2]
    code, out = _run(data, "review", "reject", rejected, "--note", "a heading", "--by", "tester")
    assert code == 0 and "rejected" in out
    assert _run(data, "review", "confirm", confirmed)[0] == 0
    after = _actions(data)
    assert rejected not in after and len(after) == len(before) - 1
    assert after[confirmed]["review"] == "confirmed"

    # a changed file: its parts get new IRIs; the decisions follow the same texts
    original = minutes.read_bytes()
    minutes.write_bytes(original + b"\nAddendum: a line added after publication.\n")
    code, out = _run(data, "ingest", str(minutes))
    assert code == 0 and "replaced" in out
    changed = _actions(data)
    assert rejected not in changed and len(changed) == len(before) - 1
    texts = {r["text"]: r.get("review") for r in changed.values()}
    assert before[rejected]["text"] not in texts
    assert texts[before[confirmed]["text"]] == "confirmed"

    # the same file again: the original IRIs are back, and so are the decisions on them
    minutes.write_bytes(original)
    assert _run(data, "ingest", str(minutes))[0] == 0
    again = _actions(data)
    assert rejected not in again and again[confirmed]["review"] == "confirmed"
    code, out = _run(data, "review", "list", "--format", "json")
    listed = {d["target"]: d for d in json.loads(out)}
    assert listed[rejected]["decision"] == "rejected" and listed[rejected]["note"] == "a heading"
    assert listed[rejected]["by"] == "tester" and listed[rejected]["present"] is True

    # export keeps the review graph beside the document graphs
    code, trig = _run(data, "export", "--format", "trig")
    assert code == 0
    assert "https://w3id.org/govkg/id/graph/review" in trig and "Rejected" in trig

    # undo: extraction speaks again
    assert _run(data, "review", "undo", rejected)[0] == 0
    assert rejected in _actions(data)
    assert _run(data, "review", "undo", rejected)[0] == 1


def test_review_refuses_what_is_not_in_the_graph(tmp_path: Path, minutes: Path) -> None:
    data = tmp_path / "data"
    assert _run(data, "ingest", str(minutes))[0] == 0
    code, out = _run(data, "review", "reject", "https://w3id.org/govkg/id/action/nothing-1")
    assert code == 1 and "not in the graph" in out
    code, out = _run(data, "review", "list", "--format", "json")
    assert json.loads(out) == []
