"""What if: try a change on one step without editing the map.

`what_if(board, step_id, change)` applies the change to a copy of the board
(boards are immutable, so the map itself is never touched), computes the
metrics before and after, and says which step would then be the constraint.

The changes, as the side panel offers them:

- "cut-wait": the step's wait cut by half;
- "halve-rework": every rework arrow into or out of the step at half its rate;
- "add-person": one more person, so the process time is divided by
  (people + 1) / people (people unset counts as 1); the wait is unchanged.

A figure the step only has from participants' estimates is changed from their
median, as the metrics use it.

    >>> from app.domain.elements import Board, Step
    >>> a = Step(id="a", x=0, text="Build", wait_minutes=480, process_minutes=60)
    >>> b = Step(id="b", x=200, text="Review", wait_minutes=960, process_minutes=120)
    >>> w = what_if(Board(id="x", elements={"a": a, "b": b}), "b", "cut-wait")
    >>> w.before.lead_time_minutes, w.after.lead_time_minutes, w.after.constraint.id
    (1620.0, 1140.0, 'b')
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from app.domain.durations import (
    DurationError,
    Range,
    format_duration,
    parse_range,
    says_minutes,
)
from app.domain.elements import Board, Calendar, Element, Estimate, Step, evolve
from app.domain.forecast import forecast_json
from app.domain.metrics import Metrics, compute_metrics
from app.domain.rework import label
from app.domain.wording import delta_text

Change = Literal["cut-wait", "halve-rework", "add-person"]
CHANGES: tuple[str, ...] = get_args(Change)
# The headline figures a what-if compares, as the metrics name them.
COMPARED = (
    "lead_time_minutes",
    "expected_lead_time_minutes",
    "process_time_minutes",
    "activity_ratio",
)
# The forecast's figures a what-if compares.
PERCENTILES = ("p50_minutes", "p85_minutes", "p95_minutes")
# "Cut this wait by 50 %" and "halve the rework": both keep this share.
HALF = 0.5
# A step whose people are not given is done by one person.
DEFAULT_PEOPLE = 1


class UnknownStep(LookupError):
    """The board has no step with that id."""


class UnknownChange(ValueError):
    """Not one of CHANGES."""


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A change tried on one step: the metrics before and after it."""

    step_id: str
    change: str
    before: Metrics
    after: Metrics
    # The forecasts' JSON before and after (domain/forecast.py), when asked for.
    forecasts: tuple[Mapping[str, Any] | None, Mapping[str, Any] | None] | None = None

    def deltas(self) -> dict[str, float]:
        """After minus before, per compared figure (rounded as the metrics JSON is)."""
        old, new = self.before.to_json(), self.after.to_json()
        return {k: round(new[k] - old[k], 4) for k in COMPARED}

    def to_json(self) -> dict[str, Any]:
        """The what-if route's answer: figures, deltas, the next constraint, display text."""
        old, new = self.before.to_json(), self.after.to_json()
        deltas = self.deltas()
        c = self.after.constraint
        return {
            "step": self.step_id,
            "change": self.change,
            "before": {k: old[k] for k in COMPARED},
            "after": {k: new[k] for k in COMPARED},
            "deltas": deltas,
            "constraint_after": None if c is None else {"id": c.id, "text": c.text},
            "forecast": self._forecasts(),
            "display": {
                "before": old["display"],
                "after": new["display"],
                "deltas": {k: delta_text(k, d, self.after.calendar) for k, d in deltas.items()},
                "constraint_after": self.next_constraint_text(),
                "forecast": self._forecast_display(),
            },
        }

    def _forecasts(self) -> dict[str, dict[str, float]] | None:
        """The forecast's percentiles before and after; None unless both maps have one."""
        if self.forecasts is None or None in self.forecasts:
            return None
        old, new = self.forecasts
        assert old is not None and new is not None
        return {
            "before": {k: old[k] for k in PERCENTILES},
            "after": {k: new[k] for k in PERCENTILES},
        }

    def _forecast_display(self) -> dict[str, str] | None:
        """The 85th percentile before and after, and the change, as the panel says them."""
        shown = self._forecasts()
        if shown is None:
            return None
        old, new = shown["before"]["p85_minutes"], shown["after"]["p85_minutes"]
        cal = self.after.calendar
        delta = round(new - old, 4)
        return {
            "before": format_duration(old, cal),
            "after": format_duration(new, cal),
            "delta": delta_text("lead_time_minutes", delta, cal),
        }

    def next_constraint_text(self) -> str:
        """ "then Code review becomes the constraint", or that it stays, or that none is left."""
        c = self.after.constraint
        if c is None:
            return "then no step waits: there is no constraint"
        name = label(c.text, c.id)
        was = self.before.constraint
        if was is not None and was.id == c.id:
            return f"{name} stays the constraint"
        return f"then {name} becomes the constraint"


def what_if(board: Board, step_id: str, change: str, *, forecast: bool = False) -> WhatIf:
    """The metrics of `board` before and after `change` on step `step_id`; with `forecast`,
    the lead-time forecasts too (a Monte Carlo run each: tens of milliseconds)."""
    after = tried(board, step_id, change)
    forecasts = (forecast_json(board), forecast_json(after)) if forecast else None
    return WhatIf(step_id, change, compute_metrics(board), compute_metrics(after), forecasts)


def tried(board: Board, step_id: str, change: str) -> Board:
    """`board` with `change` made on step `step_id`: what a what-if computes, and what a
    future-state map started from a what-if begins with.

    >>> from app.domain.elements import Step
    >>> b = Board(id="x", elements={"a": Step(id="a", wait_minutes=480, wait_text="1d")})
    >>> tried(b, "a", "cut-wait").elements["a"].wait_minutes
    240.0
    """
    step = board.elements.get(step_id)
    if not isinstance(step, Step):
        raise UnknownStep(step_id)
    if change not in CHANGES:
        raise UnknownChange(change)
    return evolve(board, {"elements": {**board.elements, **_changed_elements(board, step, change)}})


def _changed_elements(board: Board, step: Step, change: str) -> dict[str, Element]:
    if change == "cut-wait":
        wait = _figure(board, step, "wait_minutes")
        if wait is None:
            return {}
        return {step.id: evolve(step, _scaled(step, "wait", wait, HALF, board.calendar))}
    if change == "add-person":
        return _added_person(board, step)
    return {
        c.id: evolve(c, {"rework_rate": c.rework_rate * HALF})
        for c in board.connectors()
        if c.connector == "rework" and c.rework_rate is not None and step.id in (c.source, c.target)
    }


def _added_person(board: Board, step: Step) -> dict[str, Element]:
    people = step.people if step.people and step.people > 0 else DEFAULT_PEOPLE
    process = _figure(board, step, "process_minutes")
    changes: dict[str, Any] = {"people": people + 1}
    if process is not None:
        changes |= _scaled(step, "process", process, people / (people + 1), board.calendar)
    return {step.id: evolve(step, changes)}


def _scaled(
    step: Step, figure: str, minutes: float, factor: float, calendar: Calendar
) -> dict[str, Any]:
    """The figure (`wait` or `process`) times `factor`; a range typed for it is scaled
    too, so the forecast after the change keeps the step's spread.

    >>> s = Step(id="s", wait_minutes=1680.0, wait_text="2d-5d")
    >>> _scaled(s, "wait", 1680.0, 0.5, Calendar())
    {'wait_minutes': 840.0, 'wait_text': '1d-2.5d'}
    """
    new = minutes * factor
    text = getattr(step, f"{figure}_text")
    spread = _range_of(text, minutes, calendar)
    if spread is None:
        return {f"{figure}_minutes": new, f"{figure}_text": None}
    parts = [v * factor for v in (spread.low, spread.likely, spread.high)]
    if spread.likely * 2 == spread.low + spread.high:
        del parts[1]  # low-high: the likely is their middle
    # As the map reads them ("1d-2.5d"), else in exact minutes ("40m-93.33333333m").
    for scaled in ("-".join(format_duration(v, calendar) for v in parts),
                   "-".join(f"{v:.10g}m" for v in parts)):  # fmt: skip
        if says_minutes(scaled, new, calendar):
            return {f"{figure}_minutes": new, f"{figure}_text": scaled}
    return {f"{figure}_minutes": new, f"{figure}_text": None}


def _range_of(text: str | None, minutes: float, calendar: Calendar) -> Range | None:
    """The range `text` types, while it still says `minutes`."""
    if text is None or not says_minutes(text, minutes, calendar):
        return None
    try:
        return parse_range(text, calendar)
    except DurationError:
        return None


def _figure(board: Board, step: Step, name: str) -> float | None:
    """The step's own figure, else its participants' median estimate (as the metrics use)."""
    own = getattr(step, name)
    if own is not None:
        return float(own)
    given = _estimates(board.elements, step.id, name)
    return float(statistics.median(given)) if given else None


def _estimates(elements: Mapping[str, Element], step_id: str, name: str) -> list[float]:
    return [
        float(e.minutes)
        for e in elements.values()
        if isinstance(e, Estimate)
        and e.target == step_id
        and e.field == name
        and e.minutes is not None
    ]


__all__ = ["CHANGES", "UnknownChange", "UnknownStep", "WhatIf", "tried", "what_if"]
