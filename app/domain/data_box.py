"""The lines an event log adds to a step's data box: the mirror of
frontend/js/model/measured.js measuredLineCount and data-layout.js wrapFigure.

Where a log measured a step's wait or process time, the canvas and the exports
write the median on the lines under that figure ("measured 3.5d, n=42": one
line, or two when the box is too narrow for it). Those lines make the data box
taller, so whatever keeps clear of a step's drawing (its lane's band, tidy's
rows, the ladder) counts them too, from this one place.

    >>> from app.domain.elements import Calendar, Step
    >>> log = {"steps": {"s": {"wait": {"n": 42, "median": 1680.0}, "process": None}}}
    >>> wide, narrow = Step(id="s"), Step(id="s", w=100)
    >>> measured_lines(wide, log, Calendar()), measured_lines(narrow, log, Calendar())
    (1, 2)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from app.domain.durations import format_duration
from app.domain.elements import Calendar, Step
from app.domain.text_fit import TextStyle, line_count

# A figure row's height and a measured line's type, as the canvas wraps it (data-layout.js
# ROW_HEIGHT, PAD_X and DATA_TEXT).
ROW_HEIGHT, DATA_PAD_X = 17.0, 8.0
DATA_TEXT = TextStyle(12, ROW_HEIGHT, DATA_PAD_X, 0)
# The figures a log may measure, in the data box's order: a step's field, the log's part.
MEASURED_PARTS: tuple[tuple[str, str], ...] = (
    ("wait_minutes", "wait"),
    ("process_minutes", "process"),
)


def measured_text(measure: Mapping[str, Any] | None, part: str, calendar: Calendar) -> str | None:
    """The line a step's measured `part` ("wait" or "process") reads, or None when the log
    did not measure it (measured.js sideBySide).

    >>> measured_text({"wait": {"n": 42, "median": 1680.0}}, "wait", Calendar())
    'measured 3.5d, n=42'
    """
    dist = (measure or {}).get(part)
    median = dist.get("median") if isinstance(dist, Mapping) else None
    if not isinstance(median, int | float) or not math.isfinite(median):
        return None
    return f"measured {format_duration(median, calendar)}, n={dist['n']}"  # type: ignore[index]


def wrap_figure(text: str, width: float) -> list[str]:
    """A measured line as the lines it takes in a box `width` wide: one when it fits, else
    broken after its commas, so nothing is cut (data-layout.js wrapFigure).

    >>> wrap_figure("measured 3.5d, n=42", 168), wrap_figure("measured 3.5d, n=42", 100)
    (['measured 3.5d, n=42'], ['measured 3.5d,', 'n=42'])
    """
    if line_count(text, width, DATA_TEXT) <= 1:
        return [text]
    return text.replace(", ", ",\n").split("\n")


def step_measure(measured: Mapping[str, Any] | None, step_id: str) -> Mapping[str, Any] | None:
    """A step's entry in a measurement summary's `steps` (domain/measured.py), or None."""
    found = ((measured or {}).get("steps") or {}).get(step_id)
    return found if isinstance(found, Mapping) else None


def measured_lines(step: Step, measured: Mapping[str, Any] | None, calendar: Calendar) -> int:
    """How many lines the board's measurement summary `measured` adds under a step's data
    box (measured.js measuredLineCount): 0 without a log or a measure of this step."""
    measure = step_measure(measured, step.id)
    if not measure:
        return 0
    texts = (measured_text(measure, part, calendar) for _, part in MEASURED_PARTS)
    return sum(len(wrap_figure(text, step.w)) for text in texts if text is not None)
