"""Review: a maintainer confirms or rejects an extracted node (an action, a follow-up
link, any IRI in the graph), and the decision wins over extraction.

Decisions live in their own named graph, ``{BASE}graph/review``, apart from the
document graphs and the derived graphs, so ingest never touches them:
`Store.replace_document` only drops the replaced document's own graph, and the
default graph keeps every triple some other graph holds.

One decision per node (a new one replaces it; `undo` removes it)::

    <{BASE}review/{hash of the node IRI}> a gkg:Review ;
        gkg:reviewOf <node> ; gkg:reviewStatus gkg:Rejected ;
        dcterms:creator "who" ; dcterms:created "..."^^xsd:dateTime ;
        rdfs:comment "note" ;
        gkg:reviewedText "the node's text" ; gkg:reviewedIn <meeting> .
    <node> gkg:reviewStatus gkg:Rejected .

The second triple is what queries use (`kg.queries.actions_query` leaves rejected
actions out and shows "confirmed"). Part IRIs are deterministic, so re-ingesting the
same file keeps the decision on its node; a changed file gives its parts new IRIs, so
after each ingest `reattach` moves a decision whose node is gone to the node of the
same class with the same text at the same meeting, if there is exactly one.

Writes are one SPARQL UPDATE each. The web app stays read-only: the CLI
(`govkg review confirm|reject|undo|list`) is the only writer.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg import iris
from kg.namespace import GKG, RDF, RDFS, XSD
from kg.queries import literal

__all__ = [
    "CONFIRMED",
    "REJECTED",
    "DECISIONS",
    "ReviewError",
    "Decision",
    "graph_iri",
    "decide",
    "undo",
    "decisions",
    "reattach",
]

CONFIRMED = "confirmed"
REJECTED = "rejected"
DECISIONS = {CONFIRMED: str(GKG.Confirmed), REJECTED: str(GKG.Rejected)}
"""Decision word -> its gkg:ReviewStatus concept."""


class ReviewError(ValueError):
    """A decision that cannot be recorded (unknown decision, IRI not in the graph)."""


@dataclass
class Decision:
    review: str
    target: str
    decision: str
    by: str | None
    at: str | None
    note: str | None
    present: bool
    """Whether the target is in the graph now (False: its document changed and no node
    with the same text was found at the same meeting)."""
    kind: str | None = None
    text: str | None = None


def graph_iri() -> ox.NamedNode:
    """The review graph: ``{BASE}graph/review``."""
    return ox.NamedNode(f"{iris.base()}graph/review")


def _review_iri(target: str) -> ox.NamedNode:
    digest = hashlib.sha256(target.encode("utf-8")).hexdigest()[:20]
    return ox.NamedNode(f"{iris.base()}review/{digest}")


def _iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise ReviewError(f"not an IRI: {value!r}") from exc


def _remove(graph: ox.NamedNode, target: ox.NamedNode) -> str:
    """The update part that removes every decision about `target` (both the review
    node's triples and the status on the target), from the review graph and from the
    default graph unless another graph holds the same triple."""
    pattern = (
        f"{{ ?s ?p ?o . ?s gkg:reviewOf {target} }} UNION "
        f"{{ ?s ?p ?o . FILTER(?s = {target} && ?p = gkg:reviewStatus) }}"
    )
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ {pattern} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }} ;\n"
        f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ {pattern} }} }}"
    )


def _update(store: Any, sparql: str) -> None:
    from kg.queries import prefix_block

    store._update(prefix_block() + sparql)


def decide(
    store: Any,
    target: str,
    decision: str,
    *,
    by: str | None = None,
    note: str | None = None,
    when: dt.datetime | None = None,
) -> Decision:
    """Record `decision` (CONFIRMED or REJECTED) about the node `target`, replacing any
    earlier decision about it. The node must be in the graph (a typo is an error).

    Args:
        by: who decided; None means the login name.
        note: why, in a sentence.
        when: the time of the decision (UTC now by default).
    """
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r}; use {' or '.join(DECISIONS)}")
    node = _iri(target)
    _, rows = store.select(
        f"SELECT ?text ?meeting ?kind WHERE {{ {{ SELECT * WHERE {{ {node} ?p ?o }} LIMIT 1 }} "
        f"OPTIONAL {{ {node} a ?kind FILTER(?kind != gkg:Commitment) }} "
        f"OPTIONAL {{ {node} gkg:text ?text }} "
        f"OPTIONAL {{ {node} gkg:raisedAt|gkg:atMeeting|dcterms:isPartOf+ ?meeting . "
        f"?meeting a gkg:Meeting }} }} LIMIT 1"
    )
    if not rows:
        raise ReviewError(f"{target}: not in the graph (check the IRI)")
    by = by or _login()
    at = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    review = _review_iri(target)
    status = ox.NamedNode(DECISIONS[decision])
    stamp = ox.Literal(
        at.isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(str(XSD.dateTime))
    )
    triples = [
        f"{review} {ox.NamedNode(str(RDF.type))} {ox.NamedNode(str(GKG.Review))} .",
        f"{review} gkg:reviewOf {node} .",
        f"{review} gkg:reviewStatus {status} .",
        f"{review} dcterms:creator {literal(by)} .",
        f"{review} dcterms:created {stamp} .",
        f"{node} gkg:reviewStatus {status} .",
    ]
    if note:
        triples.append(f"{review} {ox.NamedNode(str(RDFS.comment))} {literal(note)} .")
    if rows[0]["text"]:
        triples.append(f"{review} gkg:reviewedText {literal(rows[0]['text'] or '')} .")
    if rows[0]["meeting"]:
        triples.append(f"{review} gkg:reviewedIn {_iri(rows[0]['meeting'] or '')} .")
    if rows[0]["kind"]:
        triples.append(f"{review} dcterms:type {_iri(rows[0]['kind'] or '')} .")
    body = "\n".join(triples)
    graph = graph_iri()
    _update(
        store,
        f"{_remove(graph, node)} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}}\n{body}\n}}",
    )
    return Decision(str(review.value), target, decision, by, str(stamp.value), note, True)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def undo(store: Any, target: str) -> bool:
    """Remove the decision about `target`; False when there was none."""
    node = _iri(target)
    graph = graph_iri()
    _, rows = store.select(
        f"SELECT ?r WHERE {{ GRAPH {graph} {{ ?r gkg:reviewOf {node} }} }} LIMIT 1"
    )
    if not rows:
        return False
    _update(store, _remove(graph, node))
    return True


def decisions(store: Any, decision: str | None = None) -> list[Decision]:
    """Every decision (or only CONFIRMED / REJECTED ones), newest first."""
    graph = graph_iri()
    keep = f"FILTER(?status = <{DECISIONS[decision]}>)" if decision in DECISIONS else ""
    _, rows = store.select(
        f"SELECT ?r ?target ?status ?by ?at ?note ?kind ?text ?present WHERE {{ "
        f"GRAPH {graph} {{ ?r a gkg:Review ; gkg:reviewOf ?target ; gkg:reviewStatus ?status . "
        f"OPTIONAL {{ ?r dcterms:creator ?by }} OPTIONAL {{ ?r dcterms:created ?at }} "
        f"OPTIONAL {{ ?r rdfs:comment ?note }} OPTIONAL {{ ?r gkg:reviewedText ?text }} }} {keep} "
        f"OPTIONAL {{ ?target a ?kind FILTER(?kind != gkg:Action || NOT EXISTS "
        f"{{ ?target a gkg:Commitment }}) }} "
        f"BIND(EXISTS {{ GRAPH ?g {{ ?target ?p ?o }} FILTER(?g != {graph}) }} AS ?present) }} "
        f"ORDER BY DESC(?at) ?target"
    )
    out: dict[str, Decision] = {}
    words = {v: k for k, v in DECISIONS.items()}
    for r in rows:
        if r["r"] in out:
            continue
        kind = (r["kind"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or None
        out[r["r"] or ""] = Decision(
            r["r"] or "",
            r["target"] or "",
            words.get(r["status"] or "", r["status"] or ""),
            r["by"],
            r["at"],
            r["note"],
            r["present"] == "true",
            kind,
            r["text"],
        )
    return list(out.values())


def reattach(store: Any) -> int:
    """Move each decision whose node is no longer in the graph to the one node of the
    same class with the same text at the same meeting (a changed file re-ingested gives
    its parts new IRIs). Returns the number of decisions moved."""
    graph = graph_iri()
    _, rows = store.select(
        f"SELECT ?old ?new WHERE {{ "
        f"GRAPH {graph} {{ ?r gkg:reviewOf ?old ; gkg:reviewedText ?text ; gkg:reviewedIn ?m ; "
        f"dcterms:type ?kind }} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?old ?p ?o }} FILTER(?g != {graph}) }} "
        f"?new gkg:text ?text ; a ?kind . "
        f"FILTER EXISTS {{ ?new gkg:raisedAt|gkg:atMeeting|dcterms:isPartOf+ ?m }} "
        f"FILTER(?new != ?old) }} ORDER BY ?old ?new"
    )
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["old"] or "", set()).add(r["new"] or "")
    moved = 0
    for old, news in sorted(found.items()):
        if len(news) != 1:
            continue
        (new,) = news
        was = _decision_of(store, old)
        if was is None:
            continue
        decide(store, new, was.decision, by=was.by, note=was.note, when=_parse(was.at))
        undo(store, old)
        moved += 1
    return moved


def _decision_of(store: Any, target: str) -> Decision | None:
    for d in decisions(store):
        if d.target == target:
            return d
    return None


def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
