"""ingest.statements: speakers resolved through the document's people."""

from ingest.models import Attendee, Paragraph
from ingest.people import People
from ingest.statements import find_statements, find_transcript_turns

PEOPLE = People(
    [
        Attendee(name="Ann Lee", role="T/ Chief Constable", abbrev="T/CC"),
        Attendee(name="Jo Bloggs", role="Police and Crime Commissioner", abbrev="PCC"),
        Attendee(name="Evans", role="Councillor"),
    ]
)


def statements(text):
    return find_statements([Paragraph(text, 100, 100 + len(text), 0)], PEOPLE, text)


def test_reported_speech_with_roles_and_abbreviations():
    got = statements(
        "PCC asked if this is a problem. The T/CC stated that it is not, but the PCC replied no."
    )
    assert [(s.speaker, s.mention, s.act) for s in got] == [
        ("Jo Bloggs", "PCC", "asked"),
        ("Ann Lee", "T/CC", "stated"),
        ("Jo Bloggs", "PCC", "replied"),
    ]
    assert got[1].text.startswith("The T/CC stated that it is not")


def test_statement_spans_point_into_the_document():
    text = "Cllr Evans re safe speed. This has stalled."
    (s,) = statements(text)
    assert s.act == "re" and s.speaker == "Evans"
    assert s.span == (100, 100 + len(text))
    assert s.text == text


def test_unlisted_titled_speaker_is_kept_as_written():
    (s,) = statements("Works are due.  Mr Les Bonnett reported that a request was made.")
    assert s.speaker == "Les Bonnett" and s.act == "reported"


def test_no_statement_without_a_reporting_verb():
    assert statements("The PCC report was long.") == []


def test_transcript_turns():
    text = "Key: ***** means unknown.  Evans: Good morning.  Jo Bloggs, Director of Roads: Thank you.  *****: Hi."
    turns = find_transcript_turns(text, 0, PEOPLE)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Evans", "Good morning."),
        ("Jo Bloggs", "Thank you."),
        (None, "Hi."),
    ]


def test_collective_speaker_stands_for_its_members():
    people = People(
        [
            Attendee(name="D Rich", role="Councillor (Chair)"),
            Attendee(name="R Heal", role="Councillor"),
            Attendee(name="J Conn", role="Clerk"),
        ]
    )
    text = "After discussion. Councillors resolved to pay. The Chairman brought the meeting to a close."
    got = find_statements([Paragraph(text, 0, len(text), 0)], people, text)
    assert [(s.speaker, s.members) for s in got] == [
        ("Councillors (D Rich, R Heal)", ["D Rich", "R Heal"]),
        ("D Rich", []),
    ]


def test_initials_mid_sentence_with_a_verb_of_speech():
    people = People([Attendee(name="Peter Call"), Attendee(name="Rita Hunt")])
    text = "In relation to this PC gave an update on the event."
    (s,) = find_statements([Paragraph(text, 0, len(text), 0)], people, text)
    assert (s.speaker, s.mention, s.act) == ("Peter Call", "PC", "gave")


def test_initials_shared_with_someone_who_sent_apologies_mean_the_one_present():
    people = People([Attendee(name="Mike Hill"), Attendee(name="Mary Hunt", status="apologies")])
    text = "MH asked what the plan is."
    (s,) = find_statements([Paragraph(text, 0, len(text), 0)], people, text)
    assert s.speaker == "Mike Hill"


def test_two_attendees_with_one_surname_do_not_break_attribution():
    people = People(
        [Attendee(name="J Cole", role="Councillor"), Attendee(name="A Cole", role="Councillor")]
    )
    text = "Councillor Cole asked about potholes. Cllr J Cole said repairs were planned."
    got = find_statements([Paragraph(text, 0, len(text), 0)], people, text)
    assert [(s.mention, s.speaker) for s in got] == [
        ("Councillor Cole", None),
        ("Cllr J Cole", "J Cole"),
    ]
