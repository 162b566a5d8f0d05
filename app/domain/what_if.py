"""What if: try changes on steps without editing the map.

`changed(board, changes)` makes each `StepChange` on a copy of the board (boards
are immutable, so the map itself is never touched): every factor multiplies one
of the step's figures, and 1 keeps it.

- `wait_factor`, `process_factor`: the figure the metrics use, so the change shows
  in them: the event log's median where the board takes its figures from
  measurements (`figures_from` "measured"), else the step's own figure, else its
  participants' median estimate. A result past the largest figure a step may hold
  (fields.MAX_MINUTES) stays at it, rather than read as an impossible one.
- `rework_factor`: the rate of every rework arrow into or out of the step; an arrow
  between two changed steps takes both factors. A rate scaled to MAX_COUNTED_RATE
  (0.99) or more is capped there: a rate stays below 1, and the metrics count no
  more (rework.py).

Each factor is a finite number from 0 to MAX_FACTOR; each step is changed at most
once. `what_if(board, step_id, change)` tries one of the side panel's changes and
computes the metrics before and after, and which step would then be the constraint:

- "cut-wait": the step's wait cut by half;
- "halve-rework": every rework arrow into or out of the step at half its rate;
- "add-person": one more person, so the process time is divided by
  (people + 1) / people (people unset counts as 1); the wait is unchanged.

    >>> from app.domain.elements import Board, Step
    >>> a = Step(id="a", x=0, text="Build", wait_minutes=480, process_minutes=60)
    >>> b = Step(id="b", x=200, text="Review", wait_minutes=960, process_minutes=120)
    >>> board = Board(id="x", elements={"a": a, "b": b})
    >>> w = what_if(board, "b", "cut-wait")
    >>> w.before.lead_time_minutes, w.after.lead_time_minutes, w.after.constraint.id
    (1620.0, 1140.0, 'b')
    >>> compute_metrics(changed(board, [StepChange("a", process_factor=3)])).process_time_minutes
    300.0
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from app.domain import measured
from app.domain.durations import format_duration, says_minutes, typed_range
from app.domain.echo import excerpt
from app.domain.elements import Board, Calendar, Element, Estimate, Step, evolve
from app.domain.fields import MAX_MINUTES
from app.domain.forecast import forecast_json
from app.domain.metrics import Metrics, compute_metrics
from app.domain.rework import MAX_COUNTED_RATE, label
from app.domain.wording import delta_text, moved_text

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
# The most a factor may multiply a figure by: a hundredfold is already no plan, and a
# bound keeps every figure a what-if makes a number the metrics can show.
MAX_FACTOR = 100.0
FACTORS = ("wait_factor", "process_factor", "rework_factor")


class UnknownStep(LookupError):
    """The board has no step with that id."""


class UnknownChange(ValueError):
    """Not one of CHANGES."""


class BadChange(ValueError):
    """Changes a what-if cannot make: none at all, a step twice, a factor out of bounds."""


@dataclass(frozen=True, slots=True)
class StepChange:
    """What a what-if does to one step: each factor multiplies a figure, 1 keeps it.

    >>> StepChange("s1", wait_factor=0.5)  # its wait cut by half
    StepChange(step='s1', wait_factor=0.5, process_factor=1.0, rework_factor=1.0, people=None)
    """

    step: str
    wait_factor: float = 1.0
    process_factor: float = 1.0
    rework_factor: float = 1.0
    # The step's people after the change ("add-person"); None leaves them as they are.
    people: int | None = None


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A change tried on one step: the metrics before and after it."""

    step_id: str
    change: str
    before: Metrics
    after: Metrics
    # The forecasts' JSON before and after (domain/forecast.py), when asked for.
    forecasts: tuple[Mapping[str, Any] | None, Mapping[str, Any] | None] | None = None

    def deltas(self) -> dict[str, float | None]:
        """After minus before, per compared figure (rounded as the metrics JSON is); None
        when either lacks it (a map with no lead time has no activity ratio)."""
        old, new = self.before.to_json(), self.after.to_json()
        return {
            k: None if old[k] is None or new[k] is None else round(new[k] - old[k], 4)
            for k in COMPARED
        }

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
                "deltas": {k: moved_text(k, old[k], new[k], self.after.calendar) for k in deltas},
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


def whatif_metrics(board: Board, changes: Sequence[StepChange]) -> dict[str, Any]:
    """The metrics JSON `board` would have with `changes` made, its forecast included (the
    shape of GET .../metrics): what POST .../whatif answers."""
    after = changed(board, changes)
    return compute_metrics(after).to_json() | {"forecast": forecast_json(after)}


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
    return changed(board, [_named(step, change)])


def _named(step: Step, change: str) -> StepChange:
    """One of the side panel's changes, as factors."""
    if change == "cut-wait":
        return StepChange(step.id, wait_factor=HALF)
    if change == "halve-rework":
        return StepChange(step.id, rework_factor=HALF)
    people = step.people if step.people and step.people > 0 else DEFAULT_PEOPLE
    return StepChange(step.id, process_factor=people / (people + 1), people=people + 1)


def changed(board: Board, changes: Sequence[StepChange]) -> Board:
    """A copy of `board` with every change made (raises UnknownStep or BadChange).

    A figure the metrics take from the event log is scaled in the board's measurements
    (its median and spread, so the forecast moves too) and set as the step's own figure:
    a future-state map keeps the steps but not the measurements, and starts changed.
    """
    _check(board, changes)
    elements = dict(board.elements)
    summary = board.measured
    for change in changes:
        step = elements[change.step]
        assert isinstance(step, Step)  # _check made sure
        own, logged = _step_figures(board, step, change)
        if own:
            elements[step.id] = evolve(step, own)
        if logged and summary is not None:
            summary = measured.scaled(summary, step.id, logged, MAX_MINUTES)
    rework = {c.step: c.rework_factor for c in changes if c.rework_factor != 1.0}
    elements |= _reworked(board, rework)
    return evolve(board, {"elements": elements, "measured": summary})


def _check(board: Board, changes: Sequence[StepChange]) -> None:
    if not changes:
        raise BadChange("a what-if needs at least one change")
    seen: set[str] = set()
    for change in changes:
        if not isinstance(board.elements.get(change.step), Step):
            raise UnknownStep(change.step)
        if change.step in seen:
            raise BadChange(
                f"step {excerpt(change.step)} is changed more than once: give it one change "
                "with all its factors"
            )
        seen.add(change.step)
        for name in FACTORS:
            value = getattr(change, name)
            if not (math.isfinite(value) and 0.0 <= value <= MAX_FACTOR):
                raise BadChange(f"{name} must be from 0 to at most {MAX_FACTOR:g}, not {value}")


def _step_figures(
    board: Board, step: Step, change: StepChange
) -> tuple[dict[str, Any], dict[str, float]]:
    """The step's changed fields, and the factor for each measured figure the metrics use."""
    own: dict[str, Any] = {} if change.people is None else {"people": change.people}
    logged: dict[str, float] = {}
    for figure, factor in (("wait", change.wait_factor), ("process", change.process_factor)):
        if factor == 1.0:
            continue
        found = measured.used_figure(board, step.id, figure)
        if found is not None:
            logged[figure] = factor
            minutes: float | None = float(found["median"])
        else:
            minutes = _figure(board, step, f"{figure}_minutes")
        if minutes is not None:
            own |= _scaled(step, figure, minutes, factor, board.calendar)
    return own, logged


def _reworked(board: Board, factors: Mapping[str, float]) -> dict[str, Element]:
    """Each rework arrow into or out of a step with a factor, at its rate times the factor
    (times both, between two such steps), at most MAX_COUNTED_RATE."""
    if not factors:
        return {}
    out: dict[str, Element] = {}
    for c in board.connectors():
        if c.connector != "rework" or c.rework_rate is None:
            continue
        factor = math.prod(factors.get(end, 1.0) for end in {c.source, c.target})
        if factor != 1.0:
            out[c.id] = evolve(c, {"rework_rate": min(c.rework_rate * factor, MAX_COUNTED_RATE)})
    return out


def _scaled(
    step: Step, figure: str, minutes: float, factor: float, calendar: Calendar
) -> dict[str, Any]:
    """The figure (`wait` or `process`) times `factor`; a range typed for it is scaled
    too, so the forecast after the change keeps the step's spread.

    >>> s = Step(id="s", wait_minutes=1680.0, wait_text="2d-5d")
    >>> _scaled(s, "wait", 1680.0, 0.5, Calendar())
    {'wait_minutes': 840.0, 'wait_text': '1d-2.5d'}
    """
    new = min(minutes * factor, float(MAX_MINUTES))
    text = getattr(step, f"{figure}_text")
    spread = typed_range(text, minutes, calendar)
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


__all__ = [
    "CHANGES",
    "FACTORS",
    "MAX_FACTOR",
    "BadChange",
    "StepChange",
    "UnknownChange",
    "UnknownStep",
    "WhatIf",
    "changed",
    "tried",
    "what_if",
    "whatif_metrics",
]
