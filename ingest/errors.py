"""Errors raised by ingest; each message names the file and the problem in one line."""


class IngestError(Exception):
    """Base class: something about an input file prevents reading it."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UnreadableFile(IngestError):
    """The file is empty, binary, of an unsupported format, or cannot be decoded."""
