"""The index writer's shortcuts (kg.index: remembered field terms, the fast text
analysis, field lengths from lists) write exactly what Whoosh's own code writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

from kg import querylang as ql
from kg.index import SearchIndex, Unit, _fast_words, _schema

TEXTS = [
    "The Chief Constable said custody suites were refurbished in 2024.",
    "İstanbul ÇAĞ straße ǅemal ﬁnance déjà-vu naïve",
    "a.b.c 3.14 don't it's O'Neill’s 999 calls",
    "",
    "   \n\t ",
    "x" * 300,
    "The the THE of and running RUNS ran runner's",
    "What did they say about anti-social behaviour? Whats done is done.",
    "e-mail e.mail email EMAILS; policing/police—policed",
]


def test_fast_analysis_finds_the_words_whoosh_finds() -> None:
    analyzer = _schema()["content"].analyzer
    fast = _fast_words(analyzer)
    assert fast.__name__ == "fast"  # the schema's analyzer takes the fast path
    for text in TEXTS:
        assert fast(text) == [t.text for t in analyzer(text, mode="index")], text
    assert fast(TEXTS[0]) == ["chief", "constabl", "custodi", "suit", "refurbish", "2024"]


def _units() -> list[Unit]:
    out = []
    for n in range(120):
        doc = f"{n // 12:064x}"
        kind = ("paragraph", "statement", "action", "item")[n % 4]
        out.append(
            Unit(
                id=f"urn:u{n}",
                kind=kind,
                text=f"{TEXTS[n % len(TEXTS)]} Unit {n} on housing and custody budget {n % 7}.",
                title=f"Item {n % 5} budget and custody",  # repeated from unit to unit
                docs=(doc,),
                meeting=f"urn:meeting{n // 12}",
                meeting_title="Police and Crime Panel",
                date=f"2024-0{1 + n % 9}-1{n % 10}",
                body=("Parish Council", "Town Council")[n % 2],
                speakers=(f"Speaker {n % 4}",) if kind == "statement" else (),
                roles=("Chief Constable",) if n % 3 == 0 else (),
                people=(f"Speaker {n % 4}", "Clerk"),
                person_ids=(f"urn:p{n % 4}",),
                topics=("Custody", "Budget") if n % 2 else ("Housing",),
                places=("Hereford",) if n % 5 == 0 else (),
                span=(n * 10, n * 10 + 9),
                page=n % 3 + 1,
                anchor=n,
                parent=f"urn:item{n // 4}",
            )
        )
    return out


def _build(path: Path) -> SearchIndex:
    ix = SearchIndex(path)
    units = _units()
    for batch in (units[:50], units[50:]):  # two segments, so the memo starts again
        with ix.writing(procs=1) as w:
            for u in batch:
                w.add(u, new=True)
    return ix


def _everything(ix: SearchIndex) -> tuple[object, ...]:
    """Every term with its postings (document, weight, value), every field length,
    every stored field and some searches, segment by segment."""
    postings = []
    lengths = []
    for leaf, _ in ix.searcher().leaf_searchers():
        reader = leaf.reader()
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            values: list[object] = [
                (info.doc_frequency(), info.weight(), info.min_length(), info.max_length())
            ]
            m = reader.postings(fieldname, btext)
            while m.is_active():
                values.append((m.id(), m.weight(), m.value()))
                m.next()
            postings.append((fieldname, btext, values))
        for fieldname in ix.schema.scorable_names():
            lengths.append(
                [reader.doc_field_length(n, fieldname) for n in range(reader.doc_count_all())]
            )
    stored = [sorted(d.items()) for d in ix.searcher().all_stored_fields()]
    searches = [
        [(h.unit.id, h.score, h.snippet) for h in ix.search(ql.parse(q), per_page=50).hits]
        for q in ("custody", '"chief constable" budget', "speaker:speaker", "title:item", "hous*")
    ]
    return postings, lengths, stored, searches


def test_memoised_writer_writes_what_whoosh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _build(tmp_path / "ours")
    mine = _everything(ours)
    whoosh_add, whoosh_flush = SegmentWriter._govkg_whoosh
    monkeypatch.setattr(SegmentWriter, "add_document", whoosh_add)
    monkeypatch.setattr(SegmentWriter, "_flush_segment", whoosh_flush)
    theirs = _everything(_build(tmp_path / "whoosh"))
    assert len(mine[0]) > 1000 and all(mine[3])  # terms written, searches that find units
    assert mine == theirs
