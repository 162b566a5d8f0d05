"""Boards with teams and step owners for the lane tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from app.domain.elements import Board, Element, Step, Team

TEAMS: list[dict[str, str]] = [
    {"id": "t-dev", "name": "Development", "color": "blue"},
    {"id": "t-qa", "name": "QA", "color": "green"},
    {"id": "t-ops", "name": "Operations", "color": "purple"},
]


def owned_board(
    elements: Iterable[Element],
    owners: Mapping[str, str | None],
    teams: Iterable[Mapping[str, str]],
    swimlanes: bool = False,
    board_id: str = "b",
    **frame: str,
) -> Board:
    """A board of `elements`, each step owned as `owners` says, with `teams` in order."""
    placed = {
        e.id: dataclasses.replace(e, owner=owners.get(e.id)) if isinstance(e, Step) else e
        for e in elements
    }
    return Board(
        id=board_id,
        elements=placed,
        teams=tuple(Team(**t) for t in teams),
        swimlanes=swimlanes,
        **frame,  # type: ignore[arg-type]
    )
