"""The govkg CLI: help, errors, exit codes, and data on stdout vs logs on stderr."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import format_table, main
from tests.conftest import DATA, GOOD_MINUTES, needs_pipeline

COMMANDS = sorted(main.commands)


def run(runner: CliRunner, data: Path, *args: str):
    return runner.invoke(main, ["--data", str(data), *args])


@pytest.fixture
def minutes(tmp_path: Path) -> Path:
    """A folder with two good files (stand-in extractor format) and two bad ones."""
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "2019-03-25.txt").write_text(GOOD_MINUTES)
    (folder / "2019-04-29.md").write_text(
        GOOD_MINUTES.replace("2019-03-25", "2019-04-29").replace("ACTION", "WILL")
    )
    (folder / "empty.txt").write_text("")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 4)
    return folder


@pytest.fixture
def loaded(tmp_path: Path, runner: CliRunner, minutes: Path, fake_extract) -> Path:
    """A data directory with the good minutes ingested."""
    data = tmp_path / "data"
    result = run(
        runner, data, "ingest", str(minutes / "2019-03-25.txt"), str(minutes / "2019-04-29.md")
    )
    assert result.exit_code == 0, result.output
    return data


def test_python_m_kg_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: govkg [OPTIONS] COMMAND [ARGS]...")
    for command in ("extract", "ingest", "sparql", "actions", "stats", "validate", "export"):
        assert re.search(rf"^  {command}\s", done.stdout, re.M), command


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert re.search(r"^  Example:\n      govkg \S", result.output, re.M)


def test_ingest_reports_each_bad_file_in_one_line_and_goes_on(
    tmp_path: Path, runner: CliRunner, minutes: Path, fake_extract
) -> None:
    data = tmp_path / "data"
    result = run(runner, data, "ingest", str(minutes))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"error: {minutes / 'empty.txt'}: file is empty",
        f"error: {minutes / 'junk.txt'}: looks like a binary file, not text",
    ]
    assert re.fullmatch(
        r"ingested 4 documents \(2 new, 0 replaced, 0 unchanged, 2 failed\), "
        r"\d+ triples, \d+\.\d s",
        lines[2],
    )
    assert len(lines) == 3

    again = run(
        runner, data, "ingest", str(minutes / "2019-03-25.txt"), str(minutes / "2019-04-29.md")
    )
    assert again.exit_code == 0
    assert again.stderr.startswith(
        "ingested 2 documents (0 new, 0 replaced, 2 unchanged, 0 failed), 0 triples, "
    )


def test_ingest_needs_a_path(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "data", "ingest")
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


def test_sparql_select_formats(runner: CliRunner, loaded: Path) -> None:
    query = "SELECT ?date WHERE { ?m a gkg:Meeting ; dcterms:date ?date } ORDER BY ?date"
    table = run(runner, loaded, "sparql", query)
    assert table.exit_code == 0, table.output
    assert table.stdout == "date\n----------\n2019-03-25\n2019-04-29\n"
    csv = run(runner, loaded, "sparql", query, "--format", "csv")
    assert csv.stdout_bytes == b"date\r\n2019-03-25\r\n2019-04-29\r\n"  # SPARQL 1.1 CSV: CRLF
    as_json = json.loads(run(runner, loaded, "sparql", query, "--format", "json").stdout)
    assert [b["date"]["value"] for b in as_json["results"]["bindings"]] == [
        "2019-03-25",
        "2019-04-29",
    ]
    tsv = run(runner, loaded, "sparql", query, "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?date"


def test_sparql_construct_ask_file_and_show_query(
    runner: CliRunner, loaded: Path, tmp_path: Path
) -> None:
    construct = "CONSTRUCT { ?m a gkg:Meeting } WHERE { ?m a gkg:Meeting }"
    turtle = run(runner, loaded, "sparql", construct)
    assert turtle.exit_code == 0
    assert turtle.stdout.count("gkg:Meeting") == 2
    assert run(runner, loaded, "sparql", "ASK { ?a a gkg:Commitment }").stdout == "true\n"
    qfile = tmp_path / "q.rq"
    qfile.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a a gkg:Action }")
    assert run(runner, loaded, "sparql", "--file", str(qfile), "--format", "csv").stdout == "n\n2\n"
    shown = run(runner, loaded, "sparql", "ASK {}", "--show-query")
    assert shown.stdout.startswith("PREFIX gkg: <https://w3id.org/govkg/ns#>\n")
    assert shown.stdout.endswith("ASK {}\n")


def test_sparql_syntax_error_is_one_line(runner: CliRunner, loaded: Path) -> None:
    result = run(runner, loaded, "sparql", "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: SPARQL syntax error: error at 1:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "Error: give a QUERY or --file F (one of them)"),
        (
            ("CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"),
            1,
            "Error: --format csv needs a SELECT query; use turtle or ntriples",
        ),
        (
            ("SELECT * WHERE { ?s ?p ?o }", "--format", "turtle"),
            1,
            "Error: --format turtle needs a CONSTRUCT or DESCRIBE query",
        ),
        (("INSERT DATA { <urn:a> <urn:b> <urn:c> }",), 1, "Error: SPARQL syntax error: "),
    ],
)
def test_sparql_usage_and_domain_errors(
    runner: CliRunner, loaded: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(runner, loaded, "sparql", *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_queries_on_a_missing_data_dir_name_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "none", "actions")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'none'}: no govkg data here; run `govkg ingest PATH` first "
        "or point --data at a data directory\n"
    )
    assert not (tmp_path / "none").exists()


def test_actions_formats(runner: CliRunner, loaded: Path) -> None:
    csv = run(runner, loaded, "actions", "--format", "csv")
    assert csv.exit_code == 0
    lines = csv.stdout.splitlines()
    assert lines[0] == (
        "action,kind,text,owner,owed_to,owner_name,owed_to_name,due,status,ref,meeting_date,meeting,"
        "meeting_title,document"
    )
    assert len(lines) == 3
    rows = json.loads(run(runner, loaded, "actions", "--format", "json").stdout)
    assert [(r["kind"], r["owner_name"], r["meeting_date"]) for r in rows] == [
        ("action", "Bob Evans", "2019-03-25"),
        ("commitment", "Bob Evans", "2019-04-29"),
    ]
    table = run(runner, loaded, "actions").stdout.splitlines()
    # the ledger's columns (govkg link) are in the table and json; the csv stays fixed
    assert table[0].split() == [
        "meeting_date", "kind", "owner", "owed_to", "due", "status", "follow_ups",
        "last_follow_up", "confidence", "text",
    ]  # fmt: skip
    assert run(runner, loaded, "actions", "--owner", "nobody", "--format", "json").stdout == "[]\n"
    assert (
        len(
            json.loads(
                run(runner, loaded, "actions", "--owner", "EVANS", "--format", "json").stdout
            )
        )
        == 2
    )


def test_actions_show_query_needs_no_store(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "none", "actions", "--owner", 'O"Brien', "--show-query")
    assert result.exit_code == 0
    assert 'VALUES ?owner_q { "O\\"Brien" }' in result.stdout


def test_stats_export_validate(runner: CliRunner, loaded: Path, tmp_path: Path) -> None:
    stats = json.loads(run(runner, loaded, "stats", "--json").stdout)
    assert (stats["documents"], stats["meetings"], stats["actions"], stats["commitments"]) == (
        2,
        2,
        2,
        1,
    )
    assert stats["people"] == 2, "the same two people in both meetings"
    text = run(runner, loaded, "stats").stdout
    assert re.search(r"^documents\s+2$", text, re.M)

    out = tmp_path / "kg.nq"
    result = run(runner, loaded, "export", "--format", "nquads", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    # the documents' quads and the derived graphs' (identity, follow-up links)
    assert len(out.read_text().splitlines()) == stats["quads"] + stats["derived_quads"]
    assert run(runner, loaded, "export", "--format", "turtle").stdout.startswith("@prefix")

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix gkg: <https://w3id.org/govkg/ns#> .\n"
        "gkg:S a sh:NodeShape ; sh:targetClass gkg:Action ;\n"
        "  sh:property [ sh:path gkg:due ; sh:minCount 1 ] .\n"
    )
    bad = run(runner, loaded, "validate", "--shapes", str(shapes))
    assert bad.exit_code == 1
    assert bad.stderr == "error: 2 violations of the SHACL shapes\n"
    assert "Constraint Violation in MinCountConstraintComponent" in bad.stdout
    shapes.write_text(shapes.read_text().replace("gkg:due", "gkg:text"))
    good = run(runner, loaded, "validate", "--shapes", str(shapes))
    assert (good.exit_code, good.stdout) == (0, "conforms: no violations\n")


def test_extract_summary_and_json(runner: CliRunner, minutes: Path, fake_extract) -> None:
    path = str(minutes / "2019-03-25.txt")
    data = json.loads(runner.invoke(main, ["extract", path, "--json"]).stdout)
    assert data["meeting"]["date"] == "2019-03-25"
    assert "paragraphs" not in data
    assert "paragraphs" in json.loads(
        runner.invoke(main, ["extract", path, "--json", "--paragraphs"]).stdout
    )
    summary = runner.invoke(main, ["extract", path]).stdout
    assert summary.startswith("meeting:    Parish council meeting\ndate:       2019-03-25\n")
    assert "actions (1):\n  [explicit] write to the police\n      owner: Evans\n" in summary
    bad = runner.invoke(main, ["extract", str(minutes / "empty.txt")])
    assert (bad.exit_code, bad.stderr) == (1, f"Error: {minutes / 'empty.txt'}: file is empty\n")


def test_format_table_truncates_long_cells() -> None:
    table = format_table(["a", "b"], [{"a": "x" * 80, "b": None}], width=10)
    assert table.splitlines() == ["a           b", "----------  -", "xxxxxxxxx…"]


# -- with the real extractor ------------------------------------------------------------
@needs_pipeline
def test_extract_real_minutes_json(runner: CliRunner) -> None:
    path = DATA / "corpus" / "westmercia-pcc-2024-09-03-q1-performance.txt"
    result = runner.invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["meeting"]["date"] == "2024-09-03"
    assert data["source"]["sha256"] and data["actions"]


@needs_pipeline
@pytest.mark.slow
def test_ingest_tintern_then_actions(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = run(runner, data, "ingest", str(DATA / "tintern_series"))
    assert first.exit_code == 0, first.stderr
    assert first.stderr.startswith(
        "ingested 28 documents (28 new, 0 replaced, 0 unchanged, 0 failed)"
    )
    rows = json.loads(run(runner, data, "actions", "--format", "json").stdout)
    assert len({r["meeting"] for r in rows}) > 1
    assert all(r["meeting_date"] and r["document"] for r in rows)
    assert [r["meeting_date"] for r in rows] == sorted(r["meeting_date"] for r in rows)
    validated = run(runner, data, "validate")
    assert validated.exit_code == 0, validated.stdout[-2000:]
    again = run(runner, data, "ingest", str(DATA / "tintern_series"))
    assert again.stderr.startswith(
        "ingested 28 documents (0 new, 0 replaced, 28 unchanged, 0 failed), 0 triples"
    )
