"""A whole series of real PDF board minutes (tests/data/suffolk_series, 18 files): every
file reads, and speakers written as initials resolve to the people of that meeting."""

import re
from pathlib import Path

import pytest

from ingest import extract_file

SERIES = sorted((Path(__file__).resolve().parents[1] / "data" / "suffolk_series").glob("*.pdf"))


@pytest.fixture(scope="module")
def records():
    return [extract_file(p) for p in SERIES]


def test_every_file_of_the_series_reads(records):
    assert len(records) == 18
    assert all(r.meeting.date and r.attendees and r.agenda_items for r in records)


def test_initials_resolve_to_board_members(records):
    by_initials = [
        s for r in records for s in r.statements if re.fullmatch(r"[A-Z]{2,3}", s.mention)
    ]
    assert len(by_initials) >= 80
    resolved = [s for s in by_initials if s.speaker]
    assert len(resolved) / len(by_initials) >= 0.9
    for r in records:
        names = {a.name for a in r.attendees + r.apologies}
        for s in r.statements:
            if re.fullmatch(r"[A-Z]{2,3}", s.mention) and s.speaker:
                assert s.speaker in names
                initials = "".join(w[0] for w in s.speaker.split())
                assert s.mention[0] == initials[0] and s.mention[-1] == initials[-1]
