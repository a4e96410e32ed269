"""Feeds: Atom 1.0 (RFC 4287) for any search, entity and the tracker; iCalendar
(RFC 5545) for the tracker's due dates."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request

from kg import iris
from kg.queries import ENTITY_FEED_KINDS, entity_feed_query, paragraphs_query
from web import data
from web.tracker import DUE_SOON_DAYS, Filters, all_rows, due_soon, entity_path, source_path
from web.views.actions import filters_from_request, today

bp = Blueprint("feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
ICAL_TYPE = "text/calendar; charset=utf-8"
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_KINDS = ("paragraph", "statement", "action")
"""What a search feed lists: the minutes themselves ("action" includes commitments)."""
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,200}$")


@dataclass
class Entry:
    """One Atom entry. `updated` is YYYY-MM-DD (a meeting's date) or an RFC 3339 time."""

    id: str
    title: str
    updated: str
    link: str
    summary: str
    author: str


def _site() -> str:
    return str(current_app.config.get("SITE_NAME") or "govkg")


def _clean(text: str | None) -> str:
    """Text that XML 1.0 can carry (control characters from documents dropped)."""
    return _NOT_XML.sub("", text or "")


def _stamp(value: str | None) -> str:
    """An RFC 3339 date-time for a YYYY-MM-DD date (midnight UTC); epoch if unknown."""
    if value and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return value + "T00:00:00Z"
    if value and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        return value
    return "1970-01-01T00:00:00Z"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def atom(title: str, entries: list[Entry], *, alternate: str) -> Response:
    """An Atom 1.0 feed document: feed id and rel=self are this request's URL."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = _clean(text)
        return el

    root = request.url_root.rstrip("/")
    # this request's URL as sent (percent-encoded: an IRI never holds "<" or a space)
    query = request.query_string.decode("ascii", "replace")
    here = root + quote(request.path) + ("?" + query if query else "")
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", here)
    sub(feed, "title", f"{title} – {_site()}")
    updated = max((_stamp(e.updated) for e in entries), default=_stamp(today()))
    sub(feed, "updated", updated)
    sub(feed, "link", rel="self", type="application/atom+xml", href=here)
    sub(feed, "link", rel="alternate", type="text/html", href=root + alternate)
    author = sub(feed, "author")
    sub(author, "name", _site())
    sub(feed, "generator", "govkg")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title, type="text")
        sub(entry, "updated", _stamp(e.updated))
        sub(entry, "link", rel="alternate", type="text/html", href=root + e.link)
        sub(entry, "summary", e.summary, type="text")
        sub(sub(entry, "author"), "name", e.author or _site())
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type=ATOM_TYPE)


# -- the tracker ------------------------------------------------------------------


def _action_author(row: dict[str, Any]) -> str:
    return row["owner"] or row["body"] or row["meeting_title"] or ""


def _action_summary(row: dict[str, Any]) -> str:
    text = row["text"].strip()
    bits = [text if text.endswith((".", "!", "?")) else text + "."]
    if row["owed_to"]:
        bits.append(f"For: {row['owed_to']}.")
    if row["due"]:
        bits.append(f"Due: {row['due_date'] or row['due']}.")
    raised = " ".join(x for x in (row["body"] or row["meeting_title"], row["meeting_date"]) if x)
    if raised:
        bits.append(f"Raised at: {raised}.")
    bits.append(f"Status: {row['status']}.")
    return " ".join(bits)


@bp.get("/actions.atom")
def actions_atom() -> Response:
    """New actions (newest meeting first) and actions falling due in the next 14 days."""
    filters = filters_from_request()
    store, now = data.store(), today()
    limit = int(current_app.config["FEED_ITEMS"])
    entries = []
    for row in due_soon(store, filters, today=now):
        due = dt.date.fromisoformat(row["due_date"])
        # updated: the day it came within the window, so the entry stays put until then
        since = max(due - dt.timedelta(days=DUE_SOON_DAYS), dt.date.fromisoformat(now))
        entries.append(
            Entry(
                id=f"{row['action']}#due-{row['due_date']}",
                title=_short(f"Due {row['due_date']}: {row['text']}"),
                updated=since.isoformat(),
                link=row["source_url"] or "/actions",
                summary=_action_summary(row),
                author=_action_author(row),
            )
        )
    newest = replace(filters, sort="raised")
    for row in all_rows(store, newest, today=now, limit=limit):
        entries.append(
            Entry(
                id=row["action"],
                title=_short(f"{row['kind'].capitalize()}: {row['text']}"),
                updated=row["meeting_date"] or "",
                link=row["source_url"] or "/actions",
                summary=_action_summary(row),
                author=_action_author(row),
            )
        )
    return atom("Commitments and actions", entries, alternate="/actions" + filters.query_string())


# -- iCalendar ----------------------------------------------------------------------


def ical_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    value = _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (never inside a UTF-8 character), CRLF ended."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += n
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def calendar(name: str, events: Iterable[dict[str, str]], description: str = "") -> str:
    """A VCALENDAR of all-day VEVENTs (uid, start YYYY-MM-DD, summary, description, url);
    `description` says what the calendar holds (X-WR-CALDESC)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//govkg//commitments tracker//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_text(name)}",
    ]
    if description:
        lines.append(f"X-WR-CALDESC:{ical_text(description)}")
    for ev in events:
        start = dt.date.fromisoformat(ev["start"])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ical_text(ev['uid'])}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ical_text(ev['summary'])}",
            f"DESCRIPTION:{ical_text(ev['description'])}",
            f"URL:{ev['url']}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


ICS_PAST_DAYS = 60
"""How far back /actions.ics goes by default: actions due up to this many days ago."""
ICS_MAX_EVENTS = 500
"""At most this many events in /actions.ics: the soonest due from its first day on."""
ICS_STATES = ("open", "updated", "overdue")
"""What /actions.ics holds unless `status=` says otherwise: actions not done yet."""


def ics_window(filters: Filters, now: str) -> tuple[str, tuple[str, ...]]:
    """The first due day and the states /actions.ics holds for these filters: from
    ICS_PAST_DAYS before `now` (an explicit due_after instead), open or updated (an
    explicit status instead)."""
    floor = (dt.date.fromisoformat(now) - dt.timedelta(days=ICS_PAST_DAYS)).isoformat()
    states = (filters.status,) if filters.status else ICS_STATES
    return filters.due_after or floor, states


def ics_rows(store: Any, filters: Filters, now: str) -> list[dict[str, Any]]:
    """The actions /actions.ics holds: those of `ics_window`, soonest due first, at most
    ICS_MAX_EVENTS of them.

    One tracker question (the filters from the first due day on, soonest due first);
    only the first rows of its answer get their paragraphs and follow-ups looked up,
    more only while done or dropped ones crowd out the open ones. A calendar of every
    dated action in a large store was megabytes and took seconds."""
    after, states = ics_window(filters, now)
    window = replace(filters, due_after=after, sort="due")
    limit = ICS_MAX_EVENTS
    while True:
        rows = all_rows(store, window, today=now, limit=limit)
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["due_date"] and row["status"] in states:
                found.setdefault(str(row["action"]), row)
        if len(found) >= ICS_MAX_EVENTS or len(rows) < limit:
            return list(found.values())[:ICS_MAX_EVENTS]
        limit *= 2


def _ics_description(filters: Filters, now: str, events: int) -> str:
    after, states = ics_window(filters, now)
    which = "open, updated or overdue" if states == ICS_STATES else states[0]
    text = (
        f"The due dates of {which} actions due on or after {after}"
        f" (the soonest {ICS_MAX_EVENTS} at most; {events} here)"
    )
    args = {k: v for k, v in filters.args().items() if k not in ("status", "due_after", "sort")}
    if args:
        text += ", " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(args.items()))
    return text + "."


@bp.get("/actions.ics")
def actions_ics() -> Response:
    """The due dates of the actions the filters allow, as all-day events: by default the
    open and updated actions due from ICS_PAST_DAYS ago onwards (X-WR-CALDESC says
    which), worked out once per opened store."""
    filters, now = filters_from_request(), today()
    root = request.url_root.rstrip("/")
    store = data.store()

    def compute() -> str:
        events = [
            {
                "uid": row["action"].rsplit("/", 1)[-1] + "@govkg",
                "start": row["due_date"],
                "summary": _short(f"Due: {row['text']}", 120),
                "description": _action_summary(row),
                "url": root + (row["source_url"] or "/actions"),
            }
            for row in ics_rows(store, filters, now)
        ]
        return calendar(
            f"{_site()}: action due dates",
            events,
            description=_ics_description(filters, now, len(events)),
        )

    key = ("actions.ics", filters.query_string(), now, root, _site())
    body = data.memo(key, compute)
    return Response(
        body,
        content_type=ICAL_TYPE,
        headers={"Content-Disposition": 'inline; filename="actions.ics"'},
    )


# -- search and entities -------------------------------------------------------------


def _paragraphs(store: Any, parts: list[tuple[str, int]]) -> dict[str, int]:
    if not parts:
        return {}
    _, rows = store.select(paragraphs_query(parts))
    return {str(r["part"]): int(r["paragraph"] or 0) for r in rows}


@bp.get("/search.atom")
def search_atom() -> Response:
    """The newest paragraphs, statements and actions matching a search."""
    from kg.search import search

    q = request.args.get("q", "")
    try:
        results = search(
            data.index(),
            q,
            sort="date",
            kinds=FEED_KINDS,
            per_page=min(int(current_app.config["FEED_ITEMS"]), 100),
            facets=False,
        )
    except ValueError as exc:
        abort(400, str(exc))
    parts = [
        (h.id, h.span[0])
        for h in results.hits
        if h.kind in ("statement", "action", "commitment") and h.span
    ]
    paragraphs = _paragraphs(data.store(), parts)
    entries = []
    for h in results.hits:
        span = list(h.span) if h.span else None
        if h.kind in ("paragraph", "statement", "action", "commitment", "item"):
            anchor = h.anchor if h.kind in ("paragraph", "item") else paragraphs.get(h.id)
            link = source_path(h.meeting, anchor, span) or "/"
        elif h.kind == "meeting":
            link = source_path(h.id, None, None) or "/"
        else:
            link = entity_path(h.id) or "/"
        where = " ".join(x for x in (h.body or h.meeting_title, h.date) if x)
        entries.append(
            Entry(
                id=h.id,
                title=_short(f"{h.speaker + ': ' if h.speaker else ''}{h.text or h.title}"),
                updated=h.date,
                link=link,
                summary=(f"{where}: " if where else "") + h.text,
                author=h.speaker or h.body,
            )
        )
    title = f"Search: {q}" if q.strip() else "Everything new"
    query = request.query_string.decode("ascii", "replace")
    return atom(title, entries, alternate="/?" + query if query else "/")


@bp.get("/id/<kind>/<slug>.atom")
def entity_atom(kind: str, slug: str) -> Response:
    """New statements and actions of a person; new paragraphs mentioning anything else
    (and for a topic, the meetings that had it as a subject): the newest FEED_ITEMS."""
    if kind not in ENTITY_FEED_KINDS or not _SLUG.match(slug):
        abort(404, "No such page.")
    iri = f"{iris.base()}{kind}/{slug}"
    store = data.store()
    limit = int(current_app.config["FEED_ITEMS"])
    label, parts, paragraphs = data.memo(
        ("entity_feed", iri, kind, limit), lambda: _entity_feed(store, iri, kind, limit)
    )
    if not label:
        abort(404, f"Nothing is known as {kind}/{slug}.")
    role_words = {
        "spoke": "said",
        "owner": "owns",
        "owed": "is owed",
        "mentioned": "mentioned",
        "discussed": "discussed",
    }
    entries = []
    for r in parts:
        span = [int(str(r["start"])), int(str(r["end"]))] if r["start"] and r["end"] else None
        order = int(str(r["order"])) if r["kind"] == "paragraph" and r["order"] else None
        anchor = order if order is not None else paragraphs.get(str(r["part"]))
        where = " ".join(x for x in (r["body"] or r["meeting_title"], r["meeting_date"]) if x)
        verb = role_words.get(str(r["role"]), "")
        if r["kind"] == "meeting":
            at = ", ".join(x for x in (r["meeting_title"], where) if x) or "a meeting"
            summary = f"{label} was a subject of {at}."
        else:
            summary = str(r["text"] or "")
        entries.append(
            Entry(
                id=str(r["part"]),
                title=_short(f"{where}: {label} {verb}" if where else f"{label} {verb}"),
                updated=r["meeting_date"] or "",
                link=source_path(r["meeting"], anchor, span) or f"/id/{kind}/{slug}",
                summary=summary,
                author=label if r["role"] in ("spoke", "owner") else (r["body"] or ""),
            )
        )
    return atom(label, entries, alternate=f"/id/{kind}/{slug}")


def _entity_feed(
    store: Any, iri: str, kind: str, limit: int
) -> tuple[str | None, list[dict[str, Any]], dict[str, int]]:
    """An entity's label, its newest parts (one row each, newest first) and the
    paragraph holding each statement or action (kg.queries.entity_feed_query)."""
    _, rows = store.select(entity_feed_query(iri, kind, limit))
    label = rows[0]["label"] if rows else None
    parts: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.get("part"):
            parts.setdefault(str(r["part"]), r)  # reached two ways: the first way
    paragraphs = _paragraphs(
        store,
        [
            (part, int(str(r["start"])))
            for part, r in parts.items()
            if r["kind"] not in ("paragraph", "meeting") and r["start"]
        ],
    )
    return (str(label) if label else None), list(parts.values()), paragraphs
