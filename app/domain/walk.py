"""The example walk: one real item's timestamps turned into actual wait and process times.

In the workshop one recent item is walked through the map. For each step people
record when the item arrived (optional: by default it arrived when the previous
step on the path finished), when work on it started and when it finished. The
actual wait is arrival to start, the actual process time start to finish.

Durations are counted in *working* time of the board's calendar, the same
calendar that makes "1d" mean 8 hours: a working day runs for `hours_per_day`
hours from WORKDAY_START_HOUR (earlier when the day is longer, so it still fits
in 24 hours), on the first `days_per_week` days of the week from Monday (a 4.5-day
week works the first half of Friday, so a week is what "1w" says). So a
request that arrives Friday 16:00 and is picked up Monday 10:00 waited 2 hours,
which is what the wait estimates people write mean.

    >>> from app.domain.elements import Calendar, Step
    >>> cal = Calendar()
    >>> working_minutes(parse_moment("2026-11-20T16:00"), parse_moment("2026-11-23T10:00"), cal)
    120.0

Timestamps are local wall-clock times of the workshop ("YYYY-MM-DDTHH:MM"); the
example is about one organisation, so no time zones.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from app.domain.elements import Calendar, Step

# The working day starts at 9:00 unless it is too long to fit after that.
WORKDAY_START_HOUR = 9.0
# Any Monday: counting working time from a Monday makes whole weeks line up.
_EPOCH = date(2000, 1, 3)
_MINUTES_PER_DAY = 24 * 60
# A timestamp people could mean in a workshop about a real, recent item.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class BadMoment(ValueError):
    """A timestamp Flowmap cannot read; the message says what it expects."""


@lru_cache(maxsize=4096)
def parse_moment(text: str) -> datetime:
    """Read "2026-11-20T16:00" (seconds allowed, no time zone) to a naive datetime.

    >>> parse_moment("2026-11-20 16:00:30")
    datetime.datetime(2026, 11, 20, 16, 0, 30)
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadMoment("must be a date and time like 2026-11-20T16:00") from None
    if moment.tzinfo is not None:
        raise BadMoment("must be a local time without a time zone, like 2026-11-20T16:00")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise BadMoment(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment


def format_moment(moment: datetime) -> str:
    return moment.strftime(MOMENT_FORMAT) + (f":{moment.second:02d}" if moment.second else "")


def _window(calendar: Calendar) -> tuple[float, float]:
    """The working day as (start, end) in minutes after midnight."""
    length = min(calendar.hours_per_day, 24.0) * 60.0
    start = min(WORKDAY_START_HOUR * 60.0, _MINUTES_PER_DAY - length)
    return start, start + length


def _working_days(calendar: Calendar) -> tuple[int, float]:
    """How many whole days of the week (from Monday) are worked, at least one, and the
    share of the next day worked too (a 4.5-day week works Friday's first half), so a
    week holds the `days_per_week` that "1w" means."""
    days = max(1.0, min(7.0, calendar.days_per_week))
    whole = math.floor(days)
    return whole, days - whole


def _worked_before(moment: datetime, calendar: Calendar) -> float:
    """Working minutes from the epoch Monday 00:00 to `moment` (negative before it)."""
    start, end = _window(calendar)
    per_day = end - start
    days_worked, share = _working_days(calendar)
    part = share * per_day  # worked on the day after the whole ones, from the day's start
    day_index = (moment.date() - _EPOCH).days
    weeks, weekday = divmod(day_index, 7)
    total = weeks * (days_worked * per_day + part) + min(weekday, days_worked) * per_day
    if weekday > days_worked:
        total += part
    into = moment.hour * 60.0 + moment.minute + moment.second / 60.0
    if weekday < days_worked:
        total += min(max(into - start, 0.0), per_day)
    elif weekday == days_worked and part:
        total += min(max(into - start, 0.0), part)
    return total


def working_minutes(begin: datetime, finish: datetime, calendar: Calendar) -> float:
    """Working time between two moments; negative when `finish` is before `begin`.

    >>> cal = Calendar(hours_per_day=8, days_per_week=5)
    >>> working_minutes(datetime(2026, 11, 23, 9), datetime(2026, 11, 30, 9), cal) / 60
    40.0
    """
    return _worked_before(finish, calendar) - _worked_before(begin, calendar)


class StepWalk(NamedTuple):
    """One path step's actual times from the example; None where not recorded."""

    id: str
    wait_minutes: float | None
    process_minutes: float | None


class WalkProblem(NamedTuple):
    """A step whose timestamps contradict each other; the walk skips that figure."""

    id: str
    text: str
    problem: str


class ExampleWalk(NamedTuple):
    """The example item's actual times along the path, and their totals."""

    steps: tuple[StepWalk, ...]
    lead_time_minutes: float
    process_time_minutes: float
    measured_steps: int
    complete: bool
    problems: tuple[WalkProblem, ...]

    @property
    def activity_ratio(self) -> float:
        lead = self.lead_time_minutes
        return self.process_time_minutes / lead if lead > 0 else 0.0


@lru_cache(maxsize=8192)
def _clock(value: str | None, calendar: Calendar) -> float | None:
    """Working minutes from the epoch to a stored timestamp; None when unset.

    Cached: the metrics run after every edit and the same timestamps come back
    each time, so each is read and counted once.
    """
    # Validation keeps unreadable text out; if old data holds some, it reads as unset.
    if not value:
        return None
    try:
        return _worked_before(parse_moment(value), calendar)
    except BadMoment:
        return None


def walk_path(path: list[Step], calendar: Calendar) -> ExampleWalk | None:
    """The example walk along `path` (steps in flow order); None when nobody recorded one.

    >>> from app.domain.elements import Step
    >>> a = Step(id="a", walk_start="2026-11-23T09:00", walk_end="2026-11-23T11:00")
    >>> b = Step(id="b", walk_start="2026-11-24T09:00", walk_end="2026-11-24T10:00")
    >>> w = walk_path([a, b], Calendar())
    >>> [(s.wait_minutes, s.process_minutes) for s in w.steps]
    [(None, 120.0), (360.0, 60.0)]
    """
    if not any(s.walk_start or s.walk_end or s.walk_ready for s in path):
        return None
    rows: list[StepWalk] = []
    problems: list[WalkProblem] = []
    previous_end: float | None = None
    for step in path:
        ready = _clock(step.walk_ready, calendar)
        start, end = _clock(step.walk_start, calendar), _clock(step.walk_end, calendar)
        arrived = ready if ready is not None else previous_end
        wait = _span(arrived, start)
        process = _span(start, end)
        if wait is not None and wait < 0:
            why = "arrived" if ready is not None else "the step before it finished"
            problems.append(WalkProblem(step.id, step.text, f"started before {why}"))
            wait = None
        if process is not None and process < 0:
            problems.append(WalkProblem(step.id, step.text, "finished before it started"))
            process = None
        rows.append(StepWalk(step.id, wait, process))
        # An unrecorded finish leaves the next step's arrival unknown, not guessed.
        previous_end = end
    waits = [r.wait_minutes for r in rows if r.wait_minutes is not None]
    processes = [r.process_minutes for r in rows if r.process_minutes is not None]
    process_time = math.fsum(processes)
    measured = sum(1 for r in rows if r.process_minutes is not None)
    # The first step's wait needs an arrival time; without one it is simply not counted.
    complete = all(r.process_minutes is not None for r in rows) and all(
        r.wait_minutes is not None for r in rows[1:]
    )
    return ExampleWalk(
        steps=tuple(rows),
        lead_time_minutes=math.fsum([*waits, process_time]),
        process_time_minutes=process_time,
        measured_steps=measured,
        complete=complete,
        problems=tuple(problems),
    )


def _span(begin: float | None, finish: float | None) -> float | None:
    return None if begin is None or finish is None else finish - begin
