"""Full-text search inside SPARQL: the ``text:search`` property function.

Like Fuseki's jena-text, a triple pattern with the predicate ``text:search`` asks the
search index (``DATA/index``, `kg.search`) instead of the graph::

    PREFIX text: <https://w3id.org/govkg/text#>
    SELECT ?statement ?score ?text WHERE {
      (?statement ?score) text:search "custody" .
      ?statement a gkg:Statement ; gkg:text ?text .
    } ORDER BY DESC(?score)

The forms, each one triple pattern inside a group (``{ ... }``):

    ?unit text:search "custody" .               the matching units
    (?unit ?score) text:search "custody" .      ... and their relevance (xsd:double)
    ?unit text:search ("custody" 50) .          at most 50 units (best first)
    (?unit ?score) text:search ("custody" 50) .

The string is a query of the govkg search language (`kg.querylang`): words,
"exact phrases", AND/OR/NOT, prefix*, and the filters speaker: role: person: place:
topic: kind: body: title: date:. The units are every searchable node of the graph:
paragraphs, statements, actions and commitments, agenda items, meetings, people,
organisations, places and topics (``kind:statement`` in the string keeps one kind).

`rewrite()` runs each search before the query does and puts its result in the
pattern's place as an inline table, ``VALUES (?unit ?score) { (<iri> "12.3"^^xsd:double)
... }`` (rows best first), so the engine joins the hits with the rest of the pattern.
A search with no hits becomes a VALUES with no rows: the group matches nothing. The
prefix may be declared under any name (``PREFIX ft: <https://w3id.org/govkg/text#>``),
and ``text:`` means this namespace when the query does not declare it; the full IRI
``<https://w3id.org/govkg/text#search>`` works too. Text inside strings, comments and
IRIs is never rewritten. A pattern that cannot be read (no string, a subject that is
not a variable, more than two variables) raises `kg.sparqlservice.QuerySyntaxError`
(a ValueError when that module is not there), with a one-line message.

`govkg sparql` and the web SPARQL editor rewrite every query this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.index import SearchIndex

__all__ = ["TEXT_NS", "SEARCH", "rewrite", "uses_text_search"]

TEXT_NS = "https://w3id.org/govkg/text#"
SEARCH = TEXT_NS + "search"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
PER_PAGE = 100
"""Hits asked of `kg.search.search` at a time (its largest page)."""

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             |'''(?:[^'\\]|\\.|'(?!''))*'''
             |"(?:[^"\\\n]|\\.)*"
             |'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:[\w.\-:%\u00b7-\uffff]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<punct>\^\^|[(){}\[\].,;@]|&&|\|\||[!=<>]=?|[-+*/|^])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


def _tokens(query: str) -> list[_Tok]:
    """The query's tokens; whitespace and comments are left out."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _error(message: str) -> Exception:
    """The error the SPARQL service shows as a 400 (a ValueError without it)."""
    message = " ".join(message.split())
    try:
        from kg.sparqlservice import QuerySyntaxError
    except ImportError:
        return ValueError(message)
    return QuerySyntaxError(message)


def _unquote(token: str) -> str:
    """The value of a SPARQL string literal token."""
    body = token[3:-3] if token[:3] in ('"""', "'''") else token[1:-1]

    def escape(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] in "uU":
            return chr(int(e[1:], 16))
        return _ESCAPES[e]

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tnrbf\"'\\])", escape, body)


def _text_prefixes(tokens: list[_Tok]) -> set[str]:
    """Prefix names bound to TEXT_NS ("text" too when the query leaves it undeclared)."""
    declared: dict[str, str] = {}
    for i, tok in enumerate(tokens[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX":
            name, iri = tokens[i + 1], tokens[i + 2]
            if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                declared[name.text[:-1]] = iri.text[1:-1]
    names = {p for p, ns in declared.items() if ns == TEXT_NS}
    if "text" not in declared:
        names.add("text")
    return names


def _is_search(tok: _Tok, prefixes: set[str]) -> bool:
    if tok.kind == "iri":
        return tok.text[1:-1] == SEARCH
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        return local == "search" and prefix in prefixes
    return False


def uses_text_search(query: str) -> bool:
    """Whether the query has a text:search pattern (outside strings and comments)."""
    tokens = _tokens(query)
    prefixes = _text_prefixes(tokens)
    return any(_is_search(t, prefixes) for t in tokens)


@dataclass
class _Call:
    start: int
    """Offset of the pattern's first character (its subject)."""
    end: int
    """Offset after what the pattern replaces (its "." when it has one)."""
    unit: str
    score: str | None
    text: str
    limit: int | None
    keep_subject: bool
    """The pattern went on with ";": the subject stays, for the next predicate."""


def _parse_call(tokens: list[_Tok], i: int) -> _Call:
    """The pattern whose predicate is tokens[i]."""
    where = f"text:search at character {tokens[i].start + 1}"
    # subject: ?unit, or (?unit) / (?unit ?score)
    if i >= 1 and tokens[i - 1].text in (";", ","):
        raise _error(f"{where}: text:search must start its own triple pattern")
    if i >= 1 and tokens[i - 1].kind == "var":
        first, names = i - 1, [tokens[i - 1].text]
    elif i >= 1 and tokens[i - 1].text == ")":
        j = i - 2
        names = []
        while j >= 0 and tokens[j].kind == "var":
            names.insert(0, tokens[j].text)
            j -= 1
        if j < 0 or tokens[j].text != "(" or not 1 <= len(names) <= 2:
            raise _error(f"{where}: the subject must be ?unit or (?unit ?score)")
        first = j
    else:
        raise _error(f"{where}: the subject must be ?unit or (?unit ?score)")
    if first >= 1 and tokens[first - 1].text in (";", ","):
        raise _error(f"{where}: text:search must start its own triple pattern")
    if len(set(names)) != len(names):
        raise _error(f"{where}: ?unit and ?score must be two different variables")
    # object: "query" or ("query" limit)
    j = i + 1
    limit: int | None = None
    if j < len(tokens) and tokens[j].kind == "string":
        text = _unquote(tokens[j].text)
        j += 1
    elif j + 1 < len(tokens) and tokens[j].text == "(" and tokens[j + 1].kind == "string":
        text = _unquote(tokens[j + 1].text)
        j += 2
        if j < len(tokens) and tokens[j].kind == "number":
            try:
                limit = int(tokens[j].text)
            except ValueError:
                raise _error(f"{where}: the limit must be a whole number") from None
            if limit < 0:
                raise _error(f"{where}: the limit must not be negative")
            j += 1
        if j >= len(tokens) or tokens[j].text != ")":
            raise _error(f'{where}: write ("query" limit) with a string and a whole number')
        j += 1
    else:
        raise _error(f'{where}: the object must be a string: "query" or ("query" limit)')
    if j < len(tokens) and tokens[j].text in ("@", "^^"):
        raise _error(f"{where}: the query must be a plain string (no language or datatype)")
    keep = False
    end = tokens[j - 1].end
    if j < len(tokens) and tokens[j].text == ".":
        end = tokens[j].end
    elif j < len(tokens) and tokens[j].text == ";":
        end, keep = tokens[j].end, True
    elif j < len(tokens) and tokens[j].text == ",":
        raise _error(f"{where}: give one query string per text:search pattern")
    elif j >= len(tokens) or tokens[j].text != "}":
        raise _error(f'{where}: end the pattern with "." or "}}"')
    return _Call(
        start=tokens[first].start,
        end=end,
        unit=names[0],
        score=names[1] if len(names) == 2 else None,
        text=text,
        limit=limit,
        keep_subject=keep,
    )


def _hits(index: SearchIndex, text: str, limit: int) -> list[tuple[str, float]]:
    """(unit IRI, score) of the best `limit` units for a search query, best first."""
    from kg.search import search

    out: list[tuple[str, float]] = []
    seen: set[str] = set()
    page = 1
    while len(out) < limit:
        results = search(index, text, page=page, per_page=PER_PAGE, facets=False)
        for hit in results.hits:
            if hit.id not in seen and hit.id.startswith(("http://", "https://")):
                seen.add(hit.id)
                out.append((hit.id, hit.score))
        if page >= results.pages or not results.hits:
            break
        page += 1
    return out[:limit]


def iri_ref(iri: str) -> str:
    """``<iri>``, checked (pyoxigraph refuses what is not an IRI)."""
    return str(NamedNode(iri))


def _values(call: _Call, hits: list[tuple[str, float]]) -> str:
    if call.score is None:
        rows = " ".join(iri_ref(iri) for iri, _ in hits)
        head = f"VALUES {call.unit} {{ {rows} }}"
    else:
        rows = " ".join(f'({iri_ref(iri)} "{score!r}"^^<{XSD_DOUBLE}>)' for iri, score in hits)
        head = f"VALUES ({call.unit} {call.score}) {{ {rows} }}"
    return head + (f" {call.unit}" if call.keep_subject else "")


def rewrite(query: str, index: SearchIndex, *, limit: int = 1000) -> str:
    """`query` with every text:search pattern replaced by a VALUES table of its hits.

    Args:
        query: SPARQL text (any form: SELECT, ASK, CONSTRUCT, DESCRIBE).
        index: the open search index of the same data directory.
        limit: the most units one pattern may give; a pattern's own limit
            (``("query" 50)``) can lower it, not raise it.

    Returns:
        The query unchanged when it has no text:search pattern.

    Raises:
        kg.sparqlservice.QuerySyntaxError (a ValueError): a pattern that cannot be read.
    """
    tokens = _tokens(query)
    prefixes = _text_prefixes(tokens)
    calls = [_parse_call(tokens, i) for i, t in enumerate(tokens) if _is_search(t, prefixes)]
    if not calls:
        return query
    parts: list[str] = []
    done = 0
    for call in calls:
        if call.start < done:
            raise _error("text:search patterns overlap")
        cap = limit if call.limit is None else min(call.limit, limit)
        hits = _hits(index, call.text, cap) if cap > 0 else []
        parts += [query[done : call.start], _values(call, hits)]
        done = call.end
    parts.append(query[done:])
    return "".join(parts)
