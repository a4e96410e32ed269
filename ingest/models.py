"""Plain dataclasses passed between the ingest stages.

`MinutesRecord` is what `govkg extract FILE --json` prints (the contract in
ARCHITECTURE.md). Every field that the document does not state is `None` (or an
empty list); the extractor never invents a value to fill a gap.

Spans are `(start, end)` character offsets into `SourceText.text`, the text that
`ingest.read` produced for the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]


# --- controlled values -----------------------------------------------------------

PRESENT = "present"
"""Recorded as present (members, officers, invited presenters)."""
APOLOGIES = "apologies"
"""Sent apologies or recorded absent: never counted as an attendee of the meeting."""
IN_ATTENDANCE = "in attendance"
"""Listed under 'in attendance' / 'also present' (officers, public, press)."""

EXPLICIT = "explicit"
"""An action written as one: 'ACTION: ...', 'Clerk to ...', an action-table row."""
COMMITMENT = "commitment"
"""An undertaking read from a statement: 'X will ...', 'X agreed to ...', 'aims to ...'."""


@dataclass
class SourceText:
    """The decoded text of one file and how to map offsets back into it.

    `text` is what every span points into. `line_starts[i]` is the offset in
    `text` where line i+1 begins, so a span can be shown as a line number.
    `raw_offset(i)` maps a text offset back to a byte offset in the file.
    """

    path: str
    sha256: str
    format: str
    text: str
    encoding: str = "utf-8"
    line_starts: list[int] = field(default_factory=list)
    headings: list[Span] = field(default_factory=list)
    """Spans of lines that markup marks as headings (Markdown #, bold lines, <h1>-<h6>)."""
    title_hint: str | None = None
    """A title from metadata (front matter, HTML <title>); never trusted over the text."""
    date_hint: str | None = None
    """A date from metadata (front matter); often the publishing date, not the meeting's."""

    pages: list[int] = field(default_factory=list)
    """Offsets where each page begins (PDF); empty for formats without pages."""
    positions: list[tuple[int, int, float, float, float, float]] = field(default_factory=list)
    """Where each line sits on its page (PDF): (offset of the line in `text`, 1-based page,
    x0, top, x1, bottom in PDF points from the top-left), sorted by offset."""

    def position_of(self, offset: int) -> tuple[int, float, float, float, float] | None:
        """(page, x0, top, x1, bottom) of the line holding `offset`; None without layout."""
        import bisect

        i = bisect.bisect_right([p[0] for p in self.positions], offset) - 1
        return self.positions[i][1:] if i >= 0 else None

    def index_lines(self) -> None:
        """Fill `line_starts` from the text."""
        import re

        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    def page_of(self, offset: int) -> int | None:
        """1-based page holding `offset`, or None when the format has no pages."""
        import bisect

        return bisect.bisect_right(self.pages, offset) if self.pages else None

    def line_of(self, offset: int) -> int:
        """1-based line number holding `offset`."""
        import bisect

        return bisect.bisect_right(self.line_starts, offset)


@dataclass
class Paragraph:
    """One block of running text inside an agenda item (internal to ingest)."""

    text: str
    start: int
    end: int
    item: int | None = None
    """Index into MinutesRecord.agenda_items; None before the first item."""
    page: int | None = None
    """The source page where it begins (PDF); None for formats without pages."""


@dataclass
class Source:
    path: str
    sha256: str
    format: str


@dataclass
class NextMeeting:
    kind: str | None = None
    date: str | None = None
    time: str | None = None
    venue: str | None = None


@dataclass
class Meeting:
    title: str | None = None
    date: str | None = None
    """ISO date "YYYY-MM-DD" of the meeting itself (not the publishing date)."""
    body: str | None = None
    """The organisation whose meeting this is; may be inferred from the title."""
    kind: str | None = None
    """e.g. "performance", "council", "board", "committee", "panel"."""
    venue: str | None = None
    chair: str | None = None
    minutes_by: str | None = None
    next: NextMeeting | None = None


@dataclass
class Attendee:
    name: str
    """As written, titles dropped ("D Ashby", "Judd", "the Clerk")."""
    role: str | None = None
    abbrev: str | None = None
    """Only when the document gives the short form for this person ("T/CC")."""
    organisation: str | None = None
    status: str = PRESENT
    title: str | None = None
    """Honorific or office word written before the name ("Cllr", "Mrs", "Inspector")."""
    span: Span | None = None


@dataclass
class AgendaItem:
    title: str
    parent: int | None = None
    """Index of the parent item in MinutesRecord.agenda_items; None at top level."""
    topics: list[str] = field(default_factory=list)
    number: str | None = None
    """The item's number or minute reference as printed ("2674", "4.1"); None if unnumbered."""
    span: Span | None = None
    page: int | None = None
    """The source page where it begins (PDF); None for formats without pages."""


@dataclass
class Statement:
    speaker: str | None
    """Full name of the resolved speaker; None when the mention could not be resolved."""
    mention: str
    """The speaker as written at that point ("T/CC", "Cllr Ives", "Members")."""
    act: str
    """The reporting verb as written ("asked", "stated", "raised", ":" for transcripts)."""
    text: str
    item: int | None = None
    span: Span = (0, 0)
    page: int | None = None
    """The source page where it begins (PDF); None for formats without pages."""
    members: list[str] = field(default_factory=list)
    """For a collective speaker ("Councillors", "the Board"): the attendees it stands for.
    `speaker` is then the group as written with the members in brackets."""


@dataclass
class Action:
    text: str
    owner: str | None = None
    """Who is to do it, as written, with the resolved name in brackets: "T/CC (Sam Roe)"."""
    for_: str | None = None
    """Who the output is owed to (JSON key "for"); None when not stated."""
    due: str | None = None
    """ISO date when explicit, else the phrase as written ("next meeting"), else None."""
    kind: str = EXPLICIT
    ref: str | None = None
    item: int | None = None
    span: Span = (0, 0)
    owner_name: str | None = None
    """The resolved full name of a person owner (for the graph), None for bodies/unknown."""
    page: int | None = None
    """The source page where it begins (PDF); None for formats without pages."""
    for_name: str | None = None


@dataclass
class Place:
    name: str
    type: str = "area"
    """lpa | area | building | force | authority | settlement."""
    id: str | None = None
    """Gazetteer identifier (slug) when the place is in ontology/places/."""


@dataclass
class Organisation:
    name: str
    abbrev: str | None = None


@dataclass
class MinutesRecord:
    source: Source
    meeting: Meeting
    attendees: list[Attendee] = field(default_factory=list)
    """Everyone recorded as present or in attendance."""
    apologies: list[Attendee] = field(default_factory=list)
    """People who sent apologies or were absent: kept apart from the attendees."""
    agenda_items: list[AgendaItem] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    """Every paragraph of running text (for the index and the meeting page)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `govkg extract --json`."""
        data = asdict(self)
        for action in data["actions"]:
            action["for"] = action.pop("for_")
            action["for_name"] = action.pop("for_name")
        for item in data["agenda_items"]:
            item["parent"] = (
                self.agenda_items[item["parent"]].title if item["parent"] is not None else None
            )
        for key in ("statements", "actions"):
            for entry in data[key]:
                idx = entry["item"]
                entry["item"] = self.agenda_items[idx].title if idx is not None else None
                entry["span"] = list(entry["span"])
        data["paragraphs"] = [
            {"text": p.text, "span": [p.start, p.end], "item": p.item, "page": p.page}
            for p in self.paragraphs
        ]
        return data


EXAMPLE_RECORD = MinutesRecord(
    source=Source(path="minutes.txt", sha256="0" * 64, format="txt"),
    meeting=Meeting(title="Quarterly performance", date="2024-09-03", chair="Jane Doe"),
    attendees=[
        Attendee(name="Jane Doe", role="Police and Crime Commissioner", abbrev="PCC"),
        Attendee(name="Sam Roe", role="Chief Constable", abbrev="CC"),
    ],
    agenda_items=[AgendaItem(title="Custody")],
    statements=[
        Statement(speaker="Jane Doe", mention="PCC", act="asked", text="The PCC asked ...", item=0)
    ],
    actions=[
        Action(
            text="CC to report on custody checks by the next meeting.",
            owner="CC (Sam Roe)",
            owner_name="Sam Roe",
            for_="PCC (Jane Doe)",
            for_name="Jane Doe",
            due="next meeting",
            item=0,
        )
    ],
)
"""A small complete record, for docs and tests."""
