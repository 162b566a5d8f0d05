"""The map as one self-contained SVG: the picture to put on a wall, or in a slide.

It looks like the canvas: the frame as a header, swimlanes when the map has them
switched on (svg_lanes.py), steps with their data boxes, inventory, notes,
arrows, the lead-time ladder with the totals, the constraint ringed and named.
It holds nothing from outside (no fonts, images, scripts, styles or links: the
only references are to its own arrowheads; a box stands on a plain shade, not a
filter: svgkit.shaded), and all user text goes in as escaped XML text.

Positions are the board's own; the picture's size is the box around
everything drawn, plus a margin.

    >>> from app.domain.demo import demo_board
    >>> from app.domain.metrics import compute_metrics
    >>> board = demo_board()
    >>> picture = board_svg(board, compute_metrics(board))
    >>> picture.startswith("<?xml") and "Staging test" in picture
    True
"""

from __future__ import annotations

import copy
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.elements import Board, Connector, Experiment, Inventory, Note, Step
from app.domain.lanes import lane_bands
from app.domain.metrics import Metrics
from app.domain.wording import whole_percent
from app.export.fit import fitted
from app.export.fonts import FONT_STACK, text_width
from app.export.layout import Rect, edges, path_ends, shapes
from app.export.raster import carry_on
from app.export.routes import ArrowPath, board_ladder
from app.export.routes import arrows as routed
from app.export.svg_cards import draw_experiment
from app.export.svg_in_full import draw_in_full, marks
from app.export.svg_ladder import draw_ladder
from app.export.svg_lanes import draw_lanes
from app.export.svg_notes import draw_note
from app.export.svg_overlays import (
    HEADER_GAP,
    draw_constraint,
    draw_edges,
    draw_header,
)
from app.export.svg_shapes import draw_connector, draw_inventory
from app.export.svg_steps import draw_step
from app.export.svg_teams import draw_team_marks
from app.export.svgkit import (
    INK,
    INK_MUTED,
    LABEL_SIZE,
    LINE_SPACING,
    PAPER,
    Bounds,
    add,
    num,
    text_lines,
)

SVG_NS = "http://www.w3.org/2000/svg"
# White space round the drawing, in canvas units.
MARGIN = 48.0
# Arrowheads per connector kind (frontend/js/canvas/scene.js), in the kind's ink.
MARKERS = {"flow": "#6b7280", "rework": "#d2553f", "info": "#64748b"}


def board_svg(board: Board, metrics: Metrics, *, header: bool = True) -> str:
    """The whole map as an SVG document (a string, UTF-8 when written out).

    `header=False` leaves the frame's header out, for a page that has its own.
    Every word is there: notes and cards grow into the room below them (fit.py), and what
    is cut short as on the canvas (a note or card the box under it stops, a step's long
    name in its box) is listed whole under the map (svg_in_full.py).
    """
    return board_picture(board, metrics, header=header).document()


@dataclass(frozen=True, slots=True)
class Picture:
    """A drawn map: its SVG tree, the part of the canvas it shows, and the board as drawn
    (notes and cards grown into their room, fit.py). `document(window)` shows a part of it."""

    root: ET.Element
    box: Rect
    drawn: Board

    def document(self, window: Rect | None = None) -> str:
        """The SVG showing `window` of the canvas (all of it by default), one unit a pixel."""
        view = window or self.box
        root = copy.copy(self.root)  # its own attributes; the drawing inside is shared
        root.set("width", num(view.w))
        root.set("height", num(view.h))
        root.set("viewBox", f"{num(view.x)} {num(view.y)} {num(view.w)} {num(view.h)}")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")

    def smallest_text(self) -> float:
        """The smallest font size any text is set in, in canvas units."""
        sizes = [float(n.get("font-size", "0")) for n in self.root.iter()]
        return min((s for s in sizes if s > 0), default=LABEL_SIZE)


def board_picture(
    board: Board, metrics: Metrics, *, header: bool = True, in_full: bool = True
) -> Picture:
    """The map drawn, before it is written out (board_svg writes all of it). `in_full`: the
    texts the map cuts short are listed whole under it (a report that lists them does not)."""
    board = fitted(board)
    marked = marks(board) if in_full else {}
    root = ET.Element("svg", {"xmlns": SVG_NS, "version": "1.1"})
    add(root, "title", text=f"{board.title or 'Value-stream map'} — value-stream map")
    add(root, "desc", text=_summary(metrics))
    _defs(root)
    background = add(root, "rect", {"class": "paper", "fill": PAPER})
    world = add(root, "g", {"font-family": FONT_STACK, "fill": INK})
    bounds = Bounds()
    if board.swimlanes:  # behind everything, the underlay included
        draw_lanes(world, lane_bands(board), bounds)
    under = add(world, "g", {"class": "underlay"})
    arrows = add(world, "g", {"class": "connectors"})
    notes = add(world, "g", {"class": "elements"})
    over = add(world, "g", {"class": "annotations"})
    paths = routed(board)
    _elements(board, metrics, paths, arrows, notes, bounds, marked)
    draw_team_marks(over, board, metrics, paths, bounds)
    if bounds.empty:  # a blank sheet would look like a failed export
        _nothing_yet(notes, bounds)
    steps = {s.id: s for s in board.steps()}
    constraint = steps.get(metrics.constraint.id) if metrics.constraint else None
    if constraint is not None and metrics.constraint is not None:
        draw_constraint(under, over, constraint, board.elements, metrics.constraint.share, bounds)
    ladder = board_ladder(board, metrics)
    if ladder is not None:
        draw_ladder(under, ladder, metrics, board.calendar, bounds)
    # Last: the header goes above everything else, the badge included; the texts in full under.
    _frame(board, metrics, under, bounds, header)
    draw_in_full(world, board, marked, bounds)
    box = _whole(bounds.rect(MARGIN))
    for name, value in (("x", box.x), ("y", box.y), ("width", box.w), ("height", box.h)):
        background.set(name, num(value))
    return Picture(root, box, board)


# What a map with nothing on it says, where its first step would go.
NOTHING_YET = "No steps on this map yet"


def _nothing_yet(parent: ET.Element, bounds: Bounds) -> None:
    height = LABEL_SIZE * LINE_SPACING
    text_lines(parent, [NOTHING_YET], 0, 0, LABEL_SIZE, height, {"fill": INK_MUTED})
    bounds.add(Rect(0, 0, text_width(NOTHING_YET, LABEL_SIZE), height))


def _whole(r: Rect) -> Rect:
    """`r` grown out to whole units, so the picture has a whole number of pixels."""
    x, y = math.floor(r.x), math.floor(r.y)
    return Rect(x, y, math.ceil(r.right) - x, math.ceil(r.bottom) - y)


def svg_size(document: str) -> tuple[float, float]:
    """The width and height an SVG from `board_svg` declares, in pixels."""
    root = ET.fromstring(document)
    return float(root.get("width", "0")), float(root.get("height", "0"))


def _summary(metrics: Metrics) -> str:
    shown = metrics.display()
    parts = [
        f"Lead time {shown['lead_time']}",
        f"process time {shown['process_time']}",
        f"activity ratio {shown['activity_ratio']}",
        f"rolled %C/A {shown['rolled_pca']}",
    ]
    if metrics.constraint:
        parts.append(f"constraint {metrics.constraint.reason}")
    return "; ".join(parts) + "."


def _defs(root: ET.Element) -> None:
    defs = add(root, "defs")
    for kind, ink in MARKERS.items():
        marker = add(
            defs,
            "marker",
            {
                "id": f"arrow-{kind}",
                "viewBox": "0 0 12 12",
                "refX": 10.5,
                "refY": 6,
                "markerWidth": 12,
                "markerHeight": 12,
                "markerUnits": "userSpaceOnUse",
                "orient": "auto",
            },
        )
        add(marker, "path", {"d": "M 1.5 1.5 L 10.5 6 L 1.5 10.5 Z", "fill": ink})


def _elements(
    board: Board,
    metrics: Metrics,
    paths: list[tuple[Connector, ArrowPath]],
    arrows: ET.Element,
    layer: ET.Element,
    bounds: Bounds,
    marked: Mapping[str, str],
) -> None:
    """Every shape in drawing order, and the arrows between them underneath; a note or card
    cut short (a step's long name too) ends with its mark (or only "…" where the texts are
    not listed)."""
    # The log's measurements, drawn beside the estimates as the canvas draws them.
    measured = (metrics.measured or {}).get("steps") or {}
    for el in shapes(board.elements.values()):
        carry_on()  # an export past its time, or that nobody waits for, stops here
        if isinstance(el, Step):
            spreads = metrics.spreads.get(el.id, {})
            mark, measure = marked.get(el.id, ""), measured.get(el.id)
            draw_step(layer, el, board.calendar, spreads, bounds, mark, measure)
        elif isinstance(el, Inventory):
            draw_inventory(layer, el, bounds)
        elif isinstance(el, Note):
            draw_note(layer, el, bounds, marked.get(el.id, ""))
        elif isinstance(el, Experiment):
            draw_experiment(layer, el, board.calendar, bounds, marked.get(el.id, ""))
    for c, path in paths:
        carry_on()
        rate = "" if c.rework_rate is None else whole_percent(c.rework_rate)
        label = " · ".join(part for part in (c.text.strip(), rate) if part)
        draw_connector(arrows, path, c.connector, label, bounds)


def _frame(board: Board, metrics: Metrics, under: ET.Element, bounds: Bounds, header: bool) -> None:
    """The header above everything drawn so far, and the pills at the ends of the flow."""
    steps = {s.id: s for s in board.steps()}
    ends = path_ends(metrics, steps)
    found = edges(board.trigger, board.delivery, ends) if ends else []
    if ends:
        draw_edges(under, found, ends, bounds)
    if not header:
        return
    boxes = [e.box for e in found]
    drawn = Rect(0, 0, 0, 0) if bounds.empty else bounds.rect(0)
    left = min([drawn.x, *(b.x for b in boxes)])
    right = max([drawn.right, *(b.right for b in boxes)])
    draw_header(under, board, metrics, left, right, drawn.y - HEADER_GAP, bounds)
