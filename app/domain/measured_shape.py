"""The shape a board's `measured` summary must have, checked wherever one is set.

The server builds the summary itself (measured.measure), but a board imported
from a JSON export brings its own, so the `board` operation checks it like any
other field: the keys it needs, numbers that are finite, text of bounded size.

    >>> check_summary(None) is None
    True
    >>> check_summary({"steps": {}})
    Traceback (most recent call last):
    ...
    app.domain.measured_shape.Invalid: needs source, steps, lead_time, hidden_queue and unmatched
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from app.domain.event_log import MAX_NAME

# Bounds on what a summary may hold: a map's steps, a log's names, the eleven quantiles.
MAX_STEPS = 5000
MAX_NAMES = 200
QUANTILE_COUNT = 11
SOURCE_TEXT = ("file", "from", "to", "imported_at", "by")
SOURCE_COUNTS = ("rows", "items")
SOURCE_CALENDAR = ("hours_per_day", "days_per_week")
_KEYS = ("source", "steps", "lead_time", "hidden_queue", "unmatched")


class Invalid(ValueError):
    """Not a summary; the message says why (fields.py passes it on as its own Invalid)."""


def check_summary(value: object) -> dict[str, Any] | None:
    """`value` as a plain summary dict, or None; raises Invalid saying what is wrong."""
    if value is None:
        return None
    summary = _mapping(value, "must be a measured summary or null")
    if any(key not in summary for key in _KEYS):
        raise Invalid("needs source, steps, lead_time, hidden_queue and unmatched")
    steps = _mapping(summary["steps"], "steps must be an object")
    if len(steps) > MAX_STEPS:
        raise Invalid(f"has too many steps (at most {MAX_STEPS})")
    hidden = _mapping(summary["hidden_queue"], "hidden_queue must be an object")
    return {
        "source": _source(summary["source"]),
        "steps": {_name(k): _step(v) for k, v in steps.items()},
        "lead_time": _distribution(summary["lead_time"]),
        "hidden_queue": {
            "median_minutes": _number(hidden.get("median_minutes")),
            "flag": hidden.get("flag") is True,
            "text": _name(hidden.get("text", "")),
        },
        "unmatched": _names(summary["unmatched"]),
    }


def _mapping(value: object, why: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Invalid(why)
    return value


def _source(value: object) -> dict[str, Any]:
    source = _mapping(value, "source must be an object")
    out: dict[str, Any] = {k: _name(source.get(k) or "") for k in SOURCE_TEXT}
    out |= {k: _count(source.get(k, 0)) for k in SOURCE_COUNTS}
    # The calendar the log was counted on (summaries from before it was kept have none).
    out |= {k: _number(source[k]) for k in SOURCE_CALENDAR if source.get(k) is not None}
    return out


def _step(value: object) -> dict[str, Any]:
    step = _mapping(value, "each step must be an object")
    rework = _mapping(step.get("rework"), "each step needs its rework")
    return {
        "names": _names(step.get("names", [])),
        "wait": _distribution(step.get("wait")),
        "process": _distribution(step.get("process")),
        "rework": {
            "items": _count(rework.get("items")),
            "returns": _count(rework.get("returns")),
            "rate": _number(rework.get("rate")),
        },
    }


def _distribution(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    found = _mapping(value, "a distribution must be an object or null")
    quantiles = found.get("quantiles")
    if not isinstance(quantiles, list) or len(quantiles) != QUANTILE_COUNT:
        raise Invalid(f"a distribution needs {QUANTILE_COUNT} quantiles")
    return {
        "n": _count(found.get("n")),
        "median": _number(found.get("median")),
        "p85": _number(found.get("p85")),
        "quantiles": [_number(q) for q in quantiles],
    }


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid("its figures must be numbers")
    if not math.isfinite(value) or value < 0:
        raise Invalid("its figures must be finite and not negative")
    return float(value)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid("its counts must be whole numbers, not negative")
    return value


def _name(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_NAME or "\x00" in value:
        raise Invalid(f"its names must be text of at most {MAX_NAME} characters")
    return value


def _names(value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_NAMES:
        raise Invalid(f"its lists of names must be lists of at most {MAX_NAMES}")
    return [_name(v) for v in value]
