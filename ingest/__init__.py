"""Reading minutes and extracting what they record: no RDF, no Flask.

from ingest import extract_file
record = extract_file("minutes.txt")
record.actions[0].owner
"""

from ingest.errors import IngestError, UnreadableFile
from ingest.models import MinutesRecord

__all__ = ["IngestError", "MinutesRecord", "UnreadableFile", "extract_file"]


def extract_file(path: str) -> MinutesRecord:
    """Read one file of minutes and return what was understood from it."""
    from ingest.pipeline import extract_file as _extract

    return _extract(path)
