"""People in one document: finding mentions in text and resolving them to attendees.

A mention is how the minutes name someone at one point: "Cllr Ives", "the T/CC",
"PCC", "Mr Mace", "the Chair", "RH" (initials never defined in the document),
"Nash:" in a transcript. `People` knows the attendance list of one document and
resolves a mention to one `Attendee`, or to None when it is ambiguous or unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.models import Attendee
from ingest.roles import canonical_role, role_labels

__all__ = ["People", "Mention", "TITLES", "strip_titles", "split_title"]

# Honorifics and office words written before a name. Longest first so that
# "County Cllr" wins over "Cllr". Kept here (not in ontology/) because they are
# grammar of English minutes, not facts about the world.
TITLES = sorted(
    [
        "County Councillor",
        "County Cllr",
        "Borough Councillor",
        "Borough Cllr",
        "District Councillor",
        "District Cllr",
        "City Councillor",
        "City Cllr",
        "Town Councillor",
        "Town Cllr",
        "Parish Councillor",
        "Parish Cllr",
        "Councillor",
        "Cllrs",
        "Cllr",
        "Councillors",
        "Cllr.",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Prof",
        "Professor",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "Rev",
        "Revd",
        "Reverend",
        "Canon",
        "Chairman",
        "Chairwoman",
        "Vice-Chairman",
        "Vice Chairman",
        "Mayor",
        "Deputy Mayor",
        "Commissioner",
        "Commissioners",
        "Alderman",
        "Chief Constable",
        "Deputy Chief Constable",
        "Assistant Chief Constable",
        "Chief Superintendent",
        "Ch Supt",
        "Superintendent",
        "Supt",
        "Chief Inspector",
        "Ch Insp",
        "Inspector",
        "Insp",
        "Sergeant",
        "Sgt",
        "Constable",
        "PC",
        "PCSO",
        "CSO",
        "DC",
        "DS",
        "DI",
        "DCI",
        "T/Supt",
        "T/Insp",
        "A/Insp",
        "A/Supt",
    ],
    key=len,
    reverse=True,
)
_TITLE_RE = re.compile(
    r"^(?P<title>(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?)\s+(?P<rest>.+)$"
)


def split_title(name: str) -> tuple[str | None, str]:
    """Split a leading honorific/office from a name: "Cllr D Ashby" -> ("Cllr", "D Ashby")."""
    name = name.strip()
    title = None
    while True:
        m = _TITLE_RE.match(name)
        if not m:
            return title, name
        title = (title + " " if title else "") + m.group("title").rstrip(".")
        name = m.group("rest").strip()


def strip_titles(name: str) -> str:
    return split_title(name)[1]


@dataclass
class Mention:
    """One place in a text where a person (or group) is named."""

    start: int
    end: int
    text: str
    """As written ("the T/CC", "Cllr Ives")."""
    person: Attendee | None
    """The attendee it resolves to; None when unknown or ambiguous."""


_GENERIC_ROLES = {
    "councillor",
    "member of the public",
    "commissioner",
    "officer",
    "manager",
    "director",
}
"""Roles many attendees share: naming one of them alone never identifies a person."""


def _role_parts(role: str) -> set[str]:
    """The parts of a role text that are roles: "Chief Executive, OPCC" -> {"chief executive"}
    (the body after the comma is not a role, so "the OPCC" never names this person)."""
    parts = [p for p in re.split(r"\s*[(),;]\s*", role) if p]
    out = {_norm(parts[0])} if parts else set()
    out |= {_norm(p) for p in parts[1:] if canonical_role(p)}
    return out


def _roles_in(role: str) -> set[str]:
    """Canonical roles named in an attendee's role text: "Councillor (Chair)" -> both."""
    parts = re.split(r"\s*[(),;]\s*", role)
    return {c for p in parts if p and (c := canonical_role(p))}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").replace("&", "and")).strip().lower()


class People:
    """The people of one document, with every way the document may refer to them."""

    def __init__(self, attendees: Iterable[Attendee]) -> None:
        self.attendees = list(attendees)
        self._keys: dict[str, list[Attendee]] = {}
        for a in self.attendees:
            for key in self._keys_for(a):
                bucket = self._keys.setdefault(key, [])
                if a not in bucket:
                    bucket.append(a)
        self._pattern = self._compile()

    # -- building -------------------------------------------------------------
    @staticmethod
    def _keys_for(a: Attendee) -> set[str]:
        keys: set[str] = set()
        name = strip_titles(a.name)
        parts = [p for p in re.split(r"\s+", name) if p]
        if name:
            keys.add(_norm(name))
        if len(parts) >= 2:
            surname = parts[-1]
            keys.add(_norm(surname))
            # initials: "Sam Roe" -> "RC"; "J A Penn" -> "JAT", "JT"
            initials = "".join(p[0] for p in parts if p[0].isalpha()).upper()
            if len(initials) >= 2:
                keys.add(initials.lower())
                keys.add((initials[0] + initials[-1]).lower())
            keys.add(_norm(parts[0] + " " + surname))
        elif parts and parts[0][0].isupper():
            keys.add(_norm(parts[0]))
        if a.abbrev:
            keys.add(_norm(a.abbrev))
            keys.add(_norm(a.abbrev.replace("/", "")))
        if a.role:
            keys.add(_norm(a.role))
            keys.add(_norm(re.sub(r"\s*/\s*", "/", a.role)))
            # every way of writing the roles they hold: "Chair" -> "Chairman", "Chairwoman"
            for canon in _roles_in(a.role):
                if canon.lower() not in _GENERIC_ROLES:
                    keys.update(
                        _norm(label) for label, pref in role_labels().items() if pref == canon
                    )
            # the head noun of a role: "the Commissioner" for the Police and Crime Commissioner
            for part in _role_parts(a.role):
                head = part.split(" ")[-1]
                if head != part and canonical_role(head):
                    keys.add(head)
        return {k for k in keys if k}

    def _compile(self) -> re.Pattern[str] | None:
        keys = sorted(self._keys, key=len, reverse=True)
        if not keys:
            return None
        alts = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
        title = "|".join(re.escape(t) for t in TITLES)
        return re.compile(
            r"(?<![\w/])(?:(?:the|The)\s+)?(?:(?:"
            + title
            + r")\.?\s+)?(?P<key>"
            + alts
            + r")(?![\w/])",
            re.I,
        )

    # -- questions --------------------------------------------------------------
    def resolve(self, mention: str) -> Attendee | None:
        """The one attendee a written mention names; None when unknown or ambiguous."""
        m = mention.strip().strip(".,:;")
        m = re.sub(r"^(?:the|The)\s+", "", m)
        title, rest = split_title(m)
        for key in (_norm(m), _norm(rest), _norm(rest.replace(".", ""))):
            found = self._keys.get(key)
            if found and len(found) > 1:
                # "MH" for Mike H (present) and Marion H (sent apologies): absent people
                # do not speak or take on work at the meeting
                there = [a for a in found if a.status != "apologies"]
                found = there or found
            if found and len(found) == 1:
                return found[0]
            if found and title:
                narrowed = [a for a in found if a.title and title.lower() in a.title.lower()]
                if len(narrowed) == 1:
                    return narrowed[0]
        # a role word alone: "the Chair", "the Clerk", "the Chairman" (for "Cllr A (Chair)")
        if not title and rest:
            role_hits = [a for a in self.attendees if a.role and _norm(rest) in _role_parts(a.role)]
            if len(role_hits) == 1:
                return role_hits[0]
            wanted = canonical_role(rest)
            if wanted and not role_hits:
                role_hits = [a for a in self.attendees if a.role and wanted in _roles_in(a.role)]
                if len(role_hits) == 1:
                    return role_hits[0]
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a known person in `text`, left to right."""
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            key = m.group("key")
            # a surname or initials must be capitalised as written to count
            if not any(c.isupper() for c in key):
                continue
            out.append(Mention(m.start(), m.end(), m.group(0), self.resolve(m.group(0))))
        return out

    def display(self, mention: str) -> tuple[str, str | None]:
        """("T/CC (Sam Roe)", "Sam Roe") for a mention; unresolved -> (mention, None)."""
        person = self.resolve(mention)
        written = re.sub(r"^(?:the|The)\s+", "", mention.strip())
        if person is None:
            return written, None
        full = person.name
        bare = re.sub(r"^the\s+", "", _norm(full))
        if _norm(strip_titles(written)) in (_norm(full), bare) or _norm(written) in (
            _norm(full),
            bare,
        ):
            return written, full
        return f"{written} ({full})", full
