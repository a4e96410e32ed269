"""End to end on minutes written for these tests in a layout the corpus lacks:
a police and crime panel, numbered upper-case items, RESOLVED, ACTION lines, "It was
agreed that ..." (tests/data/written/, invented names)."""

from pathlib import Path

import pytest

from ingest import extract_file

PANEL = Path(__file__).resolve().parents[1] / "data" / "written" / "police_and_crime_panel.txt"


@pytest.fixture(scope="module")
def record():
    return extract_file(PANEL)


def test_meeting(record):
    m = record.meeting
    assert (m.date, m.body, m.kind, m.venue, m.chair) == (
        "2024-03-14",
        "West Example Police and Crime Panel",
        "panel",
        "County Hall, Exampletown",
        "Councillor A Smith",
    )
    assert (m.next.date, m.next.time) == ("2024-06-13", "10:00")


def test_attendance_kept_apart_by_status(record):
    assert [(a.name, a.status) for a in record.attendees] == [
        ("A Smith", "present"),
        ("B Jones", "present"),
        ("C Brown", "present"),
        ("D Green", "present"),
        ("P Kirk", "in attendance"),
        ("R Lane", "in attendance"),
        ("T Moss", "in attendance"),
    ]
    assert [a.name for a in record.apologies] == ["E White"]


def test_role_words_resolve_to_the_one_holder(record):
    said = [(s.speaker, s.mention) for s in record.statements]
    assert ("P Kirk", "Commissioner") in said
    assert ("R Lane", "Chief Executive") in said
    assert ("T Moss", "Chief Superintendent Moss") in said


def test_actions_not_decisions(record):
    got = [(a.owner, a.owner_name, a.due) for a in record.actions]
    assert got == [
        ("Chief Executive (R Lane)", "R Lane", "next meeting"),
        ("OPCC", None, "2024-04-30"),
        ("Chairman (A Smith)", "A Smith", None),
    ]
    assert not any("approved" in a.text for a in record.actions)


BOARD = PANEL.with_name("pcc_accountability_board.txt")


def test_bulleted_name_dash_role_attendance_and_action_table():
    record = extract_file(BOARD)
    m = record.meeting
    assert (m.title, m.body, m.kind) == (
        "Accountability Board",
        "Northshire Police and Crime Commissioner",
        "performance",
    )
    assert (m.next.date, m.next.time, m.next.venue) == (
        "2024-09-03",
        "14:00",
        "Police Headquarters",
    )
    assert [(a.name, a.abbrev) for a in record.attendees] == [
        ("Helen Ward", "PCC"),
        ("Martin Cole", "CC"),
        ("Priya Shah", "ACC"),
        ("Tom Reid", "CEO"),
    ]
    assert [a.name for a in record.apologies] == ["Lucy Hart"]
    # a date line is not item 3
    assert [it.title for it in record.agenda_items][-1] == "Date of next meeting"
    table = [(a.ref, a.owner_name, a.due) for a in record.actions if a.ref]
    assert table == [("A24/05", "Priya Shah", "2024-07-31"), ("A24/06", "Tom Reid", "2024-09-30")]
    asked = [s for s in record.statements if s.act == "asked"]
    assert [s.speaker for s in asked] == ["Helen Ward"]


COMMITTEE = PANEL.with_name("borough_scrutiny_committee.txt")


def test_committee_lists_a_line_per_person_minute_references_and_resolutions():
    record = extract_file(COMMITTEE)
    assert [(a.name, a.role, a.status) for a in record.attendees] == [
        ("J. Patel", "Councillor (Chair)", "present"),
        ("M. O'Brien", "Councillor (Vice-Chair)", "present"),
        ("S. Ahmed", "Councillor", "present"),
        ("L. Davies", "Councillor", "present"),
        ("K. Fraser", "Councillor", "present"),
        ("P. Nowak", "Councillor", "present"),
        ("Ruth Ellis", "Head of Community Safety", "in attendance"),
        ("Gareth Price", "Democratic Services Officer", "in attendance"),
        ("Dawn Hughes", "Inspector, Anytown Neighbourhood Policing Team", "in attendance"),
    ]
    assert [a.name for a in record.apologies] == ["T. Reed"]
    assert [it.number for it in record.agenda_items] == [f"CSS/24/{n}" for n in range(31, 36)]
    speakers = {s.speaker for s in record.statements}
    assert {"Dawn Hughes", "S. Ahmed", "P. Nowak"} <= speakers
    got = [(a.owner_name, a.due) for a in record.actions if a.owner_name]
    assert ("Ruth Ellis", "next meeting") in got
    assert ("Ruth Ellis", "2025-03-31") in got  # "(2) That the Head of ... report back by ..."
    assert ("Gareth Price", None) in got
    assert not any("be recommended to Cabinet" in a.text for a in record.actions)
