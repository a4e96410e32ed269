"""Network views (kg/networks.py in the browser).

- ``/network?kind=...`` the most central nodes and the communities of a network, with
  GraphML and GEXF downloads (``/network.graphml``, ``/network.gexf``);
- ``/network/around?iri=...`` and ``/id/<type>/<slug>/network``: an entity's
  neighbourhood, drawn as a server-side SVG (nodes link to entity pages) and listed as
  a table with the evidence of every tie;
- ``/network/path?from=...&to=...``: how two entities are connected, hop by hop, each
  hop with the meetings or statements that record it.

Graphs are built once per store (the read-only store is reopened after an ingest, and
its graphs go with it) and filters, and kept for the process.
"""

from __future__ import annotations

import math
import threading
import weakref
from html import escape
from typing import Any

import networkx as nx
from flask import Blueprint, Response, abort, request, url_for

from kg import iris
from kg import networks as N
from web import data
from web.render import page
from web.views.entities import SLUG, entity_url

bp = Blueprint("network", __name__)

KIND_NAMES = {
    "coattendance": "People at the same meetings",
    "person-topic": "People and the topics they spoke about",
    "place-topic": "Places and topics named together",
    "topic-cooccurrence": "Topics discussed together",
    "connections": "Everything, with the evidence of each link",
}
WEIGHT_UNITS = {
    "coattendance": "meetings together",
    "person-topic": "statements",
    "place-topic": "paragraphs",
    "topic-cooccurrence": "paragraphs or agenda items",
    "connections": "records",
}
DEFAULT_AROUND = {
    "person": "coattendance",
    "topic": "topic-cooccurrence",
    "place": "place-topic",
}
"""The network an entity's picture shows first, by its kind (others: connections)."""
TOP = 15
"""Rows in the overview's ranking."""
GROUPS, GROUP_MEMBERS = 8, 12
"""Communities listed, and members shown per community."""
AROUND = 15
"""Neighbours drawn around an entity."""

_lock = threading.Lock()
_graphs: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], Any]] = weakref.WeakKeyDictionary()


def _cached(key: tuple[str, ...], make: Any) -> Any:
    store = data.store()
    with _lock:
        per_store = _graphs.setdefault(store, {})
        if key in per_store:
            return per_store[key]
    value = make(store)
    with _lock:
        if len(per_store) > 32:
            per_store.clear()
        per_store[key] = value
    return value


def graph(kind: str, filters: N.Filters) -> nx.Graph:
    key = ("graph", kind, filters.body or "", filters.since or "", filters.until or "")
    return _cached(key, lambda store: N.build(store, kind, filters))


def labels() -> dict[str, tuple[str, str]]:
    return _cached(("labels",), N.node_labels)


def _filters() -> N.Filters:
    try:
        return N.Filters(
            body=request.args.get("body"),
            since=request.args.get("since"),
            until=request.args.get("until"),
        )
    except N.NetworkError as exc:
        abort(400, str(exc))


def _kind(default: str = "coattendance") -> str:
    kind = request.args.get("kind") or default
    if kind not in N.KINDS:
        abort(400, f"kind: choose one of {', '.join(N.KINDS)}")
    return kind


def _node(g: nx.Graph, v: str) -> dict[str, Any]:
    d = g.nodes[v]
    return {"iri": v, "label": d.get("label", v), "kind": d.get("kind", ""), "url": entity_url(v)}


def _evidence(iri_list: list[str], limit: int = 5) -> list[dict[str, Any]]:
    names = labels()
    out = []
    for iri in iri_list[:limit]:
        label, kind = names.get(iri, ("", ""))
        if not label:
            kind = N._kind_of(iri)
            label = f"{kind} {iri.rsplit('-', 1)[-1]}" if kind != "thing" else iri
        out.append({"iri": iri, "label": label, "kind": kind, "url": entity_url(iri)})
    return out


def _query(**params: Any) -> dict[str, Any]:
    """The current filters plus `params`, without empty values (for url_for)."""
    args = {k: request.args.get(k) for k in ("kind", "body", "since", "until")}
    args.update(params)
    return {k: v for k, v in args.items() if v}


# -- overview -----------------------------------------------------------------------------
@bp.get("/network")
@bp.get("/network.json")
@bp.get("/api/network")
def overview() -> Any:
    """The most central nodes and the communities of one network."""
    kind, filters = _kind(), _filters()
    by = request.args.get("by") or "degree"
    if by not in N.MEASURES:
        abort(400, f"by: choose one of {', '.join(N.MEASURES)}")
    g = graph(kind, filters)
    gkey = ("graph", kind, filters.body or "", filters.since or "", filters.until or "")

    def scores(m: str) -> list[dict[str, Any]]:
        # betweenness and eigenvector take seconds on a big network: once per store
        return _cached((*gkey, "centrality", m), lambda _store: N.centrality(g, m))  # type: ignore[no-any-return]

    ranking = scores(by)[:TOP]
    others = {m: {r["iri"]: r["score"] for r in scores(m)} for m in N.MEASURES}
    top = [
        {
            **_node(g, r["iri"]),
            "rank": i,
            "degree": r["degree"],
            "strength": r["strength"],
            "scores": {m: others[m].get(r["iri"]) for m in N.MEASURES},
        }
        for i, r in enumerate(ranking, 1)
    ]
    groups = _cached((*gkey, "communities"), lambda _store: N.communities(g))
    communities = [
        {
            "size": len(c),
            "members": [_node(g, v) for v in c[:GROUP_MEMBERS]],
            "more": max(0, len(c) - GROUP_MEMBERS),
        }
        for c in groups[:GROUPS]
    ]
    return page(
        "network.html",
        {
            "title": f"Network: {KIND_NAMES[kind]}",
            "kind": kind,
            "kinds": KIND_NAMES,
            "by": by,
            "measures": N.MEASURES,
            "filters": {"body": filters.body, "since": filters.since, "until": filters.until},
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "top": top,
            "communities": communities,
            "more_communities": max(0, len(groups) - GROUPS),
            "downloads": {
                fmt: url_for("network.download", fmt=fmt, **_query(kind=kind)) for fmt in N.FORMATS
            },
        },
    )


@bp.get("/network.<fmt>")
def download(fmt: str) -> Any:
    """The network as GraphML or GEXF, for Gephi and friends."""
    if fmt not in N.FORMATS:
        abort(404, "No such download")
    kind, filters = _kind(), _filters()
    body = N.dumps(graph(kind, filters), fmt)
    mime = "application/graphml+xml" if fmt == "graphml" else "application/gexf+xml"
    return Response(
        body,
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="govkg-{kind}.{fmt}"'},
    )


# -- an entity's neighbourhood -------------------------------------------------------------
@bp.get("/id/<kind>/<slug>/network")
def entity_network(kind: str, slug: str) -> Any:
    """The neighbourhood of the entity /id/<kind>/<slug>."""
    if not SLUG.match(slug):
        abort(404, "Nothing is known by that name")
    return _around(f"{iris.base()}{kind}/{slug}")


@bp.get("/network/around")
@bp.get("/network/around.json")
def around() -> Any:
    """The neighbourhood of ?iri= (an entity IRI)."""
    iri = (request.args.get("iri") or "").strip()
    if not iri:
        abort(400, "iri: which entity? (/network/around?iri=...)")
    return _around(iri)


def _around(iri: str) -> Any:
    names = labels()
    if iri not in names:
        abort(404, "Nothing is known by that name")
    label, node_kind = names[iri]
    kind = _kind(DEFAULT_AROUND.get(node_kind, "connections"))
    filters = _filters()
    g = graph(kind, filters)
    near = N.neighbourhood(g, iri, AROUND) if iri in g else nx.Graph()
    total = g.degree(iri) if iri in g else 0
    unit = WEIGHT_UNITS[kind]
    rows = []
    for v in sorted(
        (v for v in near if v != iri),
        key=lambda v: (-near.edges[iri, v]["weight"], str(near.nodes[v]["label"]).lower()),
    ):
        e = near.edges[iri, v]
        rows.append(
            {
                **_node(near, v),
                "weight": e["weight"],
                "relation": e.get("relation", ""),
                "evidence": _evidence(N.evidence_list(e)),
                "more_evidence": max(0, len(N.evidence_list(e)) - 5),
            }
        )
    title = f"{label}: {KIND_NAMES[kind].lower()}"
    return page(
        "network_around.html",
        {
            "title": f"Network around {label}",
            "entity": {"iri": iri, "label": label, "kind": node_kind, "url": entity_url(iri)},
            "kind": kind,
            "kinds": KIND_NAMES,
            "unit": unit,
            "neighbours": rows,
            "total_neighbours": total,
            "svg": svg(near, iri, title=title, unit=unit) if rows else "",
            "other_kinds": {
                k: url_for("network.around", iri=iri, kind=k) for k in N.KINDS if k != kind
            },
            "overview": url_for("network.overview", **_query(kind=kind)),
            "path_form": url_for("network.path_page"),
        },
    )


# -- the picture ----------------------------------------------------------------------------
W, H, PAD_X, PAD_Y = 760, 520, 110, 50


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def svg(g: nx.Graph, centre: str, *, title: str, unit: str) -> str:
    """`g` (a neighbourhood) as an accessible inline SVG: a spring layout with a fixed
    seed (the centre pinned in the middle), nodes as links to their pages with their
    labels, edge width by weight. Every text is escaped here; no style attributes."""
    pos = N.spring_layout(g, centre)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = max(max(xs) - min(xs), 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)

    def at(v: str) -> tuple[float, float]:
        x, y = pos[v]
        return (
            round(PAD_X + (x - min(xs)) / span_x * (W - 2 * PAD_X), 1),
            round(PAD_Y + (y - min(ys)) / span_y * (H - 2 * PAD_Y), 1),
        )

    top = max((d.get("weight", 1) for _, _, d in g.edges(data=True)), default=1)
    others = [v for v in g if v != centre]
    c_label = str(g.nodes[centre].get("label", centre))
    desc = (
        f"{c_label} in the middle, joined to {len(others)} neighbours; thicker lines "
        f"mean more {unit}. The same neighbours are listed in the table below."
    )
    out = [
        f'<svg class="network-svg" viewBox="0 0 {W} {H}" role="group" '
        'aria-labelledby="network-title" aria-describedby="network-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="network-title">{escape(title)}</title>',
        f'<desc id="network-desc">{escape(desc)}</desc>',
        '<g class="edges" aria-hidden="true">',
    ]
    for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        (x1, y1), (x2, y2) = at(a), at(b)
        width = round(1 + 7 * math.sqrt(d.get("weight", 1) / top), 1)
        cls = "edge edge-centre" if centre in (a, b) else "edge"
        out.append(
            f'<line class="{cls}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{width}"/>'
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for v in [*sorted(others), centre]:
        x, y = at(v)
        d = g.nodes[v]
        label = str(d.get("label", v))
        kind = escape(str(d.get("kind", "")))
        r = 16 if v == centre else 12
        cls = f"node node-{kind}" + (" node-centre" if v == centre else "")
        shape = f'<circle cx="{x}" cy="{y}" r="{r}"/>'
        text = (
            f'<text x="{x}" y="{round(y + r + 15, 1)}" text-anchor="middle">'
            f"{escape(_short(label))}</text>"
        )
        url = entity_url(v)
        if url:
            out.append(
                f'<a class="{cls}" href="{escape(url)}"><title>{escape(label)} ({kind})</title>'
                f"{shape}{text}</a>"
            )
        else:
            out.append(f'<g class="{cls}"><title>{escape(label)}</title>{shape}{text}</g>')
    out.append("</g></svg>")
    return "\n".join(out)


# -- how is X connected to Y ------------------------------------------------------------
@bp.get("/network/path")
@bp.get("/network/path.json")
def path_page() -> Any:
    """The cheapest chains of recorded links between two entities, with evidence."""
    source, target = (request.args.get(k, "").strip() for k in ("from", "to"))
    filters = _filters()
    found: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    problems: list[str] = []
    alternatives: dict[str, list[dict[str, Any]]] = {}
    searched = bool(source and target)
    if searched:
        g = graph("connections", filters)
        for name, text in (("from", source), ("to", target)):
            nodes = N.resolve(g, text)
            if not nodes:
                problems.append(f"Nothing in the network is called “{text}”.")
                continue
            ends.append(_node(g, nodes[0]))
            alternatives[name] = [_node(g, v) for v in nodes[1:6]]
        if len(ends) == 2 and not problems:
            k = min(max(int(request.args.get("k", "3") or 3), 1), 5)
            for hops in N.paths(g, ends[0]["iri"], ends[1]["iri"], k=k):
                found.append({"hops": [_hop(h) for h in hops]})
            if not found and ends[0]["iri"] != ends[1]["iri"]:
                problems.append(f"{ends[0]['label']} and {ends[1]['label']} are not connected.")
    return page(
        "network_path.html",
        {
            "title": "How are they connected?",
            "source": source,
            "target": target,
            "searched": searched,
            "ends": ends,
            "alternatives": alternatives,
            "paths": found,
            "problems": problems,
        },
        404 if searched and len(ends) < 2 else 200,
    )


def _hop(h: N.Hop) -> dict[str, Any]:
    subject, obj = (h.source, h.target) if h.forward else (h.target, h.source)
    names = {h.source: h.source_label, h.target: h.target_label}
    return {
        "subject": {"iri": subject, "label": names[subject], "url": entity_url(subject)},
        "relation": h.relation,
        "object": {"iri": obj, "label": names[obj], "url": entity_url(obj)},
        "text": h.text,
        "evidence": _evidence(list(h.evidence)),
        "more_evidence": max(0, len(h.evidence) - 5),
    }
