"""The search page (`/`) and its API (`/api/search`).

One box (``q``), facets as links that add a filter (``year=2024&speaker=...``), sort
by relevance or date, pages, and ``person=`` to search within what one person said or
was named in. Every hit links to its paragraph on the meeting page with the span to
highlight.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, request

from kg import iris
from kg.index import FACETS
from kg.search import SORTS, search
from web import data, render
from web import queries as Q
from web.views.entities import entity_url, locate, many_documents, meeting_url, part_url
from web.views.meetings import latest_meetings, page_number

bp = Blueprint("search", __name__)

MAX_QUERY = 500
"""Longer queries are cut (a query is words, not documents)."""
FACET_TITLES = {
    "year": "Year",
    "body": "Body",
    "meeting": "Meeting",
    "speaker": "Speaker",
    "topic": "Topic",
    "place": "Place",
    "kind": "Kind of result",
}
_PERSON_PATH = re.compile(r"^person/[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def _args() -> list[tuple[str, str]]:
    """The query string as pairs, without page (a new filter or sort starts at page 1)."""
    return [
        (k, v)
        for k, vs in request.args.lists()
        for v in vs
        if k not in ("page", "format") and v != ""
    ]


def _url(pairs: list[tuple[str, str]]) -> str:
    return "/?" + urlencode(pairs) if pairs else "/"


def _with(pairs: list[tuple[str, str]], **changes: str | None) -> str:
    out = [(k, v) for k, v in pairs if k not in changes]
    out += [(k, v) for k, v in changes.items() if v]
    return _url(out)


def _person(value: str) -> tuple[str, dict[str, Any]]:
    """What to pass as within_person, and how to show it."""
    node = None
    if _PERSON_PATH.match(value):
        node = iris.base() + value
    elif value.startswith(iris.base() + "person/"):
        node = value
    if node is None:
        return value, {"value": value, "name": value, "iri": None, "url": None}
    try:
        rows = data.store().select(Q.labels_query([node]))[1]
    except ValueError:
        abort(400, "That is not a person's identifier")
    name = (rows[0]["label"] if rows else None) or value.rsplit("/", 1)[-1]
    return node, {"value": value, "name": name, "iri": node, "url": entity_url(node)}


@bp.get("/")
@bp.get("/api/search")
@bp.get("/search.json")
def index() -> Any:
    """Search the minutes; with nothing asked, a short introduction and the latest meetings."""
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    sort = request.args.get("sort", "relevance")
    if sort not in SORTS:
        abort(400, "Sort by relevance or date")
    page = page_number()
    filters = {f: request.args.getlist(f) for f in FACETS if request.args.getlist(f)}
    person_value = request.args.get("person", "").strip()
    within, person = _person(person_value) if person_value else (None, None)
    per_page = int(current_app.config.get("PER_PAGE", 10))
    pairs = _args()

    if not (q or filters or person):
        return render.page(
            "search.html",
            {
                "query": "",
                "hits": [],
                "total": 0,
                "page": 1,
                "per_page": per_page,
                "pages": 1,
                "sort": sort,
                "facets": {},
                "notes": [],
                "did_you_mean": None,
                "expanded": {},
                "filters": {},
                "person": None,
                "latest_meetings": latest_meetings(),
            },
        )

    try:
        results = search(
            data.index(),
            q,
            page=page,
            per_page=per_page,
            sort=sort,
            within_person=within,
            filters=filters,
        )
    except ValueError as exc:
        abort(400, str(exc))
    out = results.to_json()
    _link_hits(out["hits"])
    for name, facet_values in out["facets"].items():
        chosen = set(filters.get(name, []))
        for fv in facet_values:
            fv["selected"] = fv["value"] in chosen
            fv["url"] = _url([*pairs, (name, fv["value"])]) if not fv["selected"] else None
    active = [
        {
            "facet": name,
            "title": FACET_TITLES[name],
            "value": value,
            "remove_url": _url([(k, v) for k, v in pairs if (k, v) != (name, value)]),
        }
        for name, chosen_values in filters.items()
        for value in chosen_values
    ]
    out.update(
        {
            "filters": filters,
            "active_filters": active,
            "person": person,
            "person_remove_url": _with(pairs, person=None) if person else None,
            "did_you_mean_url": _with(pairs, q=out["did_you_mean"])
            if out["did_you_mean"]
            else None,
            "sort_urls": {s: _with(pairs, sort=s) for s in SORTS},
            "pagination": _pagination(pairs, out["page"], out["pages"]),
        }
    )
    return render.page("search.html", out)


def _link_hits(hits: list[dict[str, Any]]) -> None:
    """Give each hit the URL of its page: the paragraph of a part, an entity's page."""
    parts = [h["id"] for h in hits if h["kind"] in ("statement", "action", "commitment")]
    where = locate(parts)
    many = many_documents([h["meeting"] for h in hits if h["meeting"]])
    for h in hits:
        kind, span = h["kind"], h["span"]
        multi = h["meeting"] in many
        if kind == "paragraph":
            order = h["anchor"]
        elif kind in ("statement", "action", "commitment"):
            order = where.get(h["id"], {}).get("order")
        else:
            order = None
        if order is not None:
            h["url"] = part_url(
                h["meeting"],
                order,
                document=h["doc"],
                span=(span[0], span[1]) if span else None,
                many_documents=multi,
            )
        elif kind == "item":
            base = meeting_url(h["meeting"], doc=h["doc"] if multi else None) or "/"
            h["url"] = f"{base}#item-{h['anchor']}"
        elif kind == "meeting":
            h["url"] = meeting_url(h["id"])
        else:
            h["url"] = entity_url(h["id"]) or meeting_url(h["meeting"])


def _pagination(pairs: list[tuple[str, str]], page: int, pages: int) -> dict[str, Any]:
    """Previous/next and a window of page numbers (None marks a gap)."""

    def url(n: int) -> str:
        return _url([*pairs, ("page", str(n))] if n > 1 else pairs)

    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbers: list[dict[str, Any] | None] = []
    for i, n in enumerate(shown):
        if i and n - shown[i - 1] > 1:
            numbers.append(None)
        numbers.append({"number": n, "url": url(n), "current": n == page})
    return {
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
        "pages": numbers if pages > 1 else [],
    }


@bp.app_template_global()
def facet_title(name: str) -> str:
    return FACET_TITLES.get(name, name.capitalize())
