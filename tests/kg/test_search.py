"""Full-text search over the real minutes: the query language, filters, facets,
expansion, did-you-mean, the fallback for malformed queries, and the index kept in
step with the store (replace, crash recovery, reindex)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import querylang as ql
from kg.index import SearchIndex
from kg.indexing import agreement, index_dir, open_index, rebuild
from kg.pipeline import ingest_paths
from kg.search import search
from kg.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
WM = "westmercia-pcc-2024-09-03-q1-performance.txt"


def texts(results):
    return [" ".join(h.text.split()) for h in results.hits]


def ids(ix, q, **kw):
    return {h.id for h in search(ix, q, per_page=100, facets=False, **kw).hits}


# -- the query language ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("custody", ql.Word("custody")),
        ('"custody block"', ql.Phrase("custody block")),
        ("a OR b", ql.Or((ql.Word("a"), ql.Word("b")))),
        ("a -b", ql.And((ql.Word("a"), ql.Not(ql.Word("b"))))),
        ("custod*", ql.Prefix("custod")),
        ("speaker:Campion", ql.Field("speaker", ql.Word("Campion"))),
        ("date:2024-01..2024-12", ql.Field("date", ql.DateRange("2024-01", "2024-12"))),
        ("date:..2019", ql.Field("date", ql.DateRange(None, "2019"))),
        ("10:30", ql.Word("10:30")),
    ],
)
def test_parse(query, tree):
    assert ql.parse(query) == tree


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"unclosed', "a quote is not closed"),
        ("(a OR", "an operator has nothing after it"),
        ("speaker:", "speaker: has no value"),
        ("AND AND", "AND has nothing before it"),
        ("a)", "a closing bracket has no opening one"),
        ("date:2024-13", "date:2024-13 is not a date"),
    ],
)
def test_parse_errors(query, problem):
    with pytest.raises(ql.QuerySyntaxError) as exc:
        ql.parse(query)
    assert str(exc.value) == problem


# -- searching the corpus --------------------------------------------------------------
def test_phrase_is_stricter_than_words(corpus_index):
    _, ix = corpus_index
    words = ids(ix, "recycling service")
    phrase = ids(ix, '"recycling service"')
    assert phrase and phrase < words


def test_and_or_not(corpus_index):
    _, ix = corpus_index
    a, b = ids(ix, "bench"), ids(ix, "fountain")
    assert a and b
    assert ids(ix, "bench OR fountain") == a | b
    assert ids(ix, "bench AND fountain") == a & b
    assert ids(ix, "bench NOT playing") == a - ids(ix, "playing")


def test_prefix(corpus_index):
    _, ix = corpus_index
    assert ids(ix, "fountain") <= ids(ix, "fount*")
    assert ids(ix, "defib*") == ids(ix, "defibrillator") | ids(ix, "defibrillators")


def test_field_filters(corpus_index):
    _, ix = corpus_index
    r = search(ix, "speaker:Campion", per_page=100)
    assert r.total and all("John Campion" in h.speakers for h in r.hits)
    r = search(ix, "kind:action", per_page=100)
    assert r.total == 50 and {h.kind for h in r.hits} == {"action", "commitment"}
    r = search(ix, "place:Shropshire", per_page=100)
    assert r.total and all(h.date == "2024-09-03" for h in r.hits if h.kind != "place")
    r = search(ix, 'topic:"domestic abuse"')
    assert any("domestic abuse offences" in t for t in texts(r))
    r = search(ix, "body:milburn", per_page=100)
    assert r.total and all(h.body == "Milburn Parish Council" for h in r.hits)
    r = search(ix, 'role:"Chief Constable" custody', per_page=100)
    assert any("custody being made less punitive" in t for t in texts(r))


def test_date_ranges(corpus_index):
    _, ix = corpus_index
    years = {f.value for f in search(ix, "date:2010..2016").facets["year"]}
    assert years == {"2011", "2014", "2015"}
    assert {h.date for h in search(ix, "date:2024", per_page=100).hits} == {"2024-09-03"}
    assert {h.date for h in search(ix, "date:2019-03", per_page=100).hits} == {"2019-03-25"}
    assert search(ix, "date:..2011-12-31 council").total == search(ix, "date:2011 council").total


def test_facets_count_every_hit(corpus_index):
    _, ix = corpus_index
    r = search(ix, "custody", per_page=2)
    assert len(r.hits) == 2
    kinds = dict((f.value, f.count) for f in r.facets["kind"])
    assert sum(kinds.values()) == r.total
    meetings = r.facets["meeting"]
    assert meetings[0].label == "Quarter 1 Performance – 2024/25 (2024-09-03)"
    assert set(r.facets) == {"year", "body", "meeting", "speaker", "topic", "place", "kind"}
    only = search(ix, "custody", filters={"year": "2024"}, per_page=100)
    assert only.total == dict((f.value, f.count) for f in r.facets["year"])["2024"]


def test_sort_by_date_and_pages(corpus_index):
    _, ix = corpus_index
    r = search(ix, "council", sort="date", per_page=100)
    dates = [h.date for h in r.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    first, second = search(ix, "council", per_page=5), search(ix, "council", page=2, per_page=5)
    assert len(first.hits) == 5 and first.total == second.total
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert [h.id for h in search(ix, "council", per_page=10).hits] == [
        h.id for h in first.hits + second.hits
    ]


def test_total_is_every_match_whatever_the_sort(corpus_index):
    _, ix = corpus_index
    for q in ("council", "custody", '"domestic abuse"', "custody NOT inspection", "DA"):
        every = ids(ix, q)
        by_relevance = search(ix, q, facets=False, per_page=1).total
        by_date = search(ix, q, sort="date", facets=False, per_page=1).total
        assert by_relevance == by_date
        assert by_relevance >= len(every)  # per_page 100 shows distinct passages only


def test_sort_by_date_puts_undated_entities_last(corpus_index):
    _, ix = corpus_index
    r = search(ix, "Shropshire", sort="date", per_page=100, facets=False)
    dated = [bool(h.date) for h in r.hits]
    assert any(dated) and not all(dated)
    assert dated == sorted(dated, reverse=True)


def test_field_filters_rank_like_filters(corpus_index):
    _, ix = corpus_index
    # a field filter ANDed with words restricts them, as `filters=` does
    with_field = search(ix, "body:milburn council", facets=False, per_page=100)
    assert with_field.total and all(h.body == "Milburn Parish Council" for h in with_field.hits)
    plain = search(ix, "council", facets=False, per_page=100)
    assert with_field.total < plain.total
    # filters only: the minutes before the entities, newest first
    r = search(ix, "place:Shropshire", facets=False, per_page=100)
    kinds = [h.kind for h in r.hits]
    parts = [k for k in kinds if k not in ("meeting", "person", "organisation", "place", "topic")]
    assert kinds[: len(parts)] == parts


def test_phrases_of_three_words(corpus_index):
    _, ix = corpus_index
    r = search(ix, '"Quarter 1 Performance"', facets=False, per_page=100)
    assert r.total and all("Quarter 1 Performance" in h.title for h in r.hits if h.kind == "item")


def test_an_index_of_an_old_layout_is_rebuilt_when_opened_for_writing(data):
    store_dir, src = data
    with Store(store_dir) as store:
        ingest_paths([src], store)
        ix = open_index(store)
        before = ix.unit_count()
        ix.close()
        meta = index_dir(store_dir) / "govkg-index.json"
        meta.write_text('{"schema": 1}')
        with pytest.raises(Exception, match="old layout"):
            SearchIndex(index_dir(store_dir), read_only=True)
        ix = open_index(store)
        assert ix.unit_count() == before
        ix.close()


def test_within_person(corpus_index):
    _, ix = corpus_index
    r = search(ix, "custody", within_person="John Campion", per_page=100)
    assert r.total and all("John Campion" in h.speakers for h in r.hits if h.kind == "statement")
    assert r.total < search(ix, "custody").total


def test_snippets_are_html_with_marks(corpus_index):
    _, ix = corpus_index
    hit = search(ix, "Hereford custody").hits[0]
    assert "<mark>Hereford</mark>" in hit.snippet
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("DA", "recorded domestic abuse offences"),
        ('"domestic violence"', "recorded domestic abuse offences"),
        ("NTE", "wider nighttime economy plan"),
        ('"night-time economy"', "reducing harms linked to the NTE"),
    ],
)
def test_thesaurus_expansion(corpus_index, query, fragment):
    _, ix = corpus_index
    r = search(ix, query, per_page=100)
    assert any(fragment in t for t in texts(r)), texts(r)[:5]
    assert r.expanded


def test_did_you_mean(corpus_index):
    _, ix = corpus_index
    r = search(ix, "custdy")
    assert r.total == 0 and r.did_you_mean == "custody"
    assert search(ix, "custody").did_you_mean is None


@pytest.mark.parametrize("query", ['"unclosed custody', "(custody OR", "speaker:", "AND AND"])
def test_malformed_queries_are_answered(corpus_index, query):
    _, ix = corpus_index
    r = search(ix, query)
    assert r.notes[0].startswith("query could not be parsed (")
    assert r.notes[0].endswith("); searched for the words instead")
    if "custody" in query:
        assert r.total


def test_all_words_or_else_any(corpus_index):
    _, ix = corpus_index
    r = search(ix, "custody zebra")
    assert r.total and r.notes == ["no unit has all the words; showing units with any of them"]


# -- store and index in step -----------------------------------------------------------
@pytest.fixture
def data(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / WM, src / WM)
    shutil.copy(CORPUS / "tintern_cc_minutes_2019-03-25.txt", src / "tintern.txt")
    return tmp_path / "data", src


def test_ingest_keeps_index_in_step(data):
    path, src = data
    with Store(path) as store:
        ingest_paths([src], store)
        with open_index(store) as ix:
            agree = agreement(store, ix)
            assert agree.agree and agree.index_documents == 2
            assert search(ix, "Hereford custody").total


def test_new_documents_one_ingest_after_another_are_indexed_once(data):
    """A new document's units are added without deleting first (it has none); a copy
    of it under another name, and its bytes ingested again, add nothing twice."""
    path, src = data
    with Store(path) as store:
        ingest_paths([src / "tintern.txt"], store)
        copy = src / "copy-of-wm.txt"
        shutil.copy(src / WM, copy)
        ingest_paths([src / WM, copy], store)
        ingest_paths([src / WM], store)
        with open_index(store) as ix:
            agree = agreement(store, ix)
            assert agree.agree and agree.index_documents == 2
            assert agree.index_units == agree.store_units
            hits = search(ix, '"Hereford custody block"', per_page=100, facets=False)
            assert hits.total and len({h.id for h in hits.hits}) == len(hits.hits)


def test_replacing_a_file_replaces_its_units(data):
    path, src = data
    with Store(path) as store:
        ingest_paths([src], store)
        f = src / WM
        f.write_text(f.read_text("utf-8").replace("Hereford custody block", "Telford cells"))
        report = ingest_paths([f], store)
        assert report.replaced == [str(f)]
        with open_index(store) as ix:
            assert agreement(store, ix).agree
            assert not any("Hereford custody block" in t for t in texts(search(ix, "Hereford")))
            assert any("Telford cells" in t for t in texts(search(ix, "Telford cells")))


def test_crash_between_store_and_index_is_recovered(data, monkeypatch):
    path, src = data
    with Store(path) as store:
        ingest_paths([src / "tintern.txt"], store)
        # the index commit never happens: the store holds the document, the marker stays
        monkeypatch.setattr("kg.indexing.IndexSync.commit", lambda self: 0)
        ingest_paths([src / WM], store)
        monkeypatch.undo()
        ix = SearchIndex(index_dir(path))
        assert ix.pending() and not agreement(store, ix).agree
        assert search(ix, "Hereford custody").total == 0
        ix.close()
        with open_index(store) as ix:  # opening for writing recovers
            assert not ix.pending() and agreement(store, ix).agree
            assert search(ix, "Hereford custody").total


def test_reindex_reproduces_the_results(data):
    path, src = data
    with Store(path) as store:
        ingest_paths([src], store)
        with open_index(store) as ix:
            before = [(h.id, h.snippet) for h in search(ix, "custody OR speeding").hits]
            facets = search(ix, "custody OR speeding").facets
            rebuild(store, ix)
            assert [(h.id, h.snippet) for h in search(ix, "custody OR speeding").hits] == before
            assert search(ix, "custody OR speeding").facets == facets
            assert agreement(store, ix).agree


def test_cli_search_reindex_stats(data, runner):
    from kg.cli import main

    path, src = data
    with Store(path) as store:
        ingest_paths([src], store)
    result = runner.invoke(main, ["--data", str(path), "search", "Hereford custody", "--facets"])
    assert result.exit_code == 0, result.output
    assert "[Hereford] [custody]" in result.output
    assert "place: Hereford" in result.output
    result = runner.invoke(main, ["--data", str(path), "search", "custdy", "--json"])
    assert '"did_you_mean": "custody"' in result.output
    result = runner.invoke(main, ["--data", str(path), "reindex"])
    assert result.exit_code == 0 and "indexed 2 documents" in result.output
    result = runner.invoke(main, ["--data", str(path), "stats"])
    assert "index agrees     yes" in result.output
    result = runner.invoke(main, ["--data", str(path / "nothing"), "search", "x"])
    assert result.exit_code == 1
    assert "no search index here; run `govkg reindex` to build it" in result.output
