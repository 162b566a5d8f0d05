"""What each field of an element or of the board frame may hold.

Every value that reaches the board from outside passes through one of these
validators. A validator returns the normalised value or raises `Invalid` with a
reason a person can read.

    >>> STEP_FIELDS["pca"](85)
    85.0
    >>> STEP_FIELDS["pca"](120)
    Traceback (most recent call last):
    ...
    app.domain.fields.Invalid: must be between 0 and 100

Over 300 lines on purpose: one table of every field's rule, for every kind and the
board, so a field's limit is found in one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType

from app.domain.bidi import UNCLOSED, unclosed_direction
from app.domain.echo import excerpt
from app.domain.elements import (
    CONNECTOR_KINDS,
    ESTIMATE_FIELDS,
    EXPERIMENT_METRICS,
    EXPERIMENT_STATUSES,
    FIGURES_FROM,
    MAX_TEAMS,
    NOTE_VARIANTS,
    PALETTE,
    WASTES,
    Team,
)
from app.domain.measured_shape import check_summary
from app.domain.names import person_name
from app.domain.walk import BadMoment, format_moment, parse_moment

Validator = Callable[[object], object]

# Ten years of round-the-clock minutes: anything longer is a typo, not a wait.
MAX_MINUTES = 10 * 365 * 24 * 60
# Long enough for a paragraph on a sticky; short enough to keep frames small.
MAX_TEXT = 2000
MAX_FRAME_TEXT = 500
# durations.MAX_TEXT: longer text is refused by the parser anyway.
MAX_DURATION_TEXT = 60
# The canvas is large but finite, so a stray 1e300 cannot break layout maths.
MAX_COORD = 1_000_000.0
MIN_SIZE, MAX_SIZE = 8.0, 4000.0
# A timebox in a workshop: minutes to a couple of hours, never a day.
MAX_TIMER_SECONDS = 4 * 60 * 60
MAX_TIMER_LABEL = 80

# A board's life after the workshop: being mapped, a version published, that version validated.
BOARD_STATES = ("mapping", "published", "validated")

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


class Invalid(ValueError):
    """A value that a field cannot hold; the message says why."""


def number(lo: float, hi: float, *, nullable: bool = False, hi_open: bool = False) -> Validator:
    """A finite number in [lo, hi] (or [lo, hi) when hi_open)."""
    upper = f"less than {hi:g}" if hi_open else f"at most {hi:g}"

    def check(value: object) -> object:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid("must be a number" + (" or null" if nullable else ""))
        if isinstance(value, float) and not math.isfinite(value):
            raise Invalid("must be a finite number")
        # Compared before float(): the websocket's JSON reads 10**400 as a whole integer,
        # which no float holds (OverflowError), and Python compares it exactly.
        if value < lo or value > hi or (hi_open and value >= hi):
            if lo == 0 and hi == 100:
                raise Invalid("must be between 0 and 100")
            raise Invalid(
                "cannot be negative" if value < lo == 0 else f"must be {lo:g} or more, {upper}"
            )
        return float(value)

    return check


# A rework rate is at most this: 99 extra trips round the loop on average. A rate nearer 1
# means nothing more to a workshop, and nested loops multiply their trips (two at
# 0.9999999999999999 made a lead time of ~1e38 minutes): the metrics count no more, so
# no more is taken, and a rate the board holds is always the one its figures use.
MAX_REWORK_RATE = 0.99
_rate = number(0, MAX_REWORK_RATE, nullable=True)


def _rework_rate(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > MAX_REWORK_RATE:
        raise Invalid(
            f"must be at most {MAX_REWORK_RATE:g}: 99 in 100 items going round again is as much"
            " rework as a map can count"
        )
    return _rate(value)


def integer(lo: int, hi: int, *, nullable: bool = False) -> Validator:
    """A whole number in [lo, hi]."""

    def check(value: object) -> object:
        if value is None and nullable:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("must be a whole number" + (" or null" if nullable else ""))
        if value < lo:
            raise Invalid("cannot be negative" if lo == 0 else f"must be {lo} or more")
        if value > hi:
            raise Invalid(f"must be at most {hi}")
        return value

    return check


def text(limit: int) -> Validator:
    def check(value: object) -> object:
        if not isinstance(value, str):
            raise Invalid("must be text")
        if len(value) > limit:
            raise Invalid(f"is too long ({len(value)} characters; at most {limit})")
        if "\x00" in value:  # PostgreSQL cannot store it; no keyboard types it
            raise Invalid("cannot contain the NUL character")
        control = unclosed_direction(value)
        if control is not None:  # it would reverse the map's words after it (domain/bidi.py)
            raise Invalid(UNCLOSED.format(control=control))
        return value

    return check


def choice(options: tuple[str, ...]) -> Validator:
    def check(value: object) -> object:
        if value not in options:
            raise Invalid("must be one of " + ", ".join(options))
        return value

    return check


def color(value: object) -> object:
    if isinstance(value, str) and (value in PALETTE or COLOR_PATTERN.fullmatch(value)):
        return value
    raise Invalid("must be a palette colour (" + ", ".join(PALETTE) + ") or #rrggbb")


def element_id(value: object) -> object:
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return value
    raise Invalid("must be 1 to 64 letters, digits, '-' or '_'")


def waste_tags(value: object) -> object:
    if not isinstance(value, list | tuple):
        raise Invalid("must be a list of waste tags")
    for tag in value:
        if tag not in WASTES:
            raise Invalid(f"has an unknown tag {excerpt(tag)}; the wastes are " + ", ".join(WASTES))
    if len(set(value)) != len(value):
        raise Invalid("lists a tag twice")
    return tuple(value)


def moment(value: object) -> object:
    """A local timestamp of the example walk, normalised to "YYYY-MM-DDTHH:MM"; or null."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Invalid("must be a date and time like 2026-11-20T16:00, or null")
    try:
        return format_moment(parse_moment(value))
    except BadMoment as e:
        raise Invalid(str(e)) from None


_BOX: dict[str, Validator] = {
    "x": number(-MAX_COORD, MAX_COORD),
    "y": number(-MAX_COORD, MAX_COORD),
    "w": number(MIN_SIZE, MAX_SIZE),
    "h": number(MIN_SIZE, MAX_SIZE),
    "text": text(MAX_TEXT),
    "color": color,
}
_minutes = number(0, MAX_MINUTES, nullable=True)


def typed_duration(value: object) -> object:
    """A duration as a person typed it ("5d"), or null; typed.py checks it says the minutes."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Invalid("must be the duration as typed, like 5d, or null")
    if len(value) > MAX_DURATION_TEXT:
        raise Invalid(f"is too long for a duration (at most {MAX_DURATION_TEXT} characters)")
    return value


def team_id(value: object) -> object:
    """A step's owner: a team's id, or null (operations.py checks the team exists)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return value
    raise Invalid("must be a team's id (1 to 64 letters, digits, '-' or '_') or null")


STEP_FIELDS: Mapping[str, Validator] = MappingProxyType(
    _BOX
    | {
        "wait_minutes": _minutes,
        "process_minutes": _minutes,
        "wait_text": typed_duration,
        "process_text": typed_duration,
        # A range in minutes (DESIGN 4), taken as the typed range it says (ranges.py).
        "wait_low_minutes": _minutes,
        "wait_high_minutes": _minutes,
        "process_low_minutes": _minutes,
        "process_high_minutes": _minutes,
        "pca": number(0, 100, nullable=True),
        "people": integer(0, 100_000, nullable=True),
        "waste": waste_tags,
        "walk_ready": moment,
        "walk_start": moment,
        "walk_end": moment,
        # A team id; operations.py checks it names one of the board's teams.
        "owner": team_id,
    }
)
INVENTORY_FIELDS: Mapping[str, Validator] = MappingProxyType(
    _BOX | {"count": integer(0, 1_000_000_000, nullable=True)}
)
NOTE_FIELDS: Mapping[str, Validator] = MappingProxyType(_BOX | {"variant": choice(NOTE_VARIANTS)})
CONNECTOR_FIELDS: Mapping[str, Validator] = MappingProxyType(
    {
        "text": text(MAX_TEXT),
        "color": color,
        "source": element_id,
        "target": element_id,
        "connector": choice(CONNECTOR_KINDS),
        # A rate of 1 would send every item round the loop for ever.
        "rework_rate": _rework_rate,
    }
)


def presenter(value: object) -> object:
    """A browser's client id, or "" for nobody presenting."""
    return "" if value in ("", None) else element_id(value)


def flag(value: object) -> object:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def optional_id(value: object) -> object:
    return None if value is None else element_id(value)


# Comments, estimates and dots: who wrote them (author, author_id, at) is stamped
# by the server from the connection, so clients cannot set those fields.
COMMENT_FIELDS: Mapping[str, Validator] = MappingProxyType(
    {"target": element_id, "parent": optional_id, "text": text(MAX_TEXT)}
)
ESTIMATE_FIELDS_SPEC: Mapping[str, Validator] = MappingProxyType(
    {"target": element_id, "field": choice(ESTIMATE_FIELDS), "minutes": _minutes}
)
# Enough dots for any prioritisation; more would make every vote a tie.
MAX_DOTS = 20
VOTE_FIELDS: Mapping[str, Validator] = MappingProxyType(
    {"text": text(MAX_FRAME_TEXT), "dots": integer(1, MAX_DOTS), "open": flag}
)
DOT_FIELDS: Mapping[str, Validator] = MappingProxyType({"vote": element_id, "target": element_id})


def review_date(value: object) -> object:
    """An experiment's review date, "YYYY-MM-DD", or null."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise Invalid("must be a date like 2027-01-31, or null")


EXPERIMENT_FIELDS: Mapping[str, Validator] = MappingProxyType(
    _BOX
    | {
        "metric": choice(EXPERIMENT_METRICS),
        "baseline": number(0, MAX_MINUTES, nullable=True),
        "target": number(0, MAX_MINUTES, nullable=True),
        "review": review_date,
        "status": choice(EXPERIMENT_STATUSES),
        "result": text(MAX_TEXT),
    }
)

FIELDS_BY_KIND: Mapping[str, Mapping[str, Validator]] = MappingProxyType(
    {
        "step": STEP_FIELDS,
        "inventory": INVENTORY_FIELDS,
        "note": NOTE_FIELDS,
        "connector": CONNECTOR_FIELDS,
        "comment": COMMENT_FIELDS,
        "estimate": ESTIMATE_FIELDS_SPEC,
        "vote": VOTE_FIELDS,
        "dot": DOT_FIELDS,
        "experiment": EXPERIMENT_FIELDS,
    }
)

MIN_DEMAND, MAX_DEMAND = 1 / 365, 1_000_000.0


def demand_number(value: object) -> object:
    """A demand must be more than 0 (0 items a day is no demand: leave it null)."""
    checked = number(0, MAX_DEMAND, nullable=True)(value)
    if isinstance(checked, float) and checked < MIN_DEMAND:
        raise Invalid("must be more than 0 (at least one item a year), or null")
    return checked


def measured_summary(value: object) -> object:
    """A measured summary (measured_shape.py) or null; who may set one, hub/plan.py says."""
    try:
        return check_summary(value)
    except ValueError as err:
        raise Invalid(str(err)) from None


# A team's name reads in a lane label and a table row: a few words, not a paragraph.
MAX_TEAM_NAME = 60


def teams(value: object) -> object:
    """The map's teams as a whole list, each {id, name, color}: a tuple of `Team`.

    >>> teams([{"id": "t-dev", "name": " Development ", "color": "blue"}])
    (Team(id='t-dev', name='Development', color='blue'),)
    >>> teams([{"id": "a", "name": "QA"}, {"id": "b", "name": "qa"}])
    Traceback (most recent call last):
    ...
    app.domain.fields.Invalid: has two teams called 'qa' (names must differ, ignoring case)
    """
    if not isinstance(value, list | tuple):
        raise Invalid("must be a list of teams, each {id, name, color}")
    if len(value) > MAX_TEAMS:
        raise Invalid(f"has {len(value)} teams; a map can have at most {MAX_TEAMS}")
    out: list[Team] = []
    ids: set[str] = set()
    names: set[str] = set()
    for i, raw in enumerate(value):
        team = _team(raw, i)
        if team.id in ids:
            raise Invalid(f"has two teams with the id {excerpt(team.id)}")
        if team.name.casefold() in names:
            twice = f"has two teams called {excerpt(team.name)}"
            raise Invalid(f"{twice} (names must differ, ignoring case)")
        ids.add(team.id)
        names.add(team.name.casefold())
        out.append(team)
    return tuple(out)


def _team(raw: object, i: int) -> Team:
    where = f"team {i + 1}"
    if not isinstance(raw, Mapping):
        raise Invalid(f"{where} must be an object {{id, name, color}}")
    unknown = set(raw) - {"id", "name", "color"}
    if unknown:
        raise Invalid(f"{where} has an unknown field {excerpt(sorted(unknown)[0])}")
    try:
        team_id = str(element_id(raw.get("id")))
    except Invalid as err:
        raise Invalid(f"{where}: id {err}") from None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Invalid(f"{where} needs a name")
    try:  # as a display name: a lane or owner chip must read as one team, not look alike
        name = person_name(name)
    except ValueError as err:
        raise Invalid(f"{where}: {err}") from None
    if len(name) > MAX_TEAM_NAME:
        raise Invalid(f"{where}: the name is too long (at most {MAX_TEAM_NAME} characters)")
    if "\x00" in name:
        raise Invalid(f"{where}: the name cannot contain the NUL character")
    try:
        shade = str(color(raw.get("color", "grey")))
    except Invalid as err:
        raise Invalid(f"{where}: color {err}") from None
    return Team(team_id, name, shade)


BOARD_FIELDS: Mapping[str, Validator] = MappingProxyType(
    {
        "title": text(200),
        "scope": text(MAX_FRAME_TEXT),
        "customer": text(MAX_FRAME_TEXT),
        "trigger": text(MAX_FRAME_TEXT),
        "delivery": text(MAX_FRAME_TEXT),
        "owner": text(MAX_FRAME_TEXT),
        "hours_per_day": number(1, 24),
        "days_per_week": number(1, 7),
        # Items per working day; null clears it. At least one item a year, at most a
        # million a day: beyond either the takt time stops meaning anything.
        "demand_per_day": demand_number,
        # Which figures the metrics use, and the event log's measurements (null clears them;
        # only the server sets a summary: hub/plan.py _forbidden).
        "figures_from": choice(FIGURES_FROM),
        "measured": measured_summary,
        # The teams steps may name as owner (the whole list; operations.py checks no step
        # still names a dropped one), and whether lanes are drawn.
        "teams": teams,
        "swimlanes": flag,
        "locked": flag,
        # A countdown is started by its length; the server turns it into timer_ends_at.
        "timer_seconds": number(0, MAX_TIMER_SECONDS, nullable=True),
        "timer_label": text(MAX_TIMER_LABEL),
        "presenter": presenter,
        # Set only by the server, from publishing and validation (hub/room.py SERVER_ROLE).
        "state": choice(BOARD_STATES),
    }
)
