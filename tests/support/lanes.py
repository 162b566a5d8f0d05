"""Boards with teams and step owners for the lane tests.

The fields (`Board.teams`, `Step.owner`, `Board.swimlanes`) come from the data
work of issue 21; until a branch has them, stand-in subclasses carry them, so
the lane code (which reads them with getattr) is tested the same either way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.elements import Board, Element, Step

TEAMS: list[dict[str, str]] = [
    {"id": "t-dev", "name": "Development", "color": "blue"},
    {"id": "t-qa", "name": "QA", "color": "green"},
    {"id": "t-ops", "name": "Operations", "color": "purple"},
]


def _has(cls: type, name: str) -> bool:
    return any(f.name == name for f in dataclasses.fields(cls))


@dataclasses.dataclass(frozen=True, slots=True)
class _OwnedStep(Step):
    owner: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class _LanedBoard(Board):
    teams: tuple[Any, ...] = ()
    swimlanes: bool = False


def _team(team: Mapping[str, str]) -> Any:
    """A team as the board holds it: the data work's Team class when there is one."""
    import app.domain.elements as elements

    cls = getattr(elements, "Team", None)
    return cls(**team) if cls is not None else dict(team)


def owned_step(step: Step, owner: str | None) -> Step:
    if _has(Step, "owner"):
        return dataclasses.replace(step, owner=owner)  # type: ignore[call-arg]
    return _OwnedStep(**{f.name: getattr(step, f.name) for f in dataclasses.fields(Step)},
                      owner=owner)  # fmt: skip


def owned_board(
    elements: Iterable[Element],
    owners: Mapping[str, str | None],
    teams: Iterable[Mapping[str, str]],
    swimlanes: bool = False,
    board_id: str = "b",
) -> Board:
    """A board of `elements`, each step owned as `owners` says, with `teams` in order."""
    placed = {e.id: owned_step(e, owners.get(e.id)) if isinstance(e, Step) else e for e in elements}
    fields: dict[str, Any] = {"teams": tuple(_team(t) for t in teams), "swimlanes": swimlanes}
    if _has(Board, "teams"):
        return Board(id=board_id, elements=placed, **fields)
    return _LanedBoard(id=board_id, elements=placed, **fields)
