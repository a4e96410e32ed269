"""The full-text index beside the store (``DATA/index/``): our interface, Whoosh inside.

Nothing else in govkg imports Whoosh, so the engine can be swapped behind
`SearchIndex`: it stores `Unit`s, answers a `kg.querylang` tree with a `RawPage`
(hits with highlighted snippets, a total, facet counts) and keeps the small
crash-safety marker ``pending.json``.

Engine choice (measured, see ../shared/DEPENDENCIES.md): five Whoosh lines install
the same ``whoosh`` package. ``whoosh`` 2.7.4 (dead since 2016) emits SyntaxWarnings
on import under Python 3.12, so ``-W error`` breaks it; ``whoosh-ng`` and ``whoosh3``
change major versions weekly; ``whoosh-novo`` is a single-author alpha.
``whoosh-reloaded==2.7.5`` is frozen but imports cleanly with ``-W error`` on
3.11/3.12, is BSD-2 and reads 2.7.4 indexes: that is the pinned one. All perform
alike; highlighting dominates query time, so only the shown hits are highlighted.

How a search stays fast (Whoosh is pure Python; every posting walked costs):

- free text is one field, ``content`` (text, title, speakers and roles written together
  at index time, each part with its TEXT_FIELDS weight), so a word is ONE term query;
- a phrase is the AND of its word pairs in ``pairs`` (exact for two words; for longer
  phrases each adjacent pair must occur, not necessarily in one run), never Whoosh's
  position matching, which decodes the positions of every candidate;
- field filters ANDed with the words (``speaker:``, ``role:``, ``date:``, ``kind:``, ...)
  and the `filters` argument are unscored sets of document numbers, cached per index
  generation (dates by bisecting the date column);
- kind weights are read once per segment and keep Whoosh's block-max skipping valid;
- the total and the facets are exact: one unscored pass collects every matching
  document number, facets count them from per-generation tables; only the top of the
  ranking is scored in full (newest-first scores just the hits that can be shown).
"""

from __future__ import annotations

import calendar
import functools
import heapq
import json
import os
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from whoosh import highlight, index, query, scoring
from whoosh.analysis import STOP_WORDS, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import IndexWriter as _WhooshWriter

import kg.whoosh_threads  # noqa: F401  (Whoosh's mapped files read safely from several threads)
from kg import querylang as ql
from kg.postings import BulkScorer, doc_ids

T = TypeVar("T")

__all__ = [
    "ENTITY_KINDS",
    "FACETS",
    "SearchIndexError",
    "KINDS",
    "RawHit",
    "RawPage",
    "SearchIndex",
    "Unit",
]

PART_KINDS = ("paragraph", "statement", "action", "commitment", "item")
"""Units that are a part of one document's minutes."""
ENTITY_KINDS = ("meeting", "person", "organisation", "place", "topic")
"""Units shared across documents (one per node of the union graph)."""
KINDS = PART_KINDS + ENTITY_KINDS

FACETS = ("year", "body", "meeting", "speaker", "topic", "place", "kind")
"""Facets that `SearchIndex.search` can count, in display order."""

_FACET_FIELD = {
    "year": "year",
    "body": "body_key",
    "meeting": "meeting",
    "speaker": "speaker_key",
    "topic": "topic_key",
    "place": "place_key",
    "kind": "kind",
}
_QUERY_FIELD = {
    "text": "text",
    "title": "title",
    "speaker": "speaker",
    "role": "role",
    "person": "people",
    "place": "places",
    "topic": "topics",
    "body": "body",
    "kind": "kind",
    "year": "year",
    "meeting": "meeting",
    "doc": "doc",
}

SCHEMA_VERSION = 6
"""Bumped when the schema changes; an index of another version must be rebuilt."""


def _cache_missing_lengths() -> None:
    """Make Whoosh remember that a field has no lengths column.

    whoosh 2.7's per-segment reader looks the column file up on disk for every
    posting of a field without lengths (IDs, keywords, the spelling field): 120,000
    `file_exists` calls for 2,000 units, over half of the build time. Segment files
    never change, so the answer can be cached like a found column is.
    """
    cls = whoosh3.W3PerDocReader
    if getattr(cls, "_govkg_patched", False):
        return
    original = cls._cached_reader

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = original(self, fieldname, column)
            self._readers[fieldname] = reader
            return reader

    cls._cached_reader = _cached_reader
    cls._govkg_patched = True


_cache_missing_lengths()


_NOT_MEMOISED = frozenset(["id", "content", "pairs"])
"""Fields whose value is (nearly) unique per unit: not worth remembering."""
MEMO_SIZE = 50_000
"""Field values whose index terms one writer remembers (then starts again)."""


def _memoise_field_terms() -> None:
    """Make a Whoosh segment writer analyse a repeated field value once.

    The units of one meeting repeat most of their field values (date, body, meeting,
    document, the agenda item's title, speakers, roles, topics, places): whoosh 2.7's
    `SegmentWriter.add_document` analysed each again for every unit (~40% of its
    time). This is the same method with the terms of a (field, value) remembered per
    writer: `field.index(value)` is a pure function of the value, so the postings,
    lengths, stored fields and columns written are the same.
    """
    from whoosh.writing import SegmentWriter

    if getattr(SegmentWriter, "_govkg_patched", False):
        return

    def add_document(self: Any, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        memo = self.__dict__.get("_govkg_terms")
        if memo is None or len(memo) > MEMO_SIZE:
            memo = self._govkg_terms = {}

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field_ = schema[fieldname]

                length = 0
                if field_.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    if fieldname in _NOT_MEMOISED or isinstance(value, list | tuple):
                        items = field_.index(value)
                    else:
                        key = (fieldname, value)
                        items = memo.get(key)
                        if items is None:
                            items = memo[key] = tuple(field_.index(value))
                    scorable = field_.scorable
                    for tbytes, freq, weight, vbytes in items:
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight, vbytes))

                if field_.separate_spelling():
                    spellfield = field_.spelling_fieldname(fieldname)
                    for word in field_.spellable_words(value):
                        add_post((spellfield, word.encode("utf-8"), 0, 1, vbytes))

                vformat = field_.vector
                if vformat:
                    vitems = vformat.word_values(value, field_.analyzer, mode="index")
                    vitems = sorted((text, weight, vb) for text, _, weight, vb in vitems)
                    perdocwriter.add_vector_items(fieldname, field_, vitems)

                customval = fields.get(f"_stored_{fieldname}", value)
                sv = customval if field_.stored else None
                perdocwriter.add_field(fieldname, field_, sv, length)

                column = field_.column_type
                if column and customval is not None:
                    cv = field_.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except Exception:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self: Any) -> None:
        # Whoosh's own, but each posting's field length is read from a list decoded
        # once per field, not looked up in the lengths column (a third of a flush)
        self.perdocwriter.close()
        pdr = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, pdr, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    # Whoosh's own methods, kept for the tests that compare what both write
    SegmentWriter._govkg_whoosh = (SegmentWriter.add_document, SegmentWriter._flush_segment)
    SegmentWriter.add_document = add_document
    SegmentWriter._flush_segment = _flush_segment
    SegmentWriter._govkg_patched = True


class _Lengths:
    """A segment's per-document reader for `add_postings`: `doc_field_length` from
    lists decoded once per field, giving what `W3PerDocReader.doc_field_length` gives
    (None for a zero length byte, `default` when the field has no lengths)."""

    def __init__(self, pdr: Any) -> None:
        self._pdr = pdr
        self._lists: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        try:
            found = self._lists[fieldname]
        except KeyError:
            column = self._pdr._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            found = self._lists[fieldname] = (
                [_BYTE_LENGTH_0[b] for b in column] if column is not None else None
            )
        if found is None:
            return default
        return found[docnum]

    def close(self) -> None:
        self._pdr.close()


_memoise_field_terms()


_FACET_LOCK = threading.RLock()
"""Serialises SearchIndex._facet_table (see there)."""


def _pin(fn: Callable[..., T]) -> Callable[..., T]:
    """A SearchIndex method that reads one index generation throughout (`_pinned`)."""

    @functools.wraps(fn)
    def call(self: SearchIndex, *args: Any, **kwargs: Any) -> T:
        with self._pinned():
            return fn(self, *args, **kwargs)

    return call


class SearchIndexError(Exception):
    """The index cannot be used as asked; the message names the fix."""


@dataclass
class Unit:
    """One searchable thing: a part of the minutes or an entity of the graph.

    Empty strings, None and empty tuples mean "not known" (entities have no date,
    meeting or span; only statements have speakers).
    """

    id: str
    """The unit's IRI (unique in the index)."""
    kind: str
    """One of KINDS."""
    text: str
    title: str = ""
    docs: tuple[str, ...] = ()
    """sha256 of every document that holds the unit (one for parts)."""
    meeting: str = ""
    meeting_title: str = ""
    date: str = ""
    """The meeting date, ISO "YYYY-MM-DD"."""
    body: str = ""
    speakers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    """Names of the speaker, owner, owed-to and mentioned persons."""
    person_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    span: tuple[int, int] | None = None
    page: int | None = None
    anchor: int | None = None
    """The order of the paragraph/statement/action/item within its document."""
    parent: str = ""
    """The agenda item or meeting the part belongs to."""


@dataclass
class RawHit:
    """A hit as the engine found it: the stored unit, its score and its snippet."""

    unit: Unit
    score: float
    snippet: str
    """HTML: the text escaped, matches in <mark>...</mark>."""


@dataclass
class RawPage:
    total: int
    hits: list[RawHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _names_analyzer() -> Any:
    return RegexTokenizer(r"\w+(?:[.'’]\w+)*") | LowercaseFilter()


QUESTION_WORDS = frozenset(
    [
        "what",
        "whats",
        "did",
        "does",
        "do",
        "done",
        "say",
        "said",
        "says",
        "about",
        "how",
        "who",
        "whom",
        "which",
        "why",
        "where",
        "there",
        "their",
        "they",
        "was",
        "were",
        "has",
        "had",
        "been",
        "he",
        "she",
        "his",
        "her",
        "its",
        "any",
    ]
)
"""Words of a question ("what did the Chief Constable say about ...") that carry no
topic; they join Whoosh's English stop words in the text analyzer."""

KIND_WEIGHT = {
    "item": 0.6,
    "meeting": 0.15,
    "person": 0.15,
    "organisation": 0.15,
    "place": 0.15,
    "topic": 0.15,
}
"""Score factors by kind (others 1.0): entity units are short lists of labels and
agenda items short titles, which BM25 favours; the minutes themselves come first."""

TEXT_FIELDS = (("text", 1.0), ("title", 0.4), ("speaker", 0.5), ("role", 0.5))
"""Where a free-text word is looked for, with weights: "Chief Constable custody" finds
what the Chief Constable said about custody. They are written together into the one
field ``content`` (each word's weight is its part's), so a free-text word is one term
query; the fields themselves remain for ``title:``, ``speaker:`` and ``role:``."""

_PART = "\u241f"
"""Joins the parts of ``content`` (TEXT_FIELDS order); no text contains it."""


def _analysed(analyzer: Any, value: str) -> list[tuple[list[str], float]]:
    """The index words of each part of a ``content`` value, with the part's weight.

    ``content`` and ``pairs`` index the same value one after the other: the words of
    the last value are kept, so the text is analysed (stemmed) once, not twice. The
    parts after the text (title, speakers, roles) repeat from unit to unit and are
    remembered."""
    global _last_analysed
    if _last_analysed[0] != value:
        words = _fast_words(analyzer)
        parts = []
        for i, (part, (_, weight)) in enumerate(zip(value.split(_PART), TEXT_FIELDS, strict=False)):
            if i == 0:
                parts.append((words(part), weight))
                continue
            found = _PART_WORDS.get(part)
            if found is None:
                if len(_PART_WORDS) > MEMO_SIZE:
                    _PART_WORDS.clear()
                found = _PART_WORDS[part] = words(part)
            parts.append((found, weight))
        _last_analysed = (value, parts)
    return _last_analysed[1]


_last_analysed: tuple[str, list[tuple[list[str], float]]] = ("\0", [])
_PART_WORDS: dict[str, list[str]] = {}
"""Words of the title, speakers and roles parts of ``content`` values (`_analysed`)."""
_FAST: dict[int, tuple[Any, Callable[[str], list[str]]]] = {}
_STEMS: dict[Any, dict[str, str]] = {}
"""Per stemming function: word -> stem, for the life of the process (Whoosh's own cache
lives in the analyzer, which each writer unpickles afresh from the index)."""


def _fast_words(analyzer: Any) -> Callable[[str], list[str]]:
    """``[t.text for t in analyzer(text, mode="index")]`` as one function.

    For the text analyzer of the schema (a regex tokenizer, lowercase, stop words,
    stemming: Whoosh's StemmingAnalyzer) the same words are found without Whoosh's
    chain of token generators, with a process-wide stem cache; any other analyzer is
    run as it is."""
    from whoosh.analysis.filters import StopFilter
    from whoosh.analysis.morph import StemFilter

    found = _FAST.get(id(analyzer))
    if found is not None and found[0] is analyzer:
        return found[1]
    items = getattr(analyzer, "items", None)

    def slow(text: str) -> list[str]:
        return [t.text for t in analyzer(text, mode="index")]

    words = slow
    if (
        items is not None
        and len(items) == 4
        and type(items[0]) is RegexTokenizer
        and not items[0].gaps
        and type(items[1]) is LowercaseFilter
        and type(items[2]) is StopFilter
        and type(items[3]) is StemFilter
        and not items[3].lang
    ):
        finditer = items[0].expression.finditer
        stops, least, most = items[2].stops, items[2].min, items[2].max
        ignore, stemfn = items[3].ignore, items[3].stemfn
        stems = _STEMS.setdefault(stemfn, {})

        def fast(text: str) -> list[str]:
            out = []
            for m in finditer(text):
                w = m.group(0).lower()
                if len(w) < least or (most is not None and len(w) > most) or w in stops:
                    continue
                if w not in ignore:
                    stem = stems.get(w)
                    if stem is None:
                        if len(stems) > 4 * MEMO_SIZE:
                            stems.clear()
                        stem = stems[w] = stemfn(w)
                    w = stem
                out.append(w)
            return out

        words = fast
    _FAST[id(analyzer)] = (analyzer, words)
    return words


class _WeightedParts(TEXT):
    """A TEXT field whose value is several parts (joined by _PART) of TEXT_FIELDS'
    weights: a word's weight (BM25's term frequency) is the sum of its occurrences'
    part weights. No positions: phrases are looked up in ``pairs``."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        freqs: dict[str, int] = {}
        weights: dict[str, float] = {}
        for words, weight in _analysed(self.analyzer, str(value)):
            for word in words:
                freqs[word] = freqs.get(word, 0) + 1
                weights[word] = weights.get(word, 0.0) + weight
        boost = self.format.field_boost
        for word, freq in freqs.items():
            yield word.encode("utf-8"), freq, weights[word] * boost, pack_uint(freq)


_PAIR = " "
"""Joins the two words of a ``pairs`` term (no analysed word holds a space)."""


class _WeightedPairs(TEXT):
    """The word pairs of the same parts as `_WeightedParts` (each word with the next
    one left after stop words): a phrase is the AND of its pairs, term look-ups
    instead of Whoosh's slow position matching."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        freqs: dict[str, int] = {}
        weights: dict[str, float] = {}
        for words, weight in _analysed(self.analyzer, str(value)):
            for a, b in zip(words, words[1:], strict=False):
                pair = a + _PAIR + b
                freqs[pair] = freqs.get(pair, 0) + 1
                weights[pair] = weights.get(pair, 0.0) + weight
        boost = self.format.field_boost
        for pair, freq in freqs.items():
            yield pair.encode("utf-8"), freq, weights[pair] * boost, pack_uint(freq)


def _content(u: Unit) -> str:
    return _PART.join((u.text, u.title, " ".join(u.speakers), " ".join(u.roles)))


def _schema() -> Schema:
    words = StemmingAnalyzer(stoplist=STOP_WORDS | QUESTION_WORDS)
    names = _names_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        text=STORED(),
        content=_WeightedParts(analyzer=words, phrase=False),
        pairs=_WeightedPairs(analyzer=words, phrase=False),
        title=TEXT(analyzer=words, stored=True),
        doc=KEYWORD(stored=True, commas=True, lowercase=False),
        meeting=ID(stored=True),
        meeting_title=STORED(),
        date=DATETIME(sortable=True),
        day=STORED(),
        year=ID(stored=True),
        body=TEXT(analyzer=names, stored=True),
        body_key=ID(),
        speaker=TEXT(analyzer=names, stored=True),
        speaker_key=KEYWORD(commas=True, lowercase=False),
        role=TEXT(analyzer=names, stored=True),
        people=TEXT(analyzer=names, stored=True),
        person_id=KEYWORD(stored=True, commas=True, lowercase=False),
        topics=TEXT(analyzer=words, stored=True),
        topic_key=KEYWORD(commas=True, lowercase=False),
        places=TEXT(analyzer=names, stored=True),
        place_key=KEYWORD(commas=True, lowercase=False),
        span=STORED(),
        page=STORED(),
        anchor=STORED(),
        parent=STORED(),
    )


_SEP = "\u241e"  # stored multi-values are joined with a separator no label contains


def _keys(values: Iterable[str]) -> str:
    return ",".join(sorted({v.replace(",", " ").strip() for v in values if v.strip()}))


def _to_fields(u: Unit) -> dict[str, Any]:
    date = _parse_day(u.date)
    fields: dict[str, Any] = {
        "id": u.id,
        "kind": u.kind,
        "text": u.text,
        "content": _content(u),
        "pairs": _content(u),
        "title": u.title,
        "doc": ",".join(u.docs),
        "meeting": u.meeting,
        "meeting_title": u.meeting_title,
        "day": u.date,
        "year": u.date[:4],
        "body": u.body,
        "body_key": u.body,
        "speaker": _SEP.join(u.speakers),
        "speaker_key": _keys(u.speakers),
        "role": _SEP.join(u.roles),
        "people": _SEP.join(u.people),
        "person_id": ",".join(u.person_ids),
        "topics": _SEP.join(u.topics),
        "topic_key": _keys(u.topics),
        "places": _SEP.join(u.places),
        "place_key": _keys(u.places),
        "span": list(u.span) if u.span else None,
        "page": u.page,
        "anchor": u.anchor,
        "parent": u.parent,
    }
    if date is not None:
        fields["date"] = date
    return {k: v for k, v in fields.items() if v not in ("", None)}


def _split(value: Any) -> tuple[str, ...]:
    return tuple(v for v in str(value).split(_SEP) if v) if value else ()


def _from_stored(d: dict[str, Any]) -> Unit:
    span = d.get("span")
    return Unit(
        id=d["id"],
        kind=d.get("kind", ""),
        text=d.get("text", ""),
        title=d.get("title", ""),
        docs=tuple(x for x in d.get("doc", "").split(",") if x),
        meeting=d.get("meeting", ""),
        meeting_title=d.get("meeting_title", ""),
        date=d.get("day", ""),
        body=d.get("body", ""),
        speakers=_split(d.get("speaker")),
        roles=_split(d.get("role")),
        people=_split(d.get("people")),
        person_ids=tuple(x for x in d.get("person_id", "").split(",") if x),
        topics=_split(d.get("topics")),
        places=_split(d.get("places")),
        span=(int(span[0]), int(span[1])) if span else None,
        page=d.get("page"),
        anchor=d.get("anchor"),
        parent=d.get("parent", ""),
    )


def _parse_day(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _date_bound(text: str | None, end: bool) -> datetime | None:
    """A partial ISO date as the first (or last) moment it covers."""
    if text is None:
        return None
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    last = calendar.monthrange(year, month)[1]
    day = min(parts[2], last) if len(parts) > 2 else (last if end else 1)
    return datetime(year, month, day, 23, 59, 59) if end else datetime(year, month, day)


class _KindWeighting(scoring.BM25F):
    """BM25F times the unit kind's KIND_WEIGHT.

    The factors are read once per segment reader (a list by document number) and
    every factor is at most 1, so BM25F's block and maximum qualities stay upper
    bounds: Whoosh may still skip the blocks that cannot reach the top N.
    """

    def __init__(self) -> None:
        super().__init__()
        self._weights: dict[int, tuple[Any, list[float]]] = {}
        self._lengths: dict[tuple[int, str], tuple[Any, list[int] | None]] = {}

    def kind_weights(self, reader: Any) -> list[float]:
        """The kind factor of every document number of a (segment) reader."""
        found = self._weights.get(id(reader))
        if found is not None and found[0] is reader:
            return found[1]
        weights = [1.0] * reader.doc_count_all()
        for kind, factor in KIND_WEIGHT.items():
            if ("kind", kind) in reader:
                for n in doc_ids(reader, "kind", kind.encode("utf-8")):
                    weights[n] = factor
        self._weights[id(reader)] = (reader, weights)
        return weights

    def field_lengths(self, reader: Any, fieldname: str) -> list[int] | None:
        """A field's length in every document of a segment reader (None: not known).

        BM25F looks a length up per scored document through Whoosh's column reader
        (the costliest step of scoring); a list read once per segment is a C lookup."""
        key = (id(reader), fieldname)
        found = self._lengths.get(key)
        if found is not None and found[0] is reader:
            return found[1]
        lengths = None
        perdoc = getattr(reader, "_perdoc", None)
        if isinstance(perdoc, whoosh3.W3PerDocReader):
            column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            if column is not None:
                lengths = [_BYTE_LENGTH[b] for b in column]
        self._lengths[key] = (reader, lengths)
        return lengths

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        inner = super().scorer(searcher, fieldname, text, qf)
        reader = searcher.reader()
        if isinstance(inner, scoring.WeightLengthScorer) and hasattr(inner, "dfl"):
            lengths = self.field_lengths(reader, fieldname)
            if lengths is not None:
                inner.dfl = lengths.__getitem__
        return _KindScorer(inner, self.kind_weights(reader))


_BYTE_LENGTH = [byte_to_length(b) if b else 1 for b in range(256)]
"""Whoosh's one-byte field lengths decoded (0, no length, scores as 1)."""


class _KindScorer(scoring.BaseScorer):
    def __init__(self, inner: Any, weights: list[float]) -> None:
        self.inner = inner
        self.weights = weights

    def supports_block_quality(self) -> bool:
        return bool(self.inner.supports_block_quality())

    def max_quality(self) -> float:
        return float(self.inner.max_quality())

    def block_quality(self, matcher: Any) -> float:
        return float(self.inner.block_quality(matcher))

    def score(self, matcher: Any) -> float:
        return float(self.inner.score(matcher)) * self.weights[matcher.id()]


class _Mark(highlight.Formatter):
    """Matches in <mark>; everything else HTML-escaped."""

    between = " … "

    def _text(self, text: str) -> str:
        return escape(text, quote=False)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return "<mark>" + escape(highlight.get_text(text, token, replace), quote=False) + "</mark>"


SNIPPET_CHARS = 240
"""About how long a snippet is (a fragment around the best matches)."""


def _plain_snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return escape(text, quote=False)


class _Writer:
    """One open Whoosh writer: add units, delete a document's units, commit."""

    def __init__(self, w: _WhooshWriter) -> None:
        self._w = w

    def add(self, unit: Unit, *, new: bool = False) -> None:
        """Add (or replace, by id) one unit; `new` skips the look-up of an old one."""
        if new:
            self._w.add_document(**_to_fields(unit))
        else:
            self._w.update_document(**_to_fields(unit))

    def delete_document(self, sha256: str) -> int:
        """Delete every unit that belongs to this document; returns how many."""
        return int(self._w.delete_by_term("doc", sha256))

    def delete_unit(self, unit_id: str) -> None:
        self._w.delete_by_term("id", unit_id)


class SearchIndex:
    """The index in one directory (created when missing unless `read_only`).

    Readers share one searcher, refreshed when the index changes (a new
    generation); a writer is opened by `writing()`, one at a time.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.created = False
        try:
            if index.exists_in(str(self.path)):
                self._ix = index.open_dir(str(self.path))
            elif read_only:
                raise SearchIndexError(
                    f"{self.path}: no search index here; run `govkg reindex` to build it"
                )
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ix = index.create_in(str(self.path), _schema())
                self._write_meta()
                self.created = True
            if self._meta().get("schema") != SCHEMA_VERSION:
                if read_only:
                    self._ix.close()
                    raise SearchIndexError(
                        f"{self.path}: the search index has an old layout; run `govkg reindex`"
                    )
                # opened for writing (ingest, reindex): start again empty, `created`
                # so that `kg.indexing.open_index` rebuilds it from the store
                self._ix.close()
                self._ix = index.create_in(str(self.path), _schema())
                self._write_meta()
                self.created = True
        except OSError as exc:
            raise SearchIndexError(f"{self.path}: cannot open the search index ({exc})") from exc
        self._lock = threading.Lock()
        self._searcher: Any = None
        self._retired: list[tuple[float, Any]] = []
        """Searchers replaced by a newer generation, with when: closed RETIRE_AFTER
        seconds later, not at once (a search in another thread may still read them)."""
        self._gen_cache: dict[Any, Any] = {}
        self._pins = threading.local()
        """A search in progress in this thread: (searcher, cache) it keeps to the end."""
        """Things derived from the current searcher (facet tables, filter sets, dates);
        emptied whenever a new searcher is opened (a new index generation)."""
        self.schema: Schema = self._ix.schema
        """The index's schema (read once: Whoosh reads it from disk on every access)."""
        self._words = self.schema["content"].analyzer
        self.writer_procs = 1
        """Indexing processes of `writing()` when not given: a long parallel ingest
        (`kg.pipeline.ingest_paths` with jobs > 1) sets it to its jobs."""

    # -- lifecycle ----------------------------------------------------------------
    def close(self) -> None:
        for _, old in self._retired:
            old.close()
        self._retired = []
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self) -> dict[str, Any]:
        try:
            return dict(json.loads((self.path / "govkg-index.json").read_text("utf-8")))
        except (OSError, ValueError):
            return {}

    def _write_meta(self) -> None:
        _write_json(self.path / "govkg-index.json", {"schema": SCHEMA_VERSION})

    # -- the crash-safety marker ------------------------------------------------------
    @property
    def pending_path(self) -> Path:
        return self.path / "pending.json"

    def pending(self) -> list[str]:
        """Documents whose units may not match the store (written before a store write)."""
        try:
            data = json.loads(self.pending_path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except ValueError:
            return []
        return [str(s) for s in data.get("documents", [])]

    def mark_pending(self, shas: Iterable[str]) -> None:
        """Add documents to the marker (durably) before their store write."""
        current = self.pending()
        new = current + [s for s in shas if s and s not in current]
        if new != current:
            _write_json(self.pending_path, {"documents": new})

    def clear_pending(self) -> None:
        self.pending_path.unlink(missing_ok=True)

    # -- writing ------------------------------------------------------------------------
    def writing(self, *, limitmb: int = 128, procs: int | None = None) -> _WriterContext:
        """A writer for a batch: ``with index.writing() as w: ...``; commits on success.

        Args:
            limitmb: memory for the indexing pool before it spills to disk.
            procs: indexing processes (default `writer_procs`; 1 is fastest for small
                batches). With more, Whoosh's MpWriter analyses and writes the units in
                that many forked processes, each its own segment (no re-merge into one:
                `_tiered_merge` merges segments as usual): this process only hands them
                the units, ~3 ms instead of ~65 ms of CPU per meeting.
        """
        if self.read_only:
            raise SearchIndexError(f"{self.path}: the search index is open read-only")
        return _WriterContext(self, limitmb=limitmb, procs=procs or self.writer_procs)

    def optimize(self) -> None:
        """Merge all segments into one (after a full rebuild); a no-op for one segment."""
        if len(self._ix._segments()) > 1:
            self._merge(lambda segments: segments)

    def purge_deletions(self) -> int:
        """Rewrite the segments that hold deleted units (`kg.indexing.recover`);
        returns how many. Until then a replaced unit still counts in BM25's statistics
        (document frequencies, average lengths), so scores drift from a clean build."""
        return self._merge(lambda segments: [s for s in segments if s.deleted_count()])

    def _merge(self, choose: Callable[[list[Any]], list[Any]]) -> int:
        chosen: list[Any] = []

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            chosen.extend(choose(segments))
            if not chosen:
                return segments
            merged = _merged_segment(writer, chosen)
            return [s for s in segments if s not in chosen] + [merged]

        w = self._ix.writer()
        w.commit(mergetype=policy)
        return len(chosen)

    def clear(self) -> None:
        """Delete every unit (a new empty index with the same schema)."""
        self.close()
        self._ix = index.create_in(str(self.path), _schema())
        self.schema = self._ix.schema
        self._write_meta()

    # -- reading ------------------------------------------------------------------------
    @property
    def _cache(self) -> dict[Any, Any]:
        """Things derived from the current searcher (facet tables, filter sets, dates);
        a new one per index generation. Within a pinned search, that search's own."""
        pinned = getattr(self._pins, "view", None)
        return pinned[1] if pinned is not None else self._gen_cache

    @_cache.setter
    def _cache(self, value: dict[Any, Any]) -> None:
        pinned = getattr(self._pins, "view", None)
        if pinned is not None:
            pinned[1].clear()
            pinned[1].update(value)
        else:
            self._gen_cache = value

    @contextmanager
    def _pinned(self) -> Iterator[Any]:
        """One searcher and its cache for a whole search in this thread: a commit in
        between (an ingest) must not give half of it the next generation's document
        numbers (an IndexError or another unit's text, seen under an ingest)."""
        if getattr(self._pins, "view", None) is not None:
            yield self._pins.view[0]
            return
        with self._lock:
            s = self._current()
            view = (s, self._gen_cache)
        self._pins.view = view
        try:
            yield s
        finally:
            self._pins.view = None

    def searcher(self) -> Any:
        """The shared searcher, refreshed if a writer committed since it was opened
        (within a pinned search, that search's)."""
        pinned = getattr(self._pins, "view", None)
        if pinned is not None:
            return pinned[0]
        with self._lock:
            return self._current()

    def _current(self) -> Any:
        """The shared searcher of the newest generation (call with self._lock held)."""
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=_KindWeighting())
            self._gen_cache = {}
        elif not self._searcher.up_to_date():
            # a new searcher, not Searcher.refresh(): whoosh 2.7.5's reader reuse
            # fails when the old reader was a single segment's. The old one is not
            # closed yet: a search in another thread may be reading it (closing it
            # here gave that search ReaderClosed, a 500, while an ingest committed)
            now = time.monotonic()
            self._retired.append((now, self._searcher))
            self._searcher = self._ix.searcher(weighting=_KindWeighting())
            self._gen_cache = {}
            while self._retired and now - self._retired[0][0] > RETIRE_AFTER:
                self._retired.pop(0)[1].close()
        return self._searcher

    def analyze(self, text: str) -> list[str]:
        """The index terms of a text (lowercased, stop words gone, stemmed)."""
        return [t.text for t in self._words(text)]

    def has_word(self, word: str) -> bool:
        """Whether the word (or its stem) occurs in any unit's text."""
        terms = self.analyze(word)
        reader = self.searcher().reader()
        return bool(terms) and all(("content", t) in reader for t in terms)

    def suggest(self, word: str) -> str | None:
        """The closest word of the texts to a word that is not in them, or None.

        The index holds stems only (a separate field of every unstemmed word doubled
        the cost of indexing), so the closest stem is found first and then the word a
        unit holding it writes ("custdy" -> stem "custodi" -> "custody")."""
        typed = word.lower()
        stems = self.analyze(typed) or [typed]
        s = self.searcher()
        found = s.corrector("content").suggest(stems[0], limit=1, maxdist=2, prefix=1)
        if not found:
            return None
        stem = found[0]
        for n in s.docs_for_query(query.Term("content", stem)):
            stored = s.stored_fields(n)
            for text in (stored.get("text", ""), stored.get("title", "")):
                for t in _SURFACE(text):
                    if self.analyze(t.text) == [stem]:
                        return str(t.text)
            break
        return str(stem)

    def unit_count(self) -> int:
        return int(self.searcher().doc_count())

    def documents(self) -> dict[str, int]:
        """Units per document sha256 (a meeting's unit counts for each of its documents)."""
        s = self.searcher()
        out: dict[str, int] = {}
        for term in s.reader().field_terms("doc"):
            n = sum(1 for _ in s.docs_for_query(query.Term("doc", term)))
            if n:
                out[str(term)] = n
        return out

    def units(self, *, doc: str | None = None, kind: str | None = None) -> Iterator[Unit]:
        """Stored units, all or those of one document / kind."""
        s = self.searcher()
        if doc is None and kind is None:
            for d in s.all_stored_fields():
                yield _from_stored(d)
            return
        terms = [query.Term("doc", doc)] if doc else []
        terms += [query.Term("kind", kind)] if kind else []
        for n in s.docs_for_query(query.And(terms)):
            yield _from_stored(s.stored_fields(n))

    def get(self, unit_id: str) -> Unit | None:
        d = self.searcher().document(id=unit_id)
        return _from_stored(d) if d else None

    @_pin
    def search(
        self,
        node: ql.Node | None,
        *,
        filters: Sequence[ql.Node] = (),
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        facets: Sequence[str] = (),
        facet_limit: int = 20,
    ) -> RawPage:
        """Run a query tree; highlight only the hits of the page asked for.

        The total and the facet counts are exact (every matching unit, whatever the
        sort); only the hits up to the page asked for are scored in full order.

        Args:
            node: the query (None: every unit the filters allow).
            filters: more trees every hit must match (unscored).
            page, per_page: 1-based page and its size.
            sort: "relevance" or "date" (newest first, then relevance; undated
                units, the entities, last).
            facets: names from FACETS to count over all matching units.
        """
        s = self.searcher()
        # field filters ANDed with the query (speaker:, date:, ...) become cached sets
        # of document numbers, like `filters`
        node, more = _split_filters(node)
        allow = self._allowed([*filters, *more])
        q = _translate(self, node) if node is not None else query.Every()
        if q is None:
            q = query.NullQuery
        offset = (max(page, 1) - 1) * per_page
        wanted = offset + per_page
        room = 3 * wanted + 10
        scored = None if isinstance(q, query.Every) else self._bulk().scores(q)
        if scored is not None:
            # the fast path (kg.postings): every match scored from whole posting lists
            if allow is not None:
                scored = {n: v for n, v in scored.items() if n in allow}
            docs: Sequence[int] | set[int] | dict[int, float] = scored
            if sort == "date":
                ranked = self._newest(q, scored, room, scored)
            else:
                top = heapq.nlargest(room, scored.items(), key=lambda kv: (kv[1], -kv[0]))
                ranked = [(v, n) for n, v in top]
        else:
            docs = self._matching(q, allow)
            if sort == "date":
                ranked = self._newest(q, docs, room)
            elif isinstance(q, query.Every):
                ranked = self._browse(docs, room)
            elif allow is not None and not allow:
                ranked = []  # Whoosh reads an empty filter as no filter at all
            else:
                # room to skip passages that repeat one already listed (_distinct_passages)
                results = s.search(q, limit=room, terms=False, filter=allow)
                ranked = [(float(score), n) for score, n in results.top_n]
        # highlight what was asked for, not what was excluded (NOT x)
        shown = _translate(self, node, positive=True) if node is not None else None
        marked = self._highlight_terms(shown)
        hits = []
        for _n, score, stored in _distinct_passages(s, ranked, wanted)[offset:]:
            text = stored.get("text", "")
            snippet = self._snippet(text, marked) if text and marked else ""
            hits.append(
                RawHit(
                    unit=_from_stored(stored),
                    score=score,
                    snippet=snippet or _plain_snippet(text),
                )
            )
        counts = {}
        for name in facets:
            table = self._facet_table(_FACET_FIELD[name])
            c = Counter(chain.from_iterable(map(table.__getitem__, docs)))
            counts[name] = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:facet_limit]
        return RawPage(total=len(docs), hits=hits, facets=counts)

    # -- the parts of a search, with what they cache per searcher ---------------------
    def _matching(self, q: Any, allow: set[int] | None) -> Sequence[int] | set[int]:
        """Every document number the query matches (within `allow`), unscored."""
        s = self.searcher()
        if isinstance(q, query.Every):
            return allow if allow is not None else self._live()
        if q is query.NullQuery:
            return ()
        found = s.docs_for_query(q)
        if allow is None:
            return list(found)
        return [n for n in found if n in allow]

    def _bulk(self) -> BulkScorer:
        """The posting-list scorer of the current generation (its term cache with it)."""
        s = self.searcher()
        bulk = self._cache.get("bulk")
        if bulk is None:
            w = s.weighting
            bulk = self._cache["bulk"] = BulkScorer(s, w.kind_weights, w.field_lengths)
        return bulk  # type: ignore[no-any-return]

    def _live(self) -> set[int]:
        """Every document number that is not deleted."""
        live = self._cache.get("live")
        if live is None:
            live = self._cache["live"] = set(self.searcher().docs_for_query(query.Every()))
        return live  # type: ignore[no-any-return]

    def _allowed(self, filters: Sequence[ql.Node]) -> set[int] | None:
        """The documents every filter allows (None: no filter), from cached sets."""
        allow: set[int] | None = None
        for f in filters:
            docs = self._filter_set(f)
            if docs is None:
                continue
            allow = docs if allow is None else allow & docs
        return allow

    def _filter_set(self, node: ql.Node) -> set[int] | None:
        key = ("filter", node)
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        docs: set[int] | None
        if isinstance(node, ql.Field) and isinstance(node.value, ql.DateRange):
            docs = self._date_set(node.value)
        else:
            fq = _translate(self, node)
            docs = None if fq is None else set(self.searcher().docs_for_query(fq))
        if len(self._cache) > 500:  # many distinct filters: start again
            self._cache = {k: v for k, v in self._cache.items() if k[0] != "filter"}
        self._cache[key] = docs
        return docs

    def _dates(self) -> tuple[list[int], list[int], list[int]]:
        """(date key by document number, date keys sorted, document numbers in that order).

        Keys are the date column's sortable integers; a unit without a date has the
        largest key there is, so ranges never include it."""
        found = self._cache.get("dates")
        if found is None:
            reader = self.searcher().reader()
            if reader.has_column("date"):
                keys = list(reader.column_reader("date", translate=False))
            else:
                keys = [_NO_DATE] * reader.doc_count_all()
            order = sorted(range(len(keys)), key=keys.__getitem__)
            found = self._cache["dates"] = (keys, [keys[n] for n in order], order)
        return found  # type: ignore[no-any-return]

    def _date_set(self, r: ql.DateRange) -> set[int]:
        _, sorted_keys, order = self._dates()
        field_ = self.schema["date"]
        start = _date_bound(r.start, end=False)
        end = _date_bound(r.end, end=True)
        lo = bisect_left(sorted_keys, field_.to_column_value(start)) if start else 0
        hi = (
            bisect_right(sorted_keys, field_.to_column_value(end))
            if end
            else bisect_left(sorted_keys, _NO_DATE)
        )
        return set(order[lo:hi])

    def _rank(self, name: str) -> list[int]:
        """Every document number's place in an order, computed once per generation:
        "newest" (by date, newest first, undated last) or "browse" (the minutes before
        the entities by kind weight, then newest first)."""
        rank = self._cache.get(("rank", name))
        if rank is None:
            keys = self._dates()[0]
            if name == "newest":
                order = sorted(range(len(keys)), key=lambda n: (keys[n] == _NO_DATE, -keys[n], n))
            else:
                s = self.searcher()
                weights = s.weighting.kind_weights(s.reader())
                order = sorted(
                    range(len(keys)),
                    key=lambda n: (-weights[n], keys[n] == _NO_DATE, -keys[n], n),
                )
            rank = [0] * len(order)
            for i, n in enumerate(order):
                rank[n] = i
            self._cache[("rank", name)] = rank
        return rank  # type: ignore[no-any-return]

    def _browse(self, docs: Iterable[int], room: int) -> list[tuple[float, int]]:
        """Filters only, no words to rank by: the minutes before the entities, newest first."""
        rank = self._rank("browse")
        return [(0.0, n) for n in heapq.nsmallest(room, docs, key=rank.__getitem__)]

    def _newest(
        self,
        q: Any,
        docs: Sequence[int] | set[int] | dict[int, float],
        room: int,
        scored: dict[int, float] | None = None,
    ) -> list[tuple[float, int]]:
        """The first `room` documents newest first, ties (one meeting) by score.

        Only the documents that can be among them are scored (unless `scored` has
        every score already): the newest `room` and any that share the date of the
        last of those."""
        keys = self._dates()[0]
        rank = self._rank("newest")
        first = heapq.nsmallest(room, docs, key=rank.__getitem__)
        if first and len(docs) > room:
            last = keys[first[-1]]
            seen = set(first)
            first += [n for n in docs if keys[n] == last and n not in seen]
        scores = scored if scored is not None else self._scores(q, first)
        first.sort(key=lambda n: (keys[n] == _NO_DATE, -keys[n], -scores.get(n, 0.0), n))
        return [(scores.get(n, 0.0), n) for n in first[:room]]

    def _scores(self, q: Any, docnums: Iterable[int]) -> dict[int, float]:
        """The relevance scores of some matching documents (a matcher skipping to each)."""
        s = self.searcher()
        wanted = sorted(docnums)
        out: dict[int, float] = {}
        if not wanted or isinstance(q, query.Every):
            return out
        leaves = list(s.leaf_searchers())
        for i, (leaf, offset) in enumerate(leaves):
            stop = leaves[i + 1][1] if i + 1 < len(leaves) else None
            mine = [n - offset for n in wanted if n >= offset and (stop is None or n < stop)]
            if not mine:
                continue
            m = q.matcher(leaf, leaf.context(needs_current=True))
            for n in mine:
                if not m.is_active():
                    break
                if m.id() < n:
                    m.skip_to(n)
                    if not m.is_active():
                        break
                if m.id() == n:
                    out[n + offset] = float(m.score())
        return out

    def _highlight_terms(self, shown: Any) -> frozenset[str]:
        """The words of the text field a query matches (prefixes expanded once)."""
        if shown is None:
            return frozenset()
        reader = self.searcher().reader()
        field_ = self.schema["content"]
        words: set[str] = set()
        for fn, t in shown.existing_terms(reader, phrases=True, expand=True):
            if fn in ("text", "content"):
                words.add(field_.from_bytes(t))
            elif fn == "pairs":
                words.update(field_.from_bytes(t).split(_PAIR))
        return frozenset(words)

    def _snippet(self, text: str, words: frozenset[str]) -> str:
        """Whoosh's highlighting of the stored text (as `Hit.highlights`, top 2)."""
        tokens = self._words(text, positions=True, chars=True, mode="index", removestops=False)
        tokens = highlight.set_matched_filter(tokens, words)
        tokens = highlight.Highlighter._merge_matched_tokens(tokens)
        fragments = _FRAGMENTER.fragment_tokens(text, tokens)
        best = highlight.top_fragments(fragments, 2, _FRAGMENT_SCORER, highlight.FIRST, minscore=1)
        return str(_FORMATTER.format(best))

    def _facet_table(self, fieldname: str) -> list[tuple[str, ...]]:
        """Values of a field per document number, cached per searcher (generation)."""
        key = ("facet", fieldname)
        table = self._cache.get(key)
        if table is not None:
            return table  # type: ignore[no-any-return]
        # one thread at a time: walking every posting list of the field from several
        # threads at once (the app's warm-up and the first searches) read the postings
        # file at each other's offsets ("Block tag error", a 500 under load)
        with _FACET_LOCK:
            table = self._cache.get(key)
            if table is not None:
                return table  # type: ignore[no-any-return]
            s = self.searcher()
            field_ = self.schema[fieldname]
            lists: list[list[str]] = [[] for _ in range(s.reader().doc_count_all())]
            for leaf, offset in s.leaf_searchers():
                reader = leaf.reader()
                for btext in reader.lexicon(fieldname):
                    value = str(field_.from_bytes(btext))
                    for n in doc_ids(reader, fieldname, btext):
                        lists[n + offset].append(value)
            table = self._cache[key] = [tuple(x) for x in lists]
            return table

    @_pin
    def warm(self) -> None:
        """Compute what the first searches of an index generation would otherwise pay
        for (a second or more each at 10,000 meetings): kind weights and field lengths
        per segment, the date order, and the facet tables. The web app runs it in the
        background when it opens an index."""
        s = self.searcher()
        for leaf, _offset in s.leaf_searchers():
            s.weighting.kind_weights(leaf.reader())
            s.weighting.field_lengths(leaf.reader(), "content")
        self._rank("newest")
        self._rank("browse")
        for name in FACETS:
            self._facet_table(_FACET_FIELD[name])

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()` once per index generation: a value derived from the units (a label).

        Args:
            key: hashable, unique to what `make` computes.
        """
        self.searcher()  # a new generation empties the cache
        full = ("caller", key)
        if full not in self._cache:
            if len(self._cache) > 5000:
                self._cache = {k: v for k, v in self._cache.items() if k[0] != "caller"}
            self._cache[full] = make()
        return self._cache[full]


_NO_DATE = 2**64 - 1
"""The date column's value for a unit without a date."""

_SURFACE = RegexTokenizer() | LowercaseFilter()
"""The words of a text as written (lowercased), for `SearchIndex.suggest`."""
_FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70)
_FRAGMENT_SCORER = highlight.BasicFragmentScorer()
_FORMATTER = _Mark()


FILTER_FIELDS = frozenset(
    [
        "speaker",
        "role",
        "person",
        "place",
        "topic",
        "body",
        "kind",
        "year",
        "meeting",
        "doc",
        "date",
    ]
)
"""Query fields that only say which units may match (who, where, when, what kind): ANDed
with the rest of a query they are unscored filters, cached per index generation. The
free text (and ``title:``, ``text:``) is what ranks the hits."""


def _split_filters(node: ql.Node | None) -> tuple[ql.Node | None, list[ql.Node]]:
    """Take the field filters a query is ANDed with out of it: (the rest, the filters)."""

    def is_filter(n: ql.Node) -> bool:
        return isinstance(n, ql.Field) and n.name in FILTER_FIELDS

    if node is None:
        return None, []
    if is_filter(node):
        return None, [node]
    if isinstance(node, ql.And):
        found = [n for n in node.items if is_filter(n)]
        if found:
            rest = [n for n in node.items if not is_filter(n)]
            if not rest:
                return None, found
            return (rest[0] if len(rest) == 1 else ql.And(tuple(rest))), found
    return node, []


def _distinct_passages(
    s: Any, ranked: Iterable[tuple[float, int]], wanted: int
) -> list[tuple[int, float, dict[str, Any]]]:
    """The first `wanted` hits (docnum, score, stored fields), one per passage of the
    minutes: a statement or action inside a paragraph already listed (or the paragraph
    around one) only repeats it."""
    kept: list[tuple[int, float, dict[str, Any]]] = []
    spans: list[tuple[str, int, int]] = []
    for score, n in ranked:
        stored = s.stored_fields(n)
        span = _span_of(stored)
        doc = stored.get("doc", "")
        if span and any(d == doc and a < span[1] and span[0] < b for d, a, b in spans):
            continue
        if span:
            spans.append((doc, span[0], span[1]))
        kept.append((n, score, stored))
        if len(kept) >= wanted:
            break
    return kept


def _span_of(stored: dict[str, Any]) -> tuple[int, int] | None:
    span = stored.get("span")
    return (int(span[0]), int(span[1])) if span else None


class _WriterContext:
    def __init__(self, ix: SearchIndex, *, limitmb: int, procs: int) -> None:
        self._owner = ix
        self._limitmb = limitmb
        self._procs = procs
        self._w: _WhooshWriter | None = None

    def __enter__(self) -> _Writer:
        if self._procs > 1:
            self._w = self._owner._ix.writer(
                limitmb=self._limitmb, procs=self._procs, multisegment=True
            )
        else:
            self._w = self._owner._ix.writer(limitmb=self._limitmb)
        return _Writer(self._w)

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        assert self._w is not None
        if exc_type is None:
            self._w.commit(mergetype=_tiered_merge)
        else:
            self._w.cancel()


RETIRE_AFTER = 120.0
"""Seconds a replaced searcher stays open for the searches still reading it."""

MERGE_FACTOR = 16
"""Segments of one size tier that are merged into one (see `_tiered_merge`). 16, not 8:
merging is the serial writer's largest cost at 10,000 meetings, and 16 rewrites each unit
about once by then (8: twice) while a search over ~30 segments measured as fast as over
one (bench/search_bench.py, 3,000 meetings)."""


def _tiered_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge when MERGE_FACTOR segments share a size tier.

    A segment's tier is its unit count's order of magnitude in base MERGE_FACTOR. Each
    commit of a long ingest writes one segment; Whoosh's default policy (MERGE_SMALL,
    Fibonacci sizes) re-merged the big segments again and again, and merging is pure
    Python: at 4,500 meetings the merges were all an ingest did. Here a unit is
    rewritten about log_16(units / segment) times, as in Lucene's tiered policy. A
    segment with more deleted than live units joins the merge so deletions are purged.
    The merge itself is `_merged_segment` (a k-way merge of sorted postings), not
    Whoosh's `add_reader` (which re-sorts every posting).
    """

    def tier(seg: Any) -> int:
        n, t = max(seg.doc_count(), 1), 0
        while n >= MERGE_FACTOR:
            n //= MERGE_FACTOR
            t += 1
        return t

    tiers: dict[int, list[Any]] = {}
    for seg in segments:
        tiers.setdefault(tier(seg), []).append(seg)
    merge: list[Any] = []
    for t in sorted(tiers):
        if len(tiers[t]) >= MERGE_FACTOR:
            merge = tiers[t]
            break
    merge += [
        seg
        for seg in segments
        if seg not in merge and seg.deleted_count() > seg.doc_count() and seg.doc_count_all()
    ]
    if len(merge) < 2:
        return segments
    return [seg for seg in segments if seg not in merge] + [_merged_segment(writer, merge)]


def _merged_segment(writer: Any, segments: list[Any]) -> Any:
    """Merge segments into one new segment, written straight through the codec.

    Whoosh's own merge (`SegmentWriter.add_reader`) feeds every posting of every
    segment into the writer's pool, which sorts them all again (pure Python, ~740
    units/s): at 10,000 meetings an ingest spent 96% of its time there. The
    segments' term lists are sorted already, so here each field's terms are a k-way
    merge of the segments' lexicons, and each term's postings are the segments'
    postings in segment order with their document numbers renumbered (deleted units
    dropped): no pool, no sort. Stored fields, lengths and columns are copied by
    Whoosh's own `write_per_doc`. The result is what `add_reader` + a flush writes:
    the same documents, in the same order, with the same postings.
    """
    from types import SimpleNamespace

    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    storage, schema, codec = writer.storage, writer.schema, writer.codec
    newsegment = codec.new_segment(storage, writer.indexname)
    shim = SimpleNamespace(
        schema=schema, perdocwriter=codec.per_document_writer(storage, newsegment), docnum=0
    )
    readers = [SegmentReader(storage, schema, seg) for seg in segments]
    try:
        remaps: list[list[int] | int] = []
        for reader in readers:
            names = {f for f in reader.indexed_field_names() if f in schema}
            base = shim.docnum
            docmap = SegmentWriter.write_per_doc(shim, set(schema.names()) | names, reader)
            if docmap is None:
                remaps.append(base)  # no deletions: a new number is base + old number
            else:
                remap = [-1] * reader.doc_count_all()
                for old, new in docmap.items():
                    remap[old] = new
                remaps.append(remap)
        shim.perdocwriter.close()
        count = shim.docnum
        newsegment.set_doc_count(count)
        pdr = codec.per_document_reader(storage, newsegment)
        fw = codec.field_writer(storage, newsegment)
        try:
            fields = sorted({f for r in readers for f in r.indexed_field_names() if f in schema})
            for fieldname in fields:
                _merge_field(fw, pdr, schema[fieldname], fieldname, readers, remaps, count)
        finally:
            fw.close()
            pdr.close()
    finally:
        for reader in readers:
            reader.close()
    if writer.compound:
        newsegment.create_compound_file(storage)
        newsegment.compound = True
    return newsegment


def _merge_field(
    fw: Any,
    pdr: Any,
    fieldobj: Any,
    fieldname: str,
    readers: list[Any],
    remaps: list[list[int] | int],
    count: int,
) -> None:
    """One field of `_merged_segment`: its terms in order, each term's postings."""
    column = pdr._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is not None:
        lengths: list[int | None] = [_BYTE_LENGTH_0[b] for b in column]
    else:
        lengths = [0] * count
    fmt = fieldobj.format
    held = [i for i, r in enumerate(readers) if fieldname in r.indexed_field_names()]
    lexicons = [_numbered(readers[i].lexicon(fieldname), i) for i in held]
    started_field = False
    term: bytes | None = None
    holders: list[int] = []

    def flush(btext: bytes, holders: list[int]) -> None:
        nonlocal started_field
        add = None
        for i in holders:
            remap = remaps[i]
            m = readers[i]._terms.matcher(fieldname, btext, fmt)
            while m.is_active():
                m._read_ids()
                m._read_weights()
                m._read_values()
                if isinstance(remap, int):
                    news = [remap + d for d in m._ids]
                else:
                    news = [remap[d] for d in m._ids]
                for new, weight, value in zip(news, m._weights, m._values, strict=True):
                    if new < 0:
                        continue  # deleted
                    if add is None:  # the term's first live posting
                        if not started_field:
                            fw.start_field(fieldname, fieldobj)
                            started_field = True
                        fw.start_term(btext)
                        add = fw._postwriter.add_posting
                    add(new, weight, value or b"", lengths[new])
                m._next_block()
        if add is not None:
            fw.finish_term()

    for btext, i in heapq.merge(*lexicons):
        if btext != term:
            if term is not None:
                flush(term, holders)
            term, holders = btext, []
        holders.append(i)
    if term is not None:
        flush(term, holders)
    if started_field:
        fw.finish_field()


def _numbered(terms: Iterable[bytes], i: int) -> Iterator[tuple[bytes, int]]:
    for t in terms:
        yield t, i


_BYTE_LENGTH_0: list[int | None] = [byte_to_length(b) if b else None for b in range(256)]
"""Whoosh's one-byte field lengths decoded as its own merge reads them
(`W3PerDocReader.doc_field_length`: None for 0)."""


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# -- query trees -> Whoosh queries ---------------------------------------------------------
def _terms(ix: SearchIndex, fieldname: str, text: str) -> list[str]:
    analyzer = ix.schema[fieldname].analyzer
    return [t.text for t in analyzer(text)]


def _text_query(ix: SearchIndex, fieldname: str, text: str, boost: float = 1.0) -> Any:
    schema = ix.schema
    if fieldname in ("kind", "year", "meeting", "doc"):
        value = text.lower() if fieldname in ("kind", "year") else text
        if fieldname == "kind" and value in ("action", "actions"):
            return query.Or([query.Term("kind", "action"), query.Term("kind", "commitment")])
        if fieldname == "kind" and value.endswith("s") and value[:-1] in KINDS:
            value = value[:-1]
        return query.Term(fieldname, value, boost=boost)
    terms = _terms(ix, fieldname, text)
    if not terms:
        return None
    if len(terms) == 1:
        return query.Term(fieldname, terms[0], boost=boost)
    if fieldname == "content" and "pairs" in schema:
        pairs = list(dict.fromkeys(a + _PAIR + b for a, b in zip(terms, terms[1:], strict=False)))
        if len(pairs) == 1:
            return query.Term("pairs", pairs[0], boost=boost)
        return query.And([query.Term("pairs", pr) for pr in pairs], boost=boost)
    if schema[fieldname].format.supports("positions"):
        return query.Phrase(fieldname, terms, slop=1, boost=boost)
    return query.And([query.Term(fieldname, t) for t in terms], boost=boost)


EXPANSION_BOOST = 0.6
"""Weight of a thesaurus label against the words the user typed."""


def _free_text(ix: SearchIndex, text: str, boost: float = 1.0) -> Any:
    """A free-text word or phrase: in the text, or the title, speaker or role."""
    if not _terms(ix, "content", text):
        return None  # a stop word ("in", "what"): not required through the name fields either
    if "content" in ix.schema:
        return _text_query(ix, "content", text, boost)
    alts = [_text_query(ix, name, text, boost * weight) for name, weight in TEXT_FIELDS]
    kept = [a for a in alts if a is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else query.Or(kept)


def _translate(
    ix: SearchIndex, node: ql.Node, fieldname: str = "text", positive: bool = False
) -> Any:
    """The Whoosh query of a tree; `positive` leaves out what NOT excludes (for highlights)."""
    if isinstance(node, ql.Word | ql.Phrase):
        if fieldname == "text":
            return _free_text(ix, node.text)
        return _text_query(ix, fieldname, node.text)
    if isinstance(node, ql.Prefix):
        return query.Prefix("content" if fieldname == "text" else fieldname, node.text.lower())
    if isinstance(node, ql.Field):
        target = _QUERY_FIELD.get(node.name)
        if isinstance(node.value, ql.DateRange):
            start = _date_bound(node.value.start, end=False)
            end = _date_bound(node.value.end, end=True)
            return query.DateRange("date", start, end)
        if target is None:
            return None
        return _translate(ix, node.value, target)
    if isinstance(node, ql.Exact):
        name = "person_id" if node.facet == "person_id" else _FACET_FIELD[node.facet]
        if name == "kind" and node.value == "action":
            return _text_query(ix, "kind", "action")
        return query.Term(name, node.value)
    if isinstance(node, ql.Synonyms):
        alts = [_translate(ix, node.original, fieldname, positive)]
        alts += [_free_text(ix, label, EXPANSION_BOOST) for label in node.labels]
        kept = [a for a in alts if a is not None]
        return query.Or(kept) if kept else None
    if isinstance(node, ql.And) and not positive and any(isinstance(n, ql.Not) for n in node.items):
        # "a NOT b": Whoosh's AndNot skips through b's postings; And([a, Not(b)]) walks
        # every document that is not b
        keep = _translate(
            ix, ql.And(tuple(n for n in node.items if not isinstance(n, ql.Not))), fieldname
        )
        drop = [
            x
            for x in (
                _translate(ix, n.item, fieldname) for n in node.items if isinstance(n, ql.Not)
            )
            if x is not None
        ]
        if not drop:
            return keep
        return query.AndNot(
            query.Every() if keep is None else keep, drop[0] if len(drop) == 1 else query.Or(drop)
        )
    if isinstance(node, ql.And | ql.Or):
        parts = [
            p for p in (_translate(ix, n, fieldname, positive) for n in node.items) if p is not None
        ]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return query.And(parts) if isinstance(node, ql.And) else query.Or(parts)
    if isinstance(node, ql.Not):
        if positive:
            return None
        inner = _translate(ix, node.item, fieldname)
        return query.Not(inner) if inner is not None else None
    raise TypeError(f"not a query node: {node!r}")
