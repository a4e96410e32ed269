"""A search reads one index generation from start to end: a commit (an ingest) between
its steps must not hand part of it the next generation's document numbers, and a
searcher replaced by a newer generation stays readable for searches still using it."""

from __future__ import annotations

from pathlib import Path

from kg import querylang as ql
from kg.index import SearchIndex
from tests.kg.test_index_merge import _build, _unit


def _ids(ix: SearchIndex, query: str) -> set[str]:
    return {h.unit.id for h in ix.search(ql.parse(query), per_page=100).hits}


def test_a_pinned_search_keeps_its_generation_while_a_writer_commits(tmp_path: Path) -> None:
    writer = _build(tmp_path / "ix", [range(0, 30)])
    reader = SearchIndex(tmp_path / "ix", read_only=True)
    before = _ids(reader, "custody")
    with reader._pinned() as pinned:
        with writer.writing(procs=1) as w:  # an ingest commits meanwhile
            for n in range(30, 90):
                w.add(_unit(n), new=True)
        assert reader.searcher() is pinned
        assert _ids(reader, "custody") == before  # inside: the generation it started on
        assert pinned.doc_count_all() == 30
    after = _ids(reader, "custody")
    assert after > before and reader.searcher() is not pinned  # then the new one
    # the replaced searcher is not closed under a search still reading it
    assert pinned.stored_fields(0)["id"].startswith("urn:u")
    reader.close()
    writer.close()
