"""Entity pages, `/id/<type>/<slug>`: a person, organisation, place, topic or role.

Meeting and document IRIs redirect to the meeting page; a part of the minutes
(paragraph, statement, action, agenda item) redirects to its paragraph there. The link
helpers here (`entity_url`, `meeting_url`, `part_url`) are how every page turns an IRI
into a link, and are template globals.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, request

from kg import iris
from web import data, render
from web import queries as Q

bp = Blueprint("entities", __name__)

# a meeting's slug is its title's when it names no body: up to a 1,000-character line
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,2047}$")
SHA = re.compile(r"^[0-9a-f]{64}$")
TYPES = {
    "person": "person",
    "org": "organisation",
    "place": "place",
    "topic": "topic",
    "role": "role",
}
"""IRI path segment -> page kind."""
PARTS = ("paragraph", "statement", "action", "item")


# -- links ------------------------------------------------------------------------------
def node_path(node: str | None) -> str | None:
    """ "person/jane-doe" for an IRI under BASE, else None."""
    base = iris.base()
    if not node or not node.startswith(base):
        return None
    return node[len(base) :]


def meeting_url(node: str | None, **params: Any) -> str | None:
    """The meeting page of a meeting IRI (params become the query string)."""
    path = node_path(node)
    if not path or not path.startswith("meeting/"):
        return None
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"/meeting/{path[8:]}" + (f"?{urlencode(query)}" if query else "")


def entity_url(node: str | None) -> str | None:
    """The page of any IRI under BASE (meetings go to their meeting page)."""
    path = node_path(node)
    if not path:
        return None
    if path.startswith("meeting/"):
        return meeting_url(node)
    return f"/id/{path}"


def part_url(
    meeting: str | None,
    order: int | str | None,
    *,
    document: str | None = None,
    span: tuple[int | str | None, int | str | None] | None = None,
    many_documents: bool = False,
) -> str | None:
    """The meeting page scrolled to paragraph `order`, the span highlighted.

    `document` (a document IRI or sha256) is named only when the meeting has more than
    one document, since the page shows one document's minutes at a time.
    """
    sha = (document or "").rsplit("/", 1)[-1] if many_documents else None
    hl = f"{span[0]}-{span[1]}" if span and span[0] is not None and span[1] is not None else None
    url = meeting_url(meeting, doc=sha, hl=hl)
    if url is None:
        return None
    return f"{url}#p-{order}" if order is not None else url


def status_label(status: str | None) -> str:
    """ "open" for gkg:StatusOpen (the words after "#Status", lower case)."""
    if not status:
        return ""
    return status.rsplit("#Status", 1)[-1].lower() if "#Status" in status else status


@bp.app_template_global()
def link_to(node: str | None) -> str | None:
    return entity_url(node)


@bp.app_template_filter("status")
def _status_filter(status: str | None) -> str:
    return status_label(status)


# -- helpers for the views -----------------------------------------------------------------
def select(query: str) -> list[dict[str, str | None]]:
    """Rows of a SELECT over the app's store."""
    return data.store().select(query)[1]


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def many_documents(meetings: list[str]) -> set[str]:
    """The meetings (of these) recorded in more than one document."""
    if not meetings:
        return set()
    rows = select(
        Q.prefix_block()
        + "SELECT ?m (COUNT(DISTINCT ?d) AS ?n) WHERE { "
        + Q.values("m", set(meetings))
        + " ?m prov:wasDerivedFrom ?d } GROUP BY ?m"
    )
    return {str(r["m"]) for r in rows if (to_int(r["n"]) or 0) > 1}


def action_row(row: dict[str, str | None]) -> dict[str, Any]:
    """An action for a page: text, kind, owner/owed_to {iri, label, text, url}, due, status."""

    def agent(prefix: str) -> dict[str, Any] | None:
        node, label, text = row.get(prefix), row.get(f"{prefix}_label"), row.get(f"{prefix}_text")
        if not (node or text):
            return None
        return {"iri": node, "label": label or text, "text": text, "url": entity_url(node)}

    due, status = row.get("due"), status_label(row.get("status"))
    overdue = False
    if status == "open" and due and re.match(r"^\d{4}-\d{2}-\d{2}$", due):
        overdue = due < date.today().isoformat()
    return {
        "iri": row["action"],
        "kind": row.get("kind") or "action",
        "text": row.get("text") or "",
        "owner": agent("owner"),
        "owed_to": agent("owed_to"),
        "due": due,
        "status": status,
        "overdue": overdue,
        "ref": row.get("ref"),
        "span": [to_int(row.get("start")), to_int(row.get("end"))],
    }


def located_actions(
    rows: list[dict[str, str | None]],
    *,
    where: dict[str, dict[str, Any]] | None = None,
    many: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Actions with their meeting and a link to their paragraph. `where` (from `locate`)
    and `many` (from `many_documents`) are looked up when not given."""
    out = [action_row(r) for r in rows]
    if where is None:
        where = locate([a["iri"] for a in out])
    if many is None:
        many = many_documents([str(r["meeting"]) for r in rows if r.get("meeting")])
    for action, row in zip(out, rows, strict=True):
        loc = where.get(action["iri"], {})
        action["meeting"] = {
            "iri": row.get("meeting"),
            "title": row.get("title"),
            "date": row.get("date"),
            "url": meeting_url(row.get("meeting")),
        }
        action["url"] = part_url(
            row.get("meeting"),
            loc.get("order"),
            document=row.get("document"),
            span=tuple(action["span"]),  # type: ignore[arg-type]
            many_documents=row.get("meeting") in many,
        )
    return out


def locate(parts: list[str]) -> dict[str, dict[str, Any]]:
    """Part IRI -> {document, meeting, order}: order is the paragraph the part starts
    in (the last one starting at or before it)."""
    if not parts:
        return {}
    rows = select(Q.locate_query(dict.fromkeys(parts)))
    starts: dict[str, list[tuple[int, int]]] = {}
    docs = sorted({str(r["document"]) for r in rows})
    for i in range(0, len(docs), 100):
        for p in select(Q.paragraph_starts_query(docs[i : i + 100])):
            starts.setdefault(str(p["document"]), []).append(
                (to_int(p["start"]) or 0, to_int(p["order"]) or 0)
            )
    for paras in starts.values():
        paras.sort()
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        doc, start = str(row["document"]), to_int(row["start"])
        paras = starts.get(doc, [])
        i = bisect_right(paras, (start, 1 << 62)) if start is not None else 0
        out[str(row["part"])] = {
            "document": doc,
            "meeting": row["meeting"],
            "order": paras[i - 1][1] if i else None,
        }
    return out


# -- the pages ------------------------------------------------------------------------------
@bp.get("/id/<kind>/<slug>")
@bp.get("/api/id/<kind>/<slug>")
def entity(kind: str, slug: str) -> Any:
    """The page of one node of the graph."""
    if slug.endswith(".json"):
        slug = slug[:-5]
    if not SLUG.match(slug):
        abort(404, "Nothing is known by that name")
    node = f"{iris.base()}{kind}/{slug}"
    suffix = ".json" if request.path.endswith(".json") else ""
    if kind == "meeting":
        return redirect(f"/meeting/{slug}{suffix}", 303)
    if kind == "document":
        return _document(slug, suffix)
    if kind in PARTS:
        return _part(node)
    if kind not in TYPES:
        abort(404, "Nothing is known by that name")
    from web.views.actions import today

    # the page's data once per opened store (web.data.memo, single flight): the same
    # entity asked again, by twenty visitors at once or later, costs no query; the key
    # holds everything the data depends on besides the store (its path and arguments:
    # section pages and their links; the day: what is overdue; the list sizes)
    key = (
        "entity-page",
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        today(),
        date.today().isoformat(),
        (PERSON_LIST, MENTIONS, MENTIONS_WINDOW, TIMELINE),
    )
    target, page_kind, page_data = data.memo(key, lambda: _entity_data(kind, slug, node))
    if target:
        return redirect(target + suffix, 303)
    return render.page(f"entity_{page_kind}.html", page_data)


def _entity_data(kind: str, slug: str, node: str) -> tuple[str | None, str, dict[str, Any]]:
    """(a redirect target or None, the page kind, the page's data) of an entity page."""
    types = {str(r["type"]) for r in select(Q.types_query(node))}
    if not types:
        abort(404, "Nothing is known by that name")
    page_kind = TYPES[kind]
    if page_kind != "role":
        # a node kg.identity merged into another: its page is the canonical node's
        # (RDF of the node itself is web.views.linkeddata's, answered before this view)
        canon = select(Q.canonical_query(node))
        target = entity_url(canon[0]["canonical"]) if canon else None
        if target:
            if request.path.startswith("/api/"):
                target = "/api" + target
            return target, "", {}
    variants = select(Q.variants_query(node)) if page_kind != "role" else []
    nodes = [node] + [str(v["variant"]) for v in variants]
    labels = select(Q.labels_query([node]))
    label = (labels[0]["label"] if labels else None) or slug
    alt = [a for a in ((labels[0]["alt"] or "") if labels else "").split("\x1f") if a]
    info = {
        "iri": node,
        "type": page_kind,
        "slug": slug,
        "label": label,
        "alt_labels": alt,
        "url": f"/id/{kind}/{slug}",
        "classes": sorted(types),
        "also": _also_recorded(kind, slug, variants, str(label)),
    }
    build = {
        "person": _person,
        "organisation": _organisation,
        "place": _place,
        "topic": _topic,
        "role": _role,
    }[page_kind]
    page_data = {"entity": info, **build(nodes)}
    if page_kind != "role":
        page_data["commitments"] = _commitments(page_kind, nodes, str(label))
    return None, page_kind, page_data


def _also_recorded(
    kind: str, slug: str, variants: list[dict[str, str | None]], label: str
) -> list[dict[str, Any]]:
    """The names kg.identity merged into a node, one entry per name as written: how many
    nodes and minutes carry it, first and last meeting date, and (for a person) the page
    that explains the merge (kg.identity.explain, as `govkg why-same` does)."""
    names: dict[str, dict[str, Any]] = {}
    for v in variants:
        name = str(v["name"] or (node_path(v["variant"]) or "").rsplit("/", 1)[-1])
        entry = names.setdefault(
            name.casefold(),
            {"name": name, "nodes": [], "meetings": 0, "first": None, "last": None},
        )
        entry["nodes"].append(v["variant"])
        entry["meetings"] += to_int(v["meetings"]) or 0
        for key, pick in (("first", min), ("last", max)):
            if v[key]:
                entry[key] = pick(filter(None, [entry[key], v[key]]))
    out = []
    for entry in sorted(names.values(), key=lambda e: (-len(e["nodes"]), e["name"].casefold())):
        other = (node_path(entry["nodes"][0]) or "").rsplit("/", 1)[-1]
        entry["why_url"] = f"/id/{kind}/{slug}/same-as/{other}" if kind == "person" else None
        entry["how"] = how_written(entry["name"], label, person=kind == "person")
        entry["records"] = len(entry.pop("nodes"))
        out.append(entry)
    return out


def how_written(name: str, canonical: str, *, person: bool) -> str:
    """How a merged name relates to the canonical one, in words ("the surname alone"):
    a description of the two names for the page; the rule kg.identity applied is on the
    page `same_as` (kg.identity.explain)."""
    words, full = name.replace(".", " ").split(), canonical.replace(".", " ").split()
    if name.casefold() == canonical.casefold():
        return "the same name, in other minutes"
    if not person:
        initials = "".join(w[0] for w in full if w[:1].isalpha()).casefold()
        if name.casefold() == initials:
            return "its initials"
        if name.casefold().strip() in ("council", "committee", "board", "panel", "authority"):
            return "the word its own minutes use for it"
        return "a short form of its name, in the minutes of one body"
    if not words or not full:
        return "another form of the name"
    if len(words) == 1 and words[0].casefold() == full[-1].casefold():
        return "the surname alone"
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 4:
        return "initials alone"
    if words[-1].casefold() == full[-1].casefold() and all(len(w) == 1 for w in words[:-1]):
        return "initials and surname"
    return "another form of the name"


@bp.get("/id/person/<slug>/same-as/<other>")
def same_as(slug: str, other: str) -> Any:
    """Why kg.identity made `other` the person `slug`: the evidence for both nodes and
    the chain of rules that joined them (kg.identity.explain, as `govkg why-same`)."""
    if not (SLUG.match(slug) and SLUG.match(other)):
        abort(404, "Nothing is known by that name")
    node, variant = f"{iris.base()}person/{slug}", f"{iris.base()}person/{other}"
    canon = select(Q.canonical_query(variant))
    if not canon or canon[0]["canonical"] != node:
        abort(404, "These two are not recorded as one person")

    def explain() -> str:
        from kg.identity import curation_path, explain, load_curation

        try:
            curation = load_curation(curation_path(current_app.config["DATA"]))
        except ValueError:
            curation = None
        try:
            return explain(data.store(), variant, node, curation)[1]
        except LookupError as exc:
            return str(exc)

    text = data.memo(("why-same", variant, node), explain)
    labels = {str(r["node"]): r["label"] for r in select(Q.labels_query([node, variant]))}
    return render.page(
        "entity_same_as.html",
        {
            "entity": {"iri": node, "label": labels.get(node) or slug, "url": f"/id/person/{slug}"},
            "variant": {"iri": variant, "label": labels.get(variant) or other},
            "explanation": text,
        },
    )


def _document(sha: str, suffix: str) -> Any:
    if not SHA.match(sha):
        abort(404, "No such document")
    rows = select(
        Q.prefix_block()
        + f"SELECT ?m WHERE {{ ?m prov:wasDerivedFrom {Q.iri(iris.document_iri(sha).value)} }} LIMIT 1"
    )
    if not rows:
        abort(404, "No such document")
    url = meeting_url(rows[0]["m"], doc=sha) or "/"
    if suffix:
        url = url.replace("?", ".json?", 1) if "?" in url else url + suffix
    return redirect(url, 303)


def _part(node: str) -> Any:
    where = locate([node]).get(node)
    if not where or not where.get("meeting"):
        abort(404, "Nothing is known by that name")
    many = many_documents([where["meeting"]])
    url = part_url(
        where["meeting"],
        where["order"],
        document=where["document"],
        many_documents=where["meeting"] in many,
    )
    return redirect(url or "/", 303)


def _meeting_ref(row: dict[str, str | None]) -> dict[str, Any]:
    return {
        "iri": row.get("meeting"),
        "title": row.get("title"),
        "date": row.get("date"),
        "url": meeting_url(row.get("meeting")),
    }


PERSON_LIST = 50
"""Rows per list on a person's page; more are a page away (``?statements_page=2``)."""
PERSON_SECTIONS = ("roles", "meetings", "statements", "actions_owned", "actions_owed")
"""The lists of a person's page, each paged on its own by ``?<name>_page=N``."""


def _section_page(name: str) -> int:
    try:
        return max(1, min(int(request.args.get(f"{name}_page", "1")), 10_000))
    except ValueError:
        return 1


def _section_links(name: str, page: int, more: bool) -> dict[str, Any]:
    """Previous/next links of one list of a page, keeping the other lists where they are."""

    def url(n: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != f"{name}_page"]
        if n > 1:
            args.append((f"{name}_page", str(n)))
        return request.path + ("?" + urlencode(args) if args else "") + f"#{name}"

    return {
        "page": page,
        "per_page": PERSON_LIST,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if more else None,
        "pages": [],
    }


def _paged(
    name: str, fetch: Callable[[int, int], str]
) -> tuple[list[dict[str, str | None]], dict[str, Any]]:
    """One page of a list: `fetch(limit, offset)` asked for one row more than shown, to
    know whether there is a next page."""
    page = _section_page(name)
    rows = select(fetch(PERSON_LIST + 1, (page - 1) * PERSON_LIST))
    return rows[:PERSON_LIST], _section_links(name, page, len(rows) > PERSON_LIST)


def _person(nodes: list[str]) -> dict[str, Any]:
    """A person's page: its lists gather every node kg.identity merged into it (`nodes`,
    the canonical one first), each list paged on its own."""
    node = nodes[0]
    paging: dict[str, Any] = {}
    found, paging["roles"] = _paged(
        "roles", lambda n, off: Q.person_roles_query(nodes, limit=n, offset=off)
    )
    roles = []
    for r in found:
        roles.append(
            {
                "role": r["role_label"],
                "role_url": entity_url(r["role"]),
                "organisation": r["organisation_label"],
                "organisation_url": entity_url(r["organisation"]),
                "meeting": _meeting_ref(r),
            }
        )
    found, paging["meetings"] = _paged(
        "meetings", lambda n, off: Q.person_meetings_query(nodes, limit=n, offset=off)
    )
    meetings = [
        {**_meeting_ref(r), "body": r["body_label"], "as": (r["how"] or "").split()} for r in found
    ]
    rows, paging["statements"] = _paged(
        "statements", lambda n, off: Q.person_statements_query(nodes, limit=n, offset=off)
    )
    owned, paging["actions_owned"] = _paged(
        "actions_owned", lambda n, off: Q.agent_actions_query(nodes, "owner", n, off)
    )
    owed, paging["actions_owed"] = _paged(
        "actions_owed", lambda n, off: Q.agent_actions_query(nodes, "owed_to", n, off)
    )
    where = locate([str(r["statement"]) for r in rows] + [str(r["action"]) for r in owned + owed])
    many = many_documents([str(r["meeting"]) for r in rows + owned + owed if r["meeting"]])
    statements = []
    for r in rows:
        loc = where.get(str(r["statement"]), {})
        statements.append(
            {
                "iri": r["statement"],
                "text": r["text"],
                "act": r["act"],
                "mention": r["mention"],
                "meeting": _meeting_ref(r),
                "url": part_url(
                    r["meeting"],
                    loc.get("order"),
                    document=r["document"],
                    span=(r["start"], r["end"]),
                    many_documents=r["meeting"] in many,
                ),
            }
        )
    return {
        "roles": roles,
        "meetings": meetings,
        "statements": statements,
        "actions_owned": located_actions(owned, where=where, many=many),
        "actions_owed": located_actions(owed, where=where, many=many),
        "search_url": "/?" + urlencode({"person": node_path(node) or node}),
        "pagination": paging,
    }


def _organisation(nodes: list[str]) -> dict[str, Any]:
    """An organisation's page, gathering the aliases kg.identity merged into it."""
    return {
        "meetings": [_meeting_ref(r) for r in select(Q.organisation_meetings_query(nodes))],
        "members": [
            {
                "iri": r["person"],
                "name": r["name"],
                "url": entity_url(r["person"]),
                "role": r["role"],
                "first": r["first"],
                "last": r["last"],
            }
            for r in select(Q.organisation_members_query(nodes))
        ],
        "actions_owned": located_actions(select(Q.agent_actions_query(nodes, "owner"))),
        "actions_owed": located_actions(select(Q.agent_actions_query(nodes, "owed_to"))),
        **_mentions(nodes),
    }


MENTIONS = 50
"""How many of the latest mentioning paragraphs a place, topic or organisation page
lists (the search link finds the rest)."""


MENTIONS_WINDOW = 400
"""The latest mentions are looked for in the newest this many meetings first."""


def _latest_mentions(node: list[str], limit: int, total: int) -> list[dict[str, str | None]]:
    """The newest `limit` of the `total` paragraphs mentioning a node, newest first.

    A node mentioned more than MENTIONS_WINDOW times is asked of the newest
    MENTIONS_WINDOW meetings first (it then costs no more than one mentioned a few
    times), and of every meeting when that finds fewer, or when the last found is as
    old as the window's oldest meeting (another meeting of that day might come first)."""
    from web.views.meetings import meetings_by_date

    recent = meetings_by_date()[:MENTIONS_WINDOW] if total > MENTIONS_WINDOW else []
    if len(recent) == MENTIONS_WINDOW:
        rows = select(Q.mentioning_paragraphs_query(node, limit=limit, meetings=recent))
        oldest = select(
            Q.prefix_block() + f"SELECT ?d WHERE {{ {Q.iri(recent[-1])} dcterms:date ?d }}"
        )
        edge = str(oldest[0]["d"]) if oldest else ""
        if len(rows) == limit and str(rows[-1]["date"] or "") > edge:
            return rows
    return select(Q.mentioning_paragraphs_query(node, limit=limit))


def _mentions(node: list[str]) -> dict[str, Any]:
    """Mentions over time (per meeting date) and the latest mentioning paragraphs.

    The timeline counts every mention of the node, so it is worked out once per opened
    store (web.data.memo); the paragraphs are the newest MENTIONS only."""

    def count() -> list[dict[str, Any]]:
        return [
            {"date": r["date"], "count": to_int(r["n"]) or 0}
            for r in select(Q.mentions_timeline_query(node))
        ]

    timeline = data.memo(("mentions_timeline", tuple(node)), count)
    rows = _latest_mentions(node, MENTIONS, sum(t["count"] for t in timeline))
    many = many_documents([str(r["meeting"]) for r in rows if r["meeting"]])
    paragraphs = [
        {
            "iri": r["paragraph"],
            "text": r["text"],
            "meeting": _meeting_ref(r),
            "url": part_url(
                r["meeting"],
                r["order"],
                document=r["document"],
                many_documents=r["meeting"] in many,
            ),
        }
        for r in rows
    ]
    return {"timeline": timeline, "paragraphs": paragraphs}


def _place(nodes: list[str]) -> dict[str, Any]:
    return {
        **_mentions(nodes),
        "open_actions": located_actions(select(Q.mentioning_actions_query(nodes))),
        "search_url": "/?" + urlencode({"place": _label_of(nodes[0])}),
    }


def _topic(nodes: list[str]) -> dict[str, Any]:
    node = nodes[0]
    mentions = _mentions(nodes)
    meetings = [
        {**_meeting_ref(r), "items": to_int(r["items"]) or 0}
        for r in select(Q.topic_meetings_query(node))
    ]
    return {
        **mentions,
        "meetings": meetings,
        "search_url": "/?" + urlencode({"topic": _label_of(node)}),
    }


def _role(nodes: list[str]) -> dict[str, Any]:
    node = nodes[0]
    return {
        "holders": [
            {
                "iri": r["person"],
                "name": r["name"],
                "url": entity_url(r["person"]),
                "organisation": r["organisation"],
                "first": r["first"],
                "last": r["last"],
            }
            for r in select(Q.role_holders_query(node))
        ]
    }


def _label_of(node: str) -> str:
    rows = select(Q.labels_query([node]))
    return str((rows[0]["label"] if rows else None) or "")


TIMELINE = 60
"""Commitments drawn on an entity's timeline: the newest this many (the tracker lists all)."""

_TRACKER_FILTER = {"person": "owner", "organisation": "body", "topic": "topic", "place": "place"}


def _commitments(kind: str, nodes: list[str], label: str) -> dict[str, Any]:
    """The newest TIMELINE commitments of an entity for its timeline: each with its
    raising meeting, due date, follow-ups (kg.ledger; a possible one marked, never
    counted) and status (the ledger's, "overdue" when open or updated past its due date
    today), the chart (web.charts.commitments_svg) and the tracker URL for the rest.

    Looked up once per opened store (web.data.memo); overdue is worked out per request."""
    from kg.ledger import follow_ups
    from web.tracker import source_path
    from web.views.actions import today

    def fetch() -> tuple[list[dict[str, Any]], bool]:
        rows = select(Q.commitments_query(kind, nodes, limit=TIMELINE + 1))
        more, rows = len(rows) > TIMELINE, rows[:TIMELINE]
        links = follow_ups(data.store(), [str(r["action"]) for r in rows]) if rows else {}
        found = located_actions([{**r, "owner": None, "owed_to": None} for r in rows])
        items = []
        for r, action in zip(rows, found, strict=True):
            ups = [
                {
                    "date": f["date"],
                    "title": f["title"],
                    "status": f["status"],
                    "possible": bool(f["possible"]),
                    "confidence": f["confidence"],
                    "url": source_path(str(f["meeting"]), _paragraph(f["paragraph"]), None),
                }
                for f in links.get(str(r["action"]), [])
            ]
            text = str(r["text"] or "")
            items.append(
                {
                    "iri": r["action"],
                    "text": text,
                    "kind": r["kind"],
                    "label": f"{r['ref']}: {text}" if r["ref"] else text,
                    "raised": r["date"],
                    "meeting": action["meeting"],
                    "url": action["url"],
                    "due": r["due"] if r["due"] and SHORT_DATE.match(r["due"]) else None,
                    "due_text": r["due_text"],
                    "recorded_status": r["status"] or "open",
                    "follow_ups": ups,
                }
            )
        return items, more

    items, more = data.memo(("commitments", kind, tuple(nodes)), fetch)
    day = today()
    shown = []
    for item in items:
        status = item["recorded_status"]
        if status in ("open", "updated") and item["due"] and item["due"] < day:
            status = "overdue"
        shown.append({**item, "status": status})
    from urllib.parse import quote

    title = f"Commitments of {label} over time, newest first"
    if kind in ("topic", "place"):
        title = f"Commitments about {label} over time, newest first"
    chart = None
    if shown:
        from markupsafe import Markup

        from web import charts

        chart = Markup(  # noqa: S704 - drawn by our own code, every text escaped there
            charts.commitments_svg(shown, title=title, chart_id="commitments")
        )
    return {
        "items": shown,
        "more": more,
        "limit": TIMELINE,
        "chart": chart,
        "title": title,
        "tracker_url": f"/actions?{_TRACKER_FILTER[kind]}={quote(label)}",
    }


def _paragraph(value: object) -> int | None:
    return value if isinstance(value, int) else None


SHORT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@bp.app_template_global()
def timeline_chart(points: list[dict[str, Any]], title: str) -> str | None:
    """An inline SVG of mentions over time, from web.charts when it is there."""
    if not points:
        return None
    try:
        from web import charts
    except ImportError:
        return None
    from markupsafe import Markup

    svg = charts.timeline_svg([(str(p["date"]), int(p["count"])) for p in points], title=title)
    return Markup(svg)  # noqa: S704 - drawn by our own code from numbers and dates
