"""Replay stored operation entries onto a board, without validating them again.

Entries were validated when they were accepted; replaying them must give the
same board even if today's rules are stricter than the day they were stored.
The browser's model/board.js applies entries the same way.

    >>> from app.domain.elements import Board
    >>> b = replay(Board(id="b"), [{"op": "create", "element": {"kind": "note", "id": "n1"}}])
    >>> list(b.elements)
    ['n1']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.elements import Board, Calendar, Element
from app.domain.serialize import element_from_json, element_to_json, teams_from_json

_CALENDAR_KEYS = ("hours_per_day", "days_per_week")


def replay(board: Board, entries: Iterable[Mapping[str, Any]]) -> Board:
    elements: dict[str, Element] = dict(board.elements)
    frame: dict[str, Any] = {}
    for entry in entries:
        kind = entry["op"]
        if kind == "create":
            created = element_from_json(entry["element"])
            elements[created.id] = created
        elif kind == "update":
            current = elements.get(entry["id"])
            if current is not None:
                merged = element_to_json(current) | dict(entry["set"])
                elements[current.id] = element_from_json(merged)
            for gone in entry.get("removed", ()):  # a vote closed: the dots left on nothing
                elements.pop(gone, None)
        elif kind == "delete":
            for gone in entry.get("removed", [entry["id"]]):
                elements.pop(gone, None)
        elif kind == "board":
            frame.update(entry["set"])
            for element_id, texts in entry.get("retyped", {}).items():
                current = elements.get(element_id)
                if current is not None:
                    elements[element_id] = dataclasses.replace(current, **texts)
    if "teams" in frame:
        frame["teams"] = teams_from_json(frame["teams"])
    calendar = board.calendar
    if any(k in frame for k in _CALENDAR_KEYS):
        calendar = Calendar(
            hours_per_day=frame.pop("hours_per_day", calendar.hours_per_day),
            days_per_week=frame.pop("days_per_week", calendar.days_per_week),
        )
    return dataclasses.replace(board, elements=elements, calendar=calendar, **frame)
