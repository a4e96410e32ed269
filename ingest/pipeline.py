"""read -> segment -> extract: one file of minutes in, one `MinutesRecord` out."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ingest.actions import find_actions
from ingest.attendance import (
    complete_names,
    find_attendance,
    find_coopted,
    find_invited,
    same_person,
)
from ingest.entities import find_organisations, find_places, find_topics, topics_for
from ingest.header import read_meeting, read_next_meeting
from ingest.models import (
    APOLOGIES,
    Action,
    Attendee,
    MinutesRecord,
    Paragraph,
    Source,
    SourceText,
    Statement,
)
from ingest.people import People, split_title
from ingest.read import read_bytes, read_file
from ingest.segment import Segments, segment
from ingest.statements import find_statements, find_transcript_turns

__all__ = ["extract_file", "extract_bytes", "extract_source"]


def extract_file(path: str | Path) -> MinutesRecord:
    """Read one file and extract its record.

    Raises:
        UnreadableFile: the file cannot be read as minutes (message names file and problem).
    """
    return extract_source(read_file(path))


def extract_bytes(data: bytes, path: str) -> MinutesRecord:
    """Extract the record of a file already read into memory (named `path`)."""
    return extract_source(read_bytes(data, path))


def extract_source(source: SourceText) -> MinutesRecord:
    """Extract the record of already-decoded minutes."""
    seg = segment(source)
    header = _header_text(source, seg)
    item_texts = [(it.title, _item_text(seg, i)) for i, it in enumerate(seg.items)]
    people_all = find_attendance(header, item_texts)
    _add_coopted(people_all, source.text)
    complete_names(people_all, source.text)
    meeting = read_meeting(source, header, people_all)
    for title, body in item_texts:
        nxt = read_next_meeting(title, body, meeting.date)
        if nxt:
            meeting.next = nxt
            break
    people = People(people_all)
    statements = _statements(source, seg, people)
    _add_unlisted_speakers(people_all, statements)
    people = People(people_all)
    meeting_date = date.fromisoformat(meeting.date) if meeting.date else None
    actions = find_actions(seg.paragraphs, people, meeting_date)
    _names_in_brackets(actions)
    for item in seg.items:
        item.topics = topics_for(item.title)
        item.page = source.page_of(item.span[0]) if item.span else None
    for para in seg.paragraphs:
        para.page = source.page_of(para.start)
    for st in statements:
        st.page = source.page_of(st.span[0])
    for act in actions:
        act.page = source.page_of(act.span[0])
    places = find_places(source.text)
    return MinutesRecord(
        source=Source(path=source.path, sha256=source.sha256, format=source.format),
        meeting=meeting,
        attendees=[p for p in people_all if p.status != APOLOGIES],
        apologies=[p for p in people_all if p.status == APOLOGIES],
        agenda_items=seg.items,
        statements=statements,
        actions=actions,
        places=places,
        organisations=find_organisations(source.text, places),
        topics=find_topics(source.text),
        paragraphs=seg.paragraphs,
    )


def _header_text(source: SourceText, seg: Segments) -> str:
    if not seg.header:
        return ""
    return source.text[seg.header[0].start : seg.header[-1].end]


def _item_text(seg: Segments, index: int) -> str:
    return "\n".join(p.text for p in seg.paragraphs if p.item == index)


def _add_coopted(people: list[Attendee], text: str) -> None:
    for p in find_coopted(text) + find_invited(text):
        if not any(same_person(p.name, q.name) for q in people):
            people.append(p)


def _statements(source: SourceText, seg: Segments, people: People) -> list[Statement]:
    # the header can hold prose too ("Councillor A welcomed Councillor B to the council")
    header = [Paragraph(ln.text, ln.start, ln.end, None) for ln in seg.header]
    paragraphs = header + seg.paragraphs
    turns = find_transcript_turns(source.text, 0, people)
    resolved = [t for t in turns if t.speaker and people.resolve(t.speaker)]
    if len(resolved) >= 5:
        first = turns[0].span[0]
        before = [p for p in paragraphs if p.end <= first]
        return find_statements(before, people, source.text) + turns
    return find_statements(paragraphs, people, source.text)


BRACKETED_NAME = re.compile(
    r"\((?P<name>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?)+)\)\s*$"
)


def _names_in_brackets(actions: list[Action]) -> None:
    """An owner the document names in brackets is that person, even when they did not
    attend: "the head of prevention (Jo Bloggs)" -> Jo Bloggs."""
    for a in actions:
        if a.owner and not a.owner_name and (m := BRACKETED_NAME.search(a.owner)):
            a.owner_name = m.group("name")
        if a.for_ and not a.for_name and (m := BRACKETED_NAME.search(a.for_)):
            a.for_name = m.group("name")


def _add_unlisted_speakers(people: list[Attendee], statements: list[Statement]) -> None:
    """A person who speaks with a full name but is not in the attendance was there:
    add them (in attendance, role unknown)."""
    known = {p.name.lower() for p in people}
    for s in statements:
        name = s.speaker
        if not name or name.lower() in known or s.act == ":" or s.members:
            continue
        if split_title(s.mention)[0] is None:
            continue  # only "Mr Lee Lamb reported": a titled full name
        if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?", name):
            people.append(Attendee(name=name, status="in attendance"))
            known.add(name.lower())
