"""Tidy a map after the workshop: the layout a facilitator would draw by hand.

During a workshop a dozen people drop stickies wherever there is room. `tidy`
turns that into a map to put on a wall: the steps of the path in flow order on
one row, parallel branches on rows beneath it, steps nobody connected on a row
of their own below (when steps have owners: each step on its owner's swimlane
instead, in the same column, tidy_lanes.py), inventory triangles in the gap
before the step they feed, kaizen bursts beside the step they mark (the one
within MARK_REACH), the other notes (hypotheses, bursts, comments) gathered in
rows under the map, and empty notes removed. Arrows follow their ends, and the data boxes and the
lead-time ladder follow the steps, so they line up by themselves.

It returns operations, not a board: the facilitator previews them, and applying
them is one batch everyone sees and one change to undo.

    >>> from app.domain.elements import Board, Connector, Step
    >>> b = Board(id="b", elements={
    ...     "a": Step(id="a", x=500, y=300), "b": Step(id="b", x=0, y=0),
    ...     "ab": Connector(id="ab", source="a", target="b")})
    >>> [(op.id, op.set["x"], op.set["y"]) for op in tidy(b).ops]
    [('b', 812.0, 300.0)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.elements import Board, Connector, Element, Experiment, Inventory, Note, Step
from app.domain.flow_path import flow_graph, split_board
from app.domain.lanes import board_footprint, lane_order, owners_of
from app.domain.metrics import compute_metrics
from app.domain.operations import Delete, Operation, Update
from app.domain.text_fit import card_height, note_height
from app.domain.tidy_lanes import lane_offsets

# One column per step: a step's width plus a gap wide enough for an inventory
# triangle and its label (as the demo board and a paper map have it).
COLUMN_PITCH = 312.0
# One row per branch: the step, its data box and room before the next row.
ROW_PITCH = 264.0
# The ladder runs under the lowest step (frontend/js/model/ladder.js BELOW_STEPS + rungs);
# the notes start below it, clear of its labels.
NOTES_BELOW_STEPS = 300.0
# Where the ladder's upper rung runs (app/export/routes.py ladder_top, the canvas's
# model/ladder.js): this far under the lowest step, or under the lowest data box (further
# when a rework loop runs beneath them). Its rungs, the units footnote under them (or
# under the totals, beside a short ladder) reach LADDER_DEPTH further down.
LADDER_BELOW_STEPS, LADDER_DATA_CLEARANCE, LADDER_REWORK_BAND = 132.0, 28.0, 74.0
LADDER_DEPTH = 150.0
NOTE_GAP = 24.0
NOTES_PER_ROW = 6
# An inventory triangle sits just under the arrow through its gap.
ARROW_CLEARANCE = 10.0
# A kaizen burst this close to a step (edge to edge) marks that step, as on a paper
# map: it moves with the step and keeps its place beside it, instead of joining the
# notes under the map. Half the gap between two tidy columns, so it is never ambiguous.
MARK_REACH = (COLUMN_PITCH - 168.0) / 2


@dataclass(frozen=True, slots=True)
class TidyPlan:
    """What tidying would do: the operations, and how many moves and removals they are."""

    ops: tuple[Operation, ...]
    moved: int
    removed: int


def tidy(board: Board) -> TidyPlan:
    parts = split_board(board)
    steps = parts.steps
    if not steps:
        return _plan(board, {}, _empty_notes(board))
    graph = flow_graph(parts)
    path = [parts.step_index[sid] for sid in compute_metrics(board).path]
    place = _place_steps(steps, graph.succ, graph.connected, path)
    rows = _row_offsets(board, steps, place, graph.connected)
    # The map stays where it is: its first step keeps its place, the rest line up with it.
    first = path[0] if path else min(range(len(steps)), key=_by_x(steps))
    origin_x = steps[first].x - place[first][0] * COLUMN_PITCH
    origin_y = steps[first].y - rows[first]
    at: dict[str, tuple[float, float]] = {
        steps[i].id: (origin_x + col * COLUMN_PITCH, origin_y + rows[i])
        for i, (col, _) in place.items()
    }
    _place_inventory(board, parts.inventories, graph.inventory_into, steps, at)
    empty = _empty_notes(board)
    marked = _place_bursts(board, empty, at, steps)
    _place_notes(board, [*empty, *marked], at, steps, min(x for x, _ in at.values()))
    return _plan(board, at, empty)


def _place_steps(
    steps: list[Step], succ: list[list[int]], connected: frozenset[int], path: list[int]
) -> dict[int, tuple[int, int]]:
    """(column, row) per step index: columns by flow depth, the path on row 0."""
    if not connected:  # no flow arrows: the map reads left to right
        return {i: (col, 0) for col, i in enumerate(sorted(range(len(steps)), key=_by_x(steps)))}
    column = _depths(succ, connected)
    on_path = set(path)
    # Lay the path out evenly even when a branch made one of its steps deeper.
    for n, i in enumerate(path):
        column[i] = max(column[i], column[path[n - 1]] + 1) if n else column[i]
    place = {i: (column[i], 0) for i in path}
    taken: dict[int, int] = {}
    for i in sorted(connected - on_path, key=lambda i: (column[i], steps[i].y, steps[i].x)):
        taken[column[i]] = taken.get(column[i], 0) + 1
        place[i] = (column[i], taken[column[i]])
    last_row = max((row for _, row in place.values()), default=0)
    loose = sorted((i for i in range(len(steps)) if i not in place), key=_by_x(steps))
    start = min((col for col, _ in place.values()), default=0)
    for n, i in enumerate(loose):
        place[i] = (start + n, last_row + 1)
    return place


def _row_offsets(
    board: Board, steps: list[Step], place: Mapping[int, tuple[int, int]], joined: frozenset[int]
) -> dict[int, float]:
    """How far below row 0 each step goes: its row, or its owner's lane when the map has owners."""
    order = lane_order(board)
    if not order:
        return {i: row * ROW_PITCH for i, (_, row) in place.items()}
    columns = {i: col for i, (col, _) in place.items()}
    loose = frozenset(columns).difference(joined) if joined else frozenset()
    return lane_offsets(
        steps, columns, loose, order, owners_of(board), ROW_PITCH,
        lambda step: board_footprint(board, step),
    )  # fmt: skip


def _depths(succ: list[list[int]], nodes: frozenset[int]) -> dict[int, int]:
    """Longest number of flow hops from a source, per step (the graph has no loops)."""
    indegree = {n: 0 for n in nodes}
    for n in nodes:
        for t in succ[n]:
            indegree[t] += 1
    depth = dict.fromkeys(nodes, 0)
    ready = sorted(n for n, d in indegree.items() if d == 0)
    while ready:
        n = ready.pop()
        for t in succ[n]:
            depth[t] = max(depth[t], depth[n] + 1)
            indegree[t] -= 1
            if not indegree[t]:
                ready.append(t)
    return depth


def _by_x(steps: list[Step]) -> Callable[[int], tuple[float, float, int]]:
    return lambda i: (steps[i].x, steps[i].y, i)


def _place_inventory(
    board: Board,
    inventories: Mapping[str, Inventory],
    into: Mapping[str, int],
    steps: list[Step],
    at: dict[str, tuple[float, float]],
) -> None:
    """Each triangle in the gap before the step it feeds (by arrow, else by where it stood)."""
    centres = sorted((s.x + s.w / 2, i) for i, s in enumerate(steps))
    for inv in inventories.values():
        target = into.get(inv.id)
        if target is None:
            after = [i for c, i in centres if c >= inv.x + inv.w / 2]
            if not after:
                continue
            target = after[0]
        step = steps[target]
        x, y = at.get(step.id, (step.x, step.y))
        gap = COLUMN_PITCH - step.w
        at[inv.id] = (x - gap / 2 - inv.w / 2, y + step.h / 2 + ARROW_CLEARANCE)


def _gap(a: Note, b: Step) -> float:
    """The distance between two boxes' edges (0 when they touch or overlap)."""
    dx = max(b.x - (a.x + a.w), a.x - (b.x + b.w), 0.0)
    dy = max(b.y - (a.y + a.h), a.y - (b.y + b.h), 0.0)
    return math.hypot(dx, dy)


def _place_bursts(
    board: Board, empty: list[str], at: dict[str, tuple[float, float]], steps: list[Step]
) -> list[str]:
    """Each kaizen burst beside the step it marks, where it was relative to it; their ids."""
    marked = []
    for note in board.elements.values():
        if not isinstance(note, Note) or note.variant != "kaizen" or note.id in empty:
            continue
        step = min(steps, key=lambda s: (_gap(note, s), s.id))
        if _gap(note, step) > MARK_REACH:
            continue
        sx, sy = at.get(step.id, (step.x, step.y))
        at[note.id] = (note.x + sx - step.x, note.y + sy - step.y)
        marked.append(note.id)
    return marked


def _empty_notes(board: Board) -> list[str]:
    return [e.id for e in board.elements.values() if isinstance(e, Note) and not e.text.strip()]


def _below_the_ladder(
    board: Board, at: Mapping[str, tuple[float, float]], steps: list[Step]
) -> float:
    """Where the notes under the map start: clear of the ladder and its footnote, as the
    canvas and the exports draw them (each step's box as the board has it, its data box
    longer by the measured lines and the waste tags: ladder.js ladderTop)."""
    ys = {s.id: at.get(s.id, (s.x, s.y))[1] for s in steps}
    bottom = max(ys[s.id] + s.h for s in steps)
    foot = max(ys[s.id] + board_footprint(board, s) for s in steps)
    rework = any(isinstance(c, Connector) and c.connector == "rework" for c in board.connectors())
    ladder = max(
        bottom + LADDER_BELOW_STEPS,
        foot + (LADDER_REWORK_BAND if rework else LADDER_DATA_CLEARANCE),
    )
    return max(bottom + NOTES_BELOW_STEPS, ladder + LADDER_DEPTH + NOTE_GAP)


def _place_notes(
    board: Board, placed: list[str], at: dict[str, tuple[float, float]], steps: list[Step],
    left: float,
) -> None:  # fmt: skip
    """The notes not `placed` already (empty ones, bursts by their step), in rows under the map."""
    notes: list[Note | Experiment] = [
        e for e in board.elements.values()
        if isinstance(e, Note | Experiment) and e.id not in placed
    ]  # fmt: skip
    if not notes:
        return
    top = _below_the_ladder(board, at, steps)
    # Hypotheses first, then kaizen bursts, experiments, the rest: the order they are read in.
    rank = {"hypothesis": 0, "kaizen": 1, "experiment": 2}
    notes.sort(key=lambda n: (rank.get(getattr(n, "variant", n.kind), 3), n.y, n.x))
    width = max(n.w for n in notes) + NOTE_GAP
    for start in range(0, len(notes), NOTES_PER_ROW):
        row = notes[start : start + NOTES_PER_ROW]
        for col, note in enumerate(row):
            at[note.id] = (left + col * width, top)
        # Each row as tall as its tallest note as drawn: long notes grow to fit their text.
        top += max(_drawn_height(n) for n in row) + NOTE_GAP


def _drawn_height(note: Note | Experiment) -> float:
    """A note's or a card's height as drawn: taller than stored when its text needs it."""
    return note_height(note) if isinstance(note, Note) else card_height(note)


def _plan(board: Board, at: Mapping[str, tuple[float, float]], empty: list[str]) -> TidyPlan:
    ops: list[Operation] = []
    for element_id, (x, y) in at.items():
        element: Element = board.elements[element_id]
        nx, ny = float(round(x)), float(round(y))
        if not (math.isclose(nx, getattr(element, "x", 0.0)) and
                math.isclose(ny, getattr(element, "y", 0.0))):  # fmt: skip
            ops.append(Update(element_id, {"x": nx, "y": ny}))
    moved = len(ops)
    ops.extend(Delete(note_id) for note_id in empty)
    return TidyPlan(tuple(ops), moved, len(empty))
