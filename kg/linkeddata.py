"""Linked Data over the store: descriptions of IRIs, VoID, dumps and the ontology's docs.

No web framework here: `web/views/linkeddata.py` turns these into responses.

- `describe(store, iri)`: what a client gets when it dereferences a data IRI as RDF:
  every triple with the IRI as subject (from the union default graph), the labels
  (rdfs:label, skos:prefLabel, foaf:name, dcterms:title) of the IRIs it links to, and the triples
  whose object it is. Bounded: never more than `MAX_TRIPLES`.
- `document_quads(store, sha256)`: the named graph of one source document.
- `void_triples(store, root)`: a VoID description of the dataset (counts cached per
  opened store).
- `dump_chunks(store, fmt)`: the whole store serialised piece by piece (for streaming).
- `ontology_model()`: classes, properties and concepts of ontology/govkg.ttl as plain
  dicts for an HTML page.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import iris, queries
from kg.store import Store

__all__ = [
    "Format",
    "FORMATS",
    "ALIASES",
    "MAX_TRIPLES",
    "MAX_INCOMING",
    "LABELS",
    "format_for",
    "describe",
    "document_quads",
    "serialize",
    "void_counts",
    "void_triples",
    "DUMPS",
    "dump_chunks",
    "ontology_file",
    "ontology_model",
    "ontology_bytes",
]


@dataclass(frozen=True)
class Format:
    """One RDF serialisation: its name, media type, file extension and whether it keeps
    graph names (a dataset format)."""

    name: str
    media_type: str
    extension: str
    rdf_format: ox.RdfFormat
    dataset: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
        Format("ntriples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
        Format("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        Format("rdfxml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
        Format("trig", "application/trig", "trig", ox.RdfFormat.TRIG, dataset=True),
        Format("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, dataset=True),
    )
}
"""The formats served, by name (order: the preference when a client accepts several)."""

ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "turtle": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "xml": "rdfxml",
    "rdfxml": "rdfxml",
    "trig": "trig",
    "nq": "nquads",
    "nquads": "nquads",
    "n-quads": "nquads",
}
"""What `?format=` and a file extension may say, to a name in FORMATS."""

MAX_TRIPLES = 5000
"""A description never holds more triples than this."""
MAX_INCOMING = 1000
"""At most this many triples pointing at the described IRI (the rest: use SPARQL)."""

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
LABELS = (
    RDFS_LABEL,
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
    ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
    ox.NamedNode("http://purl.org/dc/terms/title"),
)
"""The label properties copied for the IRIs a description links to (dcterms:title:
a meeting's)."""

_DEFAULT = ox.DefaultGraph()


def format_for(name: str | None) -> Format | None:
    """The Format for a `?format=` value or extension ("ttl", "jsonld", ...), or None."""
    if not name:
        return None
    key = ALIASES.get(name.lower())
    return FORMATS[key] if key else None


def _prefixes() -> dict[str, str]:
    return {**queries.PREFIXES, "void": VOID, "owl": OWL}


def serialize(data: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: Format) -> bytes:
    """Triples (or, for a dataset format, quads) in `fmt`, with the usual prefixes."""
    items: list[Any] = list(data)
    if not fmt.dataset:
        items = [q.triple if isinstance(q, ox.Quad) else q for q in items]
    return ox.serialize(items, format=fmt.rdf_format, prefixes=_prefixes()) or b""


# -- descriptions -------------------------------------------------------------------------
def describe(
    store: Store, iri: str, *, limit: int = MAX_TRIPLES, incoming: int = MAX_INCOMING
) -> list[ox.Triple]:
    """The description of `iri` from the union graph; [] when the store does not know it.

    Its own triples first (sorted), then the labels of the IRIs it links to, then up to
    `incoming` triples whose object it is; `limit` triples in all.
    """
    raw = store.store
    node = ox.NamedNode(iri)
    own: list[ox.Triple] = []
    for quad in raw.quads_for_pattern(node, None, None, _DEFAULT):
        own.append(quad.triple)
        if len(own) >= limit:
            break
    own.sort(key=_triple_key)
    out = list(own)
    seen = set(out)
    linked = sorted({t.object.value for t in own if isinstance(t.object, ox.NamedNode)} - {iri})
    for other in linked:
        for prop in LABELS:
            for quad in raw.quads_for_pattern(ox.NamedNode(other), prop, None, _DEFAULT):
                if len(out) >= limit:
                    return out
                if quad.triple not in seen:
                    seen.add(quad.triple)
                    out.append(quad.triple)
    back: list[ox.Triple] = []
    budget = min(incoming, limit - len(out))
    for quad in raw.quads_for_pattern(None, None, node, _DEFAULT):
        if len(back) >= budget:
            break
        if quad.triple not in seen:
            back.append(quad.triple)
    back.sort(key=_triple_key)
    return out + back


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def document_quads(store: Store, sha256: str) -> list[ox.Quad]:
    """Every quad of the document graph of `sha256` ([] when there is none)."""
    graph = iris.document_iri(sha256)
    raw = store.store
    if not raw.contains_named_graph(graph):
        return []
    return sorted(
        raw.quads_for_pattern(None, None, None, graph), key=lambda q: _triple_key(q.triple)
    )


# -- VoID ---------------------------------------------------------------------------------
VOID = "http://rdfs.org/ns/void#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LICENSE = "https://spdx.org/licenses/MIT"
"""The project's licence (LICENSE: MIT), as the ontology states it."""
EXAMPLE_CLASSES = (
    "https://w3id.org/govkg/ns#Meeting",
    "http://xmlns.com/foaf/0.1/Person",
    "https://w3id.org/govkg/ns#Action",
    "http://www.w3.org/2004/02/skos/core#Concept",
)
"""void:exampleResource: the first resource (by IRI) of each of these classes."""

_counts: weakref.WeakKeyDictionary[Store, dict[str, Any]] = weakref.WeakKeyDictionary()


def _count(store: Store, where: str) -> int:
    _, rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"] or 0) if rows else 0


def void_counts(store: Store) -> dict[str, Any]:
    """The dataset's statistics, computed once per opened Store (a new ingest reopens it).

    Keys: triples, entities (distinct IRI subjects under the data base), distinctSubjects,
    distinctObjects, properties, classes, documents, class_partitions ({class: entities}),
    property_partitions ({property: triples}), vocabularies, examples.
    """
    cached = _counts.get(store)
    if cached is not None:
        return cached
    space = iris.base()
    counts: dict[str, Any] = {
        "triples": _count(store, "?s ?p ?o"),
        "entities": _count(
            store,
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {queries.literal(space)})) }}",
        ),
        "distinctSubjects": _count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        "distinctObjects": _count(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
        "properties": _count(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        "classes": _count(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }"),
        # a named graph typed gkg:SourceDocument; the derived graphs are not documents
        "documents": _count(store, "GRAPH ?g { ?g a gkg:SourceDocument }"),
    }
    _, rows = store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
    )
    counts["class_partitions"] = {str(r["c"]): int(r["n"] or 0) for r in rows}
    _, rows = store.select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
    counts["property_partitions"] = {str(r["p"]): int(r["n"] or 0) for r in rows}
    used = set(counts["class_partitions"]) | set(counts["property_partitions"])
    known = sorted(set(_prefixes().values()), key=len, reverse=True)
    counts["vocabularies"] = sorted(
        {ns for term in used if (ns := _ns_of(term, known)) is not None}
    )
    examples = []
    for cls in EXAMPLE_CLASSES:
        _, rows = store.select(f"SELECT ?s WHERE {{ ?s a <{cls}> }} ORDER BY ?s LIMIT 1")
        if rows and rows[0]["s"]:
            examples.append(str(rows[0]["s"]))
    counts["examples"] = examples
    _counts[store] = counts
    return counts


def _ns_of(term: str, known: list[str]) -> str | None:
    return next((ns for ns in known if term.startswith(ns)), None)


DUMPS: dict[str, str] = {
    "govkg.trig": "trig",
    "govkg.nq": "nquads",
    "govkg.ttl": "turtle",
    "govkg.nt": "ntriples",
}
"""Dump file names -> format: TriG and N-Quads keep the named graphs (one per document,
and the derived graphs: identity, follow-up links, review decisions), Turtle and
N-Triples hold the union graph."""


def void_triples(store: Store, root: str, *, title: str = "govkg") -> list[ox.Triple]:
    """A VoID description of the store as served from `root` (the site's URL, ending '/').

    The dataset is ``<{root}void#dataset>``; its dumps, SPARQL endpoint and home page
    are under `root`.
    """
    c = void_counts(store)
    n = ox.NamedNode
    v = VOID

    def lit(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=n("http://www.w3.org/2001/XMLSchema#integer"))

    ds = n(f"{root}void#dataset")
    doc = n(f"{root}void")
    out = [
        ox.Triple(doc, RDF_TYPE, n(v + "DatasetDescription")),
        ox.Triple(
            doc, n(DCT + "title"), ox.Literal(f"A VoID description of {title}", language="en")
        ),
        ox.Triple(doc, n(FOAF + "primaryTopic"), ds),
        ox.Triple(ds, RDF_TYPE, n(v + "Dataset")),
        ox.Triple(ds, n(DCT + "title"), ox.Literal(title, language="en")),
        ox.Triple(
            ds,
            n(DCT + "description"),
            ox.Literal(
                "Meetings, people, roles, agenda items, statements, actions and "
                "commitments, places, organisations and topics read from the published "
                "minutes of governance meetings; one named graph per source document.",
                language="en",
            ),
        ),
        ox.Triple(ds, n(DCT + "license"), n(LICENSE)),
        ox.Triple(ds, n(FOAF + "homepage"), n(root)),
        ox.Triple(ds, n(v + "uriSpace"), ox.Literal(iris.base())),
        ox.Triple(ds, n(v + "sparqlEndpoint"), n(f"{root}sparql")),
        ox.Triple(ds, n(v + "uriLookupEndpoint"), ox.Literal(f"{root}search?q=")),
        ox.Triple(ds, n(v + "triples"), lit(c["triples"])),
        ox.Triple(ds, n(v + "entities"), lit(c["entities"])),
        ox.Triple(ds, n(v + "distinctSubjects"), lit(c["distinctSubjects"])),
        ox.Triple(ds, n(v + "distinctObjects"), lit(c["distinctObjects"])),
        ox.Triple(ds, n(v + "properties"), lit(c["properties"])),
        ox.Triple(ds, n(v + "classes"), lit(c["classes"])),
        ox.Triple(ds, n(v + "documents"), lit(c["documents"])),
    ]
    for name in DUMPS:
        out.append(ox.Triple(ds, n(v + "dataDump"), n(f"{root}dumps/{name}")))
    for fmt_iri in ("Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        out.append(ox.Triple(ds, n(v + "feature"), n(f"http://www.w3.org/ns/formats/{fmt_iri}")))
    for ns in c["vocabularies"]:
        out.append(ox.Triple(ds, n(v + "vocabulary"), n(ns)))
    for example in c["examples"]:
        out.append(ox.Triple(ds, n(v + "exampleResource"), n(example)))
    parts: list[ox.Triple] = []
    for i, (cls, count) in enumerate(c["class_partitions"].items(), 1):
        part = ox.BlankNode(f"class{i}")
        out.append(ox.Triple(ds, n(v + "classPartition"), part))
        parts += [
            ox.Triple(part, n(v + "class"), n(cls)),
            ox.Triple(part, n(v + "entities"), lit(count)),
        ]
    for i, (prop, count) in enumerate(c["property_partitions"].items(), 1):
        part = ox.BlankNode(f"property{i}")
        out.append(ox.Triple(ds, n(v + "propertyPartition"), part))
        parts += [
            ox.Triple(part, n(v + "property"), n(prop)),
            ox.Triple(part, n(v + "triples"), lit(count)),
        ]
    return out + parts


# -- dumps --------------------------------------------------------------------------------
BATCH = 2000
"""Quads serialised per chunk of a dump."""


def dump_chunks(store: Store, fmt: Format) -> Iterator[bytes]:
    """The store in `fmt`, as a sequence of byte chunks (concatenated: one valid file).

    Dataset formats (TriG, N-Quads) hold every named graph with its name: the document
    graphs and the derived ones (kg.identity, kg.ledger, kg.review: a backup must carry
    the review decisions); the default graph is their union, so it is left out
    (`Store.dataset_quads` counts the quads). Triple formats hold the
    union (default) graph, each triple once. JSON-LD and RDF/XML are not chunkable
    and are refused. The store is captured now, so the chunks stay readable after the
    caller's request is over.
    """
    if fmt.name not in ("trig", "nquads", "turtle", "ntriples"):
        raise ValueError(f"no dump in {fmt.name}")
    raw = store.store
    return _chunks(raw, fmt)


def _chunks(raw: ox.Store, fmt: Format) -> Iterator[bytes]:
    prefixes = _prefixes() if fmt.name in ("trig", "turtle") else None
    first = True

    def emit(batch: list[Any]) -> bytes:
        nonlocal first
        text = ox.serialize(batch, format=fmt.rdf_format, prefixes=prefixes) or b""
        if prefixes and not first:
            # the prefixes were declared by the first chunk; drop the repeats
            lines = text.split(b"\n")
            while lines and lines[0].startswith(b"@prefix "):
                lines.pop(0)
            text = b"\n".join(lines)
        first = False
        return text

    if fmt.dataset:
        for graph in sorted(raw.named_graphs(), key=str):
            batch: list[Any] = []
            for quad in raw.quads_for_pattern(None, None, None, graph):
                batch.append(quad)
                if fmt.name == "nquads" and len(batch) >= BATCH:
                    yield emit(batch)
                    batch = []
            if batch:
                # TriG: one chunk per graph, so each graph is one block
                yield emit(batch)
        return
    batch = []
    last = None
    for quad in raw.quads_for_pattern(None, None, None, _DEFAULT):
        if len(batch) >= BATCH and quad.subject != last:
            yield emit(batch)
            batch = []
        batch.append(quad.triple)
        last = quad.subject
    if batch or first:
        yield emit(batch)


# -- the ontology -------------------------------------------------------------------------
GKG = "https://w3id.org/govkg/ns#"


def ontology_file() -> Path:
    """ontology/govkg.ttl, as packaged."""
    from ontology import VOCABULARY, path

    return path(VOCABULARY)


def ontology_bytes(fmt: Format) -> bytes:
    """The vocabulary in `fmt` (Turtle: the file itself, comments and all)."""
    file = ontology_file()
    if fmt.name == "turtle":
        return file.read_bytes()
    return _ontology_serialized(str(file), file.stat().st_mtime, fmt.name)


@lru_cache(maxsize=16)
def _ontology_serialized(file: str, mtime: float, name: str) -> bytes:
    fmt = FORMATS[name]
    triples = list(ox.parse(path=file, format=ox.RdfFormat.TURTLE))
    return serialize(triples, fmt)


def ontology_model() -> dict[str, Any]:
    """The vocabulary as plain data: the ontology's metadata and its terms in groups.

    Returns {"iri", "title", "description", "version", "license", "prefix", "namespace",
    "groups": [{"id", "title", "terms": [term, ...]}]}; a term is {"name" (the local
    name, also the HTML anchor), "iri", "curie", "kind", "label", "comment", "notes",
    "super", "sub", "domain", "range", "domain_of", "range_of", "alignments",
    "in_scheme", "notation", "top_concepts"}; references to other terms are
    {"curie", "iri", "href"} (href "#Name" for a gkg: term).
    """
    file = ontology_file()
    return _ontology_model(str(file), file.stat().st_mtime)


@lru_cache(maxsize=4)
def _ontology_model(file: str, mtime: float) -> dict[str, Any]:
    from rdflib import BNode, Graph, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL as O
    from rdflib.namespace import RDF, RDFS, SKOS

    g = Graph()
    g.parse(file, format="turtle")
    ns_manager = g.namespace_manager

    def curie(node: Any) -> str:
        try:
            return str(node.n3(ns_manager)).strip("<>")
        except Exception:  # noqa: BLE001 - any odd IRI is shown in full
            return str(node)

    def ref(node: Any) -> list[dict[str, str]]:
        if isinstance(node, BNode):
            members = g.value(node, O.unionOf)
            if members is not None:
                return [r for m in Collection(g, members) for r in ref(m)]
            return []
        iri = str(node)
        href = "#" + iri[len(GKG) :] if iri.startswith(GKG) else iri
        return [{"curie": curie(node), "iri": iri, "href": href}]

    def refs(subject: Any, prop: Any) -> list[dict[str, str]]:
        found = [r for o in g.objects(subject, prop) for r in ref(o)]
        return sorted(found, key=lambda r: r["curie"])

    def text(subject: Any, prop: Any) -> str:
        value = g.value(subject, prop)
        return " ".join(str(value).split()) if value is not None else ""

    kinds = [
        ("classes", "Classes", "class", [O.Class, RDFS.Class]),
        ("object-properties", "Object properties", "object property", [O.ObjectProperty]),
        ("datatype-properties", "Datatype properties", "datatype property", [O.DatatypeProperty]),
        ("other-properties", "Other properties", "property", [RDF.Property, O.AnnotationProperty]),
        ("concept-schemes", "Concept schemes", "concept scheme", [SKOS.ConceptScheme]),
        ("concepts", "Concepts", "concept", [SKOS.Concept]),
    ]
    alignment_props = [
        O.equivalentClass,
        O.equivalentProperty,
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
        SKOS.relatedMatch,
        RDFS.seeAlso,
    ]
    placed: set[str] = set()
    groups = []
    for group_id, title, kind, types in kinds:
        subjects = sorted(
            {
                s
                for t in types
                for s in g.subjects(RDF.type, t)
                if isinstance(s, URIRef) and str(s).startswith(GKG) and str(s) not in placed
            },
            key=lambda s: str(s).lower(),
        )
        terms = []
        for s in subjects:
            placed.add(str(s))
            is_class = kind == "class"
            sup = RDFS.subClassOf if is_class else RDFS.subPropertyOf
            alignments = []
            for prop in alignment_props:
                for r in refs(s, prop):
                    alignments.append({"relation": curie(prop), **r})
            # a super-class or super-property outside gkg: is an alignment too
            for r in refs(s, sup):
                if not r["iri"].startswith(GKG):
                    alignments.append({"relation": curie(sup), **r})
            terms.append(
                {
                    "name": str(s)[len(GKG) :],
                    "iri": str(s),
                    "curie": curie(s),
                    "kind": kind,
                    "label": text(s, RDFS.label) or text(s, SKOS.prefLabel),
                    "comment": text(s, RDFS.comment),
                    "notes": [
                        " ".join(str(o).split())
                        for p in (SKOS.note, SKOS.definition, SKOS.scopeNote)
                        for o in g.objects(s, p)
                    ],
                    "super": refs(s, sup),
                    "sub": _by_curie([r for o in g.subjects(sup, s) for r in ref(o)]),
                    "domain": refs(s, RDFS.domain),
                    "range": refs(s, RDFS.range),
                    "domain_of": _uses(g, s, RDFS.domain, ref) if is_class else [],
                    "range_of": _uses(g, s, RDFS.range, ref) if is_class else [],
                    "alignments": alignments,
                    "in_scheme": refs(s, SKOS.inScheme),
                    "notation": text(s, SKOS.notation),
                    "top_concepts": refs(s, SKOS.hasTopConcept),
                }
            )
        if terms:
            groups.append({"id": group_id, "title": title, "terms": terms})
    onto = next(iter(g.subjects(RDF.type, O.Ontology)), None)
    from rdflib.namespace import DCTERMS

    return {
        "iri": str(onto) if onto is not None else GKG,
        "namespace": GKG,
        "prefix": "gkg",
        "title": text(onto, DCTERMS.title) if onto is not None else "govkg vocabulary",
        "description": text(onto, DCTERMS.description) if onto is not None else "",
        "version": text(onto, O.versionInfo) if onto is not None else "",
        "license": str(g.value(onto, DCTERMS.license) or "") if onto is not None else "",
        "groups": groups,
        "triples": len(g),
    }


def _by_curie(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(refs, key=lambda r: r["curie"])


def _uses(g: Any, cls: Any, prop: Any, ref: Any) -> list[dict[str, str]]:
    """The gkg: properties whose domain (or range) is `cls` or a union naming it."""
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.namespace import OWL as O

    found = []
    for p, value in g.subject_objects(prop):
        if value == cls or (
            isinstance(value, BNode)
            and g.value(value, O.unionOf) is not None
            and cls in list(Collection(g, g.value(value, O.unionOf)))
        ):
            found += ref(p)
    return sorted(found, key=lambda r: r["curie"])
