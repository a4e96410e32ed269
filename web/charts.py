"""Small accessible SVG charts, drawn on the server (no script, no CDN, no styles).

    svg = timeline_svg([("2024 Q1", 3), ("2024 Q2", 7)], title="Mentions per quarter")
    rows = timeline_table([("2024 Q1", 3), ("2024 Q2", 7)])

Put the SVG in a page with ``{{ svg|safe }}`` (every text in it is escaped here) and
render `timeline_table` as a visually hidden or collapsible table for screen readers.
"""

from __future__ import annotations

import itertools
import math
from html import escape

__all__ = ["timeline_svg", "timeline_table", "commitments_svg", "COMMITMENT_STATUSES"]

_ids = itertools.count(1)
_BAR = "#1d70b8"
_AXIS = "#0b0c0c"
_TEXT = "#0b0c0c"
_GRID = "#b1b4b6"


def _nice_max(value: int) -> int:
    """A round top for the y axis at or above `value` (1, 2, 5, 10, 20, 50, ...)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def timeline_svg(
    points: list[tuple[str, int]],
    *,
    title: str,
    width: int = 640,
    height: int = 200,
    chart_id: str | None = None,
) -> str:
    """A bar chart of counts per period as an accessible inline SVG.

    Args:
        points: (period label, count) in time order, e.g. ("2024 Q1", 3).
        title: what the chart shows; the SVG's <title> (its accessible name).
        width, height: the viewBox; the SVG scales to its container (class "chart").
        chart_id: the prefix of the ids of <title> and <desc> (unique in the page);
            None: a fresh "chart-N".

    Returns:
        ``<svg role="img" aria-labelledby="...">`` with <title>, a <desc> giving every
        value in words, labelled axes and one bar (with its own <title>) per point.
        No style attributes and no external references.
    """
    prefix = escape(chart_id) if chart_id else f"chart-{next(_ids)}"
    tid, did = f"{prefix}-title", f"{prefix}-desc"
    counts = [max(0, int(c)) for _, c in points]
    top = _nice_max(max(counts, default=0))
    left, right, upper, lower = 40, 10, 20, 40
    plot_w, plot_h = max(1, width - left - right), max(1, height - upper - lower)
    if points:
        desc = (
            f"{title}: "
            + "; ".join(f"{label}: {c}" for (label, _), c in zip(points, counts, strict=True))
            + "."
        )
    else:
        desc = f"{title}: no data."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{tid} {did}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="Arial, sans-serif" font-size="12">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
    ]
    base_y = upper + plot_h
    # y axis: 0, half and top, with light grid lines
    for value in sorted({0, top // 2, top}):
        y = base_y - plot_h * value / top
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{_GRID}" stroke-width="1" aria-hidden="true"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{_TEXT}" '
            f'aria-hidden="true">{value}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{base_y}" stroke="{_AXIS}" '
        f'stroke-width="1" aria-hidden="true"/>'
    )
    out.append(
        f'<line x1="{left}" y1="{base_y}" x2="{left + plot_w}" y2="{base_y}" '
        f'stroke="{_AXIS}" stroke-width="1" aria-hidden="true"/>'
    )
    if points:
        slot = plot_w / len(points)
        bar_w = max(1.0, min(40.0, slot * 0.7))
        # label every k-th period so the labels never overlap (about 60 px each)
        every = max(1, math.ceil(60 / slot))
        for i, ((label, _), count) in enumerate(zip(points, counts, strict=True)):
            x = left + slot * i + (slot - bar_w) / 2
            h = plot_h * count / top
            out.append(
                f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{_BAR}"><title>{escape(str(label))}: {count}</title></rect>'
            )
            if i % every == 0:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{base_y + 16}" text-anchor="middle" '
                    f'fill="{_TEXT}" aria-hidden="true">{escape(str(label))}</text>'
                )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'fill="{_TEXT}" aria-hidden="true">Period</text>'
    )
    out.append(
        f'<text x="12" y="{upper + plot_h / 2:.1f}" text-anchor="middle" fill="{_TEXT}" '
        f'transform="rotate(-90 12 {upper + plot_h / 2:.1f})" aria-hidden="true">Count</text>'
    )
    out.append("</svg>")
    return "".join(out)


def timeline_table(points: list[tuple[str, int]]) -> list[dict[str, str | int]]:
    """The chart's data as rows ({"period": ..., "count": ...}) for a fallback table;
    the template escapes them as it renders them."""
    return [{"period": str(label), "count": max(0, int(count))} for label, count in points]


# -- commitments timeline ----------------------------------------------------------------
COMMITMENT_STATUSES = ("open", "updated", "overdue", "done", "dropped", "superseded")
"""What a bar of `commitments_svg` can show (kg.ledger's statuses, and overdue)."""

_STATUS_LOOK: dict[str, dict[str, str]] = {
    # colour plus a shape: a hollow bar, stripes, solid, cross-hatch, dots
    "open": {"colour": "#1d70b8", "name": "open: hollow bar"},
    "updated": {"colour": "#b25000", "name": "updated: diagonal stripes"},
    "overdue": {"colour": "#d4351c", "name": "overdue: vertical stripes, thick edge"},
    "done": {"colour": "#00703c", "name": "done: solid bar"},
    "dropped": {"colour": "#505a5f", "name": "dropped: cross-hatched"},
    "superseded": {"colour": "#4c2c92", "name": "superseded: dotted"},
}


def _day(value: str | None) -> int | None:
    """Days since 0001-01-01 of a YYYY-MM-DD date, else None."""
    import datetime as dt

    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _iso_day(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def _patterns(prefix: str) -> str:
    """<defs> with one fill per status (ids ``{prefix}-{status}``)."""
    c = {k: v["colour"] for k, v in _STATUS_LOOK.items()}
    size = 'width="6" height="6" patternUnits="userSpaceOnUse"'
    return (
        "<defs>"
        f'<pattern id="{prefix}-open" {size}><rect width="6" height="6" fill="#ffffff"/></pattern>'
        f'<pattern id="{prefix}-updated" {size} patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{c["updated"]}"/></pattern>'
        f'<pattern id="{prefix}-overdue" {size}>'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{c["overdue"]}"/></pattern>'
        f'<pattern id="{prefix}-done" {size}><rect width="6" height="6" fill="{c["done"]}"/></pattern>'
        f'<pattern id="{prefix}-dropped" {size}><rect width="6" height="6" fill="#ffffff"/>'
        f'<path d="M0,0 L6,6 M6,0 L0,6" stroke="{c["dropped"]}" stroke-width="1.2"/></pattern>'
        f'<pattern id="{prefix}-superseded" {size}><rect width="6" height="6" fill="#ffffff"/>'
        f'<circle cx="3" cy="3" r="1.6" fill="{c["superseded"]}"/></pattern>'
        "</defs>"
    )


def _ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    """(day, label) ticks between two days: years, or months for a short span."""
    import datetime as dt

    first, last = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    out: list[tuple[int, str]] = []
    if hi - lo > 540:
        for year in range(first.year + (first.month > 1 or first.day > 1), last.year + 1):
            out.append((dt.date(year, 1, 1).toordinal(), str(year)))
        return out
    step = 1 if hi - lo <= 200 else 3
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        day = dt.date(y, m, 1)
        if day > last:
            return out
        if (m - 1) % step == 0:
            out.append((day.toordinal(), day.strftime("%b %Y")))


def commitments_svg(
    items: list[dict[str, object]],
    *,
    title: str,
    width: int = 760,
    chart_id: str | None = None,
) -> str:
    """A timeline of commitments as an accessible inline SVG: one bar per commitment.

    Args:
        items: newest first, each with ``label`` (short text), ``text``, ``raised``
            (the date of the meeting that raised it), ``due`` (YYYY-MM-DD or None),
            ``status`` (one of COMMITMENT_STATUSES) and ``follow_ups``: dicts with
            ``date``, ``possible`` (a low-confidence link: drawn dashed, never as fact)
            and ``status`` (what that meeting reported).
        title: the SVG's <title> (its accessible name).
        chart_id: the prefix of the ids in the SVG (unique in the page).

    A bar runs from the raising meeting to the due date or the last confident
    follow-up, whichever is later; its fill and edge say the status (colour and
    pattern, and the status is written at the end of the row). Follow-ups are filled
    diamonds; a possible follow-up is a hollow dashed circle joined by a dashed line;
    the due date is a tick. Items without a raising date are left out (the table beside
    the chart lists them). No style attributes, no script, no external reference.
    """
    prefix = escape(chart_id) if chart_id else f"chart-{next(_ids)}"
    tid, did = f"{prefix}-title", f"{prefix}-desc"
    rows = [i for i in items if _day(str(i.get("raised") or "")) is not None]
    days: list[int] = []
    for item in rows:
        for value in [item.get("raised"), item.get("due")] + [
            f.get("date")
            for f in item.get("follow_ups") or []  # type: ignore[attr-defined]
        ]:
            d = _day(str(value or ""))
            if d is not None:
                days.append(d)
    row_h, bar_h, top, left, right = 22, 12, 34, 210, 110
    legend_h = 64
    height = top + row_h * max(1, len(rows)) + 16 + legend_h
    plot_w = max(1, width - left - right)
    lo, hi = (min(days), max(days)) if days else (0, 1)
    if hi - lo < 30:
        lo, hi = lo - 15, hi + 15

    def x(day: int) -> float:
        return left + plot_w * (day - lo) / (hi - lo)

    counts = {s: sum(1 for i in rows if i.get("status") == s) for s in COMMITMENT_STATUSES}
    if rows:
        desc = (
            f"{len(rows)} commitments, newest first, from "
            f"{_iso_day(lo) if days else ''} to {_iso_day(hi) if days else ''}: "
            + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
            + ". The table after the chart lists each one."
        )
    else:
        desc = "No commitment with a meeting date to draw."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart commitments-chart" role="img" '
        f'aria-labelledby="{tid} {did}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="Arial, sans-serif" font-size="12">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        _patterns(prefix),
    ]
    base_y = top + row_h * max(1, len(rows))
    if days:
        for day, label in _ticks(lo, hi):
            out.append(
                f'<line x1="{x(day):.1f}" y1="{top - 6}" x2="{x(day):.1f}" y2="{base_y}" '
                f'stroke="{_GRID}" stroke-width="1" aria-hidden="true"/>'
                f'<text x="{x(day):.1f}" y="{top - 12}" text-anchor="middle" fill="{_TEXT}" '
                f'aria-hidden="true">{escape(label)}</text>'
            )
    for n, item in enumerate(rows):
        y = top + row_h * n
        mid = y + row_h / 2
        status = str(item.get("status") or "open")
        look = _STATUS_LOOK.get(status, _STATUS_LOOK["open"])
        raised = _day(str(item.get("raised")))
        assert raised is not None
        due = _day(str(item.get("due") or ""))
        ups = [f for f in item.get("follow_ups") or [] if _day(str(f.get("date") or ""))]  # type: ignore[attr-defined]
        sure = [_day(str(f["date"])) or 0 for f in ups if not f.get("possible")]
        end = max([raised] + ([due] if due is not None else []) + sure)
        parts = [f"{item.get('text') or item.get('label') or 'Commitment'}"]
        parts.append(f"raised {item.get('raised')}")
        parts.append(f"due {item.get('due')}" if due is not None else "no due date")
        for f in ups:
            word = "possible follow-up (low confidence)" if f.get("possible") else "followed up"
            parts.append(
                f"{word} {f.get('date')}" + (f": {f['status']}" if f.get("status") else "")
            )
        parts.append(f"status {status}")
        out.append(
            f'<g class="commitment {escape(status)}"><title>{escape("; ".join(parts))}</title>'
        )
        label = str(item.get("label") or item.get("text") or "")
        if len(label) > 30:
            label = label[:29].rstrip() + "…"
        out.append(
            f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end" fill="{_TEXT}" '
            f'aria-hidden="true">{escape(label)}</text>'
        )
        x0, x1 = x(raised), max(x(end), x(raised) + 4)
        edge = "2.5" if status == "overdue" else "1.5"
        out.append(
            f'<rect x="{x0:.1f}" y="{mid - bar_h / 2:.1f}" width="{x1 - x0:.1f}" height="{bar_h}" '
            f'fill="url(#{prefix}-{escape(status)})" stroke="{look["colour"]}" '
            f'stroke-width="{edge}" aria-hidden="true"/>'
        )
        if due is not None:
            out.append(
                f'<line x1="{x(due):.1f}" y1="{mid - bar_h / 2 - 3:.1f}" x2="{x(due):.1f}" '
                f'y2="{mid + bar_h / 2 + 3:.1f}" stroke="{_AXIS}" stroke-width="2" '
                'class="due" aria-hidden="true"/>'
            )
        for f in ups:
            fx = x(_day(str(f["date"])) or raised)
            if f.get("possible"):
                if fx > x1:
                    out.append(
                        f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{fx - 5:.1f}" y2="{mid:.1f}" '
                        f'stroke="{_AXIS}" stroke-width="1" stroke-dasharray="3 3" '
                        'class="possible-link" aria-hidden="true"/>'
                    )
                out.append(
                    f'<circle cx="{fx:.1f}" cy="{mid:.1f}" r="5" fill="#ffffff" stroke="{_AXIS}" '
                    'stroke-width="1.5" stroke-dasharray="2 2" class="follow-up possible" '
                    'aria-hidden="true"/>'
                )
            else:
                out.append(
                    f'<path d="M{fx:.1f},{mid - 6:.1f} L{fx + 6:.1f},{mid:.1f} L{fx:.1f},{mid + 6:.1f} '
                    f'L{fx - 6:.1f},{mid:.1f} Z" fill="{_AXIS}" stroke="#ffffff" stroke-width="1" '
                    'class="follow-up" aria-hidden="true"/>'
                )
        out.append(
            f'<text x="{width - right + 10}" y="{mid + 4:.1f}" fill="{_TEXT}" '
            f'aria-hidden="true">{escape(status)}</text></g>'
        )
    # the key: every status with its fill, then the markers
    ly = base_y + 22
    for n, status in enumerate(COMMITMENT_STATUSES):
        lx = left - 200 + (n % 3) * 190
        yy = ly + (n // 3) * 20
        look = _STATUS_LOOK[status]
        out.append(
            f'<rect x="{lx}" y="{yy - 9}" width="24" height="12" fill="url(#{prefix}-{status})" '
            f'stroke="{look["colour"]}" stroke-width="{2.5 if status == "overdue" else 1.5}" '
            'aria-hidden="true"/>'
            f'<text x="{lx + 30}" y="{yy + 1}" fill="{_TEXT}" aria-hidden="true">'
            f"{escape(look['name'])}</text>"
        )
    ky = ly + 44
    lx = left - 188
    out.append(
        f'<path d="M{lx},{ky - 9} L{lx + 6},{ky - 3} L{lx},{ky + 3} L{lx - 6},{ky - 3} Z" '
        f'fill="{_AXIS}" aria-hidden="true"/>'
        f'<text x="{lx + 18}" y="{ky + 1}" fill="{_TEXT}" aria-hidden="true">follow-up</text>'
        f'<circle cx="{lx + 190}" cy="{ky - 3}" r="5" fill="#ffffff" stroke="{_AXIS}" '
        'stroke-width="1.5" stroke-dasharray="2 2" aria-hidden="true"/>'
        f'<text x="{lx + 208}" y="{ky + 1}" fill="{_TEXT}" aria-hidden="true">'
        "possible follow-up (low confidence)</text>"
        f'<line x1="{lx + 440}" y1="{ky - 10}" x2="{lx + 440}" y2="{ky + 4}" '
        f'stroke="{_AXIS}" stroke-width="2" aria-hidden="true"/>'
        f'<text x="{lx + 452}" y="{ky + 1}" fill="{_TEXT}" aria-hidden="true">due date</text>'
    )
    out.append("</svg>")
    return "".join(out)
