"""Statements: who said what, attributed through the document's own people.

Minutes report speech in the third person ("The T/CC stated that ...", "Cllr Ives
re safe speed. ...", "PCC asked if ..."); transcripts write "Name: words". A statement
runs from its speaker's mention to the next statement in the same paragraph.
"""

from __future__ import annotations

import re

from ingest.models import Paragraph, Statement
from ingest.people import TITLES, People

__all__ = ["find_statements", "find_transcript_turns", "REPORTING_VERBS"]

REPORTING_VERBS = frozenset(
    {
        "accepted",
        "acknowledged",
        "added",
        "advised",
        "agreed",
        "announced",
        "answered",
        "argued",
        "asked",
        "asks",
        "assured",
        "believed",
        "believes",
        "brought",
        "challenged",
        "circulated",
        "clarified",
        "commented",
        "confirmed",
        "congratulated",
        "considered",
        "considers",
        "criticised",
        "decided",
        "declared",
        "declined",
        "described",
        "discussed",
        "emphasised",
        "emphasized",
        "enquired",
        "explained",
        "explains",
        "expressed",
        "feels",
        "felt",
        "gave",
        "had",
        "has",
        "highlighted",
        "hoped",
        "indicated",
        "informed",
        "inquired",
        "introduced",
        "invited",
        "is",
        "made",
        "mentioned",
        "moved",
        "noted",
        "notes",
        "observed",
        "offered",
        "outlined",
        "outlines",
        "pointed",
        "praised",
        "presented",
        "promised",
        "proposed",
        "provided",
        "provides",
        "queried",
        "questioned",
        "raised",
        "re",
        "received",
        "recognised",
        "recognized",
        "recommended",
        "referred",
        "reiterated",
        "remarked",
        "replied",
        "reported",
        "reports",
        "requested",
        "resolved",
        "responded",
        "said",
        "says",
        "seconded",
        "sought",
        "spoke",
        "stated",
        "states",
        "suggested",
        "summarised",
        "summarized",
        "tabled",
        "thanked",
        "thinks",
        "thought",
        "told",
        "undertook",
        "updated",
        "urged",
        "voted",
        "warned",
        "was",
        "welcomed",
        "will",
        "wished",
        "would",
    }
)

WEAK_VERBS = frozenset({"will", "would", "is", "was", "has", "had", "re", "made", "felt", "moved"})
"""Verbs that also follow a name that is not speaking ("the PCC is", "as Cllr A had")."""


def _is_reporting(word: str) -> bool:
    """A reporting verb: one of the list, or a past tense ("circulated", "welcomed")."""
    return word in REPORTING_VERBS or (len(word) > 4 and word.endswith("ed"))


# a collective speaker: "Members", "the Board", "Councillors"
COLLECTIVE = re.compile(
    r"(?:(?:^|(?<=[.;!?]))\s*(?P<who>(?:The\s+|the\s+)?(?:Members|Councillors|Board|Committee|Panel|"
    r"Trustees|Council|Directors))|(?<=\s)(?P<who2>the\s+(?:Members|Councillors|Board|Committee|"
    r"Panel|Trustees|Directors)(?=\s+(?:resolved|agreed|decided|noted|approved|voted)\b)))"
    r"\s+(?P<act>[a-z]+)\b"
)
"""A group speaking: at the start of a sentence, or mid-sentence with a verb of decision
("... after discussion the Councillors resolved to ...")."""


def find_statements(paragraphs: list[Paragraph], people: People, text: str) -> list[Statement]:
    """Statements in running paragraphs, in document order."""
    out: list[Statement] = []
    for para in paragraphs:
        starts: list[
            tuple[int, int, str, str, str | None]
        ] = []  # (start, act_end, mention, act, name)
        for m in people.mentions(para.text):
            after = para.text[m.end :]
            am = re.match(r"\s+(?:(?:has|had|was|is)\s+)?(?P<act>[a-z]+)\b", after)
            if not am or not _is_reporting(am.group("act")):
                continue
            # mid-sentence only with a verb of speech: "In relation to this PC gave an update"
            if not _at_clause_start(para.text, m.start) and am.group("act") in WEAK_VERBS:
                continue
            name = m.person.name if m.person else None
            starts.append((m.start, m.end + am.end(), m.text, am.group("act"), name))
        starts.extend(_unknown_speakers(para.text, people))
        for c in COLLECTIVE.finditer(para.text):
            who = "who" if c.group("who") else "who2"
            if _is_reporting(c.group("act")):
                starts.append(
                    (c.start(who), c.end(), c.group(who), c.group("act"), COLLECTIVE_MARK)
                )
        starts.sort(key=lambda s: (s[0], s[1]))
        dedup: list[tuple[int, int, str, str, str | None]] = []
        for s in starts:
            if dedup and s[0] < dedup[-1][1]:
                continue
            dedup.append(s)
        for i, (start, _act_end, mention, act, name) in enumerate(dedup):
            end = dedup[i + 1][0] if i + 1 < len(dedup) else len(para.text)
            body = para.text[start:end].rstrip(" ,;")
            a = para.start + start
            members: list[str] = []
            if name == COLLECTIVE_MARK:
                group = re.sub(r"^(?:the|The)\s+", "", mention).strip()
                members = _members_of(group, people)
                name = f"{mention.strip()} ({', '.join(members)})" if members else mention.strip()
            out.append(
                Statement(
                    members=members,
                    speaker=name,
                    mention=re.sub(r"^(?:the|The)\s+", "", mention).strip(),
                    act=act,
                    text=body,
                    item=para.item,
                    span=(a, a + len(body)),
                )
            )
    return out


COLLECTIVE_MARK = "\x00collective"


def _members_of(group: str, people: People) -> list[str]:
    """The attendees a collective speaker stands for: councillors for "Councillors",
    everyone recorded present for "Members", "the Board", "the Committee"."""
    present = [a for a in people.attendees if a.status == "present"]
    if group.lower().startswith("councillor"):
        present = [a for a in present if re.search(r"councillor|cllr", f"{a.role} {a.title}", re.I)]
    return [a.name for a in present]


def _at_clause_start(text: str, pos: int) -> bool:
    """A speaker's mention opens its sentence or clause ("..., the T/DCC believed")."""
    before = text[:pos].rstrip()
    if not before:
        return True
    return before[-1] in ".;:!?,–-(" or before.endswith((" and", " but", " while", " whilst"))


_TITLE_ALT = "|".join(re.escape(t) for t in TITLES)
UNKNOWN = re.compile(
    rf"(?:^|(?<=[.;!?]))\s*(?P<who>(?:(?:{_TITLE_ALT})\.?\s+)(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?P<act>[a-z]+)\b"
)


def _unknown_speakers(text: str, people: People) -> list[tuple[int, int, str, str, str | None]]:
    """Titled speakers not in the attendance ("Mr Lee Lamb reported ..."): kept as written."""
    out: list[tuple[int, int, str, str, str | None]] = []
    for m in UNKNOWN.finditer(text):
        if m.group("act") not in REPORTING_VERBS:
            continue
        if people.resolve(m.group("who")) is not None:
            continue
        who = m.group("who")
        out.append(
            (
                m.start("who"),
                m.end(),
                who,
                m.group("act"),
                re.sub(rf"^(?:{_TITLE_ALT})\.?\s+", "", who),
            )
        )
    return out


TURN = re.compile(
    r"(?:(?<=\s\s)|(?<=^)|(?<=\n)|(?<=[.?!\]]\s))(?P<label>(?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w'’-]+"
    r"(?:,\s[^:\n]{2,90}?)?|\*{3,}):\s+(?=\S)"
)


def find_transcript_turns(text: str, start: int, people: People) -> list[Statement]:
    """Turns of a transcript ("Nash: Good morning ..."), from offset `start` on."""
    turns = []
    hits = [m for m in TURN.finditer(text, start) if _speaker_label(m.group("label"))]
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        label = m.group("label")
        name_part = label.split(",")[0].strip()
        person = people.resolve(name_part)
        speaker = person.name if person else (None if name_part.startswith("*") else name_part)
        body = text[m.end() : end].rstrip()
        if not body:
            continue  # a label with no words (the caption lost them)
        turns.append(
            Statement(
                speaker=speaker,
                mention=label,
                act=":",
                text=body,
                item=None,
                span=(m.end(), m.end() + len(body)),
            )
        )
    return turns


NOT_SPEAKERS = re.compile(
    r"^(disposition|key|note|item|items|motion|action|re|subject|date|time|by|from|to|cc|"
    r"whereas|agenda|communications|resolved|ordinance|report|attachment|phone|email|tel|web)$",
    re.I,
)


def _speaker_label(label: str) -> bool:
    head = label.split(",")[0].strip()
    if head.startswith("*"):
        return True
    words = head.split()
    if not words or NOT_SPEAKERS.match(words[-1]) or NOT_SPEAKERS.match(words[0]):
        return False
    if head.isupper() and len(head) > 3:
        return False  # "OFFICIAL MINUTES:", headings
    return all(w[0].isupper() for w in words)
