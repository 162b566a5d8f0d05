"""The lead-time ladder in SVG, with the totals at its end (frontend/js/canvas/metrics-layer.js).

Waits on the upper rung, process times on the lower, each under its step in
flow order; the queue before the constraint in red; actual times from the
example walk beside the estimates; lead time, process time, activity ratio and
rolled %C/A at the right end, and what "d" and "w" mean underneath.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.domain.durations import format_duration, shown_duration
from app.domain.elements import Calendar
from app.domain.metrics import Metrics
from app.export.fonts import text_width
from app.export.layout import Ladder, Rect
from app.export.svgkit import (
    ACTUAL,
    CONSTRAINT,
    INK,
    INK_FAINT,
    INK_MUTED,
    PROCESS,
    Bounds,
    add,
    num,
)

# Ladder labels sit this far off their rung; the totals start this far right of it.
LABEL_OFFSET, ACTUAL_OFFSET, TOTALS_GAP = 10.0, 26.0, 28.0
# The note saying what d and w mean: its size and how far under the lower rung it sits.
FOOTNOTE_SIZE, FOOTNOTE_DROP = 11.5, 60.0


def draw_ladder(
    parent: ET.Element, ladder: Ladder, metrics: Metrics, calendar: Calendar, bounds: Bounds
) -> None:
    """The lead-time ladder: waits up, work down, the constraint's queue red, totals at the end."""
    top, bottom = ladder.top, ladder.bottom
    g = add(parent, "g", {"class": "ladder"})
    d = f"M {num(ladder.x0)} {num(top)}"
    for s in ladder.segments:
        y = top if s.kind == "wait" else bottom
        d += f" L {num(s.x0)} {num(y)} L {num(s.x1)} {num(y)}"
    add(
        g,
        "path",
        {
            "d": d,
            "fill": "none",
            "stroke": "#475569",
            "stroke-width": 2,
            "stroke-linejoin": "round",
        },
    )
    for s in ladder.segments:
        y = top if s.kind == "wait" else bottom
        mid = (s.x0 + s.x1) / 2
        if s.constraint:
            add(
                g,
                "path",
                {
                    "class": "ladder-constraint",
                    "d": f"M {num(s.x0)} {num(y)} L {num(s.x1)} {num(y)}",
                    "stroke": CONSTRAINT,
                    "stroke-width": 5,
                    "stroke-linecap": "round",
                },
            )
        label_y = y - LABEL_OFFSET if s.kind == "wait" else y + LABEL_OFFSET + 12
        ink = CONSTRAINT if s.constraint else INK if s.kind == "wait" else PROCESS
        attrs: dict[str, str | float] = {
            "x": mid,
            "y": label_y,
            "text-anchor": "middle",
            "font-size": 13,
            "font-weight": 700,
            "fill": ink,
        }
        if s.minutes is None:
            attrs |= {"font-weight": 400, "font-style": "italic", "fill": INK_FAINT}
        add(
            g,
            "text",
            attrs,
            text="?" if s.minutes is None else shown_duration(s.minutes, s.typed, calendar),
        )
        if s.actual is not None:
            actual_y = y - ACTUAL_OFFSET if s.kind == "wait" else y + ACTUAL_OFFSET + 12
            add(
                g,
                "text",
                {
                    "x": mid,
                    "y": actual_y,
                    "text-anchor": "middle",
                    "font-size": 11.5,
                    "font-style": "italic",
                    "fill": ACTUAL,
                },
                text=f"actual {format_duration(s.actual, calendar)}",
            )
    bounds.add(
        Rect(ladder.x0, top - ACTUAL_OFFSET - 14, ladder.x1 - ladder.x0, 2 * ACTUAL_OFFSET + 50)
    )
    last_total = _totals(g, ladder, metrics, bounds)
    units = (
        f"d = a working day of {calendar.hours_per_day:g} hours · "
        f"w = a working week of {calendar.days_per_week:g} days"
    )
    width = text_width(units, FOOTNOTE_SIZE)
    y = bottom + FOOTNOTE_DROP
    if ladder.x0 + width > ladder.x1 + TOTALS_GAP - 10:
        # A short ladder: the note would run into the totals, so it goes under them.
        y = max(y, last_total + FOOTNOTE_SIZE * 2)
    add(g, "text", {"x": ladder.x0, "y": y, "font-size": FOOTNOTE_SIZE, "fill": INK_FAINT}, units)
    bounds.add(Rect(ladder.x0, y - 12, width, 16))


def _totals(g: ET.Element, ladder: Ladder, metrics: Metrics, bounds: Bounds) -> float:
    """The totals at the ladder's right end: lead time level with the waits, work with the work.

    Returns the baseline of the last line.
    """
    x = ladder.x1 + TOTALS_GAP
    shown = metrics.display()
    top, bottom = ladder.top, ladder.bottom
    add(
        g,
        "path",
        {
            "d": f"M {num(ladder.x1)} {num(bottom)} L {num(ladder.x1)} {num(top - 14)} "
            f"M {num(x - 10)} {num(top - 22)} L {num(x - 10)} {num(bottom + 20)}",
            "stroke": "#cbd5e1",
            "stroke-width": 1,
        },
    )
    rows: list[tuple[float, str, str, float, str]] = [
        (top + 4, "Lead time", shown["lead_time"], 14, INK),
        (bottom + 4, "Process time", shown["process_time"], 14, INK),
        (bottom + 28, "Activity ratio", shown["activity_ratio"], 12.5, INK),
        (bottom + 46, "Rolled %C/A", shown["rolled_pca"], 12.5, INK),
    ]
    if metrics.expected_lead_time_minutes > metrics.lead_time_minutes:
        rows.append((bottom + 64, "With rework", shown["expected_lead_time"], 12.5, INK))
    if metrics.example is not None:
        value = f"{shown['example_lead_time']} lead, {shown['example_process_time']} work"
        rows.append((rows[-1][0] + 18, "Example item", value, 12.5, ACTUAL))
    widest = 0.0
    for y, label, value, size, ink in rows:
        text = add(g, "text", {"class": "total", "x": x, "y": y, "font-size": size, "fill": ink})
        add(text, "tspan", {"fill": INK_MUTED if ink == INK else ink}, text=f"{label} ")
        add(text, "tspan", {"font-weight": 700}, text=value)
        widest = max(widest, text_width(f"{label} ", size) + text_width(value, size, 700))
    bounds.add(Rect(x - 10, top - 22, widest + 10, rows[-1][0] - top + 28))
    return rows[-1][0]
