"""The `govkg` command line: each command parses input, calls one library function
and formats its result. Data goes to stdout; progress, logs and errors to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox

from kg.store import QueryError, Store, StoreError, default_data_dir, open_store, term_value

__all__ = ["main", "format_table"]

F = TypeVar("F", bound=Callable[..., Any])

CELL_WIDTH = 60
"""Table cells longer than this are cut with an ellipsis (csv/json output is never cut)."""


def output_format(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """Add `--format` (one of `choices`) and `--show-query` to a command."""

    def decorate(fn: F) -> F:
        fn = click.option(
            "--show-query",
            is_flag=True,
            help="Print the SPARQL query instead of running it.",
        )(fn)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=default is not None,
            help="Output format.",
        )(fn)

    return decorate


def format_table(
    names: Sequence[str], rows: Sequence[dict[str, Any]], width: int = CELL_WIDTH
) -> str:
    """Plain aligned columns with a header and a rule; long cells end in "…"."""

    def cell(value: Any) -> str:
        text = "" if value is None else " ".join(str(value).split())
        return text if len(text) <= width else text[: width - 1] + "…"

    table = [list(names)] + [[cell(row.get(n)) for n in names] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(names))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@contextmanager
def _store(ctx: click.Context, read_only: bool = True) -> Iterator[Store]:
    try:
        store = open_store(ctx.obj["data"], url=ctx.obj.get("store_url"), read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    except StoreError as exc:  # QueryError included
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


@contextmanager
def _locked(ctx: click.Context, wait: float = 0) -> Iterator[None]:
    """Hold the data directory's writer lock (kg.lock); another writer's is one clear line."""
    from kg.lock import DataLock, LockHeld

    try:
        lock = DataLock(ctx.obj["data"], wait=wait).acquire()
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield
    finally:
        lock.release()


_WAIT = click.option(
    "--wait",
    type=click.FloatRange(0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="If another writer holds the data directory, wait this long for it (0: refuse).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GOVKG_DATA",
    default=None,
    help="Data directory (store and source copies).  [env: GOVKG_DATA; default: ./govkg-data]",
)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    envvar="GOVKG_STORE_URL",
    default=None,
    help="Keep the graph in a SPARQL 1.1 server instead of DATA/oxigraph: "
    "http://HOST:PORT (Oxigraph server), http://HOST:PORT/DATASET (Fuseki) or "
    "query=URL,update=URL,gsp=URL. Source copies and the search index stay in --data.  "
    "[env: GOVKG_STORE_URL]",
)
@click.version_option(package_name="govkg")
@click.pass_context
def main(ctx: click.Context, data: Path | None, store_url: str | None) -> None:
    """govkg: governance meeting minutes in, a knowledge graph out.

    \b
    Example:
        govkg ingest samples/ && govkg actions
    """
    ctx.ensure_object(dict)
    ctx.obj["data"] = data if data is not None else default_data_dir()
    ctx.obj["store_url"] = store_url or None


# -- extract ------------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the record as JSON (the extract contract)."
)
@click.option("--paragraphs", is_flag=True, help="With --json: include every paragraph of text.")
def extract(file: Path, as_json: bool, paragraphs: bool) -> None:
    """Show what was understood from one file of minutes.

    \b
    Example:
        govkg extract minutes.txt --json
    """
    from ingest import IngestError, extract_file

    try:
        record = extract_file(str(file))
    except IngestError as exc:
        raise click.ClickException(str(exc)) from exc
    data = record.to_json()
    if not paragraphs:
        data.pop("paragraphs", None)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(_summary(data))


def _summary(d: dict[str, Any]) -> str:
    m = d["meeting"]
    out = [f"meeting:    {m.get('title') or '(no title)'}"]
    for label, key in (
        ("date", "date"),
        ("body", "body"),
        ("kind", "kind"),
        ("venue", "venue"),
        ("chair", "chair"),
        ("minutes by", "minutes_by"),
    ):
        if m.get(key):
            out.append(f"{label + ':':<11} {m[key]}")
    nxt = m.get("next")
    if nxt:
        out.append("next:       " + ", ".join(str(v) for v in nxt.values() if v))
    out.append(f"\nattendees ({len(d['attendees'])}):")
    for a in d["attendees"]:
        extra = ", ".join(v for v in (a.get("role"), a.get("abbrev"), a.get("organisation")) if v)
        out.append(f"  {a['name']}" + (f" ({extra})" if extra else "") + f" [{a['status']}]")
    out.append(f"\nagenda items ({len(d['agenda_items'])}):")
    for i, item in enumerate(d["agenda_items"], 1):
        out.append(f"  {item.get('number') or i}. {item['title']}")
    out.append(f"\nactions ({len(d['actions'])}):")
    for a in d["actions"]:
        who = "; ".join(f"{k}: {a[k]}" for k in ("owner", "for", "due") if a.get(k))
        out.append(f"  [{a['kind']}] {a['text']}" + (f"\n      {who}" if who else ""))
    out.append("")
    out.append(f"statements: {len(d['statements'])}")
    for key in ("places", "organisations"):
        names = [p["name"] for p in d[key]]
        out.append(f"{key}: {len(names)}" + (f" ({', '.join(names)})" if names else ""))
    out.append(
        f"topics: {len(d['topics'])}" + (f" ({', '.join(d['topics'])})" if d["topics"] else "")
    )
    return "\n".join(out)


# -- ingest -------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_WAIT
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    envvar="GOVKG_JOBS",
    show_envvar=True,
    help="Extraction processes (default: one per core; 1 extracts in this process).",
)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], wait: float, jobs: int | None) -> None:
    """Add files and folders of minutes to the knowledge graph.

    Folders are searched recursively for minutes in every format govkg reads:
    PDF, Word (.docx), web pages (.html, .htm, .aspx), text and Markdown; a file
    named on its own is read whatever its name (the format is sniffed from the
    content). Ingesting the same bytes again (under any path) adds nothing; a
    changed file replaces its graph. A bad file is reported and the rest go on; the exit code is 1 if
    any file failed. Then the derived graphs follow: who is who (as `govkg identity`),
    the follow-up links of the series that changed (as `govkg link`), and review
    decisions move to a re-ingested file's parts.

    \b
    Example:
        govkg --data ./govkg-data ingest minutes/ extra/2024-09-03.txt
    """
    from kg.pipeline import default_jobs, expand_paths, ingest_paths

    files = expand_paths(paths)
    with _locked(ctx, wait), _store(ctx, read_only=False) as store:
        if sys.stderr.isatty() and len(files) > 1:
            with click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar:
                report = ingest_paths(
                    files, store, progress=lambda _p: bar.update(1), jobs=jobs or default_jobs()
                )
        else:
            report = ingest_paths(files, store, jobs=jobs or default_jobs())
    for line in report.failed:
        click.echo(f"error: {line}", err=True)
    click.echo(report.summary(), err=True)
    # the derived graphs (identity, follow-up links, review): only what changed or failed
    for line in report.derived.lines() if report.derived is not None else []:
        click.echo(line, err=True)
    if report.failed:
        ctx.exit(1)


# -- sparql -------------------------------------------------------------------------
@main.command()
@click.argument("query", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file ('-' for stdin).",
)
@click.option("--example", "example_name", metavar="NAME", help="Run the example query NAME.")
@click.option(
    "--examples", "list_examples", is_flag=True, help="List the example queries (name, title)."
)
@output_format("table", "csv", "tsv", "json", "turtle", "ntriples")
@click.pass_context
def sparql(
    ctx: click.Context,
    query: str | None,
    query_file: Any,
    example_name: str | None,
    list_examples: bool,
    fmt: str | None,
    show_query: bool,
) -> None:
    """Run a SPARQL query over all documents (the default graph is their union).

    SELECT prints a table (or SPARQL 1.1 CSV/TSV/JSON results), CONSTRUCT and
    DESCRIBE print Turtle (or N-Triples), ASK prints true or false. The prefixes
    gkg dcterms foaf org prov rdf rdfs schema skos xsd need no PREFIX line.

    Full text inside the query: `?unit text:search "custody"`, `(?unit ?score)
    text:search "custody"` or `?unit text:search ("custody" 50)` with
    PREFIX text: <https://w3id.org/govkg/text#> asks the search index (the
    search language of `govkg search`). --examples lists the example queries
    of ontology/queries/; --example NAME runs one (--show-query prints it).

    \b
    Example:
        govkg sparql 'SELECT ?name WHERE { ?p a foaf:Person ; foaf:name ?name }'
        govkg sparql --examples
        govkg sparql --example who-committed-to-what --format csv
    """
    from kg.examples import ExampleError, example, examples
    from kg.queries import PREFIXES, prefix_block
    from kg.textsparql import uses_text_search

    if list_examples:
        shown = examples()
        width = max(len(e.name) for e in shown)
        for ex in shown:
            click.echo(f"{ex.name.ljust(width)}  {ex.title}")
        return
    if sum(x is not None for x in (query, query_file, example_name)) != 1:
        raise click.UsageError("give a QUERY or --file F (one of them), or --example NAME")
    if example_name is not None:
        try:
            text = example(example_name).query
        except ExampleError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        text = query if query is not None else query_file.read()
    if show_query:
        click.echo(prefix_block() + text)
        return
    with _store(ctx) as store:
        _warn_outdated(store)
        if uses_text_search(text):
            text = _text_search(store, text)
        result = store.query(text)
        try:
            if isinstance(result, ox.QuerySolutions):
                fmt = fmt or "table"
                if fmt in ("turtle", "ntriples"):
                    raise click.ClickException(
                        f"--format {fmt} needs a CONSTRUCT or DESCRIBE query"
                    )
                if fmt == "table":
                    names = [v.value for v in result.variables]
                    rows = [{n: term_value(r[n]) for n in names} for r in result]
                    click.echo(format_table(names, rows))
                else:
                    _write(result.serialize(format=_RESULTS[fmt]))
            elif isinstance(result, ox.QueryBoolean):
                if fmt == "json":
                    _write(result.serialize(format=ox.QueryResultsFormat.JSON), "\n")
                else:
                    click.echo("true" if bool(result) else "false")
            else:
                fmt = fmt or "turtle"
                if fmt not in ("turtle", "ntriples"):
                    raise click.ClickException(
                        f"--format {fmt} needs a SELECT query; use turtle or ntriples"
                    )
                rdf = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
                _write(ox.serialize(result, format=rdf, prefixes=PREFIXES))
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"SPARQL query failed: {' '.join(str(exc).split())}") from exc


def _text_search(store: Any, text: str) -> str:
    """`text` with its text:search patterns answered from the search index."""
    from kg.index import SearchIndexError
    from kg.indexing import open_index
    from kg.textsparql import rewrite

    try:
        index = open_index(store, read_only=True)
    except SearchIndexError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        return rewrite(text, index)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # kg.sparqlservice.QuerySyntaxError
        message = getattr(exc, "message", None)
        if message is None:
            raise
        raise click.ClickException(str(message)) from exc
    finally:
        index.close()


def _write(data: bytes | None, end: str = "") -> None:
    """Serialised RDF or results (always UTF-8) to stdout."""
    click.echo((data or b"").decode("utf-8") + end, nl=False)


_RESULTS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


# -- actions ------------------------------------------------------------------------
ACTION_COLUMNS = [
    "meeting_date",
    "kind",
    "owner",
    "owed_to",
    "due",
    "status",
    "follow_ups",
    "last_follow_up",
    "confidence",
    "text",
]
"""Columns of the table (status: the ledger's current status, "overdue" when past due);
json carries every column of `actions_query` and each action's follow-ups."""
ACTION_CSV_COLUMNS = [
    "action",
    "kind",
    "text",
    "owner",
    "owed_to",
    "owner_name",
    "owed_to_name",
    "due",
    "status",
    "ref",
    "meeting_date",
    "meeting",
    "meeting_title",
    "document",
]
"""Columns of --format csv: fixed, for scripts (the ledger's columns are in json)."""


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise click.BadParameter(f"not a date (use YYYY-MM-DD): {value!r}")


@main.command()
@click.option("--owner", metavar="NAME", help="Only actions whose owner's name contains NAME.")
@click.option(
    "--for",
    "owed_to",
    metavar="NAME",
    help="Only actions owed to someone whose name contains NAME.",
)
@click.option(
    "--status",
    type=click.Choice(["open", "updated", "done", "dropped", "superseded", "overdue"]),
    help="Only actions with this current status (from `govkg link`); overdue: open or "
    "updated and past due.",
)
@click.option("--overdue", is_flag=True, help="Only open or updated actions past their due date.")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    callback=_iso_date,
    help="The day overdue is judged on (YYYY-MM-DD; default today).",
)
@output_format("table", "csv", "json", default="table")
@click.pass_context
def actions(
    ctx: click.Context,
    owner: str | None,
    owed_to: str | None,
    status: str | None,
    overdue: bool,
    on: str | None,
    fmt: str,
    show_query: bool,
) -> None:
    """Who committed to what, for whom, by when: every action and commitment.

    Ordered by meeting date, then due date. The status is the ledger's current status
    (`govkg link`: open, updated, done, dropped, superseded; "overdue" when an open or
    updated action is past due on --on DATE, default today), with how many later
    meetings followed the action up, the latest of them and the confidence of the
    follow-up the status comes from. --format json prints a list of objects, each with
    its follow-ups (meeting, evidence paragraph IRI, confidence, reported status;
    "possible": true for a link below 0.6, never counted as fact).

    \b
    Example:
        govkg actions --owner clerk --format csv > actions.csv
        govkg actions --overdue --on 2020-03-01
    """
    import datetime as dt

    from kg.ledger import follow_ups
    from kg.queries import actions_query

    if overdue and status not in (None, "overdue"):
        raise click.UsageError(f"--overdue and --status {status} ask for different actions")
    if overdue:
        status = "overdue"
    today = on or dt.date.today().isoformat()
    query = actions_query(
        owner=owner,
        owed_to=owed_to,
        status=status,
        today=today,
        review=fmt == "json",
        ledger=fmt != "csv",
    )
    if show_query:
        click.echo(query)
        return
    with _store(ctx) as store:
        names, rows = store.select(query)
        if fmt == "json":
            links = follow_ups(store, [str(r["action"]) for r in rows])
    if fmt == "csv":
        _emit(ACTION_CSV_COLUMNS, [{k: r.get(k) for k in ACTION_CSV_COLUMNS} for r in rows], fmt)
        return
    out: list[dict[str, Any]] = []
    for raw in rows:
        row: dict[str, Any] = dict(raw)
        row["follow_ups"] = int(raw.get("follow_ups") or 0)
        conf = raw.get("confidence")
        row["confidence"] = float(conf) if conf else None
        if fmt == "json":
            row["follow_up_links"] = links.get(str(raw["action"]), [])
        else:
            row["status"] = raw.get("state") or raw["status"]  # "overdue" when past due
        out.append(row)
    _emit(names, out, fmt, table_columns=ACTION_COLUMNS if fmt == "table" else None)


@main.command()
@click.pass_context
def link(ctx: click.Context) -> None:
    """Recompute the commitments ledger: which later meeting followed up which action.

    Every action is matched against the next meetings of its series (by its reference,
    its minute number, or a later paragraph on the same subject); each follow-up keeps
    its evidence paragraph, a confidence and the status it reports (done, updated,
    dropped, superseded). Links below 0.6 are possible follow-ups only. The links go
    into one derived graph per series; the documents' graphs are not touched.

    \b
    Example:
        govkg --data ./govkg-data link && govkg actions --status done
    """
    from kg.ledger import link_store

    with _locked(ctx), _store(ctx, read_only=False) as store:
        report = link_store(store)
    click.echo(report.summary(), err=True)


def _emit(
    names: list[str], rows: list[dict[str, Any]], fmt: str, table_columns: list[str] | None = None
) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt in ("csv", "tsv"):
        import csv

        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=names,
            delimiter="," if fmt == "csv" else "\t",
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(format_table(table_columns or names, rows))


# -- stats, validate, export ------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as a JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count documents, triples, meetings, people, statements, actions, ...

    The documents' counts come first (people: one per person once the identity graph
    has merged the ways a name is written, with the person nodes as extracted beside),
    then the search index against the store: its documents and units, and whether the
    two agree (if not, `govkg reindex` rebuilds the index), then what the derived
    graphs hold (identity links, tenures, follow-ups, review decisions).

    \b
    Example:
        govkg stats --json
    """
    from kg.index import SearchIndex, SearchIndexError
    from kg.indexing import agreement, index_dir

    with _store(ctx) as store:
        _warn_outdated(store)
        counts: dict[str, Any] = dict(store.counts())
        derived = store.derived_counts()
        try:
            with SearchIndex(index_dir(store.path), read_only=True) as ix:
                agree = agreement(store, ix)
            counts["index_documents"] = agree.index_documents
            counts["index_units"] = agree.index_units
            counts["index_agrees"] = agree.agree
        except SearchIndexError:
            counts["index_documents"] = 0
            counts["index_units"] = 0
            counts["index_agrees"] = counts["documents"] == 0
    # people: one per canonical person of the identity graph, the extracted nodes beside
    counts["people"] = derived.pop("people")
    counts["person_nodes"] = derived.pop("person_nodes")
    if as_json:
        click.echo(json.dumps({**counts, **derived}, indent=2))
        return
    width = max(len(k) for k in counts if k != "person_nodes")
    for key, value in counts.items():
        if key == "person_nodes":
            continue
        if key == "people":
            value = f"{value} ({counts['person_nodes']} person nodes)"
        if isinstance(value, bool):
            value = "yes" if value else "no (run `govkg reindex`)"
        click.echo(f"{key.replace('_', ' '):<{width}}  {value}")
    # the derived graphs, in a block of their own under their number
    click.echo(f"{'derived graphs':<{width}}  {derived.pop('derived_graphs')}")
    inner = max(len(k) for k in derived)
    for key, value in derived.items():
        click.echo(f"  {key.replace('_', ' '):<{inner}}  {value}")


@main.command()
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes (Turtle) to use instead of ontology/shapes.ttl.",
)
@click.pass_context
def validate(ctx: click.Context, shapes: Path | None) -> None:
    """Check the whole graph against the SHACL shapes; exit 1 if anything violates them.

    \b
    Example:
        govkg validate
    """
    from kg.validate import validate_store

    with _store(ctx) as store:
        result = validate_store(store, shapes)
    if result.conforms:
        click.echo("conforms: no violations")
        return
    click.echo(result.report)
    click.echo(f"error: {result.violations} violations of the SHACL shapes", err=True)
    ctx.exit(1)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples"]),
    default="trig",
    show_default=True,
    help="trig, nquads and jsonld keep one graph per document; turtle is the union.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE, not stdout.",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole knowledge graph as RDF.

    \b
    Example:
        govkg export --format turtle -o govkg.ttl
    """
    with _store(ctx) as store:
        data = store.export(fmt)
    if output is None:
        _write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads", "jsonld"]),
    default=None,
    help="The dump's format.  [default: from its ending; TriG]",
)
@click.option(
    "--replace", is_flag=True, help="Discard what the data directory holds (else it must be empty)."
)
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also restore the copies of the original files from this folder (an old DATA/sources).",
)
@_WAIT
@click.pass_context
def import_(
    ctx: click.Context,
    file: Path,
    fmt: str | None,
    replace: bool,
    sources: Path | None,
    wait: float,
) -> None:
    """Restore a data directory from a `govkg export` dump (TriG, N-Quads or JSON-LD).

    The document graphs and the review graph are loaded as they are; the derived
    graphs (who is who, follow-up links) are recomputed from them, and the search
    index is built. The data directory must be empty unless --replace. A dump holds
    no copy of the original files: --sources restores them from a folder.

    \b
    Example:
        govkg --data restored import backup.trig --sources old-data/sources
    """
    from kg.backup import import_dump

    if ctx.obj.get("store_url"):
        raise click.ClickException(
            "import restores the embedded store; load the dump into a SPARQL server "
            "with its own tools"
        )
    with _locked(ctx, wait):
        try:
            report = import_dump(ctx.obj["data"], file, fmt=fmt, replace=replace, sources=sources)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(line, err=True)


# -- search, reindex ---------------------------------------------------------------
@contextmanager
def _index(ctx: click.Context) -> Iterator[Any]:
    from kg.index import SearchIndex, SearchIndexError
    from kg.indexing import index_dir

    try:
        ix = SearchIndex(index_dir(ctx.obj["data"]), read_only=True)
    except SearchIndexError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield ix
    finally:
        ix.close()


def _marked(snippet: str) -> str:
    """An HTML snippet for a terminal: matches bold (coloured on a tty), entities undone."""
    import html
    import re

    color = sys.stdout.isatty()
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    out = []
    for i, part in enumerate(parts):
        text = html.unescape(part)
        if i % 2:
            text = click.style(text, bold=True, fg="yellow") if color else f"[{text}]"
        out.append(text)
    return "".join(out)


@main.command()
@click.argument("query")
@click.option("--facets", "show_facets", is_flag=True, help="Also print the facet counts.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option(
    "--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Hits per page."
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of hits.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best matches first, or newest meetings first.",
)
@click.option("--within", metavar="PERSON", help="Only what names this person (name or IRI).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(
        [
            "paragraph",
            "statement",
            "action",
            "commitment",
            "item",
            "meeting",
            "person",
            "organisation",
            "place",
            "topic",
        ]
    ),
    help="Only units of this kind (repeatable).",
)
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    show_facets: bool,
    as_json: bool,
    limit: int,
    page: int,
    sort: str,
    within: str | None,
    kinds: tuple[str, ...],
) -> None:
    """Full-text search of every paragraph, statement, action, agenda item and entity.

    QUERY: words, "exact phrases", AND/OR/NOT, prefix*, and the filters speaker:
    role: person: place: topic: kind: body: title: date:2024-01..2024-12. Thesaurus
    labels are expanded (DA also finds "domestic abuse"). Matches are shown [marked].

    \b
    Example:
        govkg search 'custody Hereford' --facets
        govkg search 'kind:action date:2024 NTE' --json
    """
    from kg.search import search as run

    with _index(ctx) as ix:
        results = run(
            ix,
            query,
            page=page,
            per_page=limit,
            sort=sort,
            facets=show_facets or as_json,
            within_person=within,
            kinds=list(kinds) or None,
        )
    if as_json:
        click.echo(json.dumps(results.to_json(), indent=2, ensure_ascii=False))
        return
    for note in results.notes:
        click.echo(f"note: {note}", err=True)
    for typed, added in results.expanded.items():
        click.echo(f"note: {typed!r} also searched as {', '.join(map(repr, added))}", err=True)
    if results.did_you_mean:
        click.echo(f"did you mean: {results.did_you_mean}", err=True)
    first = (results.page - 1) * results.per_page
    for n, hit in enumerate(results.hits, start=first + 1):
        head = [hit.kind, hit.date, hit.meeting_title or hit.title]
        if hit.speakers:
            head.append(hit.speaker)
        click.echo(f"{n}. " + " | ".join(h for h in head if h))
        click.echo(f"   {_marked(hit.snippet)}")
    shown = f"{first + 1}-{first + len(results.hits)}" if results.hits else "0"
    click.echo(
        f"{shown} of {results.total} hits (page {results.page} of {results.pages})", err=True
    )
    if show_facets:
        for name, values in results.facets.items():
            if values:
                click.echo(f"{name}: " + ", ".join(f"{v.label} ({v.count})" for v in values))


@main.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the store (after an upgrade, or if `stats` says
    the two disagree).

    \b
    Example:
        govkg reindex
    """
    import time

    from kg.index import SearchIndexError
    from kg.indexing import index_dir, rebuild, store_documents

    started = time.perf_counter()
    with _locked(ctx), _store(ctx, read_only=False) as store:
        try:
            from kg.index import SearchIndex

            with SearchIndex(index_dir(store.path)) as ix:
                total = len(store_documents(store))
                if sys.stderr.isatty() and total > 1:
                    with click.progressbar(length=total, label="indexing", file=sys.stderr) as bar:
                        units = rebuild(store, ix, progress=lambda _sha: bar.update(1))
                else:
                    units = rebuild(store, ix)
        except SearchIndexError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"indexed {total} documents, {units} units, {time.perf_counter() - started:.1f} s",
        err=True,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=int, help="Worker threads.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    envvar="GOVKG_WORKERS",
    help="Server processes sharing the port (one per core serves the most visitors; each "
    "holds its own caches, so memory grows with them). Env: GOVKG_WORKERS.",
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Do not serve: request PATH once, print the response and exit (a smoke test).",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, threads: int, workers: int, get_path: str | None
) -> None:
    """Serve the web UI over the data directory (read-only) with a production server.

    \b
    Example:
        govkg --data ./govkg-data serve --port 5000
        govkg serve --workers 2 --threads 16    # a 2-core server
        govkg serve --get /actions.json
    """
    from web import create_app  # only the serve command needs Flask

    data = Path(ctx.obj["data"])
    url = ctx.obj.get("store_url")
    if url:  # a SPARQL server: check it answers before serving
        with _store(ctx):
            pass
    elif not (data / "oxigraph").exists():
        raise click.ClickException(f"no govkg data in {data}; run `govkg ingest PATH` first")
    config = {"DATA": str(data), "STORE_URL": url, "WARM_PAGES": get_path is None}
    if get_path is not None:
        response = create_app(config).test_client().get(get_path)
        click.echo(response.get_data(as_text=True))
        if response.status_code >= 400:
            raise click.ClickException(f"GET {get_path}: {response.status}")
        return
    import logging

    from web.data import prewarm
    from web.server import serve as waitress_serve  # with the security headers on its errors

    # the server's own notes (warm-up done, waitress's queue depth) on stderr
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("web.data").setLevel(logging.INFO)
    from web.server import serve_workers

    where = f"{data} and {url}" if url else str(data)
    click.echo(
        f"serving {where} at http://{host}:{port}/"
        + (f" with {workers} processes" if workers > 1 else "")
        + " (Ctrl+C to stop)",
        err=True,
    )
    if workers > 1:
        # each worker opens the store after the fork (handles must not cross it)
        try:
            serve_workers(
                lambda: create_app(config),
                host=host,
                port=port,
                threads=threads,
                workers=workers,
                on_start=prewarm,
            )
        except (OSError, RuntimeError) as exc:
            raise click.ClickException(f"serve: {exc}") from exc
        return
    app = create_app(config)
    prewarm(app)  # open the store and warm its pages and index before the first visitor
    waitress_serve(app, host=host, port=port, threads=threads, ident="govkg")


# -- network (kg/networks.py) -------------------------------------------------------------
def _network_options(fn: F) -> F:
    """--kind, --body, --since, --until for every `govkg network` command."""
    from kg.networks import KINDS

    fn = click.option("--until", metavar="YYYY-MM-DD", help="Only meetings on or before.")(fn)
    fn = click.option("--since", metavar="YYYY-MM-DD", help="Only meetings on or after.")(fn)
    fn = click.option(
        "--body", metavar="NAME|IRI", help="Only meetings of this body (part of its name)."
    )(fn)
    return click.option(
        "--kind",
        type=click.Choice(KINDS),
        default="coattendance",
        show_default=True,
        help="Which network.",
    )(fn)


def _network(
    ctx: click.Context, kind: str, body: str | None, since: str | None, until: str | None
) -> Any:
    from kg.networks import Filters, NetworkError, build

    try:
        filters = Filters(body=body, since=since, until=until)
    except NetworkError as exc:
        raise click.UsageError(str(exc)) from exc
    with _store(ctx) as store:
        return build(store, kind, filters)


@main.group()
def network() -> None:
    """Networks of people, topics, places and meetings (networkx): export them for
    Gephi, rank the most central nodes, find communities, explain how two are linked.

    Kinds: coattendance (people at the same meetings), person-topic, place-topic,
    topic-cooccurrence, connections (everything, with the evidence of each link).

    \b
    Example:
        govkg network export --kind coattendance --format graphml -o people.graphml
        govkg network top --kind coattendance --by betweenness
        govkg network path "Jane Doe" "Budget"
    """


@network.command("export")
@_network_options
@click.option(
    "--format", "fmt", type=click.Choice(["graphml", "gexf"]), default="graphml", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
@click.pass_context
def network_export(
    ctx: click.Context,
    kind: str,
    body: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Write a network as GraphML or GEXF (nodes: label, kind, iri; edges: weight and
    the evidence IRIs joined by ";").

    \b
    Example:
        govkg network export --kind person-topic --format gexf -o speakers.gexf
    """
    from kg.networks import dumps

    g = _network(ctx, kind, body, since, until)
    data = dumps(g, fmt)
    if output is None:
        _write(data)
    else:
        output.write_bytes(data)
        click.echo(
            f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to {output}",
            err=True,
        )


@network.command("top")
@_network_options
@click.option(
    "--by",
    type=click.Choice(["degree", "strength", "betweenness", "eigenvector"]),
    default="degree",
    show_default=True,
    help="Centrality measure.",
)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.pass_context
def network_top(
    ctx: click.Context,
    kind: str,
    body: str | None,
    since: str | None,
    until: str | None,
    by: str,
    limit: int,
    as_json: bool,
) -> None:
    """The most central nodes of a network.

    \b
    Example:
        govkg network top --kind coattendance --by betweenness --limit 10
    """
    from kg.networks import centrality

    rows = centrality(_network(ctx, kind, body, since, until), by)[:limit]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    names = ["rank", "label", "kind", by, "degree", "strength", "iri"]
    table = [{**r, "rank": i, by: r["score"]} for i, r in enumerate(rows, 1)]
    click.echo(format_table(names, table, width=80))


@network.command("communities")
@_network_options
@click.option(
    "--method", type=click.Choice(["louvain", "greedy"]), default="louvain", show_default=True
)
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@click.pass_context
def network_communities(
    ctx: click.Context,
    kind: str,
    body: str | None,
    since: str | None,
    until: str | None,
    method: str,
    limit: int,
) -> None:
    """Groups of nodes more tied to each other than to the rest (largest first).

    \b
    Example:
        govkg network communities --kind topic-cooccurrence --method greedy
    """
    from kg.networks import communities

    g = _network(ctx, kind, body, since, until)
    groups = communities(g, method=method)
    for i, group in enumerate(groups[:limit], 1):
        labels = [str(g.nodes[v].get("label", v)) for v in group]
        click.echo(f"{i}. ({len(group)}) " + "; ".join(labels))
    if len(groups) > limit:
        click.echo(f"... and {len(groups) - limit} smaller communities", err=True)


@network.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--body", metavar="NAME|IRI", help="Only meetings of this body (part of its name).")
@click.option("--since", metavar="YYYY-MM-DD", help="Only meetings on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only meetings on or before.")
@click.option("-k", "--paths", "k", type=click.IntRange(1, 10), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the paths as JSON.")
@click.pass_context
def network_path(
    ctx: click.Context,
    source: str,
    target: str,
    body: str | None,
    since: str | None,
    until: str | None,
    k: int,
    as_json: bool,
) -> None:
    """How FROM is connected to TO: the shortest chains of recorded links (attended a
    meeting, spoke about a topic, owes an action to ...), each hop with its evidence.
    FROM and TO are IRIs or names (an exact name first, else a part of one).

    \b
    Example:
        govkg network path "Jane Doe" "John Smith"
        govkg network path https://w3id.org/govkg/id/person/jane-doe Budget -k 3
    """
    from kg.networks import paths, resolve

    g = _network(ctx, "connections", body, since, until)
    ends = []
    for text in (source, target):
        found = resolve(g, text)
        if not found:
            raise click.ClickException(f"nothing in the network is called {text!r}")
        if len(found) > 1:
            others = ", ".join(str(g.nodes[v]["label"]) for v in found[1:4])
            click.echo(f"note: {text!r} also matches {others}; using the most connected", err=True)
        ends.append(found[0])
    found_paths = paths(g, ends[0], ends[1], k=k)
    if as_json:
        click.echo(json.dumps([[h.as_dict() for h in p] for p in found_paths], indent=2))
    else:
        a, b = (g.nodes[v]["label"] for v in ends)
        for i, hops in enumerate(found_paths, 1):
            click.echo(f"path {i}: {a} -> {b} in {len(hops)} hops")
            for hop in hops:
                click.echo(f"  {hop.text}")
                more = f" (+{len(hop.evidence) - 3} more)" if len(hop.evidence) > 3 else ""
                click.echo(f"      evidence: {' '.join(hop.evidence[:3])}{more}")
    if not found_paths:
        click.echo(f"error: no path between {ends[0]} and {ends[1]}", err=True)
        ctx.exit(1)


# -- identity across meetings, review ------------------------------------------------------
_CURATION = click.option(
    "--curation",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Turtle file of owl:sameAs / gkg:notSameAs pairs.  [default: DATA/curation.ttl]",
)


def _curation(ctx: click.Context, path: Path | None) -> Any:
    from kg import identity

    try:
        return identity.load_curation(
            path if path is not None else identity.curation_path(ctx.obj["data"])
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@_CURATION
@click.pass_context
def identity(ctx: click.Context, curation: Path | None) -> None:
    """Recompute who is who: one canonical node per person across meetings.

    Ingest does this by itself; run it after editing the curation file. Person nodes
    of one body (or one series of files) whose names fit ("Jane Doe", "J Doe", "Cllr
    Doe") are linked by owl:sameAs to one canonical node in the derived graph
    <BASE/graph/identity>, with each person's roles as gkg:Tenure periods. The
    curation file forces (owl:sameAs) or forbids (gkg:notSameAs) a merge.

    \b
    Example:
        govkg identity --curation my-curation.ttl
    """
    from kg import identity as ident

    cur = _curation(ctx, curation)
    with _locked(ctx), _store(ctx, read_only=False) as store:
        click.echo(ident.refresh(store, cur).summary())


@main.command("why-same")
@click.argument("a")
@click.argument("b")
@_CURATION
@click.pass_context
def why_same(ctx: click.Context, a: str, b: str, curation: Path | None) -> None:
    """Explain whether two person nodes are one person, and why (or why not).

    A and B are IRIs or their ends ("person/jane-doe"). Prints each node's names,
    bodies, meetings and titles, then the rules that merged them or the reason they
    stay apart. Exit code 0 when they are the same person, 1 when not.

    \b
    Example:
        govkg why-same person/jane-doe person/my-council-doe
    """
    from kg import identity as ident

    cur = _curation(ctx, curation)
    with _store(ctx) as store:
        try:
            same, text = ident.explain(store, a, b, cur)
        except LookupError as exc:
            raise click.ClickException(str(exc).strip("'\"")) from exc
    click.echo(text)
    if not same:
        ctx.exit(1)


@main.command("role-holders")
@click.argument("role", required=False)
@click.option(
    "--on", "date", metavar="YYYY-MM-DD", help="The date (default: the latest meeting's)."
)
@output_format("table", "csv", "json", default="table")
@click.pass_context
def role_holders(
    ctx: click.Context, role: str | None, date: str | None, fmt: str, show_query: bool
) -> None:
    """Who held a role on a date, from the meetings that record them in it.

    ROLE is a role's label or abbreviation in any case ("clerk", "T/CC"); without it,
    every role. A person holds a role from the first to the last meeting whose minutes
    record them in it; their name variants count as one person.

    \b
    Example:
        govkg role-holders clerk --on 2019-06-01
    """
    from kg.queries import role_holder_query

    try:
        query = role_holder_query(role, date)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--on") from exc
    if show_query:
        click.echo(query)
        return
    with _store(ctx) as store:
        names, rows = store.select(query)
    _emit(names, rows, fmt)


@main.group()
def review() -> None:
    """Confirm or reject extracted actions, follow-up links or any node.

    Decisions are kept in their own graph <BASE/graph/review>, survive re-ingest and
    win over extraction: a rejected action leaves `govkg actions`, a confirmed one
    shows "confirmed". The web app stays read-only.

    \b
    Example:
        govkg review reject https://w3id.org/govkg/id/action/m-1a2b3c4d-3 --note "not an action"
    """


def _decide(ctx: click.Context, iri: str, decision: str, note: str | None, by: str | None) -> None:
    from kg import review as rv

    with _locked(ctx), _store(ctx, read_only=False) as store:
        try:
            d = rv.decide(store, iri, decision, by=by, note=note)
        except rv.ReviewError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{d.decision}: {d.target} (by {d.by}, {d.at})")


_NOTE = click.option("--note", metavar="TEXT", help="Why, in a sentence.")
_BY = click.option("--by", metavar="NAME", help="Who decides.  [default: the login name]")


@review.command()
@click.argument("iri")
@_NOTE
@_BY
@click.pass_context
def confirm(ctx: click.Context, iri: str, note: str | None, by: str | None) -> None:
    """Confirm a node: the extraction is right.

    \b
    Example:
        govkg review confirm https://w3id.org/govkg/id/action/m-1a2b3c4d-3 --by "A Maintainer"
    """
    _decide(ctx, iri, "confirmed", note, by)


@review.command()
@click.argument("iri")
@_NOTE
@_BY
@click.pass_context
def reject(ctx: click.Context, iri: str, note: str | None, by: str | None) -> None:
    """Reject a node: the extraction is wrong; queries leave it out.

    \b
    Example:
        govkg review reject https://w3id.org/govkg/id/action/m-1a2b3c4d-3 --note "a heading"
    """
    _decide(ctx, iri, "rejected", note, by)


@review.command()
@click.argument("iri")
@click.pass_context
def undo(ctx: click.Context, iri: str) -> None:
    """Remove the decision about a node: extraction speaks again.

    \b
    Example:
        govkg review undo https://w3id.org/govkg/id/action/m-1a2b3c4d-3
    """
    from kg import review as rv

    with _locked(ctx), _store(ctx, read_only=False) as store:
        try:
            done = rv.undo(store, iri)
        except rv.ReviewError as exc:
            raise click.ClickException(str(exc)) from exc
    if not done:
        raise click.ClickException(f"{iri}: no decision to undo")
    click.echo(f"undone: {iri}")


@review.command("list")
@click.option(
    "--only", type=click.Choice(["confirmed", "rejected"]), help="Only decisions of this kind."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def review_list(ctx: click.Context, only: str | None, fmt: str) -> None:
    """Every review decision, newest first; "present" says whether the node is still in
    the graph (no when its document changed and the node was not found again).

    \b
    Example:
        govkg review list --only rejected --format csv
    """
    from dataclasses import asdict

    from kg import review as rv

    with _store(ctx) as store:
        rows = [asdict(d) for d in rv.decisions(store, only)]
    names = ["decision", "target", "kind", "by", "at", "note", "present", "text", "review"]
    _emit(
        names,
        [{n: r[n] for n in names} for r in rows],
        fmt,
        table_columns=["decision", "target", "by", "at", "note", "present"],
    )


# -- upgrade (kg/upgrade.py) ------------------------------------------------------------------
def _warn_outdated(store: Store) -> None:
    """One line on stderr when some document graphs were written by an older govkg."""
    from kg.upgrade import outdated_count, outdated_message

    try:
        message = outdated_message(outdated_count(store))
    except StoreError:  # a store that cannot answer says so on the real request
        return
    if message:
        click.echo(f"warning: {message}", err=True)


@main.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Bring document graphs stored by an older govkg up to date, in place.

    Each document graph says which builder version wrote it (gkg:buildVersion);
    this adds what an older one lacks (version 2: gkg:inMeeting from every agenda
    item, paragraph, statement and action to its meeting, which the example
    queries use; version 3: the file's name instead of its server path, and a hash
    of the path as its re-ingest key) with SPARQL UPDATE, graph by graph, and builds
    the per-series summary graphs if the store has none. No file is read again: about
    two minutes at 10,000 meetings where a re-ingest takes half an hour. Running it
    again changes nothing. `govkg stats` says when it is needed.

    \b
    Example:
        govkg --data ./govkg-data upgrade && govkg stats
    """
    import time

    from kg.upgrade import BUILD_VERSION
    from kg.upgrade import upgrade as run_upgrade

    started = time.perf_counter()
    with _locked(ctx), _store(ctx, read_only=False) as store:
        bar_done = [0]

        def progress(done: int, total: int) -> None:
            if done - bar_done[0] >= 1000 or done == total:
                bar_done[0] = done
                click.echo(f"  {done}/{total} document graphs", err=True)

        count = run_upgrade(store, progress=progress)
        # a store from before the per-series summaries (two examples read them) gets them
        # now, so that one only served is whole too; an up-to-date store costs a look-up
        from kg.summaries import refresh as refresh_summaries

        built = refresh_summaries(store, ())
    took = time.perf_counter() - started
    if count:
        click.echo(
            f"upgraded {count} document graphs to build version {BUILD_VERSION} in {took:.1f} s"
        )
    else:
        click.echo(f"every document graph is at build version {BUILD_VERSION}: nothing to do")
    if built.series:
        click.echo(f"built the summary graphs of {len(built.series)} series")
