"""Reading a file of minutes: the stable entry point over the format registry."""

from ingest.formats import read_bytes, read_file, sniff

__all__ = ["read_bytes", "read_file", "sniff"]
