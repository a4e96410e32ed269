"""The commitments tracker: who committed to what, for whom, by when (and its CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask import Blueprint, Response, abort, current_app, request

from web import data
from web.render import page
from web.tracker import Filters, TrackerPage, find
from web.tracker import all_rows as tracker_rows

bp = Blueprint("actions", __name__)

STATUS_CHOICES = [
    ("", "Any status"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("updated", "Updated"),
    ("done", "Done"),
    ("dropped", "Dropped"),
    ("superseded", "Superseded"),
]
SORT_CHOICES = [("raised", "Newest raised"), ("due", "Due soonest"), ("owner", "Owner A to Z")]
CSV_COLUMNS = [
    "meeting_date",
    "body",
    "kind",
    "owner",
    "owed_to",
    "text",
    "due",
    "due_date",
    "status",
    "follow_ups",
    "last_follow_up",
    "confidence",
    "evidence_url",
    "possible_follow_up_url",
    "ref",
    "meeting_title",
    "source_url",
    "action",
]
"""The columns of /actions.csv, in order."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def today() -> str:
    """The app's today (config TODAY, for tests), as YYYY-MM-DD."""
    value = current_app.config.get("TODAY")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else dt.date.today().isoformat()


def filters_from_request() -> Filters:
    """The tracker filters in the query string; a bad value is a 400."""
    try:
        return Filters.from_args(request.args)
    except ValueError as exc:
        abort(400, str(exc))


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        abort(400, f"{name}: not a positive whole number: {raw!r}")
    return int(raw)


@bp.get("/actions")
@bp.get("/actions.json")
@bp.get("/api/actions")
def tracker() -> Any:
    """The tracker page: a filter form, one page of actions, CSV and feed links."""
    filters = filters_from_request()
    per_page = min(_int_arg("per_page", current_app.config.get("ACTIONS_PER_PAGE", 25)), 100)
    number = _int_arg("page", 1)
    result: TrackerPage = find(data.store(), filters, today=today(), page=number, per_page=per_page)
    qs = filters.query_string()
    pages = {
        "previous": filters.query_string(page=number - 1) if number > 1 else None,
        "next": filters.query_string(page=number + 1) if number < result.pages else None,
    }
    return page(
        "actions.html",
        {
            "ok": True,
            "title": "Commitments and actions",
            "filters": filters.args(),
            "sort": filters.sort,
            "today": today(),
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "actions": result.rows,
            "links": {
                "csv": "/actions.csv" + qs,
                "atom": "/actions.atom" + qs,
                "ics": "/actions.ics" + qs,
                "previous": "/actions" + pages["previous"] if pages["previous"] else None,
                "next": "/actions" + pages["next"] if pages["next"] else None,
            },
            "status_choices": STATUS_CHOICES,
            "sort_choices": SORT_CHOICES,
        },
    )


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP: a leading
    = + - @, tab or carriage return gets a quote in front)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@bp.get("/actions.csv")
def tracker_csv() -> Response:
    """Every action the filters allow, as a CSV download."""
    filters = filters_from_request()
    root = request.url_root.rstrip("/")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in tracker_rows(data.store(), filters, today=today()):
        evidence, possible = row["status_evidence"] or {}, row["possible_follow_up"] or {}
        row = {
            **row,
            "source_url": root + row["source_url"] if row["source_url"] else "",
            "last_follow_up": evidence.get("date"),
            "evidence_url": root + evidence["url"] if evidence.get("url") else "",
            "possible_follow_up_url": root + possible["url"] if possible.get("url") else "",
        }
        writer.writerow([csv_cell(row.get(c)) for c in CSV_COLUMNS])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="actions.csv"'},
    )
