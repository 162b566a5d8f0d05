"""Where things go on an exported map: the canvas's geometry, without a browser.

The same rules as frontend/js/model/geometry.js, ladder.js and frame-layout.js,
so a picture of the board looks like the board: arrows meet the middles of the
facing sides (routes.py draws them), the lead-time ladder runs under the steps
in flow order, and the frame's trigger and delivered value sit at the ends of
the flow.

    >>> from app.domain.elements import Step
    >>> rect_of(Step(id="s", x=10, y=20)).right
    178.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from app.domain.elements import Connector, Element, Experiment, Inventory, Note, Step
from app.domain.metrics import Metrics
from app.export.fonts import wrap

Shape = Step | Inventory | Note | Experiment
Side = Literal["left", "right", "top", "bottom"]

# The ladder (ladder.js): rung gap and the first wait's lead-in (its top: routes.ladder_top).
RUNG_GAP = 36.0
LEAD_IN = 72.0
# Slots when the path doubles back and cannot sit under its steps.
SLOT_GAP = 72.0
# The frame (frame-layout.js): trigger and delivery pills, and their gap to the flow.
EDGE_W, EDGE_H = 168.0, 72.0
EDGE_GAP = 112.0
# A pill's text: its caption's room, then 13 px lines; padding above and below, and each side.
EDGE_CAPTION_H, EDGE_SIZE, EDGE_LINE = 14.6, 13.0, 16.25
EDGE_PAD_Y, EDGE_PAD_X = 12.0, 14.0


class Point(NamedTuple):
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> Point:
        return Point(self.x + self.w / 2, self.y + self.h / 2)


def rect_of(el: Shape) -> Rect:
    return Rect(el.x, el.y, el.w, el.h)


def shapes(elements: Iterable[Element]) -> list[Shape]:
    """The elements with a box on the canvas, in drawing order."""
    return [e for e in elements if isinstance(e, Step | Inventory | Note | Experiment)]


def _side(r: Rect, toward: Point) -> Side:
    """Which side of `r` the ray from its centre towards `toward` leaves by."""
    c = r.center
    dx, dy = toward.x - c.x, toward.y - c.y
    if dx == 0 and dy == 0:
        return "right"
    tx = math.inf if dx == 0 else r.w / 2 / abs(dx)
    ty = math.inf if dy == 0 else r.h / 2 / abs(dy)
    if tx <= ty:
        return "right" if dx > 0 else "left"
    return "bottom" if dy > 0 else "top"


def border_point(r: Rect, toward: Point) -> Point:
    """Where the ray from the centre of `r` towards `toward` crosses its border."""
    c = r.center
    dx, dy = toward.x - c.x, toward.y - c.y
    if dx == 0 and dy == 0:
        return Point(r.right, c.y)
    tx = math.inf if dx == 0 else r.w / 2 / abs(dx)
    ty = math.inf if dy == 0 else r.h / 2 / abs(dy)
    t = min(tx, ty)
    return Point(c.x + dx * t, c.y + dy * t)


def side_anchor(r: Rect, toward: Point, inset: float) -> tuple[Point, Side]:
    """The middle of the side facing `toward`; `inset` pulls left/right anchors in."""
    side = _side(r, toward)
    return anchor_on(r, side, inset), side


def anchor_on(r: Rect, side: Side, inset: float = 0.0) -> Point:
    """The middle of side `side` of `r`; `inset` pulls left/right anchors in."""
    c = r.center
    return {
        "left": Point(r.x + inset, c.y),
        "right": Point(r.right - inset, c.y),
        "top": Point(c.x, r.y),
        "bottom": Point(c.x, r.bottom),
    }[side]


def end_anchor(box: Rect, foot: float | None, toward: Point, inset: float) -> tuple[Point, Side]:
    """Where an arrow meets `box` when what is drawn under it (a step's data box) reaches
    down to `foot`: the side of that footprint facing `toward`, so an arrow never runs
    through a data box. Left and right at the box's mid-height; bottom under the data box."""
    reach = reaching(box, foot)
    side = _side(reach, toward)
    if side == "bottom":
        return Point(box.center.x, reach.bottom), side
    return anchor_on(box, side, inset), side


def reaching(box: Rect, foot: float | None) -> Rect:
    """`box` with what is drawn under it, down to `foot`."""
    return box if foot is None or foot <= box.bottom else Rect(box.x, box.y, box.w, foot - box.y)


def anchor_inset(el: Shape) -> float:
    """A triangle is narrower at mid-height: arrows meet its outline, not its box."""
    return el.w / 4 if isinstance(el, Inventory) else 0.0


class Segment(NamedTuple):
    """One rung piece of the ladder: a step's wait (upper) or process time (lower)."""

    kind: Literal["wait", "process"]
    id: str
    x0: float
    x1: float
    minutes: float | None
    actual: float | None
    constraint: bool
    # The step's figure as typed ("1w"): shown as typed while it says `minutes`.
    typed: str | None = None


class Ladder(NamedTuple):
    top: float
    bottom: float
    x0: float
    x1: float
    segments: tuple[Segment, ...]


def ladder_layout(metrics: Metrics, steps: Mapping[str, Step], top: float) -> Ladder | None:
    """The lead-time ladder under the steps on the path, in flow order (ladder.js), its
    upper rung at `top` (routes.ladder_top: clear of the data boxes and rework loops)."""
    rows = [row for row in metrics.steps if row.id in steps]
    if not rows:
        return None
    rects = [rect_of(steps[row.id]) for row in rows]
    aligned = all(i == 0 or r.x >= rects[i - 1].right for i, r in enumerate(rects))
    slots = rects if aligned else _even_slots(rects)
    actuals = {a.id: a for a in metrics.example.steps} if metrics.example else {}
    constraint = metrics.constraint.id if metrics.constraint else None
    segments: list[Segment] = []
    for i, (row, slot) in enumerate(zip(rows, slots, strict=True)):
        start = slot.x - LEAD_IN if i == 0 else slots[i - 1].right
        actual = actuals.get(row.id)
        segments.append(
            Segment(
                "wait",
                row.id,
                start,
                slot.x,
                row.wait_minutes,
                actual.wait_minutes if actual else None,
                row.id == constraint,
                steps[row.id].wait_text,
            )
        )
        segments.append(
            Segment(
                "process",
                row.id,
                slot.x,
                slot.right,
                row.process_minutes,
                actual.process_minutes if actual else None,
                False,
                steps[row.id].process_text,
            )
        )
    return Ladder(top, top + RUNG_GAP, segments[0].x0, segments[-1].x1, tuple(segments))


def _even_slots(rects: list[Rect]) -> list[Rect]:
    x = min(r.x for r in rects)
    slots = []
    for r in rects:
        slots.append(Rect(x, r.y, r.w, r.h))
        x += r.w + SLOT_GAP
    return slots


def queue_before(step: Step, elements: Mapping[str, Element]) -> list[Inventory]:
    """The inventory piled before a step: fed to it by a flow arrow, else in the gap to its left."""
    feeding = {
        c.source
        for c in elements.values()
        if isinstance(c, Connector) and c.connector == "flow" and c.target == step.id
    }
    inventories = [e for e in elements.values() if isinstance(e, Inventory)]
    fed = [i for i in inventories if i.id in feeding]
    if fed:
        return fed
    r = rect_of(step)
    rights = [
        o.x + o.w
        for o in elements.values()
        if isinstance(o, Step) and o.id != step.id and o.x + o.w <= r.x
    ]
    left = max(rights, default=-math.inf)
    return [
        i for i in inventories if left < i.x + i.w / 2 < r.x and i.y < r.bottom and i.y + i.h > r.y
    ]


class Edge(NamedTuple):
    """The trigger (left of the flow) or the delivered value (right of it)."""

    box: Rect
    text: str
    caption: str
    delivery: bool


def path_ends(metrics: Metrics, steps: Mapping[str, Step]) -> tuple[Rect, Rect] | None:
    """The first and last step of the flow: the path's ends, else the leftmost and rightmost."""
    on_path = [steps[i] for i in metrics.path if i in steps]
    if on_path:
        return rect_of(on_path[0]), rect_of(on_path[-1])
    if not steps:
        return None
    ordered = sorted((rect_of(s) for s in steps.values()), key=lambda r: r.x)
    return ordered[0], ordered[-1]


def edges(trigger: str, delivery: str, ends: tuple[Rect, Rect]) -> list[Edge]:
    """The trigger and delivery pills beside the ends of the flow (those that are named)."""
    first, last = ends
    out = []
    # A tall pill grows upwards from a short one's foot: under the row are the data boxes
    # and the ladder's totals (the header goes above whatever is drawn).
    if trigger.strip():
        h = edge_height(trigger.strip())
        box = Rect(first.x - EDGE_GAP - EDGE_W, first.center.y + EDGE_H / 2 - h, EDGE_W, h)
        out.append(Edge(box, trigger.strip(), "Trigger", False))
    if delivery.strip():
        h = edge_height(delivery.strip())
        box = Rect(last.right + EDGE_GAP, last.center.y + EDGE_H / 2 - h, EDGE_W, h)
        out.append(Edge(box, delivery.strip(), "Value delivered", True))
    return out


def edge_lines(text: str) -> list[str]:
    """A trigger's or delivered value's text, wrapped inside its pill (all of it)."""
    return wrap(text, EDGE_W - 2 * EDGE_PAD_X, EDGE_SIZE, 500)


def edge_height(text: str) -> float:
    """A pill is EDGE_H tall, taller when its text needs more than two lines."""
    return max(EDGE_H, EDGE_CAPTION_H + len(edge_lines(text)) * EDGE_LINE + 2 * EDGE_PAD_Y)
