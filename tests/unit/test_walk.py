"""The example walk: timestamps to actual wait and process times in working time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.durations import parse_duration
from app.domain.elements import Board, Calendar, Connector, Step
from app.domain.metrics import compute_metrics
from app.domain.operations import Rejection, Update, apply
from app.domain.walk import BadMoment, parse_moment, walk_path, working_minutes

EIGHT_FIVE = Calendar(hours_per_day=8, days_per_week=5)
HOUR = 60.0


def at(text: str) -> datetime:
    return parse_moment(text)


# 2026-11-23 is a Monday.
@pytest.mark.parametrize(
    ("begin", "finish", "hours"),
    [
        ("2026-11-23T09:00", "2026-11-23T17:00", 8),  # one working day
        ("2026-11-23T08:00", "2026-11-23T18:00", 8),  # before and after hours do not count
        ("2026-11-23T10:30", "2026-11-23T11:15", 0.75),
        ("2026-11-20T16:00", "2026-11-23T10:00", 2),  # Friday to Monday: the weekend is free
        ("2026-11-21T10:00", "2026-11-22T18:00", 0),  # all weekend
        ("2026-11-23T09:00", "2026-11-30T09:00", 40),  # a working week
        ("2026-11-23T09:00", "2027-11-22T09:00", 52 * 40),  # 52 weeks
        ("2026-11-23T12:00", "2026-11-23T12:00", 0),
        ("2026-11-23T17:00", "2026-11-24T09:00", 0),  # overnight
    ],
)
def test_working_minutes_count_only_the_working_calendar(
    begin: str, finish: str, hours: float
) -> None:
    assert working_minutes(at(begin), at(finish), EIGHT_FIVE) == hours * HOUR


def test_a_round_the_clock_calendar_counts_wall_time() -> None:
    cal = Calendar(hours_per_day=24, days_per_week=7)
    begin, finish = at("2026-11-20T16:00"), at("2026-11-23T10:00")
    assert working_minutes(begin, finish, cal) == (finish - begin) / timedelta(minutes=1)


def test_a_long_working_day_still_fits_in_the_day() -> None:
    # 16 working hours cannot start at 9:00, so the day runs 8:00 to 24:00.
    cal = Calendar(hours_per_day=16, days_per_week=5)
    assert working_minutes(at("2026-11-23T00:00"), at("2026-11-24T00:00"), cal) == 16 * HOUR


def test_six_day_weeks_count_saturday() -> None:
    cal = Calendar(hours_per_day=8, days_per_week=6)
    assert working_minutes(at("2026-11-21T09:00"), at("2026-11-21T17:00"), cal) == 8 * HOUR


# Timestamps people record are to the minute.
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
calendars = st.builds(
    Calendar,
    hours_per_day=st.sampled_from([4.0, 7.5, 8.0, 10.0, 24.0]),
    days_per_week=st.sampled_from([1.0, 4.0, 5.0, 6.0, 7.0]),
)


@given(moments, moments, moments, calendars)
def test_working_time_adds_up_and_never_exceeds_wall_time(
    a: datetime, b: datetime, c: datetime, cal: Calendar
) -> None:
    a, b, c = sorted([a, b, c])
    ab, bc = working_minutes(a, b, cal), working_minutes(b, c, cal)
    assert ab >= 0 and bc >= 0
    assert working_minutes(a, c, cal) == pytest.approx(ab + bc)
    assert ab <= (b - a) / timedelta(minutes=1) + 1e-6
    assert working_minutes(b, a, cal) == pytest.approx(-ab)


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-13-01T10:00", "2026-11-20T10:00+01:00", "1900-01-01T00:00", ""]
)
def test_unreadable_timestamps_say_what_is_expected(text: str) -> None:
    with pytest.raises(BadMoment, match="must be"):
        parse_moment(text)


def test_timestamps_are_normalised_when_set() -> None:
    board = Board(id="b", elements={"a": Step(id="a")})
    after, result = apply(board, Update("a", {"walk_start": "2026-11-23 09:00:00"}))
    assert not isinstance(result, Rejection), result
    assert after.elements["a"].walk_start == "2026-11-23T09:00"  # type: ignore[union-attr]


def test_a_bad_timestamp_is_rejected_with_the_field_named() -> None:
    board = Board(id="b", elements={"a": Step(id="a")})
    _, result = apply(board, Update("a", {"walk_end": "next tuesday"}))
    assert isinstance(result, Rejection)
    assert result.reason == "walk_end must be a date and time like 2026-11-20T16:00"


def walked(sid: str, x: float, start: str | None, end: str | None, **kw: object) -> Step:
    return Step(id=sid, text=sid.upper(), x=x, walk_start=start, walk_end=end, **kw)  # type: ignore[arg-type]


def test_walk_gives_actual_waits_and_process_times_along_the_path() -> None:
    steps = [
        walked("a", 0, "2026-11-23T09:00", "2026-11-23T13:00", walk_ready="2026-11-20T09:00"),
        walked("b", 200, "2026-11-24T09:00", "2026-11-24T10:00"),
        walked("c", 400, "2026-11-26T09:00", "2026-11-27T17:00"),
    ]
    walk = walk_path(steps, EIGHT_FIVE)
    assert walk is not None
    actual = [(s.wait_minutes, s.process_minutes) for s in walk.steps]
    # a waited Fri 9:00 -> Mon 9:00 (one working day), worked 4h;
    # b waited Mon 13:00 -> Tue 9:00 (4h), worked 1h; c waited Tue 10:00 -> Thu 9:00 (15h).
    assert actual == [(8 * HOUR, 4 * HOUR), (4 * HOUR, 1 * HOUR), (15 * HOUR, 16 * HOUR)]
    assert walk.lead_time_minutes == (8 + 4 + 4 + 1 + 15 + 16) * HOUR
    assert walk.process_time_minutes == 21 * HOUR
    assert walk.complete and walk.measured_steps == 3 and walk.problems == ()


def test_a_gap_in_the_walk_leaves_the_next_wait_unknown_rather_than_guessed() -> None:
    steps = [
        walked("a", 0, "2026-11-23T09:00", None),
        walked("b", 200, "2026-11-24T09:00", "2026-11-24T10:00"),
    ]
    walk = walk_path(steps, EIGHT_FIVE)
    assert walk is not None
    assert [(s.wait_minutes, s.process_minutes) for s in walk.steps] == [(None, None), (None, HOUR)]
    assert not walk.complete and walk.measured_steps == 1


def test_contradicting_timestamps_are_reported_not_counted() -> None:
    steps = [
        walked("a", 0, "2026-11-23T12:00", "2026-11-23T10:00"),
        walked("b", 200, "2026-11-23T09:00", "2026-11-23T11:00", walk_ready="2026-11-23T10:00"),
    ]
    walk = walk_path(steps, EIGHT_FIVE)
    assert walk is not None
    assert [(p.id, p.problem) for p in walk.problems] == [
        ("a", "finished before it started"),
        ("b", "started before arrived"),
    ]
    assert walk.steps[0].process_minutes is None and walk.steps[1].wait_minutes is None


def test_no_walk_recorded_means_no_example_in_the_metrics() -> None:
    board = Board(id="b", elements={"a": Step(id="a", wait_minutes=10)})
    assert compute_metrics(board).to_json()["example"] is None


def test_metrics_carry_the_walk_beside_the_estimates_in_path_order() -> None:
    a = walked(
        "a", 500, "2026-11-23T09:00", "2026-11-23T11:00", wait_minutes=60, process_minutes=60
    )
    b = walked("b", 0, "2026-11-23T13:00", "2026-11-23T14:00", wait_minutes=30, process_minutes=30)
    arrow = Connector(id="ab", source="a", target="b")
    out = compute_metrics(Board(id="x", elements={"a": a, "b": b, "ab": arrow})).to_json()
    assert out["path"] == ["a", "b"]  # the arrow beats x order
    assert [(s["actual_wait_minutes"], s["actual_process_minutes"]) for s in out["steps"]] == [
        (None, 120.0),
        (120.0, 60.0),
    ]
    assert out["example"]["lead_time_minutes"] == 300.0
    assert out["example"]["process_time_minutes"] == 180.0
    assert out["example"]["activity_ratio"] == 0.6
    assert out["display"]["example_lead_time"] == "5h"


def test_a_working_week_of_four_and_a_half_days_is_what_1w_says() -> None:
    # "1w" on a 4.5-day week is 2,160 minutes; the walk counted whole days only (1,920).
    cal = Calendar(hours_per_day=8, days_per_week=4.5)
    week = working_minutes(datetime(2026, 11, 23, 9), datetime(2026, 11, 30, 9), cal)
    assert week == parse_duration("1w", cal) == 2160
    # The half day is Friday morning: from 9:00 it is worked four hours, then no more.
    friday = datetime(2026, 11, 27, 9)
    assert working_minutes(friday, friday.replace(hour=13), cal) == 240
    assert working_minutes(friday, friday.replace(hour=17), cal) == 240
    assert working_minutes(friday.replace(hour=12), datetime(2026, 11, 30, 10), cal) == 60 + 60
