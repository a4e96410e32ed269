"""Named SPARQL queries: builders that return query text and do no I/O.

`kg.store.Store.select()` runs them; `govkg ... --show-query` prints them. Values
from users are never pasted raw into a query: `literal()` writes them as escaped
SPARQL literals inside a VALUES block.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from kg.namespace import DCTERMS, FOAF, GKG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = [
    "PREFIXES",
    "prefix_block",
    "literal",
    "actions_query",
    "ACTION_SORTS",
    "ACTION_STATES",
    "paragraphs_query",
    "entity_feed_query",
    "ENTITY_FEED_KINDS",
    "documents_query",
    "count_query",
    "COUNTED",
    "role_holder_query",
]

PREFIXES: dict[str, str] = {
    "gkg": str(GKG._NS),
    "dcterms": str(DCTERMS._NS),
    "foaf": str(FOAF._NS),
    "org": str(ORG._NS),
    "prov": str(PROV._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "schema": str(SCHEMA._NS),
    "skos": str(SKOS._NS),
    "xsd": str(XSD._NS),
}
"""The prefixes every govkg query may use without declaring them."""


def prefix_block() -> str:
    """PREFIX lines for PREFIXES, so a printed query runs anywhere as it is."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def literal(value: str) -> str:
    """`value` as a SPARQL string literal, quotes, backslashes and newlines escaped."""
    return str(Literal(value))


_LABEL = """
  OPTIONAL {{ {var} foaf:name ?{out}_name }}
  OPTIONAL {{ {var} skos:prefLabel ?{out}_label }}"""


ACTION_SORTS = ("raised", "due", "owner")
"""Orders `actions_query` offers besides its default: newest meeting first, soonest due
first (undated last), owner A-Z (no owner last)."""

ACTION_STATES = ("open", "overdue", "updated", "done", "dropped", "superseded")
"""What `status=` filters on: the ledger's current status (kg.ledger; else gkg:status),
with an open or updated action past its due date (`today` given) shown as "overdue"."""


def _iso(name: str, value: str | None) -> str | None:
    """`value` as an xsd:date literal after checking it is a real YYYY-MM-DD date."""
    if value is None:
        return None
    import datetime as dt

    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        day = None
    if day is None or len(value) != 10:
        raise ValueError(f"{name}: not a date (use YYYY-MM-DD): {value!r}")
    return f'"{day.isoformat()}"^^xsd:date'


def _label_join(var: str, q: str, value: str, cls: str, out: str, path: str) -> str:
    """A subquery giving the `out` nodes reached by `path` from the nodes `var` of class
    `cls` whose label contains `value` (any case) or whose IRI ends in "/<value>" (an
    entity page's slug).

    A join, not FILTER EXISTS, and nested so that the few matching nodes are found
    first, then their actions, instead of testing every action."""
    return (
        f"{{ SELECT DISTINCT ?{out} WHERE {{ {{ SELECT DISTINCT {var} WHERE {{ "
        f"VALUES ?{q} {{ {literal(value)} }} {var} a {cls} ; "
        f"skos:prefLabel|skos:altLabel|foaf:name ?{q}_l . "
        f"FILTER(CONTAINS(LCASE(STR(?{q}_l)), LCASE(?{q}))"
        f' || STRENDS(STR({var}), CONCAT("/", LCASE(?{q})))) }} }} {path} }} }}'
    )


def _same_as_named(var: str, value: str) -> str:
    """For the owner (`var` "o") or owed-to ("f") filter: a one-row subquery binding
    ?{var}_same to the nodes kg.identity merged into a person or organisation whose name
    contains `value` (any case), as one string (" iri iri "), so that "Jane Doe" finds
    the actions of "Cllr Doe" when that node is hers.

    One string from one subquery with no variable in common: found once, not once per
    action (a join or EXISTS on ?{var} was ten times slower on oxigraph)."""
    return (
        f'{{ SELECT (CONCAT(" ", GROUP_CONCAT(STR(?{var}_v); separator=" "), " ") AS ?{var}_same)'
        f" WHERE {{ ?{var}_c foaf:name|skos:prefLabel ?{var}_cn"
        f" FILTER(CONTAINS(LCASE(STR(?{var}_cn)), LCASE({literal(value)})))"
        f" GRAPH ?{var}_g {{ ?{var}_v <{_OWL_SAME_AS}> ?{var}_c }}"
        f' FILTER(STRSTARTS(STR(?{var}_g), "{_identity_graph()}")) }} }}'
    )


def actions_query(
    owner: str | None = None,
    owed_to: str | None = None,
    *,
    body: str | None = None,
    topic: str | None = None,
    place: str | None = None,
    status: str | None = None,
    due_before: str | None = None,
    due_after: str | None = None,
    today: str | None = None,
    sort: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    detail: bool = False,
    review: bool = False,
    ledger: bool = False,
) -> str:
    """Who committed to what: one row per action, ordered by meeting date, then due date.

    Args:
        owner: keep actions whose owner's name or label contains this (any case), or
            whose owner kg.identity merged into a person or organisation whose name
            does ("Jane Doe" finds the actions of "Cllr Doe" when that node is hers);
            None means any owner.
        owed_to: the same for the person or body the action is owed to.
        body: keep actions raised at meetings of a body whose name contains this.
        topic: keep actions that mention a topic, or sit under an agenda item about
            one, whose label contains this (or whose IRI ends in "/<topic>").
        place: the same for the places an action mentions.
        status: one of ACTION_STATES ("overdue" needs `today`).
        due_before, due_after: YYYY-MM-DD; keep actions due on or before / on or after
            that day (actions with no date are left out).
        today: YYYY-MM-DD; an open or updated (reported on, not done) action due before
            it is "overdue" in `state` (a column given with `today`, with due_date).
        sort: None (meeting date, then due date) or one of ACTION_SORTS.
        limit, offset: one page of the rows; every row then also carries `total`, the
            number of rows of all pages (one row with only `total` when the page is
            empty).
        detail: also give owner_id and owed_to_id (the resolved nodes), body,
            due_date, state, and the action's span (start, end) and page
            (`paragraphs_query` finds the paragraphs that hold the spans).
        ledger: also give follow_ups (how many later meetings followed the action up,
            kg.ledger), last_follow_up (the date of the latest), last_follow_up_meeting,
            confidence (of the follow-up its status comes from) and raised_status (the
            status the raising minutes recorded, gkg:status).

    Columns: action, kind ("commitment" or "action"), text, owner and owed_to (as
    written, "T/CC (Ann Lee)"), owner_name and owed_to_name (the resolved node's name), due,
    status (the ledger's gkg:currentStatus when linked, else gkg:status: "open", "done",
    ...), ref, meeting_date,
    meeting, meeting_title, document (the source path); with `review` or `detail`, also
    review ("confirmed" when a maintainer confirmed the action). Actions a maintainer
    rejected are always left out (kg.review).

    `due_date` is gkg:due, or for a due text naming the next meeting ("next meeting")
    the next meeting's date when the minutes give it.

    Raises:
        ValueError: a date that is not YYYY-MM-DD, an unknown sort or status.
    """
    before, after, today_lit = (
        _iso("due_before", due_before),
        _iso("due_after", due_after),
        _iso("today", today),
    )
    if sort is not None and sort not in ACTION_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(ACTION_SORTS)}")
    if status is not None and status not in ACTION_STATES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(ACTION_STATES)}")
    lines = [
        "?action a gkg:Action ; gkg:text ?text_ ; gkg:raisedAt ?meeting .",
        # the ledger's gkg:currentStatus (kg.ledger) when linked, else the raising status
        "OPTIONAL { ?action gkg:status ?st_raised }",
        "OPTIONAL { ?action gkg:currentStatus ?st_now }",
        "BIND(COALESCE(?st_now, ?st_raised) AS ?st)",
        # a maintainer's review wins over extraction (kg.review): rejected actions go
        "FILTER NOT EXISTS { ?action gkg:reviewStatus gkg:Rejected }",
        'OPTIONAL { ?action gkg:reviewStatus gkg:Confirmed . BIND("confirmed" AS ?review_) }',
        'BIND(LCASE(STRAFTER(STR(?st), "#Status")) AS ?status_)',
        "OPTIONAL { ?action gkg:ref ?ref_ }",
        "OPTIONAL { ?action gkg:due ?due_iso }",
        "OPTIONAL { ?action gkg:dueText ?due_text }",
        "OPTIONAL { ?action gkg:owner ?o ." + _LABEL.format(var="?o", out="o") + " }",
        "OPTIONAL { ?action gkg:owedTo ?f ." + _LABEL.format(var="?f", out="f") + " }",
        "OPTIONAL { ?meeting dcterms:date ?meeting_date_ }",
        "OPTIONAL { ?meeting dcterms:title ?meeting_title_ }",
        "OPTIONAL { ?meeting prov:wasDerivedFrom/gkg:sourcePath ?document_ }",
        'BIND(IF(EXISTS { ?action a gkg:Commitment }, "commitment", "action") AS ?kind_)',
        "OPTIONAL { ?action gkg:ownerText ?o_text }",
        "OPTIONAL { ?action gkg:owedToText ?f_text }",
        "BIND(COALESCE(?o_text, ?o_name, ?o_label) AS ?owner_)",
        "BIND(COALESCE(?f_text, ?f_name, ?f_label) AS ?owed_to_)",
        "BIND(COALESCE(?o_name, ?o_label) AS ?owner_name_)",
        "BIND(COALESCE(?f_name, ?f_label) AS ?owed_to_name_)",
        "BIND(COALESCE(STR(?due_iso), ?due_text) AS ?due_)",
    ]
    dated = bool(detail or before or after or status or sort == "due" or today_lit)
    if dated:
        lines += [
            "OPTIONAL { FILTER(!BOUND(?due_iso)) ?meeting gkg:nextMeetingDate ?next_date"
            ' FILTER(REGEX(STR(?due_text), "^(?:by |at |to |before )?(?:the )?next meeting$", "i")) }',
            "BIND(COALESCE(?due_iso, ?next_date) AS ?due_on_)",
        ]
        if today_lit:
            lines.append(
                f'BIND(IF(?status_ IN ("open", "updated") && BOUND(?due_on_)'
                f' && ?due_on_ < {today_lit}, "overdue", ?status_) AS ?state_)'
            )
        else:
            lines.append("BIND(?status_ AS ?state_)")
    for value, var, q in ((owner, "o", "owner_q"), (owed_to, "f", "owed_q")):
        if value is None:
            continue
        out = "owner" if var == "o" else "owed_to"
        lines.append(f"VALUES ?{q} {{ {literal(value)} }}")
        lines.append(_same_as_named(var, value))
        lines.append(
            f"FILTER(CONTAINS(LCASE(STR(?{out}_)), LCASE(?{q}))"
            f" || CONTAINS(LCASE(STR(?{out}_name_)), LCASE(?{q}))"
            f' || BOUND(?{var}) && CONTAINS(?{var}_same, CONCAT(" ", STR(?{var}), " ")))'
        )
    if body is not None:
        lines.insert(
            0,
            _label_join(
                "?b_",
                "body_q",
                body,
                "org:Organization",
                "meeting",
                "?meeting schema:organizer ?b_ .",
            ),
        )
    if topic is not None:
        lines.insert(
            0,
            _label_join(
                "?t_",
                "topic_q",
                topic,
                "skos:Concept",
                "action",
                "?action gkg:mentions|(dcterms:isPartOf/dcterms:subject) ?t_ ; a gkg:Action .",
            ),
        )
    if place is not None:
        lines.insert(
            0,
            _label_join(
                "?p_",
                "place_q",
                place,
                "gkg:Place",
                "action",
                "?action gkg:mentions ?p_ ; a gkg:Action .",
            ),
        )
    if status is not None:
        lines.append(f"FILTER(?state_ = {literal(status)})")
    if before:
        lines.append(f"FILTER(BOUND(?due_on_) && ?due_on_ <= {before})")
    if after:
        lines.append(f"FILTER(BOUND(?due_on_) && ?due_on_ >= {after})")
    counted = "\n".join("  " + line for line in lines)
    if detail:
        lines += [
            "OPTIONAL { ?meeting schema:organizer/skos:prefLabel ?body_ }",
            "OPTIONAL { ?action gkg:spanStart ?start_ } OPTIONAL { ?action gkg:spanEnd ?end_ }",
            "OPTIONAL { ?action gkg:page ?page_ }",
        ]
    if ledger:
        lines += [
            # the latest confident follow-up is the one the current status comes from
            "OPTIONAL { ?action gkg:statusFrom ?from_ . ?from_ gkg:confidence ?confidence_ ;"
            " gkg:atMeeting ?last_m . OPTIONAL { ?last_m dcterms:date ?last_d } }",
            "OPTIONAL { ?action gkg:followedUpAt ?fu_m }",
        ]
    where = "\n".join("  " + line for line in lines)
    columns = [
        "?action",
        "(SAMPLE(?kind_) AS ?kind)",
        "(SAMPLE(?text_) AS ?text)",
        "(SAMPLE(?owner_) AS ?owner)",
        "(SAMPLE(?owed_to_) AS ?owed_to)",
        "(SAMPLE(?owner_name_) AS ?owner_name)",
        "(SAMPLE(?owed_to_name_) AS ?owed_to_name)",
        "(SAMPLE(?due_) AS ?due)",
        "(SAMPLE(?status_) AS ?status)",
        "(SAMPLE(?ref_) AS ?ref)",
        "(SAMPLE(?meeting_date_) AS ?meeting_date)",
        "?meeting",
        "(SAMPLE(?meeting_title_) AS ?meeting_title)",
        "(SAMPLE(?document_) AS ?document)",
    ]
    if review or detail:
        columns.append("(SAMPLE(?review_) AS ?review)")
    if detail:
        columns += [
            "(SAMPLE(?o) AS ?owner_id)",
            "(SAMPLE(?f) AS ?owed_to_id)",
            "(SAMPLE(?body_) AS ?body)",
            "(MIN(?due_on_) AS ?due_date)",
            "(SAMPLE(?state_) AS ?state)",
            "(MIN(?start_) AS ?start)",
            "(MIN(?end_) AS ?end)",
            "(MIN(?page_) AS ?page)",
        ]
    elif dated:
        columns.append("(MIN(?due_on_) AS ?due_date)")
        if today_lit:
            columns.append("(SAMPLE(?state_) AS ?state)")
    if ledger:
        columns += [
            "(COUNT(DISTINCT ?fu_m) AS ?follow_ups)",
            "(SAMPLE(?last_d) AS ?last_follow_up)",
            "(SAMPLE(?last_m) AS ?last_follow_up_meeting)",
            "(SAMPLE(?confidence_) AS ?confidence)",
            '(SAMPLE(LCASE(STRAFTER(STR(?st_raised), "#Status"))) AS ?raised_status)',
        ]
    order = {
        None: "?meeting_date ?due ?action",
        "raised": "DESC(?meeting_date) ?meeting ?action",
        "due": "(!BOUND(?due_date)) ?due_date DESC(?meeting_date) ?action",
        "owner": "(!BOUND(?owner)) LCASE(STR(?owner)) DESC(?meeting_date) ?action",
    }[sort]
    grouped = (
        f"SELECT {' '.join(columns)}\nWHERE {{\n{where}\n}}\nGROUP BY ?action ?meeting\n"
        f"ORDER BY {order}\n"
    )
    if limit is None:
        return f"{prefix_block()}\n{grouped}"
    # one page, and the number of rows of all pages beside it (OPTIONAL: the total
    # still comes back for a page past the end)
    names = [c.rsplit("?", 1)[-1].rstrip(")") for c in columns] + ["total"]
    page = f"LIMIT {max(0, int(limit))} OFFSET {max(0, int(offset))}"
    count = (
        "{ SELECT (COUNT(*) AS ?total) WHERE { { SELECT ?action WHERE {\n"
        f"{counted}\n  }} GROUP BY ?action ?meeting }} }} }}"
    )
    return (
        f"{prefix_block()}\nSELECT {' '.join('?' + n for n in names)}\nWHERE {{\n  {count}\n"
        f"  OPTIONAL {{ {{\n{grouped}{page}\n  }} }}\n}}\nORDER BY {order}\n"
    )


def paragraphs_query(parts: list[tuple[str, int]]) -> str:
    """The paragraph holding each part's first character: columns part, paragraph (its
    gkg:order, the page's ``#p-N`` anchor) and node.

    Args:
        parts: (IRI of a statement, action or other part with gkg:spanStart, its start).
            Look up a page's rows at a time: each is a range test over the paragraphs
            of its own document.
    """
    values = " ".join(f"({NamedNode(iri)} {int(start)})" for iri, start in parts)
    return f"""{prefix_block()}
SELECT ?part (MIN(?order) AS ?paragraph) (SAMPLE(?para) AS ?node)
WHERE {{
  VALUES (?part ?start) {{ {values} }}
  GRAPH ?g {{
    ?part gkg:spanStart ?start .
    ?para a gkg:Paragraph ; gkg:spanStart ?ps ; gkg:spanEnd ?pe ; gkg:order ?order .
  }}
  FILTER(?ps <= ?start && ?start < ?pe)
}}
GROUP BY ?part
"""


ENTITY_FEED_KINDS = ("person", "org", "place", "topic")
"""Entity types (the IRI path segment) `entity_feed_query` answers for."""


def _same_person(e: str) -> list[str]:
    """Patterns binding ?who to each node of the person `e` (kg.identity: alias
    owl:sameAs canonical): itself, its aliases, its canonical node, and the canonical
    node's other aliases, one pattern per case, each starting from `e`.

    One UNION branch per case: a property path (sameAs|^sameAs)* or a subquery for
    ?who is joined after the statements of every speaker on oxigraph, hundreds of
    times slower."""
    same = f"<{_OWL_SAME_AS}>"
    return [
        f"VALUES ?who {{ {e} }}",
        f"?who {same} {e} .",
        f"{e} {same} ?who .",
        f"{e} {same} ?canon_ . ?who {same} ?canon_ . FILTER(?who != {e})",
    ]


def entity_feed_query(iri: str, kind: str, limit: int = 50) -> str:
    """The newest parts about an entity, for its feed: a first row (part unbound)
    carrying the entity's `label` (unbound: nothing has that IRI as a name), then one
    row per part, newest meeting first, at most `limit` of them.

    A person: the statements they made and the actions they own or are owed, under any
    of their nodes (kg.identity: alias owl:sameAs canonical). A place, topic or
    organisation: the paragraphs that mention it; a topic also the meetings that had it
    as a subject (kind and part "meeting", role "discussed").

    Fast on a large store: the parts are found from the entity's IRI (each in its own
    document graph, whose meeting is one prov:wasDerivedFrom away), only the newest
    `limit` are kept, and only those are then looked up (text, spans, meeting title).
    A part reached two ways (an action the person owns and is owed) comes once per
    way; the caller keeps the first.

    Columns: label, part, kind ("statement", "action", "commitment", "paragraph",
    "meeting"), role ("spoke", "owner", "owed", "mentioned", "discussed"), text,
    meeting, meeting_date, meeting_title, body, start, end, order (a paragraph's
    gkg:order).

    Raises:
        ValueError: a kind not in ENTITY_FEED_KINDS, or an IRI that is not one.
    """
    if kind not in ENTITY_FEED_KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(ENTITY_FEED_KINDS)}")
    e = str(NamedNode(iri))
    # in each branch: a join after the UNION is done once per meeting of the store
    meeting = "?meeting prov:wasDerivedFrom ?g . OPTIONAL { ?meeting dcterms:date ?meeting_date }"
    if kind == "person":
        branches = [
            f'{{ {who} GRAPH ?g {{ ?part {prop} ?who ; a {cls} }} {meeting} BIND("{role}" AS ?role) }}'
            for prop, cls, role in (
                ("gkg:speaker", "gkg:Statement", "spoke"),
                ("gkg:owner", "gkg:Action", "owner"),
                ("gkg:owedTo", "gkg:Action", "owed"),
            )
            for who in _same_person(e)
        ]
    else:
        branches = [
            f"{{ GRAPH ?g {{ ?part gkg:mentions {e} ; a gkg:Paragraph }} {meeting}"
            ' BIND("mentioned" AS ?role) }'
        ]
        if kind == "topic":
            branches.append(
                f"{{ ?part dcterms:subject {e} ; a gkg:Meeting . BIND(?part AS ?meeting)"
                ' OPTIONAL { ?meeting dcterms:date ?meeting_date } BIND("discussed" AS ?role) }'
            )
    found = "\n      UNION ".join(branches)
    # no aggregate in the subquery: its ?part and ?meeting are then known to be
    # bound, and the lookups after it start from them (not from every title in the store)
    return f"""{prefix_block()}
SELECT ?label ?part ?kind ?role ?text ?meeting ?meeting_date ?meeting_title ?body
       ?start ?end ?order
WHERE {{
  {{ SELECT (SAMPLE(?l) AS ?label) WHERE {{ {e} foaf:name|skos:prefLabel ?l }} }}
  UNION
  {{
    {{ SELECT DISTINCT ?part ?role ?meeting ?meeting_date WHERE {{
      {found}
    }} ORDER BY DESC(?meeting_date) ?part ?role LIMIT {max(0, int(limit))} }}
    OPTIONAL {{ ?part gkg:text ?text }}
    BIND(IF(?role = "mentioned", "paragraph", IF(?role = "spoke", "statement",
         IF(?role = "discussed", "meeting",
         IF(EXISTS {{ ?part a gkg:Commitment }}, "commitment", "action")))) AS ?kind)
    OPTIONAL {{ ?meeting dcterms:title ?meeting_title }}
    OPTIONAL {{ ?meeting schema:organizer/skos:prefLabel ?body }}
    OPTIONAL {{ ?part gkg:spanStart ?start }}
    OPTIONAL {{ ?part gkg:spanEnd ?end }}
    OPTIONAL {{ ?part gkg:order ?order }}
  }}
}}
ORDER BY BOUND(?part) DESC(?meeting_date) ?part ?role
"""


def documents_query() -> str:
    """Every source document: sha256, path, format, title, meeting date, triples."""
    return f"""{prefix_block()}
SELECT ?document ?sha256 ?path ?format ?title ?date (COUNT(*) AS ?triples)
WHERE {{
  GRAPH ?document {{
    ?document a gkg:SourceDocument ; gkg:sha256 ?sha256 .
    OPTIONAL {{ ?document gkg:sourcePath ?path }}
    OPTIONAL {{ ?document gkg:format ?format }}
    OPTIONAL {{ ?document dcterms:title ?title }}
    OPTIONAL {{ ?meeting prov:wasDerivedFrom ?document . OPTIONAL {{ ?meeting dcterms:date ?date }} }}
    ?s ?p ?o .
  }}
}}
GROUP BY ?document ?sha256 ?path ?format ?title ?date
ORDER BY ?date ?path
"""


COUNTED: dict[str, str] = {
    "documents": "gkg:SourceDocument",
    "meetings": "gkg:Meeting",
    "people": "foaf:Person",
    "roles": "org:Role",
    "agenda_items": "gkg:AgendaItem",
    "statements": "gkg:Statement",
    "actions": "gkg:Action",
    "commitments": "gkg:Commitment",
    "places": "gkg:Place",
    "organisations": "org:Organization",
    "topics": "skos:Concept",
}
"""What `govkg stats` counts: name -> class (distinct nodes in the union graph)."""


def count_query() -> str:
    """One row: the number of distinct nodes of each class in COUNTED."""
    parts = [
        f"  {{ SELECT (COUNT(DISTINCT ?{name}_n) AS ?{name}) WHERE {{ ?{name}_n a {cls} }} }}"
        for name, cls in COUNTED.items()
    ]
    return f"{prefix_block()}\nSELECT {' '.join('?' + n for n in COUNTED)}\nWHERE {{\n" + (
        "\n".join(parts) + "\n}\n"
    )


_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def _identity_graph() -> str:
    """The start of the IRIs of kg.identity's derived graphs (one, or one per body),
    where ``variant owl:sameAs canonical`` is written."""
    from kg import iris

    return f"{iris.base()}graph/identity"


def role_holder_query(role: str | None = None, date: str | None = None) -> str:
    """Who held a role on a date: one row per person and role whose recorded period
    covers the date.

    A period runs from the first to the last meeting whose minutes record the person
    in the role (org:Membership, gkg:recordedAt; the chair of a meeting, gkg:chair, holds
    the role "Chair"); a person's nodes count as one
    (kg.identity's owl:sameAs), as in the gkg:Tenure nodes of the identity graph.

    Args:
        role: a role's label or abbreviation, any case ("chair", "T/CC"), or the end
            of its IRI ("chief-constable"); None means every role.
        date: YYYY-MM-DD; None means the date of the latest meeting in the store.

    Columns: person, name, role, organisation, first_seen, last_seen, meetings.

    Raises:
        ValueError: a date that is not YYYY-MM-DD.
    """
    day = _iso("date", date) if date is not None else None
    when = (
        f"VALUES ?day {{ {day} }}"
        if day
        else "{ SELECT (MAX(?md) AS ?day) WHERE { ?mm a gkg:Meeting ; dcterms:date ?md } }"
    )
    which = ""
    if role is not None:
        which = (
            f"VALUES ?role_q {{ {literal(role)} }} "
            "FILTER(LCASE(STR(?role)) = LCASE(?role_q) || BOUND(?r) && ("
            "EXISTS { ?r skos:altLabel ?rl FILTER(LCASE(STR(?rl)) = LCASE(?role_q)) }"
            ' || STRENDS(STR(?r), CONCAT("/", LCASE(?role_q)))))'
        )
    return f"""{prefix_block()}
SELECT ?person (SAMPLE(?n) AS ?name) ?role (SAMPLE(?org_l) AS ?organisation)
       (MIN(?d) AS ?first_seen) (MAX(?d) AS ?last_seen) (COUNT(DISTINCT ?m) AS ?meetings)
WHERE {{
  {when}
  {{ ?ms a org:Membership ; org:member ?member ; org:role ?r ; gkg:recordedAt ?m .
    ?r skos:prefLabel ?role .
    OPTIONAL {{ ?ms org:organization/skos:prefLabel ?org_l }} }}
  UNION
  {{ ?m gkg:chair ?member . BIND("Chair" AS ?role)
    OPTIONAL {{ ?m schema:organizer/skos:prefLabel ?org_l }} }}
  {which}
  ?m dcterms:date ?d .
  OPTIONAL {{ ?member <{_OWL_SAME_AS}> ?canon }}
  BIND(COALESCE(?canon, ?member) AS ?person)
  OPTIONAL {{ ?person foaf:name ?n }}
}}
GROUP BY ?person ?role ?day
HAVING (MIN(?d) <= ?day && ?day <= MAX(?d))
ORDER BY ?role ?name
"""
