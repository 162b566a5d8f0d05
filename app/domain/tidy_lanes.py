"""Tidy in swimlanes: each step on its owner's lane, the flow still left to right.

When a map's steps have owners, `tidy` (tidy.py) keeps its columns (flow
order, parallel branches in their column) and asks this module for the rows:
one lane per team top to bottom in the board's order, the steps nobody owns in
an Unassigned lane last (app/domain/lanes.py draws the bands around them). Two
steps of one lane in the same column stack inside the lane, connected steps
above loose ones, else in the order they stood top to bottom; and each lane is
tall enough that its band clears the next. A lane is as tall as its steps are
drawn (lanes.footprint): the box as the board has it, a long name cut short with
"…" on the canvas and in the exports alike, then the data box with the lines an
event log's medians add and the waste chips; no room is kept for a name.

Which route is the path does not decide a step's row here: when two routes
tie, reading order picks the path, and lanes change reading order, so a row
chosen by the path could move again on the next tidy.

    >>> from app.domain.elements import Board, Step
    >>> lane_offsets([Step(id="a"), Step(id="b")], {0: 0, 1: 1}, frozenset(),
    ...              ["t-dev", "t-qa"], {"a": "t-qa", "b": "t-dev"}, 264.0)
    {1: 0.0, 0: 264.0}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from app.domain.elements import Step
from app.domain.lanes import LANE_PAD, footprint

# Between one lane's band and the next, so two lanes never touch.
LANE_GAP = 16.0


def lane_offsets(
    steps: Sequence[Step],
    columns: Mapping[int, int],
    loose: frozenset[int],
    order: Sequence[str],
    owners: Mapping[str, str],
    row_pitch: float,
    reach: Callable[[Step], float] = footprint,
) -> dict[int, float]:
    """How far below the top lane's first row each step goes, per step index.

    `columns` is tidy's column per step index, `loose` the steps no flow arrow joins;
    `order` the lanes top to bottom (team ids, "" for Unassigned: lanes.lane_order);
    `owners` step id -> team id; `reach` how far below its top a step is drawn (the
    board's lanes.board_footprint, with its measured lines).
    """
    lane_of = {i: order.index(owners.get(steps[i].id, "")) for i in columns}
    offsets: dict[int, float] = {}
    top = 0.0
    for lane in range(len(order)):
        members = sorted(
            (i for i in columns if lane_of[i] == lane),
            key=lambda i: (i in loose, steps[i].y, steps[i].x, i),
        )
        if not members:
            continue
        tallest = max(reach(steps[i]) for i in members)
        pitch = max(row_pitch, tallest + 2 * LANE_PAD + LANE_GAP)
        taken: dict[int, int] = {}
        for i in members:
            column = columns[i]
            row = taken.get(column, 0)
            taken[column] = row + 1
            offsets[i] = top + row * pitch
        top += max(taken.values()) * pitch
    return offsets
