"""Page latency of the web UI over a data directory: p50/p95 per page type.

Requests go through the real app (Flask test client, no network), warm: each URL is
asked once to warm caches, then `--repeat` times. The URLs are found from the data
itself (a meeting, a person and later pages of its lists, an organisation, a topic, a
place, searches, the tracker and its filters, feeds).

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


def _entities(app, n: int = 3) -> dict[str, list[str]]:
    """Up to n topic and place pages, found by their classes (cheap on a large store)."""
    from kg.queries import prefix_block
    from web import data
    from web.views.entities import entity_url

    out: dict[str, list[str]] = {}
    with app.test_request_context("/"):
        for kind, cls in (("topic", "skos:Concept"), ("place", "gkg:Place")):
            _, rows = data.store().select(
                prefix_block() + f"SELECT ?x WHERE {{ ?x a {cls} }} LIMIT {n * 20}"
            )
            found = [u for u in (entity_url(r["x"]) for r in rows) if u]
            out[kind] = [u for u in found if u.startswith(f"/id/{kind}/")][:n]
    return out


def urls(app, client) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"home": ["/"], "meetings": ["/meetings", "/meetings?page=20"]}
    out["search"] = ["/?q=" + q for q in SEARCHES]
    out["search+date"] = ["/?q=custody&sort=date", "/?q=council&page=3"]
    meetings = client.get("/meetings.json").get_json()["meetings"]
    out["meeting"] = [m["url"] for m in meetings[:: max(1, len(meetings) // 5)][:5]]
    people: list[str] = []
    orgs: list[str] = []
    for m in out["meeting"][:3]:
        page = client.get(m + ".json" if not m.endswith(".json") else m).get_json() or {}
        people += [a["url"] for a in page.get("attendees", []) if a.get("url")][:3]
        body = (page.get("meeting") or {}).get("body") or {}
        if body.get("url") and body["url"] not in orgs:
            orgs.append(body["url"])
    out["person"] = people[:5]
    if people:
        out["person p2"] = [people[0] + "?statements_page=2", people[0] + "?meetings_page=2"]
    out["organisation"] = orgs[:3]
    out.update(_entities(app))
    out["actions"] = [
        "/actions",
        "/actions?owner=clerk",
        "/actions?status=overdue",
        "/actions?page=5",
        "/actions?sort=due&status=open",
    ]
    out["feeds"] = ["/actions.atom", "/search.atom?q=custody", "/actions.ics"]
    out["feeds"] += [u + ".atom" for u in (out["topic"][:1] + people[:1])]
    return {k: v for k, v in out.items() if v}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="name the URLs as they are timed")
    args = ap.parse_args(argv)
    app = create_app({"DATA": args.data})
    client = app.test_client()
    table = {}
    for kind, paths in urls(app, client).items():
        if args.verbose:
            print(f"{kind}: {' '.join(paths)}", file=sys.stderr)
        times = []
        for path in paths:
            status = client.get(path).status_code  # warm
            if status >= 400:
                print(f"warning: {path} answered {status}", file=sys.stderr)
            for _ in range(args.repeat):
                t = time.perf_counter()
                # computed each time: the response cache (web/responsecache.py) would
                # otherwise answer the repeats; a first visit is what is timed here
                client.get(path, headers={"Cache-Control": "no-cache"})
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
