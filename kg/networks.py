"""Networks of the knowledge graph as networkx graphs: who meets whom, who speaks about
what, which topics come up together, and how any two things are connected.

    with Store(data, read_only=True) as store:
        g = build(store, "coattendance", Filters(body="Tintern", since="2019-01-01"))
        ranking = centrality(g, by="betweenness")[:10]
        groups = communities(g)
        write(g, "graphml", "coattendance.graphml")

Kinds (KINDS):

==================  =============================================================
coattendance        people; an edge joins two people who attended the same meeting,
                    weight = meetings together, evidence = those meetings
person-topic        people and topics (bipartite); a person spoke about a topic in a
                    statement (the topic is mentioned in it, or is the subject of its
                    agenda item); weight = statements, evidence = the statements
place-topic         places and topics (bipartite); both are named in one paragraph
                    (or the topic is its agenda item's subject); evidence = paragraphs
topic-cooccurrence  topics; two topics named in the same paragraph or as subjects of
                    the same agenda item; evidence = the paragraphs and items
connections         every kind of node (people, meetings, topics, places,
                    organisations) joined by what the minutes record: attended or
                    chaired a meeting, spoke about a topic or place, owes an action to,
                    member of, organised, discussed at; what `paths` searches
==================  =============================================================

Every graph is built from a few aggregated SPARQL queries (pairs are grouped within
one meeting or one paragraph, never compared across meetings), so building is linear
in the number of meetings. Node attributes: ``label``, ``kind``, ``iri``; edge
attributes: ``weight`` (int), ``evidence`` (IRIs joined by ";" -- GraphML and GEXF
only hold scalars), ``relation`` (connections only) and ``cost`` (what path search
minimises: a shared meeting is a stronger tie than a shared topic).
"""

from __future__ import annotations

import io
import math
import os
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import networkx as nx

from kg import queries

__all__ = [
    "KINDS",
    "MEASURES",
    "FORMATS",
    "Filters",
    "Hop",
    "NetworkError",
    "build",
    "centrality",
    "communities",
    "resolve",
    "paths",
    "explain",
    "neighbourhood",
    "spring_layout",
    "write",
    "dumps",
    "evidence_list",
    "node_labels",
    "query_texts",
]

KINDS = ("coattendance", "person-topic", "place-topic", "topic-cooccurrence", "connections")
"""The networks `build` makes (see the module docstring)."""
MEASURES = ("degree", "strength", "betweenness", "eigenvector")
"""Centrality measures: degree (share of other nodes joined), strength (sum of edge
weights), betweenness (k-sampled above BETWEENNESS_EXACT nodes), eigenvector (None
where the power iteration does not converge)."""
FORMATS = ("graphml", "gexf")
"""Export formats Gephi, Cytoscape and networkx itself read."""
BETWEENNESS_EXACT = 400
"""Up to this many nodes betweenness is exact; above, it samples BETWEENNESS_SAMPLES
sources (networkx's k, with a fixed seed: the same graph gives the same numbers)."""
BETWEENNESS_SAMPLES = 100
SEED = 42
"""The seed of every random choice (betweenness sampling, louvain, layouts)."""

_COST = {
    "attended": 1.0,
    "chaired": 1.0,
    "minuted": 1.0,
    "member of": 1.0,
    "owes an action to": 1.0,
    "attended with": 1.0,
    "spoke about": 1.5,
    "organised": 1.5,
    "named with": 2.0,
    "discussed at": 2.0,
}
"""Path cost per relation: a hop through a meeting both attended beats a hop through a
topic both mentioned."""


class NetworkError(ValueError):
    """A bad kind, filter, measure or entity; the message is one line for the user."""


class _Selecting(Protocol):
    def select(self, sparql: str) -> tuple[list[str], list[dict[str, str | None]]]: ...


# -- filters --------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """Which meetings count: a body (its IRI or part of its name) and a date range.

    Dates are ISO ``YYYY-MM-DD``, both ends included; a meeting with no date is left
    out as soon as either end is given.
    """

    body: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value in ("", None):
                object.__setattr__(self, name, None)
                continue
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise NetworkError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
        if not (self.body or "").strip():
            object.__setattr__(self, "body", None)

    @property
    def active(self) -> bool:
        return bool(self.body or self.since or self.until)

    def meeting_pattern(self, var: str) -> str:
        """SPARQL restricting meeting variable `var` (empty when nothing is filtered)."""
        out = []
        if self.body:
            body = self.body.strip()
            if re.match(r"^https?://\S+$", body):
                out.append(f"{var} schema:organizer <{body.replace('>', '%3E')}> .")
            else:
                out.append(
                    f"{var} schema:organizer ?_body . ?_body skos:prefLabel ?_bodyname . "
                    f"FILTER(CONTAINS(LCASE(STR(?_bodyname)), LCASE({queries.literal(body)})))"
                )
        if self.since or self.until:
            out.append(f"{var} dcterms:date ?_date .")
            if self.since:
                out.append(f'FILTER(?_date >= "{self.since}"^^xsd:date)')
            if self.until:
                out.append(f'FILTER(?_date <= "{self.until}"^^xsd:date)')
        return "\n  ".join(out)

    def unit_pattern(self, unit: str) -> str:
        """SPARQL restricting a part of the minutes (paragraph, statement, item) to the
        filtered meetings: its meeting is the one it is part of, directly or through
        an agenda item."""
        if not self.active:
            return ""
        return (
            f"{{ {unit} dcterms:isPartOf ?_m . ?_m a gkg:Meeting }} UNION "
            f"{{ {unit} dcterms:isPartOf ?_item . ?_m gkg:hasAgendaItem ?_item }}\n  "
            + self.meeting_pattern("?_m")
        )


# -- queries ----------------------------------------------------------------------------
def _ev(var: str) -> str:
    return f'(GROUP_CONCAT(DISTINCT STR({var}); separator=";") AS ?ev)'


def _attendance_pairs(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?m) AS ?w) {_ev("?m")} WHERE {{
  ?m a gkg:Meeting ; gkg:attendee ?a, ?b .
  FILTER(STR(?a) < STR(?b))
  {f.meeting_pattern("?m")}
}} GROUP BY ?a ?b"""


def _attendees(f: Filters) -> str:
    return f"""SELECT ?a (COUNT(DISTINCT ?m) AS ?w) WHERE {{
  ?m a gkg:Meeting ; gkg:attendee ?a .
  {f.meeting_pattern("?m")}
}} GROUP BY ?a"""


def _speaker_topics(f: Filters) -> list[str]:
    """Person -> topic: the topic is mentioned in the statement, or is the subject of
    its agenda item (two queries: one UNION made the engine join every item first)."""
    head = "SELECT ?a ?b (COUNT(DISTINCT ?s) AS ?w) " + _ev("?s") + " WHERE {\n  "
    tail = "\n  " + f.unit_pattern("?s") + "\n} GROUP BY ?a ?b"
    return [
        head + "?s a gkg:Statement ; gkg:speaker ?a ; gkg:mentions ?b . ?b a skos:Concept ." + tail,
        head
        + "?s a gkg:Statement ; gkg:speaker ?a ; dcterms:isPartOf ?i .\n  "
        + "?i a gkg:AgendaItem ; dcterms:subject ?b . ?b a skos:Concept ."
        + tail,
    ]


def _speaker_places(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?s) AS ?w) {_ev("?s")} WHERE {{
  ?s a gkg:Statement ; gkg:speaker ?a ; gkg:mentions ?b . ?b a gkg:Place .
  {f.unit_pattern("?s")}
}} GROUP BY ?a ?b"""


def _place_topics(f: Filters) -> list[str]:
    head = "SELECT ?a ?b (COUNT(DISTINCT ?u) AS ?w) " + _ev("?u") + " WHERE {\n  "
    tail = "\n  " + f.unit_pattern("?u") + "\n} GROUP BY ?a ?b"
    return [
        head
        + "?u a gkg:Paragraph ; gkg:mentions ?a, ?b . ?a a gkg:Place . ?b a skos:Concept ."
        + tail,
        head
        + "?u a gkg:Paragraph ; gkg:mentions ?a ; dcterms:isPartOf ?i . ?a a gkg:Place .\n  "
        + "?i a gkg:AgendaItem ; dcterms:subject ?b . ?b a skos:Concept ."
        + tail,
    ]


def _topic_pairs(f: Filters) -> list[str]:
    head = "SELECT ?a ?b (COUNT(DISTINCT ?u) AS ?w) " + _ev("?u") + " WHERE {\n  "
    tail = "\n  FILTER(STR(?a) < STR(?b))\n  " + f.unit_pattern("?u") + "\n} GROUP BY ?a ?b"
    return [
        head
        + "?u a gkg:Paragraph ; gkg:mentions ?a, ?b . ?a a skos:Concept . ?b a skos:Concept ."
        + tail,
        head + "?u a gkg:AgendaItem ; dcterms:subject ?a, ?b ." + tail,
    ]


def _meeting_people(f: Filters) -> str:
    return f"""SELECT ?a ?b ?rel WHERE {{
  {{ ?b gkg:attendee ?a BIND("attended" AS ?rel) }}
  UNION {{ ?b gkg:chair ?a BIND("chaired" AS ?rel) }}
  UNION {{ ?b gkg:minutedBy ?a BIND("minuted" AS ?rel) }}
  ?b a gkg:Meeting .
  {f.meeting_pattern("?b")}
}}"""


def _memberships(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?m) AS ?w) {_ev("?m")} WHERE {{
  ?ms org:member ?a ; org:organization ?b ; gkg:recordedAt ?m .
  {f.meeting_pattern("?m")}
}} GROUP BY ?a ?b"""


def _owed_actions(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?x) AS ?w) {_ev("?x")} WHERE {{
  ?x a gkg:Action ; gkg:owner ?a ; gkg:owedTo ?b ; gkg:raisedAt ?m .
  FILTER(?a != ?b)
  {f.meeting_pattern("?m")}
}} GROUP BY ?a ?b"""


def _organisers(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?b) AS ?w) {_ev("?b")} WHERE {{
  ?b a gkg:Meeting ; schema:organizer ?a .
  {f.meeting_pattern("?b")}
}} GROUP BY ?a ?b"""


def _meeting_topics(f: Filters) -> str:
    return f"""SELECT ?a ?b (COUNT(DISTINCT ?x) AS ?w) {_ev("?x")} WHERE {{
  ?b a gkg:Meeting .
  {{ ?b dcterms:subject ?a BIND(?b AS ?x) }}
  UNION {{ ?b gkg:hasAgendaItem ?x . ?x dcterms:subject ?a }}
  ?a a skos:Concept .
  {f.meeting_pattern("?b")}
}} GROUP BY ?a ?b"""


_LABELS = """SELECT ?n ?kind (MIN(?l) AS ?label) (MIN(?d) AS ?date) WHERE {
  { ?n a foaf:Person ; foaf:name ?l BIND("person" AS ?kind) }
  UNION { ?n a skos:Concept ; skos:prefLabel ?l BIND("topic" AS ?kind) }
  UNION { ?n a gkg:Place ; skos:prefLabel ?l BIND("place" AS ?kind) }
  UNION { ?n a org:Organization ; skos:prefLabel ?l BIND("organisation" AS ?kind) }
  UNION { ?n a gkg:Meeting ; dcterms:title ?l BIND("meeting" AS ?kind) OPTIONAL { ?n dcterms:date ?d } }
} GROUP BY ?n ?kind"""


def query_texts(kind: str, filters: Filters | None = None) -> list[str]:
    """The SPARQL queries `build` runs for `kind` (for --show-query and tests)."""
    return [q for q, _ in _plan(kind, filters or Filters())]


def _plan(kind: str, f: Filters) -> list[tuple[str, str | None]]:
    """(query, relation) pairs: each query gives rows ?a ?b ?w ?ev of one relation."""
    if kind == "coattendance":
        return [(_attendance_pairs(f), None)]
    if kind == "person-topic":
        return [(q, None) for q in _speaker_topics(f)]
    if kind == "place-topic":
        return [(q, None) for q in _place_topics(f)]
    if kind == "topic-cooccurrence":
        return [(q, None) for q in _topic_pairs(f)]
    if kind == "connections":
        return [
            *[(q, "spoke about") for q in _speaker_topics(f)],
            (_speaker_places(f), "spoke about"),
            (_memberships(f), "member of"),
            (_owed_actions(f), "owes an action to"),
            (_organisers(f), "organised"),
            (_meeting_topics(f), "discussed at"),
            *[(q, "named with") for q in _place_topics(f)],
        ]
    raise NetworkError(f"unknown network kind {kind!r}; choose one of {', '.join(KINDS)}")


# -- building ---------------------------------------------------------------------------
def _kind_of(iri: str) -> str:
    seg = iri.rstrip("/").rsplit("/", 2)[-2] if iri.count("/") >= 2 else ""
    return {"org": "organisation", "item": "agenda item"}.get(seg, seg or "thing")


class _Labels:
    def __init__(self, store: _Selecting) -> None:
        self.rows: dict[str, tuple[str, str]] = {}
        rank = {"person": 0, "meeting": 1, "place": 2, "topic": 3, "organisation": 4}
        for row in sorted(store.select(_LABELS)[1], key=lambda r: rank.get(r["kind"] or "", 9)):
            n = row["n"]  # a council that is also a place is a place
            if not n or n in self.rows:
                continue
            label = row["label"] or n.rsplit("/", 1)[-1]
            if row["kind"] == "meeting" and row.get("date"):
                label = f"{label} ({row['date']})"
            self.rows[n] = (label, row["kind"] or _kind_of(n))

    def add(self, g: nx.Graph, node: str) -> None:
        if node in g:
            return
        label, kind = self.rows.get(node, (node.rsplit("/", 1)[-1], _kind_of(node)))
        g.add_node(node, label=label, kind=kind, iri=node)


def node_labels(store: _Selecting) -> dict[str, tuple[str, str]]:
    """Every person, topic, place, organisation and meeting: IRI -> (label, kind);
    a meeting's label ends in its date. (To name evidence and nodes in pages.)"""
    return _Labels(store).rows


def _add_edge(
    g: nx.Graph, a: str, b: str, evidence: Iterable[str], relation: str | None = None
) -> None:
    """Join a and b, or merge into their edge: the evidence is the union, the weight
    its size (meetings, statements, paragraphs...), relations listed once each."""
    ev = {e for e in evidence if e}
    cost = _COST.get(relation or "", 1.0)
    if g.has_edge(a, b):
        data = g.edges[a, b]
        ev |= set(evidence_list(data))
        if relation and relation not in data.get("relation", "").split(", "):
            data["relation"] = ", ".join(filter(None, [data.get("relation"), relation]))
        data["cost"] = min(data["cost"], cost)
    else:
        g.add_edge(a, b, cost=cost)
        if relation:  # read "subject relation other end": "X attended M"
            g.edges[a, b]["relation"] = relation
            g.edges[a, b]["subject"] = a
        data = g.edges[a, b]
    data["weight"] = max(1, len(ev))
    data["evidence"] = ";".join(sorted(ev))


def _pairs(
    store: _Selecting, g: nx.Graph, labels: _Labels, sparql: str, relation: str | None = None
) -> None:
    for row in store.select(sparql)[1]:
        a, b = row["a"], row["b"]
        if not a or not b or a == b:
            continue
        labels.add(g, a)
        labels.add(g, b)
        _add_edge(g, a, b, (row.get("ev") or "").split(";"), relation)


def build(store: _Selecting, kind: str, filters: Filters | None = None) -> nx.Graph:
    """The network `kind` (one of KINDS) of the meetings `filters` selects.

    Args:
        store: a kg.store.Store (or anything with its `select`).
        kind: which network.
        filters: body and date range; None means every meeting.

    Returns:
        An undirected nx.Graph whose nodes are IRIs; graph attributes ``kind`` and
        the filters (empty strings when unset).
    """
    f = filters or Filters()
    plan = _plan(kind, f)  # raises on an unknown kind
    labels = _Labels(store)
    g = nx.Graph(kind=kind, body=f.body or "", since=f.since or "", until=f.until or "", name=kind)
    if kind == "coattendance":
        for row in store.select(_attendees(f))[1]:
            if row["a"]:
                labels.add(g, row["a"])
                g.nodes[row["a"]]["meetings"] = int(row.get("w") or 0)
    if kind == "connections":
        _people_at_meetings(store, g, labels, f)
    for sparql, relation in plan:
        _pairs(store, g, labels, sparql, relation)
    return g


def _people_at_meetings(store: _Selecting, g: nx.Graph, labels: _Labels, f: Filters) -> None:
    rank = {"chaired": 0, "minuted": 1, "attended": 2}
    person_meeting: dict[tuple[str, str], str] = {}
    for row in store.select(_meeting_people(f))[1]:
        a, b, rel = row["a"], row["b"], row["rel"] or "attended"
        if not a or not b:
            continue
        old = person_meeting.get((a, b))
        if old is None or rank[rel] < rank[old]:
            person_meeting[(a, b)] = rel
    for (a, b), rel in sorted(person_meeting.items()):
        labels.add(g, a)
        labels.add(g, b)
        _add_edge(g, a, b, [b], rel)


# -- measures ---------------------------------------------------------------------------
def centrality(g: nx.Graph, by: str = "degree") -> list[dict[str, Any]]:
    """Every node with its score on `by` (one of MEASURES), highest first.

    Each row: iri, label, kind, score (None where eigenvector did not converge),
    degree (neighbours) and strength (sum of edge weights). Ties are broken by label.
    """
    if by not in MEASURES:
        raise NetworkError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
    n = g.number_of_nodes()
    scores: dict[str, float | None]
    if n == 0:
        return []
    if by == "degree":
        scores = dict(nx.degree_centrality(g)) if n > 1 else {v: 0.0 for v in g}
    elif by == "strength":
        scores = {v: float(s) for v, s in g.degree(weight="weight")}
    elif by == "betweenness":
        k = BETWEENNESS_SAMPLES if n > BETWEENNESS_EXACT else None
        scores = dict(nx.betweenness_centrality(g, k=k, seed=SEED, normalized=True))
    else:
        scores = _eigenvector(g)
    rows = [
        {
            "iri": v,
            "label": g.nodes[v].get("label", v),
            "kind": g.nodes[v].get("kind", ""),
            "score": None if scores[v] is None else round(float(scores[v] or 0.0), 6),
            "degree": g.degree(v),
            "strength": g.degree(v, weight="weight"),
        }
        for v in g
    ]
    rows.sort(key=lambda r: (-(r["score"] or 0.0), -r["strength"], str(r["label"]).lower()))
    return rows


def _eigenvector(g: nx.Graph) -> dict[str, float | None]:
    """Eigenvector centrality of the largest component (everyone else: 0, where the
    power iteration would take them anyway, only slowly); None for all when it does
    not converge."""
    scores: dict[str, float | None] = {v: 0.0 for v in g}
    if g.number_of_edges() == 0:
        return scores
    biggest = g.subgraph(max(nx.connected_components(g), key=len))
    found = _power_iteration(biggest)
    if found is None:
        return {v: None for v in g}
    scores.update(found)
    return scores


def _power_iteration(
    g: nx.Graph, max_iter: int = 300, tol: float = 1e-6
) -> dict[str, float] | None:
    """The leading eigenvector of (A + sI), s = the largest weighted degree (a bound on
    the leading eigenvalue): the shift keeps bipartite graphs (person-topic,
    place-topic), whose spectrum is symmetric, from oscillating -- networkx shifts by
    1, which with weights in the hundreds converges too slowly to be of use."""
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    nbrs = [[(index[u], float(d.get("weight", 1))) for u, d in g[v].items()] for v in nodes]
    shift = max(sum(w for _, w in row) for row in nbrs) or 1.0
    n = len(nodes)
    x = [1.0 / math.sqrt(n)] * n
    for _ in range(max_iter):
        y = [shift * x[i] + sum(w * x[j] for j, w in nbrs[i]) for i in range(n)]
        norm = math.sqrt(sum(v * v for v in y)) or 1.0
        y = [v / norm for v in y]
        if sum(abs(a - b) for a, b in zip(x, y, strict=True)) < n * tol:
            return {v: y[i] for i, v in enumerate(nodes)}
        x = y
    return None


def communities(g: nx.Graph, *, method: str = "louvain") -> list[list[str]]:
    """Groups of nodes more tied to each other than to the rest (largest first; inside
    a group, most connected first). Louvain (weighted, fixed seed) or greedy
    modularity; isolated nodes are left out."""
    h = g.subgraph([v for v in g if g.degree(v) > 0])
    if h.number_of_edges() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(h, weight="weight", seed=SEED)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(h, weight="weight")
    else:
        raise NetworkError(f"unknown community method {method!r}; choose louvain or greedy")
    strength = dict(h.degree(weight="weight"))
    groups = [
        sorted(c, key=lambda v: (-strength[v], str(h.nodes[v].get("label", v)).lower()))
        for c in found
    ]
    groups.sort(key=lambda c: (-len(c), str(h.nodes[c[0]].get("label", c[0])).lower()))
    return groups


# -- entities and paths -------------------------------------------------------------------
def resolve(g: nx.Graph, text: str) -> list[str]:
    """The nodes `text` names: an IRI in the graph, else labels equal to it (any case),
    else labels containing it; most connected first."""
    text = text.strip()
    if not text:
        return []
    if text in g:
        return [text]
    low = text.lower()
    exact = [v for v, d in g.nodes(data=True) if str(d.get("label", "")).lower() == low]
    found = exact or [v for v, d in g.nodes(data=True) if low in str(d.get("label", "")).lower()]
    return sorted(found, key=lambda v: (-g.degree(v), str(v)))


@dataclass(frozen=True)
class Hop:
    """One step of a path: from -> to, why (the relation), and the evidence IRIs."""

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    weight: int
    evidence: tuple[str, ...]
    forward: bool = True
    """Whether the relation reads from source to target ("X attended M"); False when
    the path walks it backwards (M to X)."""

    @property
    def text(self) -> str:
        """The hop as a sentence: "Jane Doe attended Budget meeting (2024-01-02)"."""
        a, b = (
            (self.source_label, self.target_label)
            if self.forward
            else (self.target_label, self.source_label)
        )
        return f"{a} {self.relation} {b}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "from_label": self.source_label,
            "to": self.target,
            "to_label": self.target_label,
            "relation": self.relation,
            "weight": self.weight,
            "evidence": list(self.evidence),
            "text": self.text,
        }


def explain(g: nx.Graph, path: list[str]) -> list[Hop]:
    """The hops of a node path, each with its relation and evidence."""
    hops = []
    for a, b in zip(path, path[1:], strict=False):
        d = g.edges[a, b]
        hops.append(
            Hop(
                source=a,
                source_label=str(g.nodes[a].get("label", a)),
                target=b,
                target_label=str(g.nodes[b].get("label", b)),
                relation=str(d.get("relation") or "linked to"),
                weight=int(d.get("weight", 1)),
                evidence=tuple(evidence_list(d)),
                forward=d.get("subject", a) == a,
            )
        )
    return hops


def paths(g: nx.Graph, source: str, target: str, k: int = 3) -> list[list[Hop]]:
    """Up to `k` cheapest simple paths from `source` to `target` (edge ``cost``: a
    meeting both attended is the strongest tie), each as explained hops; [] when the
    two are not connected."""
    for node in (source, target):
        if node not in g:
            raise NetworkError(f"not in the network: {node}")
    if source == target:
        return []
    try:
        found = []
        for path in nx.shortest_simple_paths(g, source, target, weight="cost"):
            found.append(explain(g, path))
            if len(found) >= k:
                break
        return found
    except nx.NetworkXNoPath:
        return []


def evidence_list(edge: dict[str, Any]) -> list[str]:
    """An edge's evidence IRIs (the ";"-joined attribute split again)."""
    return [e for e in str(edge.get("evidence", "")).split(";") if e]


def neighbourhood(g: nx.Graph, node: str, limit: int = 20) -> nx.Graph:
    """`node`, its `limit` most strongly tied neighbours (weight, then label), and the
    edges among them: what an entity's network picture shows."""
    if node not in g:
        raise NetworkError(f"not in the network: {node}")
    near = sorted(
        g[node],
        key=lambda v: (-g.edges[node, v].get("weight", 1), str(g.nodes[v].get("label", v)).lower()),
    )[: max(0, limit)]
    return g.subgraph([node, *near]).copy()


# -- layout ----------------------------------------------------------------------------
def spring_layout(
    g: nx.Graph, centre: str | None = None, *, seed: int = SEED, iterations: int = 150
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold positions in [-1, 1]^2, in pure Python (networkx's own
    spring_layout needs numpy, which govkg does not depend on): meant for the few
    dozen nodes of a neighbourhood. Deterministic for a seed; `centre` is pinned at
    (0, 0) and the others start on a circle round it, the most strongly tied nearest.
    """
    nodes = sorted(g, key=str)
    if not nodes:
        return {}
    rnd = random.Random(seed)
    others = [v for v in nodes if v != centre]
    top = max((float(d.get("weight", 1)) for _, _, d in g.edges(data=True)), default=1.0)
    pos: dict[str, list[float]] = {}
    for i, v in enumerate(others):
        angle = 2 * math.pi * i / max(1, len(others)) + rnd.uniform(-0.1, 0.1)
        w = float(g.edges[centre, v].get("weight", 1)) if centre and g.has_edge(centre, v) else 0
        radius = 0.9 - 0.4 * (w / top)
        pos[v] = [radius * math.cos(angle), radius * math.sin(angle)]
    if centre is not None and centre in g:
        pos[centre] = [0.0, 0.0]
    k = math.sqrt(4.0 / len(nodes))
    temperature = 0.1
    for step in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.hypot(dx, dy), 0.01)
                force = k * k / dist
                disp[a][0] += dx / dist * force
                disp[a][1] += dy / dist * force
                disp[b][0] -= dx / dist * force
                disp[b][1] -= dy / dist * force
        for a, b, d in g.edges(data=True):
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 0.01)
            force = dist * dist / k * (0.5 + 0.5 * float(d.get("weight", 1)) / top)
            disp[a][0] -= dx / dist * force
            disp[a][1] -= dy / dist * force
            disp[b][0] += dx / dist * force
            disp[b][1] += dy / dist * force
        t = temperature * (1 - step / iterations)
        for v in nodes:
            if v == centre:
                continue
            dx, dy = disp[v]
            length = max(math.hypot(dx, dy), 1e-9)
            pos[v][0] = min(1.0, max(-1.0, pos[v][0] + dx / length * min(length, t)))
            pos[v][1] = min(1.0, max(-1.0, pos[v][1] + dy / length * min(length, t)))
    return {v: (round(p[0], 6), round(p[1], 6)) for v, p in pos.items()}


# -- exports ----------------------------------------------------------------------------
def _scalar_copy(g: nx.Graph) -> nx.Graph:
    """A copy with only str/int/float attributes (GraphML and GEXF hold nothing else)."""
    h = nx.Graph()
    h.graph.update({k: v for k, v in g.graph.items() if isinstance(v, str | int | float)})
    for v, d in g.nodes(data=True):
        h.add_node(v, **{k: x for k, x in d.items() if isinstance(x, str | int | float)})
    for a, b, d in g.edges(data=True):
        h.add_edge(a, b, **{k: x for k, x in d.items() if isinstance(x, str | int | float)})
    return h


def dumps(g: nx.Graph, fmt: str) -> bytes:
    """The graph as GraphML or GEXF (UTF-8 XML)."""
    if fmt not in FORMATS:
        raise NetworkError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    h = _scalar_copy(g)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(h, buf, encoding="utf-8")
    else:
        nx.write_gexf(h, buf, encoding="utf-8")
    return buf.getvalue()


def write(g: nx.Graph, fmt: str, path: str | os.PathLike[str]) -> int:
    """Write the graph to `path` as GraphML or GEXF; returns the bytes written."""
    data = dumps(g, fmt)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)
