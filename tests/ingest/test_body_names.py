"""The body a meeting's minutes name decides its series (identity groups, ledger graphs):
two bodies must never come out as one name ("Wellbeing Board" for every county's Health
and Wellbeing Board merged their series), nor one body split by who holds its office."""

from ingest.pipeline import extract_bytes

ACTIONS = """
1. Welcome and apologies
The Chair welcomed members to the meeting.

2. Drug and Alcohol Strategy
The Director presented the report.
"""


def body(text: str) -> str | None:
    return extract_bytes(text.encode(), "/minutes/board_2024-05-01.txt").meeting.body


def test_a_first_line_naming_a_body_with_and_in_it_is_the_whole_body():
    for county in ("Northshire", "Southmoor"):
        head = f"{county} Health and Wellbeing Board\nMinutes of the meeting held on 1 May 2024 at 10:00 at County Hall\n"
        assert body(head + ACTIONS) == f"{county} Health and Wellbeing Board"


def test_a_panel_named_after_two_places_keeps_both():
    head = (
        "MINUTES of a meeting of the Eastdale and Westdale Police and Crime Panel held at "
        "County Hall on Thursday, 11 April 2013 at 10.00 am\n\nPRESENT: Councillor A Smith (Chairman)\n"
    )
    assert body(head + ACTIONS) == "Eastdale and Westdale Police and Crime Panel"


def test_the_commissioners_name_is_not_a_force():
    head = (
        "Holding to Account Meeting\nDate: 1st August 2017\nChair: Alex Brown\n"
        "Attendance:\n- Alex Brown Police and Crime Commissioner (PCC)\n- Sam Green Chief Constable (CC)\n"
    )
    assert body(head + ACTIONS) is None  # no force named: not "Alex Brown Police and ..."
    named = head + "\n3. Finance\nThe CC said Eastdale Police had balanced its budget.\n"
    assert body(named) == "Eastdale Police and Crime Commissioner"
