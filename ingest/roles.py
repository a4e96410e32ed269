"""Roles and offices: the vocabulary of ontology/roles.ttl as plain lookups."""

from __future__ import annotations

import functools
import re
from importlib import resources

__all__ = ["role_labels", "role_words", "canonical_role"]


@functools.lru_cache(maxsize=1)
def role_labels() -> dict[str, str]:
    """Every role label and short form in ontology/roles.ttl -> its preferred label."""
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    g.parse(source=str(resources.files("ontology") / "roles.ttl"), format="turtle")
    out: dict[str, str] = {}
    for concept, pref in g.subject_objects(SKOS.prefLabel):
        out[str(pref).lower()] = str(pref)
        for alt in g.objects(concept, SKOS.altLabel):
            out[str(alt).lower()] = str(pref)
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
