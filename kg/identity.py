"""Identity across meetings: one node per real person (and organisation) in the graph.

`kg.iris` mints a person IRI from the name as written, so one councillor is several
nodes: the full name ("Jane Doe" -> person/jane-doe), the initials form ("J Doe" ->
person/j-doe) and the surname alone, which is scoped to the body or, when the minutes
do not name their body, to the meeting ("Cllr Doe" -> person/{body}-doe or
person/{meeting}-doe). The document graphs keep those nodes as extracted (a document
graph stays a pure function of its file); this module adds DERIVED named graphs, one
per group (see below): ``{BASE}graph/identity/{body-slug}`` (``series-{name}-{hash}``
for a series of files that names no body, ``doc-{sha256}`` for a lone document). Each
is replaced whole. Readers ask the default graph (the union: only these graphs hold
owl:sameAs and gkg:Tenure) or bind ``?g`` by VALUES to `identity_graphs`. They hold:

- ``alias owl:sameAs canonical`` for every node merged into another, and the
  variants' names as ``skos:altLabel`` of the canonical node;
- one ``gkg:Tenure`` per (canonical person, role, organisation): ``gkg:firstSeen``
  and ``gkg:lastSeen`` (the first and last meeting dates that record it) and
  ``gkg:evidencedBy`` (each org:Membership the minutes recorded);
- organisation aliases (the same one-word name in several meetings of one body,
  "the Council" for the body itself) as ``owl:sameAs``, and ``schema:organizer`` for
  a meeting whose minutes do not name the body when its series does.

Why a derived graph and not IRIs rewritten at build time: the result must not depend
on the order of ingest. Whether "Cllr Doe" is "Jane Doe" depends on the other
documents of the body; a build-time table would give a document ingested before the
full name appeared another graph than one ingested after. The pass here is a function
of the set of stored documents only, so re-ingest and any order give the same graph.

Incremental: after an ingest that only ADDED documents, `refresh` recomputes the groups
they touch and nothing else (`_component`: the closure of their bodies, series of files,
person nodes and curation pairs, each read by VALUES), so one new meeting costs about
the same in a store of 10,000 meetings as in an empty one; a replaced document, a
missing series table (DATA/identity-series.json) or `govkg identity` recompute all.
The graphs are the same either way (tests/kg/test_identity.py).

Where people are grouped: a *group* is a body (the meeting's ``schema:organizer``);
when a document names no body it is grouped with the documents of its *series* (the
same folder and file name once the date is taken out: "town_cc_minutes_2019-01-28.txt"
-> "town_cc_minutes"), which takes the body that the series' other documents name.

The rules, applied in this order inside each (group, surname) bucket (so the work is
linear in the nodes, never pairwise over meetings):

1. ``curation``: owl:sameAs pairs of the curation file (DATA/curation.ttl or
   --curation), whatever the bucket.
2. ``same-name``: the same name in one group ("Doe" scoped to two meetings of the
   same body) is one person, as it would have been had both minutes named the body.
3. ``initials``: "J Doe" joins the one full name of the group whose forenames fit
   ("Jane Doe"; "J A Doe" fits "Jane Doe" and "Jane Ann Doe"), when exactly one fits.
4. ``initials-in-document``: initials alone ("JD", as in action lists) join the one
   person of the same document (else of the group) with those initials.
5. ``surname-only``: a surname alone joins the one full name of the group with that
   surname; when several, the one whose meetings overlap its period.

No merge joins names whose titles conflict (Mr against Mrs/Ms/Miss, as written in
the minutes' mentions) or a pair listed ``gkg:notSameAs`` in the curation file.
`explain` tells why two nodes are, or are not, one person (`govkg why-same`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import iris
from kg.namespace import GKG, ORG, RDF, SCHEMA, SKOS
from kg.store import term_value

__all__ = [
    "OWL_SAME_AS",
    "graph_iri",
    "graph_prefix",
    "legacy_graph_iri",
    "identity_graphs",
    "Curation",
    "load_curation",
    "curation_path",
    "Identity",
    "compute",
    "refresh",
    "explain",
    "RefreshReport",
]

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_MALE = {"mr"}
_FEMALE = {"mrs", "ms", "miss"}
_TITLE_IN_TEXT = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Dr)\b\.?\s+((?:[A-Z][\w'-]*\.?\s+){0,3}?)([A-Z][\w'-]+)"
)
# one-word organisation names that stand for the body whose minutes use them
_BODY_WORDS = {"council", "committee", "board", "panel", "authority", "above-council"}


def graph_prefix() -> str:
    """Every identity graph's IRI starts with this: ``{BASE}graph/identity/``."""
    return f"{iris.base()}graph/identity/"


def legacy_graph_iri() -> ox.NamedNode:
    """The single identity graph of earlier versions (``{BASE}graph/identity``): a full
    refresh drops it."""
    return ox.NamedNode(f"{iris.base()}graph/identity")


def graph_iri(group: str) -> ox.NamedNode:
    """The derived identity graph of one group (a body, a series of files, a document):
    ``{BASE}graph/identity/{slug}`` -- the body's slug ("org/town-council" ->
    "town-council"), "series-{name}-{hash}" or "doc-{sha256}"."""
    base = iris.base()
    if group.startswith(base):
        tail = group[len(base) :]
        if tail.startswith("org/"):
            slug = tail[4:]
        elif tail.startswith("graph/document/") or "/" in tail:
            slug = "doc-" + iris.slug(tail.rsplit("/", 1)[-1])
        else:
            slug = iris.slug(tail)
    elif group.startswith("series:"):
        name = iris.slug(group.rsplit("/", 1)[-1]) or "series"
        slug = f"series-{name}-{hashlib.sha1(group.encode()).hexdigest()[:10]}"
    else:
        slug = "other-" + hashlib.sha1(group.encode()).hexdigest()[:16]
    return ox.NamedNode(f"{graph_prefix()}{slug}")


def _n(term: Any) -> ox.NamedNode:
    return ox.NamedNode(str(term))


# -- curation ---------------------------------------------------------------------------
@dataclass
class Curation:
    """Pairs a maintainer asserted: owl:sameAs (merge) and gkg:notSameAs (keep apart)."""

    same: list[tuple[str, str]] = field(default_factory=list)
    different: set[frozenset[str]] = field(default_factory=set)
    path: Path | None = None


def curation_path(data_dir: str | os.PathLike[str]) -> Path:
    """The curation file of a data directory: DATA/curation.ttl."""
    return Path(data_dir) / "curation.ttl"


def load_curation(path: str | os.PathLike[str] | None) -> Curation:
    """Read a Turtle file of ``<a> owl:sameAs <b>`` / ``<a> gkg:notSameAs <b>`` triples.

    A missing file (None or not there) is an empty curation. Raises ValueError with
    the file name when the Turtle cannot be parsed."""
    cur = Curation(path=Path(path) if path else None)
    if path is None or not Path(path).is_file():
        return cur
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError) as exc:
        raise ValueError(f"{path}: not a Turtle curation file ({exc})") from exc
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
            continue
        if t.predicate.value == OWL_SAME_AS:
            cur.same.append((t.subject.value, t.object.value))
        elif t.predicate.value == str(GKG.notSameAs):
            cur.different.add(frozenset((t.subject.value, t.object.value)))
    return cur


# -- reading the store ------------------------------------------------------------------
@dataclass
class Node:
    """One extracted node with what the documents say about it."""

    iri: str
    name: str = ""
    names: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    meetings: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    @property
    def tokens(self) -> list[str]:
        return self.name.split()

    @property
    def surname(self) -> str:
        return iris.slug(self.tokens[-1]) if self.tokens else ""

    @property
    def forenames(self) -> list[str]:
        return self.tokens[:-1]

    @property
    def one_word(self) -> bool:
        return len(self.tokens) == 1

    @property
    def initials_only(self) -> str | None:
        """ "JD" for a one-word name written as initials (2-3 capitals), else None."""
        if self.one_word and re.fullmatch(r"[A-Z]{2,3}", self.name):
            return self.name
        return None

    def initials(self) -> str:
        """Every forename's initial(s) and the surname's: "Jane A Doe" -> "JAD"."""
        out = "".join(_token_initials(t) for t in self.forenames)
        return (out + self.tokens[-1][:1].upper()) if self.tokens else out


def _is_initials(token: str) -> bool:
    return len(token) == 1 or bool(re.fullmatch(r"[A-Z]{2,3}", token))


def _token_initials(token: str) -> str:
    return token.upper() if _is_initials(token) else token[:1].upper()


def _series_key(path: str | None) -> str | None:
    """Folder + file name without its dates and numbers: the document's series."""
    if not path:
        return None
    p = Path(path)
    stem = re.sub(r"(?:\d{4}[-_.]?\d{1,2}[-_.]?\d{1,2}|\d+)[a-z]?(?![a-z])", "", p.stem, flags=re.I)
    stem = re.sub(r"[-_. ]+", "_", stem).strip("_").lower()
    return f"series:{p.parent}/{stem}" if stem else None


@dataclass
class _Docs:
    """Per document graph: its meeting, date, body (as written or inferred) and group."""

    meeting: dict[str, str] = field(default_factory=dict)
    date: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    inferred_body: dict[str, str] = field(default_factory=dict)
    group: dict[str, str] = field(default_factory=dict)
    series: dict[str, str | None] = field(default_factory=dict)


_CHUNK = 100
_G = re.compile(r"\?g\b")
"""IRIs per VALUES block or UNION."""


def _values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{t}>' for t in terms)} }}"


def _chunks(items: Iterable[str]) -> list[list[str]]:
    ordered = sorted(set(items))
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def _select(
    store: Any,
    where: str,
    head: str,
    only: Iterable[str] | None,
    cache: _RowCache | None = None,
) -> list[dict[str, Any]]:
    """`SELECT head WHERE { GRAPH ?g { ?g a gkg:SourceDocument . where } }` over every
    document graph, or (only) over those named, by VALUES: never a scan of the store.
    With a `cache` (`_RowCache`), each document's rows come from it when it holds them
    for the document's build version; the store is asked about the others only, and
    what it says is kept for the next refresh. The rows are the same either way."""
    if cache is not None:
        return cache.select(store, where, head, only)
    if only is None:
        q = f"SELECT {head} WHERE {{ GRAPH ?g {{ ?g a gkg:SourceDocument . {where} }} }}"
        return list(store.select(q)[1])
    # one branch per graph, its name a constant: Oxigraph evaluates GRAPH ?g bound only
    # from outside (VALUES ?g { ... } GRAPH ?g { ... }) over EVERY graph (29 s against
    # 0.2 s for a body's 76 documents at 10,000 meetings)
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(only):
        branches = " UNION ".join(
            f"{{ GRAPH <{g}> {{ {_G.sub(f'<{g}>', where)} }} BIND(<{g}> AS ?g) }}" for g in chunk
        )
        rows += store.select(f"SELECT {head} WHERE {{ {branches} }}")[1]
    return rows


ROWS_FILE = "identity-rows.sqlite"
"""In the data directory: what each document graph answered to this module's queries
(`_RowCache`), so that an incremental refresh reads the documents of the groups it
recomputes from here instead of asking the store again (at 10,000 meetings one new
meeting of a body can touch ~700 documents through the people it names)."""


class _RowCache:
    """Each document's rows for each query of this module, kept in DATA/ROWS_FILE.

    A document graph is a function of its bytes (its IRI is their sha256) and of the
    build version (`govkg upgrade` rewrites a graph in place), so rows are kept by
    (document IRI, query) with the graph's gkg:buildVersion, which is read from the
    store for every document asked about: rows of another version are read again. A
    document no longer stored is never asked about (the closure and the full pass
    find documents in the store). A derived cache: deleting the file costs one slow
    refresh. Only the writer (under DATA/lock) uses it."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.path = path
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS rows (doc TEXT, query TEXT, version TEXT, data BLOB, "
            "PRIMARY KEY (doc, query))"
        )
        self.versions: dict[str, str] = {}
        """Document IRI -> its build version ("" when the graph records none), for the
        documents asked about so far; a document not stored has no entry."""
        self.complete = False
        """`versions` holds every stored document (after a select over all)."""

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def forget_others(self) -> None:
        """Drop the rows of documents no longer stored (after a select over all)."""
        if self.complete:
            kept = [(d,) for (d,) in self.db.execute("SELECT DISTINCT doc FROM rows")]
            gone = [d for d in kept if d[0] not in self.versions]
            self.db.executemany("DELETE FROM rows WHERE doc = ?", gone)

    def _read_versions(self, store: Any, docs: list[str] | None) -> None:
        query = (
            "SELECT ?g ?v WHERE {{ {values} ?g a gkg:SourceDocument "
            "OPTIONAL {{ ?g gkg:buildVersion ?v }} }}"
        )
        if docs is None:
            if not self.complete:
                self.versions = {
                    r["g"]: r["v"] or "" for r in store.select(query.format(values=""))[1]
                }
                self.complete = True
            return
        if self.complete:
            return
        todo = [d for d in docs if d not in self.versions]
        for i in range(0, len(todo), 300):
            for r in store.select(query.format(values=_values("g", todo[i : i + 300])))[1]:
                self.versions[r["g"]] = r["v"] or ""

    def select(
        self, store: Any, where: str, head: str, only: Iterable[str] | None
    ) -> list[dict[str, Any]]:
        import zlib

        distinct = head.startswith("DISTINCT ")
        names = [v[1:] for v in head.removeprefix("DISTINCT ").split()]
        # the query as asked, with ?g (each row's document) in its head
        wide = head if "g" in names else f"{head} ?g"
        key = hashlib.sha1(f"{wide}\n{where}".encode()).hexdigest()[:16]
        docs = None if only is None else sorted(set(only))
        self._read_versions(store, docs)
        per_doc: dict[str, list[dict[str, Any]]] = {}
        if docs is not None:
            for i in range(0, len(docs), 500):
                chunk = docs[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for doc, version, data in self.db.execute(
                    f"SELECT doc, version, data FROM rows WHERE query = ? AND doc IN ({marks})",
                    [key, *chunk],
                ):
                    if self.versions.get(doc) == version:
                        per_doc[doc] = json.loads(zlib.decompress(data))
        missing = None if docs is None else [d for d in docs if d not in per_doc]
        fetched: list[dict[str, Any]] = []
        if missing is None or missing:
            fetched = _select(store, where, wide, missing)
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in fetched:
                grouped[r["g"] or ""].append({k: v for k, v in r.items() if k != "g"})
            keep = self.versions if missing is None else missing
            self.db.executemany(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)",
                [
                    (
                        d,
                        key,
                        self.versions[d],
                        zlib.compress(json.dumps(grouped.get(d, [])).encode()),
                    )
                    for d in keep
                    if d in self.versions
                ],
            )
            for d, rows in grouped.items():
                per_doc.setdefault(d, rows)
        if docs is None:  # the whole store: the rows in the store's order, as without a cache
            ordered = fetched
        else:
            ordered = [{**r, "g": d} for d in docs for r in per_doc.get(d, [])]
        out: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for r in ordered:
            row = {n: r.get(n) for n in names}
            if distinct:
                t = tuple(row.values())
                if t in seen:
                    continue
                seen.add(t)
            out.append(row)
        return out


_DOC_WHERE = (
    "?m a gkg:Meeting . OPTIONAL { ?m dcterms:date ?d } "
    "OPTIONAL { ?m schema:organizer ?body } OPTIONAL { ?g gkg:sourcePath ?path }"
)


def _documents(rows: list[dict[str, Any]]) -> _Docs:
    """The documents of `rows` (g, m, d, body, path) with their groups: a series' body is
    the one its documents name most often (ties: the first by IRI)."""
    docs = _Docs()
    for r in sorted(rows, key=lambda r: (r["g"] or "", r["body"] or "", r["d"] or "")):
        g = r["g"] or ""
        docs.meeting[g] = r["m"] or ""
        if r["d"]:
            docs.date[g] = r["d"]
        if r["body"]:
            docs.body[g] = r["body"]
        docs.series[g] = _series_key(r["path"])
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g, body in docs.body.items():
        if docs.series.get(g):
            votes[docs.series[g] or ""][body] += 1
    series_body = {
        s: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for s, counts in votes.items()
    }
    for g in docs.meeting:
        named: str | None = docs.body.get(g)
        if named is None and docs.series.get(g) in series_body:
            named = series_body[docs.series[g] or ""]
            docs.inferred_body[g] = named
        docs.group[g] = named or docs.series.get(g) or g
    return docs


def _people(
    store: Any, docs: _Docs, only: Iterable[str] | None = None, cache: _RowCache | None = None
) -> dict[str, Node]:
    rows = _select(store, "?p a foaf:Person ; foaf:name ?n", "?p ?n ?g", only, cache)
    nodes: dict[str, Node] = {}
    for r in rows:
        p, g = r["p"] or "", r["g"] or ""
        node = nodes.setdefault(p, Node(p))
        node.names.add(r["n"] or "")
        node.docs.add(g)
        node.groups.add(docs.group.get(g, g))
        if g in docs.meeting:
            node.meetings.add(docs.meeting[g])
        if g in docs.date:
            node.dates.add(docs.date[g])
    for node in nodes.values():
        node.name = sorted(node.names, key=lambda s: (-len(s.split()), s))[0]
    rows = _select(
        store,
        "{ ?x gkg:speaker ?p ; gkg:mention ?w } UNION { ?x gkg:owner ?p ; gkg:ownerText ?w } "
        "UNION { ?x gkg:owedTo ?p ; gkg:owedToText ?w }",
        "DISTINCT ?p ?w",
        only,
        cache,
    )
    for r in rows:
        hit = nodes.get(r["p"] or "")
        if hit is None or not r["w"]:
            continue
        for m in _TITLE_IN_TEXT.finditer(r["w"]):
            if iris.slug(m.group(3)) == hit.surname:
                hit.titles.add(m.group(1).lower())
    return nodes


# -- clustering -------------------------------------------------------------------------
@dataclass
class Edge:
    a: str
    b: str
    rule: str
    detail: str


class Identity:
    """The clusters of one computation, with the edges that made them and the refusals."""

    def __init__(self, nodes: dict[str, Node], curation: Curation) -> None:
        self.nodes = nodes
        self.curation = curation
        self.parent: dict[str, str] = {k: k for k in nodes}
        self.members: dict[str, set[str]] = {k: {k} for k in nodes}
        self.edges: list[Edge] = []
        self.refused: list[Edge] = []

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def titles(self, root: str) -> set[str]:
        return set().union(*(self.nodes[m].titles for m in self.members[root]))

    def conflict(self, a: str, b: str) -> str | None:
        """Why the clusters of a and b may not be merged, or None."""
        ra, rb = self.find(a), self.find(b)
        for x in self.members[ra]:
            for y in self.members[rb]:
                if frozenset((x, y)) in self.curation.different:
                    return f"the curation file says {x} gkg:notSameAs {y}"
        ta, tb = self.titles(ra), self.titles(rb)
        if (ta & _MALE and tb & _FEMALE) or (ta & _FEMALE and tb & _MALE):
            return f"titles conflict ({'/'.join(sorted(ta))} against {'/'.join(sorted(tb))})"
        return None

    def union(self, a: str, b: str, rule: str, detail: str, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        why = None if force else self.conflict(a, b)
        if why is not None:
            self.refused.append(Edge(a, b, rule, why))
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.edges.append(Edge(a, b, rule, detail))
        return True

    def clusters(self) -> list[set[str]]:
        return [set(m) for m in self.members.values()]

    def canonical(self, iri: str) -> str:
        root = self.find(iri)
        return min(self.members[root], key=lambda m: _canon_key(self.nodes[m]))


def _canon_key(node: Node) -> tuple[int, int, int, str]:
    full = sum(1 for t in node.forenames if not _is_initials(t))
    return (-full, -len(node.tokens), -len(node.meetings), node.iri)


def _forenames_fit(a: list[str], b: list[str]) -> bool:
    """ "J" fits "Jane", "J A" fits "Jane Ann" and "Jane"; "Jane" does not fit "Joan"."""
    ia = "".join(_token_initials(t) for t in a)
    ib = "".join(_token_initials(t) for t in b)
    if not ia or not ib or not (ia.startswith(ib) or ib.startswith(ia)):
        return False
    full_a = [t.lower() for t in a if not _is_initials(t)]
    full_b = [t.lower() for t in b if not _is_initials(t)]
    for x, y in zip(a, b, strict=False):
        if not _is_initials(x) and not _is_initials(y) and x.lower() != y.lower():
            return False
    return bool(full_a or full_b) or ia == ib


def _span(ident: Identity, root: str) -> tuple[str, str] | None:
    dates = set().union(*(ident.nodes[m].dates for m in ident.members[root]))
    return (min(dates), max(dates)) if dates else None


def _overlap(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])


def compute(nodes: dict[str, Node], curation: Curation | None = None) -> Identity:
    """Cluster person nodes by the rules of the module docstring (deterministic)."""
    cur = curation or Curation()
    ident = Identity(nodes, cur)
    for a, b in sorted(cur.same):
        if a in nodes and b in nodes:
            ident.union(a, b, "curation", "owl:sameAs in the curation file", force=True)
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri in sorted(nodes):
        node = nodes[iri]
        if not node.surname:
            continue
        for group in node.groups:
            buckets[(group, node.surname)].append(iri)
    # 2. the same name in one group
    for (group, _), members in sorted(buckets.items()):
        by_name: dict[str, list[str]] = defaultdict(list)
        for m in members:
            by_name[iris.slug(nodes[m].name)].append(m)
        for same in by_name.values():
            for other in same[1:]:
                ident.union(
                    same[0], other, "same-name", f"both written {nodes[other].name!r} in {group}"
                )
    # 3. initials against full forenames
    for (group, _), members in sorted(buckets.items()):
        multi = [m for m in members if not nodes[m].one_word]
        for m in multi:
            node = nodes[m]
            if all(not _is_initials(t) for t in node.forenames):
                continue
            fits = {
                ident.find(o)
                for o in multi
                if ident.find(o) != ident.find(m)
                and _forenames_fit(node.forenames, nodes[o].forenames)
            }
            if len(fits) == 1:
                target = min(ident.members[fits.pop()])
                ident.union(
                    m,
                    target,
                    "initials",
                    f"{node.name!r} fits {nodes[target].name!r}, the only such name in {group}",
                )
            elif len(fits) > 1:
                names = sorted(nodes[r].name for r in fits)
                ident.refused.append(Edge(m, m, "initials", f"ambiguous in {group}: {names}"))
    # 4. initials alone, first within their document, then within the group
    by_doc: dict[str, list[str]] = defaultdict(list)
    by_group: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(nodes):
        if not nodes[iri].one_word:
            for d in nodes[iri].docs:
                by_doc[d].append(iri)
            for gr in nodes[iri].groups:
                by_group[gr].append(iri)
    for iri in sorted(nodes):
        letters = nodes[iri].initials_only
        if letters is None:
            continue
        done = False
        for scope, pool in [("document", by_doc), ("group", by_group)]:
            keys = sorted(nodes[iri].docs if scope == "document" else nodes[iri].groups)
            fits = {
                ident.find(o)
                for k in keys
                for o in pool.get(k, [])
                if nodes[o].initials() == letters
            }
            if len(fits) == 1:
                target = min(ident.members[fits.pop()])
                ident.union(
                    iri,
                    target,
                    "initials-in-" + scope,
                    f"{letters!r} are the initials of {nodes[target].name!r}, the only such person in its {scope}",
                )
                done = True
            if done or len(fits) > 1:
                break
    # 5. a surname alone joins the one full name of its group
    for (group, _), members in sorted(buckets.items()):
        roots = sorted(
            {ident.find(m) for m in members if nodes[m].one_word and nodes[m].initials_only is None}
        )
        full = sorted({ident.find(m) for m in members if not nodes[m].one_word})
        for root in roots:
            candidates = [
                f for f in full if f != ident.find(root) and ident.conflict(root, f) is None
            ]
            if len(candidates) > 1:
                candidates = [
                    f for f in candidates if _overlap(_span(ident, root), _span(ident, f))
                ]
            if len(candidates) == 1:
                target = min(ident.members[candidates[0]], key=lambda m: _canon_key(nodes[m]))
                ident.union(
                    root,
                    target,
                    "surname-only",
                    f"{nodes[root].name!r} is a surname alone; {nodes[target].name!r} is the only "
                    f"full name with it in {group} (titles and period compatible)",
                )
            elif len(candidates) > 1:
                names = sorted(ident.canonical(c) for c in candidates)
                ident.refused.append(
                    Edge(root, root, "surname-only", f"ambiguous in {group}: {names}")
                )
    return ident


# -- organisations ----------------------------------------------------------------------
def _org_links(
    store: Any, docs: _Docs, only: Iterable[str] | None = None, cache: _RowCache | None = None
) -> list[tuple[str, str, str, str]]:
    """(alias, canonical, rule, group) for organisations: one-word names in one group,
    and generic body words ("Council") standing for the group's body."""
    rows = _select(store, "?o a org:Organization ; skos:prefLabel ?l", "?o ?l ?g", only, cache)
    base = f"{iris.base()}org/"
    # a body's abbreviation: the initials of its name ("Town Parish Council" -> "tpc")
    abbrev = {
        r["o"]: "".join(w[0] for w in re.findall(r"[A-Za-z]+", r["l"] or "")).lower()
        for r in rows
        if len((r["l"] or "").split()) > 1
    }
    by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        label, o, g = r["l"] or "", r["o"] or "", r["g"] or ""
        key = iris.slug(re.sub(r"^(?:the|The)\s+", "", label))
        if not key or "-" in key and key != "above-council":
            continue  # several words: already one IRI everywhere
        group = docs.group.get(g, g)
        body = docs.body.get(g) or docs.inferred_body.get(g)
        body_word = key in _BODY_WORDS or (body is not None and key == abbrev.get(body))
        if body_word and body and body.startswith(base) and o != body:
            by_key[(group, "\0body")].add(o)
            by_key[(group, "\0body")].add(body)
        else:
            by_key[(group, key)].add(o)
    # nodes scoped to one meeting of the group are the last choice for the canonical node
    scoped: dict[str, list[str]] = defaultdict(list)
    for g, group in docs.group.items():
        scoped[group].append(f"{base}{docs.meeting[g].rsplit('/', 1)[-1]}-")
    links: list[tuple[str, str, str, str]] = []
    for (group, key), found in sorted(by_key.items()):
        if len(found) < 2:
            continue
        if key == "\0body":
            canon = next(
                b
                for b in (
                    docs.body.get(g) or docs.inferred_body.get(g)
                    for g in sorted(docs.group)
                    if docs.group[g] == group
                )
                if b
            )
            rule = "body-word"
        else:
            prefixes = tuple(scoped[group])
            canon = min(found, key=lambda x: (x.startswith(prefixes), x))
            rule = "same-name"
        links += [(o, canon, rule, group) for o in sorted(found) if o != canon]
    return links


# -- the derived graphs -------------------------------------------------------------------
def _memberships(
    store: Any, only: Iterable[str] | None = None, cache: _RowCache | None = None
) -> list[dict[str, Any]]:
    return _select(
        store,
        "?ms a org:Membership ; org:member ?p ; gkg:recordedAt ?m . "
        "OPTIONAL { ?ms org:role ?role } OPTIONAL { ?ms org:organization ?org } "
        "OPTIONAL { ?m dcterms:date ?d }",
        "?ms ?p ?role ?org ?d ?g",
        only,
        cache,
    )


def _quads(
    ident: Identity,
    memberships: list[dict[str, Any]],
    org_links: list[tuple[str, str, str, str]],
    docs: _Docs,
) -> dict[str, list[ox.Quad]]:
    """The identity graphs, by group: a cluster's facts (sameAs, altLabels, tenures) go
    to the first group (by key) any of its nodes is in, an organisation alias and an
    inferred body to the group they were found in."""
    same = ox.NamedNode(OWL_SAME_AS)
    out: dict[str, set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]] = defaultdict(
        set
    )

    def add(group: str, s: str, p: Any, o: ox.NamedNode | ox.Literal) -> None:
        out[group].add((ox.NamedNode(s), p if isinstance(p, ox.NamedNode) else _n(p), o))

    home: dict[str, str] = {}  # canonical -> its cluster's group
    for cluster in ident.clusters():
        canon = ident.canonical(next(iter(cluster)))
        groups = set().union(*(ident.nodes[m].groups for m in cluster))
        home[canon] = min(groups) if groups else ""
        if len(cluster) < 2:
            continue
        cname = ident.nodes[canon].name
        for m in sorted(cluster - {canon}):
            add(home[canon], m, same, ox.NamedNode(canon))
            for name in ident.nodes[m].names:
                if name != cname:
                    add(home[canon], canon, SKOS.altLabel, ox.Literal(name))
    # tenures: per canonical person, role and organisation
    tenures: dict[tuple[str, str, str], list[tuple[str, str | None, str]]] = defaultdict(list)
    for r in memberships:
        p = r["p"] or ""
        person = ident.canonical(p) if p in ident.parent else p
        group = docs.group.get(r["g"] or "", r["g"] or "")
        tenures[(person, r["role"] or "", r["org"] or "")].append((r["ms"] or "", r["d"], group))
    date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    for (person, role, org), evidence in tenures.items():
        last = lambda iri: iri.rsplit("/", 1)[-1]  # noqa: E731
        t = f"{iris.base()}tenure/{last(person)}--{last(role) or 'any'}--{last(org) or 'any'}"
        group = home.get(person) or min(gr for _, _, gr in evidence)
        add(group, t, RDF.type, _n(GKG.Tenure))
        add(group, t, ORG.member, ox.NamedNode(person))
        if role:
            add(group, t, ORG.role, ox.NamedNode(role))
        if org:
            add(group, t, ORG.organization, ox.NamedNode(org))
        dates = sorted(d for _, d, _ in evidence if d)
        if dates:
            add(group, t, GKG.firstSeen, ox.Literal(dates[0], datatype=date))
            add(group, t, GKG.lastSeen, ox.Literal(dates[-1], datatype=date))
        for ms, _, _ in evidence:
            add(group, t, GKG.evidencedBy, ox.NamedNode(ms))
    for alias, canon, _, group in org_links:
        add(group, alias, same, ox.NamedNode(canon))
    for doc, body in docs.inferred_body.items():
        add(docs.group[doc], docs.meeting[doc], SCHEMA.organizer, ox.NamedNode(body))
    graphs: dict[str, list[ox.Quad]] = {}
    for group, triples in out.items():
        g = graph_iri(group)
        graphs[group] = sorted((ox.Quad(s, p, o, g) for s, p, o in triples), key=str)
    return graphs


@dataclass
class RefreshReport:
    person_nodes: int
    people: int
    organisation_aliases: int
    tenures: int
    written: bool
    full: bool = True
    """Every group was recomputed (else: the groups the changed documents touch)."""
    groups: int = 0
    """Groups (bodies, series of files) recomputed."""
    documents: int = 0
    """Documents read."""
    seconds: float = 0.0

    def summary(self) -> str:
        scope = "" if self.full else f" in {self.groups} groups of {self.documents} documents"
        return (
            f"identity: {self.person_nodes} person nodes are {self.people} people{scope}, "
            f"{self.organisation_aliases} organisation aliases, {self.tenures} tenures"
            + ("" if self.written else " (unchanged)")
        )


def _load(
    store: Any,
    curation: Curation | None,
    only: Iterable[str] | None = None,
    cache: _RowCache | None = None,
) -> tuple[_Docs, Identity]:
    docs = _documents(_select(store, _DOC_WHERE, "?g ?m ?d ?body ?path", only, cache))
    nodes = _people(store, docs, None if only is None else docs.meeting, cache)
    return docs, compute(nodes, curation)


def identity_graphs(store: Any) -> list[str]:
    """The identity graphs in the store (IRIs under `graph_prefix`), sorted. Queries over
    all of them: bind ``?g`` by VALUES to these, or ask the default graph (the union)."""
    prefix = graph_prefix()
    return [g for g in store.derived_graphs() if g.startswith(prefix)]


def _curation(store: Any, curation: str | os.PathLike[str] | Curation | None) -> Curation:
    if isinstance(curation, Curation):
        return curation
    return load_curation(curation if curation is not None else curation_path(store.path))


SERIES_FILE = "identity-series.json"
"""In the data directory: every document's series of files and whether it names its body
(kept by `refresh`; a derived cache, rebuilt by a full refresh), so that the closure
finds a series' documents without scanning every document's path."""


def _series_table(store: Any) -> dict[str, dict[str, bool]] | None:
    """series key -> {document IRI: names its body}; None when there is no table."""
    path = Path(store.path) / SERIES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("base") != iris.base():
        return None
    table = data.get("series")
    return table if isinstance(table, dict) else None


def _save_series_table(store: Any, table: dict[str, dict[str, bool]]) -> None:
    path = Path(store.path) / SERIES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(
        json.dumps({"base": iris.base(), "series": table}, sort_keys=True), encoding="utf-8"
    )
    os.replace(tmp, path)


def _component(
    store: Any,
    seeds: Iterable[str],
    cur: Curation,
    table: dict[str, dict[str, bool]],
    cache: _RowCache | None = None,
) -> list[str]:
    """The documents whose identity graphs may change when the `seeds` documents were
    added: the closure of their groups (every document of a body; every document of a
    series of files when one of them names no body: it takes the body its series names
    most often), of the person nodes in them (every document naming one) and of the
    curation's pairs. Each step asks the store about the IRIs found (VALUES), never the
    whole store; a group outside the closure shares no node with it, so its graph stays
    what a full recompute gives (adding documents only ever joins groups)."""
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in cur.same:
        partners[a].add(b)
        partners[b].add(a)
    for pair in cur.different:
        x, y = sorted(pair)
        partners[x].add(y)
        partners[y].add(x)
    done: set[str] = set()
    bodies: set[str] = set()
    series: set[str] = set()
    persons: set[str] = set()
    todo = set(seeds)
    while todo:
        batch = sorted(todo - done)
        todo = set()
        if not batch:
            break
        done |= set(batch)
        rows = _select(store, _DOC_WHERE, "?g ?m ?d ?body ?path", batch, cache)
        new_bodies = {r["body"] for r in rows if r["body"]} - bodies
        bodies |= new_bodies
        # the documents of those bodies: named in their minutes or inferred (the union)
        for chunk in _chunks(new_bodies):
            todo |= _column(
                store,
                f"SELECT DISTINCT ?g WHERE {{ {_values('b', chunk)} "
                "?m schema:organizer ?b ; prov:wasDerivedFrom ?g }",
            )
        for r in rows:
            key = _series_key(r["path"])
            members = table.get(key or "", {})
            if key and key not in series and (not r["body"] or not all(members.values())):
                series.add(key)
                todo |= set(members)
        new_persons = _column(
            store, "", where="?p a foaf:Person", only=[r["g"] for r in rows], cache=cache
        )
        new_persons -= persons
        extra = {x for p in new_persons for x in partners.get(p, ())} - persons - new_persons
        persons |= new_persons | extra
        for chunk in _chunks(new_persons | extra):
            todo |= _column(
                store,
                f"SELECT DISTINCT ?g WHERE {{ {_values('p', chunk)} "
                "GRAPH ?g { ?g a gkg:SourceDocument . ?p a foaf:Person } }",
            )
    return sorted(done)


def _column(
    store: Any,
    sparql: str,
    *,
    where: str = "",
    only: Iterable[str] | None = None,
    cache: _RowCache | None = None,
) -> set[str]:
    """The values of a query's one column (or of ?p in `where` over the `only` documents)."""
    rows = _select(store, where, "DISTINCT ?p", only, cache) if where else store.select(sparql)[1]
    return {v for r in rows for v in r.values() if v}


def refresh(
    store: Any,
    curation: str | os.PathLike[str] | Curation | None = None,
    documents: Iterable[str] | None = None,
) -> RefreshReport:
    """Recompute identity graphs from the document graphs and store them.

    Args:
        store: a writable Store (or RemoteStore).
        curation: a Curation, a curation file, or None for DATA/curation.ttl if present.
        documents: the document IRIs ADDED since the last refresh: only the groups they
            touch (`_component`) are recomputed, each group's graph replaced whole. None
            (or no series table in the data directory) recomputes every group, drops
            identity graphs no group has any more, and the single graph of earlier
            versions. The graphs are the same either way (tests/kg/test_identity.py).
    """
    started = time.perf_counter()
    cur = _curation(store, curation)
    table = _series_table(store) if documents is not None else None
    full = table is None
    only: list[str] | None = None
    if not full:
        assert table is not None
        seeds = sorted(set(documents or ()))
        if not seeds:
            return RefreshReport(0, 0, 0, 0, False, full=False, seconds=0.0)
    cache = _open_row_cache(store)
    try:
        if table is not None:
            only = _component(store, sorted(set(documents or ())), cur, table, cache)
        docs, ident = _load(store, cur, only, cache)
        org_links = _org_links(store, docs, only and list(docs.meeting), cache)
        memberships = _memberships(store, only and list(docs.meeting), cache)
        if full and cache is not None:
            # what `_component` asks of each document, kept for the incremental refreshes
            _column(store, "", where="?p a foaf:Person", only=None, cache=cache)
            cache.forget_others()
    finally:
        if cache is not None:
            cache.close()
    graphs = _quads(ident, memberships, org_links, docs)
    # the groups whose graphs are replaced: every group of the documents read (and the
    # series and documents they were grouped by before their series named a body)
    groups = set(docs.group.values()) | {k for k in docs.series.values() if k} | set(docs.meeting)
    written = False
    if full:
        keep = {graph_iri(g).value for g in graphs}
        stale = [g for g in identity_graphs(store) if g not in keep]
        for g in [*stale, legacy_graph_iri().value]:
            written |= _replace_graph(store, ox.NamedNode(g), [])
        groups = set(graphs)
        table = {}
    assert table is not None
    for group in sorted(groups):
        written |= _replace_graph(store, graph_iri(group), graphs.get(group, []))
    for g, key in docs.series.items():
        if key:
            table.setdefault(key, {})[g] = g in docs.body
    for members in table.values():  # documents replaced since: gone from the store
        for g in [g for g in members if only is not None and g in only and g not in docs.meeting]:
            del members[g]
    _save_series_table(store, table)
    quads_all = [q for qs in graphs.values() for q in qs]
    tenures = sum(1 for q in quads_all if q.predicate == _n(RDF.type))
    return RefreshReport(
        len(ident.nodes),
        len(ident.clusters()),
        len(org_links),
        tenures,
        written,
        full=full,
        groups=len(graphs),
        documents=len(docs.meeting),
        seconds=time.perf_counter() - started,
    )


def _open_row_cache(store: Any) -> _RowCache | None:
    """The row cache of a local store opened for writing (None for any other store)."""
    from kg.store import Store

    if not isinstance(store, Store) or store.read_only:
        return None
    try:
        return _RowCache(Path(store.path) / ROWS_FILE)
    except Exception:  # noqa: BLE001 - a cache: without it the store is asked
        return None


def _replace_graph(store: Any, graph: ox.NamedNode, quads: list[ox.Quad]) -> bool:
    """Make `graph` hold exactly `quads`, keeping the default graph the union of the
    named graphs, in ONE update; False (nothing written) when it holds them already."""
    raw = getattr(store, "_store", None)
    if isinstance(raw, ox.Store):  # read natively, not by a query
        if not quads and not raw.contains_named_graph(graph):
            return False  # most groups asked about have no graph
        rows = [
            {"s": term_value(q.subject), "p": term_value(q.predicate), "o": term_value(q.object)}
            for q in raw.quads_for_pattern(None, None, None, graph)
        ]
    else:
        _, rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    if len(rows) == len(quads):
        stored = {(r["s"], r["p"], r["o"]) for r in rows}
        if stored == {
            tuple(term_value(t) for t in (q.subject, q.predicate, q.object)) for q in quads
        }:
            return False
    store.replace_graph(graph, quads)  # Store and RemoteStore alike
    return True


# -- explanations -----------------------------------------------------------------------
def _resolve(nodes: dict[str, Node], ref: str) -> str:
    """A node by IRI, by the end of its IRI ("person/jane-doe", "jane-doe")."""
    if ref in nodes:
        return ref
    tail = ref.strip("/")
    hits = [k for k in nodes if k.endswith("/" + tail) or k.endswith("/person/" + tail)]
    if len(hits) == 1:
        return hits[0]
    raise LookupError(
        f"{ref}: no such person node" if not hits else f"{ref}: {len(hits)} nodes match"
    )


def _evidence(node: Node) -> str:
    dates = sorted(node.dates)
    period = f"{dates[0]}..{dates[-1]}" if dates else "no dates"
    titles = f"; titles {', '.join(sorted(node.titles))}" if node.titles else ""
    groups = ", ".join(sorted(node.groups))
    return (
        f"{node.iri}\n    name {node.name!r}; {len(node.meetings)} meetings ({period}); "
        f"bodies: {groups}{titles}"
    )


def explain(store: Any, a: str, b: str, curation: Curation | None = None) -> tuple[bool, str]:
    """(same?, an explanation in lines): the evidence for both nodes, then the chain of
    merges that joins them or the reason they stay apart."""
    _, ident = _load(store, curation)
    na, nb = _resolve(ident.nodes, a), _resolve(ident.nodes, b)
    lines = [_evidence(ident.nodes[na]), _evidence(ident.nodes[nb])]
    if ident.find(na) == ident.find(nb):
        lines.append(f"SAME person: canonical node {ident.canonical(na)}")
        lines += [f"  {e.rule}: {e.detail}" for e in _path(ident.edges, na, nb)]
        return True, "\n".join(lines)
    lines.append("NOT the same person: " + _why_not(ident, na, nb))
    return False, "\n".join(lines)


def _path(edges: Iterable[Edge], a: str, b: str) -> list[Edge]:
    adj: dict[str, list[tuple[str, Edge]]] = defaultdict(list)
    for e in edges:
        adj[e.a].append((e.b, e))
        adj[e.b].append((e.a, e))
    seen: dict[str, tuple[str, Edge] | None] = {a: None}
    queue = [a]
    while queue:
        x = queue.pop(0)
        if x == b:
            break
        for y, e in adj[x]:
            if y not in seen:
                seen[y] = (x, e)
                queue.append(y)
    out: list[Edge] = []
    x = b
    while seen.get(x) is not None:
        prev, e = seen[x]  # type: ignore[misc]
        out.append(e)
        x = prev
    return list(reversed(out))


def _why_not(ident: Identity, a: str, b: str) -> str:
    na, nb = ident.nodes[a], ident.nodes[b]
    conflict = ident.conflict(a, b)
    if conflict:
        return conflict
    if na.surname != nb.surname and not (na.initials_only or nb.initials_only):
        return f"different surnames ({na.surname!r}, {nb.surname!r})"
    if not (na.groups & nb.groups):
        return "never in the minutes of one body (a surname is only compared within a body)"
    if not na.one_word and not nb.one_word and not _forenames_fit(na.forenames, nb.forenames):
        return f"forenames do not fit ({' '.join(na.forenames)!r}, {' '.join(nb.forenames)!r})"
    ra, rb = ident.find(a), ident.find(b)
    for e in ident.refused:
        if ident.find(e.a) in (ra, rb):
            return f"{e.rule}: {e.detail}"
    return "no rule joins them (add an owl:sameAs pair to the curation file to merge them)"
