"""Shared fixtures: an example record, an on-disk store, a CLI runner, and a small
stand-in extractor for kg tests that must not depend on the extraction stage."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# pytest puts tests/ on sys.path to import this file, and tests/ingest/ (no __init__.py)
# would then be imported as a namespace package `ingest`, hiding the real one. The
# repository root goes first so `import ingest` is always the package itself.
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from ingest.models import (  # noqa: E402
    APOLOGIES,
    COMMITMENT,
    EXPLICIT,
    Action,
    AgendaItem,
    Attendee,
    Meeting,
    MinutesRecord,
    NextMeeting,
    Organisation,
    Place,
    Source,
    Statement,
)

DATA = Path(__file__).parent / "data"


def load_bench(name: str):
    """Import bench/NAME.py as module NAME (bench/ is scripts, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pipeline_ready() -> bool:
    """Whether the real extraction pipeline imports (it is built in parallel)."""
    try:
        import ingest.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


needs_pipeline = pytest.mark.skipif(
    not pipeline_ready(), reason="ingest/pipeline.py is not complete yet"
)


def rich_record() -> MinutesRecord:
    """A record using every part of the model (for graph and SHACL tests)."""
    return MinutesRecord(
        source=Source(path="/m/tintern.txt", sha256="ab" * 32, format="txt"),
        meeting=Meeting(
            title="Parish council",
            date="2019-03-25",
            body="Tintern Community Council",
            kind="council",
            venue="Village Hall",
            chair="Cllr Mrs Shewell",
            minutes_by="the Clerk",
            next=NextMeeting(date="2019-04-29", time="7pm", venue="Village Hall"),
        ),
        attendees=[
            Attendee(name="Shewell", title="Cllr Mrs", role="Chairman"),
            Attendee(name="Clerk", role="Clerk"),
            Attendee(name="John Webb", role="County Councillor", organisation="Monmouthshire CC"),
            Attendee(name="Ann Hoskins", status=APOLOGIES),
        ],
        agenda_items=[
            AgendaItem(title="Police report", number="2876", topics=["Burglary"], span=(0, 40)),
            AgendaItem(title="Speeding", parent=0, number="2876.1"),
        ],
        statements=[
            Statement(
                speaker="Shewell",
                mention="the Chairman",
                act="reported",
                text="Burglary in Tintern fell; Gwent Police thanked.",
                item=0,
                span=(50, 98),
            ),
            Statement(speaker=None, mention="Members", act="noted", text="Speeding.", item=1),
        ],
        actions=[
            Action(
                text="Clerk to write to Gwent Police.",
                owner="Clerk",
                owner_name="Clerk",
                for_="Gwent Police",
                due="2019-04-29",
                ref="01",
                item=0,
                span=(100, 131),
            ),
            Action(
                text="The council will review speeding by the next meeting.",
                owner="the Council",
                kind=COMMITMENT,
                due="next meeting",
                item=1,
                span=(140, 190),
            ),
        ],
        places=[Place(name="Tintern", type="area", id="place/tintern-mon")],
        organisations=[
            Organisation(name="Gwent Police", abbrev="GP"),
            Organisation(name="Monmouthshire CC"),
        ],
        topics=["Burglary", "Speeding"],
    )


def simple_extract(path: str) -> MinutesRecord:
    """A stand-in for `ingest.extract_file` that only reads what a test file spells out.

    Line 1 is the title; "date: YYYY-MM-DD", "present: A, B"; "ACTION: who: text" and
    "WILL: who: text" lines become explicit actions and commitments. Reading (and its
    errors: empty, binary) is the real `ingest.read.read_file`.
    """
    from ingest.read import read_file

    src = read_file(path)
    lines = [line.strip() for line in src.text.splitlines() if line.strip()]
    date = re.search(r"^date:\s*(\S+)", src.text, re.M)
    present = re.search(r"^present:\s*(.+)$", src.text, re.M)
    attendees = [Attendee(name=n.strip()) for n in present.group(1).split(",")] if present else []
    names = {a.name.split()[-1]: a.name for a in attendees}
    actions = []
    for m in re.finditer(r"^(ACTION|WILL):\s*([^:]+):\s*(.+)$", src.text, re.M):
        owner = m.group(2).strip()
        actions.append(
            Action(
                text=m.group(3).strip(),
                owner=owner,
                owner_name=names.get(owner),
                kind=EXPLICIT if m.group(1) == "ACTION" else COMMITMENT,
                span=(m.start(), m.end()),
            )
        )
    return MinutesRecord(
        source=Source(path=src.path, sha256=src.sha256, format=src.format),
        meeting=Meeting(title=lines[0], date=date.group(1) if date else None, body="Test Council"),
        attendees=attendees,
        actions=actions,
    )


GOOD_MINUTES = (
    "Parish council meeting\ndate: 2019-03-25\npresent: Ann Hoskins, Bob Evans\n"
    "ACTION: Evans: write to the police\n"
)
"""A file `simple_extract` understands: one meeting, two people, one action."""


@pytest.fixture
def fake_extract(monkeypatch: pytest.MonkeyPatch):
    """Make the extraction stage the stand-in `simple_extract` for this test."""
    monkeypatch.setattr("ingest.extract_file", simple_extract)
    monkeypatch.setattr("ingest.pipeline.extract_bytes", lambda data, path: simple_extract(path))
    # the stand-in lives in this process only: extraction worker processes would not see it
    monkeypatch.setenv("GOVKG_JOBS", "1")
    return simple_extract


@pytest.fixture
def record() -> MinutesRecord:
    """A fresh copy of ingest.models.EXAMPLE_RECORD (tests may change it)."""
    from ingest.models import EXAMPLE_RECORD

    return copy.deepcopy(EXAMPLE_RECORD)


@pytest.fixture
def store(tmp_path: Path):
    """A real on-disk store in a temporary data directory."""
    from kg.store import Store

    with Store(tmp_path / "data") as s:
        yield s


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(autouse=True)
def _no_govkg_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's GOVKG_DATA / GOVKG_BASE."""
    monkeypatch.delenv("GOVKG_DATA", raising=False)
    monkeypatch.delenv("GOVKG_BASE", raising=False)


CORPUS = DATA / "corpus"


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory):
    """A data directory with the real minutes of tests/data/corpus/ ingested once per
    session (store + search index); yields (data dir, open SearchIndex). Read-only use."""
    from kg.index import SearchIndex
    from kg.indexing import index_dir
    from kg.pipeline import ingest_paths
    from kg.store import Store

    data = tmp_path_factory.mktemp("corpus") / "data"
    with Store(data) as store:
        report = ingest_paths([CORPUS], store)
    assert report.ok, report.failed
    with SearchIndex(index_dir(data), read_only=True) as index:
        yield data, index
