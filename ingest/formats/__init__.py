"""The format registry: one module per format, chosen by sniffing the content.

Each reader turns the bytes of one file into `SourceText`. A new format is one module
that calls `register()` at import and is listed in `_MODULES`. Sniffers look at the
content first (a PDF is a PDF whatever its name), the extension second.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import UnreadableFile
from ingest.models import SourceText

__all__ = [
    "Format",
    "register",
    "formats",
    "sniff",
    "read_bytes",
    "read_file",
    "file_bytes",
    "MAX_FILE_BYTES",
]

MAX_FILE_BYTES = 100 * 1024 * 1024
"""No file this large is read at all; each format may set a lower limit of its own."""


@dataclass(frozen=True)
class Format:
    name: str
    """Short name ("txt", "pdf"), recorded as the source's format."""
    sniff: Callable[[bytes, str], bool]
    """True when the bytes (and, failing that, the file name) are of this format."""
    read: Callable[[bytes, str], SourceText]
    """Decode the bytes; raise UnreadableFile with a one-line problem."""
    suffixes: tuple[str, ...] = ()
    """File name endings that `govkg ingest FOLDER` picks up."""
    priority: int = 50
    """Lower sniffs first: specific signatures (PDF, ZIP) before plain text."""


_REGISTRY: dict[str, Format] = {}
_MODULES = (
    "ingest.formats.pdf",
    "ingest.formats.docx",
    "ingest.formats.html",
    "ingest.formats.text",
)


def register(fmt: Format) -> Format:
    _REGISTRY[fmt.name] = fmt
    return fmt


def formats() -> list[Format]:
    """Every registered format, in sniffing order."""
    for module in _MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return sorted(_REGISTRY.values(), key=lambda f: (f.priority, f.name))


def sniff(data: bytes, path: str) -> Format:
    for fmt in formats():
        if fmt.sniff(data, path):
            return fmt
    raise UnreadableFile(path, "unknown format")


def read_bytes(data: bytes, path: str = "<bytes>") -> SourceText:
    """Decode the bytes of one file of minutes, whatever its format."""
    if not data.strip():
        raise UnreadableFile(path, "file is empty")
    return sniff(data, path).read(data, path)


def read_file(path: str | Path) -> SourceText:
    """Read and decode one file.

    Raises:
        UnreadableFile: missing, empty, too large, damaged, or of no known format.
    """
    return read_bytes(file_bytes(path), str(path))


def file_bytes(path: str | Path) -> bytes:
    """The bytes of one file, refused when too large or unreadable.

    Raises:
        UnreadableFile: missing, a directory, unreadable, or over MAX_FILE_BYTES.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(
                str(p), f"file is {size // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB"
            )
        return p.read_bytes()
    except IsADirectoryError as exc:
        raise UnreadableFile(str(p), "is a directory") from exc
    except FileNotFoundError as exc:
        raise UnreadableFile(str(p), "no such file or directory") from exc
    except PermissionError as exc:
        raise UnreadableFile(str(p), "permission denied") from exc
