"""Deterministic IRIs for the things a MinutesRecord describes.

Every data IRI is ``{BASE}{type}/{slug}`` (ARCHITECTURE.md: ``{BASE}id/{type}/{slug}``,
so BASE ends in ``id/``). BASE defaults to ``https://w3id.org/govkg/id/`` and can be
changed with the environment variable ``GOVKG_BASE`` (read at call time).

The scheme (``m`` is a meeting's slug):

=================  ============================================================
document           ``document/{sha256}``  (the named graph of its triples)
meeting            ``meeting/{slug(body)}-{date}``; no body: the title's slug;
                   no date: ``-{sha256[:8]}`` instead of the date
person             ``person/{slug(name without honorifics)}``; a one-word name
                   ("Judd", "Clerk") is ``person/{slug(body)}-{slug(name)}``
agenda item        ``item/{m}-{n}``        n = 1-based position in the record
statement          ``statement/{m}-{n}``
action             ``action/{m}-{n}``
membership         ``membership/{m}-{n}``  n = 1-based attendee position
next meeting       ``meeting/{m}-next``
role               ``role/{slug(label)}``
organisation       ``org/{slug(name)}`` (as in ontology/organisations.ttl); a one-word
                   name is body-scoped like a person ("Council" -> ``org/{body}-council``)
place              ``{Place.id}`` when the gazetteer knows it (ids are paths under
                   BASE: "place/lpa-herefordshire"), else ``place/{slug(name)}``
topic              ``topic/{slug(label)}``
=================  ============================================================

A full name is one node across meetings and bodies ("Jane Doe" is the same person
everywhere); a surname alone is too weak for that, so it is one node per body.
"""

from __future__ import annotations

import os
import re
import unicodedata

from pyoxigraph import NamedNode

__all__ = [
    "BASE_DEFAULT",
    "base",
    "slug",
    "person_name",
    "document_iri",
    "meeting_iri",
    "person_iri",
    "part_iri",
    "next_meeting_iri",
    "role_iri",
    "organisation_iri",
    "place_iri",
    "topic_iri",
]

BASE_DEFAULT = "https://w3id.org/govkg/id/"


def base() -> str:
    """The data IRI base: ``$GOVKG_BASE`` or BASE_DEFAULT, always ending in '/'."""
    value = os.environ.get("GOVKG_BASE") or BASE_DEFAULT
    return value if value.endswith(("/", "#")) else value + "/"


def slug(text: str | None) -> str:
    """Normalise text for an IRI: ASCII, lower case, words joined by hyphens.

    >>> slug("T/ Chief Constable (Temporary)")
    't-chief-constable-temporary'
    >>> slug("Ysgol Gymraeg Caerffili — Café")
    'ysgol-gymraeg-caerffili-cafe'
    """
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def person_name(name: str) -> str:
    """A name as written minus honorifics, a leading "the", dots and extra spaces.

    "Cllr Mrs Kemp" -> "Kemp"; "Cllr D. Ashby" -> "D Ashby"."""
    from ingest.people import strip_titles

    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    # one spelling per slug as far as possible ("D. Ashby" = "D Ashby"), because
    # a person node carries exactly one foaf:name across all documents
    name = strip_titles(name).replace(".", " ")
    return " ".join(name.split()).strip(" ,;:")


def _iri(kind: str, key: str) -> NamedNode:
    return NamedNode(f"{base()}{kind}/{key}")


def document_iri(sha256: str) -> NamedNode:
    """The source document, which is also the named graph of its triples."""
    return _iri("document", sha256.lower())


def meeting_iri(
    body: str | None, date: str | None, sha256: str, title: str | None = None
) -> NamedNode:
    """A meeting: its body and date; the title stands in for the body, a hash for the date."""
    key = slug(body) or slug(title) or "meeting"
    suffix = slug(date) if date else sha256.lower()[:8]
    return _iri("meeting", f"{key}-{suffix}")


def _scoped(name: str, body: str | None, scope: str) -> str:
    """A slug; one-word names get the body (or `scope` when no body) in front."""
    key = slug(name)
    if "-" in key or not key:
        return key
    return f"{slug(body) or scope}-{key}"


def person_iri(name: str | None, body: str | None, scope: str = "") -> NamedNode | None:
    """A person by normalised full name; a one-word name is scoped to the body.

    Args:
        name: as written; honorifics are dropped ("Cllr Ives" -> "Ives").
        body: the meeting's body, which scopes one-word names.
        scope: used instead of the body when the body is unknown (the meeting slug),
            so an unknown body never merges two different "Ives".

    Returns None when nothing nameable is left.
    """
    if not name:
        return None
    key = _scoped(person_name(name), body, scope)
    return _iri("person", key) if key else None


def part_iri(kind: str, meeting: NamedNode, index: int, sha256: str) -> NamedNode:
    """A part of one document's minutes ("item", "statement", "action", "paragraph",
    "membership") by 0-based index: ``{kind}/{meeting}-{sha256[:8]}-{n}``.

    The document's hash is in it because two documents can record the same meeting (a
    draft and the approved minutes, a file published twice under two dates): their
    statement 3 are two things, while the meeting is one node.
    """
    return _iri(kind, f"{_last(meeting)}-{sha256[:8].lower()}-{index + 1}")


def next_meeting_iri(meeting: NamedNode) -> NamedNode:
    """The next meeting as announced in a meeting's minutes (its date, venue, kind)."""
    return _iri("meeting", f"{_last(meeting)}-next")


def _last(iri: NamedNode) -> str:
    return iri.value.rsplit("/", 1)[-1]


def role_iri(label: str) -> NamedNode:
    return _iri("role", slug(label))


def organisation_iri(name: str, body: str | None = None, scope: str = "") -> NamedNode:
    """An organisation by name; a one-word name ("Council") is scoped to the body."""
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    return _iri("org", _scoped(name, body, scope) or "unnamed")


def place_iri(name: str, place_id: str | None = None) -> NamedNode:
    """A place: the gazetteer's IRI when `place_id` is given, else ``place/{slug(name)}``.

    Gazetteer ids are IRI paths under BASE ("place/lpa-herefordshire", "org/...").
    """
    if place_id and "/" in place_id:
        return NamedNode(base() + place_id.strip("/"))
    return _iri("place", slug(place_id) if place_id else slug(name))


def topic_iri(label: str) -> NamedNode:
    return _iri("topic", slug(label))
