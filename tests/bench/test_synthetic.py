"""The synthetic minutes generator (bench/synthetic_minutes.py) and the search benchmark.

What a benchmark user relies on: the same seed gives the same files, N meetings give
N files, and govkg's real extraction reads them as minutes (date, attendees with
roles, statements, actions with owners).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load_bench

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


synthetic = load_bench("synthetic_minutes")


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = synthetic.generate(tmp_path / "a", 60, seed=7)
    b = synthetic.generate(tmp_path / "b", 60, seed=7)
    c = synthetic.generate(tmp_path / "c", 60, seed=8)
    assert len(a) == len(b) == len(c) == 60
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_n_meetings_n_files_of_every_kind(tmp_path):
    infos = synthetic.generate(tmp_path, 150, seed=42)
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert len(files) == len(infos) == 150
    assert {i.kind for i in infos} == {"pcc", "panel", "parish", "board"}
    # recurring bodies: every body has several meetings
    per_body: dict[str, int] = {}
    for i in infos:
        per_body[i.body] = per_body.get(i.body, 0) + 1
    assert min(per_body.values()) >= 10


def test_cli_writes_the_files(tmp_path):
    out = tmp_path / "minutes"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "synthetic_minutes.py"), str(out), "--meetings", "25"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(list(out.iterdir())) == 25
    assert "wrote 25 minutes" in proc.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    return synthetic.generate(folder, 100, seed=42)


def _first_of(corpus, kind: str, layout: str | None = None):
    for info in corpus:
        if info.kind == kind and (layout is None or info.layout == layout):
            return info
    pytest.skip(f"no {kind} meeting (layout {layout}) in this corpus")


@pytest.mark.parametrize(
    ("kind", "layout"),
    [("pcc", "A"), ("pcc", "B"), ("panel", "C"), ("parish", None), ("board", "F")],
)
def test_govkg_extracts_what_was_written(corpus, kind, layout):
    from ingest.pipeline import extract_file

    info = _first_of(corpus, kind, layout)
    # a later meeting of the same body: it has matters arising carried from earlier ones
    later = [i for i in corpus if i.body == info.body][3]
    record = extract_file(later.path).to_json()

    assert record["meeting"]["date"] == later.date
    names = {a["name"] for a in record["attendees"]}
    roles = {a["name"]: a["role"] for a in record["attendees"]}
    for name, _role in later.attendees:
        # parish minutes name councillors by surname only ("Cllrs Allen (Chair), Clarke")
        assert (
            name in names
            or name.split()[-1] in names
            or any(n.endswith(" " + name.split()[-1]) for n in names)
        ), (name, sorted(names))
    assert all(roles.values()), roles
    assert record["statements"], "no statement found"
    assert any(s["speaker"] for s in record["statements"]), "no statement has a speaker"
    owned = [a for a in record["actions"] if a["owner"]]
    assert owned, "no action with an owner"


def test_pcc_minutes_carry_actions_and_chief_constable(corpus):
    from ingest.pipeline import extract_file

    pcc = [i for i in corpus if i.kind == "pcc"]
    texts = [Path(i.path).read_text(encoding="utf-8") for i in pcc]
    # an action raised at one meeting is reported on at a later one
    raised = {ref for i in pcc for ref, _, _ in i.actions}
    carried = {ref for ref in raised if any(f"{ref}:" in t for t in texts)}
    assert carried
    # explicit actions with a ref, an owner and a due date come out of the action table
    info = next(i for i in pcc if i.layout == "B" and i.actions)
    record = extract_file(info.path).to_json()
    by_ref = {a["ref"]: a for a in record["actions"] if a["ref"]}
    ref, owner, due = info.actions[0]
    assert ref in by_ref or any(a["due"] == due for a in record["actions"])


def test_search_bench_small_end_to_end(tmp_path):
    if not (ROOT / "kg" / "index.py").exists():
        pytest.skip("kg/index.py is not there yet: the search index has not landed")
    out = tmp_path / "small.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "search_bench.py"), "--small", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["ingest"]["documents"] == 100
    assert result["ingest"]["failed_count"] == 0
    assert result["index_units"] > 1000
    assert result["search"]["p95_ms"] > 0
    assert "fts5" in result
    assert "p50 ms" in proc.stdout
