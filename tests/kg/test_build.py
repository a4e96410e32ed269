"""kg.iris and kg.build: a record in, the expected quads out."""

from __future__ import annotations

import copy
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from ingest.models import (
    APOLOGIES,
    COMMITMENT,
    Action,
    AgendaItem,
    Attendee,
    Meeting,
    MinutesRecord,
    NextMeeting,
    Organisation,
    Place,
    Source,
    Statement,
)
from kg import iris
from kg.build import BUILD_VERSION, record_to_quads
from tests.conftest import rich_record

ID = "https://w3id.org/govkg/id/"
GKG = "https://w3id.org/govkg/ns#"
SHA = "ab" * 32
DOC = f"{ID}document/{SHA}"


def assert_isomorphic(got: Graph, expected: Graph) -> None:
    """Graphs equal up to blank nodes; on failure, show what each side has alone."""
    if to_isomorphic(got) == to_isomorphic(expected):
        return
    _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
    pytest.fail(
        "graphs differ\nonly in built graph:\n"
        + "\n".join(sorted(only_got.serialize(format="nt").splitlines()))
        + "\nonly in expected graph:\n"
        + "\n".join(sorted(only_expected.serialize(format="nt").splitlines()))
    )


def as_graph(quads: list[ox.Quad]) -> Graph:
    """The quads' triples in an rdflib Graph (all quads must share one graph name)."""
    assert len({q.graph_name for q in quads}) == 1, "every quad is in one named graph"
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def subjects(quads: list[ox.Quad], cls: str) -> set[str]:
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    return {
        q.subject.value for q in quads if q.predicate.value == rdf_type and q.object.value == cls
    }


def values(quads: list[ox.Quad], s: str, p: str) -> set[str]:
    return {q.object.value for q in quads if q.subject.value == s and q.predicate.value == p}


def small_record(**meeting: object) -> MinutesRecord:
    fields = {"title": "Parish council", "date": "2019-03-25", "body": "Tintern Community Council"}
    fields.update(meeting)
    return MinutesRecord(
        source=Source(path="/m/tintern.txt", sha256=SHA, format="txt"),
        meeting=Meeting(**fields),  # type: ignore[arg-type]
    )


# -- IRIs ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Richard Cooper", "richard-cooper"),
        ("T/ Chief Constable", "t-chief-constable"),
        ("Policy & Commissioning Intern", "policy-and-commissioning-intern"),
        ("Ynys Môn / Anglesey", "ynys-mon-anglesey"),
        ("O’Brien", "obrien"),
        ("  --Quarter 1 Performance – 2024/25--  ", "quarter-1-performance-2024-25"),
        ("", ""),
        (None, ""),
    ],
)
def test_slug(text: str | None, expected: str) -> None:
    assert iris.slug(text) == expected


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("John Campion", "West Mercia PCC", "person/john-campion"),
        ("Cllr Mrs J Shewell", "Tintern CC", "person/j-shewell"),
        ("Dr. Jane Doe", None, "person/jane-doe"),
        ("Hayward", "Tintern Community Council", "person/tintern-community-council-hayward"),
        ("Cllr Hayward", "Tintern Community Council", "person/tintern-community-council-hayward"),
        ("the Clerk", "Stoke Ferry Parish Council", "person/stoke-ferry-parish-council-clerk"),
    ],
)
def test_person_iri(name: str, body: str | None, expected: str) -> None:
    assert iris.person_iri(name, body) == ox.NamedNode(ID + expected)


def test_one_word_name_without_body_is_scoped_by_meeting() -> None:
    assert iris.person_iri("Evans", None, "meeting-x") == ox.NamedNode(
        ID + "person/meeting-x-evans"
    )


@pytest.mark.parametrize(
    ("body", "date", "title", "expected"),
    [
        ("West Mercia PCC", "2024-09-03", None, "meeting/west-mercia-pcc-2024-09-03"),
        (None, "2024-09-03", "Quarter 1 Performance", "meeting/quarter-1-performance-2024-09-03"),
        ("Tintern CC", None, None, "meeting/tintern-cc-abababab"),
        (None, None, None, "meeting/meeting-abababab"),
    ],
)
def test_meeting_iri(body: str | None, date: str | None, title: str | None, expected: str) -> None:
    assert iris.meeting_iri(body, date, SHA, title) == ox.NamedNode(ID + expected)


def test_base_from_environment(monkeypatch: pytest.MonkeyPatch, record: MinutesRecord) -> None:
    monkeypatch.setenv("GOVKG_BASE", "http://example.org/kg")
    assert iris.topic_iri("Domestic abuse").value == "http://example.org/kg/topic/domestic-abuse"
    assert all(
        q.subject.value.startswith("http://example.org/kg/") for q in record_to_quads(record)
    )


# -- the graph of a record ------------------------------------------------------------
EXPECTED_SMALL = f"""
@prefix gkg: <{GKG}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <{ID}> .

<{DOC}> a gkg:SourceDocument ; gkg:sha256 "{SHA}" ; gkg:format "txt" ;
    gkg:sourcePath "tintern.txt" ; gkg:sourceKey "4612acf7137863af7ebe8131a89181671fa1d1d902d6c6b6debb2ee792b98f7b" ;
    dcterms:title "Parish council" ; gkg:buildVersion 3 .

<{ID}meeting/tintern-community-council-2019-03-25> a gkg:Meeting ;
    dcterms:title "Parish council" ; dcterms:date "2019-03-25"^^xsd:date ;
    prov:wasDerivedFrom <{DOC}> ;
    schema:organizer <{ID}org/tintern-community-council> ;
    gkg:chair <{ID}person/tintern-community-council-shewell> ;
    gkg:attendee <{ID}person/tintern-community-council-shewell> ;
    gkg:sentApologies <{ID}person/ann-hoskins> ;
    gkg:hasAgendaItem <{ID}item/tintern-community-council-2019-03-25-abababab-1> .

<{ID}org/tintern-community-council> a org:Organization ;
    skos:prefLabel "Tintern Community Council" .

<{ID}person/tintern-community-council-shewell> a foaf:Person ; foaf:name "Shewell" .
<{ID}person/ann-hoskins> a foaf:Person ; foaf:name "Ann Hoskins" .

<{ID}membership/tintern-community-council-2019-03-25-abababab-1> a org:Membership ;
    org:member <{ID}person/tintern-community-council-shewell> ;
    org:role <{ID}role/chairman> ;
    gkg:recordedAt <{ID}meeting/tintern-community-council-2019-03-25> .
<{ID}role/chairman> a org:Role ; skos:prefLabel "Chairman" .

<{ID}item/tintern-community-council-2019-03-25-abababab-1> a gkg:AgendaItem ;
    dcterms:title "Police report" ; gkg:order 1 ; gkg:ref "2876" ;
    dcterms:isPartOf <{ID}meeting/tintern-community-council-2019-03-25> ;
    gkg:inMeeting <{ID}meeting/tintern-community-council-2019-03-25> .

<{ID}action/tintern-community-council-2019-03-25-abababab-1> a gkg:Action, gkg:Commitment ;
    gkg:text "The Clerk will write to the police." ;
    gkg:owner <{ID}org/tintern-community-council-clerk> ; gkg:ownerText "the Clerk" ;
    gkg:dueText "next meeting" ; gkg:status gkg:StatusOpen ;
    gkg:raisedAt <{ID}meeting/tintern-community-council-2019-03-25> ;
    dcterms:isPartOf <{ID}item/tintern-community-council-2019-03-25-abababab-1> ;
    gkg:inMeeting <{ID}meeting/tintern-community-council-2019-03-25> ;
    gkg:spanStart 10 ; gkg:spanEnd 45 .

<{ID}org/tintern-community-council-clerk> a org:Organization ;
    skos:prefLabel "Clerk" .
"""


def test_small_record_graph_is_exactly_as_expected() -> None:
    rec = small_record(chair="Cllr Mrs Shewell")
    rec.attendees = [
        Attendee(name="Shewell", title="Cllr Mrs", role="Chairman"),
        Attendee(name="Ann Hoskins", status=APOLOGIES),
    ]
    rec.agenda_items = [AgendaItem(title="Police report", number="2876")]
    rec.actions = [
        Action(
            text="The Clerk will write to the police.",
            owner="the Clerk",
            kind=COMMITMENT,
            due="next meeting",
            item=0,
            span=(10, 45),
        )
    ]
    quads = record_to_quads(rec)
    assert {q.graph_name for q in quads} == {ox.NamedNode(DOC)}
    assert_isomorphic(as_graph(quads), Graph().parse(data=EXPECTED_SMALL, format="turtle"))


def test_example_record_iris(record: MinutesRecord) -> None:
    quads = record_to_quads(record)
    meeting = f"{ID}meeting/quarterly-performance-2024-09-03"
    assert subjects(quads, GKG + "Meeting") == {meeting}
    assert subjects(quads, "http://xmlns.com/foaf/0.1/Person") == {
        f"{ID}person/jane-doe",
        f"{ID}person/sam-roe",
    }
    action = f"{ID}action/quarterly-performance-2024-09-03-00000000-1"
    statement = f"{ID}statement/quarterly-performance-2024-09-03-00000000-1"
    item = f"{ID}item/quarterly-performance-2024-09-03-00000000-1"
    assert subjects(quads, GKG + "Action") == {action}
    assert subjects(quads, GKG + "Commitment") == set()
    assert values(quads, action, GKG + "owner") == {f"{ID}person/sam-roe"}
    assert values(quads, action, GKG + "owedTo") == {f"{ID}person/jane-doe"}
    assert values(quads, action, GKG + "dueText") == {"next meeting"}
    assert values(quads, statement, GKG + "speaker") == {f"{ID}person/jane-doe"}
    assert values(quads, statement, "http://purl.org/dc/terms/isPartOf") == {item}
    assert values(quads, statement, GKG + "spanStart") == {"0"}
    assert values(
        quads, f"{ID}role/chief-constable", "http://www.w3.org/2004/02/skos/core#altLabel"
    ) == {"CC"}
    assert {q.graph_name.value for q in quads} == {f"{ID}document/{'0' * 64}"}


def test_building_twice_gives_identical_quads(record: MinutesRecord) -> None:
    assert record_to_quads(record) == record_to_quads(copy.deepcopy(record))


def test_same_person_in_two_meetings_is_one_node(record: MinutesRecord) -> None:
    other = copy.deepcopy(record)
    other.source = Source(path="later.txt", sha256="1" * 64, format="txt")
    other.meeting = Meeting(title="Quarterly performance", date="2024-12-03", chair="Ms Jane Doe")
    a, b = record_to_quads(record), record_to_quads(other)
    people = subjects(a, "http://xmlns.com/foaf/0.1/Person")
    assert people == subjects(b, "http://xmlns.com/foaf/0.1/Person")
    assert subjects(a, GKG + "Meeting") != subjects(b, GKG + "Meeting")


def test_surname_only_people_are_one_node_per_body() -> None:
    def people(body: str) -> set[str]:
        rec = small_record(body=body)
        rec.attendees = [Attendee(name="Hayward")]
        return subjects(record_to_quads(rec), "http://xmlns.com/foaf/0.1/Person")

    assert people("Tintern Community Council") == people("Tintern Community Council")
    assert people("Tintern Community Council") != people("Stoke Ferry Parish Council")


@pytest.mark.parametrize(
    ("kind", "classes"),
    [("explicit", {"Action"}), ("commitment", {"Action", "Commitment"})],
)
def test_commitment_and_explicit_classes(kind: str, classes: set[str]) -> None:
    rec = small_record()
    rec.actions = [Action(text="x", kind=kind)]
    quads = record_to_quads(rec)
    got = {c for c in ("Action", "Commitment") if subjects(quads, GKG + c)}
    assert got == classes


@pytest.mark.parametrize(
    ("due", "prop", "literal"),
    [
        ("2024-12-31", "due", '"2024-12-31"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("next meeting", "dueText", '"next meeting"'),
        ("2024-13-45", "dueText", '"2024-13-45"'),
        ("end of quarter two", "dueText", '"end of quarter two"'),
    ],
)
def test_due_iso_date_or_text(due: str, prop: str, literal: str) -> None:
    rec = small_record()
    rec.actions = [Action(text="x", due=due)]
    found = [
        str(q.object) for q in record_to_quads(rec) if q.predicate.value.startswith(GKG + "due")
    ]
    assert found == [literal]
    assert any(q.predicate.value == GKG + prop for q in record_to_quads(rec))


def test_owner_text_naming_a_known_organisation_uses_its_node() -> None:
    rec = small_record()
    rec.organisations = [Organisation(name="West Mercia Police", abbrev="WMP")]
    rec.actions = [
        Action(text="a", owner="WMP", for_="PCC (John Campion)", for_name="John Campion"),
        Action(text="b", owner="West Mercia Police"),
    ]
    quads = record_to_quads(rec)
    wmp = f"{ID}org/west-mercia-police"
    for n in (1, 2):
        action = f"{ID}action/tintern-community-council-2019-03-25-abababab-{n}"
        assert values(quads, action, GKG + "owner") == {wmp}
    first = f"{ID}action/tintern-community-council-2019-03-25-abababab-1"
    assert values(quads, first, GKG + "owedTo") == {f"{ID}person/john-campion"}


def test_places_topics_mentions_and_next_meeting() -> None:
    rec = small_record()
    rec.places = [
        Place(name="Shropshire", type="lpa"),
        Place(name="Tintern", type="area", id="place/tintern-mon"),
    ]
    rec.topics = ["Domestic abuse"]
    rec.statements = [
        Statement(
            speaker=None, mention="Members", act="noted", text="Domestic abuse in Shropshire rose."
        )
    ]
    rec.meeting.next = NextMeeting(date="2019-04-29", venue="Village Hall")
    quads = record_to_quads(rec)
    lpa = f"{ID}place/shropshire"
    assert subjects(quads, GKG + "LocalPolicingArea") == {lpa}
    assert subjects(quads, GKG + "Place") == {lpa, f"{ID}place/tintern-mon"}
    statement = f"{ID}statement/tintern-community-council-2019-03-25-abababab-1"
    assert values(quads, statement, GKG + "mentions") == {lpa, f"{ID}topic/domestic-abuse"}
    assert not values(quads, statement, GKG + "speaker")
    meeting = f"{ID}meeting/tintern-community-council-2019-03-25"
    assert values(quads, meeting, "http://purl.org/dc/terms/subject") == {
        f"{ID}topic/domestic-abuse"
    }
    nxt = f"{meeting}-next"
    assert values(quads, meeting, GKG + "nextMeeting") == {nxt}
    assert values(quads, nxt, "http://purl.org/dc/terms/date") == {"2019-04-29"}
    assert values(quads, nxt, GKG + "venue") == {"Village Hall"}
    assert subjects(quads, GKG + "Meeting") == {meeting}, "the announced meeting is not typed"


def test_rich_record_nodes() -> None:
    quads = record_to_quads(rich_record())
    m = "tintern-community-council-2019-03-25"
    p = f"{m}-abababab"  # parts are scoped by document
    assert values(quads, f"{ID}meeting/{m}", GKG + "minutedBy") == {
        f"{ID}person/tintern-community-council-clerk"
    }
    assert values(quads, f"{ID}item/{p}-2", "http://purl.org/dc/terms/isPartOf") == {
        f"{ID}item/{p}-1"
    }
    assert values(quads, f"{ID}membership/{p}-3", "http://www.w3.org/ns/org#organization") == {
        f"{ID}org/monmouthshire-cc"
    }
    assert values(quads, f"{ID}statement/{p}-1", GKG + "mentions") == {
        f"{ID}place/tintern-mon",
        f"{ID}org/gwent-police",
        f"{ID}topic/burglary",
    }
    first, second = f"{ID}action/{p}-1", f"{ID}action/{p}-2"
    assert values(quads, first, GKG + "owedTo") == {f"{ID}org/gwent-police"}
    assert values(quads, first, GKG + "status") == {GKG + "StatusOpen"}
    assert values(quads, second, GKG + "owner") == {f"{ID}org/{m.rsplit('-', 3)[0]}-council"}
    assert values(quads, f"{ID}meeting/{m}", GKG + "nextMeetingDate") == {"2019-04-29"}


@pytest.mark.parametrize(
    ("name", "place_id", "expected"),
    [
        ("Herefordshire", "place/lpa-herefordshire", "place/lpa-herefordshire"),
        ("Shropshire", None, "place/shropshire"),
        ("Tintern", "tintern", "place/tintern"),
    ],
)
def test_place_iri_uses_the_gazetteer_id(name: str, place_id: str | None, expected: str) -> None:
    assert iris.place_iri(name, place_id) == ox.NamedNode(ID + expected)


def test_paragraphs_are_in_the_graph_in_order() -> None:
    from ingest import extract_file
    from kg.build import record_to_quads

    record = extract_file(
        Path(__file__).resolve().parents[1]
        / "data"
        / "corpus"
        / "tintern_cc_minutes_2019-03-25.txt"
    )
    quads = record_to_quads(record)
    paragraphs = {
        q.subject
        for q in quads
        if q.predicate.value.endswith("#type") and q.object.value.endswith("#Paragraph")
    }
    assert len(paragraphs) == len(record.paragraphs) > 20
    texts = {
        q.object.value
        for q in quads
        if q.subject in paragraphs and q.predicate.value.endswith("#text")
    }
    assert "2665. Accounts for payment:-" not in texts
    assert any(t.startswith("Clerk’s Salary & Expenses") for t in texts)


def test_every_part_links_straight_to_its_meeting() -> None:
    """gkg:inMeeting of each agenda item, sub-item, paragraph, statement and action is the
    meeting its dcterms:isPartOf chain ends at; the document says its build version."""
    quads = record_to_quads(rich_record())
    part_of = {
        q.subject.value: q.object.value
        for q in quads
        if q.predicate.value == "http://purl.org/dc/terms/isPartOf"
    }
    in_meeting = {
        q.subject.value: q.object.value for q in quads if q.predicate.value == GKG + "inMeeting"
    }
    (meeting,) = subjects(quads, GKG + "Meeting")
    parts = set().union(
        *(subjects(quads, GKG + c) for c in ("AgendaItem", "Paragraph", "Statement", "Action"))
    )
    assert len(parts) >= 6 and any(part_of[p] != meeting for p in parts)
    for part in parts:
        top = part
        while top in part_of:
            top = part_of[top]
        assert top == meeting and in_meeting[part] == meeting, part
    assert set(in_meeting) == parts
    versions = [q for q in quads if q.predicate.value == GKG + "buildVersion"]
    document = quads[0].graph_name.value
    assert [(v.subject.value, v.object.value) for v in versions] == [(document, str(BUILD_VERSION))]
