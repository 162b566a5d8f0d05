"""A wait or process time typed as a range ("2d-5d", "2d-3d-5d"): read by the one
rule in app/domain/durations.py, stored as its likely value beside the text, and held
to the same golden cases as the browser (tests/fixtures/ranges, frontend/tests/ranges.test.js)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.domain.durations import (
    DurationError,
    Range,
    parse_duration,
    parse_range,
    says_minutes,
    shown_duration,
    typed_form,
)
from app.domain.elements import Board, Calendar, Step
from app.domain.operations import Create, Rejection, SetBoard, Update, apply
from tests.fixtures.ranges.generate import FIXTURE, build, render

EIGHT_HOUR_DAYS = Calendar(hours_per_day=8, days_per_week=5)
# At least this many, so an accidentally emptied fixture cannot pass.
MIN_CASES = 50


def test_a_range_stands_for_its_likely_value() -> None:
    assert parse_duration("2d-5d", EIGHT_HOUR_DAYS) == 1680.0
    assert parse_range("2d-5d", EIGHT_HOUR_DAYS) == Range(960.0, 1680.0, 2400.0)
    assert parse_range("2d-3d-5d", EIGHT_HOUR_DAYS) == Range(960.0, 1440.0, 2400.0)
    assert parse_duration("2d-3d-5d", EIGHT_HOUR_DAYS) == 1440.0


def test_one_duration_is_no_range() -> None:
    assert parse_range("5d", EIGHT_HOUR_DAYS) is None
    assert parse_range("1d 4h", EIGHT_HOUR_DAYS) is None


@pytest.mark.parametrize("text", ["2d - 5d", "2d – 5d", "2d to 5d", "2 DAYS TO 5 DAYS", " 2d-5d "])
def test_every_way_of_writing_a_range_tidies_to_the_same_text(text: str) -> None:
    assert typed_form(text, EIGHT_HOUR_DAYS) == "2d-5d"
    assert parse_range(text, EIGHT_HOUR_DAYS) == Range(960.0, 1680.0, 2400.0)


@pytest.mark.parametrize(
    ("text", "typed", "low", "high"),
    [("2-3d", "2d-3d", 960.0, 1440.0), ("2 to 3 days", "2d-3d", 960.0, 1440.0),
     ("8-16h", "8h-16h", 480.0, 960.0), ("1–2 weeks", "1w-2w", 2400.0, 4800.0),
     ("0.5-1h", "0.5h-1h", 30.0, 60.0)],
)  # fmt: skip
def test_a_bare_figure_before_a_figure_with_a_unit_is_in_that_unit(
    text: str, typed: str, low: float, high: float
) -> None:
    # "2-3d", as people say "two to three days", was read as 2 minutes to 3 days: a
    # likely wait of 1.5d rather than 2.5d, shown on the step as "2m-3d".
    assert parse_range(text, EIGHT_HOUR_DAYS) == Range(low, (low + high) / 2, high)
    assert typed_form(text, EIGHT_HOUR_DAYS) == typed


def test_bare_figures_throughout_a_range_are_minutes_and_a_bare_high_is_not_guessed() -> None:
    assert parse_range("90-120", EIGHT_HOUR_DAYS) == Range(90.0, 105.0, 120.0)
    assert parse_range("1-2-4d", EIGHT_HOUR_DAYS) == Range(480.0, 960.0, 1920.0)
    with pytest.raises(DurationError, match="runs backwards"):
        parse_range("2d-3", EIGHT_HOUR_DAYS)


@pytest.mark.parametrize(
    ("text", "typed", "low", "high"),
    [("30-1h", "30m-1h", 30.0, 60.0), ("30 to 1 hour", "30m-1h", 30.0, 60.0),
     ("45-1h 30m", "45m-1h 30m", 45.0, 90.0), ("2-1d 4h", "2m-1d 4h", 2.0, 720.0)],
)  # fmt: skip
def test_a_bare_figure_larger_than_the_next_ones_number_stays_minutes(
    text: str, typed: str, low: float, high: float
) -> None:
    # "30-1h" (half an hour to an hour) was read as 30h-1h and refused as running
    # backwards; stored on a step before, its range was lost to the forecast.
    assert parse_range(text, EIGHT_HOUR_DAYS) == Range(low, (low + high) / 2, high)
    assert typed_form(text, EIGHT_HOUR_DAYS) == typed


def test_a_backwards_range_is_refused_with_what_to_write_instead() -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration("5d-2d", EIGHT_HOUR_DAYS)
    assert str(caught.value) == "the range 5d-2d runs backwards: write the smaller figure first"
    with pytest.raises(DurationError, match="low, likely and high in that order"):
        parse_range("2d-6d-5d", EIGHT_HOUR_DAYS)


def test_a_bad_figure_in_a_range_is_named_on_its_own() -> None:
    with pytest.raises(DurationError) as caught:
        parse_range("2d-5x", EIGHT_HOUR_DAYS)
    assert str(caught.value).startswith('"5x" is not a duration')


def test_a_range_with_an_empty_side_or_four_figures_is_refused() -> None:
    for text in ("2d-", "2d--5d", "to 5d"):
        with pytest.raises(DurationError, match="is not a duration"):
            parse_duration(text, EIGHT_HOUR_DAYS)
    with pytest.raises(DurationError, match="has 4 figures"):
        parse_duration("1d-2d-3d-4d", EIGHT_HOUR_DAYS)


def test_a_range_says_its_likely_minutes_and_is_shown_as_typed() -> None:
    assert says_minutes("2d - 5d", 1680.0, EIGHT_HOUR_DAYS)
    assert not says_minutes("2d-5d", 960.0, EIGHT_HOUR_DAYS)
    assert shown_duration(1680.0, "2d - 5d", EIGHT_HOUR_DAYS) == "2d-5d"
    # After the calendar changes the range no longer says the minutes: the rule takes over.
    assert shown_duration(1680.0, "2d-5d", Calendar(hours_per_day=7.5)) == "3.7d"


def _step_board() -> Board:
    board, entry = apply(Board(id="b"), Create({"id": "s1", "kind": "step"}))
    assert not isinstance(entry, Rejection), entry
    return board


def test_a_step_keeps_a_range_beside_its_likely_minutes() -> None:
    board, entry = apply(_step_board(), Update("s1", {"wait_minutes": 1680, "wait_text": "2d-5d"}))
    assert not isinstance(entry, Rejection), entry
    step = board.elements["s1"]
    assert isinstance(step, Step)
    assert (step.wait_minutes, step.wait_text) == (1680, "2d-5d")


def test_a_range_beside_other_minutes_than_its_likely_is_refused() -> None:
    _, entry = apply(_step_board(), Update("s1", {"wait_minutes": 960, "wait_text": "2d-5d"}))
    assert isinstance(entry, Rejection)
    assert "not 960 minutes" in entry.reason


def test_a_range_is_read_on_the_board_calendar() -> None:
    board, _ = apply(_step_board(), SetBoard({"hours_per_day": 7.5}))
    _, wrong = apply(board, Update("s1", {"process_minutes": 1680, "process_text": "2d-5d"}))
    _, right = apply(board, Update("s1", {"process_minutes": 1575, "process_text": "2d-5d"}))
    assert isinstance(wrong, Rejection) and not isinstance(right, Rejection)


def test_a_backwards_range_typed_on_a_step_is_refused_in_the_parser_words() -> None:
    _, entry = apply(_step_board(), Update("s1", {"wait_minutes": 1680, "wait_text": "5d-2d"}))
    assert isinstance(entry, Rejection) and "runs backwards" in entry.reason


# ---- the golden cases the browser is held to ----------------------------------


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def _answer(text: str, calendar: Calendar) -> dict[str, Any]:
    try:
        minutes = parse_duration(text, calendar)
    except DurationError as e:
        return {"error": str(e)}
    found = parse_range(text, calendar)
    return {
        "minutes": minutes,
        "range": None if found is None else found._asdict(),
        "typed": typed_form(text, calendar),
    }


def test_the_python_gives_every_range_fixture_answer(cases: dict[str, Any]) -> None:
    assert len(cases["cases"]) >= MIN_CASES
    wrong = []
    for case in cases["cases"]:
        expected = {k: v for k, v in case.items() if k not in ("text", "calendar")}
        got = _answer(case["text"], Calendar(**cases["calendars"][case["calendar"]]))
        if got != expected:
            wrong.append((case["text"], expected, got))
    assert wrong == []


def test_the_range_fixture_reaches_every_refusal_and_every_separator(cases: dict[str, Any]) -> None:
    errors = " ".join(c.get("error", "") for c in cases["cases"])
    for phrase in ("runs backwards", "figures —", "is not a duration", "is negative", "twice"):
        assert phrase in errors, phrase
    texts = [c["text"] for c in cases["cases"] if c.get("range")]
    assert any("–" in t for t in texts) and any(" to " in t for t in texts)


def test_the_range_fixture_file_is_what_the_generator_writes_today() -> None:
    assert FIXTURE.read_text(encoding="utf-8") == render(build()), (
        "tests/fixtures/ranges/cases.json is stale: run "
        ".venv/bin/python tests/fixtures/ranges/generate.py"
    )
