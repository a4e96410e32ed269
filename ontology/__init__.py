"""The govkg vocabulary (govkg.ttl), its SHACL shapes (shapes.ttl) and gazetteers.

>>> from ontology import path
>>> path("govkg.ttl").name
'govkg.ttl'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["path", "VOCABULARY", "SHAPES"]

VOCABULARY = "govkg.ttl"
"""The vocabulary: classes, properties and concept schemes under gkg:."""
SHAPES = "shapes.ttl"
"""SHACL shapes for what kg.build writes."""


def path(name: str) -> Path:
    """Return the path of a file shipped in the ontology package.

    Works from a source checkout, an editable install and a regular install.

    Args:
        name: a path relative to the package, e.g. "shapes.ttl" or "places/lpa.ttl".

    Raises:
        FileNotFoundError: if the package holds no such file.
    """
    resource = resources.files(__name__).joinpath(*name.split("/"))
    result = Path(str(resource))
    if not result.is_file():
        raise FileNotFoundError(f"no file {name!r} in the ontology package ({result.parent})")
    return result
