"""Line charts as SVG written on the server: no JavaScript, no library.

The drawing is 320 units wide and scales with the page (full width, at most
40rem: ``services/static/services/admin/reports.css``), so at 320 CSS pixels one unit is one pixel and the 12-unit text is
12 px. Each series differs by colour, by line dash and by marker, so none is told
apart by colour alone, and every colour has a contrast of at least 3:1 against
white (WCAG 1.4.11; tested). The chart is an image with a title and a
description that points to the table beside it, which holds the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 44, 34
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
# (colour, dash, marker) per series, in order.
STYLES = (
    ("#1d70b8", "", "circle"),
    ("#00703c", "6 3", "square"),
    ("#4c2c92", "2 3", "diamond"),
    ("#942514", "10 3 2 3", "circle"),
    ("#505a5f", "1 3", "square"),
    ("#d4351c", "8 2", "diamond"),
)


@dataclass
class Series:
    name: str
    values: list[float]


def _nice_max(value: float) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(math.ceil(top))
    return int(math.ceil(value))


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" '
            f'fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 4:.1f}L{x + 4:.1f} {y:.1f}L{x:.1f} {y + 4:.1f}'
            f'L{x - 4:.1f} {y:.1f}Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def line_chart(
    *, chart_id: str, title: str, labels: list[str], series: list[Series]
) -> SafeString:
    """An SVG line chart; ``labels`` name the x positions (weeks)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    count = max(len(labels), 1)

    def x_at(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return TOP + plot_h - plot_h * v / top_value

    parts = [
        format_html(
            '<svg class="report-chart" id="{}" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-labelledby="{}-title {}-desc" '
            'font-family="Arial, sans-serif" font-size="12">',
            chart_id,
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html(
            '<desc id="{}-desc">The table after this chart gives the same '
            "figures.</desc>",
            chart_id,
        ),
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    # Legend: two per line above the plot.
    for i, item in enumerate(series):
        colour, dash, marker = STYLES[i % len(STYLES)]
        lx, ly = 6 + (i % 2) * 156, 12 + (i // 2) * 16
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 22}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            + _marker(marker, lx + 11, ly, colour)
            + f'<text x="{lx + 28}" y="{ly + 4}" fill="{TEXT}">{escape(item.name)}</text>'
        )
    # Axes and grid: 0, half and the top value.
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        y = y_at(value)
        label = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{label}</text>'
        )
    # x labels: first, middle and last week.
    shown = sorted({0, (count - 1) // 2, count - 1}) if labels else []
    for i in shown:
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        if count == 1:
            anchor = "middle"
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="{anchor}" fill="{TEXT}">{escape(labels[i])}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" '
        f'fill="{TEXT}">Week starting</text>'
    )
    for i, item in enumerate(series):
        colour, dash, marker = STYLES[i % len(STYLES)]
        points = [(x_at(j), y_at(v)) for j, v in enumerate(item.values)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        if len(points) <= 26:  # markers stay legible up to half a year of weeks
            parts.extend(_marker(marker, x, y, colour) for x, y in points)
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every value escaped
