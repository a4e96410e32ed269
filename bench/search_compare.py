"""Dump what searches return from an index, to compare two builds of it (same store).

Runs bench/search_bench.py's queries and more (field filters, prefix, facet filters,
date sort, second pages), with every facet, and writes per query the total, the
top-10 unit ids with their scores (rounded), snippets and facet counts as JSON. With
--compare, prints the differences between two dumps (exit 1 if any).

    python bench/search_compare.py --index /tmp/a/index --out /tmp/a.json
    python bench/search_compare.py --compare /tmp/a.json /tmp/b.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

EXTRA: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("speaker filter", "speaker:chair precept", {}),
    ("person filter", "person:constable custody", {}),
    ("role alone", 'role:"Police and Crime Commissioner"', {}),
    ("title field", "title:budget", {}),
    ("title phrase", 'title:"minutes of the previous meeting"', {}),
    ("kind item", "kind:item police", {}),
    ("kind person", "kind:person constable", {}),
    ("kind topic", "kind:topic crime", {}),
    ("kind meeting", "kind:meeting panel", {}),
    ("year field", "year:2024 custody", {}),
    ("body phrase", 'body:"Police and Crime Panel"', {}),
    ("topics word", "topic:crime", {}),
    ("places word", "place:Worcester", {}),
    ("prefix short", "pol*", {}),
    ("empty query, year filter", "", {"filters": {"year": "2023"}}),
    ("facet filter kind", "custody", {"filters": {"kind": "statement"}}),
    ("page 2", "police", {"page": 2}),
    ("page 3 by date", "custody", {"page": 3, "sort": "date"}),
    ("kinds actions", "report", {"kinds": ["action"]}),
    ("three word phrase", '"police and crime"', {}),
)


def queries() -> list[tuple[str, str, dict[str, Any]]]:
    from search_bench import QUERIES

    out = [(q.label, q.govkg, {"sort": q.sort}) for q in QUERIES]
    return out + list(EXTRA)


def dump(index_path: Path) -> dict[str, Any]:
    from kg.index import SearchIndex
    from kg.search import search

    ix = SearchIndex(index_path, read_only=True)
    out: dict[str, Any] = {"units": ix.unit_count()}
    for label, q, kw in queries():
        r = search(ix, q, per_page=10, facets=True, **kw)
        out[label] = {"query": q, **r.to_json()}  # every hit field, facets, notes
    ix.close()
    return out


def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
    diffs = 0
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            diffs += 1
            print(
                f"DIFFERENT: {key}\n  a: {json.dumps(a.get(key))[:600]}\n  b: {json.dumps(b.get(key))[:600]}"
            )
    n = len(set(a) | set(b)) - 1
    print(f"{n} queries (and the unit count) compared: {diffs} differ")
    return 1 if diffs else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path, nargs=2)
    args = ap.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text("utf-8")) for p in args.compare)
        return compare(a, b)
    result = dump(args.index)
    args.out.write_text(json.dumps(result, indent=1), "utf-8")
    print(f"{len(result) - 1} queries, {result['units']} units -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
