"""Page latency of the web UI over a data directory: p50/p95 per page type.

Requests go through the real app (Flask test client, no network), warm: each URL is
asked once to warm caches, then `--repeat` times. The URLs are found from the data
itself (a meeting, a person, a topic, a place, searches, the tracker and its filters).

    python bench/web_bench.py --data /tmp/s10k --repeat 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from web import create_app

SEARCHES = ["custody", "domestic abuse", "ASB", "potholes", "999 calls", '"knife crime"']


def urls(client) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"home": ["/"], "meetings": ["/meetings"]}
    out["search"] = ["/?q=" + q for q in SEARCHES]
    out["search+date"] = ["/?q=custody&sort=date", "/?q=council&page=3"]
    meetings = client.get("/meetings.json").get_json()["meetings"]
    out["meeting"] = [m["url"] for m in meetings[:: max(1, len(meetings) // 5)][:5]]
    people, topics, places = [], [], []
    for m in out["meeting"][:3]:
        page = client.get(m + ".json" if not m.endswith(".json") else m).get_json() or {}
        people += [a["url"] for a in page.get("attendees", []) if a.get("url")][:3]
    for q in ("custody", "Shropshire", "police"):
        hits = client.get("/api/search?q=" + q).get_json()["hits"]
        topics += [h["url"] for h in hits if "/id/topic/" in (h.get("url") or "")][:2]
        places += [h["url"] for h in hits if "/id/place/" in (h.get("url") or "")][:2]
    out["person"] = people[:5]
    out["topic"] = topics[:3]
    out["place"] = places[:3]
    out["actions"] = ["/actions", "/actions?owner=clerk", "/actions?status=overdue", "/actions?page=5"]
    out["feeds"] = ["/actions.atom", "/search.atom?q=custody"]
    return {k: v for k, v in out.items() if v}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    app = create_app({"DATA": args.data})
    client = app.test_client()
    table = {}
    for kind, paths in urls(client).items():
        times = []
        for path in paths:
            status = client.get(path).status_code  # warm
            if status >= 400:
                print(f"warning: {path} answered {status}", file=sys.stderr)
            for _ in range(args.repeat):
                t = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        table[kind] = {
            "urls": len(paths),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
            "max_ms": round(times[-1], 1),
        }
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(f"{'page':<14}{'urls':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, row in table.items():
        print(f"{kind:<14}{row['urls']:>5}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
