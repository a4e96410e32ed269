"""The commitments tracker: filters in, rows out.

The web page, its CSV, Atom and iCalendar feeds all call `find()` / `all_rows()`;
the query itself is `kg.queries.actions_query` (shared with `govkg actions`). No Flask
here: paths are site-relative strings, and the caller makes them absolute.

    from kg.store import Store
    from web.tracker import Filters, find
    with Store("govkg-data", read_only=True) as store:
        page = find(store, Filters(owner="clerk", sort="due"), today="2025-01-01")
        print(page.total, page.rows[0]["owner"], page.rows[0]["source_url"])
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from pyoxigraph import NamedNode

from kg import iris
from kg.ledger import follow_ups
from kg.queries import (
    ACTION_SORTS,
    ACTION_STATES,
    _label_join,
    _same_as_named,
    paragraphs_query,
    prefix_block,
)

__all__ = [
    "DEFAULT_SORT",
    "DUE_SOON_DAYS",
    "Filters",
    "TrackerPage",
    "all_rows",
    "due_soon",
    "entity_path",
    "find",
    "meeting_path",
    "source_path",
]

DEFAULT_SORT = "raised"
"""Newest meeting first: what was promised most recently."""
DUE_SOON_DAYS = 14
"""How far ahead the feeds look for actions falling due."""
MAX_PER_PAGE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """What the tracker shows. None (or "") means any; text matches any case, anywhere
    in the name ("clerk" finds "Clerk (J A Penn)"); an owner or owed-to name also finds
    the actions of the nodes kg.identity merged into that person or organisation ("Jane
    Doe" finds those of "Cllr Doe"). Dates are YYYY-MM-DD, inclusive."""

    owner: str | None = None
    owed_to: str | None = None
    body: str | None = None
    topic: str | None = None
    place: str | None = None
    status: str | None = None
    """One of kg.queries.ACTION_STATES: the ledger's current status (kg.ledger);
    "overdue" is an open or updated action past its due date."""
    due_before: str | None = None
    due_after: str | None = None
    sort: str = DEFAULT_SORT
    """One of kg.queries.ACTION_SORTS: "raised", "due" or "owner"."""

    def __post_init__(self) -> None:
        for name in ("due_before", "due_after"):
            value = getattr(self, name)
            if value is not None and not _is_date(value):
                raise ValueError(f"{name.replace('_', ' ')}: not a date, use YYYY-MM-DD: {value!r}")
        if self.status is not None and self.status not in ACTION_STATES:
            raise ValueError(
                f"status: unknown status {self.status!r}; use one of {', '.join(ACTION_STATES)}"
            )
        if self.sort not in ACTION_SORTS:
            raise ValueError(
                f"sort: unknown sort {self.sort!r}; use one of {', '.join(ACTION_SORTS)}"
            )

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Filters from a query string; blank values mean any.

        Raises:
            ValueError: a date that is not YYYY-MM-DD, an unknown status or sort.
        """
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = (args.get(f.name) or "").strip()
            if raw:
                values[f.name] = raw[:200]
        return cls(**values)

    def args(self) -> dict[str, str]:
        """The non-empty filters as query-string arguments (sort only if not default)."""
        out = {k: v for k, v in asdict(self).items() if v and k != "sort"}
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        return out

    def query_string(self, **extra: Any) -> str:
        """``?owner=...`` for links that keep the filters ("" when there are none)."""
        args = {**self.args(), **{k: str(v) for k, v in extra.items() if v is not None}}
        return "?" + urlencode(args) if args else ""

    def query_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class TrackerPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def find(
    store: Any, filters: Filters, *, today: str, page: int = 1, per_page: int = 25
) -> TrackerPage:
    """One page of the tracker: the rows (see `all_rows`) and the total of all pages.

    The matching actions come from the whole-store table (`_matching`: one query per
    opened store, filtered and sorted here); then two small queries for the page's rows:
    the paragraphs that hold them (kg.queries.paragraphs_query) and their follow-ups.
    """
    page = max(1, int(page))
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    raw = _matching(store, filters, today)
    start = (page - 1) * per_page
    rows = _rows(store, raw[start : start + per_page], today)
    return TrackerPage(rows=rows, total=len(raw), page=page, per_page=per_page)


_TABLE_SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    # (column, descending) from the most significant key to the least: the ORDER BY of
    # kg.queries.actions_query for each sort, unbound values where SPARQL puts them
    # (lowest: first ascending, last descending; "(!BOUND(x)) x" puts them last)
    "raised": (("meeting_date", True), ("meeting", False), ("action", False)),
    "due": (("due_date", False), ("meeting_date", True), ("action", False)),
    "owner": (("owner_lc", False), ("meeting_date", True), ("action", False)),
}
_UNBOUND_LAST = {"due_date", "owner_lc"}
"""Keys ordered "(!BOUND(?x)) ?x": the rows without one come after all the others."""

_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_CACHE_SIZE = 64
_cache_lock = threading.Lock()


def _store_cache(store: Any) -> dict[str, Any]:
    """What this module remembers for one opened store: computed values and the keys
    being computed (single flight). The store object is replaced when the data changes
    (web.data), so it hangs on the store itself (weakly: not on its id(), which a later
    store may reuse)."""
    with _cache_lock:
        try:
            cache = _CACHE.get(store)
        except TypeError:  # a store that cannot be weakly referenced: nothing kept
            return {"values": OrderedDict(), "pending": {}}
        if cache is None:
            cache = _CACHE[store] = {"values": OrderedDict(), "pending": {}}
        return cache


def _once(store: Any, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for this opened store (the _CACHE_SIZE most
    recently used filtered lists, the table and its orders whatever their use).

    Single flight: while one thread computes a key, others asking for it wait for its
    result (twenty visitors arriving at a cold tracker, or a visitor and the warm-up,
    run the whole-store query once); if it fails, a waiting thread tries itself."""
    from web.data import single_flight

    cache = _store_cache(store)

    def trim(values: OrderedDict[Hashable, Any]) -> None:
        filtered = [k for k in values if isinstance(k, tuple) and k[0] == "filtered"]
        for old in filtered[: max(0, len(filtered) - _CACHE_SIZE)]:
            del values[old]

    return single_flight(cache["values"], cache["pending"], _cache_lock, key, compute, trim)


_NEXT_MEETING = re.compile(r"^(?:by |at |to |before )?(?:the )?next meeting$", re.IGNORECASE)
"""A due text naming the next meeting (as kg.queries.actions_query's REGEX)."""
_TABLE_VALUES = {
    # column: the predicate of an action giving it; True where other parts have it too
    # (joined with ?a a gkg:Action in the query, cheaper than scanning every part)
    "meeting": ("gkg:raisedAt", True),
    "st_raised": ("gkg:status", False),
    "st_now": ("gkg:currentStatus", False),
    "due_iso": ("gkg:due", False),
    "due_text": ("gkg:dueText", False),
    "o": ("gkg:owner", False),
    "f": ("gkg:owedTo", False),
    "o_text": ("gkg:ownerText", False),
    "f_text": ("gkg:owedToText", False),
}
"""The table's per-action values, one simple query each: actions_query's WHERE with
every OPTIONAL took 150 s at 10,000 meetings (37,000 actions) on a busy machine, one
flat query with the same OPTIONALs 90 s, these ~30 s together (the machine as busy)."""
_TABLE_QUERIES = {
    **{
        column: (
            f"SELECT ?a ?x WHERE {{ ?a a gkg:Action ; {pred} ?x }}"
            if typed
            else f"SELECT ?a ?x WHERE {{ ?a {pred} ?x }}"
        )
        for column, (pred, typed) in _TABLE_VALUES.items()
    },
    "meetings": """SELECT ?meeting ?date ?title ?document ?next ?body WHERE {
  { SELECT DISTINCT ?meeting WHERE { ?a gkg:raisedAt ?meeting } }
  OPTIONAL { ?meeting dcterms:date ?date } OPTIONAL { ?meeting dcterms:title ?title }
  OPTIONAL { ?meeting prov:wasDerivedFrom/gkg:sourcePath ?document }
  OPTIONAL { ?meeting gkg:nextMeetingDate ?next }
  OPTIONAL { ?meeting schema:organizer/skos:prefLabel ?body }
}""",
    "names": """SELECT ?n ?name ?label WHERE {
  { SELECT DISTINCT ?n WHERE { ?a gkg:owner|gkg:owedTo ?n } }
  OPTIONAL { ?n foaf:name ?name } OPTIONAL { ?n skos:prefLabel ?label }
}""",
    "commitments": "SELECT ?a WHERE { ?a a gkg:Commitment }",
    "rejected": "SELECT ?a WHERE { ?a gkg:reviewStatus gkg:Rejected }",
    "confirmed": "SELECT ?a WHERE { ?a gkg:reviewStatus gkg:Confirmed }",
    "followed": "SELECT DISTINCT ?a ?m WHERE { ?a gkg:followedUpAt ?m }",
}


def _table(store: Any) -> list[dict[str, str | None]]:
    """Every action of the store with the columns of kg.queries.actions_query(detail=True,
    ledger=True), found ONCE per opened store by a few simple whole-store queries joined
    here, however many filters, sorts and pages are asked of it afterwards. The
    "overdue" state depends on the day, so it is worked out per request (`_state`)."""

    def compute() -> list[dict[str, str | None]]:
        got = {
            name: store.select(prefix_block() + text)[1] for name, text in _TABLE_QUERIES.items()
        }
        return _join(got)

    return _once(store, ("table",), compute)


_DETAILS = """SELECT ?a ?text ?ref ?start ?end ?page ?confidence ?last_m ?last_d WHERE {
  VALUES ?a { %s }
  ?a gkg:text ?text .
  OPTIONAL { ?a gkg:ref ?ref }
  OPTIONAL { ?a gkg:spanStart ?start } OPTIONAL { ?a gkg:spanEnd ?end }
  OPTIONAL { ?a gkg:page ?page }
  OPTIONAL { ?a gkg:statusFrom ?from_ . ?from_ gkg:confidence ?confidence ;
    gkg:atMeeting ?last_m . OPTIONAL { ?last_m dcterms:date ?last_d } }
}"""
"""The columns only shown, never filtered or sorted on: asked for the rows shown (a page,
a feed, the CSV 200 at a time), not in the whole-store table (they were half its cost)."""


def _with_details(store: Any, raw: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """Table rows with their shown-only columns (`_DETAILS`, as actions_query has them:
    the text, ref, span, page and the ledger's confidence and latest follow-up)."""
    wanted = list(dict.fromkeys(str(r["action"]) for r in raw))
    found: dict[str, list[dict[str, str | None]]] = {}
    for i in range(0, len(wanted), 200):
        values = " ".join(str(NamedNode(a)) for a in wanted[i : i + 200])
        for f in store.select(prefix_block() + _DETAILS % values)[1]:
            found.setdefault(str(f["a"]), []).append(f)
    out = []
    for r in raw:
        rows = found.get(str(r["action"]), [])

        def col(name: str, rows: list[dict[str, str | None]] = rows) -> list[str | None]:
            return [f.get(name) for f in rows]

        out.append(
            {
                **r,
                "text": _first(col("text")),
                "ref": _first(col("ref")),
                "start": _least(col("start"), number=True),
                "end": _least(col("end"), number=True),
                "page": _least(col("page"), number=True),
                "last_follow_up": _first(col("last_d")),
                "last_follow_up_meeting": _first(col("last_m")),
                "confidence": _first(col("confidence")),
            }
        )
    return out


def _first(values: list[str | None]) -> str | None:
    """SAMPLE: the first bound value."""
    return next((v for v in values if v is not None), None)


def _least(values: list[str | None], number: bool = False) -> str | None:
    """MIN of the bound values (as numbers with `number`)."""
    bound = [v for v in values if v is not None]
    if not bound:
        return None
    if number:
        try:
            return str(min(bound, key=float))
        except ValueError:
            return min(bound)
    return min(bound)


def _status_name(iri: str | None) -> str | None:
    """LCASE(STRAFTER(STR(?st), "#Status")): gkg:StatusOpen -> "open"."""
    if iri is None:
        return None
    at = iri.find("#Status")
    return iri[at + len("#Status") :].lower() if at >= 0 else ""


def _join(got: Mapping[str, list[dict[str, str | None]]]) -> list[dict[str, str | None]]:
    """The tracker's table from `_TABLE_QUERIES`' answers, as actions_query computes it:
    grouped by action and meeting, SAMPLE as the first bound value, MIN for due dates,
    rejected actions left out; the columns only shown come with `_with_details`."""
    rejected = {str(r["a"]) for r in got["rejected"]}
    commitments = {str(r["a"]) for r in got["commitments"]}
    confirmed = {str(r["a"]) for r in got["confirmed"]}
    followed: dict[str, int] = {}
    for r in got["followed"]:
        followed[str(r["a"])] = followed.get(str(r["a"]), 0) + 1
    meetings: dict[str, list[dict[str, str | None]]] = {}
    for r in got["meetings"]:
        meetings.setdefault(str(r["meeting"]), []).append(r)
    names: dict[str, list[dict[str, str | None]]] = {}
    for r in got["names"]:
        names.setdefault(str(r["n"]), []).append(r)
    values: dict[str, dict[str, list[str | None]]] = {}
    for column in _TABLE_VALUES:
        by_action: dict[str, list[Any]] = {}
        for r in got[column]:
            by_action.setdefault(str(r["a"]), []).append(r["x"])
        values[column] = by_action
    actions = {a for a in values["meeting"] if a not in rejected}
    groups = sorted((a, str(m)) for a in actions for m in dict.fromkeys(values["meeting"][a]))

    def label(node: str | None) -> list[str | None]:
        """The node's (name or label) values, one per name x label row, like the query's
        COALESCE(?x_name, ?x_label) over OPTIONAL name and OPTIONAL label."""
        rows = names.get(node or "", []) if node else []
        return [r["name"] if r["name"] is not None else r["label"] for r in rows]

    table: list[dict[str, str | None]] = []
    for action, meeting in groups:
        m_rows = meetings.get(meeting) or [{}]

        def col(name: str, action: str = action) -> list[str | None]:
            return values[name].get(action, [])

        def of(rows: list[Any], name: str) -> list[str | None]:
            return [r.get(name) for r in rows]

        st_raised = _first(col("st_raised"))
        status = _status_name(_first(col("st_now")) or st_raised)
        o, f = _first(col("o")), _first(col("f"))
        o_names, f_names = label(o), label(f)
        o_text, f_text = _first(col("o_text")), _first(col("f_text"))
        due_iso, due_text = _first(col("due_iso")), _first(col("due_text"))
        next_date = _first(of(m_rows, "next"))
        due_on = due_iso
        if due_on is None and due_text is not None and _NEXT_MEETING.match(due_text):
            due_on = next_date
        owner_name, owed_name = _first(o_names), _first(f_names)
        owner = o_text if o_text is not None else owner_name
        row: dict[str, str | None] = {
            "action": action,
            "kind": "commitment" if action in commitments else "action",
            "owner": owner,
            "owed_to": f_text if f_text is not None else owed_name,
            "owner_name": owner_name,
            "owed_to_name": owed_name,
            "due": due_iso if due_iso is not None else due_text,
            "status": status,
            "meeting_date": _first(of(m_rows, "date")),
            "meeting": meeting,
            "meeting_title": _first(of(m_rows, "title")),
            "document": _first(of(m_rows, "document")),
            "review": "confirmed" if action in confirmed else None,
            "owner_id": o,
            "owed_to_id": f,
            "body": _first(of(m_rows, "body")),
            "due_date": due_on,
            "state": status,
            "follow_ups": str(followed.get(action, 0)),
            "raised_status": _status_name(st_raised),
            "owner_lc": owner.lower() if owner is not None else None,
            # every name the owner filter matches on (kg.queries: the text as written
            # or any of the node's names), lowercased
            "owner_all": "\n".join(x.lower() for x in [o_text, *o_names] if x),
            "owed_to_all": "\n".join(x.lower() for x in [f_text, *f_names] if x),
        }
        table.append(row)
    return table


def _sorted(store: Any, sort: str) -> list[dict[str, str | None]]:
    """The table in one of ACTION_SORTS' orders (each key a total order: it ends with
    the action's IRI, so ties always come out the same way)."""

    def compute() -> list[dict[str, str | None]]:
        rows = list(_table(store))
        for column, descending in reversed(_TABLE_SORTS[sort]):  # stable: least first
            last = column in _UNBOUND_LAST
            bound = [r for r in rows if r.get(column) is not None]
            unbound = [r for r in rows if r.get(column) is None]
            bound.sort(key=lambda r: str(r[column]), reverse=descending)
            # SPARQL puts unbound values lowest: first ascending, last descending
            rows = bound + unbound if (last or descending) else unbound + bound
        return rows

    return _once(store, ("sorted", sort), compute)


def _state(r: Mapping[str, str | None], today: str) -> str | None:
    """The status shown for a table row on `today`: an open or updated action due
    before it is "overdue" (as kg.queries.actions_query computes it given `today`)."""
    status = r.get("status")
    due = r.get("due_date")
    if status in ("open", "updated") and due is not None and _is_date(due) and due < today:
        return "overdue"
    return status


def _lookup(store: Any, kind: str, value: str) -> frozenset[str]:
    """The IRIs a text filter reaches, found once per opened store and value: the
    meetings of the bodies, the actions of the topics or places whose label contains
    `value` (kg.queries' own joins), or the nodes kg.identity merged into a person or
    organisation whose name does ("owner"/"owed_to")."""

    def compute() -> frozenset[str]:
        if kind in ("owner", "owed_to"):
            # the nodes kg.identity merged into a person or organisation named so (the
            # names themselves are in the table: owner_all, owed_to_all)
            var = "o" if kind == "owner" else "f"
            _, found = store.select(
                f"{prefix_block()}SELECT ?{var}_same WHERE {{ {_same_as_named(var, value)} }}"
            )
            text = " ".join(str(f.get(f"{var}_same") or "") for f in found)
            return frozenset(text.split())
        spec = {
            "body": (
                "?b_",
                "body_q",
                "org:Organization",
                "meeting",
                "?meeting schema:organizer ?b_ .",
            ),
            "topic": (
                "?t_",
                "topic_q",
                "skos:Concept",
                "action",
                "?action gkg:mentions|(dcterms:isPartOf/dcterms:subject) ?t_ ; a gkg:Action .",
            ),
            "place": (
                "?p_",
                "place_q",
                "gkg:Place",
                "action",
                "?action gkg:mentions ?p_ ; a gkg:Action .",
            ),
        }[kind]
        var, q, cls, out, path = spec
        _, found = store.select(
            f"{prefix_block()}SELECT ?{out} WHERE {{ {_label_join(var, q, value, cls, out, path)} }}"
        )
        return frozenset(str(f[out]) for f in found if f.get(out))

    return _once(store, ("lookup", kind, value), compute)


def _predicates(
    store: Any, filters: Filters, today: str
) -> list[Callable[[Mapping[str, str | None]], bool]]:
    """One test per filter given, each as kg.queries.actions_query's WHERE clause has it."""
    tests: list[Callable[[Mapping[str, str | None]], bool]] = []
    for kind in ("owner", "owed_to"):
        value = getattr(filters, kind)
        if value is None:
            continue
        needle, same = value.lower(), _lookup(store, kind, value)

        def named(
            r: Mapping[str, str | None],
            kind: str = kind,
            needle: str = needle,
            same: frozenset[str] = same,
        ) -> bool:
            return needle in (r.get(f"{kind}_all") or "") or r.get(f"{kind}_id") in same

        tests.append(named)
    if filters.body is not None:
        tests.append(_member("meeting", _lookup(store, "body", filters.body)))
    for kind in ("topic", "place"):
        value = getattr(filters, kind)
        if value is not None:
            tests.append(_member("action", _lookup(store, kind, value)))
    if filters.status is not None:
        status = filters.status
        tests.append(lambda r: _state(r, today) == status)
    if filters.due_before is not None:
        before = filters.due_before
        tests.append(lambda r: r.get("due_date") is not None and str(r["due_date"]) <= before)
    if filters.due_after is not None:
        after = filters.due_after
        tests.append(lambda r: r.get("due_date") is not None and str(r["due_date"]) >= after)
    return tests


def _member(column: str, iris: frozenset[str]) -> Callable[[Mapping[str, str | None]], bool]:
    """A test: the row's `column` is one of `iris`."""
    return lambda r: r.get(column) in iris


def _matching(store: Any, filters: Filters, today: str) -> list[dict[str, str | None]]:
    """Every action matching the filters, in the filters' sort order.

    The whole table is queried once per opened store (`_table`) and sorted once per
    sort (`_sorted`); a filter is a pass over it in Python (milliseconds), remembered
    for the _CACHE_SIZE most recent filters: paging through the tracker, downloading
    its CSV or reading its feeds asks the same question again and again."""
    key = ("filtered", json.dumps(filters.query_kwargs(), sort_keys=True), today)

    def compute() -> list[dict[str, str | None]]:
        rows = _sorted(store, filters.sort)
        tests = _predicates(store, filters, today)
        return [r for r in rows if all(t(r) for t in tests)]

    return _once(store, key, compute)


def all_rows(
    store: Any, filters: Filters, *, today: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """Every matching action (or the first `limit`) as a row dict.

    Keys: action, kind, text, owner, owner_name, owner_id, owner_url, owed_to,
    owed_to_name, owed_to_id, owed_to_url, due (as written), due_date (YYYY-MM-DD or
    None; "next meeting" resolved when the minutes give its date), status (shown:
    "open", "overdue", "done", ...), recorded_status (gkg:status), ref, meeting,
    meeting_date, meeting_title, meeting_url, body, span ([start, end] or None), page,
    paragraph (the ``#p-N`` of the paragraph holding the action, or None), source_url;
    from the ledger (kg.ledger): follow_ups (how many later meetings followed it up),
    confidence (of the follow-up the status comes from, or None), status_evidence (that
    follow-up: date, meeting_title, status, confidence, url of its paragraph, or None)
    and possible_follow_up (a later link below kg.ledger.CONFIDENT: the same keys, or
    None; a possibility, never the status).
    """
    raw = _matching(store, filters, today)
    return _rows(store, raw if limit is None else raw[:limit], today)


def due_soon(
    store: Any, filters: Filters, *, today: str, days: int = DUE_SOON_DAYS
) -> list[dict[str, Any]]:
    """Open actions due from `today` to `days` ahead, soonest first."""
    start = dt.date.fromisoformat(today)
    window = Filters(
        **{
            **asdict(filters),
            "due_after": max(filters.due_after or today, today),
            "due_before": min(
                filters.due_before or "9999-12-31", (start + dt.timedelta(days=days)).isoformat()
            ),
            "sort": "due",
        }
    )
    return [r for r in all_rows(store, window, today=today) if r["status"] in ("open", "updated")]


def _rows(store: Any, raw: list[dict[str, str | None]], today: str) -> list[dict[str, Any]]:
    raw = _with_details(store, raw) if raw else []
    spans = [(str(r["action"]), int(str(r["start"]))) for r in raw if r.get("start") is not None]
    paragraphs: dict[str, int] = {}
    for i in range(0, len(spans), 200):
        _, found = store.select(paragraphs_query(spans[i : i + 200]))
        paragraphs.update({str(f["part"]): int(f["paragraph"] or 0) for f in found})
    links = follow_ups(store, [str(r["action"]) for r in raw]) if raw else {}
    rows = []
    for r in raw:
        row = _row(r, paragraphs.get(str(r["action"])), today)
        row.update(_ledger(links.get(str(r["action"]), [])))
        rows.append(row)
    return rows


def _ledger(links: list[dict[str, Any]]) -> dict[str, Any]:
    """An action's follow-ups as the tracker shows them: the confident ones counted, the
    latest of them as the status's evidence, and a possible follow-up after it."""
    sure = [link for link in links if not link["possible"]]
    latest = sure[-1] if sure else None
    after = latest["date"] or "" if latest else ""
    possible = [link for link in links if link["possible"] and (link["date"] or "") > after]
    return {
        "follow_ups": len(sure),
        "confidence": latest["confidence"] if latest else None,
        "status_evidence": _evidence(latest),
        "possible_follow_up": _evidence(possible[-1] if possible else None),
    }


def _evidence(link: dict[str, Any] | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "date": link["date"],
        "meeting_title": link["title"],
        "status": link["status"],
        "confidence": link["confidence"],
        "evidence": link["evidence"],
        "url": source_path(link["meeting"], link["paragraph"], None),
    }


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _row(r: Mapping[str, str | None], paragraph: int | None, today: str) -> dict[str, Any]:
    start, end = _int(r.get("start")), _int(r.get("end"))
    span = [start, end] if start is not None and end is not None else None
    meeting = r.get("meeting") or ""
    return {
        "action": r["action"],
        "kind": r.get("kind") or "action",
        "text": r.get("text") or "",
        "owner": r.get("owner"),
        "owner_name": r.get("owner_name"),
        "owner_id": r.get("owner_id"),
        "owner_url": entity_path(r.get("owner_id")),
        "owed_to": r.get("owed_to"),
        "owed_to_name": r.get("owed_to_name"),
        "owed_to_id": r.get("owed_to_id"),
        "owed_to_url": entity_path(r.get("owed_to_id")),
        "due": r.get("due"),
        "due_date": r.get("due_date"),
        "status": _state(r, today) or "open",
        "recorded_status": r.get("raised_status") or r.get("status"),
        "ref": r.get("ref"),
        "meeting": meeting,
        "meeting_date": r.get("meeting_date"),
        "meeting_title": r.get("meeting_title"),
        "meeting_url": meeting_path(meeting),
        "body": r.get("body"),
        "span": span,
        "page": _int(r.get("page")),
        "paragraph": paragraph,
        "source_url": source_path(meeting, paragraph, span),
    }


def entity_path(iri: str | None) -> str | None:
    """The site path of an entity page (``/id/person/ann-lee``) for an IRI under the
    data base, else None."""
    if not iri:
        return None
    base = iris.base()
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.count("/") != 1:
        return None
    kind, slug = rest.split("/")
    return f"/id/{quote(kind)}/{quote(slug)}"


def meeting_path(meeting: str | None) -> str | None:
    """``/meeting/<slug>`` for a meeting IRI."""
    if not meeting:
        return None
    return "/meeting/" + quote(meeting.rstrip("/").rsplit("/", 1)[-1])


def source_path(meeting: str | None, paragraph: int | None, span: list[int] | None) -> str | None:
    """The meeting page at the paragraph holding a span, the span highlighted:
    ``/meeting/<slug>?hl=<start>-<end>#p-<order>``."""
    path = meeting_path(meeting)
    if path is None:
        return None
    if span:
        path += f"?hl={span[0]}-{span[1]}"
    if paragraph:
        path += f"#p-{paragraph}"
    return path
