"""The example queries of ontology/queries/: each one loads, has a title and a
description, runs fast on the bundled samples and finds something there."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.examples import ExampleError, example, examples
from kg.textsparql import rewrite

NAMES = [e.name for e in examples()]


def rows_of(store, index, query: str) -> list:
    result = store.query(rewrite(query, index))
    if isinstance(result, ox.QueryBoolean):
        return [True] if bool(result) else []
    return list(result)


def test_at_least_twelve_examples_each_described():
    assert len(NAMES) >= 12
    for ex in examples():
        assert ex.title and ex.description, ex.name
        assert ex.query.startswith("# title: ")
        assert ex.query.strip().splitlines()[-1].strip(), ex.name


def test_the_full_text_example_uses_text_search():
    assert "text:search" in example("chief-constable-on-custody").query


def test_unknown_example_names_the_known_ones():
    with pytest.raises(ExampleError, match="who-committed-to-what"):
        example("no-such-query")


@pytest.mark.parametrize("name", NAMES)
def test_example_finds_something_in_the_samples_quickly(name, samples_store, samples_index):
    query = example(name).query
    started = time.perf_counter()
    rows = rows_of(samples_store, samples_index, query)
    elapsed = time.perf_counter() - started
    assert rows, f"{name} found nothing in samples/"
    assert elapsed < 2.0, f"{name} took {elapsed:.2f} s"


def test_examples_do_not_hard_code_people():
    # people are picked by role, pattern or a VALUES line, never by name or person IRI
    for ex in examples():
        live = [line for line in ex.query.splitlines() if not line.lstrip().startswith("#")]
        assert "/id/person/" not in "\n".join(live), ex.name
        assert 'foaf:name "' not in "\n".join(live), ex.name


def test_overdue_is_relative_to_today(samples_store, samples_index):
    rows = rows_of(samples_store, samples_index, example("overdue-actions-by-owner").query)
    today = time.strftime("%Y-%m-%d")
    assert all(str(r["oldest_deadline"].value) < today for r in rows)
    assert sum(int(r["overdue"].value) for r in rows) >= 2


def test_role_values_line_can_be_changed(samples_store, samples_index):
    query = example("owed-to-role-no-follow-up").query
    pcc = rows_of(samples_store, samples_index, query)
    assert pcc and all("Police and Crime Commissioner" in r["role"].value for r in pcc)
    other = query.replace('"Police and Crime Commissioner"', '"No Such Office"')
    assert rows_of(samples_store, samples_index, other) == []


def test_cli_lists_and_runs_examples(samples_data):
    runner = CliRunner()
    listed = runner.invoke(main, ["--data", str(samples_data), "sparql", "--examples"])
    assert listed.exit_code == 0, listed.output
    for ex in examples():
        assert ex.name in listed.output and ex.title in listed.output
    ran = runner.invoke(
        main, ["--data", str(samples_data), "sparql", "--example", "actions-per-meeting"]
    )
    assert ran.exit_code == 0, ran.output
    assert "open_actions" in ran.output.splitlines()[0]
    assert len(ran.output.splitlines()) >= 3


def test_cli_runs_the_full_text_example_as_csv(samples_data):
    ran = CliRunner().invoke(
        main,
        [
            "--data",
            str(samples_data),
            "sparql",
            "--example",
            "chief-constable-on-custody",
            "--format",
            "csv",
        ],
    )
    assert ran.exit_code == 0, ran.output
    lines = ran.output.splitlines()
    assert lines[0].startswith("score,speaker,role,text")
    assert len(lines) >= 2 and "ustody" in ran.output


def test_cli_unknown_example_fails_clearly(samples_data):
    ran = CliRunner().invoke(main, ["--data", str(samples_data), "sparql", "--example", "nope"])
    assert ran.exit_code != 0
    assert "no example query 'nope'" in ran.output
