"""A step's figures as ranges in minutes: the contract's `wait_low_minutes` and the rest.

People type a range into a figure ("2d-5d", "2d-3d-5d"), and the step keeps it as its
typed text beside the likely minutes (typed.py). Scripts speak in minutes (DESIGN
section 4): `wait_low_minutes` and `wait_high_minutes` (and the same for process),
with `wait_minutes` the likely value. Set, they become the typed text of the range,
low-likely-high, so the map, the forecast and every export read them as if typed;
read, they are that text's figures.

    >>> from app.domain.elements import Calendar, Step
    >>> cal = Calendar()
    >>> from_fields({"wait_low_minutes": 960, "wait_high_minutes": 2400}, None, cal)
    {'wait_minutes': 1680.0, 'wait_text': '2d-3.5d-5d'}
    >>> ranged = Step(id="s", wait_minutes=1440, wait_text="2d-3d-5d")
    >>> range_json(ranged, cal)
    {'wait_low_minutes': 960.0, 'wait_high_minutes': 2400.0}

A calendar change keeps every range's minutes, as it keeps a single figure's: `retyped`
says each range typed on the old calendar in the new one's words ("2d-3d" on 8-hour days
is "16h-24h" on 7.5-hour ones), so no range typed goes quiet when the working day moves.

    >>> retyped({"s": Step(id="s", wait_minutes=1200, wait_text="2d-3d")}, cal,
    ...         Calendar(hours_per_day=7.5))
    {'s': {'wait_text': '16h-24h'}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.domain.durations import (
    SAME_MINUTES,
    DurationError,
    format_duration,
    parse_range,
    typed_range,
)
from app.domain.elements import Board, Calendar, Element

# Each figure: its likely minutes, its typed text, its low and its high.
FIGURES = {
    "wait": ("wait_minutes", "wait_text", "wait_low_minutes", "wait_high_minutes"),
    "process": ("process_minutes", "process_text", "process_low_minutes", "process_high_minutes"),
}
RANGE_FIELDS = frozenset(f for _, _, low, high in FIGURES.values() for f in (low, high))


class BadRange(ValueError):
    """Low and high that cannot be a range with the likely value; the message says why."""


def from_fields(
    values: Mapping[str, Any], current: Element | None, calendar: Calendar
) -> dict[str, Any]:
    """`values` with any low and high (already checked as minutes) made the typed range.

    Both ends null: the range goes, the likely minutes stay. One end given: the other
    is the range's as it stands. The likely value is the one given, else the step's own
    if it lies in the range, else the middle.
    """
    out = dict(values)
    for minutes_field, text_field, low_field, high_field in FIGURES.values():
        if low_field not in out and high_field not in out:
            continue
        low, high = out.pop(low_field, ...), out.pop(high_field, ...)
        text = out.get(text_field)
        if text is not None:  # both: they must say the same (a JSON export gives both)
            if _differ(text, (low, high), calendar):
                fields = f"{text_field} or as {low_field} and {high_field}"
                raise BadRange(f"give the range as {fields}: they differ")
            continue
        had = _range_of(current, minutes_field, text_field, calendar)
        low = had[0] if low is ... and had else low
        high = had[1] if high is ... and had else high
        if low is None and high is None:
            out[text_field] = None
            continue
        if low is ... or high is ... or low is None or high is None:
            raise BadRange(f"{low_field} and {high_field} go together: a range needs both ends")
        if low > high:
            raise BadRange(f"{low_field} must be at most {high_field}")
        given = out.get(minutes_field)
        had_likely = getattr(current, minutes_field, None)
        likely: float = (low + high) / 2
        if given is not None:
            if not low <= given <= high:
                raise BadRange(f"{minutes_field} must lie between {low_field} and {high_field}")
            likely = given
        elif minutes_field not in out and had_likely is not None and low <= had_likely <= high:
            likely = had_likely
        out[minutes_field] = float(likely)
        out[text_field] = _typed((float(low), float(likely), float(high)), calendar)
    return out


def retyped(
    elements: Mapping[str, Element], before: Calendar, after: Calendar
) -> dict[str, dict[str, str]]:
    """Per element, each range typed on `before` said anew on `after` with the same minutes.

    A low-high range stays two figures (its likely value is their middle on any calendar);
    a range whose words mean the same on both ("1h-4h") is left as typed.
    """
    out: dict[str, dict[str, str]] = {}
    if before == after:
        return out
    for element in elements.values():
        for minutes_field, text_field, _, _ in FIGURES.values():
            text = getattr(element, text_field, None)
            found = typed_range(text, getattr(element, minutes_field, None), before)
            if text is None or found is None or typed_range(text, found.likely, after) == found:
                continue
            middle = found.likely == (found.low + found.high) / 2
            figures = (found.low, found.high) if middle else found
            out.setdefault(element.id, {})[text_field] = _typed(figures, after)
    return out


def range_json(element: Element, calendar: Calendar) -> dict[str, float]:
    """The low and high minutes of each of a step's figures typed as a range."""
    out: dict[str, float] = {}
    for minutes_field, text_field, low_field, high_field in FIGURES.values():
        found = _range_of(element, minutes_field, text_field, calendar)
        if found is not None:
            out[low_field], out[high_field] = found
    return out


def with_ranges(elements: list[dict[str, Any]], board: Board) -> list[dict[str, Any]]:
    """Elements as JSON (serialize.py), each ranged step with its low and high minutes
    (the HTTP read and the JSON export; live frames carry the typed text alone)."""
    for data in elements:
        if data["kind"] == "step":
            element = board.elements.get(data["id"])
            if element is not None:
                data.update(range_json(element, board.calendar))
    return elements


def _differ(text: str, ends: tuple[Any, Any], calendar: Calendar) -> bool:
    """Whether typed `text` is not the range of the ends given (`...`: not given)."""
    said = _text_range(text, calendar)
    return said is None or any(g is not ... and g != e for g, e in zip(ends, said, strict=True))


def _range_of(
    element: Element | None, minutes_field: str, text_field: str, calendar: Calendar
) -> tuple[float, float] | None:
    """The low and high of the element's typed range, while it still says its minutes."""
    found = typed_range(
        getattr(element, text_field, None), getattr(element, minutes_field, None), calendar
    )
    return None if found is None else (found.low, found.high)


def _text_range(text: str | None, calendar: Calendar) -> tuple[float, float] | None:
    """The low and high minutes `text` says, when it is a range on this calendar."""
    if not text:
        return None
    try:
        found = parse_range(text, calendar)
    except DurationError:  # typed on another calendar: no longer a range it can say
        return None
    return None if found is None else (found.low, found.high)


# How a range's figures may be worded, in order of preference: the calendar's own words
# (days from a working day on), whole or tenths of hours, which mean the same on any
# calendar, and minutes, which always say them exactly.
def _in_hours(minutes: float, _: Calendar) -> str:
    return f"{minutes / 60:g}h"


def _in_minutes(minutes: float, _: Calendar) -> str:
    return f"{minutes:g}m"


_WORDINGS: tuple[Callable[[float, Calendar], str], ...] = (format_duration, _in_hours, _in_minutes)


def _typed(figures: Sequence[float], calendar: Calendar) -> str:
    """low-high or low-likely-high in the first wording that says exactly these minutes."""
    for wording in _WORDINGS:
        words = "-".join(wording(m, calendar) for m in figures)
        try:
            said = parse_range(words, calendar)
        except DurationError:
            continue
        if said is not None and _same(said, figures):
            return words
    return "-".join(_in_minutes(m, calendar) for m in figures)


def _same(said: tuple[float, float, float], figures: Sequence[float]) -> bool:
    """Whether a parsed range is `figures` (low-high: its ends; else all three)."""
    ends = (said[0], said[-1]) if len(figures) == 2 else said
    return all(abs(a - b) <= SAME_MINUTES for a, b in zip(ends, figures, strict=True))
