"""Could these operations change the metrics? If not, the room need not recompute them.

Most of a workshop's traffic is moves, renames of notes, colours, comments and
dots. Recomputing the metrics after each such batch costs more than the commit
and the broadcast together on a big board, and gives the same answer. This
says, from the entries alone and the board before them, when the answer cannot
have changed; when in doubt it says yes.

    >>> from app.domain.elements import Board, Step
    >>> b = Board(id="b", elements={"s": Step(id="s")})
    >>> may_change_metrics(b, [{"op": "update", "id": "s", "set": {"color": "blue"}}], "position")
    False
    >>> may_change_metrics(b, [{"op": "update", "id": "s", "set": {"x": 40}}], "position")
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.elements import Board, Inventory, Step
from app.domain.flow_path import READING_KEY, count_predecessors, split_board, step_edges

# Kinds the metrics never read.
_INERT_KINDS = frozenset({"note", "comment", "vote", "dot", "experiment"})
# Fields that never reach a metric, per kind (position is handled apart: it matters
# only while the map is read left to right).
_INERT_FIELDS: Mapping[str, frozenset[str]] = {
    "step": frozenset({"color", "people", "waste", "provenance"}),
    # An inventory's text is not inert: one without a count is named in `missing` by it.
    "inventory": frozenset({"color", "provenance"}),
    "connector": frozenset({"color", "text", "provenance"}),
}
_POSITION = frozenset({"x", "y", "w", "h"})
# Board fields the metrics read: the calendar, the demand (takt time, implied waits), and
# the measured flow with the choice of figures (the metrics carry both, and may use them),
# and the teams (handoffs and the per-team figures name them).
_CALENDAR = frozenset(
    {"hours_per_day", "days_per_week", "demand_per_day", "measured", "figures_from", "teams"}
)


def may_change_metrics(
    before: Board, entries: Iterable[Mapping[str, Any]], ordered_by: str
) -> bool:
    """True unless every entry provably leaves the metrics as they were.

    `ordered_by` is the metrics' own "connectors" or "position" before the batch: with
    flow arrows, where a note stands does not matter, unless the batch adds or removes
    an arrow (which can switch the reading back to left to right), or an inventory
    stands loose among the steps (it counts for the step it stands before); nor where a
    step stands, unless the batch reorders the steps left to right (the path breaks
    ties between branches and cuts loops in that order).
    """
    # With flow arrows, where a note stands does not matter, unless an inventory stands
    # loose (no arrow touches it): it is the queue before the step it stands before.
    by_arrows = ordered_by == "connectors"
    position_matters: bool | None = None if by_arrows else True  # worked out when needed
    # With arrows, where steps stand still decides ties and where loops are cut (the
    # path reads them in reading order): moves are looked at together, after the batch.
    moved: dict[str, tuple[float, float]] = {}
    for entry in entries:
        op = entry["op"]
        if op == "board":
            if _CALENDAR & entry["set"].keys():
                return True
            continue
        if op == "create":
            if entry["element"]["kind"] not in _INERT_KINDS:
                return True
            continue
        if op == "delete":
            for gone in entry.get("removed", [entry["id"]]):
                element = before.elements.get(gone)
                if element is None or element.kind not in _INERT_KINDS:
                    return True
            continue
        element = before.elements.get(entry["id"])
        if element is None:
            return True  # created earlier in this batch: its kind decided already
        if element.kind in _INERT_KINDS:
            continue
        fields = set(entry["set"]) - _INERT_FIELDS.get(element.kind, frozenset())
        if fields & _POSITION and element.kind in ("step", "inventory"):
            if position_matters is None:
                position_matters = _has_loose_inventory(before)
            if not position_matters:
                fields -= _POSITION
                _note_move(moved, element, entry["set"])
        elif by_arrows:
            fields -= _POSITION
        if fields:
            return True
    return bool(moved) and _reading_order_changes(before, moved)


def _note_move(
    moved: dict[str, tuple[float, float]], element: Any, changes: Mapping[str, Any]
) -> None:
    """Where a step, or an inventory without a count, stands after `changes`: the path
    reads steps in reading order, and `missing` names uncounted inventory in it."""
    if element.kind == "step" or (element.kind == "inventory" and element.count is None):
        x, y = moved.get(element.id, (element.x, element.y))
        moved[element.id] = (changes.get("x", x), changes.get("y", y))


def _reading_order_changes(before: Board, moved: Mapping[str, tuple[float, float]]) -> bool:
    """Whether the moves reorder the steps, or the uncounted inventory, left to right
    (flow_path.READING_KEY): the path breaks ties and cuts loops in that order. A move
    that keeps every rank leaves every index, and so every figure, as it was."""
    steps = [e for e in before.elements.values() if isinstance(e, Step)]
    if any(e.id in moved for e in steps) and _steps_on_one_line(before):
        steps = []  # the path is the line whichever way its steps stand
    queues = [e for e in before.elements.values() if isinstance(e, Inventory) and e.count is None]
    for group in (steps, queues):
        if not any(e.id in moved for e in group):
            continue
        now = sorted(group, key=lambda e: (*moved.get(e.id, (e.x, e.y)), e.id))
        if now != sorted(group, key=READING_KEY):
            return True
    return False


def _steps_on_one_line(board: Board) -> bool:
    """Every step on one line of flow arrows, end to end, and no rework arrow: then the
    path is that line, in its order, whatever order the steps stand in (no branch to
    choose, no loop to cut, none off the path to list)."""
    parts = split_board(board)
    if parts.reworks or not parts.steps:
        return False
    succ, _, _ = step_edges(parts)
    preds = count_predecessors(succ)
    if any(len(targets) > 1 for targets in succ) or any(n > 1 for n in preds):
        return False
    starts = [i for i, n in enumerate(preds) if n == 0]
    if len(starts) != 1:  # two lines, or a ring
        return False
    node, seen = starts[0], 1
    while succ[node]:
        node, seen = succ[node][0], seen + 1
    return seen == len(succ)  # not a line and a ring beside it


def _has_loose_inventory(board: Board) -> bool:
    """Is there inventory no flow arrow touches? (metrics place it by where it stands)"""
    inventories = {e.id for e in board.elements.values() if e.kind == "inventory"}
    if not inventories:
        return False
    for e in board.elements.values():
        if e.kind == "connector" and getattr(e, "connector", "") == "flow":
            inventories.discard(getattr(e, "source", ""))
            inventories.discard(getattr(e, "target", ""))
    return bool(inventories)
