"""Extraction speed per format: files/s and pages/s for read + segment + extract.

A PDF's pages are its own; for formats without pages a page is counted as 3,000
characters of text (about one A4 page of minutes), and the table says so.

    python bench/extract_bench.py                  # the test files in tests/data
    python bench/extract_bench.py DIR... --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from ingest.formats import formats, read_file
from ingest.pipeline import extract_source

CHARS_PER_PAGE = 3000
DEFAULT_DIRS = [
    "tests/data/corpus",
    "tests/data/suffolk_series",
    "tests/data/docx",
    "tests/data/html",
]


def files_in(dirs: list[str]) -> list[Path]:
    endings = tuple(s for f in formats() for s in f.suffixes)
    out = []
    for d in dirs:
        p = Path(d)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.name.lower().endswith(endings)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=DEFAULT_DIRS)
    ap.add_argument("--repeat", type=int, default=1, help="runs per file (median kept)")
    args = ap.parse_args(argv)

    per_format: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for path in files_in(args.dirs):
        runs_read, runs_extract = [], []
        pages = 0.0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            source = read_file(path)
            t1 = time.perf_counter()
            extract_source(source)
            t2 = time.perf_counter()
            runs_read.append(t1 - t0)
            runs_extract.append(t2 - t1)
            pages = len(source.pages) or max(len(source.text) / CHARS_PER_PAGE, 1 / CHARS_PER_PAGE)
        per_format[source.format].append(
            (pages, statistics.median(runs_read), statistics.median(runs_extract))
        )

    print(
        f"{'format':<7}{'files':>6}{'pages':>8}{'read s':>9}{'extract s':>11}{'pages/s':>10}{'files/s':>9}"
    )
    for fmt, rows in sorted(per_format.items()):
        pages = sum(r[0] for r in rows)
        read = sum(r[1] for r in rows)
        extract = sum(r[2] for r in rows)
        total = read + extract
        unit = "" if fmt == "pdf" else "*"
        print(
            f"{fmt:<7}{len(rows):>6}{pages:>7.1f}{unit:1}{read:>9.2f}{extract:>11.2f}"
            f"{pages / total:>10.1f}{len(rows) / total:>9.1f}"
        )
    print(f"* pages of {CHARS_PER_PAGE:,} characters (the format has no pages of its own)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
