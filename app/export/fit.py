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
from collections.abc import Iterable, Mapping

from app.domain.elements import Board, Calendar, Experiment, Inventory, Note, Step, evolve
from app.domain.lanes import lane_bands, owners_of
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
    if all(grown[e.id] is e for e in boxes):
        return board
    lanes = _lane_of(board, boxes) if board.swimlanes else None
    moved = _make_room(boxes, grown, lanes)
    drawn = dataclasses.replace(board, elements={**board.elements, **moved})
    return _lanes_apart(drawn) if lanes is not None else drawn


def _lane_of(board: Board, boxes: Iterable[Boxed]) -> dict[str, str]:
    """Each box's lane: a step's by its owner, another box's the band it stands in (none
    outside every band). A grown box pushes down only what is in its own lane: the lanes
    below move as a whole (`_lanes_apart`)."""
    bands = lane_bands(board)
    owners = owners_of(board)
    out: dict[str, str] = {}
    for e in boxes:
        if isinstance(e, Step):
            out[e.id] = owners.get(e.id, "")
        else:
            inside = next((b.id for b in bands if b.y <= e.y < b.bottom), None)
            if inside is not None:
                out[e.id] = inside
    return out


def _lanes_apart(board: Board) -> Board:
    """`board` with each lane below one its steps grew into moved down, and what is under it.

    A step moves with its lane; any other box with the lane whose top it is below. Lanes
    not stacked in their order (moved by hand) are left as they are.
    """
    bands = lane_bands(board)
    if any(b.y >= c.y for b, c in zip(bands, bands[1:], strict=False)):
        return board
    tops: list[tuple[float, float]] = []  # each lane's top as drawn, and how far it moves
    shift, bottom = 0.0, float("-inf")
    for band in bands:
        shift += max(0.0, bottom + LANE_GAP - (band.y + shift))
        tops.append((band.y, shift))
        bottom = band.bottom + shift
    if not any(moved for _, moved in tops):
        return board
    lane_shift = {b.id: moved for b, (_, moved) in zip(bands, tops, strict=True)}
    owners = owners_of(board)
    moved: dict[str, Boxed] = {}
    for e in board.elements.values():
        if isinstance(e, Step):
            down = lane_shift.get(owners.get(e.id, ""), 0.0)
        elif isinstance(e, Inventory | Note | Experiment):
            down = max((m for top, m in tops if e.y >= top), default=0.0)
        else:
            continue
        if down:
            moved[e.id] = evolve(e, {"y": e.y + down})
    return dataclasses.replace(board, elements={**board.elements, **moved})


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


def _make_room(
    boxes: Iterable[Boxed], grown: Mapping[str, Boxed], lanes: Mapping[str, str] | None = None
) -> dict[str, Boxed]:
    """The grown boxes, and every box moved down as far as the ones above it pushed it
    (with `lanes`, only the ones of its own lane, or outside every lane)."""
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
            (
                _push(above, el, shift[above.id], grown[above.id])
                for _, above in pushers
                if lanes is None or lanes.get(above.id) == lanes.get(el.id)
            ),
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
