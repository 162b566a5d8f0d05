"""Create a board that starts with elements: the demo, a future-state copy, an import.

The elements go through the domain's own validation (as `create` operations, so
nothing a client could not have made gets in) and are stored as the board's
first operations, by "flowmap" rather than by a person.

    board_id, tokens = seed_board(engine, {"title": "Demo"}, demo_board().elements.values())
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Engine

from app.domain import fields
from app.domain.echo import excerpt
from app.domain.elements import Board, Calendar, Element, Team
from app.domain.operations import Create, Rejection, apply_many
from app.domain.serialize import element_to_json
from app.hub.ports import StoredOp
from app.store.repository import create_board

# Fields the server stamps; a create never carries them.
_STAMPED = ("provenance",)
# What hangs off other elements goes after them: arrows after their ends, and so on.
_ORDER = {"connector": 1, "comment": 2, "estimate": 2, "vote": 1, "dot": 3}


class SeedRejected(ValueError):
    """An element the domain refused; the message names it and says why."""


def seed_board(
    engine: Engine, frame: Mapping[str, Any], elements: Iterable[Element], author: str = "flowmap"
) -> tuple[str, dict[str, str]]:
    """Create the board with `frame` and these elements; its id and raw link tokens."""
    ordered = sorted(elements, key=lambda e: _ORDER.get(e.kind, 0))
    creates = [
        Create({k: v for k, v in element_to_json(e).items() if k not in _STAMPED}) for e in ordered
    ]
    # Checked on the new board's own calendar: a step typed "1w" is 1,800 minutes on
    # 7.5-hour, 4-day weeks, and the domain refuses typed text that says other minutes.
    default = Calendar()
    calendar = Calendar(
        hours_per_day=frame.get("hours_per_day", default.hours_per_day),
        days_per_week=frame.get("days_per_week", default.days_per_week),
    )
    # Steps may name the frame's teams as their owners: the teams are there from the start.
    teams = cast(tuple[Team, ...], fields.teams(frame.get("teams", [])))
    seed = Board(id="seed", calendar=calendar, teams=teams)
    _, outcomes = apply_many(seed, creates)
    for element, outcome in zip(ordered, outcomes, strict=True):
        if isinstance(outcome, Rejection):
            raise SeedRejected(f"{element.kind} {excerpt(element.id)}: {outcome.reason}")
    entries: list[dict[str, Any]] = [o for o in outcomes if not isinstance(o, Rejection)]
    stored = [
        StoredOp(seq, None, author, {"seq": seq, "cid": None, "by": "api", "name": author, **e})
        for seq, e in enumerate(entries, start=1)
    ]
    return create_board(engine, dict(frame), stored)
