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

__all__ = ["timeline_svg", "timeline_table"]

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
