"""Swimlanes: one horizontal band per team, behind the steps that team owns.

The canvas (frontend/js/model/lanes.js, the same numbers), the exports and tidy
share this geometry. A band spans its steps from the topmost box to the lowest
data box under a step (its box as the board has it: a long name is cut short with
"…", never grows it; the figures, the lines an event log's medians add under them,
the waste chips), with LANE_PAD around them, and runs across the whole map:
from a label column at the left (where the lane's name goes) to the rightmost
step. Teams come in the board's order; steps nobody owns share an "Unassigned"
band at the bottom once the map has owners at all. A step dragged out of its
lane keeps its band covering it: bands may overlap, which shows, never hides.

    >>> from app.domain.elements import WASTE_LABELS, Board, Step
    >>> steps = {"a": Step(id="a", x=400, y=0), "b": Step(id="b", x=712, y=300)}
    >>> team = {"id": "t-dev", "name": "Development", "color": "blue"}
    >>> [band.name for band in bands_for(steps.values(), [team], {"a": "t-dev"})]
    ['Development', 'Unassigned']
    >>> band = bands_for(steps.values(), [team], {"a": "t-dev"})[0]
    >>> (band.x, band.y, band.w, band.h)
    (-56.0, -24.0, 960.0, 215.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.data_box import ROW_HEIGHT as ROW_HEIGHT  # the exports size data boxes from here
from app.domain.data_box import measured_lines
from app.domain.elements import WASTE_LABELS, Board, Calendar, Step

# The lane's name sits in a column this wide at the band's left edge.
LANE_LABEL_W = 160.0
# From the label column to the leftmost step: room for the trigger pill the frame puts
# before the flow (EDGE_GAP + EDGE_W in app/export/layout.py and frame-layout.js) and a
# little air, so the name never sits under the trigger or the first queue.
LANE_LEAD = 296.0
# Around a lane's steps above, below and at the right end.
LANE_PAD = 24.0
UNASSIGNED = "Unassigned"
UNASSIGNED_COLOR = "grey"

# The data box under a step (frontend/js/model/data-layout.js): figure rows (ROW_HEIGHT,
# data_box.py), padding, the gap under the step, waste chips (5.6 px a character at
# 10.5 px, 14 px padding).
DATA_PAD_Y, DATA_GAP = 6.0, 8.0
CHIP_HEIGHT, CHIP_GAP, CHIP_CHAR, CHIP_PAD = 16.0, 4.0, 5.6, 14.0


@dataclass(frozen=True, slots=True)
class Band:
    """One lane: the team (id "" for Unassigned), its colour, and the box it covers."""

    id: str
    name: str
    color: str
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


def team_fields(team: Any) -> tuple[str, str, str]:
    """(id, name, color) of a team, whether a mapping or an object with those fields.

    >>> team_fields({"id": "t-qa", "name": "QA", "color": "green"})
    ('t-qa', 'QA', 'green')
    """
    if isinstance(team, Mapping):
        return str(team["id"]), str(team["name"]), str(team.get("color", UNASSIGNED_COLOR))
    return str(team.id), str(team.name), str(getattr(team, "color", UNASSIGNED_COLOR))


def board_teams(board: Board) -> list[tuple[str, str, str]]:
    """The map's teams as (id, name, color), in the board's order."""
    return [(t.id, t.name, t.color) for t in board.teams]


def owners_of(board: Board) -> dict[str, str]:
    """Step id -> the id of the team that owns it, for the steps naming one of the map's teams."""
    known = {tid for tid, _, _ in board_teams(board)}
    return {
        e.id: owner
        for e in board.elements.values()
        if isinstance(e, Step) and (owner := e.owner) in known
    }


def has_owners(board: Board) -> bool:
    return bool(owners_of(board))


def lane_order(board: Board) -> list[str]:
    """The lanes top to bottom: team ids in board order with steps, "" (Unassigned) last.

    Only the lanes `lane_bands` draws: a team without steps has none.
    """
    owners = owners_of(board)
    if not owners:
        return []
    owned = set(owners.values())
    order = [tid for tid, _, _ in board_teams(board) if tid in owned]
    steps = [e for e in board.elements.values() if isinstance(e, Step)]
    if any(s.id not in owners for s in steps):
        order.append("")
    return order


def data_box_height(step: Step, lines: int = 0) -> float:
    """How far the data box (figures, `lines` measured lines under them, then waste chips)
    reaches under its own top (data-layout.js dataBoxHeight).

    >>> data_box_height(Step(id="s")), data_box_height(Step(id="s"), lines=2)
    (63.0, 97.0)
    >>> data_box_height(Step(id="s", people=2, waste=("waiting", "motion")))
    100.0
    """
    box = DATA_PAD_Y * 2 + ((3 if step.people is None else 4) + lines) * ROW_HEIGHT
    x, y, last = 0.0, box + CHIP_GAP, None
    for tag in step.waste:
        w = len(WASTE_LABELS.get(tag, tag)) * CHIP_CHAR + CHIP_PAD
        if x > 0 and x + w > step.w:
            x, y = 0.0, y + CHIP_HEIGHT + CHIP_GAP
        last = y
        x += w + CHIP_GAP
    return box if last is None else last + CHIP_HEIGHT


def footprint(step: Step, lines: int = 0) -> float:
    """How far below its top a step reaches as drawn, on the canvas and in the exports alike:
    its box as the board has it (a long name is cut short, it never grows the box), the gap,
    its data box with `lines` measured lines (data_box.measured_lines) and its chips."""
    return step.h + DATA_GAP + data_box_height(step, lines)


def board_footprint(board: Board, step: Step) -> float:
    """`footprint` with the lines the board's event log adds under the step's figures."""
    return footprint(step, measured_lines(step, board.measured, board.calendar))


def bands_for(
    steps: Iterable[Step],
    teams: Iterable[Any],
    owners: Mapping[str, str],
    measured: Mapping[str, Any] | None = None,
    calendar: Calendar | None = None,
) -> list[Band]:
    """The bands for `steps` owned as `owners` says (step id -> team id), teams in order;
    `measured` the board's measurement summary, whose lines lengthen the data boxes."""
    steps = list(steps)
    named = [team_fields(t) for t in teams]
    known = {tid for tid, _, _ in named}
    owner = {s.id: owners[s.id] if owners.get(s.id) in known else "" for s in steps}
    if not steps or not any(owner.values()):
        return []
    days = calendar or Calendar()
    left = min(s.x for s in steps) - LANE_LEAD - LANE_LABEL_W
    right = max(s.x + s.w for s in steps) + LANE_PAD
    lanes = [*named, ("", UNASSIGNED, UNASSIGNED_COLOR)]
    bands = []
    for tid, name, color in lanes:
        mine = [s for s in steps if owner[s.id] == tid]
        if not mine:
            continue
        top = min(s.y for s in mine) - LANE_PAD
        bottom = max(s.y + footprint(s, measured_lines(s, measured, days)) for s in mine)
        bottom += LANE_PAD
        bands.append(Band(tid, name, color, left, top, right - left, bottom - top))
    return bands


def lane_bands(board: Board) -> list[Band]:
    """The map's swimlanes, top lane first (board order, Unassigned last); [] without owners."""
    steps = [e for e in board.elements.values() if isinstance(e, Step)]
    return bands_for(steps, board.teams, owners_of(board), board.measured, board.calendar)
