"""Handoffs: where work passes from one team to another, and what waits there.

A flow arrow between two steps with different owners is a handoff. On the
path the metrics read, each handoff is counted, and the wait in front of the
step that receives the work is waiting at a handoff; its share of the lead
time says how much of the flow is work sitting between teams. Every such arrow
on the map, on the path or not, is listed in `edges` for the canvas to mark.
A step with no owner (or one naming no team of the map) hands nothing off: a
handoff needs a team at both ends. A rework arrow is never a handoff: it sends
work back, it is not the flow.

Per team (in the board's order, only teams that own steps): its steps, path
steps first, then the rest left to right; and, over its steps on the path, the
process time, the wait in front of them, and the rolled %C/A.

    >>> from app.domain.elements import Board, Step, Team
    >>> from app.domain.metrics import compute_metrics
    >>> a = Step(id="a", x=0, wait_minutes=60, process_minutes=60, owner="dev")
    >>> b = Step(id="b", x=200, wait_minutes=480, process_minutes=60, owner="qa")
    >>> teams = (Team("dev", "Development"), Team("qa", "QA"))
    >>> m = compute_metrics(Board(id="x", teams=teams, elements={"a": a, "b": b}))
    >>> m.handoffs.count, m.handoffs.wait_minutes, m.handoffs.edges
    (1, 480.0, (('a', 'b'),))
    >>> [(t.name, t.steps) for t in m.teams]
    [('Development', ('a',)), ('QA', ('b',))]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.domain.constraint import PathStep
from app.domain.durations import format_duration
from app.domain.elements import Board, Calendar
from app.domain.flow_path import BoardParts, FlowOrder
from app.domain.wording import whole_percent

# How a share reads when there is no lead time to divide by.
NOT_KNOWN = "—"


@dataclass(frozen=True, slots=True)
class Handoffs:
    """Handoffs on the path (`count`), the wait at them, its share of the lead time (None
    without one), and every handoff arrow on the map as (source, target) step ids."""

    count: int
    wait_minutes: float
    share: float | None
    edges: tuple[tuple[str, str], ...]


class TeamFigures(NamedTuple):
    """One team's steps (path first, in flow order) and its figures over its path steps."""

    id: str
    name: str
    color: str
    steps: tuple[str, ...]
    process_minutes: float
    wait_minutes: float
    rolled_pca: float


NO_HANDOFFS = Handoffs(0, 0.0, None, ())


def step_owners(board: Board, parts: BoardParts) -> list[str | None] | None:
    """Each step's team by index into `parts.steps` (None: no team); None when no step has
    one, which is most maps: they then cost the metrics nothing more."""
    if not board.teams:
        return None
    known = {t.id for t in board.teams}
    owners = [s.owner if s.owner in known else None for s in parts.steps]
    return owners if any(owners) else None


def find_handoffs(
    board: Board,
    parts: BoardParts,
    order: FlowOrder,
    rows: Sequence[PathStep],
    lead_time: float,
) -> tuple[Handoffs, tuple[TeamFigures, ...]]:
    """The handoffs and the per-team figures; `rows` are the metrics' path rows."""
    owners = step_owners(board, parts)
    if owners is None:
        return NO_HANDOFFS, ()
    path = order.path
    count, waits = 0, []
    for k in range(1, len(path)):
        before, after = owners[path[k - 1]], owners[path[k]]
        if before and after and before != after:
            count += 1
            waits.append(rows[k].wait_minutes or 0.0)
    wait = math.fsum(waits)
    found = Handoffs(
        count,
        wait,
        wait / lead_time if lead_time > 0 else None,
        _edges(parts, order, owners),
    )
    return found, _teams(board, parts, order, rows, owners)


def _edges(
    parts: BoardParts, order: FlowOrder, owners: list[str | None]
) -> tuple[tuple[str, str], ...]:
    """Every flow arrow between steps of two teams (looking through inventory, as the
    path does); a map read left to right has no arrows, so its path's steps are the flow."""
    steps = parts.steps
    pairs: Iterable[tuple[int, int]]
    if order.ordered_by == "position":
        pairs = zip(order.path, order.path[1:], strict=False)
    else:
        pairs = ((source, t) for source, targets in enumerate(order.flow) for t in targets)
    return tuple(
        (steps[a].id, steps[b].id)
        for a, b in pairs
        if owners[a] and owners[b] and owners[a] != owners[b]
    )


def _teams(
    board: Board,
    parts: BoardParts,
    order: FlowOrder,
    rows: Sequence[PathStep],
    owners: list[str | None],
) -> tuple[TeamFigures, ...]:
    on_path: dict[str, list[PathStep]] = {}
    listed: dict[str, list[str]] = {}
    for i, row in zip(order.path, rows, strict=True):
        owner = owners[i]
        if owner:
            on_path.setdefault(owner, []).append(row)
            listed.setdefault(owner, []).append(row.id)
    path = set(order.path)
    for i, owner in enumerate(owners):  # off the path: left to right
        if owner and i not in path:
            listed.setdefault(owner, []).append(parts.steps[i].id)
    out: list[TeamFigures] = []
    for team in board.teams:
        if team.id not in listed:
            continue
        mine = on_path.get(team.id, [])
        rolled = math.prod([r.pca / 100.0 for r in mine if r.pca is not None])
        out.append(
            TeamFigures(
                team.id,
                team.name,
                team.color,
                tuple(listed[team.id]),
                math.fsum([r.process_minutes or 0.0 for r in mine]),
                math.fsum([r.wait_minutes or 0.0 for r in mine]),
                rolled * 100.0,
            )
        )
    return tuple(out)


def said_delta(delta: int) -> str:
    """How many handoffs a redesign removes or adds, as the Flow panel says it (handoffs.js).

    >>> said_delta(-2), said_delta(1), said_delta(0)
    ('2 handoffs fewer', '1 handoff more', 'as many handoffs')
    """
    if not delta:
        return "as many handoffs"
    plural = "" if abs(delta) == 1 else "s"
    return f"{abs(delta)} handoff{plural} {'fewer' if delta < 0 else 'more'}"


def handoffs_json(found: Handoffs, calendar: Calendar) -> dict[str, Any]:
    """The metrics' `handoffs`, with the wait and its share as the Flow panel says them.

    >>> handoffs_json(NO_HANDOFFS, Calendar())["display"]
    {'wait': '0m', 'share': '—'}
    """
    if found is NO_HANDOFFS:  # most maps: no owners, and the same answer every edit
        return _none_json()
    share = found.share
    return {
        "count": found.count,
        "wait_minutes": round(found.wait_minutes, 3),
        "share": None if share is None else round(share, 4),
        "edges": [list(edge) for edge in found.edges],
        "display": {
            "wait": format_duration(found.wait_minutes, calendar),
            "share": NOT_KNOWN if share is None else whole_percent(share),
        },
    }


def _none_json() -> dict[str, Any]:
    return {"count": 0, "wait_minutes": 0.0, "share": None, "edges": [],
            "display": {"wait": "0m", "share": NOT_KNOWN}}  # fmt: skip


def teams_json(teams: Sequence[TeamFigures]) -> list[dict[str, Any]]:
    """The metrics' `teams`: one row per team that owns steps."""
    return [
        {
            "id": t.id,
            "name": t.name,
            "color": t.color,
            "steps": list(t.steps),
            "process_minutes": round(t.process_minutes, 3),
            "wait_minutes": round(t.wait_minutes, 3),
            "rolled_pca": round(t.rolled_pca, 2),
        }
        for t in teams
    ]
