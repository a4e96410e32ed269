"""SPARQL for the pages: builders that return query text and do no I/O.

The views run them with `web.data.store().select(...)`. Every IRI a builder takes has
been through `iri()` (an IRI with a character that could end it is refused) and every
text value through `kg.queries.literal()`, so nothing a visitor types reaches a query
unescaped. Queries start from a bound node or a document graph, so they stay fast on a
large store; lists that can grow without bound take a LIMIT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.queries import prefix_block

__all__ = [
    "iri",
    "values",
    "types_query",
    "meeting_dates_query",
    "meetings_query",
    "meeting_counts_query",
    "meeting_query",
    "meeting_documents_query",
    "attendance_query",
    "agenda_query",
    "paragraphs_query",
    "statements_query",
    "doc_actions_query",
    "locate_query",
    "paragraph_starts_query",
    "labels_query",
    "person_roles_query",
    "person_meetings_query",
    "person_statements_query",
    "agent_actions_query",
    "organisation_meetings_query",
    "organisation_members_query",
    "mentions_timeline_query",
    "mentioning_paragraphs_query",
    "mentioning_actions_query",
    "topic_meetings_query",
    "role_holders_query",
    "canonical_query",
    "variants_query",
    "commitments_query",
    "COMMITMENT_KINDS",
    "identity_graph",
    "same_as",
    "OWL_SAME_AS",
    "STATUS_OPEN",
]

STATUS_OPEN = "https://w3id.org/govkg/ns#StatusOpen"

_IRI = re.compile(r'^https?://[^\s<>"{}|\\^`]+$')


def iri(value: str) -> str:
    """`value` written as a SPARQL IRI (``<...>``); ValueError if it is not a plain IRI."""
    if not _IRI.match(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def values(var: str, iris: Iterable[str]) -> str:
    """A VALUES block binding ``?var`` to each IRI."""
    return f"VALUES ?{var} {{ {' '.join(iri(v) for v in iris)} }}"


def _q(body: str) -> str:
    return prefix_block() + body


def _nodes(node: str | Iterable[str]) -> list[str]:
    """One IRI or several (a person and the variants kg.identity merged into it), each
    once, in order."""
    return [node] if isinstance(node, str) else list(dict.fromkeys(node))


OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def identity_graph() -> str:
    """The start of the IRIs of kg.identity's derived graphs: ``{BASE}graph/identity``
    (one graph, or one per body under ``{BASE}graph/identity/...``)."""
    from kg import iris

    return f"{iris.base()}graph/identity"


def same_as(subject: str, obj: str, graph: str = "?idg") -> str:
    """The pattern ``subject owl:sameAs obj`` as kg.identity writes it, in any of its
    identity graphs (from a bound subject or object: an index lookup, not a scan)."""
    return (
        f"GRAPH {graph} {{ {subject} <{OWL_SAME_AS}> {obj} }} "
        f'FILTER(STRSTARTS(STR({graph}), "{identity_graph()}"))'
    )


def types_query(node: str) -> str:
    """The rdf:types of a node (none: the node is not in the graph)."""
    return _q(f"SELECT DISTINCT ?type WHERE {{ {iri(node)} a ?type }}")


# -- meetings -------------------------------------------------------------------------
def meeting_dates_query() -> str:
    """Every meeting with minutes and its date (one row each): meeting, date.

    The meetings list and the latest meetings sort this once per opened store
    (`web.data.memo`): sorting the whole graph by date on every request is what made
    those pages slow."""
    return _q(
        """SELECT ?meeting (SAMPLE(?d) AS ?date) WHERE {
  ?meeting a gkg:Meeting ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?meeting dcterms:date ?d }
} GROUP BY ?meeting
"""
    )


def meetings_query(meetings: Iterable[str]) -> str:
    """Title, date, kind, body and body_label of these meetings (one row each)."""
    return _q(
        f"""SELECT ?meeting (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) (SAMPLE(?k) AS ?kind)
       (SAMPLE(?b) AS ?body) (SAMPLE(?bl) AS ?body_label)
WHERE {{
  {values("meeting", meetings)}
  OPTIONAL {{ ?meeting dcterms:title ?t }}
  OPTIONAL {{ ?meeting dcterms:date ?d }}
  OPTIONAL {{ ?meeting gkg:kind ?k }}
  OPTIONAL {{ ?meeting schema:organizer ?b }}
  OPTIONAL {{ ?meeting schema:organizer/skos:prefLabel ?bl }}
}}
GROUP BY ?meeting
"""
    )


def meeting_counts_query(meetings: Iterable[str]) -> str:
    """Per meeting: documents, paragraphs, statements and actions in its documents."""
    return _q(
        f"""SELECT ?meeting (COUNT(DISTINCT ?doc) AS ?documents)
       (COUNT(DISTINCT ?p) AS ?paragraphs) (COUNT(DISTINCT ?s) AS ?statements)
       (COUNT(DISTINCT ?a) AS ?actions)
WHERE {{
  {values("meeting", meetings)}
  ?meeting prov:wasDerivedFrom ?doc .
  {{ GRAPH ?doc {{ ?p a gkg:Paragraph }} }} UNION {{ GRAPH ?doc {{ ?s a gkg:Statement }} }}
  UNION {{ GRAPH ?doc {{ ?a a gkg:Action }} }}
}}
GROUP BY ?meeting
"""
    )


def meeting_query(meeting: str) -> str:
    """The header of one meeting: title, date, kind, venue, body, chair, minuted_by, next."""
    m = iri(meeting)
    return _q(
        f"""SELECT (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) (SAMPLE(?k) AS ?kind)
       (SAMPLE(?v) AS ?venue) (SAMPLE(?b) AS ?body) (SAMPLE(?bl) AS ?body_label)
       (SAMPLE(?c) AS ?chair) (SAMPLE(?cn) AS ?chair_name)
       (SAMPLE(?mb) AS ?minuted_by) (SAMPLE(?mbn) AS ?minuted_by_name)
       (SAMPLE(?nd) AS ?next_date)
WHERE {{
  {m} a gkg:Meeting .
  OPTIONAL {{ {m} dcterms:title ?t }}
  OPTIONAL {{ {m} dcterms:date ?d }}
  OPTIONAL {{ {m} gkg:kind ?k }}
  OPTIONAL {{ {m} gkg:venue ?v }}
  OPTIONAL {{ {m} schema:organizer ?b . OPTIONAL {{ ?b skos:prefLabel ?bl }} }}
  OPTIONAL {{ {m} gkg:chair ?c . OPTIONAL {{ ?c foaf:name ?cn }} }}
  OPTIONAL {{ {m} gkg:minutedBy ?mb . OPTIONAL {{ ?mb foaf:name ?mbn }} }}
  OPTIONAL {{ {m} gkg:nextMeetingDate ?nd }}
}}
"""
    )


def meeting_documents_query(meeting: str) -> str:
    """The source documents of a meeting: document, sha256, format, path (by path).

    From the union graph: ``GRAPH ?document {...}`` made Oxigraph visit every document
    graph before joining (240 ms at 10,000 meetings; 0.4 ms this way)."""
    return _q(
        f"""SELECT ?document ?sha256 ?format ?path WHERE {{
  {iri(meeting)} prov:wasDerivedFrom ?document .
  ?document gkg:sha256 ?sha256 .
  OPTIONAL {{ ?document gkg:format ?format }} OPTIONAL {{ ?document gkg:sourcePath ?path }}
}} ORDER BY ?path ?sha256
"""
    )


def attendance_query(meeting: str, document: str) -> str:
    """Who came (status "present") or sent apologies, as one document records it, with
    the role and organisation recorded for them there."""
    m, g = iri(meeting), iri(document)
    return _q(
        f"""SELECT ?person (SAMPLE(?n) AS ?name) ?status (SAMPLE(?rl) AS ?role)
       (SAMPLE(?o) AS ?organisation) (SAMPLE(?ol) AS ?organisation_label)
WHERE {{
  GRAPH {g} {{
    {{ {m} gkg:attendee ?person . BIND("present" AS ?status) }}
    UNION {{ {m} gkg:sentApologies ?person . BIND("apologies" AS ?status) }}
    OPTIONAL {{ ?person foaf:name ?n }}
    OPTIONAL {{ ?ms org:member ?person ; gkg:recordedAt {m} .
      OPTIONAL {{ ?ms org:role ?r . OPTIONAL {{ ?r skos:prefLabel ?rl }} }}
      OPTIONAL {{ ?ms org:organization ?o . OPTIONAL {{ ?o skos:prefLabel ?ol }} }} }}
  }}
}}
GROUP BY ?person ?status
ORDER BY ?status ?name
"""
    )


def agenda_query(document: str) -> str:
    """The agenda items of a document in order: item, order, ref, title, parent."""
    return _q(
        f"""SELECT ?item ?order ?ref ?title ?parent WHERE {{
  GRAPH {iri(document)} {{ ?item a gkg:AgendaItem ; gkg:order ?order .
    OPTIONAL {{ ?item gkg:ref ?ref }} OPTIONAL {{ ?item dcterms:title ?title }}
    OPTIONAL {{ ?item dcterms:isPartOf ?parent }} }}
}} ORDER BY ?order
"""
    )


def paragraphs_query(document: str) -> str:
    """The paragraphs of a document in order: paragraph, order, text, start, end, page, part_of."""
    return _q(
        f"""SELECT ?paragraph ?order ?text ?start ?end ?page ?part_of WHERE {{
  GRAPH {iri(document)} {{ ?paragraph a gkg:Paragraph ; gkg:order ?order ; gkg:text ?text .
    OPTIONAL {{ ?paragraph gkg:spanStart ?start }} OPTIONAL {{ ?paragraph gkg:spanEnd ?end }}
    OPTIONAL {{ ?paragraph gkg:page ?page }}
    OPTIONAL {{ ?paragraph dcterms:isPartOf ?part_of }} }}
}} ORDER BY ?order
"""
    )


def statements_query(document: str) -> str:
    """The statements of a document: statement, start, end, mention, act, speaker, name."""
    return _q(
        f"""SELECT ?statement ?start ?end ?mention ?act ?speaker ?name WHERE {{
  GRAPH {iri(document)} {{ ?statement a gkg:Statement .
    OPTIONAL {{ ?statement gkg:spanStart ?start }} OPTIONAL {{ ?statement gkg:spanEnd ?end }}
    OPTIONAL {{ ?statement gkg:mention ?mention }}
    OPTIONAL {{ ?statement gkg:act ?act }}
    OPTIONAL {{ ?statement gkg:speaker ?speaker . OPTIONAL {{ ?speaker foaf:name ?name }} }} }}
}} ORDER BY ?start ?statement ?name
"""
    )


_ACTION_COLUMNS = """?action (SAMPLE(?t) AS ?text) (SAMPLE(?k) AS ?kind) (SAMPLE(?o) AS ?owner)
       (SAMPLE(?ol) AS ?owner_label) (SAMPLE(?ot) AS ?owner_text) (SAMPLE(?f) AS ?owed_to)
       (SAMPLE(?fl) AS ?owed_to_label) (SAMPLE(?ft) AS ?owed_to_text)
       (SAMPLE(?due_) AS ?due) (SAMPLE(?st) AS ?status) (SAMPLE(?r) AS ?ref)
       (SAMPLE(?s) AS ?start) (SAMPLE(?e) AS ?end)"""

_ACTION_PARTS = """?action gkg:text ?t .
    BIND(IF(EXISTS {{ ?action a gkg:Commitment }}, "commitment", "action") AS ?k)
    OPTIONAL {{ ?action gkg:owner ?o }}
    OPTIONAL {{ ?action gkg:owner/(foaf:name|skos:prefLabel) ?ol }}
    OPTIONAL {{ ?action gkg:owedTo ?f }}
    OPTIONAL {{ ?action gkg:owedTo/(foaf:name|skos:prefLabel) ?fl }}
    OPTIONAL {{ ?action gkg:ownerText ?ot }} OPTIONAL {{ ?action gkg:owedToText ?ft }}
    OPTIONAL {{ ?action gkg:due ?dd }} OPTIONAL {{ ?action gkg:dueText ?dt }}
    BIND(COALESCE(STR(?dd), ?dt) AS ?due_)
    OPTIONAL {{ ?action gkg:status ?st }} OPTIONAL {{ ?action gkg:ref ?r }}
    OPTIONAL {{ ?action gkg:spanStart ?s }} OPTIONAL {{ ?action gkg:spanEnd ?e }}"""


def doc_actions_query(document: str) -> str:
    """The actions (commitments too) of a document, in the order of the text."""
    return _q(
        f"""SELECT {_ACTION_COLUMNS} WHERE {{
  GRAPH {iri(document)} {{ ?action a gkg:Action . {_ACTION_PARTS.format()} }}
}} GROUP BY ?action ORDER BY ?start ?action
"""
    )


def locate_query(parts: Iterable[str]) -> str:
    """Where parts of the minutes are: part, document, meeting, start (of its span)."""
    return _q(
        f"""SELECT ?part ?document (SAMPLE(?m) AS ?meeting) (MIN(?s) AS ?start) WHERE {{
  {values("part", parts)}
  GRAPH ?document {{ ?part gkg:spanStart ?s }}
  OPTIONAL {{ ?m prov:wasDerivedFrom ?document }}
}} GROUP BY ?part ?document
"""
    )


def paragraph_starts_query(documents: str | Iterable[str]) -> str:
    """Where each paragraph of a document (or of each of several) starts: document,
    order, start (unordered: the caller sorts)."""
    docs = [documents] if isinstance(documents, str) else list(documents)
    return _q(
        f"""SELECT ?document ?order ?start WHERE {{
  {values("document", docs)}
  GRAPH ?document {{ ?p gkg:spanStart ?start ; gkg:order ?order ; a gkg:Paragraph }}
}}
"""
    )


def labels_query(nodes: Iterable[str]) -> str:
    """Per node: label (name or prefLabel) and every altLabel (as alt, one row each)."""
    return _q(
        f"""SELECT ?node (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?a; separator="\\u001f") AS ?alt)
WHERE {{
  {values("node", nodes)}
  OPTIONAL {{ ?node foaf:name|skos:prefLabel|dcterms:title ?l }}
  OPTIONAL {{ ?node skos:altLabel ?a }}
}} GROUP BY ?node
"""
    )


# -- people and organisations ----------------------------------------------------------
def person_roles_query(person: str | Iterable[str], limit: int = 50, offset: int = 0) -> str:
    """Roles recorded for a person (or any of several nodes: a person's name variants),
    one row per meeting: role, organisation, meeting, date (newest first; `limit` rows
    from `offset`)."""
    return _q(
        f"""SELECT ?role (SAMPLE(?rl) AS ?role_label) ?organisation (SAMPLE(?ol) AS ?organisation_label)
       ?meeting (SAMPLE(?d) AS ?date) (SAMPLE(?t) AS ?title)
WHERE {{
  {values("who", _nodes(person))}
  ?ms org:member ?who ; gkg:recordedAt ?meeting .
  OPTIONAL {{ ?ms org:role ?role . OPTIONAL {{ ?role skos:prefLabel ?rl }} }}
  OPTIONAL {{ ?ms org:organization ?organisation .
    OPTIONAL {{ ?organisation skos:prefLabel ?ol }} }}
  OPTIONAL {{ ?meeting dcterms:date ?d }} OPTIONAL {{ ?meeting dcterms:title ?t }}
}} GROUP BY ?role ?organisation ?meeting ORDER BY DESC(?date) ?role_label ?meeting
LIMIT {int(limit)} OFFSET {int(offset)}
"""
    )


def person_meetings_query(person: str | Iterable[str], limit: int = 50, offset: int = 0) -> str:
    """Meetings a person (any of its nodes) attended, chaired, minuted or sent apologies
    to, newest first (`limit` rows from `offset`).

    Each branch of the UNION binds its own nodes and checks its own meeting: a
    ``VALUES`` or ``?meeting a gkg:Meeting`` after the UNION would be joined with every
    meeting in the store."""
    who = values("who", _nodes(person))
    return _q(
        f"""SELECT ?meeting (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date)
       (GROUP_CONCAT(DISTINCT ?how; separator=" ") AS ?how) (SAMPLE(?bl) AS ?body_label)
WHERE {{
  {{ {who} ?meeting gkg:attendee ?who ; a gkg:Meeting BIND("present" AS ?how) }}
  UNION {{ {who} ?meeting gkg:sentApologies ?who ; a gkg:Meeting BIND("apologies" AS ?how) }}
  UNION {{ {who} ?meeting gkg:chair ?who ; a gkg:Meeting BIND("chair" AS ?how) }}
  UNION {{ {who} ?meeting gkg:minutedBy ?who ; a gkg:Meeting BIND("minutes" AS ?how) }}
  OPTIONAL {{ ?meeting dcterms:title ?t }} OPTIONAL {{ ?meeting dcterms:date ?d }}
  OPTIONAL {{ ?meeting schema:organizer/skos:prefLabel ?bl }}
}} GROUP BY ?meeting ORDER BY DESC(?date) ?meeting
LIMIT {int(limit)} OFFSET {int(offset)}
"""
    )


def person_statements_query(person: str | Iterable[str], limit: int = 50, offset: int = 0) -> str:
    """A person's statements (under any of its nodes), latest meeting first (`limit`
    rows from `offset`): statement, text, act, mention, meeting, date, document, start,
    end.

    The page's statements are picked first (statement, document, meeting, date, start:
    no text), then only those are looked up, in the union graph (a ``GRAPH ?document``
    after the subquery was evaluated for every statement of the store first): a person
    with thousands of statements costs little more than one with a few."""
    return _q(
        f"""SELECT ?statement ?text ?act ?mention ?meeting ?date ?title ?document ?start ?end WHERE {{
  {{ SELECT DISTINCT ?statement ?document ?meeting ?date ?start WHERE {{
    {values("who", _nodes(person))}
    GRAPH ?document {{ ?statement gkg:speaker ?who ; a gkg:Statement }}
    ?meeting prov:wasDerivedFrom ?document .
    OPTIONAL {{ ?meeting dcterms:date ?date }}
    OPTIONAL {{ ?statement gkg:spanStart ?start }}
  }} ORDER BY DESC(?date) ?start ?statement LIMIT {int(limit)} OFFSET {int(offset)} }}
  ?statement gkg:text ?text .
  OPTIONAL {{ ?statement gkg:act ?act }} OPTIONAL {{ ?statement gkg:mention ?mention }}
  OPTIONAL {{ ?statement gkg:spanEnd ?end }}
  OPTIONAL {{ ?meeting dcterms:title ?title }}
}} ORDER BY DESC(?date) ?start ?statement
"""
    )


def agent_actions_query(
    agent: str | Iterable[str], role: str, limit: int = 200, offset: int = 0
) -> str:
    """Actions a person or organisation (any of its nodes) owns (`role` "owner") or is
    owed ("owed_to"), newest meeting first, with the meeting (date, title) and document."""
    prop = {"owner": "gkg:owner", "owed_to": "gkg:owedTo"}[role]
    return _actions_with_meeting(
        f"{values('who', _nodes(agent))} ?action {prop} ?who .", limit, offset=offset
    )


def _actions_with_meeting(pattern: str, limit: int, extra: str = "", offset: int = 0) -> str:
    """The actions `pattern` finds in their document graphs (and `extra`, a pattern on
    ?action), newest meeting first: `limit` of them from `offset`, and only those looked
    up (text, owner, due, ...).

    The subquery has no aggregate and no OPTIONAL leaving ?action, ?g or ?m unbound,
    so the lookups after it start from its rows, not from the whole store."""
    return _q(
        f"""SELECT {_ACTION_COLUMNS} (SAMPLE(?m) AS ?meeting) (SAMPLE(?md) AS ?date)
       (SAMPLE(?mt) AS ?title) (SAMPLE(?g) AS ?document)
WHERE {{
  {{ SELECT DISTINCT ?action ?g ?m ?md ?s0 WHERE {{
    GRAPH ?g {{ {pattern} ?action a gkg:Action }}
    {extra}
    ?action gkg:raisedAt ?m .
    OPTIONAL {{ ?m dcterms:date ?md }}
    OPTIONAL {{ ?action gkg:spanStart ?s0 }}
  }} ORDER BY DESC(?md) ?s0 ?action LIMIT {int(limit)} OFFSET {int(offset)} }}
  {_ACTION_PARTS.format()}
  OPTIONAL {{ ?m dcterms:title ?mt }}
}} GROUP BY ?action ORDER BY DESC(?date) ?start ?action
"""
    )


def organisation_meetings_query(org: str | Iterable[str], limit: int = 200) -> str:
    """Meetings an organisation (any of its nodes) held (schema:organizer), newest first."""
    return _q(
        f"""SELECT ?meeting (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) WHERE {{
  {values("who", _nodes(org))}
  ?meeting schema:organizer ?who ; a gkg:Meeting .
  OPTIONAL {{ ?meeting dcterms:title ?t }} OPTIONAL {{ ?meeting dcterms:date ?d }}
}} GROUP BY ?meeting ORDER BY DESC(?date) LIMIT {int(limit)}
"""
    )


def organisation_members_query(org: str | Iterable[str]) -> str:
    """People recorded with a role in an organisation (any of its nodes): person, name,
    role, first, last."""
    return _q(
        f"""SELECT ?person (SAMPLE(?n) AS ?name) (SAMPLE(?rl) AS ?role)
       (MIN(?d) AS ?first) (MAX(?d) AS ?last)
WHERE {{
  {values("who", _nodes(org))}
  ?ms org:organization ?who ; org:member ?person .
  OPTIONAL {{ ?ms org:role/skos:prefLabel ?rl }}
  OPTIONAL {{ ?ms gkg:recordedAt/dcterms:date ?d }}
  OPTIONAL {{ ?person foaf:name ?n }}
}} GROUP BY ?person ORDER BY ?name
"""
    )


# -- places and topics -----------------------------------------------------------------
def mentions_timeline_query(node: str | Iterable[str]) -> str:
    """Paragraphs mentioning a node (any of several) per meeting date: date, n (oldest
    first)."""
    return _q(
        f"""SELECT ?date (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  {values("who", _nodes(node))}
  GRAPH ?g {{ ?p gkg:mentions ?who ; a gkg:Paragraph }}
  ?m prov:wasDerivedFrom ?g ; dcterms:date ?date .
}} GROUP BY ?date ORDER BY ?date
"""
    )


def mentioning_paragraphs_query(
    node: str | Iterable[str],
    limit: int = 50,
    offset: int = 0,
    meetings: Iterable[str] | None = None,
) -> str:
    """The latest paragraphs that mention a node (`limit` from `offset`): paragraph,
    text, order, meeting, date, title, document. With `meetings`, only in the minutes
    of those meetings (the newest of the store, say: far cheaper for a node mentioned
    thousands of times).

    The newest are picked first (paragraph, document, meeting, date: no OPTIONAL
    that could leave them unbound), then only those are looked up."""
    found = (
        f"{values('who', _nodes(node))}\n    "
        "GRAPH ?document { ?paragraph gkg:mentions ?who ; a gkg:Paragraph }"
    )
    if meetings is None:
        found += "\n    ?meeting prov:wasDerivedFrom ?document ."
    else:
        found = (
            f"{values('meeting', meetings)} ?meeting prov:wasDerivedFrom ?document .\n    {found}"
        )
    return _q(
        f"""SELECT ?paragraph (SAMPLE(?t) AS ?text) (SAMPLE(?o) AS ?order) ?meeting ?date
       (SAMPLE(?ti) AS ?title) ?document
WHERE {{
  {{ SELECT DISTINCT ?paragraph ?document ?meeting ?date WHERE {{
    {found}
    OPTIONAL {{ ?meeting dcterms:date ?date }}
  }} ORDER BY DESC(?date) ?meeting ?paragraph LIMIT {int(limit)} OFFSET {int(offset)} }}
  GRAPH ?document {{ ?paragraph gkg:text ?t ; gkg:order ?o }}
  OPTIONAL {{ ?meeting dcterms:title ?ti }}
}} GROUP BY ?paragraph ?meeting ?date ?document ORDER BY DESC(?date) ?meeting ?order
"""
    )


def mentioning_actions_query(
    node: str | Iterable[str], *, open_only: bool = True, limit: int = 100
) -> str:
    """Actions that mention a node (any of several; open ones only by default), newest
    meeting first."""
    extra = f"?action gkg:status <{STATUS_OPEN}> ." if open_only else ""
    return _actions_with_meeting(
        f"{values('who', _nodes(node))} ?action gkg:mentions ?who .", limit, extra
    )


def topic_meetings_query(topic: str, limit: int = 200, offset: int = 0) -> str:
    """Meetings and agenda items with the topic as subject: meeting, date, title, items
    (newest first, `limit` from `offset`)."""
    t = iri(topic)
    return _q(
        f"""SELECT ?meeting ?date (SAMPLE(?ti) AS ?title) ?items WHERE {{
  {{ SELECT ?meeting (SAMPLE(?d) AS ?date) (COUNT(DISTINCT ?item) AS ?items) WHERE {{
    {{ ?meeting dcterms:subject {t} ; a gkg:Meeting . OPTIONAL {{ ?meeting dcterms:date ?d }} }}
    UNION {{ ?item dcterms:subject {t} ; a gkg:AgendaItem . GRAPH ?g {{ ?item a gkg:AgendaItem }}
      ?meeting prov:wasDerivedFrom ?g . OPTIONAL {{ ?meeting dcterms:date ?d }} }}
  }} GROUP BY ?meeting ORDER BY DESC(?date) ?meeting LIMIT {int(limit)} OFFSET {int(offset)} }}
  OPTIONAL {{ ?meeting dcterms:title ?ti }}
}} GROUP BY ?meeting ?date ?items ORDER BY DESC(?date) ?meeting
"""
    )


def role_holders_query(role: str) -> str:
    """People recorded in a role: person, name, organisation label, first and last date."""
    return _q(
        f"""SELECT ?person (SAMPLE(?n) AS ?name) (SAMPLE(?ol) AS ?organisation)
       (MIN(?d) AS ?first) (MAX(?d) AS ?last)
WHERE {{
  ?ms org:role {iri(role)} ; org:member ?person .
  OPTIONAL {{ ?ms org:organization/skos:prefLabel ?ol }}
  OPTIONAL {{ ?ms gkg:recordedAt/dcterms:date ?d }}
  OPTIONAL {{ ?person foaf:name ?n }}
}} GROUP BY ?person ORDER BY DESC(?last) ?name
"""
    )


# -- identity (kg.identity's derived graph) ---------------------------------------------
def canonical_query(node: str) -> str:
    """The canonical node a node was merged into (kg.identity: ``variant owl:sameAs
    canonical`` in the identity graph): canonical (no row: the node is its own)."""
    return _q(
        f"""SELECT ?canonical WHERE {{
  {same_as(iri(node), "?canonical")}
  FILTER(?canonical != {iri(node)})
}} ORDER BY ?canonical LIMIT 1
"""
    )


def variants_query(canonical: str) -> str:
    """The nodes kg.identity merged into `canonical`, with the evidence the graph holds
    for each: variant, name (as the minutes wrote it), meetings (how many minutes name
    it), first and last (their dates). From the node's own document graphs only."""
    c = iri(canonical)
    return _q(
        f"""SELECT ?variant (SAMPLE(?n) AS ?name) (COUNT(DISTINCT ?m) AS ?meetings)
       (MIN(?d) AS ?first) (MAX(?d) AS ?last)
WHERE {{
  {{ SELECT DISTINCT ?variant WHERE {{ {same_as("?variant", c)} FILTER(?variant != {c}) }} }}
  OPTIONAL {{ GRAPH ?g {{ ?variant foaf:name|skos:prefLabel ?n }}
    OPTIONAL {{ ?m prov:wasDerivedFrom ?g . OPTIONAL {{ ?m dcterms:date ?d }} }} }}
}} GROUP BY ?variant ORDER BY ?name ?variant
"""
    )


# -- commitments timeline ---------------------------------------------------------------
COMMITMENT_KINDS = ("person", "organisation", "topic", "place")


def commitments_query(kind: str, nodes: str | Iterable[str], limit: int = 60) -> str:
    """The newest `limit` actions and commitments of an entity (any of its nodes), for
    its timeline: a person's or organisation's owned and owed ones (an organisation's
    also those raised at the meetings it held), those that mention a topic or place (a
    topic's also those under an agenda item about it).

    Columns: action, text, kind, ref, meeting, date (raised), title, due (gkg:due, or
    the next meeting's date for a due text naming it), due_text, raised_status
    (gkg:status), status (kg.ledger's gkg:currentStatus, else gkg:status), start, end,
    document. Newest raised first. The actions are found from the entity's nodes (each
    branch binds them itself), picked, then looked up: no scan of the store."""
    if kind not in COMMITMENT_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    who = values("who", _nodes(nodes))
    pick = "GRAPH ?g {{ {p} ?action a gkg:Action }} ?action gkg:raisedAt ?m ."
    if kind in ("person", "organisation"):
        patterns = [
            pick.format(p=f"{who} ?action gkg:owner ?who ."),
            pick.format(p=f"{who} ?action gkg:owedTo ?who ."),
        ]
        if kind == "organisation":
            patterns.append(
                f"{who} ?m schema:organizer ?who ; a gkg:Meeting ; prov:wasDerivedFrom ?g . "
                "GRAPH ?g { ?action gkg:raisedAt ?m ; a gkg:Action }"
            )
    else:
        patterns = [pick.format(p=f"{who} ?action gkg:mentions ?who .")]
        if kind == "topic":
            patterns.append(
                f"{who} ?item dcterms:subject ?who ; a gkg:AgendaItem . "
                "GRAPH ?g { ?action dcterms:isPartOf ?item ; a gkg:Action } "
                "?action gkg:raisedAt ?m ."
            )
    found = "\n    UNION ".join(f"{{ {p} OPTIONAL {{ ?m dcterms:date ?md }} }}" for p in patterns)
    return _q(
        f"""SELECT ?action (SAMPLE(?t) AS ?text) (SAMPLE(?k) AS ?kind) (SAMPLE(?r) AS ?ref)
       (SAMPLE(?m) AS ?meeting) (SAMPLE(?md) AS ?date) (SAMPLE(?mt) AS ?title)
       (SAMPLE(?due_) AS ?due) (SAMPLE(?dt) AS ?due_text)
       (SAMPLE(?raised_) AS ?raised_status) (SAMPLE(?status_) AS ?status)
       (SAMPLE(?s) AS ?start) (SAMPLE(?e) AS ?end) (SAMPLE(?g) AS ?document)
WHERE {{
  {{ SELECT DISTINCT ?action ?g ?m ?md WHERE {{
    {found}
  }} ORDER BY DESC(?md) ?action LIMIT {int(limit)} }}
  FILTER NOT EXISTS {{ ?action gkg:reviewStatus gkg:Rejected }}
  OPTIONAL {{ ?action gkg:text ?t }}
  BIND(IF(EXISTS {{ ?action a gkg:Commitment }}, "commitment", "action") AS ?k)
  OPTIONAL {{ ?action gkg:ref ?r }}
  OPTIONAL {{ ?m dcterms:title ?mt }}
  OPTIONAL {{ ?action gkg:due ?dd }} OPTIONAL {{ ?action gkg:dueText ?dt }}
  OPTIONAL {{ FILTER(!BOUND(?dd)) ?m gkg:nextMeetingDate ?nd
    FILTER(REGEX(STR(?dt), "^(?:by |at |to |before )?(?:the )?next meeting$", "i")) }}
  BIND(STR(COALESCE(?dd, ?nd)) AS ?due_)
  OPTIONAL {{ ?action gkg:status ?st_raised }}
  OPTIONAL {{ ?action gkg:currentStatus ?st_now }}
  BIND(LCASE(STRAFTER(STR(?st_raised), "#Status")) AS ?raised_)
  BIND(LCASE(STRAFTER(STR(COALESCE(?st_now, ?st_raised)), "#Status")) AS ?status_)
  OPTIONAL {{ ?action gkg:spanStart ?s }} OPTIONAL {{ ?action gkg:spanEnd ?e }}
}} GROUP BY ?action ORDER BY DESC(?date) ?action
"""
    )
