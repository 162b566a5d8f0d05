"""Reading durations as people type them, and showing them back in the unit they would choose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.durations import (
    HINT,
    ROUND_TRIP_MINUTES,
    ROUND_TRIP_SHARE,
    DurationError,
    format_duration,
    parse_duration,
    shown_duration,
    typed_form,
)
from app.domain.elements import Calendar

EIGHT_HOUR_DAYS = Calendar(hours_per_day=8, days_per_week=5)
SEVEN_AND_A_HALF = Calendar(hours_per_day=7.5, days_per_week=4)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("2h", 120),
        ("1.5d", 720),
        ("1w", 2400),
        ("1d 4h", 720),
        ("1d4h", 720),
        ("90", 90),
        ("0", 0),
        ("0m", 0),
        ("1,5d", 720),
        ("0,25h", 15),
        (".5h", 30),
        ("3 days", 1440),
        ("1 day", 480),
        ("2 hours", 120),
        ("1 hour", 60),
        ("30 min", 30),
        ("30 mins", 30),
        ("30 minutes", 30),
        ("1 minute", 1),
        ("3 hrs", 180),
        ("1 hr", 60),
        ("1 week", 2400),
        ("2 weeks", 4800),
        ("2 wks", 4800),
        ("1wk", 2400),
        ("1W 2D 3H 4M", 2400 + 960 + 180 + 4),
        ("  2h  ", 120),
        ("2H", 120),
        ("4h 1d", 720),
        ("1d, 4h", 720),
        ("1d + 4h", 720),
        ("1 d 4 h", 720),
        ("1.25h", 75),
    ],
)
def test_parses_what_people_type(text: str, minutes: float) -> None:
    assert parse_duration(text, EIGHT_HOUR_DAYS) == pytest.approx(minutes)


def test_days_and_weeks_are_working_days_and_weeks_of_the_board_calendar() -> None:
    assert parse_duration("1d", SEVEN_AND_A_HALF) == 450
    assert parse_duration("1w", SEVEN_AND_A_HALF) == 4 * 450
    assert parse_duration("1d", Calendar(hours_per_day=24, days_per_week=7)) == 1440


def test_hours_and_minutes_do_not_depend_on_the_calendar() -> None:
    assert parse_duration("2h 5m", SEVEN_AND_A_HALF) == parse_duration("2h 5m", EIGHT_HOUR_DAYS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", f'"abc" is not a duration — {HINT}'),
        ("2x", f'"2x" is not a duration — {HINT}'),
        ("1e5", f'"1e5" is not a duration — {HINT}'),
        ("2 months", f'"2 months" is not a duration — {HINT}'),
        ("h", f'"h" is not a duration — {HINT}'),
        ("+2h", f'"+2h" is not a duration — {HINT}'),
        ("2h-", f'"2h-" is not a duration — {HINT}'),
        ("1..5h", f'"1..5h" is not a duration — {HINT}'),
        ("", f"an empty box is not a duration — {HINT}"),
        ("   ", f"an empty box is not a duration — {HINT}"),
        ("-2h", '"-2h" is negative — a duration cannot be less than 0m'),
        ("- 2h", '"- 2h" is negative — a duration cannot be less than 0m'),
        ("1h 30 15m", '"1h 30 15m" has a number without a unit — write e.g. 1h 30m'),
        ("30 1h", '"30 1h" has a number without a unit — write e.g. 1h 30m'),
        ("1d 4", '"1d 4" has a number without a unit — write e.g. 1h 30m'),
        ("1h60", '"1h60" has a number without a unit — write e.g. 1h 30m'),
        ("1h 7.5", '"1h 7.5" has a number without a unit — write e.g. 1h 30m'),
        ("1d 1d", '"1d 1d" gives days twice — add them up (2d rather than 1d 1d)'),
        ("1h 2 hours", '"1h 2 hours" gives hours twice — add them up (2h rather than 1h 1h)'),
        ("1,000m", '"1,000m" is ambiguous — write 1000m without a comma, or 1.5d'),
    ],
)
def test_rejects_nonsense_with_a_message_a_facilitator_can_act_on(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text, EIGHT_HOUR_DAYS)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "minutes", "shown"),
    [("1h30", 90, "1h 30m"), ("1h 30", 90, "1h 30m"), ("2h05", 125, "2h 5m"),
     ("1d 2h30", 630, "1d 2h 30m"), ("1 hour 45", 105, "1h 45m"), ("3h 0", 180, "3h 0m")],
)  # fmt: skip
def test_minutes_after_hours_need_no_unit_as_people_write_them(
    text: str, minutes: float, shown: str
) -> None:
    # "1h30" is an hour and a half where it is written so (much of Europe): a whole number
    # under 60 at the end, straight after the hours, can only be minutes.
    assert parse_duration(text, EIGHT_HOUR_DAYS) == minutes
    assert typed_form(text, EIGHT_HOUR_DAYS) == shown


def test_a_duration_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_duration("soon", EIGHT_HOUR_DAYS)


def test_ten_years_of_working_time_is_the_most_a_duration_can_be() -> None:
    ten_years = 10 * 52 * EIGHT_HOUR_DAYS.minutes_per_week
    assert parse_duration("520w", EIGHT_HOUR_DAYS) == ten_years
    with pytest.raises(DurationError, match="more than 10 years of working time"):
        parse_duration("521w", EIGHT_HOUR_DAYS)
    with pytest.raises(DurationError, match='"2000000000m" is more than 10 years'):
        parse_duration("2000000000m", EIGHT_HOUR_DAYS)


def test_a_huge_number_is_refused_rather_than_read_as_infinity() -> None:
    with pytest.raises(DurationError, match="more than 10 years"):
        parse_duration("9" * 50, EIGHT_HOUR_DAYS)


def test_pasted_text_is_refused_and_shortened_in_the_message() -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration("1" * 500 + "h", EIGHT_HOUR_DAYS)
    message = str(caught.value)
    assert message == f'"{"1" * 39}…" is too long for a duration — {HINT}'


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0m"),
        (0.4, "0m"),
        (1, "1m"),
        (45, "45m"),
        (59.6, "1h"),
        (60, "1h"),
        (90, "1.5h"),
        (120, "2h"),
        (150, "2.5h"),
        (479, "1d"),
        (480, "1d"),
        (528, "1.1d"),
        (540, "1.1d"),
        (600, "1.3d"),  # 1.25d: a half rounds up, as people round
        (720, "1.5d"),
        (1440, "3d"),
        (2400, "5d"),
        (2820, "5.9d"),
        (4800, "10d"),
        (10440, "21.8d"),
        (11940, "24.9d"),
        (24000, "50d"),
        (100000, "208.3d"),
    ],
)
def test_formats_in_the_unit_a_person_would_choose(minutes: float, shown: str) -> None:
    assert format_duration(minutes, EIGHT_HOUR_DAYS) == shown


def test_formatting_follows_the_board_calendar() -> None:
    assert format_duration(450, SEVEN_AND_A_HALF) == "1d"
    assert format_duration(1800, SEVEN_AND_A_HALF) == "4d"
    assert format_duration(420, SEVEN_AND_A_HALF) == "7h"
    assert format_duration(480, SEVEN_AND_A_HALF) == "1.1d"


def test_computed_figures_side_by_side_read_in_the_same_unit() -> None:
    # The facilitator's pair: lead time "21.8d" beside process time "4d 2h 30m".
    lead, process = format_duration(10440, EIGHT_HOUR_DAYS), format_duration(2070, EIGHT_HOUR_DAYS)
    assert (lead, process) == ("21.8d", "4.3d")


def test_computed_figures_never_read_in_weeks() -> None:
    # "from 22.8d to 3w" on an experiment card: a target of three weeks reads 15d.
    assert format_duration(7200, EIGHT_HOUR_DAYS) == "15d"


def test_what_a_person_typed_is_shown_as_typed() -> None:
    assert shown_duration(2400, "5d", EIGHT_HOUR_DAYS) == "5d"
    assert shown_duration(2400, "1w", EIGHT_HOUR_DAYS) == "1w"
    assert shown_duration(90, "90m", EIGHT_HOUR_DAYS) == "90m"
    assert shown_duration(90, "90", EIGHT_HOUR_DAYS) == "90m"
    assert shown_duration(150, "2 hours 30 mins", EIGHT_HOUR_DAYS) == "2h 30m"


def test_typed_text_that_no_longer_says_the_minutes_gives_way_to_the_rule() -> None:
    assert shown_duration(2880, "1w", EIGHT_HOUR_DAYS) == "6d"
    # 1w is 1800 minutes on a 7.5h/4d calendar, so 2400 minutes are no longer "1w".
    assert shown_duration(2400, "1w", SEVEN_AND_A_HALF) == "5.3d"
    assert shown_duration(480, None, EIGHT_HOUR_DAYS) == "1d"
    assert shown_duration(480, "soon", EIGHT_HOUR_DAYS) == "1d"


def test_typed_form_refuses_what_is_not_a_duration() -> None:
    with pytest.raises(DurationError, match="gives days twice"):
        typed_form("1d 1d", EIGHT_HOUR_DAYS)


@pytest.mark.parametrize("minutes", [-1, float("nan"), float("inf")])
def test_formatting_refuses_what_is_not_a_duration(minutes: float) -> None:
    with pytest.raises(ValueError):
        format_duration(minutes, EIGHT_HOUR_DAYS)


@pytest.mark.parametrize(
    "minutes", [0, 7, 45, 90, 150, 479, 480, 540, 555, 2820, 4810, 11940, 24001, 1_000_000]
)
def test_what_format_shows_parses_back_to_about_the_same_minutes(minutes: float) -> None:
    back = parse_duration(format_duration(minutes, EIGHT_HOUR_DAYS), EIGHT_HOUR_DAYS)
    assert abs(back - minutes) <= max(ROUND_TRIP_MINUTES, ROUND_TRIP_SHARE * minutes)


@pytest.mark.parametrize("minutes", [1e30, 1.5e38, 1e300])
def test_a_figure_beyond_reason_is_shown_whole_not_an_error(minutes: float) -> None:
    shown = format_duration(minutes, Calendar())
    assert shown.endswith("d") and shown[:-1].replace(".", "").isdigit()
    assert len(shown) > 25


# ---- fractions (½d) and hours:minutes (1:30), as people also write them ----------------

@pytest.mark.parametrize(
    ("text", "minutes", "shown"),
    [("½d", 240, "0.5d"), ("¼h", 15, "0.25h"), ("¾d", 360, "0.75d"), ("1½d", 720, "1.5d"),
     ("1 ½ days", 720, "1.5d"), ("2¾h", 165, "2.75h"), ("½w", 1200, "0.5w"),
     ("1d ½h", 510, "1d 0.5h"), ("½", 0.5, "0.5m"), ("½d-1d", 360, "0.5d-1d")],
)  # fmt: skip
def test_a_vulgar_fraction_is_read_as_its_decimal(text: str, minutes: float, shown: str) -> None:
    # "½d" is how a half day is written on a sticky (and what Word makes of "1/2").
    assert parse_duration(text, EIGHT_HOUR_DAYS) == minutes
    assert typed_form(text, EIGHT_HOUR_DAYS) == shown


@pytest.mark.parametrize(
    ("text", "minutes", "shown"),
    [("1:30", 90, "1h 30m"), ("0:45", 45, "45m"), ("12:00", 720, "12h 0m"), ("01:05", 65, "1h 5m"),
     ("1d 2:30", 630, "1d 2h 30m"), ("1:30-2:00", 105, "1h 30m-2h 0m"), ("16h-24h", 1200, "16h-24h"),
     ("0:00", 0, "0m")],
)  # fmt: skip
def test_hours_and_minutes_may_be_written_as_on_a_clock(
    text: str, minutes: float, shown: str
) -> None:
    assert parse_duration(text, EIGHT_HOUR_DAYS) == minutes
    assert typed_form(text, EIGHT_HOUR_DAYS) == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [("1:75", '"1:75" has 75 minutes after the colon — write 2:15 or 2h 15m'),
     ("1:3", f'"1:3" is not a duration — {HINT}'),
     ("1:30:00", f'"1:30:00" is not a duration — {HINT}'),
     (":30", f'":30" is not a duration — {HINT}'),
     ("1.5:30", f'"1.5:30" is not a duration — {HINT}'),
     ("1:30h", f'"1:30h" is not a duration — {HINT}'),
     ("1:30 2h", '"1:30 2h" gives hours twice — add them up (2h rather than 1h 1h)'),
     ("1.5½d", '"1.5½d" has a number without a unit — write e.g. 1h 30m'),
     ("½½d", '"½½d" has a number without a unit — write e.g. 1h 30m')],
)  # fmt: skip
def test_a_clock_or_fraction_that_is_not_a_duration_is_refused(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text, EIGHT_HOUR_DAYS)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "minutes", "shown"),
    [("1/2d", 240, "0.5d"), ("1 1/2d", 720, "1.5d"), ("1 1/2 days", 720, "1.5d"),
     ("3/4h", 45, "0.75h"), ("3/2d", 720, "1.5d"), ("1/8d", 60, "0.125d"), ("1⁄2d", 240, "0.5d"),
     ("⅓d", 160, "1/3d"), ("⅔h", 40, "2/3h"), ("⅛d", 60, "0.125d"), ("1⅓h", 80, "1 1/3h"),
     ("1/3d", 160, "1/3d"), ("2 2/3h", 160, "2 2/3h"), ("1d 1/2h", 510, "1d 0.5h"),
     ("1/2d-1d", 360, "0.5d-1d"), ("1/3-2/3d", 240, "1/3d-2/3d"), ("⅕w", 480, "0.2w"),
     ("0/2d", 0, "0d")],
)  # fmt: skip
def test_a_fraction_as_typed_is_read(text: str, minutes: float, shown: str) -> None:
    # "1/2d" and "1 1/2 days" are how a keyboard writes ½d; a third or two has no short
    # decimal, so it is shown back as the fraction it is.
    assert parse_duration(text, EIGHT_HOUR_DAYS) == pytest.approx(minutes, abs=1e-9)
    assert typed_form(text, EIGHT_HOUR_DAYS) == shown
    assert parse_duration(shown, EIGHT_HOUR_DAYS) == parse_duration(text, EIGHT_HOUR_DAYS)


@pytest.mark.parametrize(
    ("text", "message"),
    [("1/0d", '"1/0d" divides by zero — write a fraction as 1/2d or 1 1/2d'),
     ("1 1/0h", '"1 1/0h" divides by zero — write a fraction as 1/2d or 1 1/2d'),
     ("1/2/3d", '"1/2/3d" has a fraction of a fraction — write one fraction, as 1/2d or 1 1/2d'),
     ("1/1000d", '"1/1000d" is split finer than hundredths — write it in a smaller unit, e.g. 1m'),
     ("1/99999999999999999999h",
      '"1/99999999999999999999h" is split finer than hundredths — write it in a smaller unit,'
      " e.g. 1m"),
     ("1 3/2d", '"1 3/2d" has a whole number and a fraction of 1 or more — write e.g. 1 1/2d'),
     ("1.5/2d", '"1.5/2d" has a decimal in a fraction — write whole numbers (3/4d) or a decimal'
      " (0.75d)"),
     ("1/2,5h", '"1/2,5h" has a decimal in a fraction — write whole numbers (3/4d) or a decimal'
      " (0.75d)"),
     ("1 / 2d", f'"1 / 2d" is not a duration — {HINT}'),
     ("/2d", f'"/2d" is not a duration — {HINT}'),
     ("1/d", f'"1/d" is not a duration — {HINT}')],
)  # fmt: skip
def test_a_fraction_that_is_not_a_number_is_refused_with_its_reason(
    text: str, message: str
) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text, EIGHT_HOUR_DAYS)
    assert str(caught.value) == message


FRACTIONS = {"¼": 0.25, "½": 0.5, "¾": 0.75}


@given(
    whole=st.integers(0, 99),
    fraction=st.sampled_from(sorted(FRACTIONS)),
    unit=st.sampled_from(["m", "h", "d", "w", " days", " hours"]),
    space=st.sampled_from(["", " "]),
)
def test_a_fraction_says_what_its_decimal_says(
    whole: int, fraction: str, unit: str, space: str
) -> None:
    number = f"{whole}{space}" if whole else ""
    decimal = f"{whole + FRACTIONS[fraction]}{unit}"
    assert parse_duration(f"{number}{fraction}{unit}", SEVEN_AND_A_HALF) == parse_duration(
        decimal, SEVEN_AND_A_HALF
    )
    assert typed_form(f"{number}{fraction}{unit}", SEVEN_AND_A_HALF) == typed_form(
        decimal, SEVEN_AND_A_HALF
    )


@given(hours=st.integers(0, 999), minutes=st.integers(0, 59), pad=st.booleans())
def test_a_clock_says_its_hours_and_minutes(hours: int, minutes: int, pad: bool) -> None:
    clock = f"{hours:02d}:{minutes:02d}" if pad else f"{hours}:{minutes:02d}"
    assert parse_duration(clock, EIGHT_HOUR_DAYS) == hours * 60 + minutes
    # Shown back in units, and what is shown reads back the same.
    assert parse_duration(typed_form(clock, EIGHT_HOUR_DAYS), EIGHT_HOUR_DAYS) == hours * 60 + minutes


@given(hours=st.integers(0, 99), minutes=st.integers(60, 99))
def test_a_clock_past_59_minutes_is_refused(hours: int, minutes: int) -> None:
    with pytest.raises(DurationError, match="minutes after the colon"):
        parse_duration(f"{hours}:{minutes}", EIGHT_HOUR_DAYS)


def test_a_clock_may_be_one_part_among_others_with_their_separators() -> None:
    assert parse_duration("1:30, 1d", EIGHT_HOUR_DAYS) == 570
    assert parse_duration("1d + 0:30", EIGHT_HOUR_DAYS) == 510
    with pytest.raises(DurationError, match="is not a duration"):
        parse_duration("1:30,5", EIGHT_HOUR_DAYS)
