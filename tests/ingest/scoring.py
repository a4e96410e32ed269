"""The project's shared extraction scorer (copied into tests/data/), for end-to-end tests."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from ingest import extract_file

DATA = Path(__file__).resolve().parents[1] / "data"


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", DATA / "score_extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def f1_scores(path: Path, gold_name: str) -> tuple[dict[str, float], list[str]]:
    """F1 per field of `extract_file(path)` against tests/data/gold/<gold_name>.json."""
    s = scorer()
    totals = {f: s.Tally() for f in s.FIELDS}
    notes: list[str] = []
    gold = json.loads((DATA / "gold" / f"{gold_name}.json").read_text(encoding="utf-8"))
    pred = json.loads(json.dumps(extract_file(str(path)).to_json()))
    s.score_doc(gold, pred, totals, notes)
    return {f: totals[f].prf()[2] for f in s.FIELDS}, notes
