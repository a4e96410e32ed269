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
"""

from __future__ import annotations

import calendar
import json
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from whoosh import highlight, index, query, scoring, sorting
from whoosh.analysis import STOP_WORDS, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.writing import IndexWriter as _WhooshWriter

from kg import querylang as ql

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

SCHEMA_VERSION = 3
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
what the Chief Constable said about custody."""


def _schema() -> Schema:
    words = StemmingAnalyzer(stoplist=STOP_WORDS | QUESTION_WORDS)
    names = _names_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        text=TEXT(analyzer=words, stored=True, phrase=True, spelling=True),
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
    """BM25F times the unit kind's KIND_WEIGHT."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        inner = super().scorer(searcher, fieldname, text, qf)
        reader = searcher.reader()
        kinds = reader.column_reader("kind") if reader.has_column("kind") else None
        return _KindScorer(inner, kinds)


class _KindScorer(scoring.BaseScorer):
    def __init__(self, inner: Any, kinds: Any) -> None:
        self.inner = inner
        self.kinds = kinds

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float(self.inner.max_quality())

    def score(self, matcher: Any) -> float:
        score = float(self.inner.score(matcher))
        if self.kinds is None:
            return score
        return score * KIND_WEIGHT.get(self.kinds[matcher.id()], 1.0)


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

    def ids_of_document(self, sha256: str) -> list[str]:
        """Ids of the units (committed ones) that belong to this document."""
        with self._w.searcher() as s:
            return [d["id"] for d in s.documents(doc=sha256)]


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
        except OSError as exc:
            raise SearchIndexError(f"{self.path}: cannot open the search index ({exc})") from exc
        meta = self._meta()
        if meta.get("schema") != SCHEMA_VERSION:
            raise SearchIndexError(
                f"{self.path}: the search index has an old layout; run `govkg reindex`"
            )
        self._lock = threading.Lock()
        self._searcher: Any = None
        self._facet_tables: dict[str, list[tuple[str, ...]]] = {}
        self._words = self._ix.schema["text"].analyzer

    # -- lifecycle ----------------------------------------------------------------
    def close(self) -> None:
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
    def writing(self, *, limitmb: int = 128, procs: int = 1) -> _WriterContext:
        """A writer for a batch: ``with index.writing() as w: ...``; commits on success.

        Args:
            limitmb: memory for the indexing pool before it spills to disk.
            procs: indexing processes (1 is fastest for small batches).
        """
        if self.read_only:
            raise SearchIndexError(f"{self.path}: the search index is open read-only")
        return _WriterContext(self, limitmb=limitmb, procs=procs)

    def optimize(self) -> None:
        """Merge all segments into one (after a full rebuild); a no-op for one segment."""
        if len(self._ix._segments()) > 1:
            self._ix.optimize()

    def clear(self) -> None:
        """Delete every unit (a new empty index with the same schema)."""
        self.close()
        self._ix = index.create_in(str(self.path), _schema())
        self._write_meta()

    # -- reading ------------------------------------------------------------------------
    def searcher(self) -> Any:
        """The shared searcher, refreshed if a writer committed since it was opened."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=_KindWeighting())
                self._facet_tables = {}
            elif not self._searcher.up_to_date():
                # a new searcher, not Searcher.refresh(): whoosh 2.7.5's reader reuse
                # fails when the old reader was a single segment's
                self._searcher.close()
                self._searcher = self._ix.searcher(weighting=_KindWeighting())
                self._facet_tables = {}
            return self._searcher

    def analyze(self, text: str) -> list[str]:
        """The index terms of a text (lowercased, stop words gone, stemmed)."""
        return [t.text for t in self._words(text)]

    def has_word(self, word: str) -> bool:
        """Whether the word (or its stem) occurs in any unit's text."""
        terms = self.analyze(word)
        reader = self.searcher().reader()
        return bool(terms) and all(("text", t) in reader for t in terms)

    def suggest(self, word: str) -> str | None:
        """The closest word of the texts to a word that is not in them, or None."""
        corrector = self.searcher().corrector("text")
        found = corrector.suggest(word.lower(), limit=1, maxdist=2, prefix=1)
        return found[0] if found else None

    def unit_count(self) -> int:
        return int(self.searcher().doc_count())

    def documents(self) -> dict[str, int]:
        """Units per document sha256 (entity units count for every document they are in)."""
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

        Args:
            node: the query (None: every unit the filters allow).
            filters: more trees every hit must match (unscored).
            page, per_page: 1-based page and its size.
            sort: "relevance" or "date" (newest first, then relevance).
            facets: names from FACETS to count over all matching units.
        """
        s = self.searcher()
        q = _translate(self, node) if node is not None else query.Every()
        if q is None:
            q = query.NullQuery
        fq = [x for x in (_translate(self, f) for f in filters) if x is not None]
        kwargs: dict[str, Any] = {"filter": query.And(fq) if fq else None}
        if sort == "date":
            kwargs["sortedby"] = sorting.MultiFacet(
                [sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()]
            )
        offset = (max(page, 1) - 1) * per_page
        # room to skip passages that repeat one already listed (see _distinct_passages)
        results = s.search(q, limit=3 * (offset + per_page) + 10, terms=False, **kwargs)
        total = len(results)
        # highlight what was asked for, not what was excluded (NOT x)
        shown = _translate(self, node, positive=True) if node is not None else None
        results.q = shown if shown is not None else query.NullQuery
        results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70)
        results.formatter = _Mark()
        hits = []
        for hit in _distinct_passages(results, offset + per_page)[offset:]:
            stored = hit.fields()
            snippet = hit.highlights("text", top=2) if stored.get("text") else ""
            hits.append(
                RawHit(
                    unit=_from_stored(stored),
                    # sorted by date, Whoosh gives the sort key instead of a score
                    score=float(hit.score) if isinstance(hit.score, int | float) else 0.0,
                    snippet=snippet or _plain_snippet(stored.get("text", "")),
                )
            )
        counts = {}
        if facets:
            docs = results.docs()
            for name in facets:
                table = self._facet_table(_FACET_FIELD[name])
                c: Counter[str] = Counter()
                for n in docs:
                    c.update(table[n])
                counts[name] = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:facet_limit]
        return RawPage(total=total, hits=hits, facets=counts)

    def _facet_table(self, fieldname: str) -> list[tuple[str, ...]]:
        """Values of a field per document number, cached per searcher (generation)."""
        table = self._facet_tables.get(fieldname)
        if table is None:
            s = self.searcher()
            reader = s.reader()
            lists: list[list[str]] = [[] for _ in range(reader.doc_count_all())]
            for term in reader.field_terms(fieldname):
                for n in reader.postings(fieldname, term).all_ids():
                    lists[n].append(str(term))
            table = [tuple(x) for x in lists]
            self._facet_tables[fieldname] = table
        return table


def _distinct_passages(results: Any, wanted: int) -> list[Any]:
    """The first `wanted` hits, one per passage of the minutes: a statement or action
    inside a paragraph already listed (or the paragraph around one) only repeats it."""
    kept: list[Any] = []
    spans: list[tuple[str, int, int]] = []
    for hit in results:
        stored = hit.fields()
        span = _span_of(stored)
        doc = stored.get("doc", "")
        if span and any(d == doc and a < span[1] and span[0] < b for d, a, b in spans):
            continue
        if span:
            spans.append((doc, span[0], span[1]))
        kept.append(hit)
        if len(kept) >= wanted:
            break
    return kept


def _span_of(stored: dict[str, Any]) -> tuple[int, int] | None:
    span = _from_stored(stored).span
    return (span[0], span[1]) if span else None


class _WriterContext:
    def __init__(self, ix: SearchIndex, *, limitmb: int, procs: int) -> None:
        self._owner = ix
        self._limitmb = limitmb
        self._procs = procs
        self._w: _WhooshWriter | None = None

    def __enter__(self) -> _Writer:
        self._w = self._owner._ix.writer(limitmb=self._limitmb, procs=self._procs)
        return _Writer(self._w)

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        assert self._w is not None
        if exc_type is None:
            self._w.commit()
        else:
            self._w.cancel()


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# -- query trees -> Whoosh queries ---------------------------------------------------------
def _terms(ix: SearchIndex, fieldname: str, text: str) -> list[str]:
    analyzer = ix._ix.schema[fieldname].analyzer
    return [t.text for t in analyzer(text)]


def _text_query(ix: SearchIndex, fieldname: str, text: str, boost: float = 1.0) -> Any:
    schema = ix._ix.schema
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
    if schema[fieldname].format.supports("positions"):
        return query.Phrase(fieldname, terms, slop=1, boost=boost)
    return query.And([query.Term(fieldname, t) for t in terms], boost=boost)


EXPANSION_BOOST = 0.6
"""Weight of a thesaurus label against the words the user typed."""


def _free_text(ix: SearchIndex, text: str, boost: float = 1.0) -> Any:
    """A free-text word or phrase: in the text, or the title, speaker or role."""
    if not _terms(ix, "text", text):
        return None  # a stop word ("in", "what"): not required through the name fields either
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
        return query.Prefix(fieldname, node.text.lower())
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
        alts += [_text_query(ix, "text", label, EXPANSION_BOOST) for label in node.labels]
        kept = [a for a in alts if a is not None]
        return query.Or(kept) if kept else None
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
