"""The vocabulary (ontology/govkg.ttl), its Python namespace (kg.namespace.GKG) and the
SHACL shapes (ontology/shapes.ttl) agree with each other and with ARCHITECTURE.md."""

from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH, SKOS

from kg.namespace import DCTERMS, GKG, RDF, RDFS
from ontology import SHAPES, VOCABULARY, path

GKG_NS = str(GKG._NS)
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}
TERM_TYPES = PROPERTY_TYPES | {OWL.Class, SKOS.ConceptScheme, SKOS.Concept}

PREFIXES = """
@prefix gkg: <https://w3id.org/govkg/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://example.org/id/> .
"""

# One of everything the builder writes, the way ARCHITECTURE.md describes it.
VALID = (
    PREFIXES
    + """
id:source-1 a gkg:SourceDocument ;
    gkg:sha256 "0f3a" ; gkg:format "txt" ; gkg:sourcePath "minutes.txt" .

id:meeting-1 a gkg:Meeting ;
    dcterms:title "Quarter 1 Performance" ;
    dcterms:date "2024-09-03"^^xsd:date ;
    gkg:kind "performance" ;
    gkg:venue "West Mercia Police HQ" ;
    gkg:chair id:john-campion ;
    gkg:minutedBy id:christopher-jensen ;
    gkg:attendee id:john-campion , id:christopher-jensen ;
    gkg:hasAgendaItem id:item-1 , id:item-1-1 ;
    gkg:nextMeeting id:meeting-2 ;
    gkg:nextMeetingDate "2024-12-03"^^xsd:date ;
    prov:wasDerivedFrom id:source-1 .

id:meeting-2 a gkg:Meeting ; dcterms:date "2024-12-03"^^xsd:date .

id:john-campion a foaf:Person ; foaf:name "John Campion" .
id:christopher-jensen a foaf:Person ; foaf:name "Christopher Jensen" .
id:west-mercia-police a gkg:PoliceForce ; skos:prefLabel "West Mercia Police" .

id:pcc a org:Role ; skos:prefLabel "Police and Crime Commissioner" ; skos:altLabel "PCC" .
id:membership-1 a org:Membership ;
    org:member id:john-campion ; org:role id:pcc ; gkg:recordedAt id:meeting-1 .
id:opcc a org:Organization ; skos:prefLabel "Office of the PCC" ; skos:altLabel "OPCC" .
id:membership-2 a org:Membership ;
    org:member id:christopher-jensen ; org:organization id:opcc ; gkg:recordedAt id:meeting-1 .

id:shropshire a gkg:Place , gkg:LocalPolicingArea ;
    skos:prefLabel "Shropshire" ; gkg:withinForce id:west-mercia-police .
id:topic-nte a skos:Concept ; skos:inScheme gkg:Topics ; skos:prefLabel "night-time economy" .

id:item-1 a gkg:AgendaItem ;
    dcterms:title "Performance" ; dcterms:isPartOf id:meeting-1 ; gkg:order 1 .
id:item-1-1 a gkg:AgendaItem ;
    dcterms:title "Night-time economy" ; dcterms:isPartOf id:item-1 ; gkg:order 2 ;
    gkg:ref "1.1" .

id:statement-1 a gkg:Statement ;
    gkg:speaker id:john-campion ;
    gkg:mention "The PCC" ;
    gkg:act "asked" ;
    gkg:text "about the evaluation of Operation Vigilance." ;
    dcterms:isPartOf id:item-1-1 ;
    gkg:spanStart 120 ; gkg:spanEnd 168 ;
    gkg:mentions id:west-mercia-police , id:shropshire , id:topic-nte .

id:action-1 a gkg:Action ;
    gkg:text "West Mercia Police to evaluate Operation Vigilance." ;
    gkg:owner id:west-mercia-police ;
    gkg:owedTo id:john-campion ;
    gkg:due "2024-12-03"^^xsd:date ;
    gkg:status gkg:StatusOpen ;
    gkg:raisedAt id:meeting-1 ;
    gkg:ref "02" .

id:commitment-1 a gkg:Commitment ;
    gkg:text "The force will share the evaluation." ;
    gkg:dueText "next meeting" ;
    gkg:raisedAt id:meeting-1 .
"""
)


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return Graph().parse(path(VOCABULARY), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(path(SHAPES), format="turtle")


def gkg_terms(graph: Graph) -> set[URIRef]:
    """Every gkg: IRI that is the subject of a triple in `graph`."""
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(GKG_NS)}


def local(terms: set[URIRef]) -> list[str]:
    return sorted(t.removeprefix(GKG_NS) for t in terms)


def violations(data: Graph, shapes: Graph) -> tuple[bool, set[tuple[str, URIRef]]]:
    """Validate `data`; return (conforms, {(focus node local name, result path)})."""
    conforms, results, _ = validate(data, shacl_graph=shapes)
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        found.add((str(focus).rsplit("/", 1)[-1], results.value(result, SH.resultPath)))
    return bool(conforms), found


# --- (a) + (b): the Turtle parses and agrees with kg.namespace.GKG ----------------------


def test_vocabulary_is_an_owl_ontology(vocabulary: Graph) -> None:
    ontology = URIRef("https://w3id.org/govkg/ns")
    assert (ontology, RDF.type, OWL.Ontology) in vocabulary
    assert vocabulary.value(ontology, DCTERMS.title) is not None
    assert vocabulary.value(ontology, OWL.versionInfo) == Literal("0.1.0")
    assert vocabulary.value(ontology, DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")


def test_vocabulary_and_namespace_declare_the_same_terms(vocabulary: Graph) -> None:
    in_turtle = gkg_terms(vocabulary)
    in_python = {GKG[name] for name in GKG.__annotations__}
    only_turtle, only_python = local(in_turtle - in_python), local(in_python - in_turtle)
    assert not only_turtle and not only_python, (
        f"govkg.ttl and kg/namespace.py disagree: only in govkg.ttl: {only_turtle}; "
        f"only in kg/namespace.py: {only_python}"
    )


TURTLE_FILES = sorted(
    str(p.relative_to(path(VOCABULARY).parent)) for p in path(VOCABULARY).parent.rglob("*.ttl")
)


def test_turtle_files_are_found() -> None:
    assert {VOCABULARY, SHAPES} <= set(TURTLE_FILES)


@pytest.mark.parametrize("name", TURTLE_FILES)
def test_every_gkg_iri_used_is_declared(vocabulary: Graph, name: str) -> None:
    graph = Graph().parse(path(name), format="turtle")
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node.startswith(GKG_NS)
    }
    undeclared = local(used - gkg_terms(vocabulary))
    assert not undeclared, f"{name} uses gkg: terms that govkg.ttl does not declare: {undeclared}"


def test_architecture_core_terms_are_declared(vocabulary: Graph) -> None:
    classes = ["Meeting", "AgendaItem", "Statement", "Action", "Commitment", "Place"]
    classes += ["LocalPolicingArea", "PoliceForce", "LocalAuthority", "SourceDocument"]
    for name in classes:
        assert (GKG[name], RDF.type, OWL.Class) in vocabulary, name
    for scheme in [GKG.Topics, GKG.ActionStatus]:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabulary
        assert (scheme, RDF.type, OWL.Class) not in vocabulary


# --- (c): every term is documented -------------------------------------------------------


def test_every_term_has_a_type_label_and_comment(vocabulary: Graph) -> None:
    untyped, unlabelled, uncommented = [], [], []
    for term in sorted(gkg_terms(vocabulary)):
        if not set(vocabulary.objects(term, RDF.type)) & TERM_TYPES:
            untyped.append(term)
        if vocabulary.value(term, RDFS.label) is None:
            unlabelled.append(term)
        if vocabulary.value(term, RDFS.comment) is None:
            uncommented.append(term)
    assert not untyped, f"no owl:Class/Property or skos type: {local(set(untyped))}"
    assert not unlabelled, f"no rdfs:label: {local(set(unlabelled))}"
    assert not uncommented, f"no rdfs:comment: {local(set(uncommented))}"


def test_every_property_has_a_domain_or_range(vocabulary: Graph) -> None:
    properties = {
        term
        for term in gkg_terms(vocabulary)
        if set(vocabulary.objects(term, RDF.type)) & PROPERTY_TYPES
    }
    assert len(properties) >= 30
    bare = {
        p
        for p in properties
        if vocabulary.value(p, RDFS.domain) is None and vocabulary.value(p, RDFS.range) is None
    }
    assert not bare, f"properties with neither rdfs:domain nor rdfs:range: {local(bare)}"


def test_action_status_concepts_are_in_their_scheme(vocabulary: Graph) -> None:
    concepts = set(vocabulary.subjects(SKOS.inScheme, GKG.ActionStatus))
    assert local(concepts) == [
        "StatusDone",
        "StatusDropped",
        "StatusOpen",
        "StatusOverdue",
        "StatusSuperseded",
        "StatusUpdated",
    ]
    assert set(vocabulary.objects(GKG.ActionStatus, SKOS.hasTopConcept)) == concepts
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in vocabulary
        assert vocabulary.value(concept, SKOS.prefLabel) is not None


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (GKG.Meeting, URIRef("https://schema.org/Event")),
        (GKG.Statement, URIRef("https://schema.org/CreativeWork")),
        (GKG.Action, URIRef("http://www.w3.org/ns/prov#Plan")),
        (GKG.Action, URIRef("https://schema.org/Action")),
        (GKG.Commitment, GKG.Action),
        (GKG.LocalPolicingArea, GKG.Place),
        (GKG.Place, URIRef("https://schema.org/Place")),
        (GKG.PoliceForce, URIRef("http://www.w3.org/ns/org#Organization")),
        (GKG.LocalAuthority, URIRef("http://www.w3.org/ns/org#Organization")),
        (GKG.SourceDocument, URIRef("http://www.w3.org/ns/prov#Entity")),
        (GKG.SourceDocument, URIRef("http://xmlns.com/foaf/0.1/Document")),
    ],
)
def test_class_alignments(vocabulary: Graph, term: URIRef, parent: URIRef) -> None:
    assert (term, RDFS.subClassOf, parent) in vocabulary


def test_meeting_is_not_a_prov_entity(vocabulary: Graph) -> None:
    assert (GKG.Meeting, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) not in (
        vocabulary
    )


# --- (d): the Python namespace is closed -------------------------------------------------


def test_mistyped_term_raises() -> None:
    with pytest.raises(AttributeError, match="term 'Meetnig' not in namespace"):
        GKG.Meetnig  # noqa: B018


def test_known_term_is_an_iri() -> None:
    assert GKG.Meeting == URIRef("https://w3id.org/govkg/ns#Meeting")
    assert GKG.StatusDone == URIRef("https://w3id.org/govkg/ns#StatusDone")


# --- (e): the shapes ---------------------------------------------------------------------


def test_shapes_parse_and_target_the_core(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    assert {GKG.Meeting, GKG.Statement, GKG.Action, GKG.AgendaItem} <= targets
    assert not any(isinstance(s, URIRef) and s.startswith(GKG_NS) for s in shapes.subjects())


def test_valid_graph_conforms(shapes: Graph) -> None:
    data = Graph().parse(data=VALID, format="turtle")
    conforms, found = violations(data, shapes)
    assert conforms, f"unexpected violations: {sorted(found)}"


def test_valid_graph_conforms_with_rdfs_inference(shapes: Graph, vocabulary: Graph) -> None:
    # The domains and ranges in govkg.ttl must not turn valid data invalid.
    data = Graph().parse(data=VALID, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=vocabulary, inference="rdfs")
    assert conforms, text


def test_valid_graph_with_language_tagged_text_conforms(shapes: Graph) -> None:
    data = Graph().parse(data=VALID, format="turtle")
    statement = URIRef("https://example.org/id/statement-1")
    data.set((statement, GKG.text, Literal("about the evaluation.", lang="en")))
    assert violations(data, shapes) == (True, set())


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        (
            'id:meeting-1 dcterms:date "2024-09-04"^^xsd:date .',
            {("meeting-1", DCTERMS.date)},
        ),
        (
            'id:meeting-1 dcterms:title "A second title" .',
            {("meeting-1", DCTERMS.title)},
        ),
        (
            'id:action-2 a gkg:Action ; gkg:text "Clerk to write." .',
            {("action-2", GKG.raisedAt)},
        ),
        (
            'id:action-1 gkg:due "next meeting" .',
            {("action-1", GKG.due)},
        ),
        (
            'id:statement-2 a gkg:Statement ; gkg:text "x" ; gkg:spanStart 5 .',
            {("statement-2", GKG.spanEnd)},
        ),
        (
            "id:statement-1 gkg:spanStart 10 .",
            {("statement-1", GKG.spanStart)},
        ),
        (
            "id:nobody a foaf:Person .",
            {("nobody", URIRef("http://xmlns.com/foaf/0.1/name"))},
        ),
        (
            "id:item-2 a gkg:AgendaItem ; dcterms:isPartOf id:meeting-1 .",
            {("item-2", DCTERMS.title)},
        ),
        (
            "id:membership-3 a org:Membership ; org:member id:john-campion .",
            {("membership-3", None)},  # neither org:role nor org:organization
        ),
        (
            "id:membership-3 a org:Membership ; org:role id:pcc .",
            {("membership-3", URIRef("http://www.w3.org/ns/org#member"))},
        ),
        (
            "id:chair a org:Role .",
            {("chair", SKOS.prefLabel)},
        ),
    ],
)
def test_invalid_graph_names_the_path(shapes: Graph, turtle: str, expected: set) -> None:
    data = Graph().parse(data=VALID + turtle, format="turtle")
    conforms, found = violations(data, shapes)
    assert not conforms
    assert found == expected


def test_meeting_with_two_dates_and_action_without_meeting(shapes: Graph) -> None:
    data = Graph().parse(
        data=PREFIXES
        + """
id:m a gkg:Meeting ; dcterms:date "2024-09-03"^^xsd:date , "2024-09-04"^^xsd:date .
id:a a gkg:Action ; gkg:text "Clerk to chase him." .
""",
        format="turtle",
    )
    conforms, found = violations(data, shapes)
    assert not conforms
    assert found == {("m", DCTERMS.date), ("a", GKG.raisedAt)}
    _, _, text = validate(data, shacl_graph=shapes)
    assert "Result Path: dcterms:date" in text
    assert "Result Path: gkg:raisedAt" in text


# --- ontology.path -------------------------------------------------------------------------


def test_path_finds_package_files() -> None:
    assert path(VOCABULARY).read_text(encoding="utf-8").startswith("# The govkg vocabulary")


def test_path_raises_for_a_missing_file() -> None:
    with pytest.raises(FileNotFoundError, match="no file 'nope.ttl' in the ontology package"):
        path("nope.ttl")


def test_blank_nodes_only_in_class_expressions(vocabulary: Graph) -> None:
    # Blank nodes are owl:unionOf domains; anything else is probably a Turtle slip.
    for node in {s for s in vocabulary.subjects() if isinstance(s, BNode)}:
        types = set(vocabulary.objects(node, RDF.type))
        assert types <= {OWL.Class}
