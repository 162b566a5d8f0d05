"""Durations as people type them on a sticky, and back again: the one rule.

`parse_duration` reads what a workshop participant types (`45m`, `2h`,
`1.5d`, `½d`, `1/2d`, `1 1/2d`, `⅓d`, `1w`, `1d 4h`, `3 days`, `1h30`, `1:30`, a bare
`90` for minutes) into minutes. `d` and `w` are WORKING days and weeks of the board's calendar, so
with 8-hour days `1d` is 480 minutes.

How a duration is SHOWN, everywhere (canvas, side panels, totals, the
constraint's reason, the ladder, experiment cards, compare, the validation
page and every export) — frontend/js/model/durations.js says the same:

1. A figure a person typed is shown as typed (`typed_form`): their units,
   in their order, their numbers, only tidied — white space collapsed to one
   space between parts, unit words shortened (`3 days` -> `3d`, `1 hr 30
   mins` -> `1h 30m`), a bare number given its `m`, a decimal comma made a
   point, needless zeros dropped (`1,50d` -> `1.5d`, `007` -> `7m`), a
   fraction or a clock said in decimals and units (`½d` and `1/2d` -> `0.5d`,
   `1:30` -> `1h 30m`, `0:45` -> `45m`); a fraction with no decimal that ends
   is said as a plain fraction (`⅓d` -> `1/3d`, `1⅔h` -> `1 2/3h`). Typed
   `5d` shows `5d`, typed `1w` shows `1w`, typed `90m` shows `90m`. It is
   shown only while it still says the stored minutes on the board's calendar
   (`shown_duration`); after the calendar changes, rule 2 takes over.
2. Every other figure — computed (lead time, process time, sums, shares,
   experiment baselines and targets) or set without typed text (the API, an
   import, the median of estimates, the example walk) — reads in ONE style,
   `format_duration`: one decimal of the largest unit that fits, and never
   weeks. Below an hour whole minutes (`45m`); below a working day hours
   (`2.5h`, `7h`); from a working day on days (`1d`, `4.3d`, `21.8d`, `250d`).
   A tenth rounds half up, as people round by hand (600 minutes, 1.25d, read
   `1.3d`). So a lead time and a process time side by side always read alike ("21.8d"
   and "4.3d", not "21.8d" and "4d 2h 30m"), and weeks appear only where
   someone typed them.

    >>> from app.domain.elements import Calendar
    >>> parse_duration("1d 4h", Calendar())
    720.0
    >>> format_duration(720, Calendar())
    '1.5d'
    >>> shown_duration(2400, "5 days", Calendar())
    '5d'

Round trip: `parse_duration(format_duration(m))` is within `ROUND_TRIP_MINUTES`
or `ROUND_TRIP_SHARE` of m, whichever is larger.

A figure nobody knows exactly may be typed as a range: `2d-5d` (low-high, the
likely value the midpoint) or `2d-3d-5d` (low-likely-high); an en dash or the
word `to` separate too. `parse_duration` gives the LIKELY value, which is what a
step stores beside the text; `parse_range` gives all three (the forecast's spread).

    >>> parse_range("2d - 5d", Calendar())
    Range(low=960.0, likely=1680.0, high=2400.0)
    >>> typed_form("2 days to 5 days", Calendar())
    '2d-5d'

Over 300 lines on purpose: the one duration rule, parsing and formatting together,
mirrored by frontend/js/model/durations.js and held to the same golden cases.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple

from app.domain.elements import Calendar

# The hint every error message ends with: the four forms people use most.
HINT = "try 45m, 2h, 1.5d or 1w"

# A wait longer than this is a slip of the unit (2000w for 2000m), not a real queue.
MAX_YEARS = 10
# Working weeks in a year, for MAX_YEARS of working time; 10 years of 24x7 weeks
# still stays under fields.MAX_MINUTES, so a parsed value always passes validation.
WEEKS_PER_YEAR = 52

# What `format_duration` may lose: half a minute below an hour; above it one
# decimal of a unit the figure has at least one of, so at most 0.05 of 1 (5 %).
ROUND_TRIP_MINUTES = 0.5
ROUND_TRIP_SHARE = 0.05
# Typed text and the minutes it is stored beside may differ by float noise only.
SAME_MINUTES = 1e-6

MINUTES_PER_HOUR = 60
TENTH = Decimal("0.1")
# Room for every digit of the largest float and its tenth: a huge figure is shown, not a crash.
_WIDE = Context(prec=330)
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

# The vulgar fractions a sticky says ("½d", "1½d", "1 ½ days", "⅓d"): numerator, denominator.
_VULGAR: dict[str, tuple[int, int]] = {
    "\u00bc": (1, 4), "\u00bd": (1, 2), "\u00be": (3, 4), "\u2150": (1, 7),
    "\u2151": (1, 9), "\u2152": (1, 10), "\u2153": (1, 3), "\u2154": (2, 3),
    "\u2155": (1, 5), "\u2156": (2, 5), "\u2157": (3, 5), "\u2158": (4, 5),
    "\u2159": (1, 6), "\u215a": (5, 6), "\u215b": (1, 8), "\u215c": (3, 8),
    "\u215d": (5, 8), "\u215e": (7, 8),
}  # fmt: skip
_VULGARS = "\u00bc-\u00be\u2150-\u215e"
# A fraction as a keyboard types it: "1/2", or a whole number, a space and one ("1 1/2");
# the fraction slash (U+2044) is what some keyboards and word processors make of "/".
_SLASH = "/\u2044"
_TYPED_FRACTION = re.compile(rf"(?:(\d+)\s+)?(\d+)[{_SLASH}](\d+)")
_GLYPH_FRACTION = re.compile(rf"(?:(\d+)\s*)?([{_VULGARS}])")
# "1/64d" is a few minutes; past hundredths a fraction is a slip (or a date), not a
# duration anyone estimates, and the shown decimal would run on.
MAX_DENOMINATOR = 100
# One part: a number (comma or point decimal, a fraction, or a whole number and a fraction)
# and an optional unit, then an optional separator so "1d, 4h" and "1d + 4h" read like "1d 4h".
_PART = re.compile(
    rf"((?:\d+\s*)?[{_VULGARS}]|(?:\d+\s+)?\d+[{_SLASH}]\d+|\d+(?:[.,]\d+)?|\.\d+)"
    r"\s*([a-z]*)\s*(?:[,+]\s*)?"
)
# A fraction of a fraction ("1/2/3d", a date more likely than a duration).
_SLASHES = re.compile(rf"\d\s*[{_SLASH}]\s*\d+\s*[{_SLASH}]")
# A decimal over or under a fraction's line ("1.5/2d", "1/2.5d").
_DECIMAL_FRACTION = re.compile(rf"\d[.,]\d*\s*[{_SLASH}]|[{_SLASH}]\s*\d+[.,]\d")
_FRACTION_HINT = "write a fraction as 1/2d or 1 1/2d"
# Hours and minutes as on a clock ("1:30"): two-digit minutes, nothing glued after them
# ("1:30:00" and "1:30h" are refused rather than guessed).
_CLOCK = re.compile(r"(\d+):(\d\d)(?![\d:.a-z]|,\d)\s*(?:[,+]\s*)?")
# "1,000m" could be a thousand minutes or one: refuse to guess.
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
# Between the figures of a range: a hyphen, an en dash, or the word "to" standing
# alone ("2d to 5d"; "1 tostring" stays one, refused, figure). Never leading: a
# leading "-" is refused as negative before a range is looked for.
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\u2013|(?<![a-zA-Z])[tT][oO](?![a-zA-Z]))\s*")
# A range is low-high or low-likely-high.
_RANGE_FIGURES = (2, 3)


class DurationError(ValueError):
    """Text that is not a duration; the message says what to type instead."""


class Range(NamedTuple):
    """A duration typed as a range, in minutes: low <= likely <= high."""

    low: float
    likely: float
    high: float


def parse_duration(text: str, calendar: Calendar) -> float:
    """Minutes in `text`, reading `d` and `w` as working days and weeks of `calendar`.

    A bare number is minutes. Each unit may appear once ("1d 1d" is refused as
    a likely typo), in any order. A range ("2d-5d") gives its likely value.
    Raises `DurationError` with a message a facilitator can act on.

        >>> parse_duration("1,5d", Calendar(hours_per_day=8))
        720.0
        >>> parse_duration("2d-5d", Calendar(hours_per_day=8))
        1680.0
    """
    found = _read(text, calendar)
    return found.likely if isinstance(found, Range) else found


def parse_range(text: str, calendar: Calendar) -> Range | None:
    """The low, likely and high minutes of a range, or None when `text` is one duration.

    Raises `DurationError` for text that is neither, or a range that runs backwards.

        >>> parse_range("2d-3d-5d", Calendar()).likely
        1440.0
        >>> parse_range("5d", Calendar()) is None
        True
    """
    found = _read(text, calendar)
    return found if isinstance(found, Range) else None


def _read(text: str, calendar: Calendar) -> float | Range:
    """One duration's minutes, or a range's three figures."""
    typed = text.strip()
    shown = _quote(typed)
    _refuse_whole(typed, shown)
    pieces = _range_pieces(typed)
    if len(pieces) == 1:
        return _minutes(typed, shown, calendar)
    if "" in pieces:  # "2d-", "2d--5d", "to 5d"
        raise DurationError(f"{shown} is not a duration — {HINT}")
    if len(pieces) not in _RANGE_FIGURES:
        raise DurationError(
            f"{shown} has {len(pieces)} figures — a range is low-high (2d-5d)"
            " or low-likely-high (2d-3d-5d)"
        )
    figures = [_minutes(piece, _quote(piece), calendar) for piece in pieces]
    low, high = figures[0], figures[-1]
    likely = figures[1] if len(figures) == 3 else (low + high) / 2
    if not low <= likely <= high:
        tidied = "-".join(_tidied(piece) for piece in pieces)
        order = (
            "the smaller figure first"
            if len(figures) == 2
            else "low, likely and high in that order"
        )
        raise DurationError(f"the range {tidied} runs backwards: write {order}")
    return Range(low, likely, high)


def _range_pieces(typed: str) -> list[str]:
    """The figures of `typed` split at its range separators (one piece: no range).

    A bare number before a figure with a unit is in that figure's (first) unit, as it
    is said aloud: "2-3d" and "2 to 3 days" are 2d-3d, not 2 minutes to 3 days. A range
    bare throughout ("90-120") stays in minutes; a bare high figure ("2d-3") is not guessed;
    nor is a bare number larger than the next figure's, which that unit would turn
    backwards: "30-1h" is half an hour to an hour, as it always read.
    """
    pieces = _RANGE_SEPARATOR.split(typed)
    for i in range(len(pieces) - 2, -1, -1):
        bare = _PART.fullmatch(pieces[i].strip().lower())
        after = _PART.match(pieces[i + 1].strip().lower())
        if (
            bare
            and after
            and not bare.group(2)
            and after.group(2) in _UNITS
            and _number(bare.group(1)) <= _number(after.group(1))
        ):
            pieces[i] = pieces[i].strip() + after.group(2)
    return pieces


def _number(text: str) -> float:
    """A figure's number as _PART reads it, its decimal a point or a comma, or a fraction;
    NaN for a fraction that is no number ("1/0"), which its own figure then refuses."""
    try:
        return _value(_ascii(text))
    except DurationError:
        return math.nan


def _refuse_whole(typed: str, shown: str) -> None:
    """The refusals that look at the whole text, range or not."""
    cleaned = typed.lower()
    if not cleaned:
        raise DurationError(f"an empty box is not a duration — {HINT}")
    if len(cleaned) > MAX_TEXT:
        raise DurationError(f"{shown} is too long for a duration — {HINT}")
    if cleaned.startswith("-"):
        raise DurationError(f"{shown} is negative — a duration cannot be less than 0m")
    if _THOUSANDS.search(cleaned):
        raise DurationError(f"{shown} is ambiguous — write 1000m without a comma, or 1.5d")
    if _SLASHES.search(cleaned):
        raise DurationError(
            f"{shown} has a fraction of a fraction — write one fraction, as 1/2d or 1 1/2d"
        )
    if _DECIMAL_FRACTION.search(cleaned):
        raise DurationError(
            f"{shown} has a decimal in a fraction — write whole numbers (3/4d) or a decimal (0.75d)"
        )


def _minutes(typed: str, shown: str, calendar: Calendar) -> float:
    """Minutes in one duration (no range), stripped; `shown` quotes it in messages."""
    cleaned = typed.lower()
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
    return [(_value(number), unit) for number, unit in _parts(cleaned, shown)]


def _parts(cleaned: str, shown: str) -> list[tuple[str, str]]:
    """The (number as ASCII text, unit) parts of `cleaned`, checked; a bare number is minutes."""
    parts: list[tuple[str, str]] = []
    position = 0
    while position < len(cleaned):
        clock = _CLOCK.match(cleaned, position)
        if clock is not None:
            parts += _clock_parts(clock.group(1), clock.group(2), shown)
            position = clock.end()
            continue
        match = _PART.match(cleaned, position)
        if match is None:
            raise DurationError(f"{shown} is not a duration — {HINT}")
        number, word = match.groups()
        if word and word not in _UNITS:
            raise DurationError(f"{shown} is not a duration — {HINT}")
        parts.append((_ascii(number, shown), _UNITS.get(word, "")))
        position = match.end()
    if _minutes_after_hours(parts):
        parts[-1] = (parts[-1][0], "m")
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
    return [(number, unit or "m") for number, unit in parts]


def _clock_parts(hours: str, minutes: str, shown: str) -> list[tuple[str, str]]:
    """ "1:30" as the parts of "1h 30m"; "0:45" as "45m" alone (no one says "0h")."""
    if int(_ascii(minutes)) >= MINUTES_PER_HOUR:
        over = int(_ascii(minutes))
        raise DurationError(
            f"{shown} has {over} minutes after the colon — write"
            f" {int(_ascii(hours)) + 1}:{over - MINUTES_PER_HOUR:02d} or"
            f" {int(_ascii(hours)) + 1}h {over - MINUTES_PER_HOUR}m"
        )
    hour_part: list[tuple[str, str]] = [] if int(_ascii(hours)) == 0 else [(_ascii(hours), "h")]
    return [*hour_part, (_ascii(minutes), "m")]


def _minutes_after_hours(parts: list[tuple[str, str]]) -> bool:
    """Whether the last part is a bare whole number under 60 straight after the hours:
    "1h30" and "1h 30" are an hour and a half, as they are written in much of Europe.
    Anywhere else a bare number among units is refused ("1d 4", "30 1h", "30m 1h 5")."""
    if len(parts) < 2 or parts[-1][1] or parts[-2][1] != "h" or any(u == "m" for _, u in parts):
        return False
    number = parts[-1][0]
    return number.isdigit() and int(number) < MINUTES_PER_HOUR


def _ascii(number: str, shown: str = "") -> str:
    """A matched number in ASCII, as `_value` reads it and a typed form shows it: digits,
    a point for the comma, a fraction as its decimals when they end ("1 ½" and "1 1/2" ->
    "1.5", "⅛" -> "0.125"), else as a plain fraction ("⅓" -> "1/3", "1⅔" -> "1 2/3").
    `shown` quotes the whole text in the refusal of a fraction that is not a number."""
    glyph = _GLYPH_FRACTION.fullmatch(number)
    typed = _TYPED_FRACTION.fullmatch(number)
    if glyph is not None:
        whole, (over, under) = glyph.group(1), _VULGAR[glyph.group(2)]
    elif typed is not None:
        whole, over, under = typed.group(1), int(typed.group(2)), int(typed.group(3))
    else:
        return "".join("." if c in ".," else str(int(c)) for c in number)
    return _fraction_text(int(whole) if whole else None, over, under, shown)


def _fraction_text(whole: int | None, over: int, under: int, shown: str) -> str:
    """whole + over/under as exact decimals when they end, else "whole over/under"."""
    if under == 0:
        raise DurationError(f"{shown} divides by zero — {_FRACTION_HINT}")
    if under > MAX_DENOMINATOR:
        raise DurationError(
            f"{shown} is split finer than hundredths — write it in a smaller unit, e.g. 1m"
        )
    if whole is not None and over >= under:
        raise DurationError(
            f"{shown} has a whole number and a fraction of 1 or more — write e.g. 1 1/2d"
        )
    twos = fives = 0
    rest = under
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:  # a third, a sixth...: no decimal ends
        return f"{whole} {over}/{under}" if whole else f"{over}/{under}"
    places = max(twos, fives)
    digits = str(((whole or 0) * under + over) * 10**places // under).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}" if places else digits


def _value(number: str) -> float:
    """The number `_ascii` wrote: a decimal, or "whole over/under" divided once, exactly
    rounded (Python's int division and JavaScript's agree on every such double)."""
    if "/" not in number:
        return float(number)
    whole, _, fraction = number.rpartition(" ")
    over, _, under = fraction.partition("/")
    return (int(whole or 0) * int(under) + int(over)) / int(under)


def _quote(typed: str) -> str:
    if len(typed) > _QUOTE_LIMIT:
        typed = typed[: _QUOTE_LIMIT - 1] + "…"
    return f'"{typed}"'


# Every metrics recompute formats a dozen figures, most of them as they were last time
# (a renamed step changes none): Decimal rounding made that ~8 % of a recompute on 24 steps.
# Kept: the figures of the boards being edited now; strings of a few bytes each.
@functools.lru_cache(maxsize=4096)
def format_duration(minutes: float, calendar: Calendar) -> str:
    """`minutes` in the one style every figure not typed by a person is shown in.

    One decimal of the largest unit that fits, never weeks: whole minutes below
    an hour, hours below a working day, days from there on (rule 2 above).

        >>> format_duration(150, Calendar())
        '2.5h'
        >>> format_duration(11940, Calendar())
        '24.9d'
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"cannot show {minutes!r} as a duration")
    if round(minutes) < MINUTES_PER_HOUR:
        return f"{round(minutes)}m"
    hours = _tenths(minutes / MINUTES_PER_HOUR)
    if float(hours) < calendar.hours_per_day:
        return f"{hours}h"
    return f"{_tenths(minutes / calendar.minutes_per_day)}d"


def typed_form(text: str, calendar: Calendar) -> str:
    """What a person typed, tidied but in their own units and order (rule 1 above).

    A range keeps its figures, joined by a plain hyphen. Raises `DurationError`
    for text that is not a duration.

        >>> typed_form(" 1 day, 4 HOURS", Calendar())
        '1d 4h'
        >>> typed_form("90", Calendar())
        '90m'
        >>> typed_form("1d – 1.50d", Calendar())
        '1d-1.5d'
    """
    parse_duration(text, calendar)  # the same refusals, in the same words
    return "-".join(_tidied(piece) for piece in _range_pieces(text.strip()))


def _tidied(piece: str) -> str:
    """One duration (already read without error) in its tidied typed form."""
    cleaned = piece.strip().lower()
    return " ".join(_tidy(number) + unit for number, unit in _parts(cleaned, _quote(cleaned)))


def shown_duration(minutes: float, typed: str | None, calendar: Calendar) -> str:
    """A stored figure as shown: as typed while `typed` still says `minutes`, else the rule.

    >>> shown_duration(2400, "1w", Calendar())
    '1w'
    >>> shown_duration(2400, "1w", Calendar(days_per_week=4))  # the week got shorter
    '5d'
    """
    if typed and says_minutes(typed, minutes, calendar):
        return typed_form(typed, calendar)
    return format_duration(minutes, calendar)


def says_minutes(typed: str, minutes: float, calendar: Calendar) -> bool:
    """Whether `typed` parses to `minutes` on `calendar` (so it may stand for them).

    A range stands for its likely value: "2d-5d" says 1680 minutes on 8-hour days.
    """
    try:
        return abs(parse_duration(typed, calendar) - minutes) <= SAME_MINUTES
    except DurationError:
        return False


def typed_range(typed: str | None, minutes: float | None, calendar: Calendar) -> Range | None:
    """The range `typed` says while it still says `minutes` (its likely value) on
    `calendar`: the one reading of a step's typed range for the forecast, the what-if and
    the HTTP read. A range typed on another calendar (or with other minutes) says nothing,
    as a typed figure is then no longer shown (rule 1 above).

        >>> typed_range("2d-5d", 1680, Calendar()).low
        960.0
        >>> typed_range("2d-5d", 1680, Calendar(hours_per_day=7.5)) is None
        True
    """
    if not typed or minutes is None:
        return None
    try:
        found = parse_range(typed, calendar)
    except DurationError:
        return None
    if found is None or abs(found.likely - minutes) > SAME_MINUTES:
        return None
    return found


def _tidy(number: str) -> str:
    """'007' -> '7', '1.50' -> '1.5', '.5' -> '0.5', '2.0' -> '2'; a fraction as it is."""
    if "/" in number:
        return number
    whole, _, fraction = number.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return whole + ("." + fraction if fraction else "")


def _tenths(value: float) -> str:
    """One decimal, halves up as people round (1.25 -> '1.3'), without a trailing '.0'.

    Rounds the exact binary value, as JavaScript's toFixed(1) does, so both agree.
    """
    text = str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP, context=_WIDE))
    return text[:-2] if text.endswith(".0") else text
