"""The search query language: text in, a small syntax tree out (no search engine here).

    custody Hereford                  both words (stemmed: "custodies" matches too)
    "custody block"                   an exact phrase
    custody OR detention, NOT audit   boolean operators (AND is the default; ``-word``)
    custod*                           a prefix
    speaker:Doe  role:"Chief Constable"  place:Shropshire  topic:"domestic abuse"
    kind:action  body:"West Mercia"  person:Doe  title:custody  year:2024
    date:2024  date:2024-01..2024-12  date:2024-03..  date:..2019-12-31

`parse()` raises `QuerySyntaxError` for what it cannot read (an unclosed quote, an
unbalanced bracket, an operator with nothing to join, a field with no value);
`words()` gives the plain words of any text, for the fallback search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FIELDS",
    "And",
    "DateRange",
    "Exact",
    "Field",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "QuerySyntaxError",
    "Synonyms",
    "Word",
    "parse",
    "words",
]

FIELDS: dict[str, str] = {
    "speaker": "who spoke (a statement) or whose statements a paragraph holds",
    "role": "the speaker's or action owner's role at that meeting",
    "person": "anyone the unit names: speaker, owner, owed-to, mentioned",
    "place": "a place the unit mentions",
    "topic": "a topic of the thesaurus the unit mentions or is filed under",
    "kind": "paragraph statement action commitment item meeting person organisation place topic",
    "body": "the body that held the meeting",
    "title": "the unit's title (agenda item, meeting, entity name)",
    "date": "the meeting date: 2024, 2024-09, 2024-01..2024-12, 2024-03.., ..2019",
    "year": "the meeting year",
    "meeting": "the meeting's IRI",
    "doc": "the source document's sha256",
    "text": "the text itself (the default)",
}
"""Field names a query may use, with what each one filters."""

FIELD_ALIASES = {"places": "place", "topics": "topic", "people": "person", "who": "speaker"}


class QuerySyntaxError(ValueError):
    """The query cannot be read; the message says why, in a few words."""


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class DateRange:
    """Inclusive ISO dates (partial allowed: "2024", "2024-01"); None means open."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class Field:
    name: str
    value: Word | Phrase | Prefix | DateRange


@dataclass(frozen=True)
class Exact:
    """A facet value matched exactly ("speaker" = "Jane Doe"); built by callers,
    never by the parser. `facet` is one of kg.index.FACETS or "person_id"."""

    facet: str
    value: str


@dataclass(frozen=True)
class Synonyms:
    """Thesaurus expansion: the original (a Word/Phrase or an And of Words) or any label."""

    original: Node
    labels: tuple[str, ...]
    concept: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | Prefix | Field | Exact | Synonyms | And | Or | Not

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<field>[A-Za-z]+):(?=\S|$)
    | (?P<phrase>"[^"]*")
    | (?P<quote>")
    | (?P<minus>-(?=[\w"(]))
    | (?P<word>[^\s()"]+)
    """,
    re.X,
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        value = m.group()
        if kind == "ws":
            continue
        if kind == "quote":
            raise QuerySyntaxError("a quote is not closed")
        if (
            kind == "field"
            and value[:-1].lower() not in FIELDS
            and value[:-1].lower() not in (FIELD_ALIASES)
        ):
            kind = "word"  # "10:30", "re:" are words, not fields
        if kind == "word" and value in ("AND", "OR", "NOT"):
            kind = value
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise QuerySyntaxError("the query is empty")
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError("a closing bracket has no opening one")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while self.peek() not in (None, "OR", "close"):
            if self.peek() == "AND":
                self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        kind = self.peek()
        if kind in ("NOT", "minus"):
            self.take()
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        if self.peek() is None:
            raise QuerySyntaxError("an operator has nothing after it")
        kind, value = self.take()
        if kind == "open":
            if self.peek() == "close":
                raise QuerySyntaxError("empty brackets")
            node = self.or_expr()
            if self.peek() != "close":
                raise QuerySyntaxError("a bracket is not closed")
            self.take()
            return node
        if kind in ("AND", "OR", "close"):
            raise QuerySyntaxError(f"{value} has nothing before it")
        if kind == "phrase":
            return Phrase(value[1:-1].strip()) if value[1:-1].strip() else self._empty()
        if kind == "field":
            return self.field(value[:-1].lower())
        return _word(value)

    def _empty(self) -> Node:
        raise QuerySyntaxError("an empty phrase")

    def field(self, name: str) -> Node:
        name = FIELD_ALIASES.get(name, name)
        if self.peek() not in ("word", "phrase"):
            raise QuerySyntaxError(f"{name}: has no value")
        kind, value = self.take()
        if name == "date":
            return Field(name, _date_range(value.strip('"')))
        if kind == "phrase":
            text = value[1:-1].strip()
            if not text:
                raise QuerySyntaxError(f"{name}: has no value")
            return Field(name, Phrase(text))
        node = _word(value)
        assert isinstance(node, Word | Prefix)
        return Field(name, node)


def _word(value: str) -> Word | Prefix:
    if value.endswith("*") and len(value.rstrip("*")) >= 2:
        return Prefix(value.rstrip("*"))
    return Word(value.rstrip("*") or value)


def _check_date(text: str) -> str:
    m = _DATE.match(text)
    if not m:
        raise QuerySyntaxError(f"date:{text} is not a date (use 2024, 2024-09 or 2024-09-03)")
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        raise QuerySyntaxError(f"date:{text} is not a date")
    return "-".join(p.zfill(2) for p in (year, month, day) if p)


def _date_range(text: str) -> DateRange:
    if ".." in text:
        start, _, end = text.partition("..")
        if not start and not end:
            raise QuerySyntaxError("date:.. needs a start or an end")
        return DateRange(_check_date(start) if start else None, _check_date(end) if end else None)
    one = _check_date(text)
    return DateRange(one, one)


def parse(text: str) -> Node:
    """The syntax tree of a query.

    Raises:
        QuerySyntaxError: the query cannot be read as written.
    """
    return _Parser(text).parse()


def words(text: str) -> list[str]:
    """The plain words of a text: no operators, quotes, brackets or field names."""
    out = []
    for tok in re.findall(r"[\w'’*.-]+(?::[\w'’*.-]+)?", text):
        name, sep, value = tok.partition(":")
        tok = value if sep and name.lower() in FIELDS else tok
        tok = tok.strip("*.-'’")
        if tok and tok not in ("AND", "OR", "NOT"):
            out.append(tok)
    return out
