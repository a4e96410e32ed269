"""Gazetteers and the topic thesaurus, loaded from the Turtle in `ontology/`.

The Turtle files are the source of truth; this module parses them once (rdflib,
cached) into plain `GazetteerEntry` dataclasses and offers a `Matcher` that finds
every entry a text mentions:

    from ingest.gazetteer import Matcher, places
    [m.surface for m in Matcher(places()).find("Officers in Hereford and Shropshire")]
    # ['Hereford', 'Shropshire']

Matching is by whole words, leftmost-longest. Case rules: an abbreviation ("MCC",
"PEEL") must match exactly; a proper name must keep the capitals it has in the
gazetteer ("Hereford", not "hereford"); an all-lowercase label matches in any case.
Topics (common nouns) ignore case except for their abbreviations.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "GazetteerEntry",
    "Match",
    "Matcher",
    "entry",
    "is_abbreviation",
    "organisations",
    "places",
    "topics",
]

NS = "https://w3id.org/govkg/ns#"
BASE = "https://w3id.org/govkg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG = "http://www.w3.org/ns/org#"

PLACE, ORGANISATION, TOPIC = "place", "organisation", "topic"

_LINKS = ("within", "governs", "area", "covers", "withinForce")
"""gkg: properties that tie an entry to places; followed to judge abbreviations."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One place, organisation or topic of the gazetteers.

    `id` is the IRI path under the data BASE ("place/shropshire", "org/hmicfrs",
    "topic/domestic-abuse"). `type` is the finer kind: the gkg:placeType of a place
    ("ceremonial county", "town", "local policing area" ...), the class of an
    organisation ("LocalAuthority", "PoliceForce", "Organization") or "concept".
    `links` are the ids of places the entry is tied to (within, governs, area,
    covers, withinForce); empty when none.
    """

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    type: str = ""
    kind: str = PLACE
    hidden_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    """Ids of broader topics; empty for a top concept or a non-topic."""
    top: bool = False
    """True for a topic that is a top concept of gkg:Topics."""
    links: tuple[str, ...] = ()
    former: bool = False
    """True for a body that no longer exists (it has a skos:historyNote)."""

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label that names the entry: pref, alt and hidden."""
        return (self.label, *self.alt_labels, *self.hidden_labels)


@dataclass(frozen=True)
class Match:
    """A mention found by `Matcher.find`: `text[start:end] == surface`."""

    start: int
    end: int
    surface: str
    label: str
    """The gazetteer label that matched (pref, alt or hidden)."""
    entries: tuple[GazetteerEntry, ...] = field(default=())
    """Every entry carrying that label (abbreviations and names collide)."""

    @property
    def abbreviation(self) -> bool:
        return is_abbreviation(self.label)


# --- loading ----------------------------------------------------------------------


def _ontology_dir() -> Path:
    import ontology

    return Path(ontology.__file__).resolve().parent


def _short(iri: str) -> str:
    return iri[len(BASE) :] if iri.startswith(BASE) else iri


def turtle_triples(paths: list[Path]) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) strings of Turtle files, parsed with pyoxigraph
    (~50 ms for every gazetteer; rdflib takes over a second)."""
    import pyoxigraph

    return [
        (q.subject.value, q.predicate.value, q.object.value)
        for path in paths
        for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    ]


@lru_cache(maxsize=1)
def _graph_entries() -> dict[str, GazetteerEntry]:
    """Parse every Turtle file of the gazetteers once; ids -> entries."""
    root = _ontology_dir()
    files = [
        root / "topics.ttl",
        root / "organisations.ttl",
        *sorted((root / "places").glob("*.ttl")),
    ]
    triples = turtle_triples([f for f in files if f.exists()])

    pref: dict[str, str] = {}
    alts: dict[str, list[str]] = {}
    hidden: dict[str, list[str]] = {}
    types: dict[str, set[str]] = {}
    ptype: dict[str, list[str]] = {}
    broader: dict[str, list[str]] = {}
    links: dict[str, list[str]] = {}
    top: set[str] = set()
    former: set[str] = set()
    for subj, pred, obj in triples:
        if not subj.startswith(BASE):
            continue
        key = _short(subj)
        if pred == SKOS + "prefLabel":
            pref[key] = obj
        elif pred == SKOS + "altLabel":
            alts.setdefault(key, []).append(obj)
        elif pred == SKOS + "hiddenLabel":
            hidden.setdefault(key, []).append(obj)
        elif pred == RDF_TYPE:
            types.setdefault(key, set()).add(obj)
        elif pred == NS + "placeType":
            ptype.setdefault(key, []).append(obj)
        elif pred == SKOS + "broader":
            broader.setdefault(key, []).append(_short(obj))
        elif pred == SKOS + "topConceptOf":
            top.add(key)
        elif pred == SKOS + "historyNote":
            former.add(key)
        elif pred.startswith(NS) and pred[len(NS) :] in _LINKS:
            links.setdefault(key, []).append(_short(obj))

    out: dict[str, GazetteerEntry] = {}
    for key, label in pref.items():
        t = types.get(key, set())
        if SKOS + "Concept" in t:
            kind, typ = TOPIC, "concept"
        elif NS + "LocalAuthority" in t:
            kind, typ = ORGANISATION, "LocalAuthority"
        elif NS + "PoliceForce" in t:
            kind, typ = ORGANISATION, "PoliceForce"
        elif ORG + "Organization" in t:
            kind, typ = ORGANISATION, "Organization"
        elif NS + "LocalPolicingArea" in t:
            kind, typ = PLACE, "local policing area"
        elif NS + "Place" in t:
            kind, typ = PLACE, _place_type(ptype.get(key, []))
        else:
            continue
        out[key] = GazetteerEntry(
            id=key,
            label=label,
            alt_labels=tuple(dict.fromkeys(alts.get(key, []))),
            type=typ,
            kind=kind,
            hidden_labels=tuple(dict.fromkeys(hidden.get(key, []))),
            broader=tuple(sorted(set(broader.get(key, [])))),
            top=key in top,
            links=tuple(sorted(set(links.get(key, [])))),
            former=key in former,
        )
    return out


_TYPE_ORDER = ("city", "town", "county", "ceremonial county", "unitary", "metropolitan borough")


def _place_type(values: list[str]) -> str:
    """A place typed twice (a town that is also a district) keeps the settlement type."""
    for t in _TYPE_ORDER:
        if t in values:
            return t
    return sorted(values)[0] if values else "area"


def _of_kind(kind: str) -> list[GazetteerEntry]:
    return [e for e in _graph_entries().values() if e.kind == kind]


def places() -> list[GazetteerEntry]:
    """Every gkg:Place (countries, regions, counties, settlements, LPAs, landscapes)."""
    return _of_kind(PLACE)


def organisations() -> list[GazetteerEntry]:
    """Every organisation: national bodies, police forces and local authorities."""
    return _of_kind(ORGANISATION)


def topics() -> list[GazetteerEntry]:
    """Every concept of the gkg:Topics thesaurus."""
    return _of_kind(TOPIC)


def entry(id: str) -> GazetteerEntry | None:
    """The entry with this id ("place/shropshire"), or None."""
    return _graph_entries().get(id)


# --- matching ---------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|&")
_GAP = re.compile(r"[ \t\r\n'’\-‐–.,/]{0,4}")


@functools.lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    """Lower case without accents; "&" reads as "and". Cached: tokens repeat a lot."""
    token = unicodedata.normalize("NFKD", token)
    token = "".join(c for c in token if not unicodedata.combining(c)).lower()
    return "and" if token == "&" else token


def is_abbreviation(label: str) -> bool:
    """True for short forms such as "MCC", "PEEL", "MoJ", "B&NES", "T/CC", "999"."""
    compact = re.sub(r"[\s&/.'’\-]", "", label)
    if not compact or " " in label.strip():
        return False
    if compact.isdigit():
        return True
    uppers = sum(c.isupper() for c in compact)
    return uppers >= 2 and uppers >= len(compact) / 2


def _token_ok(label_token: str, text_token: str, loose: bool) -> bool:
    """Case rule for one token pair (already equal when folded)."""
    if label_token.isdigit():
        return True
    if is_abbreviation(label_token) and len(label_token) > 1:
        return label_token == text_token
    if loose or label_token == label_token.lower():
        return True
    return text_token[:1].isupper()


class Matcher:
    """Find gazetteer entries mentioned in a text.

    Args:
        entries: the entries to look for.
        ignore_case: match non-abbreviation labels in any case (used for topics,
            whose labels are common nouns).
    """

    def __init__(self, entries: list[GazetteerEntry], *, ignore_case: bool = False) -> None:
        self.ignore_case = ignore_case
        self._index: dict[tuple[str, ...], list[tuple[str, GazetteerEntry]]] = {}
        self.max_len = 1
        for e in entries:
            for label in dict.fromkeys(e.labels):
                toks = tuple(_fold(t) for t in _TOKEN.findall(label))
                if not toks:
                    continue
                self._index.setdefault(toks, []).append((label, e))
                self.max_len = max(self.max_len, len(toks))
        self._first = {toks[0] for toks in self._index}

    def find(self, text: str, *, loose: bool = False) -> list[Match]:
        """All mentions, left to right, longest first, without overlaps.

        `loose=True` also accepts proper names written in lower case (for
        closed-caption transcripts); abbreviations still need their exact case.
        """
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        folded = [_fold(t[2]) for t in toks]
        out: list[Match] = []
        i = 0
        while i < len(toks):
            found = None
            if folded[i] not in self._first:  # most words start no label
                i += 1
                continue
            for n in range(min(self.max_len, len(toks) - i), 0, -1):
                cands = self._index.get(tuple(folded[i : i + n]))
                if not cands or not self._gaps_ok(text, toks, i, n):
                    continue
                ok = [(lab, e) for lab, e in cands if self._case_ok(lab, toks[i : i + n], loose)]
                if ok:
                    start, end = toks[i][0], toks[i + n - 1][1]
                    label = ok[0][0]
                    entries = tuple(dict.fromkeys(e for _lab, e in ok))
                    found = Match(start, end, text[start:end], label, entries)
                    i += n
                    break
            if found is None:
                i += 1
            else:
                out.append(found)
        return out

    @staticmethod
    def _gaps_ok(text: str, toks: list[tuple[int, int, str]], i: int, n: int) -> bool:
        for k in range(i, i + n - 1):
            gap = text[toks[k][1] : toks[k + 1][0]]
            if not _GAP.fullmatch(gap) or gap.count("\n") > 1:
                return False
        return True

    def _case_ok(self, label: str, toks: list[tuple[int, int, str]], loose: bool) -> bool:
        label_toks = _TOKEN.findall(label)
        if len(label_toks) != len(toks):
            return False
        if is_abbreviation(label):
            return all(a == b[2] for a, b in zip(label_toks, toks, strict=True))
        return all(
            _token_ok(a, b[2], loose or self.ignore_case)
            for a, b in zip(label_toks, toks, strict=True)
        )


@lru_cache(maxsize=4)
def matcher(kind: str) -> Matcher:
    """A cached `Matcher` over all entries of one kind (place | organisation | topic)."""
    return Matcher(_of_kind(kind), ignore_case=kind == TOPIC)
