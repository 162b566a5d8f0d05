"""How arrows run on an exported map, and the room they leave the ladder, as the canvas does.

The same rules as frontend/js/model/geometry.js (`connectorPath`, `connectorRoom`,
`laneOffsets`) and ladder.js (`ladderTop`), measured with the export's own
drawing (a step's data box and waste chips as svg_steps.py draws them):

- a rework loop leaves from under its source's data box, runs along under the
  lowest data box of anything between its ends and goes up into the target's,
  arrowhead pointing up, its corners rounded;
- arrows joining the same two boxes get lanes side by side, so a back arrow
  never lies on the forward one;
- the lead-time ladder runs below the data boxes, and below a rework loop.

    >>> from app.domain.elements import Step
    >>> a, b = Step(id="a", x=0, y=100), Step(id="b", x=312, y=100)
    >>> connector_path(rect_of(b), rect_of(a), "rework", Route(267, 267, 267)).d
    'M 396 270 V 278 Q 396 292 382 292 H 98 Q 84 292 84 278 V 270'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from app.domain.elements import Board, Connector, Element, Inventory, Step
from app.domain.metrics import Metrics
from app.export.fit import reach
from app.export.layout import (
    Ladder,
    Point,
    Rect,
    Shape,
    Side,
    anchor_inset,
    end_anchor,
    ladder_layout,
    reaching,
    rect_of,
    shapes,
)
from app.export.raster import carry_on
from app.export.svg_steps import measured_room
from app.export.svgkit import num

# How far a curve's control points reach out of a border: long enough to read as
# leaving that side, short enough that close boxes still get a gentle S (geometry.js).
MIN_BEND, MAX_BEND = 24.0, 120.0
# A rework loop runs this far under the lowest data box between its ends: its
# arrowhead and rate label clear them, and it stays above the ladder (REWORK_BAND).
REWORK_CLEARANCE = 22.0
# Its corners are rounded this much (less when the loop is tighter).
REWORK_RADIUS = 14.0
# It leaves and enters a data box this far under it, so the arrowhead is seen whole.
REWORK_GAP = 3.0
# A loop from a step onto itself leaves and enters this share of its width off its middle.
SELF_LOOP_SPREAD = 0.25
# Arrows between the same two boxes sit this far apart: more than an arrow's
# hit stroke on the canvas (14), so each can be told apart and clicked.
LANE_GAP = 20.0
# The ladder's upper rung (ladder.js): this far under the lowest step at least; under the
# lowest data box by DATA_CLEARANCE, or by REWORK_BAND when a rework loop runs under them.
BELOW_STEPS, DATA_CLEARANCE, REWORK_BAND = 132.0, 28.0, 74.0
# An inventory's label takes this width under it, centred (boxes.js INVENTORY_LABEL_W).
INVENTORY_LABEL_W = 136.0

_NORMAL: Mapping[Side, tuple[float, float]] = {
    "left": (-1.0, 0.0),
    "right": (1.0, 0.0),
    "top": (0.0, -1.0),
    "bottom": (0.0, 1.0),
}


class Route(NamedTuple):
    """How one arrow runs among the others: its ends' feet (the bottom of what is drawn
    under them: an arrow never runs through a data box), its lane (a shift to its own
    left) and how far in from its boxes it meets their outlines; a rework loop also has
    the floor it passes under."""

    source_foot: float | None = None
    target_foot: float | None = None
    floor: float = 0.0
    lane: float = 0.0
    source_inset: float = 0.0
    target_inset: float = 0.0


# An arrow alone between its ends, not a rework loop: no lane, no insets.
STRAIGHT = Route()


class ArrowPath(NamedTuple):
    """An arrow as drawn: its SVG path, its ends, where its label goes and a box it stays in."""

    d: str
    start: Point
    end: Point
    mid: Point
    box: Rect


def footprint_of(el: Shape, board: Board | None = None) -> Rect:
    """The box plus what is drawn under it: a step's data box with the lines `board`'s event
    log adds under its figures, and its chips; a queue's label (fit.reach)."""
    if isinstance(el, Inventory):
        w = max(el.w, INVENTORY_LABEL_W)
        return Rect(el.x + el.w / 2 - w / 2, el.y, w, reach(el))
    return Rect(el.x, el.y, el.w, reach(el, board))


def lane_offsets(elements: Iterable[Element]) -> dict[str, float]:
    """Offsets for arrows joining the same two boxes (rework loops aside), LANE_GAP apart
    in id order, to the left of each arrow's own direction. Lone arrows are not listed.

    >>> ab = Connector(id="ab", source="a", target="b")
    >>> lane_offsets([ab, Connector(id="ba", source="b", target="a")])
    {'ab': -10.0, 'ba': -10.0}
    """
    pairs: dict[tuple[str, str], list[Connector]] = {}
    for c in elements:
        if isinstance(c, Connector) and c.connector != "rework":
            pairs.setdefault((min(c.source, c.target), max(c.source, c.target)), []).append(c)
    lanes: dict[str, float] = {}
    for group in pairs.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: c.id)
        for i, c in enumerate(group):
            # Counted to the left of the lower id's direction; a reversed arrow's own left
            # is the other side.
            offset = (i - (len(group) - 1) / 2) * LANE_GAP
            lanes[c.id] = offset if c.source < c.target else -offset
    return lanes


def connector_room(
    c: Connector,
    source: Shape,
    target: Shape,
    boxes: Iterable[Shape],
    lanes: Mapping[str, float] | None = None,
    board: Board | None = None,
) -> Route:
    """How `c` runs: its lane and insets, and for a rework loop its ends' feet and the
    floor it passes under (the lowest data box of any box between its ends, on their band).
    With `board`, the lines its event log adds under the steps' figures count as theirs."""
    lane = (lanes or {}).get(c.id, 0.0)
    insets = {"source_inset": anchor_inset(source), "target_inset": anchor_inset(target)}
    a, b = footprint_of(source, board), footprint_of(target, board)
    if c.connector != "rework":
        return Route(a.bottom, b.bottom, lane=lane, **insets)
    left, right, top = min(a.x, b.x), max(a.right, b.right), min(a.y, b.y)
    band = max(rect_of(source).bottom, rect_of(target).bottom)
    floor = max(a.bottom, b.bottom)
    for other in boxes:
        if other is source or other is target:
            continue
        f = footprint_of(other, board)
        if f.x < right and f.right > left and f.y < band and f.bottom > top:
            floor = max(floor, f.bottom)
    return Route(a.bottom, b.bottom, floor, lane, **insets)


def connector_path(source: Rect, target: Rect, kind: str, route: Route = STRAIGHT) -> ArrowPath:
    """The arrow from `source` to `target`: a curve between facing sides, or a rework loop."""
    if kind == "rework":
        return _rework_path(source, target, route)
    towards_target = reaching(target, route.target_foot).center
    towards_source = reaching(source, route.source_foot).center
    start, s_side = end_anchor(source, route.source_foot, towards_target, route.source_inset)
    end, e_side = end_anchor(target, route.target_foot, towards_source, route.target_inset)
    bend = min(MAX_BEND, max(MIN_BEND, math.hypot(end.x - start.x, end.y - start.y) * 0.4))
    c1 = Point(start.x + _NORMAL[s_side][0] * bend, start.y + _NORMAL[s_side][1] * bend)
    c2 = Point(end.x + _NORMAL[e_side][0] * bend, end.y + _NORMAL[e_side][1] * bend)
    if route.lane:
        a, b = source.center, target.center
        length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        dx, dy = -(b.y - a.y) / length * route.lane, (b.x - a.x) / length * route.lane
        start, c1, c2, end = (Point(p.x + dx, p.y + dy) for p in (start, c1, c2, end))
    mid = Point(
        (start.x + 3 * c1.x + 3 * c2.x + end.x) / 8, (start.y + 3 * c1.y + 3 * c2.y + end.y) / 8
    )
    d = (
        f"M {_n(start.x)} {_n(start.y)} C {_n(c1.x)} {_n(c1.y)}, "
        f"{_n(c2.x)} {_n(c2.y)}, {_n(end.x)} {_n(end.y)}"
    )
    # A Bezier lies within its control points' hull.
    xs, ys = [p.x for p in (start, c1, c2, end)], [p.y for p in (start, c1, c2, end)]
    hull = Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    return ArrowPath(d, start, end, mid, hull)


def _rework_path(source: Rect, target: Rect, route: Route) -> ArrowPath:
    """Down from under the source's data box, along under the floor, up into the target's."""
    # A step that redoes part of its own work: out of its right half, back into its left,
    # as every rework loop runs from later (right) to earlier (left).
    spread = source.w * SELF_LOOP_SPREAD if source == target else 0.0
    sx, ex = source.center.x + spread, target.center.x - spread
    sy = (source.bottom if route.source_foot is None else route.source_foot) + REWORK_GAP
    ey = (target.bottom if route.target_foot is None else route.target_foot) + REWORK_GAP
    low = max(sy, ey, route.floor) + REWORK_CLEARANCE
    toward = -1 if ex < sx else 1
    r = min(REWORK_RADIUS, abs(ex - sx) / 2, low - max(sy, ey))
    d = (
        f"M {_n(sx)} {_n(sy)} V {_n(low - r)} Q {_n(sx)} {_n(low)} {_n(sx + toward * r)} {_n(low)}"
        f" H {_n(ex - toward * r)} Q {_n(ex)} {_n(low)} {_n(ex)} {_n(low - r)} V {_n(ey)}"
    )
    top = min(sy, ey)
    box = Rect(min(sx, ex), top, abs(ex - sx), low - top)
    return ArrowPath(d, Point(sx, sy), Point(ex, ey), Point((sx + ex) / 2, low), box)


def _n(v: float) -> str:
    """A coordinate to a tenth, as the canvas writes it."""
    return num(math.floor(v * 10 + 0.5) / 10)


def ladder_top(
    elements: Iterable[Element], below: Callable[[Step], float] = lambda _: 0.0
) -> float | None:
    """Where the ladder's upper rung runs: BELOW_STEPS under the lowest step, lower when the
    data boxes (and a rework loop under them) need the room; None without steps. `below`:
    how much more a step's data box hangs down than its footprint says (the measured lines
    an event log adds), as ladder.js ladderTop."""
    els = list(elements)
    steps = [e for e in els if isinstance(e, Step)]
    if not steps:
        return None
    rework = any(isinstance(c, Connector) and c.connector == "rework" for c in els)
    bottom = max(s.y + s.h for s in steps)
    foot = max(footprint_of(s).bottom + below(s) for s in steps)
    return max(bottom + BELOW_STEPS, foot + (REWORK_BAND if rework else DATA_CLEARANCE))


def board_ladder(drawn: Board, metrics: Metrics) -> Ladder | None:
    """The lead-time ladder of a board as drawn (fit.py), clear of its data boxes, the
    measured lines under them, and loops."""
    top = ladder_top(drawn.elements.values(), lambda step: measured_room(step, metrics))
    steps = {s.id: s for s in drawn.steps()}
    return None if top is None else ladder_layout(metrics, steps, top)


def arrows(drawn: Board) -> list[tuple[Connector, ArrowPath]]:
    """Every arrow whose ends are drawn, with its path, in drawing order."""
    boxes = shapes(drawn.elements.values())
    lanes = lane_offsets(drawn.elements.values())
    out = []
    for c in drawn.connectors():
        carry_on()  # each route looks at every box: a stopped export stops here too
        source, target = drawn.elements.get(c.source), drawn.elements.get(c.target)
        if not isinstance(source, Shape) or not isinstance(target, Shape):
            continue
        route = connector_room(c, source, target, boxes, lanes, drawn)
        out.append((c, connector_path(rect_of(source), rect_of(target), c.connector, route)))
    return out
