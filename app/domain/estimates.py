"""Participants' own estimates of a step's wait and process time, and what the map uses.

Each participant may give an estimate; the step shows the spread until someone
settles a value (sets the step's own figure). Until then the metrics use the
median of the estimates and say so.

    >>> from app.domain.elements import Board, Estimate, Step
    >>> b = Board(id="b", elements={
    ...     "s": Step(id="s"),
    ...     "e1": Estimate(id="e1", target="s", field="wait_minutes", minutes=60),
    ...     "e2": Estimate(id="e2", target="s", field="wait_minutes", minutes=240),
    ...     "e3": Estimate(id="e3", target="s", field="wait_minutes", minutes=120)})
    >>> spreads(gather(b))["s"]["wait_minutes"]
    Spread(count=3, low=60.0, high=240.0, median=120.0)
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Mapping
from typing import NamedTuple

from app.domain.elements import Board, Estimate, Step

# step id -> figure -> the estimates given, in minutes
Gathered = dict[str, dict[str, list[float]]]


class Spread(NamedTuple):
    count: int  # type: ignore[assignment]  # a field named like tuple.count, on purpose: the JSON key
    low: float
    high: float
    median: float


def gather(board: Board) -> Gathered:
    out: Gathered = {}
    for e in board.elements.values():
        if isinstance(e, Estimate) and e.minutes is not None:
            out.setdefault(e.target, {}).setdefault(e.field, []).append(float(e.minutes))
    return out


def spreads(gathered: Gathered) -> dict[str, dict[str, Spread]]:
    return {
        step: {
            f: Spread(len(v), min(v), max(v), float(statistics.median(v)))
            for f, v in by_field.items()
        }
        for step, by_field in gathered.items()
    }


def settle(steps: list[Step], gathered: Gathered) -> tuple[list[Step], dict[str, tuple[str, ...]]]:
    """The steps with each unsettled figure set to its estimates' median, and which were."""
    if not gathered:
        return steps, {}
    out: list[Step] = []
    estimated: dict[str, tuple[str, ...]] = {}
    for s in steps:
        given = gathered.get(s.id)
        filled = _medians(s, given) if given else {}
        if filled:
            s = dataclasses.replace(s, **filled)  # type: ignore[arg-type]
            estimated[s.id] = tuple(filled)
        out.append(s)
    return out, estimated


def _medians(step: Step, given: Mapping[str, list[float]]) -> dict[str, float]:
    return {
        f: float(statistics.median(v)) for f, v in given.items() if getattr(step, f) is None and v
    }
