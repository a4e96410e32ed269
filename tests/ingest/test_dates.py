from datetime import date, time

import pytest

from ingest.dates import (
    due_date,
    financial_year_end,
    find_dates,
    find_times,
    parse_date,
    parse_due,
    parse_time,
    quarter_end,
)

REF = date(2019, 3, 25)


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("3rd September 2024", None, date(2024, 9, 3)),
        ("September 3rd, 2024", None, date(2024, 9, 3)),
        ("03/09/2024", None, date(2024, 9, 3)),
        ("3/9/24", None, date(2024, 9, 3)),
        ("3 Sept 24", None, date(2024, 9, 3)),
        ("08 Oct 2024", None, date(2024, 10, 8)),
        ("Wednesday 11 February 2015", None, date(2015, 2, 11)),
        ("held on Monday 25th March 2019 at 7.00pm", None, date(2019, 3, 25)),
        ("12TH DAY OF JANUARY, 2011", None, date(2011, 1, 12)),
        ("2 nd May 2013", None, date(2013, 5, 2)),  # a superscript set apart in PDF text
        ("2024-09-03", None, date(2024, 9, 3)),
        ("April 29th", REF, date(2019, 4, 29)),
        ("the 1st April", REF, date(2019, 4, 1)),
        ("25th March", REF, date(2019, 3, 25)),
        ("February 3rd", REF, date(2020, 2, 3)),
        ("April 29th", None, None),
        ("31/02/2024", None, None),
        ("£7,124.25 and 7.00pm", None, None),
        ("no date here", None, None),
    ],
)
def test_parse_date(text, ref, expected):
    assert parse_date(text, ref) == expected


def test_find_dates_gives_spans():
    text = "Refused on 19/3/2019; next meeting 08 Oct 2024."
    assert [(text[s:e], d) for s, e, d in find_dates(text)] == [
        ("19/3/2019", date(2019, 3, 19)),
        ("08 Oct 2024", date(2024, 10, 8)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 7.30pm", time(19, 30)),
        ("14:00 – 16:00", time(14, 0)),
        ("9:30 A.M.", time(9, 30)),
        ("closed at 10.00pm", time(22, 0)),
        ("12 midnight", time(0, 0)),
        ("the meeting closed at 8.02.", time(8, 2)),
        ("£7,124.25", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_time_range_ends():
    assert [t for _s, _e, t in find_times("11.00-11.45am")] == [time(11, 0), time(11, 45)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("by 30 June 2025", "2025-06-30"),
        ("end of March 2025", "2025-03-31"),
        ("by the end of March", "2025-03-31"),
        ("by 3/9/24", "2024-09-03"),
        ("at the next meeting", "next meeting"),
        ("next meeting", "next meeting"),
        ("before the end of quarter two", "end of quarter two"),
        ("2024/25", "2024/25"),
        ("", None),
        (None, None),
    ],
)
def test_parse_due(phrase, expected):
    assert parse_due(phrase, date(2024, 9, 3)) == expected


def test_financial_year_helpers():
    assert financial_year_end("2024/25") == date(2025, 3, 31)
    assert financial_year_end("2024-2025") == date(2025, 3, 31)
    assert financial_year_end(2024) == date(2025, 3, 31)
    assert quarter_end("quarter two", "2024/25") == date(2024, 9, 30)
    assert quarter_end("Q4", "2024/25") == date(2025, 3, 31)
    assert quarter_end("third quarter", date(2025, 2, 1)) == date(2024, 12, 31)
    assert quarter_end("quarter five", "2024/25") is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("end of quarter two", date(2024, 9, 30)),
        ("2024/25", date(2025, 3, 31)),
        ("by 30 June 2025", date(2025, 6, 30)),
        ("end of the financial year", date(2025, 3, 31)),
        ("next meeting", None),
    ],
)
def test_due_date_derives_where_it_can(phrase, expected):
    assert due_date(phrase, date(2024, 9, 3)) == expected
