"""Named example SPARQL queries for analysts, shipped as data in ``ontology/queries/``.

Each ``NAME.rq`` file starts with comment lines that describe it::

    # title: Who committed to what
    # description: Every action with its owner, who it is owed to, ...
    # tags: actions, accountability
    SELECT ...

The queries use the prefixes of `kg.queries.PREFIXES` without declaring them (govkg
adds them), and ``text:search`` (see `kg.textsparql`) for full text. A question that
would otherwise read every action or agenda item of the store (overdue actions by owner,
topics shared by bodies) reads the small per-body summaries of `kg.summaries` instead,
which every ingest keeps up to date; what depends on today's date is still decided by
the query. `govkg sparql
--examples` lists them, `govkg sparql --example NAME` runs one, and the web editor at
``/query`` offers them as a menu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Example", "ExampleError", "examples", "example"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^#\s*(title|description|tags)\s*:\s*(.*?)\s*$")


class ExampleError(LookupError):
    """No example of that name (the message lists the names there are)."""


@dataclass(frozen=True)
class Example:
    name: str
    """The file name without ``.rq``: lower-case words joined by hyphens."""
    title: str
    description: str
    query: str
    """The whole file, header comments included (they are SPARQL comments)."""
    tags: tuple[str, ...] = field(default=())


def _parse(name: str, text: str) -> Example:
    head: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            head[m.group(1)] = m.group(2)
    if not head.get("title") or not head.get("description"):
        raise ValueError(f"example {name}: needs '# title:' and '# description:' lines first")
    tags = tuple(t.strip() for t in head.get("tags", "").split(",") if t.strip())
    return Example(name, head["title"], head["description"], text, tags)


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """Every example, ordered by name (read once from the installed package)."""
    folder = resources.files("ontology") / "queries"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            name = entry.name[: -len(".rq")]
            if _NAME.match(name):
                found.append(_parse(name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(found, key=lambda e: e.name))


def example(name: str) -> Example:
    """The example called `name`.

    Raises:
        ExampleError: there is none (the message lists the names).
    """
    for ex in examples():
        if ex.name == name:
            return ex
    names = ", ".join(e.name for e in examples())
    raise ExampleError(f"no example query {name!r}; there are: {names}")
