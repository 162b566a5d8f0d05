"""Durations as people type them on a sticky, and back again.

`parse_duration` reads what a workshop participant types (`45m`, `2h`,
`1.5d`, `1w`, `1d 4h`, `3 days`, a bare `90` for minutes) into minutes;
`format_duration` shows minutes in the unit a person would choose. `d` and `w`
are WORKING days and weeks of the board's calendar, so with 8-hour days
`1d` is 480 minutes.

    >>> from app.domain.elements import Calendar
    >>> parse_duration("1d 4h", Calendar())
    720.0
    >>> format_duration(720, Calendar())
    '1.5d'

Round trip: `parse_duration(format_duration(m))` is within `ROUND_TRIP_MINUTES`
or `ROUND_TRIP_SHARE` of m, whichever is larger.
"""

from __future__ import annotations

import math
import re

from app.domain.elements import Calendar

# The hint every error message ends with: the four forms people use most.
HINT = "try 45m, 2h, 1.5d or 1w"

# A wait longer than this is a slip of the unit (2000w for 2000m), not a real queue.
MAX_YEARS = 10
# Working weeks in a year, for MAX_YEARS of working time; 10 years of 24x7 weeks
# still stays under fields.MAX_MINUTES, so a parsed value always passes validation.
WEEKS_PER_YEAR = 52

# From this many days on, a tenth of a day is precise enough (an error of at most
# 0.5 %); below it, `format_duration` spells out days, hours and minutes instead.
MIXED_BELOW_DAYS = 10.0
# From this many weeks on, durations read in weeks with one decimal (again at
# most 0.5 % off); below it, days read better unless the weeks are whole.
WEEKS_FROM = 10.0
# What `format_duration` may lose: whole minutes below a day, one decimal above.
ROUND_TRIP_MINUTES = 0.5
ROUND_TRIP_SHARE = 0.005

# Long messages quote at most this much of what was typed.
_QUOTE_LIMIT = 40
# "1w 2d 3h 45m" is 12 characters; anything past this is pasted text, not a duration.
MAX_TEXT = 60

_UNITS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
}
_UNIT_WORDS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

# One part: a number (comma or point decimal) and an optional unit, then an
# optional separator so "1d, 4h" and "1d + 4h" read like "1d 4h".
_PART = re.compile(r"(\d+(?:[.,]\d+)?|\.\d+)\s*([a-z]*)\s*(?:[,+]\s*)?")
# "1,000m" could be a thousand minutes or one: refuse to guess.
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")


class DurationError(ValueError):
    """Text that is not a duration; the message says what to type instead."""


def parse_duration(text: str, calendar: Calendar) -> float:
    """Minutes in `text`, reading `d` and `w` as working days and weeks of `calendar`.

    A bare number is minutes. Each unit may appear once ("1d 1d" is refused as
    a likely typo), in any order. Raises `DurationError` with a message a
    facilitator can act on.

        >>> parse_duration("1,5d", Calendar(hours_per_day=8))
        720.0
    """
    typed = text.strip()
    shown = _quote(typed)
    cleaned = typed.lower()
    if not cleaned:
        raise DurationError(f"an empty box is not a duration — {HINT}")
    if len(cleaned) > MAX_TEXT:
        raise DurationError(f"{shown} is too long for a duration — {HINT}")
    if cleaned.startswith("-"):
        raise DurationError(f"{shown} is negative — a duration cannot be less than 0m")
    if _THOUSANDS.search(cleaned):
        raise DurationError(f"{shown} is ambiguous — write 1000m without a comma, or 1.5d")
    parts = _split(cleaned, shown)
    scale = {"m": 1.0, "h": 60.0, "d": calendar.minutes_per_day, "w": calendar.minutes_per_week}
    minutes = math.fsum(value * scale[unit] for value, unit in parts)
    limit = MAX_YEARS * WEEKS_PER_YEAR * calendar.minutes_per_week
    if not minutes <= limit:  # also catches an overflow to infinity
        raise DurationError(
            f"{shown} is more than {MAX_YEARS} years of working time — check the unit"
        )
    return minutes


def _split(cleaned: str, shown: str) -> list[tuple[float, str]]:
    """The (number, unit) parts of `cleaned`; a lone bare number is minutes."""
    parts: list[tuple[float, str]] = []
    position = 0
    while position < len(cleaned):
        match = _PART.match(cleaned, position)
        if match is None:
            raise DurationError(f"{shown} is not a duration — {HINT}")
        number, word = match.groups()
        if word and word not in _UNITS:
            raise DurationError(f"{shown} is not a duration — {HINT}")
        parts.append((float(number.replace(",", ".")), _UNITS.get(word, "")))
        position = match.end()
    units = [unit for _, unit in parts]
    if "" in units and len(parts) > 1:
        raise DurationError(f"{shown} has a number without a unit — write e.g. 1h 30m")
    seen: set[str] = set()
    for unit in units:
        if unit in seen:
            raise DurationError(
                f"{shown} gives {_UNIT_WORDS[unit]} twice — add them up"
                f" (2{unit} rather than 1{unit} 1{unit})"
            )
        seen.add(unit)
    return [(value, unit or "m") for value, unit in parts]


def _quote(typed: str) -> str:
    if len(typed) > _QUOTE_LIMIT:
        typed = typed[: _QUOTE_LIMIT - 1] + "…"
    return f'"{typed}"'


def format_duration(minutes: float, calendar: Calendar) -> str:
    """`minutes` in the unit a person would choose.

    Below a working day: hours and whole minutes ("45m", "2h", "2h 30m").
    From a day on: whole weeks as weeks ("1w", "3w"); days to one decimal when
    that is exact ("1d", "1.5d"); otherwise below `MIXED_BELOW_DAYS` days the
    mix ("1d 1h"), from there days to one decimal ("24.9d"), and from
    `WEEKS_FROM` weeks on weeks to one decimal ("12.3w").

        >>> format_duration(150, Calendar())
        '2h 30m'
        >>> format_duration(11940, Calendar())
        '24.9d'
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"cannot show {minutes!r} as a duration")
    per_day, per_week = calendar.minutes_per_day, calendar.minutes_per_week
    if round(minutes) < per_day:
        return _hours_and_minutes(round(minutes))
    weeks = minutes / per_week
    if weeks >= 1 and abs(round(weeks) * per_week - minutes) <= ROUND_TRIP_MINUTES:
        return f"{round(weeks)}w"
    days = minutes / per_day
    if abs(round(days, 1) * per_day - minutes) <= ROUND_TRIP_MINUTES:
        return f"{_tenths(days)}d"
    if days < MIXED_BELOW_DAYS:
        whole = math.floor(days)
        rest = round(minutes - whole * per_day)
        if rest >= per_day:
            # Rounding pushed the remainder up to a full day; carry it.
            whole, rest = whole + 1, round(rest - per_day)
        return f"{whole}d" + ("" if rest == 0 else " " + _hours_and_minutes(rest))
    if weeks < WEEKS_FROM:
        return f"{_tenths(days)}d"
    return f"{_tenths(weeks)}w"


def _hours_and_minutes(total: int) -> str:
    hours, rest = divmod(total, 60)
    if hours == 0:
        return f"{rest}m"
    return f"{hours}h" + ("" if rest == 0 else f" {rest}m")


def _tenths(value: float) -> str:
    """One decimal, without a trailing '.0' ('1.5', '3')."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
