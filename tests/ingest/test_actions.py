from datetime import date

import pytest

from ingest.actions import dedupe_actions, find_actions, split_sentences
from ingest.models import COMMITMENT, EXPLICIT, Action, Attendee, Paragraph
from ingest.people import People

ATTENDEES = [
    Attendee("Jane Doe", "Police and Crime Commissioner", "PCC"),
    Attendee("Sam Roe", "T/ Chief Constable", "T/CC"),
    Attendee("the Clerk", "Clerk"),
    Attendee("P Smith", "Cllr"),
    Attendee("A Brown", "Cllr"),
    Attendee("K Green", "County Cllr"),
]
MEETING = date(2024, 9, 3)
E, C = EXPLICIT, COMMITMENT


def paragraphs(*texts: str, offset: int = 0) -> tuple[str, list[Paragraph]]:
    """A document of one paragraph per text, and its paragraphs with absolute offsets."""
    doc = "x" * offset
    out = []
    for i, t in enumerate(texts):
        if i or offset:
            doc += "\n\n"
        out.append(Paragraph(t, len(doc), len(doc) + len(t), item=0))
        doc += t
    return doc, out


def run(*texts: str) -> list[Action]:
    doc, paras = paragraphs(*texts, offset=40)
    actions = find_actions(paras, People(ATTENDEES), MEETING)
    for a in actions:
        assert doc[a.span[0] : a.span[1]] == a.text
        assert a.item == 0
    return actions


def view(actions: list[Action]) -> list[tuple]:
    return [(a.text, a.owner, a.for_, a.due, a.kind) for a in actions]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # ACTION lines: the whole body, owner from "X to ...", recipient from "shared with"
        (
            [
                "ACTION: Northshire Police to evaluate Operation Lantern. This is to be shared "
                "with the PCC once completed."
            ],
            [
                (
                    "Northshire Police to evaluate Operation Lantern. This is to be shared with the "
                    "PCC once completed.",
                    "Northshire Police",
                    "PCC (Jane Doe)",
                    None,
                    E,
                )
            ],
        ),
        (
            ["ACTION 03: Clerk to write to NCC by 30 June 2025."],
            [("Clerk to write to NCC by 30 June 2025.", "Clerk", "NCC", "2025-06-30", E)],
        ),
        # X to do Y
        (["Clerk to chase him."], [("Clerk to chase him.", "Clerk", None, None, E)]),
        (
            ["Email from Mrs Ann Grey regarding speeding. Clerk to respond."],
            [("Clerk to respond.", "Clerk", "Mrs Ann Grey", None, E)],
        ),
        # X will ...
        (
            ["Ownership of the land – Cllr Smith will update on progress at the next meeting."],
            [
                (
                    "Cllr Smith will update on progress at the next meeting.",
                    "Cllr Smith (P Smith)",
                    None,
                    "next meeting",
                    C,
                )
            ],
        ),
        (
            ["Footpath to the moorings:  Cllrs Smith and Brown will investigate."],
            [("Cllrs Smith and Brown will investigate.", "Cllrs Smith and Brown", None, None, C)],
        ),
        (
            ["Cllr Brown has bought a kettle and she will make it available."],
            [("she will make it available.", "Cllr Brown (A Brown)", None, None, C)],
        ),
        (
            ["Someone from the Hall Committee will be responsible for checking each cut."],
            [
                (
                    "Someone from the Hall Committee will be responsible for checking each cut.",
                    "Someone from the Hall Committee",
                    None,
                    None,
                    C,
                )
            ],
        ),
        (
            [
                "It was agreed to investigate the scheme further.  County Cllr Green will take "
                "responsibility."
            ],
            [
                (
                    "It was agreed to investigate the scheme further.  County Cllr Green will take "
                    "responsibility.",
                    "County Cllr Green (K Green)",
                    None,
                    None,
                    C,
                )
            ],
        ),
        # agreed / undertook / offered / volunteered to
        (
            ["County Cllr Green offered to get information on this."],
            [
                (
                    "County Cllr Green offered to get information on this.",
                    "County Cllr Green (K Green)",
                    None,
                    None,
                    C,
                )
            ],
        ),
        (
            ["Cllr Brown undertook to make contact."],
            [("Cllr Brown undertook to make contact.", "Cllr Brown (A Brown)", None, None, C)],
        ),
        (
            ["Tom White has volunteered to assist the Clerk."],
            [("Tom White has volunteered to assist the Clerk.", "Tom White", None, None, C)],
        ),
        (
            ["Cllr Smith agreed to contact Mr Tom White to see if he can help."],
            [
                (
                    "Cllr Smith agreed to contact Mr Tom White to see if he can help.",
                    "Cllr Smith (P Smith)",
                    "Mr Tom White",
                    None,
                    C,
                )
            ],
        ),
        (
            [
                "Councillors on the Playing Field Committee agreed to add litter picking to the "
                "specification."
            ],
            [
                (
                    "Councillors on the Playing Field Committee agreed to add litter picking to the "
                    "specification.",
                    "Councillors on the Playing Field Committee",
                    None,
                    None,
                    C,
                )
            ],
        ),
        # aims to / is in the process of / confirmed that ... would / in hand
        (
            ["The T/CC aims to make progress before the end of quarter two for crimes."],
            [
                (
                    "The T/CC aims to make progress before the end of quarter two for crimes.",
                    "T/CC (Sam Roe)",
                    None,
                    "end of quarter two",
                    C,
                )
            ],
        ),
        (
            ["Clerk & Cllr Smith are in the process of trying to complete this."],
            [
                (
                    "Clerk & Cllr Smith are in the process of trying to complete this.",
                    "Clerk & Cllr Smith",
                    None,
                    None,
                    C,
                )
            ],
        ),
        (
            ["Cllr Brown confirmed that the Village Trust would re-write the specification."],
            [
                (
                    "Cllr Brown confirmed that the Village Trust would re-write the specification.",
                    "Village Trust",
                    None,
                    None,
                    C,
                )
            ],
        ),
        (
            ["Cllr Smith confirmed it was in hand."],
            [("Cllr Smith confirmed it was in hand.", "Cllr Smith (P Smith)", None, None, C)],
        ),
        # was advised to: pronouns resolve to the last person named
        (
            [
                "A resident asked Cllr Brown whose permission she needs. He was advised to inform "
                "the VHC."
            ],
            [("He was advised to inform the VHC.", "Cllr Brown (A Brown)", "VHC", None, C)],
        ),
        (
            ["The map is out of date so the Clerk was advised to request another one from NCC."],
            [("the Clerk was advised to request another one from NCC.", "Clerk", "NCC", None, C)],
        ),
        # no agent: the recipient only
        (
            ["There will be attempts to analyse and understand the reduction."],
            [
                (
                    "There will be attempts to analyse and understand the reduction.",
                    None,
                    None,
                    None,
                    C,
                )
            ],
        ),
        (
            [
                "Work is being undertaken to improve the culture which will be reported on to "
                "the T/CC."
            ],
            [
                (
                    "Work is being undertaken to improve the culture which will be reported on to "
                    "the T/CC.",
                    None,
                    "T/CC (Sam Roe)",
                    None,
                    C,
                )
            ],
        ),
        (
            ["Further information will be sent to the Clerk."],
            [("Further information will be sent to the Clerk.", None, "Clerk", None, C)],
        ),
        # is to be provided with ... from Y
        (
            [
                "The PCC is to be provided with an update on the initiative from the head of "
                "prevention (John Black).With a focus on outcomes."
            ],
            [
                (
                    "The PCC is to be provided with an update on the initiative from the head of "
                    "prevention (John Black).",
                    "head of prevention (John Black)",
                    "PCC (Jane Doe)",
                    None,
                    C,
                )
            ],
        ),
        # requests
        (
            ["Cllr Smith asked that he be emailed details."],
            [
                (
                    "Cllr Smith asked that he be emailed details.",
                    None,
                    "Cllr Smith (P Smith)",
                    None,
                    E,
                )
            ],
        ),
        (
            ["The PCC asked that the T/CC provide a report on custody."],
            [
                (
                    "The PCC asked that the T/CC provide a report on custody.",
                    "T/CC (Sam Roe)",
                    "PCC (Jane Doe)",
                    None,
                    E,
                )
            ],
        ),
        # transcripts and dispositions
        (
            ["Smith: I would like the reports to be presented at council so that we learn."],
            [
                (
                    "I would like the reports to be presented at council so that we learn.",
                    None,
                    "Smith (P Smith)",
                    None,
                    E,
                )
            ],
        ),
        (
            ["(Ordinance)  REFERRED TO COMMISSIONER OF PUBLIC WORKS Parks Bureau"],
            [
                (
                    "REFERRED TO COMMISSIONER OF PUBLIC WORKS",
                    "COMMISSIONER OF PUBLIC WORKS",
                    None,
                    None,
                    E,
                )
            ],
        ),
        # "Action: Clerk" closing a paragraph
        (
            ["The drains need clearing and the matter should be raised with NCC. Action: Clerk"],
            [
                (
                    "The drains need clearing and the matter should be raised with NCC. Action: Clerk",
                    "Clerk",
                    "NCC",
                    None,
                    E,
                )
            ],
        ),
    ],
)
def test_actions(texts, expected):
    assert view(run(*texts)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "RESOLVED that the minutes be approved.",
        "Cllr Smith proposed approval; Cllr Brown seconded; Carried.",
        "Councillors agreed to pay the invoice.",
        "Councillors agreed to give £50 towards the fete.",
        "All Cllrs agreed to this proposal.",
        "All Councillors agreed to its acceptance.",
        "The issue is being addressed.",
        "A formal complaint has been sent to Highways.",
        "Can residents please be vigilant and report any suspicious activity to the Police.",
        "The T/CC believes performance has stabilised and will now improve.",
        "The victims service review will show results for quarter one.",
        "There will be further technical stability in quarter two which will be significant.",
        "This will be used across the force to increase awareness of correct actions.",
        "The T/CC was confident the gap will start to narrow.",
        "At a previous meeting he had promised to look at funding.",
        "Mr Jones confirmed that the Liaison Team would be available for further meetings.",
        "Cllr Smith stated that the Forum would like the Trust to be made aware of this.",
        "ACTION: 02",
        "Easter Egg Trail to raise funds for the playground.",
        "Due to the restrictions the hall will be closed until 9th November.",
        "The PCC asked for reassurance of custody performance.",
        "A request was made that the area be cleared.",
    ],
)
def test_not_actions(text):
    assert run(text) == []


def test_summary_repeat_is_one_action_with_merged_fields():
    actions = run(
        "ACTION: Northshire Police to evaluate Operation Lantern, examining the approach of "
        "reducing harm linked to the NTE.",
        "Summary of Actions Arising",
        "Northshire Police to evaluate Operation Lantern, examining the approach to reducing "
        "harm in the NTE. This is to be shared with the PCC once completed.",
    )
    assert len(actions) == 1
    assert actions[0].text.endswith("approach of reducing harm linked to the NTE.")
    assert actions[0].for_ == "PCC (Jane Doe)"
    assert actions[0].for_name == "Jane Doe"


def test_also_continuation_joins_the_undertaking():
    actions = run(
        "Cllr Smith will keep the document at home. She will also bring it to the surgery."
    )
    assert [a.text for a in actions] == [
        "Cllr Smith will keep the document at home. She will also bring it to the surgery."
    ]


def test_owner_and_recipient_names():
    (a,) = run("The PCC asked that the T/CC provide a report on custody.")
    assert (a.owner_name, a.for_name) == ("Sam Roe", "Jane Doe")


def test_action_table_rows():
    actions = run(
        "| Ref | Action | Owner | Due |",
        "| --- | --- | --- | --- |",
        "| 1 | Write to NCC about the drains | Clerk | 30/06/2025 |",
        "| 2 | Report on the grass cutting | Cllr Smith | next meeting |",
    )
    assert [(a.text, a.owner, a.due, a.ref, a.kind) for a in actions] == [
        ("Write to NCC about the drains", "Clerk", "2025-06-30", "1", E),
        ("Report on the grass cutting", "Cllr Smith (P Smith)", "next meeting", "2", E),
    ]


def test_dedupe_keeps_distinct_actions():
    a = Action(text="Clerk to write to the county council about the drains.")
    b = Action(text="Cllr Smith will organise the litter pick in April.")
    assert dedupe_actions([a, b]) == [a, b]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cllr. Smith spoke. Mr. Brown agreed.", ["Cllr. Smith spoke.", "Mr. Brown agreed."]),
        (
            "Bins, e.g. the grit bin. Then no. 4 was read.",
            ["Bins, e.g. the grit bin.", "Then no. 4 was read."],
        ),
        ("Balance £7,124.25 at 7.00pm. Approved.", ["Balance £7,124.25 at 7.00pm.", "Approved."]),
        (
            "From the head (Brian Gibbs).With a focus.",
            ["From the head (Brian Gibbs).", "With a focus."],
        ),
        (
            "2659. Police Report: Attached. Mr R. Campbell wrote.",
            ["2659. Police Report: Attached.", "Mr R. Campbell wrote."],
        ),
        ("One.\u00a0 Two.", ["One.", "Two."]),
        ("A wrapped\nline goes on.\nNew line.", ["A wrapped\nline goes on.", "New line."]),
    ],
)
def test_split_sentences(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected
