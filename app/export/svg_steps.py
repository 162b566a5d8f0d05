"""A step in SVG, as the canvas draws it (frontend/js/canvas/shapes.js and data-box.js).

A rounded box with the step's name, and under it the data box of a paper map:
wait, process time, %C/A (people when known), a figure not given yet as a
gentle question ("wait?"), an unsettled one as the median of the estimates
("~1d 4h"), and the waste tags as chips. Where an event log measured a figure, its
row reads "est. 2d" and the log's median follows on the line under it ("measured
3.5d, n=42"), emphasised when the two are more than a quarter apart
(frontend/js/model/measured.js): the picture shows what the canvas shows, not the
estimate alone while the metrics run on the measurement.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, NamedTuple

from app.domain.data_box import (
    DATA_PAD_X,
    MEASURED_PARTS,
    measured_lines,
    measured_text,
    wrap_figure,
)
from app.domain.durations import format_duration, shown_duration
from app.domain.elements import WASTE_LABELS, Calendar, Step
from app.domain.estimates import Spread
from app.domain.lanes import CHIP_GAP, CHIP_HEIGHT, DATA_GAP, DATA_PAD_Y, ROW_HEIGHT
from app.domain.metrics import Metrics
from app.export.fonts import text_width
from app.export.layout import Rect, rect_of
from app.export.svgkit import (
    ACTUAL,
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

# The data box's sizes are the lanes' (domain/lanes.py and data_box.py, after
# data-box.js); here, the waste chips' type size.
CHIP_SIZE = 10.5
# What an unnamed step shows, faintly.
PLACEHOLDER = "Untitled step"
# An estimate's median, not yet settled, reads in this ink (frontend/css/session.css .is-estimated).
ESTIMATED = "#7c3aed"
# A measured median more than this share away from the estimate is emphasised, in this ink
# (model/measured.js GAP_SHARE; frontend/css/tokens.css --measured-gap).
GAP_SHARE, MEASURED_GAP = 0.25, "#b45309"
# Which part of a step's measurement each of its figures reads.
PARTS = dict(MEASURED_PARTS)

# A step's entry in the measurement summary's `steps` (domain/measured.py), or None.
Measure = Mapping[str, Any] | None


class Row(NamedTuple):
    """A data box row, as data-box.js dataRows: None for `value` when the figure is missing."""

    label: str
    value: str | None
    missing: str
    estimated: bool = False
    measured: tuple[str, ...] = ()  # the lines under it: the log's median and n
    differs: bool = False  # the median is more than GAP_SHARE from the estimate


def draw_step(
    parent: ET.Element,
    step: Step,
    calendar: Calendar,
    spreads: Mapping[str, Spread],
    bounds: Bounds,
    mark: str = "",
    measure: Measure = None,
) -> None:
    """A step in its own box, as the canvas draws it: a name longer than the box holds ends
    in "…" and `mark` (where the picture lists it whole; "" where the report does)."""
    r = rect_of(step)
    s = swatch(step.color, "yellow")
    g = group(parent, "step", r.x, r.y, step.id)
    shaded(g, "rect", {"fill": s.fill, "stroke": s.border}, {"width": r.w, "height": r.h, "rx": 8})
    box_label(g, step.text, Rect(0, 0, r.w, r.h), placeholder=PLACEHOLDER, mark=mark)
    below = _data_box(g, _data_rows(step, calendar, spreads, measure), step, r.h + DATA_GAP)
    bounds.add(Rect(r.x, r.y, r.w, below))


def name_cut(step: Step) -> bool:
    """Whether the step's name is cut short in its box (frontend/js/model/text-fit.js labelCut)."""
    return label_cut(step.text, Rect(0, 0, step.w, step.h))


def footprint(step: Step, lines: int = 0) -> float:
    """How far below its top a step's drawing reaches: the box, its data box with `lines`
    measured lines under its figures (data_box.measured_lines), and waste chips."""
    rows = 3 + (step.people is not None) + lines
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
    step: Step, calendar: Calendar, spreads: Mapping[str, Spread], measure: Measure = None
) -> list[Row]:
    """The rows of a step's data box, in order, as data-box.js dataRows."""

    def time(field: str, label: str, missing: str) -> Row:
        value: float | None = getattr(step, field)
        if value is not None:
            typed = getattr(step, field.replace("_minutes", "_text"))
            return Row(label, shown_duration(value, typed, calendar), missing)
        spread = spreads.get(field)
        if spread is None:
            return Row(label, None, missing)
        return Row(label, "~" + format_duration(spread.median, calendar), missing, True)

    pca = None if step.pca is None else f"{round(step.pca, 1):g}%"
    rows = [
        _measured(time("wait_minutes", "Wait", "wait?"), step, "wait_minutes", measure, calendar),
        _measured(
            time("process_minutes", "Process", "process time?"),
            step, "process_minutes", measure, calendar,
        ),  # fmt: skip
        Row("%C/A", pca, "%C/A?"),
    ]
    if step.people is not None:
        rows.append(Row("People", str(step.people), ""))
    return rows


def _measured(row: Row, step: Step, field: str, measure: Measure, calendar: Calendar) -> Row:
    """`row` with the log's measurement of its figure, as measured.js sideBySide: the step's
    own figure then reads "est. 2d", the median on the lines under it."""
    text = measured_text(measure, PARTS[field], calendar)
    if text is None:
        return row
    median = float((measure or {})[PARTS[field]]["median"])
    stored: float | None = getattr(step, field)
    value = row.value
    if value is not None and not row.estimated:
        value = f"est. {value}"
    gap = stored is not None and abs(median - stored) > GAP_SHARE * stored
    return row._replace(value=value, measured=tuple(wrap_figure(text, step.w)), differs=gap)


def measured_room(step: Step, metrics: Metrics) -> float:
    """How much further down than its footprint a step's data box reaches with the measured
    lines under its figures: the ladder (as the canvas's) and the PDF's page cuts keep clear."""
    return measured_lines(step, metrics.measured, metrics.calendar) * ROW_HEIGHT


def _data_box(g: ET.Element, rows: list[Row], step: Step, top: float) -> float:
    """The figures under a step; returns how far below the step's top the drawing reaches."""
    w = step.w
    lines = sum(1 + len(row.measured) for row in rows)
    box_h = DATA_PAD_Y * 2 + lines * ROW_HEIGHT
    box = add(
        g, "g", {"class": "data-box", "transform": f"translate(0 {num(top)})", "font-size": 12}
    )
    add(box, "rect", {"width": w, "height": box_h, "rx": 6, "fill": SURFACE, "stroke": "#d6d8dc"})
    line = 0
    for row in rows:
        y = DATA_PAD_Y + (line + 1) * ROW_HEIGHT - 5
        line += 1 + len(row.measured)
        if row.value is None:
            add(
                box,
                "text",
                {"x": DATA_PAD_X, "y": y, "fill": INK_FAINT, "font-style": "italic"},
                text=row.missing,
            )
        else:
            add(box, "text", {"x": DATA_PAD_X, "y": y, "fill": INK_MUTED}, text=row.label)
            style: dict[str, str | float] = {"fill": INK, "font-weight": 700}
            if row.estimated:
                style = {"fill": ESTIMATED, "font-weight": 700, "font-style": "italic"}
            end: dict[str, str | float] = {"x": w - DATA_PAD_X, "text-anchor": "end"}
            add(box, "text", {**end, "y": y, **style}, text=row.value)
        ink: dict[str, str | float] = (
            {"fill": MEASURED_GAP, "font-weight": 700} if row.differs else {"fill": ACTUAL}
        )
        for i, text in enumerate(row.measured, start=1):
            add(box, "text", {"x": w - DATA_PAD_X, "y": y + i * ROW_HEIGHT,
                              "text-anchor": "end", **ink}, text=text)  # fmt: skip
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
