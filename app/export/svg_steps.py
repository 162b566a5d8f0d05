"""A step in SVG, as the canvas draws it (frontend/js/canvas/shapes.js and data-box.js).

A rounded box with the step's name, and under it the data box of a paper map:
wait, process time, %C/A (people when known), a figure not given yet as a
gentle question ("wait?"), an unsettled one as the median of the estimates
("~1d 4h"), and the waste tags as chips.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.domain.durations import format_duration, shown_duration
from app.domain.elements import WASTE_LABELS, Calendar, Step
from app.domain.estimates import Spread
from app.domain.lanes import CHIP_GAP, CHIP_HEIGHT, DATA_GAP, DATA_PAD_Y, ROW_HEIGHT
from app.export.fonts import text_width
from app.export.layout import Rect, rect_of
from app.export.svgkit import (
    INK,
    INK_FAINT,
    INK_MUTED,
    SURFACE,
    Bounds,
    add,
    box_label,
    group,
    label_cut,
    num,
    shaded,
    swatch,
)

# The data box's sizes are the lanes' (domain/lanes.py, after data-box.js); here, its
# side padding and the waste chips' type size.
DATA_PAD_X, CHIP_SIZE = 8.0, 10.5
# What an unnamed step shows, faintly.
PLACEHOLDER = "Untitled step"
# An estimate's median, not yet settled, reads in this ink (frontend/css/session.css .is-estimated).
ESTIMATED = "#7c3aed"


def draw_step(
    parent: ET.Element,
    step: Step,
    calendar: Calendar,
    spreads: Mapping[str, Spread],
    bounds: Bounds,
    mark: str = "",
) -> None:
    """A step in its own box, as the canvas draws it: a name longer than the box holds ends
    in "…" and `mark` (where the picture lists it whole; "" where the report does)."""
    r = rect_of(step)
    s = swatch(step.color, "yellow")
    g = group(parent, "step", r.x, r.y, step.id)
    shaded(g, "rect", {"fill": s.fill, "stroke": s.border}, {"width": r.w, "height": r.h, "rx": 8})
    box_label(g, step.text, Rect(0, 0, r.w, r.h), placeholder=PLACEHOLDER, mark=mark)
    below = _data_box(g, step, calendar, spreads, r.h + DATA_GAP)
    bounds.add(Rect(r.x, r.y, r.w, below))


def name_cut(step: Step) -> bool:
    """Whether the step's name is cut short in its box (frontend/js/model/text-fit.js labelCut)."""
    return label_cut(step.text, Rect(0, 0, step.w, step.h))


def footprint(step: Step) -> float:
    """How far below its top a step's drawing reaches: the box, its data box and waste chips."""
    rows = 3 + (step.people is not None)
    box_h = DATA_PAD_Y * 2 + rows * ROW_HEIGHT
    return step.h + DATA_GAP + box_h + _chip_rows(step.waste, step.w) * (CHIP_HEIGHT + CHIP_GAP)


def _chip_rows(tags: tuple[str, ...], width: float) -> int:
    """How many rows of chips `tags` take under a data box `width` wide (as _waste_chips)."""
    rows, x = 0, 0.0
    for tag in tags:
        w = _chip_width(tag)
        if rows == 0 or (x > 0 and x + w > width):
            rows, x = rows + 1, 0.0
        x += w + CHIP_GAP
    return rows


def _chip_width(tag: str) -> float:
    return text_width(WASTE_LABELS.get(tag, tag), CHIP_SIZE, 500) + 14


def _data_rows(
    step: Step, calendar: Calendar, spreads: Mapping[str, Spread]
) -> list[tuple[str, str | None, str, bool]]:
    """(label, value or None, what to say when missing, estimated) per row, as data-box.js."""

    def time(field: str, label: str, missing: str) -> tuple[str, str | None, str, bool]:
        value: float | None = getattr(step, field)
        if value is not None:
            typed = getattr(step, field.replace("_minutes", "_text"))
            return label, shown_duration(value, typed, calendar), missing, False
        spread = spreads.get(field)
        if spread is None:
            return label, None, missing, False
        return label, "~" + format_duration(spread.median, calendar), missing, True

    pca = None if step.pca is None else f"{round(step.pca, 1):g}%"
    rows = [
        time("wait_minutes", "Wait", "wait?"),
        time("process_minutes", "Process", "process time?"),
        ("%C/A", pca, "%C/A?", False),
    ]
    if step.people is not None:
        rows.append(("People", str(step.people), "", False))
    return rows


def _data_box(
    g: ET.Element, step: Step, calendar: Calendar, spreads: Mapping[str, Spread], top: float
) -> float:
    """The figures under a step; returns how far below the step's top the drawing reaches."""
    rows = _data_rows(step, calendar, spreads)
    w = step.w
    box_h = DATA_PAD_Y * 2 + len(rows) * ROW_HEIGHT
    box = add(
        g, "g", {"class": "data-box", "transform": f"translate(0 {num(top)})", "font-size": 12}
    )
    add(box, "rect", {"width": w, "height": box_h, "rx": 6, "fill": SURFACE, "stroke": "#d6d8dc"})
    for i, (label, value, missing, estimated) in enumerate(rows):
        y = DATA_PAD_Y + (i + 1) * ROW_HEIGHT - 5
        if value is None:
            add(
                box,
                "text",
                {"x": DATA_PAD_X, "y": y, "fill": INK_FAINT, "font-style": "italic"},
                text=missing,
            )
            continue
        add(box, "text", {"x": DATA_PAD_X, "y": y, "fill": INK_MUTED}, text=label)
        style: dict[str, str | float] = {"fill": INK, "font-weight": 700}
        if estimated:
            style = {"fill": ESTIMATED, "font-weight": 700, "font-style": "italic"}
        add(box, "text", {"x": w - DATA_PAD_X, "y": y, "text-anchor": "end", **style}, text=value)
    bottom = _waste_chips(box, step.waste, w, box_h + CHIP_GAP)
    return top + bottom


def _waste_chips(box: ET.Element, tags: tuple[str, ...], width: float, top: float) -> float:
    """Waste tags as chips wrapping under the data box; returns the bottom of the last row."""
    x, y = 0.0, top
    bottom = top - CHIP_GAP
    for tag in tags:
        label = WASTE_LABELS.get(tag, tag)
        w = _chip_width(tag)
        if x > 0 and x + w > width:
            x, y = 0.0, y + CHIP_HEIGHT + CHIP_GAP
        chip = add(box, "g", {"class": "waste", "transform": f"translate({num(x)} {num(y)})"})
        add(
            chip,
            "rect",
            {
                "width": w,
                "height": CHIP_HEIGHT,
                "rx": CHIP_HEIGHT / 2,
                "fill": "#fdf2e9",
                "stroke": "#e9b48a",
            },
        )
        add(
            chip,
            "text",
            {
                "x": w / 2,
                "y": CHIP_HEIGHT / 2 + 3.5,
                "text-anchor": "middle",
                "font-size": CHIP_SIZE,
                "font-weight": 500,
                "fill": "#8a4b14",
            },
            text=label,
        )
        x += w + CHIP_GAP
        bottom = y + CHIP_HEIGHT
    return bottom
