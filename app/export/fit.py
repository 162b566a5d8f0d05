"""The board made ready to draw, with every box where the canvas has it.

A step keeps the box the board gives it, as on the canvas: a name that needs more
lines than the box has ends in "…" (frontend/js/model/text-fit.js labelCut). It used
to grow downward and push what was under it down, so the exported map laid out
differently from the canvas (taller boxes, rows moved); the name is now listed whole
under the picture instead, like a note cut short.

A note, hypothesis, kaizen burst or experiment card grows as the canvas grows it
(frontend/js/model/boxes.js roomsBelow): into the free room below it and no further,
stopping `ROOM_GAP` short of the box under it (and over a step, short of the room its
constraint badge takes). It used to push what was below it down instead, so the
exported map and the canvas disagreed on where things stood: a long hypothesis over
the constraint dropped that one step out of the flow's row, its badge onto the queue
before it and its arrows bent, on the wall and nowhere else. A map on a wall should be
the map the team built, in its rows, beside the board they saw; and no word may be
lost on paper, where nothing can be hovered: the words that do not fit end in "…" and
a number, and the picture lists each such text in full under the map (svg.py
`cut_short`); the PDF lists every note and card whole in its report, and every step's
name in its steps table.

With swimlanes, lanes drawn over each other (owners given with every step still on
the map's one row) are stacked apart, each lane and every box below it moved down
until the bands are clear.

Only the picture moves: the board itself, its metrics and its JSON keep their
positions.

    >>> from app.domain.elements import Board, Note, Step
    >>> long = Note(id="n", x=0, y=0, text="word " * 60)
    >>> under = Step(id="s", x=0, y=240)
    >>> drawn = fitted(Board(id="b", elements={"n": long, "s": under})).elements
    >>> drawn["s"].y == 240 and drawn["n"].h == 240 - 16 - 44
    True
"""

from __future__ import annotations

import dataclasses
import math
from itertools import combinations, pairwise

from app.domain.data_box import measured_lines
from app.domain.elements import Board, Calendar, Element, Experiment, Inventory, Note, Step, evolve
from app.domain.lanes import LANE_PAD, board_footprint, lane_bands, owners_of
from app.domain.tidy_lanes import LANE_GAP
from app.export.svg_cards import experiment_height
from app.export.svg_notes import note_height
from app.export.svg_overlays import BADGE_ROOM, queue_box
from app.export.svg_shapes import inventory_reach
from app.export.svg_steps import footprint, name_cut

Boxed = Step | Inventory | Note | Experiment
# What a grown note or card keeps between itself and what is under it (a note's gap on the
# canvas); over a step, also the room its constraint badge takes above it.
ROOM_GAP = 16.0


def fitted(board: Board) -> Board:
    """`board` as it is drawn: each step as the board has it (a long name cut short, as on
    the canvas), each note and card as tall as its text wants within the room below it."""
    drawn = board
    if board.swimlanes:
        drawn = _lanes_apart(board, drawn)
    roomed = _into_room(drawn)
    return dataclasses.replace(drawn, elements={**drawn.elements, **roomed}) if roomed else drawn


# Boxes are sorted into columns this wide, so a growing note looks only at the boxes that
# share a column with it (as the canvas does: a board of thousands of long notes).
COLUMN = 512.0


def _into_room(board: Board) -> dict[str, Boxed]:
    """Each note and card whose text wants more than its own height, as tall as it may be
    drawn without covering a box that was clear of it below (the canvas's roomsBelow)."""
    boxes = [
        e for e in board.elements.values() if isinstance(e, Step | Inventory | Note | Experiment)
    ]
    wanting = [(e, _grown(e, board.calendar)) for e in boxes if isinstance(e, Note | Experiment)]
    wanting = [(e, g) for e, g in wanting if g is not e]
    if not wanting:
        return {}
    columns: dict[int, list[tuple[float, float, Boxed]]] = {}
    for e in boxes:
        left, right = _span(e)
        for c in range(math.floor(left / COLUMN), math.floor(right / COLUMN) + 1):
            columns.setdefault(c, []).append((left, right, e))
    out: dict[str, Boxed] = {}
    for el, grown in wanting:
        bottom, most = el.y + el.h, grown.h
        for c in range(math.floor(el.x / COLUMN), math.floor((el.x + el.w) / COLUMN) + 1):
            for left, right, other in columns.get(c, ()):
                if other is el or left >= el.x + el.w or el.x >= right or other.y < bottom:
                    continue  # itself, side by side, or above it or overlapping it already
                wanted = ROOM_GAP + (BADGE_ROOM if isinstance(other, Step) else 0.0)
                most = min(most, other.y - min(other.y - bottom, wanted) - el.y)
        out[el.id] = grown if most >= grown.h else evolve(el, {"h": max(el.h, most)})
    return out


def _span(el: Boxed) -> tuple[float, float]:
    """How far left and right an element's drawing reaches (a queue's label is wider)."""
    if isinstance(el, Inventory):
        box = queue_box(el)
        return box.x, box.right
    return el.x, el.x + el.w


def cut_short(el: Element, calendar: Calendar) -> bool:
    """Whether a drawn box holds less than its whole text: a note or card whose room ran
    out, a step whose name needs more lines than its box has (the canvas's labelCut)."""
    if isinstance(el, Step):
        return name_cut(el)
    return isinstance(el, Note | Experiment) and _grown(el, calendar) is not el


def _lanes_apart(board: Board, drawn: Board) -> Board:
    """`drawn` with each lane below one that runs into it moved down, and what stands in
    it: a box then stands where its lane's move puts it, or lower where it stood lower
    already (the moves never add up).

    A step belongs to its owner's lane; another box to the lane it stood in (the last whose
    top is above it). Lanes clear of each other but not stacked in their order (moved by
    hand) are left as they are. Lanes over each other (owners given with every step still on
    the map's one row) are stacked in their order; a queue then goes with the step it stands
    before, a note or card with the step nearest it, as the page's lanesApart moves them.
    """
    bands = lane_bands(board)
    if len(bands) < 2:
        return drawn
    overlapping = any(b.y < c.bottom and c.y < b.bottom for b, c in combinations(bands, 2))
    if not overlapping and any(b.y >= c.y for b, c in pairwise(bands)):
        return drawn
    owners = owners_of(board)
    order = {b.id: i for i, b in enumerate(bands)}
    all_steps = [e for e in board.elements.values() if isinstance(e, Step)]
    lane_of: dict[str, int] = {}
    for s in all_steps:
        lane_of[s.id] = order.get(owners.get(s.id, ""), len(bands) - 1)
    for e in board.elements.values():
        if not isinstance(e, Inventory | Note | Experiment):
            continue
        if overlapping:
            step = _belongs_to(e, all_steps)
            if step is not None:
                lane_of[e.id] = lane_of[step.id]
            continue
        above = [i for i, b in enumerate(bands) if b.y <= e.y]
        if above:
            lane_of[e.id] = above[-1]
    shifts, bottom = [], float("-inf")
    for i, band in enumerate(bands):
        steps = [s for s in all_steps if lane_of.get(s.id) == i]
        top = min((s.y for s in steps), default=band.y + LANE_PAD) - LANE_PAD
        shift = max(0.0, bottom + LANE_GAP - top)
        shifts.append(shift)
        placed = [_lower(_boxed(drawn.elements[s.id]), s.y + shift) for s in steps]
        lowest = max(
            (s.y + board_footprint(board, s) for s in placed if isinstance(s, Step)), default=None
        )
        bottom = bottom if lowest is None else lowest + LANE_PAD
    moved: dict[str, Element] = {}
    for element_id, i in lane_of.items():
        was, now = _boxed(board.elements[element_id]), _boxed(drawn.elements[element_id])
        lower = _lower(now, was.y + shifts[i])
        if lower is not now:
            moved[element_id] = lower
    return dataclasses.replace(drawn, elements={**drawn.elements, **moved}) if moved else drawn


def _belongs_to(box: Inventory | Note | Experiment, steps: list[Step]) -> Step | None:
    """The step a box goes with: a queue's is the nearest to its right on its row (the
    step it stands before), anything else's the step nearest it, centre to centre."""
    middle = box.y + box.h / 2
    if isinstance(box, Inventory):
        on_row = [s for s in steps if s.x >= box.x and s.y <= middle <= s.y + s.h]
        if on_row:
            return min(on_row, key=lambda s: s.x)
    centre = (box.x + box.w / 2, middle)
    return min(
        steps,
        key=lambda s: math.dist(centre, (s.x + s.w / 2, s.y + s.h / 2)),
        default=None,
    )


def _boxed(el: Element) -> Boxed:
    assert isinstance(el, Step | Inventory | Note | Experiment)
    return el


def _lower(el: Boxed, y: float) -> Boxed:
    """`el` no higher than `y` (as drawn: where a push left it, if that is lower)."""
    return el if el.y >= y else evolve(el, {"y": y})


def _grown(el: Boxed, calendar: Calendar) -> Boxed:
    if isinstance(el, Note):
        h = note_height(el)
    elif isinstance(el, Experiment):
        h = experiment_height(el, calendar)
    else:
        return el
    return el if h <= el.h else evolve(el, {"h": h})


def reach(el: Boxed, board: Board | None = None) -> float:
    """How far below its top an element's drawing reaches: a step's data box with the lines
    `board`'s event log adds under its figures ("measured 3.5d, n=42") and its chips, a queue's
    label. The canvas's rule (frontend/js/model/boxes.js footprintOf): arrows, the ladder and
    the page cuts keep clear of all of it."""
    if isinstance(el, Step):
        lines = 0 if board is None else measured_lines(el, board.measured, board.calendar)
        return footprint(el, lines)
    if isinstance(el, Inventory):
        return inventory_reach(el)
    return el.h
