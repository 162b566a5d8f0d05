"""The board made ready to draw: boxes grown to fit their text, and room made under them.

A note, hypothesis, kaizen burst, experiment card or step keeps the width the
board gives it; its stored height is the least it is drawn at. When its text
needs more lines, it grows downward, and whatever sat below it in the same
columns moves down by as much as it needs to keep its gap (at most
`ROOM_GAP`), and so on down the map: nothing is cut, and nothing grown covers
anything that was clear of it. Things people stacked on purpose stay stacked.

With swimlanes, a lane whose steps grew into the next moves that lane, and every
lane and box below it, down until the bands are clear again: the lane tidy keeps
room for long names (domain/tidy_lanes.py), but a board tidied before it did, or a
step renamed since, would otherwise draw two lanes over each other.

Only the picture moves: the board itself, its metrics and its JSON keep their
positions.

    >>> from app.domain.elements import Board, Note
    >>> long = Note(id="n", x=0, y=0, text="word " * 60)
    >>> under = Note(id="u", x=0, y=140)
    >>> drawn = fitted(Board(id="b", elements={"n": long, "u": under})).elements
    >>> drawn["n"].h > 120 and drawn["u"].y >= drawn["n"].h
    True
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from itertools import combinations, pairwise

from app.domain.elements import Board, Calendar, Element, Experiment, Inventory, Note, Step, evolve
from app.domain.lanes import LANE_PAD, lane_bands, owners_of
from app.domain.lanes import footprint as lane_footprint
from app.domain.tidy_lanes import LANE_GAP
from app.export.svg_cards import experiment_height
from app.export.svg_notes import note_height
from app.export.svg_overlays import BADGE_ROOM
from app.export.svg_shapes import inventory_reach
from app.export.svg_steps import footprint, step_height

Boxed = Step | Inventory | Note | Experiment
# What a grown box keeps between itself and what it pushes down (a note's gap on the canvas);
# a step pushed down also keeps the room its constraint badge takes above it.
ROOM_GAP = 16.0
# The most room a pushed box keeps under what pushed it.
MOST_ROOM = ROOM_GAP + BADGE_ROOM


def fitted(board: Board) -> Board:
    """`board` as it is drawn: every box tall enough for its text, the boxes under it moved."""
    boxes = [
        e for e in board.elements.values() if isinstance(e, Step | Inventory | Note | Experiment)
    ]
    grown = {e.id: _grown(e, board.calendar) for e in boxes}
    drawn = board
    if any(grown[e.id] is not e for e in boxes):
        moved = _make_room(boxes, grown)
        drawn = dataclasses.replace(board, elements={**board.elements, **moved})
    return _lanes_apart(board, drawn) if board.swimlanes else drawn


def _lanes_apart(board: Board, drawn: Board) -> Board:
    """`drawn` with each lane below one whose steps grew into it moved down, and what
    stands in it: a box then stands where its lane's move puts it, or lower where a grown
    box above pushed it further already (the moves never add up).

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
        lowest = max((s.y + lane_footprint(s) for s in placed if isinstance(s, Step)), default=None)
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
    if isinstance(el, Step):
        h = step_height(el)
    elif isinstance(el, Note):
        h = note_height(el)
    elif isinstance(el, Experiment):
        h = experiment_height(el, calendar)
    else:
        return el
    return el if h <= el.h else evolve(el, {"h": h})


def reach(el: Boxed) -> float:
    """How far below its top an element's drawing reaches (a step's data box, a queue's label)."""
    if isinstance(el, Step):
        return footprint(el)
    if isinstance(el, Inventory):
        return inventory_reach(el)
    return el.h


def _make_room(boxes: Iterable[Boxed], grown: Mapping[str, Boxed]) -> dict[str, Boxed]:
    """The grown boxes, and every box moved down as far as the ones above it pushed it."""
    order = sorted(boxes, key=lambda e: (e.y, e.x))
    shift: dict[str, float] = {}
    # Only boxes that grew or moved can push, and only what starts above their new bottom
    # and its gap: boxes are visited top down, so a pusher drops out once passed (this
    # keeps a board of thousands of grown notes to milliseconds, not seconds).
    pushers: list[tuple[float, Boxed]] = []
    out: dict[str, Boxed] = {}
    for el in order:
        pushers = [(until, above) for until, above in pushers if until > el.y]
        down = max(
            (_push(above, el, shift[above.id], grown[above.id]) for _, above in pushers),
            default=0.0,
        )
        shift[el.id] = down
        drawn = grown[el.id]
        if down > 0:
            drawn = evolve(drawn, {"y": el.y + down})
        if drawn is not el:
            out[el.id] = drawn
            pushers.append((el.y + down + reach(grown[el.id]) + MOST_ROOM, el))
    return out


def _push(above: Boxed, el: Boxed, moved: float, grown: Boxed) -> float:
    """How far `el` must move down to stay clear of `above` (moved and grown), or 0."""
    if above.x >= el.x + el.w or el.x >= above.x + above.w:
        return 0.0  # side by side: no column in common
    was_bottom = above.y + reach(above)
    if was_bottom > el.y:
        return 0.0  # they overlapped already, as people placed them
    wanted = ROOM_GAP + (BADGE_ROOM if isinstance(el, Step) else 0.0)
    gap = min(el.y - was_bottom, wanted)
    return max(0.0, above.y + moved + reach(grown) + gap - el.y)
