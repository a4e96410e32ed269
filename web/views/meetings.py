"""The meetings list (`/meetings`) and one meeting's minutes (`/meeting/<slug>`).

The minutes are rendered from the graph: the header, attendance with roles, the agenda,
every paragraph in order with a stable anchor (``p-<order>``), the speaker of each
statement linked, actions boxed. ``?hl=START-END`` (character offsets into the source
text, as spans are stored) marks that span; ``?doc=SHA`` picks one document when a
meeting has several.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date as _date
from typing import Any

from flask import Blueprint, abort, request

from kg import iris
from web import data, render
from web import queries as Q
from web.views.entities import (
    SHA,
    SLUG,
    action_row,
    entity_url,
    meeting_url,
    select,
    to_int,
)

bp = Blueprint("meetings", __name__)

PER_PAGE = 50
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")


@bp.app_template_filter("nice_date")
def nice_date(value: str | None) -> str:
    """ "3 September 2024" for "2024-09-03"; anything else as it is."""
    if not value:
        return ""
    try:
        d = _date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day} {d:%B %Y}"


def page_number() -> int:
    """?page as a positive int (1 when missing or malformed)."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/meetings")
@bp.get("/api/meetings")
@bp.get("/meetings.json")
def meetings() -> Any:
    """Every meeting with minutes, newest first, with its body and counts."""
    page = page_number()
    ordered = meetings_by_date()
    total = len(ordered)
    pages = max(1, -(-total // PER_PAGE))
    start = (page - 1) * PER_PAGE
    rows = _meeting_rows(ordered[start : start + PER_PAGE])
    counts = (
        {
            str(r["meeting"]): r
            for r in select(Q.meeting_counts_query([str(m["meeting"]) for m in rows]))
        }
        if rows
        else {}
    )
    items = []
    for r in rows:
        c = counts.get(str(r["meeting"]), {})
        items.append(
            {
                "iri": r["meeting"],
                "url": meeting_url(r["meeting"]),
                "title": r["title"],
                "date": r["date"],
                "kind": r["kind"],
                "body": r["body_label"],
                "body_url": entity_url(r["body"]),
                "documents": to_int(c.get("documents")) or 0,
                "paragraphs": to_int(c.get("paragraphs")) or 0,
                "statements": to_int(c.get("statements")) or 0,
                "actions": to_int(c.get("actions")) or 0,
            }
        )
    return render.page(
        "meetings.html",
        {
            "title": "Meetings",
            "meetings": items,
            "total": total,
            "page": page,
            "pages": pages,
            "per_page": PER_PAGE,
        },
    )


def meetings_by_date() -> list[str]:
    """Every meeting with minutes, newest first (then by IRI; undated ones last).

    Worked out once per opened store: sorting the whole graph is too slow per request.
    """

    def compute() -> list[str]:
        rows = select(Q.meeting_dates_query())
        rows.sort(key=lambda r: str(r["meeting"]))
        rows.sort(key=lambda r: r["date"] or "", reverse=True)
        return [str(r["meeting"]) for r in rows]

    return data.memo("meetings_by_date", compute)


def _meeting_rows(meetings: list[str]) -> list[dict[str, str | None]]:
    """Title, date, kind and body of these meetings, in the order given."""
    if not meetings:
        return []
    found = {str(r["meeting"]): r for r in select(Q.meetings_query(meetings))}
    blank = dict.fromkeys(("title", "date", "kind", "body", "body_label"))
    return [found.get(m) or {**blank, "meeting": m} for m in meetings]


def latest_meetings(n: int = 5) -> list[dict[str, Any]]:
    """The n newest meetings: title, date, body, url (for the search page's intro)."""
    return [
        {
            "iri": r["meeting"],
            "url": meeting_url(r["meeting"]),
            "title": r["title"],
            "date": r["date"],
            "body": r["body_label"],
        }
        for r in _meeting_rows(meetings_by_date()[:n])
    ]


def _person(node: str | None, name: str | None) -> dict[str, Any] | None:
    if not node:
        return None
    return {"iri": node, "name": name or node.rsplit("/", 1)[-1], "url": entity_url(node)}


@bp.get("/meeting/<slug>")
@bp.get("/api/meeting/<slug>")
def meeting(slug: str) -> Any:
    """One meeting's minutes, rendered from the graph."""
    if slug.endswith(".json"):
        slug = slug[:-5]
    if not SLUG.match(slug):
        abort(404, "No such meeting")
    node = f"{iris.base()}meeting/{slug}"
    head = select(Q.meeting_query(node))
    documents = select(Q.meeting_documents_query(node))
    if not head or not documents:
        abort(404, "No such meeting")
    h = head[0]
    wanted = request.args.get("doc", "")
    if wanted and not SHA.match(wanted):
        abort(404, "No such document")
    shas = [str(d["sha256"]) for d in documents]
    if wanted and wanted not in shas:
        abort(404, "No such document for this meeting")
    sha = wanted or shas[0]
    doc = next(d for d in documents if d["sha256"] == sha)
    doc_iri = str(doc["document"])
    is_pdf = (doc["format"] or "") == "pdf"

    attendance = select(Q.attendance_query(node, doc_iri))
    people = [
        {
            **(_person(r["person"], r["name"]) or {}),
            "role": r["role"],
            "organisation": r["organisation_label"],
            "organisation_url": entity_url(r["organisation"]),
        }
        for r in attendance
    ]
    statuses = [r["status"] for r in attendance]

    items = select(Q.agenda_query(doc_iri))
    by_iri = {str(r["item"]): r for r in items}

    def level(item: dict[str, str | None]) -> int:
        depth, parent = 0, item["parent"]
        while parent in by_iri and depth < 5:
            depth, parent = depth + 1, by_iri[str(parent)]["parent"]
        return depth

    agenda = [
        {
            "iri": r["item"],
            "order": to_int(r["order"]),
            "ref": r["ref"],
            "title": r["title"] or "",
            "level": level(r),
            "anchor": f"item-{r['order']}",
        }
        for r in items
    ]
    order_of_item = {str(r["item"]): to_int(r["order"]) for r in items}

    statements: list[dict[str, Any]] = []
    for r in select(Q.statements_query(doc_iri)):
        if statements and statements[-1]["iri"] == r["statement"]:
            if r["speaker"]:
                statements[-1]["speakers"].append(_person(r["speaker"], r["name"]))
            continue
        statements.append(
            {
                "iri": r["statement"],
                "start": to_int(r["start"]),
                "end": to_int(r["end"]),
                "mention": r["mention"] or "",
                "act": r["act"],
                "speakers": [_person(r["speaker"], r["name"])] if r["speaker"] else [],
            }
        )
    actions = [action_row(r) for r in select(Q.doc_actions_query(doc_iri))]

    paragraphs: list[dict[str, Any]] = []
    for r in select(Q.paragraphs_query(doc_iri)):
        page = to_int(r["page"])
        paragraphs.append(
            {
                "iri": r["paragraph"],
                "order": to_int(r["order"]),
                "anchor": f"p-{r['order']}",
                "text": r["text"] or "",
                "start": to_int(r["start"]),
                "end": to_int(r["end"]),
                "page": page,
                "page_url": f"/source/{sha}#page={page}" if is_pdf and page else None,
                "item": order_of_item.get(str(r["part_of"])),
                "statements": [],
                "actions": [],
            }
        )
    _place_parts(paragraphs, statements, "statements")
    loose = _place_parts(paragraphs, actions, "actions")

    many = len(documents) > 1
    highlight = _highlight(request.args.get("hl", ""))
    page_data = {
        "title": h["title"] or slug,
        "meeting": {
            "iri": node,
            "slug": slug,
            "url": f"/meeting/{slug}",
            "title": h["title"],
            "date": h["date"],
            "kind": h["kind"],
            "venue": h["venue"],
            "body": {"iri": h["body"], "label": h["body_label"], "url": entity_url(h["body"])}
            if h["body"]
            else None,
            "chair": _person(h["chair"], h["chair_name"]),
            "minuted_by": _person(h["minuted_by"], h["minuted_by_name"]),
            "next_date": h["next_date"],
        },
        "documents": [
            {
                "sha256": d["sha256"],
                "format": d["format"],
                "name": (d["path"] or "").replace("\\", "/").rsplit("/", 1)[-1],
                "source_url": f"/source/{d['sha256']}",
                "url": f"/meeting/{slug}?doc={d['sha256']}" if many else f"/meeting/{slug}",
                "current": d["sha256"] == sha,
            }
            for d in documents
        ],
        "document": sha,
        "attendees": [p for p, s in zip(people, statuses, strict=True) if s == "present"],
        "apologies": [p for p, s in zip(people, statuses, strict=True) if s == "apologies"],
        "agenda": agenda,
        "paragraphs": paragraphs,
        "other_actions": loose,
        "highlight": list(highlight) if highlight else None,
    }
    return render.page("meeting.html", page_data)


def _highlight(value: str) -> tuple[int, int] | None:
    m = _HL.match(value)
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(2))
    return (start, end) if start < end else None


def _place_parts(
    paragraphs: list[dict[str, Any]], parts: list[dict[str, Any]], key: str
) -> list[dict[str, Any]]:
    """Put each part in the last paragraph starting at or before it; return the rest."""
    starts = [(p["start"], p) for p in paragraphs if p["start"] is not None]
    loose = []
    for part in parts:
        s = part["start"] if "start" in part else (part.get("span") or [None])[0]
        home = None
        if s is not None:
            for ps, p in starts:
                if ps <= s:
                    home = p
                else:
                    break
        if home is None:
            loose.append(part)
        else:
            home[key].append(part)
    return loose


@bp.app_template_global()
def minutes_blocks(
    agenda: list[dict[str, Any]], paragraphs: list[dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """The minutes in reading order: ("item", item, first) headings and ("para", p, _).

    An agenda item gets its heading (with its anchor, the first time) before its first
    paragraph; items with no paragraphs get theirs in agenda order.
    """
    items = {i["order"]: i for i in agenda}
    pending = [i["order"] for i in agenda]
    shown: set[int] = set()
    current: int | None = None
    for p in paragraphs:
        item = p["item"]
        if item is not None and item != current and item in items:
            while pending and pending[0] is not None and pending[0] < item:
                o = pending.pop(0)
                if o not in shown:
                    shown.add(o)
                    yield ("item", items[o], True)
            if item in pending:
                pending.remove(item)
            yield ("item", items[item], item not in shown)
            shown.add(item)
            current = item
        yield ("para", p, False)
    for o in pending:
        if o not in shown:
            yield ("item", items[o], True)


@bp.app_template_global()
def para_pieces(p: dict[str, Any], highlight: list[int] | None) -> list[dict[str, Any]]:
    """A paragraph's text cut into pieces for the template.

    Each piece is {"text", "mark", "speakers"(linked mention), "insert"(speakers in
    brackets after a mention that does not name them)}. Offsets come from the stored
    spans; the paragraph's text is exactly the source text of its span.
    """
    text, base = p["text"], p["start"]
    n = len(text)
    if base is None:
        return [{"text": text, "mark": False, "speakers": None, "insert": None}]
    links: list[tuple[int, int, list[dict[str, Any]]]] = []
    inserts: dict[int, list[dict[str, Any]]] = {}
    for st in p["statements"]:
        speakers = [s for s in st["speakers"] if s]
        if not speakers or st["start"] is None:
            continue
        local = max(0, st["start"] - base)
        if local >= n:
            continue
        mention = st["mention"]
        at = text.lower().find(mention.lower(), local, local + len(mention) + 80) if mention else -1
        if at < 0:
            inserts.setdefault(local, []).extend(speakers)
            continue
        end = at + len(mention)
        if any(links_overlap(at, end, a, b) for a, b, _ in links):
            continue
        named = all(_names(s["name"], mention) for s in speakers)
        if named:
            links.append((at, end, speakers))
        else:
            inserts.setdefault(end, []).extend(speakers)
    hs = he = -1
    if highlight:
        hs, he = max(0, highlight[0] - base), min(n, highlight[1] - base)
    cuts = sorted({0, n, *inserts, *(c for c in (hs, he) if 0 <= c <= n)} | _ends(links))
    pieces: list[dict[str, Any]] = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
        if a in inserts:
            pieces.append({"text": "", "mark": False, "speakers": None, "insert": inserts[a]})
        if b is None or a >= b:
            continue
        link = next((sp for la, lb, sp in links if la <= a and b <= lb), None)
        pieces.append(
            {"text": text[a:b], "mark": hs <= a and b <= he, "speakers": link, "insert": None}
        )
    return pieces


def links_overlap(a: int, b: int, c: int, d: int) -> bool:
    return a < d and c < b


def _ends(links: list[tuple[int, int, Any]]) -> set[int]:
    return {x for a, b, _ in links for x in (a, b)}


def _names(name: str, mention: str) -> bool:
    """Whether the words of a mention already name the person ("Commissioner Nash")."""
    words = [w for w in re.split(r"\W+", name.lower()) if w]
    return bool(words) and words[-1] in re.split(r"\W+", mention.lower())
