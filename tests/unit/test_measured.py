"""Measured flow from an event log: waits, process times, rework, lead time, hidden queue."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.elements import Calendar, Step
from app.domain.event_log import read_log
from app.domain.measured import clock_of, hidden_queue, measure, settle, stats, step_figures
from app.domain.walk import working_minutes

HEADER = "item,step,arrived,started,finished\n"
DAY = 480.0


def _measure(lines: str, mapping: dict[str, str | None], mapped: float = 0.0) -> dict:
    return measure(
        read_log((HEADER + lines).encode()), mapping, Calendar(), mapped_lead_minutes=mapped
    )


moments = st.datetimes(min_value=datetime(1999, 1, 1), max_value=datetime(2031, 1, 1))
calendars = st.builds(
    Calendar,
    hours_per_day=st.floats(1, 24, allow_nan=False),
    days_per_week=st.floats(1, 7, allow_nan=False),
)


@given(moments, moments, calendars)
def test_the_log_clock_counts_working_time_as_the_walk_does(
    a: datetime, b: datetime, cal: Calendar
) -> None:
    clock = clock_of(cal)
    assert abs((clock(b) - clock(a)) - working_minutes(a, b, cal)) < 1e-6


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=50))
def test_stats_agree_with_the_standard_library(values: list[float]) -> None:
    found = stats(values)
    assert found is not None
    assert found["n"] == len(values)
    assert abs(found["median"] - statistics.median(values)) < 1e-2
    assert found["quantiles"][0] == round(min(values), 3)
    assert found["quantiles"][-1] == round(max(values), 3)
    assert found["quantiles"] == sorted(found["quantiles"])
    assert found["quantiles"][5] == found["median"]


def test_an_empty_arrival_is_when_the_item_finished_whatever_came_before() -> None:
    # B's "Deploy freeze" is not on the map, but Build's wait still starts when it ended.
    found = _measure(
        "B,Deploy freeze,,2026-11-02T09:00,2026-11-02T13:00\n"
        "B,Build,,2026-11-02T15:00,2026-11-03T10:00\n"
        "A,Build,2026-11-02T09:00,2026-11-02T10:00,2026-11-02T11:00\n",
        {"Build": "s1", "Deploy freeze": None},
    )
    build = found["steps"]["s1"]
    assert build["wait"]["quantiles"][0] == 60.0  # A: arrived 9:00, started 10:00
    assert build["wait"]["quantiles"][-1] == 120.0  # B: freeze ended 13:00, started 15:00
    assert build["process"]["median"] == (60.0 + 180.0) / 2  # 15:00-17:00 and 9:00-10:00
    assert build["names"] == ["Build"]
    assert found["unmatched"] == ["Deploy freeze"]


def test_the_first_step_without_an_arrival_has_no_wait_to_count() -> None:
    found = _measure("A,Build,,2026-11-02T09:00,2026-11-02T10:00\n", {"Build": "s1"})
    assert found["steps"]["s1"]["wait"] is None
    assert found["steps"]["s1"]["process"]["n"] == 1


def test_waits_are_counted_in_working_time_over_a_weekend() -> None:
    found = _measure(
        "A,Build,2026-11-20T16:00,2026-11-23T10:00,2026-11-23T11:00\n", {"Build": "s1"}
    )
    assert found["steps"]["s1"]["wait"]["median"] == 120.0  # Friday 16:00 to Monday 10:00


def test_returns_to_a_step_are_rework() -> None:
    found = _measure(
        "A,Build,,2026-11-02T09:00,2026-11-02T10:00\n"
        "A,Review,,2026-11-02T11:00,2026-11-02T12:00\n"
        "A,Build,,2026-11-02T13:00,2026-11-02T14:00\n"
        "B,Build,,2026-11-02T09:00,2026-11-02T10:00\n",
        {"Build": "s1", "Review": "s2"},
    )
    assert found["steps"]["s1"]["rework"] == {"items": 2, "returns": 1, "rate": round(1 / 3, 4)}
    assert found["steps"]["s2"]["rework"] == {"items": 1, "returns": 0, "rate": 0.0}
    assert found["steps"]["s1"]["process"]["n"] == 3


def test_two_log_names_can_feed_one_map_step() -> None:
    found = _measure(
        "A,review,,2026-11-02T09:00,2026-11-02T10:00\nB,QA review,,2026-11-02T09:00,2026-11-02T11:00\n",
        {"review": "s2", "QA review": "s2"},
    )
    assert found["steps"]["s2"]["names"] == ["QA review", "review"]
    assert found["steps"]["s2"]["process"]["n"] == 2


def test_lead_time_runs_from_first_arrival_to_last_finish() -> None:
    found = _measure(
        "A,Build,2026-11-02T09:00,2026-11-03T09:00,2026-11-03T17:00\n"
        "A,Test,,2026-11-04T09:00,2026-11-04T13:00\n",
        {"Build": "s1"},
    )
    assert found["lead_time"]["median"] == 2 * DAY + 240.0


def test_time_between_steps_no_one_mapped_is_the_hidden_queue() -> None:
    lines = "".join(
        f"I{i},Build,2026-11-02T09:00,2026-11-02T09:00,2026-11-02T17:00\n"
        f"I{i},Test,2026-11-10T09:00,2026-11-10T09:00,2026-11-10T17:00\n"
        for i in range(5)
    )
    # Mapped: 2d of work; measured: 7d, of which 5d sit between Build and Test.
    found = _measure(lines, {"Build": "s1", "Test": "s2"}, mapped=2 * DAY)
    assert found["lead_time"]["median"] == 7 * DAY
    assert found["hidden_queue"] == {
        "median_minutes": 5 * DAY,
        "flag": True,
        "text": "Items wait 5d between steps that no one put on the map",
    }
    # The map already says 6d: 7d is within 1.5x of it.
    assert _measure(lines, {"Build": "s1"}, mapped=6 * DAY)["hidden_queue"]["flag"] is False


def test_no_flag_without_a_mapped_lead_time_or_when_the_gap_is_elsewhere() -> None:
    assert hidden_queue({"median": DAY}, {"median": 10 * DAY}, 0.0, Calendar())["flag"] is False
    # 8d of gap, but only 1d of it between steps: the map's steps are wrong, not missing.
    assert hidden_queue({"median": DAY}, {"median": 10 * DAY}, 2 * DAY, Calendar())["flag"] is False
    assert hidden_queue(None, None, 2 * DAY, Calendar()) == {
        "median_minutes": 0.0,
        "flag": False,
        "text": "",
    }


def test_the_big_log_generator_reads_and_measures() -> None:
    from bench.bench_event_log import STEPS, make_log

    rows = read_log(make_log(2000))
    found = measure(rows, {n: n for n in STEPS}, Calendar(), mapped_lead_minutes=DAY)
    assert len(rows) == 2000
    assert set(found["steps"]) == set(STEPS)
    assert found["steps"]["Build"]["rework"]["returns"] > 0


def test_settling_uses_measured_medians_and_keeps_the_rest() -> None:
    summary = {"steps": {"s1": {"wait": None, "process": {"n": 3, "median": 90.0}}}}
    s1, s2 = settle([Step(id="s1", wait_minutes=60.0), Step(id="s2", wait_minutes=5.0)], summary)
    assert (s1.wait_minutes, s1.process_minutes, s2.wait_minutes) == (60.0, 90.0, 5.0)
    assert step_figures(summary, "s1") == (None, 90.0, 3)
    assert step_figures(summary, "s2") == (None, None, None)
    assert step_figures(None, "s1") == (None, None, None)


def test_moments_on_days_off_count_from_the_next_working_day() -> None:
    clock = clock_of(Calendar())
    saturday = datetime(2026, 11, 21, 12, 0)
    assert clock(saturday) == clock(saturday + timedelta(days=2, hours=-3))  # Monday 9:00


def test_work_in_the_hour_the_clocks_go_back_takes_no_negative_time() -> None:
    # 02:50 CEST to 02:10 CET is 20 minutes of work; as written it reads 40 minutes back.
    rows = read_log(
        b"item,step,arrived,started,finished\n"
        b"INC-1,Triage,2026-10-25T01:30+02:00,2026-10-25T02:50+02:00,2026-10-25T02:10+01:00\n"
    )
    every_hour = Calendar(hours_per_day=24, days_per_week=7)
    found = measure(rows, {"Triage": "s1"}, every_hour, mapped_lead_minutes=0.0)
    assert found["steps"]["s1"]["process"]["median"] >= 0
    assert found["lead_time"]["median"] >= 0


def test_two_log_statuses_in_a_row_on_one_map_step_are_one_visit_not_rework() -> None:
    # A tracker's "In review" then "Awaiting merge", both mapped to the map's Code review:
    # it read as two visits (n doubled, 50 % rework, a process time of each half).
    found = _measure(
        "A,Build,2026-11-02T09:00,2026-11-02T09:00,2026-11-02T10:00\n"
        "A,In review,,2026-11-02T11:00,2026-11-02T12:00\n"
        "A,Awaiting merge,,2026-11-02T12:00,2026-11-02T14:00\n"
        "A,Build,,2026-11-02T15:00,2026-11-02T16:00\n",
        {"Build": "s1", "In review": "s2", "Awaiting merge": "s2"},
    )
    review = found["steps"]["s2"]
    assert review["process"]["n"] == 1
    assert review["process"]["median"] == 180.0
    assert review["wait"]["median"] == 60.0
    assert review["rework"] == {"items": 1, "returns": 0, "rate": 0.0}
    # Going back to Build after review is still a return.
    assert found["steps"]["s1"]["rework"]["returns"] == 1


def test_a_run_of_statuses_on_one_map_step_is_read_row_by_row_whichever_came_first() -> None:
    # Each row is one visit with the row before it when their log names differ and both
    # map to one step: the merged visit kept its first row's name, so "In review, Awaiting
    # merge, In review" read as a return to Code review (50 % rework) while "In review,
    # Awaiting merge, Awaiting merge" (the same status twice, a return) read as one visit.
    mapping = {"In review": "s2", "Awaiting merge": "s2"}
    back_and_forth = _measure(
        "A,In review,2026-11-02T09:00,2026-11-02T09:00,2026-11-02T10:00\n"
        "A,Awaiting merge,,2026-11-02T10:00,2026-11-02T11:00\n"
        "A,In review,,2026-11-02T11:00,2026-11-02T12:00\n",
        mapping,
    )["steps"]["s2"]
    assert back_and_forth["rework"]["returns"] == 0
    assert back_and_forth["process"]["median"] == 180.0
    twice = _measure(
        "A,In review,2026-11-02T09:00,2026-11-02T09:00,2026-11-02T10:00\n"
        "A,Awaiting merge,,2026-11-02T10:00,2026-11-02T11:00\n"
        "A,Awaiting merge,,2026-11-02T11:00,2026-11-02T12:00\n",
        mapping,
    )["steps"]["s2"]
    assert twice["rework"]["returns"] == 1


# One item through the night Europe's clocks go back (25 Oct 2026, 03:00 CEST -> 02:00
# CET), in the order it happened: triage in the first 02:00-03:00, fix and verify in the
# second. Written without offsets, the fix (02:10) read as the item's first step.
_AUTUMN_NIGHT = (
    ("A", "Triage", "2026-10-25T01:30", "2026-10-25T02:30", "2026-10-25T02:50", "+02:00"),
    ("A", "Fix", "", "2026-10-25T02:10", "2026-10-25T02:40", "+01:00"),
    ("A", "Verify", "", "2026-10-25T02:45", "2026-10-25T03:30", "+01:00"),
)
_STEPS = {"Triage": "s1", "Fix": "s2", "Verify": "s3"}
_EVERY_HOUR = Calendar(hours_per_day=24, days_per_week=7)


def _night(with_offsets: bool) -> bytes:
    def at(moment: str, offset: str) -> str:
        return moment + offset if moment and with_offsets else moment

    lines = [f"{i},{s},{at(a, o)},{at(b, o)},{at(f, o)}" for i, s, a, b, f, o in _AUTUMN_NIGHT]
    return (HEADER + "\n".join(lines) + "\n").encode()


def _medians(found: dict, figure: str) -> dict[str, float | None]:
    steps = found["steps"]
    return {sid: steps[sid][figure] and steps[sid][figure]["median"] for sid in ("s1", "s2", "s3")}


def test_an_item_across_the_autumn_clock_change_is_measured_in_real_time_by_its_offsets() -> None:
    """With offsets the rows are ordered and measured in time: the fix waited the 20 minutes
    from 02:50 CEST to 02:10 CET, and the item took three hours, not two."""
    found = measure(read_log(_night(True)), _STEPS, _EVERY_HOUR, mapped_lead_minutes=0.0)
    assert _medians(found, "wait") == {"s1": 60.0, "s2": 20.0, "s3": 5.0}
    assert _medians(found, "process") == {"s1": 20.0, "s2": 30.0, "s3": 45.0}
    assert found["lead_time"]["median"] == 180.0
    # On 8-hour weekdays the night is no working time, offsets or not.
    office = measure(read_log(_night(True)), _STEPS, Calendar(), mapped_lead_minutes=0.0)
    assert office["lead_time"]["median"] == 0.0


def test_without_offsets_rows_in_the_repeated_hour_keep_the_order_of_the_file() -> None:
    """Without offsets nobody can tell the two 02:10s apart, but the tracker wrote the rows
    in the order they happened: triage first (its wait from its arrival), then the fix."""
    found = measure(read_log(_night(False)), _STEPS, _EVERY_HOUR, mapped_lead_minutes=0.0)
    assert _medians(found, "wait")["s1"] == 60.0
    assert found["steps"]["s2"]["wait"] is not None  # the fix came after triage
    # Outside that night the times decide, whatever the file's order.
    shuffled = _measure(
        "B,Test,,2026-11-02T13:00,2026-11-02T14:00\n"
        "B,Build,2026-11-02T09:00,2026-11-02T10:00,2026-11-02T12:00\n",
        {"Build": "s1", "Test": "s2"},
    )
    assert shuffled["steps"]["s2"]["wait"]["median"] == 60.0
