"""Small derived summaries that example queries read instead of the whole store.

Two questions aggregate every meeting whatever you ask: which topics were on the agenda
of two or more bodies (ontology/queries/topics-shared-by-bodies.rq), and how many open
actions each owner has past their deadline (overdue-actions-by-owner.rq). At 10,000
meetings each read ~37,000 actions or agenda items per run (3 s and more). This module
keeps, per series of meetings (a body: the key of kg.ledger), one DERIVED named graph

    <{BASE}graph/summary/{series}>

with what those queries count, already grouped:

- one gkg:TopicOnAgenda per (topic, body) whose meetings had an agenda item on it:
  gkg:agendaTopic the concept, gkg:bodyLabel the body's label (or the meeting's title
  when the minutes name no body), as the query used to work them out;
- one gkg:OwnerDeadlines per owner (gkg:ownerText, or "(no owner recorded)") of the
  series' open actions (gkg:status open, updated or overdue) that have a deadline
  (gkg:due, else the gkg:nextMeetingDate of the raising meeting; an xsd:date):
  gkg:openActions how many, gkg:oldestDeadline and gkg:latestDeadline, gkg:sampleText
  the text of the one due first, and gkg:byDeadline one gkg:DeadlineCount per deadline
  (gkg:deadline, gkg:actionCount).

Overdue is NOT stored: it depends on the day you ask. The query keeps an owner whose
oldest deadline is before today and counts gkg:openActions when even the latest is
(always, once the dates are past), else the gkg:DeadlineCount rows before today.

`refresh` is called by kg.pipeline.derive_graphs with the series that changed (None:
all), after the ledger: the cost is those series' meetings, not the store's.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import iris
from kg.ledger import _series_key
from kg.namespace import GKG, RDF

__all__ = ["NO_OWNER", "SummaryReport", "refresh", "summary_graph_iri"]

NO_OWNER = "(no owner recorded)"
"""The owner of an action whose minutes name none (as the example query says it)."""

_CHUNK = 300
_INT = "http://www.w3.org/2001/XMLSchema#integer"

_MEETINGS = (
    "SELECT ?m (SAMPLE(?org) AS ?o) (MIN(?path) AS ?p) (SAMPLE(?t) AS ?title) WHERE {{ "
    "{where} ?m a gkg:Meeting . "
    "OPTIONAL {{ ?m prov:wasDerivedFrom ?doc . OPTIONAL {{ ?doc gkg:sourcePath ?path }} }} "
    "OPTIONAL {{ ?m schema:organizer ?org }} OPTIONAL {{ ?m dcterms:title ?t }} }} GROUP BY ?m"
)
# the body of a meeting as topics-shared-by-bodies names it: each label of its organizer,
# else each of its titles
_BODIES = (
    "SELECT ?m ?body WHERE {{ VALUES ?m {{ {ms} }} "
    "OPTIONAL {{ ?m schema:organizer/skos:prefLabel ?org_label }} "
    "OPTIONAL {{ ?m dcterms:title ?title }} BIND(COALESCE(?org_label, ?title) AS ?body) "
    "FILTER(BOUND(?body)) }}"
)
_TOPICS = (
    "SELECT DISTINCT ?m ?concept WHERE {{ VALUES ?m {{ {ms} }} "
    "?m gkg:hasAgendaItem ?item . ?item dcterms:subject ?concept }}"
)
# the open actions with a deadline, row by row as overdue-actions-by-owner.rq reads them
_DEADLINES = (
    "SELECT ?m ?action ?text ?owner ?deadline WHERE {{ VALUES ?m {{ {ms} }} "
    "?action gkg:raisedAt ?m ; a gkg:Action ; gkg:status ?status ; gkg:text ?text . "
    "FILTER(?status IN (gkg:StatusOpen, gkg:StatusUpdated, gkg:StatusOverdue)) "
    "OPTIONAL {{ ?action gkg:due ?due }} OPTIONAL {{ ?m gkg:nextMeetingDate ?next_meeting }} "
    "BIND(COALESCE(?due, ?next_meeting) AS ?deadline) "
    "FILTER(BOUND(?deadline) && DATATYPE(?deadline) = xsd:date) "
    'OPTIONAL {{ ?action gkg:ownerText ?owner_text }} BIND(COALESCE(?owner_text, "{none}") AS ?owner) }}'
)


@dataclass
class SummaryReport:
    series: list[str] = field(default_factory=list)
    """Series whose summary graph was rewritten."""
    dropped: list[str] = field(default_factory=list)
    """Series that have no meetings any more (their summary graph was removed)."""
    topics: int = 0
    owners: int = 0
    seconds: float = 0.0


def summary_graph_iri(series: str) -> ox.NamedNode:
    """The derived graph that holds one series' summaries."""
    return ox.NamedNode(f"{iris.base()}graph/summary/{series}")


def _node(series: str, kind: str, *parts: str) -> ox.NamedNode:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return ox.NamedNode(f"{iris.base()}summary/{series}/{kind}/{digest}")


def _rows(store: Any, sparql: str) -> list[ox.QuerySolution]:
    # Store.query, not the pyoxigraph store beneath: a RemoteStore (a SPARQL server as
    # the store) has no local one; both add kg.queries' prefixes
    return list(store.query(sparql))


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _series_meetings(store: Any, wanted: set[str] | None) -> dict[str, list[ox.NamedNode]]:
    """The meetings of each series in `wanted` (None: every series), by series key."""
    if wanted is None:
        rows = _rows(store, _MEETINGS.format(where=""))
    else:
        bodies = sorted(
            f"<{iris.base()}org/{k}>" for k in wanted if not k.startswith(("file-", "title-"))
        )
        rows = []
        for i in range(0, len(bodies), _CHUNK):
            values = (
                f"VALUES ?body {{ {' '.join(bodies[i : i + _CHUNK])} }} ?m schema:organizer ?body ."
            )
            rows += _rows(store, _MEETINGS.format(where=values))
        if any(k.startswith(("file-", "title-")) for k in wanted):
            rows += _rows(
                store, _MEETINGS.format(where="FILTER NOT EXISTS { ?m schema:organizer ?any }")
            )
    out: dict[str, set[ox.NamedNode]] = defaultdict(set)
    for row in rows:
        key = _series_key(_value(row["o"]), _value(row["p"]), _value(row["title"]))
        if wanted is None or key in wanted:
            out[key].add(row["m"])
    return {k: sorted(v, key=lambda n: n.value) for k, v in out.items()}


def _chunked(store: Any, template: str, meetings: list[ox.NamedNode]) -> list[ox.QuerySolution]:
    rows: list[ox.QuerySolution] = []
    for i in range(0, len(meetings), _CHUNK):
        ms = " ".join(str(m) for m in meetings[i : i + _CHUNK])
        rows += _rows(store, template.format(ms=ms, none=NO_OWNER))
    return rows


def _quads(store: Any, series: str, meetings: list[ox.NamedNode]) -> tuple[list[ox.Quad], int, int]:
    graph = summary_graph_iri(series)
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: Any, o: Any) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(str(p)), o, graph))

    # topics on the agenda, by body label
    bodies: dict[ox.NamedNode, set[Any]] = defaultdict(set)
    for row in _chunked(store, _BODIES, meetings):
        bodies[row["m"]].add(row["body"])
    pairs: set[tuple[Any, Any]] = set()
    for row in _chunked(store, _TOPICS, meetings):
        pairs.update((row["concept"], body) for body in bodies.get(row["m"], ()))
    for concept, body in sorted(pairs, key=lambda p: (str(p[0]), str(p[1]))):
        node = _node(series, "topic", str(concept), str(body))
        add(node, RDF.type, ox.NamedNode(str(GKG.TopicOnAgenda)))
        add(node, GKG.agendaTopic, concept)
        add(node, GKG.bodyLabel, body)

    # open actions with a deadline: each action's earliest (an action is overdue when
    # that one is past), grouped by owner
    earliest: dict[str, ox.Literal] = {}
    text: dict[str, ox.Literal] = {}
    owners: dict[str, set[ox.Literal]] = defaultdict(set)
    for row in _chunked(store, _DEADLINES, meetings):
        action, deadline = row["action"].value, row["deadline"]
        if action not in earliest or deadline.value < earliest[action].value:
            earliest[action] = deadline
        if action not in text or row["text"].value < text[action].value:
            text[action] = row["text"]
        owners[action].add(row["owner"])
    by_owner: dict[ox.Literal, list[str]] = defaultdict(list)
    for action, names in owners.items():
        for owner in names:
            by_owner[owner].append(action)
    for owner in sorted(by_owner, key=str):
        actions = sorted(by_owner[owner], key=lambda a: (earliest[a].value, a))
        node = _node(series, "owner", str(owner))
        add(node, RDF.type, ox.NamedNode(str(GKG.OwnerDeadlines)))
        add(node, GKG.ownerLabel, owner)
        add(node, GKG.openActions, ox.Literal(str(len(actions)), datatype=ox.NamedNode(_INT)))
        add(node, GKG.oldestDeadline, earliest[actions[0]])
        add(node, GKG.latestDeadline, earliest[actions[-1]])
        add(node, GKG.sampleText, text[actions[0]])
        counts: dict[str, int] = defaultdict(int)
        first: dict[str, ox.Literal] = {}
        for a in actions:
            counts[earliest[a].value] += 1
            first.setdefault(earliest[a].value, earliest[a])
        for day, n in sorted(counts.items()):
            row_node = _node(series, "owner", str(owner), day)
            add(node, GKG.byDeadline, row_node)
            add(row_node, RDF.type, ox.NamedNode(str(GKG.DeadlineCount)))
            add(row_node, GKG.deadline, first[day])
            add(row_node, GKG.actionCount, ox.Literal(str(n), datatype=ox.NamedNode(_INT)))
    return quads, len(pairs), len(by_owner)


def _summary_series(store: Any, among: Iterable[str] | None = None) -> set[str]:
    """The series that have a summary graph: every one (a walk over the names of every
    graph in the store, documents included), or those of `among` (a key look-up each)."""
    prefix = summary_graph_iri("").value
    if among is not None:
        return {k for k in among if store.store.contains_named_graph(summary_graph_iri(k))}
    return {
        g.value.removeprefix(prefix)
        for g in store.store.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
    }


def _any_summary(store: Any) -> bool:
    """Whether the store holds a summary graph at all (each holds a node of one of these
    types; the first one found answers)."""
    prefix = summary_graph_iri("").value
    rows = _rows(
        store,
        "SELECT ?g WHERE { VALUES ?t { gkg:TopicOnAgenda gkg:OwnerDeadlines } "
        f'GRAPH ?g {{ ?s a ?t }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }} LIMIT 1',
    )
    return bool(rows)


def refresh(store: Any, series: Iterable[str] | None = None) -> SummaryReport:
    """Rewrite the summary graphs of `series` (None: every series, and drop the graphs
    of series that have no meetings any more) in `store` (a writable kg.store.Store).
    A store with no summary graph yet (written by an older govkg) gets every series'.

    Each graph is replaced in one update (kg.store.Store.replace_graph), so the default
    graph stays the union of all graphs. The cost is the series', not the store's: with
    `series` given, no question walks every graph of the store.
    """
    started = time.perf_counter()
    report = SummaryReport()
    wanted = None if series is None else set(series)
    # the existing graphs among those asked for; a store written before the summaries
    # existed has none at all: count every series once
    existing = _summary_series(store, wanted)
    if wanted is not None and not existing and not _any_summary(store):
        wanted = None  # and `existing`, empty, is every one there is
    groups = _series_meetings(store, wanted)
    for key in sorted(groups):
        quads, topics, owners = _quads(store, key, groups[key])
        store.replace_graph(summary_graph_iri(key), quads)
        report.series.append(key)
        report.topics += topics
        report.owners += owners
    stale = (existing if wanted is None else wanted) - set(groups)
    for key in sorted(stale & existing):
        store.replace_graph(summary_graph_iri(key), [])
        report.dropped.append(key)
    report.seconds = time.perf_counter() - started
    return report
