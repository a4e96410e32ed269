"""What the search index holds, built FROM THE STORE (so ingest and reindex agree).

`document_units(store, sha)` reads one document's named graph (SPARQL over
``GRAPH <document> {...}``, labels from the union) and gives one `Unit` per
paragraph, statement, action (commitments too) and agenda item. `entity_units(store,
iris)` gives the units shared across documents: meetings, persons, organisations,
places and topics, with every label (the store's and the gazetteers' altLabels).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from kg import iris
from kg.index import Unit
from kg.store import Store

__all__ = [
    "all_entities",
    "document_entities",
    "document_units",
    "entity_units",
    "store_unit_count",
]

_SHA = re.compile(r"^[0-9a-f]{64}$")

_PART_CLASSES = {
    "https://w3id.org/govkg/ns#Paragraph": "paragraph",
    "https://w3id.org/govkg/ns#Statement": "statement",
    "https://w3id.org/govkg/ns#Action": "action",
    "https://w3id.org/govkg/ns#Commitment": "commitment",
    "https://w3id.org/govkg/ns#AgendaItem": "item",
}
_ENTITY_CLASSES = {
    "https://w3id.org/govkg/ns#Meeting": "meeting",
    "http://xmlns.com/foaf/0.1/Person": "person",
    "https://w3id.org/govkg/ns#Place": "place",
    "http://www.w3.org/2004/02/skos/core#Concept": "topic",
    "http://www.w3.org/ns/org#Organization": "organisation",
}
"""In priority order: a node with two of these classes is the first one's kind."""

_ENTITY_VALUES = " ".join(f"<{c}>" for c in _ENTITY_CLASSES)
_CHUNK = 400
"""IRIs per VALUES block when reading entities."""


def _graph(sha: str) -> str:
    if not _SHA.match(sha):
        raise ValueError(f"not a sha256: {sha!r}")
    return str(iris.document_iri(sha))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _meeting(store: Store, g: str) -> dict[str, str]:
    _, rows = store.select(
        f"""SELECT ?m (MIN(?t) AS ?title) (MIN(?d) AS ?date) (MIN(?b) AS ?body) WHERE {{
          GRAPH {g} {{ ?m a gkg:Meeting ; prov:wasDerivedFrom {g} .
            OPTIONAL {{ ?m dcterms:title ?t }} OPTIONAL {{ ?m dcterms:date ?d }}
            OPTIONAL {{ ?m schema:organizer/skos:prefLabel ?b }} }}
        }} GROUP BY ?m ORDER BY ?m LIMIT 1"""
    )
    if not rows:
        return {}
    return {k: v or "" for k, v in rows[0].items()}


def document_units(store: Store, sha: str) -> list[Unit]:
    """The part units of one stored document (empty if it is not stored).

    Args:
        store: an open store.
        sha: the document's sha256.
    """
    g = _graph(sha)
    meeting = _meeting(store, g)
    _, rows = store.select(
        f"""SELECT ?u ?cls ?text ?title ?order ?start ?end ?page ?parent WHERE {{
          GRAPH {g} {{
            VALUES ?cls {{ {" ".join(f"<{c}>" for c in _PART_CLASSES)} }}
            ?u a ?cls .
            OPTIONAL {{ ?u gkg:text ?text }} OPTIONAL {{ ?u dcterms:title ?title }}
            OPTIONAL {{ ?u gkg:order ?order }} OPTIONAL {{ ?u gkg:page ?page }}
            OPTIONAL {{ ?u gkg:spanStart ?start }} OPTIONAL {{ ?u gkg:spanEnd ?end }}
            OPTIONAL {{ ?u dcterms:isPartOf ?parent }}
          }} }}"""
    )
    parts: dict[str, dict[str, str | None]] = {}
    for row in rows:
        u = str(row["u"])
        kind = _PART_CLASSES[str(row["cls"])]
        # a commitment is also an action: keep the finer kind
        if u not in parts or kind == "commitment":
            parts[u] = {**row, "kind": kind}
    links = _links(store, g)
    roles = _roles(store, g)
    titles = {u: p["title"] or "" for u, p in parts.items() if p["kind"] == "item"}
    speakers_at = [
        (s, e, links[u]["speaker"], links[u]["speaker_ids"])
        for u, p in parts.items()
        if p["kind"] == "statement"
        and (s := _int(p["start"])) is not None
        and (e := _int(p["end"])) is not None
    ]
    out = []
    for u, p in sorted(parts.items(), key=lambda kv: (kv[1]["kind"] or "", kv[0])):
        kind = str(p["kind"])
        start, end = _int(p["start"]), _int(p["end"])
        link = links[u]
        speakers = link["speaker"]
        if kind == "paragraph" and start is not None and end is not None:
            # the speakers of the statements this paragraph holds
            found: dict[str, None] = {}
            found_ids: dict[str, None] = {}
            for s, e, names, ids in speakers_at:
                if start <= s and e <= end:
                    found.update(dict.fromkeys(names))
                    found_ids.update(dict.fromkeys(ids))
            speakers = list(found)
            role_people = list(found_ids)
        elif kind in ("action", "commitment"):
            role_people = link["owner"]
        else:
            role_people = link["speaker_ids"]
        parent = p["parent"] or ""
        title = (p["title"] or "") if kind == "item" else titles.get(parent, "")
        out.append(
            Unit(
                id=u,
                kind=kind,
                text=(p["text"] or p["title"] or "") if kind != "item" else (p["title"] or ""),
                title=title or meeting.get("title", ""),
                docs=(sha,),
                meeting=meeting.get("m", ""),
                meeting_title=meeting.get("title", ""),
                date=meeting.get("date", ""),
                body=meeting.get("body", ""),
                speakers=tuple(sorted(set(speakers))),
                roles=tuple(sorted({r for pid in role_people for r in roles.get(pid, ())})),
                people=tuple(sorted(set(link["people"]) | set(speakers))),
                person_ids=tuple(sorted(set(link["person_ids"]))),
                topics=tuple(sorted(set(link["topics"]))),
                places=tuple(sorted(set(link["places"]))),
                span=(start, end) if start is not None and end is not None else None,
                page=_int(p["page"]),
                anchor=_int(p["order"]) if kind in ("paragraph", "item") else _order(u),
                parent=parent,
            )
        )
    return out


def _order(iri: str) -> int | None:
    """The 1-based position a part IRI ends in ("statement/...-3")."""
    m = re.search(r"-(\d+)$", iri)
    return int(m.group(1)) if m else None


def _links(store: Store, g: str) -> defaultdict[str, dict[str, list[str]]]:
    """Per part: speaker names/ids, owner ids, people, topics and places it names."""
    # the links of the graph, then the type and label of each entity once (one entity
    # is named by many parts: looking its label up per link cost 3x more)
    _, links = store.select(
        f"""SELECT ?u ?p ?e WHERE {{
          GRAPH {g} {{
            VALUES ?p {{ gkg:speaker gkg:owner gkg:owedTo gkg:mentions dcterms:subject }}
            ?u ?p ?e . FILTER(isIRI(?e))
          }} }}"""
    )
    about: defaultdict[str, list[dict[str, str | None]]] = defaultdict(list)
    entities = sorted({str(r["e"]) for r in links if "<" not in str(r["e"])})
    entities = [e for e in entities if ">" not in e]
    for chunk in _chunks(entities):
        values = " ".join(f"<{e}>" for e in chunk)
        _, found = store.select(
            f"""SELECT ?e ?t (MIN(?l) AS ?label) WHERE {{ VALUES ?e {{ {values} }}
              OPTIONAL {{ ?e a ?t . VALUES ?t {{ foaf:Person gkg:Place skos:Concept }} }}
              OPTIONAL {{ ?e foaf:name|skos:prefLabel ?l }}
            }} GROUP BY ?e ?t"""
        )
        for r in found:
            about[str(r["e"])].append(r)
    rows = [
        {**link, "t": r["t"], "label": r["label"]} for link in links for r in about[str(link["e"])]
    ]
    out: defaultdict[str, dict[str, list[str]]] = defaultdict(
        lambda: {
            k: []
            for k in ("speaker", "speaker_ids", "owner", "people", "person_ids", "topics", "places")
        }
    )
    person = "http://xmlns.com/foaf/0.1/Person"
    for row in rows:
        u, p, e, t, label = (str(row[k] or "") for k in ("u", "p", "e", "t", "label"))
        d = out[u]
        name = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if t == person:
            if label:
                d["people"].append(label)
            d["person_ids"].append(e)
            if name == "speaker":
                d["speaker"].append(label)
                d["speaker_ids"].append(e)
            elif name == "owner":
                d["owner"].append(e)
        elif t.endswith("#Place") and label:
            d["places"].append(label)
        elif t.endswith("#Concept") and label:
            d["topics"].append(label)
    return out


def _roles(store: Store, g: str) -> dict[str, list[str]]:
    """Person IRI -> role labels (pref and alt) recorded at this document's meeting."""
    _, rows = store.select(
        f"""SELECT DISTINCT ?p ?role WHERE {{
          GRAPH {g} {{ ?ms org:member ?p ; org:role ?r }}
          ?r skos:prefLabel|skos:altLabel ?role }} ORDER BY ?p ?role"""
    )
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        out[str(row["p"])].append(str(row["role"]))
    return out


def document_entities(store: Store, sha: str) -> set[str]:
    """IRIs of the meetings, persons, organisations, places and topics in a document."""
    g = _graph(sha)
    _, rows = store.select(
        f"SELECT DISTINCT ?e WHERE {{ GRAPH {g} {{ ?e a ?t . VALUES ?t {{ {_ENTITY_VALUES} }} }} }}"
    )
    return {str(r["e"]) for r in rows}


def all_entities(store: Store) -> set[str]:
    """IRIs of every meeting, person, organisation, place and topic in the store."""
    _, rows = store.select(
        f"SELECT DISTINCT ?e WHERE {{ ?e a ?t . VALUES ?t {{ {_ENTITY_VALUES} }} }}"
    )
    return {str(r["e"]) for r in rows}


def _chunks(items: list[str], n: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def entity_units(store: Store, entity_iris: Iterable[str]) -> list[Unit]:
    """The units of these entities as the union graph has them now.

    An entity no document holds any more has no unit (the caller deletes it). Only a
    meeting's unit lists its documents (one or two): a person, place or topic is in
    thousands, and rewriting that list on every ingest made ingest quadratic.
    """
    out = []
    for chunk in _chunks(sorted(set(entity_iris))):
        values = " ".join(f"<{e}>" for e in chunk if "<" not in e and ">" not in e)
        _, rows = store.select(
            f"""SELECT ?e ?t WHERE {{ VALUES ?e {{ {values} }}
              ?e a ?t . VALUES ?t {{ {_ENTITY_VALUES} }} }}"""
        )
        classes: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            classes[str(row["e"])].add(str(row["t"]))
        _, rows = store.select(
            f"""SELECT ?e ?g WHERE {{ VALUES ?e {{ {values} }}
              GRAPH ?g {{ ?e a gkg:Meeting . ?g gkg:sha256 ?sha }} }}"""
        )
        docs: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            docs[str(row["e"])].add(str(row["g"]).rsplit("/", 1)[-1])
        _, rows = store.select(
            # a UNION of the four properties: with VALUES ?p the store scanned (9x slower)
            f"""SELECT ?e ?p ?l WHERE {{ VALUES ?e {{ {values} }}
              {{ ?e foaf:name ?l BIND(foaf:name AS ?p) }}
              UNION {{ ?e skos:prefLabel ?l BIND(skos:prefLabel AS ?p) }}
              UNION {{ ?e skos:altLabel ?l BIND(skos:altLabel AS ?p) }}
              UNION {{ ?e dcterms:title ?l BIND(dcterms:title AS ?p) }}
            }} ORDER BY ?e ?p ?l"""
        )
        labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in rows:
            labels[str(row["e"])][str(row["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]].append(
                str(row["l"])
            )
        _, rows = store.select(
            # the distinct roles first: a person holds one membership per meeting
            # attended, and a label looked up per membership cost 6x more
            f"""SELECT DISTINCT ?e ?role WHERE {{
              {{ SELECT DISTINCT ?e ?r WHERE {{ VALUES ?e {{ {values} }}
                 ?ms org:member ?e ; org:role ?r }} }}
              ?r skos:prefLabel ?role }} ORDER BY ?e ?role"""
        )
        roles: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            roles[str(row["e"])].append(str(row["role"]))
        _, rows = store.select(
            f"""SELECT ?e (MIN(?d) AS ?date) (MIN(?b) AS ?body) WHERE {{ VALUES ?e {{ {values} }}
              ?e a gkg:Meeting . OPTIONAL {{ ?e dcterms:date ?d }}
              OPTIONAL {{ ?e schema:organizer/skos:prefLabel ?b }} }} GROUP BY ?e"""
        )
        meetings = {str(r["e"]): r for r in rows}
        for e in chunk:
            if e not in classes:
                continue
            kind = next(k for c, k in _ENTITY_CLASSES.items() if c in classes[e])
            out.append(_entity(e, kind, labels[e], roles.get(e, []), docs[e], meetings.get(e)))
    return out


def _entity(
    e: str,
    kind: str,
    labels: dict[str, list[str]],
    roles: list[str],
    docs: set[str],
    meeting: dict[str, str | None] | None,
) -> Unit:
    pref = (labels.get("name") or labels.get("prefLabel") or labels.get("title") or [""])[0]
    names = [pref, *labels.get("prefLabel", []), *labels.get("altLabel", [])]
    names += _gazetteer_labels(e)
    if kind == "meeting":
        title = (labels.get("title") or [""])[0]
        body = str((meeting or {}).get("body") or "")
        date = str((meeting or {}).get("date") or "")
        text = " — ".join(x for x in (title, body, date) if x)
        return Unit(
            id=e,
            kind=kind,
            text=text,
            title=title,
            docs=tuple(sorted(docs)),
            meeting=e,
            meeting_title=title,
            date=date,
            body=body,
        )
    unique = list(dict.fromkeys(n for n in names if n))
    text = "; ".join(unique)
    if kind == "person" and roles:
        text += " — " + "; ".join(roles)
    return Unit(
        id=e,
        kind=kind,
        text=text,
        title=pref,
        docs=tuple(sorted(docs)),
        roles=tuple(roles) if kind == "person" else (),
        people=(pref,) if kind == "person" else (),
        person_ids=(e,) if kind == "person" else (),
        topics=(pref,) if kind == "topic" else (),
        places=(pref,) if kind == "place" else (),
    )


def _gazetteer_labels(e: str) -> list[str]:
    """altLabels the gazetteers/thesaurus give this IRI (the store keeps only some)."""
    from ingest.gazetteer import entry

    prefix = iris.base()
    found = entry(e[len(prefix) :]) if e.startswith(prefix) else None
    return list(found.labels) if found is not None else []


def store_unit_count(store: Store) -> int:
    """How many units the store should give the index (parts + entities)."""
    parts = " ".join(f"<{c}>" for c in _PART_CLASSES if not c.endswith("Commitment"))
    _, rows = store.select(
        f"""SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE {{
          {{ GRAPH ?g {{ ?u a ?c . VALUES ?c {{ {parts} }} }} }} UNION
          {{ GRAPH ?g {{ ?u a ?c . VALUES ?c {{ {_ENTITY_VALUES} }} }} }} }}"""
    )
    return int(rows[0]["n"] or 0) if rows else 0
