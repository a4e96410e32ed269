"""ingest.segment: agenda items in each layout, header kept apart."""

import pytest

from ingest.read import read_bytes
from ingest.segment import segment

NUMBERED = """Minutes of a meeting held on 4 May 2020 in the Village Hall.
Present: Cllrs Smith, Jones and the Clerk.
101. Police Report: No report received.
102. Accounts for payment:-
Waste - £30 (Ch. No. 1),
103. Date of next meeting: June 1st.
"""

PLAIN = """Quarterly Performance
Date: 1st May 2024
Attendance:
- Ann Bee Chief Executive (CE)
Review of Action Tracker
Actions were reviewed.
Custody
The CE stated that custody is improving.
AOB
N/A
Next meeting
Board / 08 Oct 2024 / Room 1
"""

MARKDOWN = """Minutes of the Board

**Those attending:** Cllr A Bee (Chair)

1. **To receive apologies** None.

**_Presentation: Library services_**

The librarian presented.

2. **Finance**

Amounts: 08/12/2014 Room hire Chq 30.88
"""


@pytest.mark.parametrize(
    ("text", "name", "mode", "titles"),
    [
        (
            NUMBERED,
            "a.txt",
            "numbered",
            ["Police Report", "Accounts for payment", "Date of next meeting"],
        ),
        (PLAIN, "b.txt", "plain", ["Review of Action Tracker", "Custody", "AOB", "Next meeting"]),
        (
            MARKDOWN,
            "c.md",
            "markup",
            ["To receive apologies", "Presentation: Library services", "Finance"],
        ),
    ],
)
def test_items_found_per_layout(text, name, mode, titles):
    seg = segment(read_bytes(text.encode(), name))
    assert seg.mode == mode
    assert [it.title for it in seg.items] == titles


def test_numbered_items_keep_their_numbers_and_body_text():
    source = read_bytes(NUMBERED.encode(), "a.txt")
    seg = segment(source)
    assert [it.number for it in seg.items] == ["101", "102", "103"]
    first = seg.paragraphs[0]
    assert first.text == "No report received."
    assert source.text[first.start : first.end] == first.text
    assert first.item == 0


def test_header_is_not_an_agenda_item():
    seg = segment(read_bytes(PLAIN.encode(), "b.txt"))
    header = [ln.text for ln in seg.header]
    assert header[0] == "Quarterly Performance"
    assert "- Ann Bee Chief Executive (CE)" in header
    assert "Quarterly Performance" not in [it.title for it in seg.items]


def test_placeholder_and_last_line_are_not_headings():
    seg = segment(read_bytes(PLAIN.encode(), "b.txt"))
    texts = [p.text for p in seg.paragraphs]
    assert "N/A" in texts
    assert "Board / 08 Oct 2024 / Room 1" in texts


def test_inline_agenda_listing():
    text = (
        "MINUTES  THOSE PRESENT WERE: Mayor Adams.  38 Request of A B to address Council regarding parks"
        "  (Communication)  PLACED ON FILE  39 Request of C D to address Council regarding roads  "
        "(Communication)  PLACED ON FILE *40 Accept a grant of $5 for a fountain  (Ordinance)  (Y-5) 184349  "
        "41 Appoint E F to the Board  (Report)  CONFIRMED  42 Pay claim of G H  (Ordinance)  (Y-5)\n"
    )
    seg = segment(read_bytes(text.encode(), "p.txt"))
    assert seg.mode == "inline"
    assert [it.number for it in seg.items] == ["38", "39", "40", "41", "42"]
    assert seg.items[2].title == "Accept a grant of $5 for a fountain"


def test_minute_numbers_that_look_like_dates_follow_the_documents_scheme():
    text = (
        "Ash Parish Council - 6th November 2018\nPresent: Cllr A\n"
        "18.11.1 Apologies\nNone\n18.11.2 Minutes\nApproved.\n18.11.10 Any Other Business\nNone.\n"
        "08.12.2014 Room hire paid\n"
    )
    seg = segment(read_bytes(text.encode(), "m.txt"))
    assert [(it.number, it.title) for it in seg.items] == [
        ("18.11.1", "Apologies"),
        ("18.11.2", "Minutes"),
        ("18.11.10", "Any Other Business"),
    ]


def test_a_list_that_restarts_at_one_sits_under_the_item_before():
    text = (
        "Board minutes\nPresent: A Bee\n1. Apologies\nNone.\n2. Committees\n1. Membership\nAgreed.\n"
        "2. Terms of reference\nAgreed.\n3. Finance\nNoted.\n"
    )
    seg = segment(read_bytes(text.encode(), "m.txt"))
    got = [
        (it.number, it.title, seg.items[it.parent].title if it.parent is not None else None)
        for it in seg.items
    ]
    assert got == [
        ("1", "Apologies", None),
        ("2", "Committees", None),
        ("1", "Membership", "Committees"),
        ("2", "Terms of reference", "Committees"),
        ("3", "Finance", None),
    ]


def test_dotted_numbers_nest():
    text = (
        "Minutes\nPresent: A Bee\n4 Finance\n4.1 Budget\nNoted.\n4.2 Audit\nNoted.\n5 AOB\nNone.\n"
    )
    seg = segment(read_bytes(text.encode(), "m.txt"))
    parents = [seg.items[it.parent].number if it.parent is not None else None for it in seg.items]
    assert parents == [None, "4", "4", None]
