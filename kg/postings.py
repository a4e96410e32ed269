"""Scoring whole posting lists at once: the fast path of `kg.index.SearchIndex.search`.

Whoosh scores a query by walking its matchers one posting at a time in Python
(``next()``, ``id()``, ``score()`` on a tree of matcher objects), about a
microsecond or more per posting per term, and a search needs two such passes (the
total and facets, then the ranking). A common word ("police") has tens of thousands
of postings at 10,000 meetings: that walk was the p95.

Here a term's postings are read a block at a time (Whoosh's W3 codec stores each
block as a pickled tuple: delta-coded ids and an array of weights) and turned into
a dict ``{document number: score}`` in one comprehension, with the same BM25F
formula, field lengths and kind factors Whoosh's scorer uses (`kg.index`'s
weighting), so rankings do not change (but for one thing Whoosh gets wrong: "a NOT b"
drops every document with b, where Whoosh's AndNot matcher lets a few through). And, Or and AndNot are then dict and set
operations in C. The dicts of long posting lists are cached per index generation.

Query types this does not know (phrases with positions, ranges, ...) return None
and the caller falls back to Whoosh's own matchers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher

__all__ = ["BulkScorer", "doc_ids"]

Scores = dict[int, float]

CACHE_POSTINGS = 600_000
"""Postings kept in the per-generation cache of term scores (~60 MB at most)."""
CACHE_FROM = 2_000
"""Only terms with at least this many postings are cached (short ones are cheap)."""


class BulkScorer:
    """Scores of every document a Whoosh query matches, from whole posting lists.

    Args:
        searcher: the Whoosh searcher (one index generation).
        kind_weights: reader -> the kind factor of each of its document numbers.
        field_lengths: (reader, field) -> each document's field length, or None.
    """

    def __init__(
        self,
        searcher: Any,
        kind_weights: Callable[[Any], list[float]],
        field_lengths: Callable[[Any, str], list[int] | None],
    ) -> None:
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.kind_weights = kind_weights
        self.field_lengths = field_lengths
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._cache: OrderedDict[tuple[str, bytes], Scores] = OrderedDict()
        self._cached = 0

    def scores(self, q: Any) -> Scores | None:
        """{document number: score} for every match, or None if `q` has a part this
        module does not score (the caller then asks Whoosh)."""
        try:
            return self._eval(q)
        except _Unsupported:
            return None

    # -- the query tree ---------------------------------------------------------------
    def _eval(self, q: Any) -> Scores:
        if q is query.NullQuery:
            return {}
        if isinstance(q, query.Term):
            out = self._term(q.fieldname, q.text)
            return _boosted(out, q.boost)
        if isinstance(q, query.Prefix):
            return _boosted(self._prefix(q), q.boost)
        if isinstance(q, query.And):
            parts = sorted((self._eval(s) for s in q.subqueries), key=len)
            if not parts:
                return {}
            keys = set(parts[0]).intersection(*parts[1:])
            out = {n: sum(p[n] for p in parts) for n in keys}
            return _boosted(out, q.boost)
        if isinstance(q, query.Or):
            out = {}
            for part in (self._eval(s) for s in q.subqueries):
                if not out:
                    out = dict(part)
                    continue
                for n, v in part.items():
                    out[n] = out.get(n, 0.0) + v
            return _boosted(out, q.boost)
        if isinstance(q, query.AndNot):
            keep = self._eval(q.a)
            drop = self._eval(q.b)
            return {n: v for n, v in keep.items() if n not in drop}
        raise _Unsupported(type(q).__name__)

    # -- leaves -----------------------------------------------------------------------
    def _term(self, fieldname: str, text: Any) -> Scores:
        schema = self.searcher.schema
        if fieldname not in schema:
            return {}
        field = schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}
        key = (fieldname, btext)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        out: Scores = {}
        scorable = field.scorable
        for reader, offset in self.leaves:
            if key not in reader:
                continue
            ids, weights = _postings(reader, fieldname, btext)
            kinds = self.kind_weights(reader)
            if scorable:
                idf = self.searcher.idf(fieldname, btext)
                avgfl = self.searcher.avg_field_length(fieldname) or 1
                b, k1 = self.weighting.B, self.weighting.K1
                # Whoosh's bm25(): idf * tf*(K1+1) / (tf + K1*((1-B) + B*fl/avgfl))
                c0, c1, k = k1 * (1 - b), k1 * b / avgfl, idf * (k1 + 1)
                column = self.field_lengths(reader, fieldname)
                if column is None:
                    length_of = self.searcher.doc_field_length
                    lengths: Any = {n: length_of(n + offset, fieldname, 1) for n in ids}
                else:
                    lengths = column
                out.update(
                    (n + offset, k * w / (w + c0 + c1 * lengths[n]) * kinds[n])
                    for n, w in zip(ids, weights, strict=True)
                )
            else:
                out.update((n + offset, w * kinds[n]) for n, w in zip(ids, weights, strict=True))
        if len(out) >= CACHE_FROM:
            self._remember(key, out)
        return out

    def _prefix(self, q: Any) -> Scores:
        """A prefix as the OR of the words it expands to, each scored by BM25F."""
        out: Scores = {}
        for btext in q._btexts(self.searcher.reader()):
            for n, v in self._term(q.fieldname, btext).items():
                out[n] = out.get(n, 0.0) + v
        return out

    def _remember(self, key: tuple[str, bytes], scores: Scores) -> None:
        self._cache[key] = scores
        self._cached += len(scores)
        while self._cached > CACHE_POSTINGS and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old)


class _Unsupported(Exception):
    """A query part this module does not score."""


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {n: v * boost for n, v in scores.items()}


def doc_ids(reader: Any, fieldname: str, btext: bytes) -> list[int]:
    """The live document numbers of one term, read a block at a time (a segment's
    reader, or a multi-segment reader with the segments' offsets added)."""
    if not reader.is_atomic():
        out: list[int] = []
        for sub, offset in zip(reader.readers, reader.doc_offsets, strict=True):
            out += [n + offset for n in _postings(sub, fieldname, btext)[0]]
        return out
    return _postings(reader, fieldname, btext)[0]


def _postings(reader: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """(document numbers, weights) of one term in one segment, deleted ones left out."""
    if (fieldname, btext) not in reader:
        return [], []
    m = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        while m.is_active():
            m._read_data()
            m._read_weights()
            ids.extend(accumulate(m._data[0]))
            weights.extend(m._weights)
            m._next_block()
    else:  # postings inlined in the term info (short lists): the matcher's own walk
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if deleted:
        kept = [i for i, n in enumerate(ids) if n not in deleted]
        ids = [ids[i] for i in kept]
        weights = [weights[i] for i in kept]
    return ids, weights
