"""SHACL validation of the union graph against ontology/shapes.ttl (pyshacl).

The union graph is copied into an in-memory rdflib Graph: fine for the corpora
govkg is made for (10^5 triples); a store of millions of triples would want the
shapes' SPARQL run in the store instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from kg.store import Store, StoreError

__all__ = ["ValidationResult", "validate_store", "shapes_path"]


@dataclass
class ValidationResult:
    conforms: bool
    report: str
    """pyshacl's text report."""
    violations: int
    """Results with severity sh:Violation (warnings and infos are not counted)."""


def shapes_path() -> Path:
    """ontology/shapes.ttl as installed (package data)."""
    path = Path(str(files("ontology") / "shapes.ttl"))
    if not path.is_file():
        raise StoreError(f"{path}: SHACL shapes not found; reinstall govkg (pip install -e .)")
    return path


def validate_store(store: Store, shapes: str | Path | None = None) -> ValidationResult:
    """Validate every triple of the store (the union of the document graphs).

    Args:
        store: an open Store.
        shapes: a Turtle file of SHACL shapes; None means ontology/shapes.ttl.
    """
    import pyoxigraph as ox
    from pyshacl import validate
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    data = Graph()
    data.parse(data=ox.serialize(store.union_triples(), format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes_graph = Graph().parse(str(shapes or shapes_path()), format="turtle")
    conforms, results, text = validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    violations = sum(
        1
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if (r, SH.resultSeverity, SH.Violation) in results
    )
    return ValidationResult(bool(conforms), str(text), violations)
