"""ingest.attendance: the usual forms of attendance lists."""

import pytest

from ingest.attendance import (
    complete_names,
    find_attendance,
    find_coopted,
    find_invited,
    parse_entry,
)


@pytest.mark.parametrize(
    ("entry", "name", "role", "abbrev"),
    [
        (
            "John Smith Police and Crime Commissioner (PCC)",
            "John Smith",
            "Police and Crime Commissioner",
            "PCC",
        ),
        ("Ann Lee T/ Chief Constable (T/CC)", "Ann Lee", "T/ Chief Constable", "T/CC"),
        ("Bo Hart Policy Officer (BH)", "Bo Hart", "Policy Officer", "BH"),
        ("Cllr D Clements (Chair)", "D Clements", "Cllr (Chair)", None),
        ("County Cllr M Storey", "M Storey", "County Cllr", None),
        ("Mrs J A Taylor (Clerk)", "J A Taylor", "Clerk", None),
        (
            "Karla Moore-Love, Clerk of the Council",
            "Karla Moore-Love",
            "Clerk of the Council",
            None,
        ),
        ("the Clerk", "the Clerk", "Clerk", None),
    ],
)
def test_entry_forms(entry, name, role, abbrev):
    person = parse_entry(entry, "present")
    assert (person.name, person.role, person.abbrev) == (name, role, abbrev)


@pytest.mark.parametrize("entry", ["13 members of the public", "None", "5", "no one present"])
def test_non_people_are_skipped(entry):
    assert parse_entry(entry, "present") is None


def test_present_line_with_plural_title_public_and_apologies_item():
    header = (
        "Present: Cllrs Hayes, Hoskin and Evans, County Cllr Webb and the Clerk. "
        "Members of the public – PCSO Jones & Beth Winn."
    )
    people = find_attendance(header, [("Apologies for absence", "Cllrs Shaw & Cobb.")])
    got = [(p.name, p.role, p.status) for p in people]
    assert got == [
        ("Hayes", "Councillor", "present"),
        ("Hoskin", "Councillor", "present"),
        ("Evans", "Councillor", "present"),
        ("Webb", "County Cllr", "present"),
        ("the Clerk", "Clerk", "present"),
        ("Jones", "PCSO", "in attendance"),
        ("Beth Winn", "Member of the public", "in attendance"),
        ("Shaw", "Councillor", "apologies"),
        ("Cobb", "Councillor", "apologies"),
    ]


def test_bulleted_attendance_list():
    header = (
        "Attendance:\n- Jo Bloggs Chief Executive (JB)\n- Sam Roe Deputy Chief Constable (DCC)\n"
    )
    people = find_attendance(header, [])
    assert [(p.name, p.role, p.abbrev) for p in people] == [
        ("Jo Bloggs", "Chief Executive", "JB"),
        ("Sam Roe", "Deputy Chief Constable", "DCC"),
    ]


def test_semicolon_lists_and_full_names_found_elsewhere():
    header = (
        "THOSE PRESENT WERE:  Mayor Hale, Presiding; Commissioners Fox, Diaz, 3.  "
        "OFFICERS IN ATTENDANCE:  Kim Ray, Clerk of the Council; and Lee Poe, City Attorney."
    )
    people = find_attendance(header, [])
    complete_names(people, "Commissioner Nina Fox Position 2 ... Mayor Tom Hale ...")
    assert [(p.name, p.role, p.status) for p in people] == [
        ("Tom Hale", "Mayor, Presiding", "present"),
        ("Nina Fox", "Commissioner", "present"),
        ("Diaz", "Commissioner", "present"),
        ("Kim Ray", "Clerk of the Council", "in attendance"),
        ("Lee Poe", "City Attorney", "in attendance"),
    ]


def test_coopted_and_invited_people():
    text = (
        "Mrs Ada Lane and Mrs Bea Moss had put their names forward for co-option. "
        "Chair invited representatives from Kent Police, Inspector Cara Dunn, Mr Dev Patel, "
        "Business Liaison Manager, and Eve Ford, Business Liaison Co-ordinator, to present the scheme."
    )
    assert [p.name for p in find_coopted(text)] == ["Ada Lane", "Bea Moss"]
    invited = [(p.name, p.role) for p in find_invited(text)]
    assert invited == [
        ("Cara Dunn", "Inspector, Kent Police"),
        ("Dev Patel", "Business Liaison Manager"),
        ("Eve Ford", "Business Liaison Co-ordinator"),
    ]


def test_table_layout_labels_without_colons_and_wrapped_brackets():
    header = (
        "Title of Meeting Library Trust - Board Meeting\n"
        "Attendees Ann Bee (Chair), Cy Dee (Vice Chair), Ed Eff \n(Honorary Secretary), Gil Ho (KCC), Ida Jay\n"
        "Invited Kim Lo (Business & \nPerformance Manager)\n"
        "Action\n"
    )
    people = find_attendance(
        header, [("Welcome and Apologies", "Apologies were received from Ida Jay.")]
    )
    got = [(p.name, p.role, p.organisation, p.status) for p in people]
    assert got == [
        ("Ann Bee", "Chair", None, "present"),
        ("Cy Dee", "Vice Chair", None, "present"),
        ("Ed Eff", "Honorary Secretary", None, "present"),
        ("Gil Ho", "KCC", "KCC", "present"),
        ("Ida Jay", None, None, "apologies"),
        ("Kim Lo", "Business & Performance Manager", None, "in attendance"),
    ]


def test_present_label_on_its_own_line_stops_at_prose():
    header = (
        "Ash Parish Council - 6th November 2018\nPresent\n"
        "Councillors D Rich (Chair) R Heal, N Cress and P Mor\nClerk J Conn\n"
        "Members of the Public - Three Members\n"
        "Councillor Rich welcomed Councillor Neil Cress to the Parish\n"
    )
    people = find_attendance(header, [])
    assert [(p.name, p.role) for p in people] == [
        ("D Rich", "Councillor (Chair)"),
        ("R Heal", "Councillor"),
        ("N Cress", "Councillor"),
        ("P Mor", "Councillor"),
        ("J Conn", "Clerk"),
    ]


def test_plural_titles_mid_list_offices_and_run_together_entries():
    header = (
        "PRESENT: Chair Cllr Ann Shaw, Cllrs Steve Evans, Tony Hay, Vi Rich County Councillor Ann Webb\n"
        "APOLOGIES: Cllrs Lin Cobb and Al Hill\n"
    )
    people = find_attendance(header, [])
    assert [(p.name, p.role, p.status) for p in people] == [
        ("Ann Shaw", "Cllr (Chair)", "present"),
        ("Steve Evans", "Councillor", "present"),
        ("Tony Hay", "Councillor", "present"),
        ("Vi Rich", "Councillor", "present"),
        ("Ann Webb", "County Councillor", "present"),
        ("Lin Cobb", "Councillor", "apologies"),
        ("Al Hill", "Councillor", "apologies"),
    ]


def test_several_brackets_semicolons_and_colons_between_entries():
    header = (
        "Attendees\tAnn Bee (AB)(Chair), Mo Hill (MH)(Treasurer)\n"
        "Invited\tIan Cole (IC)(Finance Manager); Sam Tay (ST)(KCC Commissioner): Cy Clark (CC) "
        "& Mia Hart (MH)(Staff Observers)\n"
    )
    people = find_attendance(header, [])
    assert [(p.name, p.role, p.abbrev) for p in people] == [
        ("Ann Bee", "Chair", "AB"),
        ("Mo Hill", "Treasurer", "MH"),
        ("Ian Cole", "Finance Manager", "IC"),
        ("Sam Tay", "KCC Commissioner", "ST"),
        ("Cy Clark", None, "CC"),
        ("Mia Hart", "Staff Observers", "MH"),
    ]
