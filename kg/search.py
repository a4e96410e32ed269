"""Search the minutes: one function for the CLI, the web UI and ``/api/search``.

    from kg.indexing import index_dir
    from kg.index import SearchIndex
    from kg.search import search
    with SearchIndex(index_dir("govkg-data"), read_only=True) as ix:
        results = search(ix, 'custody Hereford', sort="date")
        print(results.total, results.hits[0].snippet)   # ... the <mark>Hereford</mark> ...

The query language is in `kg.querylang`. Free-text words and phrases are expanded
with the topic thesaurus (``ontology/topics.ttl``: "DA" also finds "domestic abuse"
and the other way round). A query that cannot be parsed is never an error: the words
are searched instead and `SearchResults.notes` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from kg import querylang as ql
from kg.index import FACETS, KINDS, RawHit, SearchIndex

__all__ = ["FacetValue", "Hit", "SearchResults", "search", "thesaurus", "MAX_PER_PAGE"]

MAX_PER_PAGE = 100
"""The largest page `search` returns (bigger requests are cut to this)."""
SORTS = ("relevance", "date")
SUGGEST_BELOW = 3
""""Did you mean" is offered when fewer hits than this were found."""


@dataclass
class Hit:
    """One unit found. `snippet` is HTML-safe text with the matches in <mark>."""

    id: str
    kind: str
    title: str
    snippet: str
    text: str
    meeting: str
    meeting_title: str
    date: str
    body: str
    speakers: list[str]
    roles: list[str]
    doc: str
    """sha256 of the source document (the first one, for entities)."""
    span: tuple[int, int] | None
    page: int | None
    anchor: int | None
    score: float

    @property
    def speaker(self) -> str:
        return ", ".join(self.speakers)


@dataclass
class FacetValue:
    value: str
    """What to filter by (`filters={facet: value}`)."""
    label: str
    """What to show (a meeting's title and date instead of its IRI)."""
    count: int


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    sort: str
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Plain sentences about how the query was read ("could not be parsed; ...")."""
    did_you_mean: str | None = None
    """The query with misspelt words replaced, when that may find more."""
    expanded: dict[str, list[str]] = field(default_factory=dict)
    """What the thesaurus added: the words as typed -> the labels also searched."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for hit in data["hits"]:
            hit["span"] = list(hit["span"]) if hit["span"] else None
        data["pages"] = self.pages
        return data


@lru_cache(maxsize=4)
def _thesaurus(ix_id: int, ix: SearchIndex) -> dict[tuple[str, ...], tuple[str, list[str]]]:
    out: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for key, (concept, labels) in thesaurus().items():
        terms = tuple(ix.analyze(key))
        if terms:
            prev = out.get(terms)
            out[terms] = (prev[0], prev[1] + labels) if prev else (concept, list(labels))
    return out


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, tuple[str, list[str]]]:
    """Every pref/alt label of the topic thesaurus -> (prefLabel, all the concept's labels)."""
    from ingest.gazetteer import topics

    out: dict[str, tuple[str, list[str]]] = {}
    for entry in topics():
        labels = [entry.label, *entry.alt_labels]
        for label in labels:
            out[label] = (entry.label, labels)
    return out


class _Expander:
    def __init__(self, ix: SearchIndex) -> None:
        self.ix = ix
        self.table = _thesaurus(id(ix), ix)
        self.longest = max((len(k) for k in self.table), default=0)
        self.expanded: dict[str, list[str]] = {}

    def synonyms(self, original: ql.Node, typed: str) -> ql.Node:
        key = tuple(self.ix.analyze(typed))
        found = self.table.get(key)
        if not key or found is None:
            return original
        concept, labels = found
        extra = tuple(
            dict.fromkeys(lb for lb in labels if tuple(self.ix.analyze(lb)) != key and lb)
        )
        if not extra:
            return original
        self.expanded[typed] = list(extra)
        return ql.Synonyms(original, extra, concept)

    def expand(self, node: ql.Node) -> ql.Node:
        if isinstance(node, ql.Word | ql.Phrase):
            return self.synonyms(node, node.text)
        if isinstance(node, ql.And):
            return ql.And(tuple(self.runs(list(node.items))))
        if isinstance(node, ql.Or):
            return ql.Or(tuple(self.expand(n) for n in node.items))
        if isinstance(node, ql.Not):
            return ql.Not(self.expand(node.item))
        return node

    def runs(self, items: list[ql.Node]) -> list[ql.Node]:
        """Expand the longest runs of plain words that are a label ("domestic abuse")."""
        out: list[ql.Node] = []
        i = 0
        while i < len(items):
            for n in range(min(self.longest, len(items) - i), 1, -1):
                run = items[i : i + n]
                # a run starts and ends on a word that counts: in "domestic abuse in
                # Shropshire" the label is "domestic abuse", not "domestic abuse in"
                if all(isinstance(x, ql.Word) for x in run) and all(
                    self.ix.analyze(x.text) for x in (run[0], run[-1]) if isinstance(x, ql.Word)
                ):
                    typed = " ".join(x.text for x in run if isinstance(x, ql.Word))
                    node = self.synonyms(ql.And(tuple(run)), typed)
                    if isinstance(node, ql.Synonyms):
                        out.append(node)
                        i += n
                        break
            else:
                out.append(self.expand(items[i]))
                i += 1
        return out


def _free_words(node: ql.Node) -> list[str]:
    """Words typed as free text (not in a field filter, not negated)."""
    if isinstance(node, ql.Word):
        return [node.text]
    if isinstance(node, ql.Phrase):
        return node.text.split()
    if isinstance(node, ql.And | ql.Or):
        return [w for n in node.items for w in _free_words(n)]
    return []


_EXPLICIT = re.compile(r"\bAND\b")
"""An AND the user wrote: then no fallback to any of the words."""


def _only_words(node: ql.Node) -> bool:
    return isinstance(node, ql.And) and all(isinstance(n, ql.Word) for n in node.items)


def _suggestion(ix: SearchIndex, text: str, node: ql.Node) -> str | None:
    known = thesaurus()
    lowered = {k.lower() for k in known}
    changed = text
    for word in dict.fromkeys(_free_words(node)):
        clean = word.strip(".,;:!?'’")
        if not clean.isalpha() or clean.lower() in lowered or not ix.analyze(clean):
            continue
        if ix.has_word(clean):
            continue
        better = ix.suggest(clean)
        if better and better != clean.lower():
            changed = re.sub(rf"(?<!\w){re.escape(clean)}(?!\w)", better, changed)
    return changed if changed != text else None


def _filters(
    within_person: str | None,
    kinds: Sequence[str] | None,
    filters: Mapping[str, str | Sequence[str]] | None,
) -> list[ql.Node]:
    out: list[ql.Node] = []
    if within_person:
        if within_person.startswith(("http://", "https://")):
            out.append(ql.Exact("person_id", within_person))
        else:
            out.append(ql.Field("person", ql.Phrase(within_person)))
    if kinds:
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; use one of {', '.join(KINDS)}")
        out.append(ql.Or(tuple(ql.Exact("kind", k) for k in kinds)))
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}; use one of {', '.join(FACETS)}")
        vals = [values] if isinstance(values, str) else list(values)
        out.extend(ql.Exact(facet, v) for v in vals)
    return out


def search(
    index: SearchIndex,
    query: str,
    *,
    page: int = 1,
    per_page: int = 10,
    sort: str = "relevance",
    facets: bool = True,
    within_person: str | None = None,
    kinds: Sequence[str] | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
) -> SearchResults:
    """Find the units that answer a query; highlight only the page of hits returned.

    Args:
        index: an open SearchIndex.
        query: the query language of `kg.querylang` (words, "phrases", AND/OR/NOT,
            prefix*, speaker: role: person: place: topic: kind: body: title: date:).
            An empty query lists everything the filters allow.
        page, per_page: 1-based page; per_page is cut to MAX_PER_PAGE.
        sort: "relevance" or "date" (newest first).
        facets: count year, body, meeting, speaker, topic, place and kind over all hits.
        within_person: only units naming this person (a name, or a person IRI).
        kinds: only these kinds (see kg.index.KINDS; "action" includes commitments).
        filters: facet values every hit must have, e.g. {"year": "2024",
            "speaker": ["Jane Doe"]} (the `value` of a FacetValue).

    Raises:
        ValueError: an unknown sort, kind or facet name (a malformed query never raises).
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use relevance or date")
    page = max(1, int(page))
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    notes: list[str] = []
    text = query.strip()
    node: ql.Node | None = None
    if text:
        try:
            node = ql.parse(text)
        except ql.QuerySyntaxError as exc:
            words = ql.words(text)
            notes.append(f"query could not be parsed ({exc}); searched for the words instead")
            node = ql.And(tuple(ql.Word(w) for w in words)) if words else None
            if node is None:
                notes.append("the query has no words to search for")
    expander = _Expander(index)
    expanded = expander.expand(node) if node is not None else None
    extra = _filters(within_person, kinds, filters)
    wanted = list(FACETS) if facets else []
    if node is None and text:
        raw = None
    else:
        raw = index.search(
            expanded, filters=extra, page=page, per_page=per_page, sort=sort, facets=wanted
        )
        if raw.total == 0 and node is not None and _only_words(node) and not _EXPLICIT.search(text):
            assert isinstance(expanded, ql.And)
            raw = index.search(
                ql.Or(expanded.items),
                filters=extra,
                page=page,
                per_page=per_page,
                sort=sort,
                facets=wanted,
            )
            if raw.total:
                notes.append("no unit has all the words; showing units with any of them")
    results = SearchResults(
        query=query,
        hits=[_hit(h) for h in raw.hits] if raw else [],
        total=raw.total if raw else 0,
        page=page,
        per_page=per_page,
        sort=sort,
        notes=notes,
        expanded=expander.expanded,
    )
    if raw is not None and facets:
        results.facets = {
            name: [FacetValue(v, _facet_label(index, name, v), c) for v, c in raw.facets[name]]
            for name in wanted
        }
    if node is not None and results.total < SUGGEST_BELOW:
        results.did_you_mean = _suggestion(index, text, node)
    return results


def _facet_label(index: SearchIndex, facet: str, value: str) -> str:
    if facet != "meeting":
        return value
    return str(index.cached(("meeting label", value), lambda: _meeting_label(index, value)))


def _meeting_label(index: SearchIndex, value: str) -> str:
    unit = index.get(value)
    if unit is None:
        return value
    return f"{unit.title} ({unit.date})" if unit.date else unit.title


def _hit(h: RawHit) -> Hit:
    u = h.unit
    return Hit(
        id=u.id,
        kind=u.kind,
        title=u.title,
        snippet=h.snippet,
        text=u.text,
        meeting=u.meeting,
        meeting_title=u.meeting_title,
        date=u.date,
        body=u.body,
        speakers=list(u.speakers),
        roles=list(u.roles),
        doc=u.docs[0] if u.docs else "",
        span=u.span,
        page=u.page,
        anchor=u.anchor,
        score=round(h.score, 4),
    )
