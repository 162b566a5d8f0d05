"""Each step's wait and process time as the forecast draws it: a spread, or one figure.

A figure is spread when someone said it is not one number:
- typed as a range ("2d-5d", durations.py): a triangle from low through likely to high;
- not settled, with participants' estimates (estimates.py): a triangle from the
  lowest estimate through their median to the highest;
- measured from an event log (the board's `measured`), when the board takes its
  figures from measurements (`figures_from == "measured"`): the measured
  distribution itself, read off its 11 quantiles (0th, 10th, ..., 100th percentile).
Otherwise it is the step's own figure, the same in every trial (missing = 0).

With `figures_from == "measured"` a measured figure wins over a typed range: the
metrics then use the measured median too, so the forecast's likely lead time is
the one the map shows.

    >>> from app.domain.elements import Board, Step
    >>> s = Step(id="s", wait_minutes=1680, wait_text="2d-5d", process_minutes=60)
    >>> wait, process = step_figures(Board(id="b", elements={"s": s}), [s])[0]
    >>> wait
    Figure(low=960.0, likely=1680.0, high=2400.0, source='typed', quantiles=())
    >>> process.spread
    False
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from app.domain import estimates
from app.domain.durations import typed_range
from app.domain.elements import Board, Calendar, Step
from app.domain.fields import MAX_MINUTES

Source = Literal["typed", "estimates", "measured", "fixed"]

# The two figures of a step the forecast draws, the typed text beside each, and the
# key of each in a measured step (the board's `measured["steps"][id]`).
FIELDS: tuple[str, str] = ("wait_minutes", "process_minutes")
_TEXT = {"wait_minutes": "wait_text", "process_minutes": "process_text"}
_MEASURED = {"wait_minutes": "wait", "process_minutes": "process"}
# A measured distribution: its 0th, 10th, ..., 100th percentiles.
QUANTILES = 11


class Figure(NamedTuple):
    """One figure's spread in minutes (low <= likely <= high) and where it comes from."""

    low: float
    likely: float
    high: float
    source: Source
    # Measured figures only: the distribution's QUANTILES percentiles, rising.
    quantiles: tuple[float, ...] = ()

    @property
    def spread(self) -> bool:
        """Whether trials draw different values for this figure."""
        return self.high > self.low


def fixed(minutes: float) -> Figure:
    return Figure(minutes, minutes, minutes, "fixed")


def step_figures(board: Board, steps: Sequence[Step]) -> list[tuple[Figure, Figure]]:
    """Each step's (wait, process) figures, in the order of `steps`."""
    gathered = estimates.gather(board)
    measured = _measured_steps(board)
    return [
        (
            _figure(s, FIELDS[0], board.calendar, gathered, measured),
            _figure(s, FIELDS[1], board.calendar, gathered, measured),
        )
        for s in steps
    ]


def _figure(
    step: Step,
    field: str,
    calendar: Calendar,
    gathered: estimates.Gathered,
    measured: Mapping[str, Any],
) -> Figure:
    found = _from_measurement(measured.get(step.id), field)
    if found is not None:
        return found
    value = _safe(getattr(step, field))
    if value is None:
        given = gathered.get(step.id, {}).get(field)
        if not given:
            return fixed(0.0)
        return Figure(min(given), float(statistics.median(given)), max(given), "estimates")
    typed = typed_range(getattr(step, _TEXT[field]), value, calendar)
    return fixed(value) if typed is None else Figure(typed.low, value, typed.high, "typed")


def _safe(value: float | None) -> float | None:
    """A stored figure, or None when it is missing or could not be one (as metrics.py reads it)."""
    if value is None or not 0.0 <= value <= MAX_MINUTES:
        return None
    return float(value)


def _measured_steps(board: Board) -> Mapping[str, Any]:
    """The board's measured steps when its figures come from measurements, else nothing.

    Read with getattr: `measured` and `figures_from` are newer board fields.
    """
    if getattr(board, "figures_from", "estimates") != "measured":
        return {}
    summary = getattr(board, "measured", None)
    steps = summary.get("steps") if isinstance(summary, Mapping) else None
    return steps if isinstance(steps, Mapping) else {}


def _from_measurement(step: object, field: str) -> Figure | None:
    """A measured figure's distribution, or None when there is no usable measurement."""
    if not isinstance(step, Mapping):
        return None
    figure = step.get(_MEASURED[field])
    if not isinstance(figure, Mapping):
        return None
    raw = figure.get("quantiles")
    if not isinstance(raw, Sequence) or len(raw) != QUANTILES:
        return None
    try:
        points = [float(q) for q in raw]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(q) and 0.0 <= q <= MAX_MINUTES for q in points):
        return None
    # Rising, whatever rounding did to them: an inverse CDF never goes back.
    for k in range(1, QUANTILES):
        points[k] = max(points[k], points[k - 1])
    median = figure.get("median")
    likely = float(median) if isinstance(median, int | float) else points[QUANTILES // 2]
    likely = min(max(likely, points[0]), points[-1])
    return Figure(points[0], likely, points[-1], "measured", tuple(points))
