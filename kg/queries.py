"""Named SPARQL queries: builders that return query text and do no I/O.

`kg.store.Store.select()` runs them; `govkg ... --show-query` prints them. Values
from users are never pasted raw into a query: `literal()` writes them as escaped
SPARQL literals inside a VALUES block.
"""

from __future__ import annotations

from pyoxigraph import Literal

from kg.namespace import DCTERMS, FOAF, GKG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = [
    "PREFIXES",
    "prefix_block",
    "literal",
    "actions_query",
    "documents_query",
    "count_query",
    "COUNTED",
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


def actions_query(owner: str | None = None, owed_to: str | None = None) -> str:
    """Who committed to what: one row per action, ordered by meeting date, then due date.

    Args:
        owner: keep actions whose owner's name or label contains this (any case);
            None means any owner.
        owed_to: the same for the person or body the action is owed to.

    Columns: action, kind ("commitment" or "action"), text, owner and owed_to (as
    written, "T/CC (Ann Lee)"), owner_name and owed_to_name (the resolved node's name), due,
    status ("open", "done", ... from gkg:StatusOpen, ...), ref, meeting_date,
    meeting, meeting_title, document (the source path).
    """
    lines = [
        "?action a gkg:Action ; gkg:text ?text_ ; gkg:raisedAt ?meeting .",
        "OPTIONAL { ?action gkg:status ?st }",
        'BIND(LCASE(STRAFTER(STR(?st), "#Status")) AS ?status_)',
        "OPTIONAL { ?action gkg:ref ?ref_ }",
        "OPTIONAL { ?action gkg:due ?due_date }",
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
        "BIND(COALESCE(STR(?due_date), ?due_text) AS ?due_)",
    ]
    if owner is not None:
        lines.append(f"VALUES ?owner_q {{ {literal(owner)} }}")
        lines.append(
            "FILTER(CONTAINS(LCASE(STR(?owner_)), LCASE(?owner_q))"
            " || CONTAINS(LCASE(STR(?owner_name_)), LCASE(?owner_q)))"
        )
    if owed_to is not None:
        lines.append(f"VALUES ?owed_q {{ {literal(owed_to)} }}")
        lines.append(
            "FILTER(CONTAINS(LCASE(STR(?owed_to_)), LCASE(?owed_q))"
            " || CONTAINS(LCASE(STR(?owed_to_name_)), LCASE(?owed_q)))"
        )
    where = "\n".join("  " + line for line in lines)
    return f"""{prefix_block()}
SELECT ?action (SAMPLE(?kind_) AS ?kind) (SAMPLE(?text_) AS ?text) (SAMPLE(?owner_) AS ?owner)
       (SAMPLE(?owed_to_) AS ?owed_to) (SAMPLE(?owner_name_) AS ?owner_name)
       (SAMPLE(?owed_to_name_) AS ?owed_to_name) (SAMPLE(?due_) AS ?due) (SAMPLE(?status_) AS ?status)
       (SAMPLE(?ref_) AS ?ref) (SAMPLE(?meeting_date_) AS ?meeting_date) ?meeting
       (SAMPLE(?meeting_title_) AS ?meeting_title) (SAMPLE(?document_) AS ?document)
WHERE {{
{where}
}}
GROUP BY ?action ?meeting
ORDER BY ?meeting_date ?due ?action
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
    OPTIONAL {{ ?meeting prov:wasDerivedFrom ?document ; dcterms:date ?date }}
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
