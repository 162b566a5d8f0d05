"""Elements and boards to and from plain JSON-able dicts.

These are the shapes the protocol, the HTTP API and the stored snapshots use.
`element_from_json` trusts its input (it comes from our own store); anything
from outside goes through `operations.apply` instead.

    >>> from app.domain.elements import Step
    >>> element_to_json(Step(id="s1", text="Build"))["kind"]
    'step'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from app.domain import provenance
from app.domain.elements import (
    ELEMENT_TYPES,
    FRAME_FIELDS,
    FRAME_NUMBERS,
    SESSION_FIELDS,
    Board,
    Calendar,
    Element,
    Team,
)

_FIELD_NAMES = {kind: tuple(f.name for f in fields(t)) for kind, t in ELEMENT_TYPES.items()}


def element_to_json(element: Element) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": element.kind}
    for name in _FIELD_NAMES[element.kind]:
        value = getattr(element, name)
        if name == "provenance":
            out[name] = provenance.to_json(value)
        else:
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def element_from_json(data: Mapping[str, Any]) -> Element:
    kind = data["kind"]
    cls = ELEMENT_TYPES[kind]
    values = {k: v for k, v in data.items() if k != "kind"}
    if "waste" in values:
        values["waste"] = tuple(values["waste"])
    if "provenance" in values:
        values["provenance"] = provenance.from_json(values["provenance"])
    return cls(**values)


def frame_to_json(board: Board) -> dict[str, Any]:
    """The board's own fields (not its elements)."""
    out: dict[str, Any] = {"id": board.id}
    for name in FRAME_FIELDS:
        out[name] = getattr(board, name)
    out["hours_per_day"] = board.calendar.hours_per_day
    out["days_per_week"] = board.calendar.days_per_week
    out["state"] = board.state
    for name in SESSION_FIELDS:
        out[name] = getattr(board, name)
    out["future_of"] = board.future_of
    for name in FRAME_NUMBERS:
        out[name] = getattr(board, name)
    out["measured"] = board.measured
    out["figures_from"] = board.figures_from
    out["teams"] = teams_to_json(board.teams)
    out["swimlanes"] = board.swimlanes
    return out


def teams_to_json(teams: Iterable[Team]) -> list[dict[str, str]]:
    """The teams as the protocol, the store and the exports carry them.

    >>> teams_to_json([Team("t-qa", "QA", "red")])
    [{'id': 't-qa', 'name': 'QA', 'color': 'red'}]
    """
    return [{"id": t.id, "name": t.name, "color": t.color} for t in teams]


def teams_from_json(data: Iterable[Mapping[str, Any]] | None) -> tuple[Team, ...]:
    """Teams from our own store or log (trusted, as element_from_json is)."""
    return tuple(
        Team(str(t["id"]), str(t["name"]), str(t.get("color", "grey"))) for t in data or ()
    )


def board_from_json(frame: Mapping[str, Any], elements: Iterable[Mapping[str, Any]]) -> Board:
    calendar = Calendar(
        hours_per_day=float(frame.get("hours_per_day", 8.0)),
        days_per_week=float(frame.get("days_per_week", 5.0)),
    )
    built = [element_from_json(e) for e in elements]
    return Board(
        id=str(frame["id"]),
        calendar=calendar,
        state=str(frame.get("state", "mapping")),
        locked=bool(frame.get("locked", False)),
        timer_ends_at=frame.get("timer_ends_at"),
        timer_label=str(frame.get("timer_label", "")),
        presenter=str(frame.get("presenter", "")),
        future_of=frame.get("future_of"),
        demand_per_day=_optional_number(frame.get("demand_per_day")),
        measured=frame.get("measured"),
        figures_from=str(frame.get("figures_from") or "estimates"),
        teams=teams_from_json(frame.get("teams")),
        swimlanes=bool(frame.get("swimlanes", False)),
        elements={e.id: e for e in built},
        **{name: str(frame.get(name, "")) for name in FRAME_FIELDS},
    )


def _optional_number(value: Any) -> float | None:
    return None if value is None else float(value)


def board_to_json(board: Board) -> dict[str, Any]:
    return {
        "board": frame_to_json(board),
        "elements": [element_to_json(e) for e in board.elements.values()],
    }
