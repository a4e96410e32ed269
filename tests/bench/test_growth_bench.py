"""bench/growth_bench.py at a tiny size: the fast route makes the store `govkg ingest`
makes, and the growth table has a row per measure and a column per size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "growth_bench.py"


def test_growth_table_at_two_tiny_sizes(tmp_path: Path) -> None:
    out_json = tmp_path / "growth.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--sizes",
            "24",
            "48",
            "--verify",
            "12",
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out_json),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = done.stdout
    # the fast route and `govkg ingest` stored exactly the same quads
    assert "fast route vs govkg ingest on 12 meetings" in text
    assert "the same" in text and "DIFFERENT" not in text

    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[:3] == ["measure", "24", "48"]
    assert header[3] == "ratio 48 / 24"  # the growth column
    rows = {
        c[0]: c[1:] for c in ([x.strip() for x in ln.strip("|").split("|")] for ln in lines[1:])
    }
    assert rows["meetings"][:2] == ["24", "48"]
    for name in (
        "meetings per series (mean)",
        "derive pass s",
        "  identity s",
        "  follow-up linking s",
        "linking ms per meeting",
        "network coattendance ms (build)",
        "network connections ms (build)",
        "query actions-per-meeting p95 ms",
    ):
        assert name.strip() in {k.strip() for k in rows}, name
    linking = next(v for k, v in rows.items() if k.strip() == "follow-up linking s")
    assert float(linking[0]) > 0 and float(linking[1]) > 0
    assert linking[2]  # a growth ratio was computed

    result = json.loads(out_json.read_text())
    assert result["verify"]["same"] is True
    assert [r["meetings"] for r in result["sizes"]] == [24, 48]
    for r in result["sizes"]:
        assert r["failed"] == 0 and r["actions"] > 0 and r["quads"] > 0
        assert r["networks"]["coattendance"]["nodes"] > 0
        assert r["sparql"]["actions-per-meeting"]["rows"] > 0
    # the data directories are deleted once measured (without --keep)
    assert not list((tmp_path / "work").glob("data-*"))


def test_bodies_option_makes_longer_series(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic_minutes

    infos = synthetic_minutes.generate(tmp_path / "long", 60, seed=3, bodies=2)
    per_body: dict[str, int] = {}
    for info in infos:
        per_body[info.body] = per_body.get(info.body, 0) + 1
    assert sorted(per_body.values()) == [30, 30]  # two series of 30 meetings
    default = synthetic_minutes.generate(tmp_path / "default", 60, seed=3)
    assert len({i.body for i in default}) == 5  # about 12 meetings per body
    # the first bodies are the same ones, whatever the option
    assert {i.body for i in infos} <= {i.body for i in default}
