"""The PDF's forecast page: the lead-time forecast (domain/forecast.py) in words and a chart.

The 50th, 85th and 95th percentiles as people read them, a histogram of the
simulated lead times with the three marked, the figures that carry a spread and
where it came from, and where to measure next. The numbers are the forecast's
own (seeded by the map), so the paper says what every screen said. A forecast
with no spread (every figure fixed, as on the demo map) is a sentence instead,
as the Flow panel's "No spread yet".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table

from app.domain.durations import format_duration
from app.domain.elements import Calendar
from app.export.pdf_style import FONT, INK, MUTED, RULE, SMALLEST_PT, heading, style, text

# The chart's size on paper (points) and the room under it for the axis labels.
CHART_W, CHART_H, AXIS = 16 * cm, 4.5 * cm, 14.0
BAR = colors.HexColor("#93c5fd")
MARK = colors.HexColor("#1d4ed8")
PERCENTILES = (("p50", "50%"), ("p85", "85%"), ("p95", "95%"))
SOURCES = {"typed": "typed range", "estimates": "participants' estimates", "measured": "measured"}
Anchor = Literal["start", "end"]
FIELD_WORDS = {"wait_minutes": "wait", "process_minutes": "work"}


def forecast_flowables(forecast: Mapping[str, Any] | None, calendar: Calendar) -> list[Flowable]:
    """The forecast's page (a few lines when it has no spread), or nothing without one."""
    if not forecast:
        return []
    body = style("forecast", 10, after=4)

    def when(minutes: float) -> str:
        return format_duration(minutes, calendar)

    if _flat(forecast, when):
        return _no_spread(when(forecast["p50_minutes"]))
    likely = when(forecast["deterministic_minutes"])
    line = " · ".join(
        f"{word} of items done within <b>{when(forecast[f'{key}_minutes'])}</b>"
        for key, word in PERCENTILES
    )
    out: list[Flowable] = [
        PageBreak(),
        heading("Lead-time forecast"),
        Paragraph(line, body),
        Paragraph(
            f"{forecast['trials']:,} simulated items through this map: each step's wait and work"
            " drawn from its range, rework loops repeated at their rates, parallel branches"
            f" waited for. With every figure at its likely value: {likely}.",
            style("forecast-how", 9, ink=MUTED, after=8),
        ),  # fmt: skip
        histogram(forecast, calendar),
    ]
    out += _ranged(forecast.get("ranged", ()), calendar)
    out += _measure_next(forecast.get("measure_next", ()), calendar)
    return out


def _flat(forecast: Mapping[str, Any], when: Callable[[float], str]) -> bool:
    """Every simulated item took the same time (as the Flow panel tells it: the 50% and
    95% figures equal, or equal as written)."""
    low, high = forecast["p50_minutes"], forecast["p95_minutes"]
    return bool(low == high or when(low) == when(high))


def _no_spread(takes: str) -> list[Flowable]:
    """A forecast with no spread in words, as the Flow panel says it (forecast.js): a chart
    would be one bar under three marks on one another. No page of its own for two lines."""
    return [
        heading("Lead-time forecast"),
        Paragraph(
            f"No spread yet: every simulated item takes <b>{takes}</b>. Type a range such as"
            " 2d-5d in a step's wait or work time to see the spread.",
            style("forecast", 10, after=4),
        ),
    ]


def histogram(forecast: Mapping[str, Any], calendar: Calendar) -> Drawing:
    """Bars of the simulated lead times, with the percentiles marked and labelled."""
    counts: Sequence[int] = forecast["histogram"]["counts"]
    edges: Sequence[float] = forecast["histogram"]["edges_minutes"]
    drawing = Drawing(CHART_W, CHART_H + AXIS)
    lo, hi = edges[0], edges[-1]
    span = hi - lo or 1.0
    tallest = max(counts) or 1
    bar_h = CHART_H - 2 * SMALLEST_PT  # room above the tallest bar for the marks' labels

    def x_of(minutes: float) -> float:
        return (minutes - lo) / span * CHART_W

    for count, left, right in zip(counts, edges, edges[1:], strict=False):
        if count:
            height = count / tallest * bar_h
            bar = Rect(x_of(left), AXIS, max(x_of(right) - x_of(left) - 1, 0.5), height)
            bar.fillColor, bar.strokeColor = BAR, None
            drawing.add(bar)
    drawing.add(Line(0, AXIS, CHART_W, AXIS, strokeColor=RULE))
    ends: tuple[tuple[float, Anchor], ...] = ((lo, "start"), (hi, "end"))
    for at, end in ends:
        drawing.add(String(x_of(at), 2, format_duration(at, calendar), fontName=FONT,
                           fontSize=SMALLEST_PT, fillColor=MUTED, textAnchor=end))  # fmt: skip
    for n, (key, word) in enumerate(PERCENTILES):
        x = min(max(x_of(forecast[f"{key}_minutes"]), 1.0), CHART_W - 1.0)
        drawing.add(Line(x, AXIS, x, CHART_H + AXIS - SMALLEST_PT * (n + 0.2), strokeColor=MARK))
        label = f"{word} {format_duration(forecast[f'{key}_minutes'], calendar)}"
        anchor: Anchor = "end" if x > CHART_W * 0.8 else "start"
        y = CHART_H + AXIS - SMALLEST_PT * (n + 1)
        drawing.add(String(x + (-2 if anchor == "end" else 2), y, label, fontName=FONT,
                           fontSize=SMALLEST_PT, fillColor=INK, textAnchor=anchor))  # fmt: skip
    return drawing


def _ranged(ranged: Sequence[Mapping[str, Any]], calendar: Calendar) -> list[Flowable]:
    if not ranged:
        return []
    cell = style("cell", 8.5)
    rows: list[list[object]] = [["Step", "Figure", "Low", "Likely", "High", "From"]]
    for r in ranged:
        rows.append([
            Paragraph(text(r["text"] or r["id"]), cell),
            FIELD_WORDS.get(r["field"], r["field"]),
            *(format_duration(r[k], calendar) for k in ("low", "likely", "high")),
            SOURCES.get(r["source"], r["source"]),
        ])  # fmt: skip
    # A long step name may take more than a page: its row goes on over the break.
    table = Table(rows, colWidths=[7 * cm, 2 * cm, 2 * cm, 2 * cm, 2 * cm, 4.5 * cm],
                  repeatRows=1, hAlign="LEFT", splitInRow=1)  # fmt: skip
    table.setStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])  # fmt: skip
    return [heading("Figures with a spread"), table]


def _measure_next(ranked: Sequence[Mapping[str, Any]], calendar: Calendar) -> list[Flowable]:
    if not ranked:
        return []
    item = style("li", 9, after=2)
    lines: list[Flowable] = [heading("Measure here next")]
    lines.append(Paragraph(
        "Where better data would narrow the forecast most: knowing the step's figures exactly"
        " would bring the 85% lead time in by about this much.",
        style("forecast-how", 9, ink=MUTED, after=4),
    ))  # fmt: skip
    for r in ranked:
        cut = format_duration(r["p85_cut_minutes"], calendar)
        lines.append(Paragraph(f"• {text(r['text'] or r['id'])}: up to {cut}", item))
    return [KeepTogether(lines)]
