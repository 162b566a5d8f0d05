"""A step's figures as typed: kept beside the minutes only while they say them.

The inspector sends what a person typed with the minutes it parsed
(`{"wait_minutes": 2400, "wait_text": "5d"}`), so the map can show "5d" rather
than the rule's reading of 2400 minutes (durations.py, rule 1). The server stays
the authority: the text must parse to exactly those minutes on the board's
calendar, and a figure set without text (the API, the median of estimates, the
example walk) drops the old text, which no longer says it.

    >>> from app.domain.elements import Calendar, Step
    >>> check_typed({"wait_minutes": 2400.0, "wait_text": "5d"}, None, Calendar())
    {'wait_minutes': 2400.0, 'wait_text': '5d'}
    >>> typed = Step(id="s", wait_minutes=2400, wait_text="5d")
    >>> check_typed({"wait_minutes": 60.0}, typed, Calendar())
    {'wait_minutes': 60.0, 'wait_text': None}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.durations import DurationError, format_duration, parse_duration, says_minutes
from app.domain.elements import Calendar, Element

# Each typed-text field and the minutes it stands for.
TYPED_FIELDS: Mapping[str, str] = {"wait_text": "wait_minutes", "process_text": "process_minutes"}
# Fields whose setting may need a check or a clearing.
INVOLVED: frozenset[str] = frozenset({*TYPED_FIELDS, *TYPED_FIELDS.values()})


class Mismatch(ValueError):
    """Typed text that does not say the minutes stored with it; the message says why."""


def check_typed(
    values: Mapping[str, Any], current: Element | None, calendar: Calendar
) -> dict[str, Any]:
    """`values` to set, with each typed text checked and stale ones cleared.

    Raises `Mismatch` when a text is not a duration or says other minutes. An element made
    with its stored figures (an import of an export, an undo of a delete) keeps a text only
    while it says its minutes here, as a stored one is shown: typed on another calendar, or
    read otherwise before ("2-3d" was 2 minutes to 3 days), it is dropped, not refused.
    """
    out = dict(values)
    for text_field, minutes_field in TYPED_FIELDS.items():
        had = getattr(current, text_field, None)
        if out.get(text_field) is not None:
            minutes = out.get(minutes_field, getattr(current, minutes_field, None))
            try:
                _check(text_field, out[text_field], minutes, calendar)
            except Mismatch:
                if current is not None or minutes is None:
                    raise
                out[text_field] = None
        elif minutes_field in out and text_field not in out and had is not None:
            out[text_field] = None
    return out


def _check(name: str, text: str, minutes: float | None, calendar: Calendar) -> None:
    if minutes is None:
        raise Mismatch(f"{name} {text!r} needs the minutes it stands for beside it")
    try:
        parsed = parse_duration(text, calendar)
    except DurationError as err:
        raise Mismatch(f"{name} {err}") from None
    if not says_minutes(text, minutes, calendar):
        raise Mismatch(
            f"{name} {text!r} is {format_duration(parsed, calendar)} ({parsed:g} minutes) on this"
            f" board's calendar, not {minutes:g} minutes"
        )
