"""A change to the map, said in the map's own language: "Wait 4d → 1w", not
"wait_minutes 1920 → 2400".

Version compare and the future-state compare hand people field ids and raw
numbers; these functions turn them into what the canvas shows: a field's name
as its side panel calls it, durations by the one rule of durations.py (as
typed, where typed), percentages as percentages, people and items as counts.

    >>> from app.domain.elements import Calendar
    >>> before = {"kind": "step", "wait_minutes": 1920}
    >>> after = {"kind": "step", "wait_minutes": 2400, "wait_text": "1w"}
    >>> said_change("wait_minutes", before, after, Calendar(), Calendar())
    'Wait 4d → 1w'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from app.domain.durations import format_duration, shown_duration
from app.domain.elements import Calendar

# Fields as the side panel names them; a kind's own name wins over the shared one.
FIELD_NAMES: Mapping[str, str] = {
    "text": "Name",
    "color": "Colour",
    "wait_minutes": "Wait",
    "process_minutes": "Process time",
    "pca": "%C/A",
    "people": "People",
    "waste": "Waste",
    "walk_ready": "Arrived (example walk)",
    "walk_start": "Work started (example walk)",
    "walk_end": "Finished (example walk)",
    "count": "Items waiting",
    "variant": "Kind",
    "connector": "Arrow kind",
    "rework_rate": "Rework rate",
    "source": "From",
    "target": "To",
    "metric": "Flow metric",
    "baseline": "Baseline",
    "review": "Review on",
    "status": "Status",
    "result": "Result",
}
KIND_FIELD_NAMES: Mapping[tuple[str, str], str] = {
    ("experiment", "target"): "Target",
    ("experiment", "text"): "The change",
    ("note", "text"): "Text",
    ("connector", "text"): "Label",
    ("inventory", "text"): "Label",
}
FRAME_NAMES: Mapping[str, str] = {
    "title": "Title",
    "scope": "Scope",
    "customer": "Customer",
    "trigger": "Trigger",
    "delivery": "Delivery",
    "owner": "Owner",
    "hours_per_day": "Working day",
    "days_per_week": "Working week",
    "demand_per_day": "Customer demand",
}
# The headline figures of a compare, as the Flow panel names them, and how each reads.
METRIC_NAMES: Mapping[str, tuple[str, str]] = {
    "lead_time_minutes": ("Lead time", "duration"),
    "expected_lead_time_minutes": ("Expected lead time", "duration"),
    "process_time_minutes": ("Process time", "duration"),
    "work_content_minutes": ("Work content", "duration"),
    "activity_ratio": ("Activity ratio", "ratio"),
    "rolled_pca": ("Rolled %C/A", "percent"),
}
# What nothing reads as: a figure not given, a field left empty.
NOTHING = "—"
# Long text is cut here with an ellipsis: a compare line, not the whole sticky.
QUOTE_LIMIT = 40
_DURATIONS = {"wait_minutes": "wait_text", "process_minutes": "process_text"}
# Experiment metrics kept as a fraction (0-1) or as a percent; the rest are minutes.
_RATIO_METRICS, _PERCENT_METRICS = ("activity_ratio",), ("rolled_pca",)


def said_change(
    field: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    calendar_before: Calendar,
    calendar_after: Calendar,
    names: Mapping[str, str] | None = None,
    team_names: Mapping[str, str] | None = None,
) -> str:
    """One changed field of an element, before and after, e.g. "Wait 4d → 1w".

    `names` (element id -> its text) lets an arrow's ends read as the steps they join;
    `team_names` (team id -> its name) lets a step's owner read as its team.
    """
    kind = str(after.get("kind", before.get("kind", "")))
    name = KIND_FIELD_NAMES.get((kind, field), FIELD_NAMES.get(field, _humane(field)))
    if kind == "connector" and field in ("source", "target") and names:
        was, now = (_quoted(names.get(str(e.get(field)), NOTHING)) for e in (before, after))
    elif kind == "step" and field == "owner":
        teams = team_names or {}
        was, now = (
            NOTHING if e.get(field) is None else _quoted(teams.get(str(e[field]), str(e[field])))
            for e in (before, after)
        )
    else:
        was = value_text(field, before, calendar_before)
        now = value_text(field, after, calendar_after)
    return f"{name} {was} → {now}"


def said_frame(field: str, before: object, after: object) -> str:
    """One changed field of the map's frame, e.g. "Working day 8h → 7.5h"."""
    name = FRAME_NAMES.get(field, _humane(field))
    return f"{name} {_frame_value(field, before)} → {_frame_value(field, after)}"


def value_text(field: str, element: Mapping[str, Any], calendar: Calendar) -> str:
    """A field of `element` as the canvas shows it."""
    value = element.get(field)
    if value is None or value == "" or value == []:
        return NOTHING
    if field in _DURATIONS:
        return shown_duration(float(value), element.get(_DURATIONS[field]), calendar)
    if field == "pca":
        return percent(float(value))
    if field == "rework_rate":
        return percent(float(value) * 100)
    if field in ("baseline", "target") and element.get("kind") == "experiment":
        return experiment_figure(str(element.get("metric", "lead_time")), float(value), calendar)
    if field in ("people", "count"):
        return str(int(value))  # a count, never "3.0"
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("-", " ") for v in value)
    return _quoted(str(value))


def experiment_figure(metric: str, value: float, calendar: Calendar) -> str:
    """An experiment's baseline or target in its metric's unit (model/experiment.js)."""
    if metric in _RATIO_METRICS:
        return percent(value * 100)
    if metric in _PERCENT_METRICS:
        return percent(value)
    return format_duration(value, calendar)


def metric_text(key: str, value: float | None, calendar: Calendar) -> str:
    """A compared headline figure: "24.9d", "23.6%"."""
    if value is None:
        return NOTHING
    how = METRIC_NAMES[key][1]
    if how == "duration":
        return format_duration(value, calendar)
    return percent(value * 100 if how == "ratio" else value)


def delta_text(key: str, delta: float | None, calendar: Calendar) -> str:
    """How far a headline figure moved: "−6d", "+4.1 pts", "no change"."""
    if delta is None:
        return NOTHING
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else "−"
    how = METRIC_NAMES[key][1]
    if how == "duration":
        return sign + format_duration(abs(delta), calendar)
    points = abs(delta) * 100 if how == "ratio" else abs(delta)
    return f"{sign}{percent(points)[:-1]} pts"


def moved_text(key: str, before: float | None, after: float | None, calendar: Calendar) -> str:
    """How far a headline figure moved from `before` to `after`, said beside the two.

    A percentage moves by the difference of the two figures as shown, or "84.6% → 91.7%"
    read "+7 pts" (the unrounded ratios' change); a time by its own change.

        >>> moved_text("activity_ratio", 0.846154, 0.916667, Calendar())
        '+7.1 pts'
    """
    if before is None or after is None:
        return NOTHING
    how = METRIC_NAMES[key][1]
    if how == "duration":
        return delta_text(key, round(after - before, 4), calendar)
    scale = 100 if how == "ratio" else 1
    points = _as_shown(after * scale) - _as_shown(before * scale)
    return delta_text(key, round(points, 1) / scale, calendar)


def _as_shown(value: float) -> float:
    """A percent rounded as `percent` shows it."""
    return float(f"{value:.1f}")


def whole_percent(value: float, *, scale: float = 100.0) -> str:
    """A share (0-1, or a percent with `scale=1`) as a whole percent, halves rounded up as
    people round by hand: "13%" for an eighth. The one reading of a whole percent (a step's
    share of the lead time, a rework rate, a team's rolled %C/A), so the constraint's reason
    and the PDF's table never say 13 % and 12 % of one step; `round()` and "%.0f" round
    halves to even. The canvas's Math.round does the same for these non-negative figures.

    >>> whole_percent(0.125), whole_percent(0.3618), whole_percent(62.5, scale=1)
    ('13%', '36%', '63%')
    """
    return f"{math.floor(value * scale + 0.5)}%"


def percent(value: float) -> str:
    """A percent with at most one decimal: "85%", "40.7%"."""
    text = f"{value:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def _frame_value(field: str, value: object) -> str:
    if value is None or value == "":
        return NOTHING
    if field == "hours_per_day" and isinstance(value, int | float):
        return f"{value:g}h"
    if field == "days_per_week" and isinstance(value, int | float):
        return f"{value:g} days"
    if field == "demand_per_day" and isinstance(value, int | float):
        return f"{value:g} a day"
    return _quoted(str(value))


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _humane(field: str) -> str:
    return field.replace("_", " ").capitalize()
