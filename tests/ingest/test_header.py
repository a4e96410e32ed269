"""ingest.header: meeting fields and the next meeting."""

import pytest

from ingest.header import read_meeting, read_next_meeting
from ingest.models import Attendee
from ingest.read import read_bytes


@pytest.mark.parametrize(
    ("header", "title", "date", "venue"),
    [
        (
            "Minutes of a meeting of the above council held on Monday 25th March 2019 at 7.00pm in Tintern "
            "Village Hall.",
            "Minutes of a meeting of the above council",
            "2019-03-25",
            "Tintern Village Hall",
        ),
        (
            "Minutes of Ash Parish Council Meeting held in the Community Centre, Ash Academy, at 7.30pm on "
            "Wednesday 14th January 2015",
            "Minutes of Ash Parish Council Meeting",
            "2015-01-14",
            "Community Centre, Ash Academy",
        ),
        (
            "September 3rd, 2024\nQuarter 1 Performance – 2024/25\nDate: 3rd September 2024\nChair: Jo Bloggs\n"
            "Venue: Police HQ",
            "Quarter 1 Performance – 2024/25",
            "2024-09-03",
            "Police HQ",
        ),
    ],
)
def test_meeting_fields(header, title, date, venue):
    source = read_bytes(header.encode(), "m.txt")
    meeting = read_meeting(source, source.text, [])
    assert (meeting.title, meeting.date, meeting.venue) == (title, date, venue)


def test_chair_from_attendance_and_body_from_title():
    source = read_bytes(b"Minutes of Ash Parish Council Meeting held on 1 May 2020", "m.txt")
    people = [
        Attendee(name="D Clem", role="Cllr (Chair)", title="Cllr"),
        Attendee(name="S Lin", role="Cllr (Vice-Chair)"),
    ]
    meeting = read_meeting(source, source.text, people)
    assert meeting.chair == "Cllr D Clem"
    assert meeting.body == "Ash Parish Council"
    assert meeting.kind == "council"


def test_label_chair_and_minute_taker():
    source = read_bytes(
        b"Board meeting\nDate: 1 May 2020\nChair: Ann Bee\nMinutes: Cy Dee\n", "m.txt"
    )
    meeting = read_meeting(source, source.text, [])
    assert (meeting.chair, meeting.minutes_by, meeting.kind) == ("Ann Bee", "Cy Dee", "board")


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Date of next meeting", "April 29th.", ("2019-04-29", None, None)),
        (
            "Date and time of next meeting",
            "Wednesday 11 February 2015 at 7.30pm",
            ("2015-02-11", "19:30", None),
        ),
        (
            "Confirmation of next meeting type / date / time / venue",
            "Thematic A&A: CSE / 08 Oct 2024 /14:00 – 16:00 / The Habington Room, Hindlip Hall",
            ("2024-10-08", "14:00–16:00", "The Habington Room, Hindlip Hall"),
        ),
    ],
)
def test_next_meeting(title, body, expected):
    nxt = read_next_meeting(title, body, "2019-03-25")
    assert (nxt.date, nxt.time, nxt.venue) == expected
