"""Roles and offices: the vocabulary of ontology/roles.ttl as plain lookups."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

__all__ = ["role_labels", "role_words", "canonical_role"]

SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


@functools.lru_cache(maxsize=1)
def role_labels() -> dict[str, str]:
    """Every role label and short form in ontology/roles.ttl -> its preferred label."""
    from ingest.gazetteer import turtle_triples

    triples = turtle_triples([Path(str(resources.files("ontology") / "roles.ttl"))])
    prefs = {s: o for s, p, o in triples if p == SKOS_PREF}
    out: dict[str, str] = {pref.lower(): pref for pref in prefs.values()}
    for s, p, o in triples:
        if p == SKOS_ALT and s in prefs:
            out[o.lower()] = prefs[s]
    return out


@functools.lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Capitalised words that begin or make up a role ("Policy", "Officer", "Chief")."""
    words = set()
    for label in role_labels():
        for w in re.split(r"[\s,/&]+", label):
            if w and w not in {"of", "the", "and", "to", "at", "for"}:
                words.add(w.lower())
    return frozenset(words | {"t/", "a/", "temporary", "acting", "interim", "presiding", "head"})


def canonical_role(text: str) -> str | None:
    """The preferred label of a role as written ("Chairman" -> "Chair", "T/CC" -> ...)."""
    return role_labels().get(re.sub(r"\s+", " ", text).strip().lower())
