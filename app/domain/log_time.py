"""An item's rows of an event log in the order they happened, as working minutes.

Rows are ordered by their wall-clock times, which one night a year read two ways: the
hour the clocks go back comes twice. A log that gives offsets says which is which
(2026-10-25T02:10+01:00 is 20 minutes after 02:50+02:00), so an item whose every time
says its offset is ordered in time and measured so; a log without offsets keeps, in that
night, the order of its file, which a tracker writes as things happened.

    >>> from app.domain.elements import Calendar
    >>> from app.domain.event_log import read_log
    >>> from app.domain.measured import clock_of
    >>> rows = read_log(b"item,step,started,finished\\n"
    ...     b"A,Fix,2026-10-25T02:10+01:00,2026-10-25T02:40+01:00\\n"
    ...     b"A,Triage,2026-10-25T02:30+02:00,2026-10-25T02:50+02:00\\n")
    >>> [row.step for row in by_item(rows)[0]]
    ['Triage', 'Fix']
    >>> every_hour = Calendar(hours_per_day=24, days_per_week=7)
    >>> triage, fix = timed(by_item(rows)[0], clock_of(every_hour), night_share(every_hour))
    >>> fix.started - triage.finished
    20.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from typing import NamedTuple

from app.domain.elements import Calendar
from app.domain.event_log import EventRow
from app.domain.walk import working_minutes

# Any Sunday (walk.py counts from the Monday before it).
_SUNDAY = datetime(2000, 1, 9)

# The clocks go back in the small hours of a Sunday (Europe from 03:00 to 02:00 on the
# last Sunday of October, North America from 02:00 to 01:00 on the first of November,
# Australia and New Zealand from 03:00 to 02:00 on the first of April), so a wall-clock
# time in this window of those Sundays may be one of two: written without offsets, an
# item's rows that start in it keep the order of the file, which a tracker writes as it
# happened. (month, first and last day) of each Sunday:
CHANGE_WEEKDAY = 6
CHANGE_NIGHT = (time(1), time(3))
CHANGE_SUNDAYS = ((10, 25, 31), (11, 1, 7), (4, 1, 7))


class Timed(NamedTuple):
    """One row of an item as working minutes on the item's clock."""

    item: str
    step: str
    arrived: float | None
    started: float
    finished: float


def by_item(rows: Sequence[EventRow]) -> list[list[EventRow]]:
    """Each item's rows in the order it went through them: by start, then finish, in time
    when every time of the item says its offset, else as written (the file's order
    where the hour the clocks go back makes that ambiguous)."""
    groups: dict[str, list[EventRow]] = {}
    for row in rows:
        groups.setdefault(row.item, []).append(row)
    return [
        sorted(group, key=_in_time if _all_offsets(group) else _as_written)
        for _, group in sorted(groups.items())
    ]


def _all_offsets(item_rows: Sequence[EventRow]) -> bool:
    """Whether every time of an item says its offset (an empty arrival says nothing)."""
    return all(
        None not in row.offsets[1:] and (row.arrived is None or row.offsets[0] is not None)
        for row in item_rows
    )


def _in_time(row: EventRow) -> tuple[datetime, datetime, int]:
    _, started, finished = row.offsets
    return (
        row.started - timedelta(minutes=started or 0),
        row.finished - timedelta(minutes=finished or 0),
        row.row,
    )


def _as_written(row: EventRow) -> tuple[datetime, int, datetime, datetime, int]:
    moment = row.started
    if _may_come_twice(moment):
        return (datetime.combine(moment.date(), CHANGE_NIGHT[0]), row.row, moment, row.finished, 0)
    return (moment, 0, moment, row.finished, row.row)


def _may_come_twice(moment: datetime) -> bool:
    """Whether a wall-clock time lies in the night some zone's clocks go back."""
    return (
        moment.weekday() == CHANGE_WEEKDAY
        and CHANGE_NIGHT[0] <= moment.time() < CHANGE_NIGHT[1]
        and any(m == moment.month and a <= moment.day <= b for m, a, b in CHANGE_SUNDAYS)
    )


def night_share(calendar: Calendar) -> float:
    """How much of the night the clocks change the calendar works (1 for a 24/7 team, 0
    for office hours): the share of the hour they go back (or forward) that is working time."""
    begin, end = (datetime.combine(_SUNDAY.date(), t) for t in CHANGE_NIGHT)
    return working_minutes(begin, end, calendar) / ((end - begin) / timedelta(minutes=1))


def timed(
    item_rows: Sequence[EventRow], clock: Callable[[datetime], float], night: float
) -> list[Timed]:
    """An item's rows in working minutes. When every time says its offset, a time an hour
    behind another's offset (the clocks went back between them) is that hour's working
    share later: 02:10+01:00 is 20 minutes after 02:50+02:00 for a team working nights."""
    shifted = _all_offsets(item_rows)

    def at(moment: datetime, offset: int | None) -> float:
        return clock(moment) - (night * offset if shifted and offset is not None else 0.0)

    return [
        Timed(
            row.item,
            row.step,
            None if row.arrived is None else at(row.arrived, row.offsets[0]),
            at(row.started, row.offsets[1]),
            at(row.finished, row.offsets[2]),
        )
        for row in item_rows
    ]
