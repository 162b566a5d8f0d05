"""Reading an event log: CSV and JSON, every problem with its row, steps matched to the map."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from app.domain.elements import Step
from app.domain.event_log import (
    MAX_ERRORS,
    BadLog,
    match_steps,
    parse_time,
    preview,
    read_log,
)

HEADER = "item,step,arrived,started,finished\n"


def _errors(data: bytes, content_type: str = "") -> list[tuple[int | None, str]]:
    with pytest.raises(BadLog) as bad:
        read_log(data, content_type)
    return [(e.row, e.msg) for e in bad.value.errors]


def test_a_csv_log_reads_with_columns_in_any_order_and_case() -> None:
    data = b"Finished;STEP;Item;Started\n2026-11-02 11:00;Build;A-1;2026-11-02T09:30\n"
    (row,) = read_log(data)
    assert (row.row, row.item, row.step, row.arrived) == (1, "A-1", "Build", None)
    assert row.started == datetime(2026, 11, 2, 9, 30)
    assert row.finished == datetime(2026, 11, 2, 11, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02T09:30", datetime(2026, 11, 2, 9, 30)),
        ("2026-11-02 09:30", datetime(2026, 11, 2, 9, 30)),
        ("2026-11-02T09:30:45", datetime(2026, 11, 2, 9, 30, 45)),
        ("2026-11-02T09:30:00Z", datetime(2026, 11, 2, 9, 30)),
        # The offset is dropped, not applied: every time reads as written.
        ("2026-11-02T09:30:00+05:00", datetime(2026, 11, 2, 9, 30)),
        ("2026-11-02T09:30-08:00", datetime(2026, 11, 2, 9, 30)),
    ],
)
def test_iso_times_are_read_as_their_wall_clock_time(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


def test_a_json_log_is_a_list_or_an_object_holding_events() -> None:
    event = {
        "Item": "A",
        "step": "Build",
        "started": "2026-11-02T09:00",
        "finished": "2026-11-02T10:00",
    }
    listed = read_log(json.dumps([event]).encode(), "application/json")
    wrapped = read_log(json.dumps({"events": [event | {"arrived": None}]}).encode())
    assert listed == wrapped
    assert listed[0].item == "A"


def test_every_problem_is_reported_with_its_row_at_once() -> None:
    data = (
        HEADER
        + "A,Build,,2026-11-02T09:00,2026-11-02T10:00\n"
        + ",Build,,2026-11-02T09:00,2026-11-02T10:00\n"
        + "B,,,2026-11-02T09:00,2026-11-02T10:00\n"
        + "C,Test,2026-11-04T09:00,2026-11-03T10:00,2026-11-05T10:00\n"
        + "D,Test,,2026-11-03T10:00,2026-11-02T10:00\n"
        + "E,Test,,yesterday,\n"
    ).encode()
    assert _errors(data) == [
        (2, "row 2: item is empty"),
        (3, "row 3: step is empty"),
        (4, "row 4: started 2026-11-03T10:00 is before arrived 2026-11-04T09:00"),
        (5, "row 5: finished 2026-11-02T10:00 is before started 2026-11-03T10:00"),
        (6, "row 6: started 'yesterday' is not a time like 2026-11-02T09:30"),
        (6, "row 6: finished is empty"),
    ]


def test_rows_are_numbered_by_line_so_blank_lines_keep_their_place() -> None:
    data = (HEADER + "A,Build,,2026-11-02T09:00,2026-11-02T10:00\n\nB,Build,,soon,later\n").encode()
    assert [row for row, _ in _errors(data)] == [3, 3]


def test_at_most_twenty_problems_are_reported() -> None:
    data = (HEADER + "A,Build,,never,never\n" * 50).encode()
    assert len(_errors(data)) == MAX_ERRORS


def test_a_missing_column_is_named() -> None:
    assert _errors(b"item,step,begun,finished\nA,B,x,y\n") == [
        (None, "the log has no started column (it needs item, step, started, finished)")
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"item,step,started,finished\n", b"{}", b"[1, 2]", b"not json [", b"\xff\xfe"],
)
def test_logs_that_are_no_log_are_refused_with_a_reason(data: bytes) -> None:
    assert _errors(data)  # never an exception of another kind


def test_a_json_event_that_is_not_an_object_is_named_by_its_row() -> None:
    data = json.dumps(
        [{"item": "A", "step": "B", "started": "2026-11-02", "finished": "2026-11-03"}, 5]
    )
    assert _errors(data.encode()) == [
        (2, "row 2: must be an object with item, step, arrived, started and finished")
    ]


def test_log_steps_match_map_steps_exactly_then_loosely() -> None:
    steps = [
        Step(id="s1", text="Code review"),
        Step(id="s2", text="code review "),
        Step(id="s3", text="Build"),
    ]
    found = match_steps(["Code review", "CODE   review", "build", "Deploy"], steps)
    assert found == {
        "Code review": ("s1", "exact"),
        "CODE   review": None,  # two steps read so loosely: a person chooses
        "build": ("s3", "case-insensitive"),
        "Deploy": None,
    }


def test_the_preview_counts_rows_items_days_and_matches() -> None:
    data = (
        HEADER
        + "A,Build,2026-09-01T09:00,2026-09-01T10:00,2026-09-02T10:00\n"
        + "A,deploy freeze,,2026-09-03T10:00,2026-09-04T10:00\n"
        + "B,Build,,2026-11-27T10:00,2026-11-28T10:00\n"
    ).encode()
    shown = preview(read_log(data), [Step(id="s1", text="Build")])
    assert shown == {
        "rows": 3,
        "items": 2,
        "from": "2026-09-01",
        "to": "2026-11-28",
        "log_steps": [
            {"name": "Build", "rows": 2, "match": "s1", "how": "exact"},
            {"name": "deploy freeze", "rows": 1, "match": None, "how": None},
        ],
        "map_steps": [{"id": "s1", "text": "Build"}],
    }


def test_the_sample_log_fits_the_demo_board_step_for_step() -> None:
    from pathlib import Path

    from app.domain.demo import demo_board

    rows = read_log(Path("docs/sample-event-log.csv").read_bytes(), "text/csv")
    shown = preview(rows, demo_board().steps())
    assert shown["items"] == 20
    matched = {s["name"]: s["how"] for s in shown["log_steps"]}
    assert matched.pop("Change approval") is None  # the step nobody put on the map
    assert set(matched.values()) == {"exact"} and len(matched) == 6


def test_times_beyond_any_calendar_and_json_nested_too_deep_are_problems_not_crashes() -> None:
    # A finish at 9999-12-31T23:59 overflowed the working-time clock (a 500 on import),
    # and lists nested 50,000 deep overflowed the JSON reader.
    data = (HEADER + "A,Build,,2026-01-01T09:00,9999-12-31T23:59\n"
            + "B,Build,0001-01-01T09:00,2026-01-01T09:00,2026-01-01T10:00\n").encode()  # fmt: skip
    assert _errors(data) == [
        (1, "row 1: finished '9999-12-31T23:59' is not between 1900 and 2999"),
        (2, "row 2: arrived '0001-01-01T09:00' is not between 1900 and 2999"),
    ]
    nested = b"[" * 50_000 + b"]" * 50_000
    assert _errors(nested, "application/json") == [
        (None, "the log is not a list of events: nested too deep")
    ]


def test_a_log_across_the_autumn_clock_change_is_read_not_refused() -> None:
    # Europe's clocks go back at 03:00 CEST on 25 Oct 2026: 02:10+01:00 is 20 minutes after
    # 02:50+02:00. A 24/7 team's log said so with its offsets and was refused, row 1
    # "finished ... is before started", though every row is in order in time.
    data = (
        HEADER + "INC-1,Triage,2026-10-25T01:30+02:00,2026-10-25T02:50+02:00,"
        "2026-10-25T02:10+01:00\n"
    ).encode()
    (row,) = read_log(data)
    assert (row.started, row.finished) == (
        datetime(2026, 10, 25, 2, 50),
        datetime(2026, 10, 25, 2, 10),
    )
    # Times in order as written but not in time are still refused, offsets or not.
    late = HEADER + "X,Build,,2026-10-26T10:00+01:00,2026-10-26T10:30+02:00\n"
    assert _errors(late.encode()) == [
        (1, "row 1: finished 2026-10-26T10:30+02:00 is before started 2026-10-26T10:00+01:00")
    ]


def test_a_log_excel_saved_in_its_own_encodings_reads() -> None:
    # Excel's "CSV" on a Western Windows is Windows-1252, its "Unicode Text" UTF-16 with
    # tabs: both were refused "the log must be UTF-8 text" for one "ü" in a step's name.
    rows = "Item;Step;Started;Finished\r\nA-1;Prüfung;2026-11-02 09:30;2026-11-02 11:00\r\n"
    (row,) = read_log(rows.encode("cp1252"))
    assert row.step == "Prüfung"
    (row,) = read_log(rows.replace(";", "\t").encode("utf-16"))
    assert (row.item, row.step) == ("A-1", "Prüfung")


def test_excels_sep_line_names_the_delimiter_and_is_not_the_header() -> None:
    """A log saved with Excel's `sep=;` hint on its first line was refused for missing all
    four columns."""
    data = b"sep=;\r\nitem;step;started;finished\r\nA;Build;2026-11-02T09:00;2026-11-02T10:00\r\n"
    [row] = read_log(data)
    assert (row.row, row.item, row.step) == (1, "A", "Build")
    bad = b"sep=,\nitem,step,started,finished\nA,Build,2026-11-02T09:00,soon\n"
    with pytest.raises(BadLog) as refused:
        read_log(bad)
    assert "row 1:" in str(refused.value)  # still counted from the first data row


def test_a_sep_line_naming_a_tab_names_it() -> None:
    """'sep=<tab>' above a tab-separated log: the tab was stripped off the line as
    white space, so the line was read as the header ('no item column ...')."""
    data = b"sep=\t\r\nitem\tstep\tstarted\tfinished\r\nA\tBuild\t2026-11-02\t2026-11-03\r\n"
    [row] = read_log(data)
    assert (row.row, row.item, row.step) == (1, "A", "Build")


def test_a_log_step_named_like_two_map_steps_is_left_for_a_person_to_choose() -> None:
    """Two map steps both called Review: the log's Review was matched to the first one and
    called exact."""
    steps = [Step(id="s1", text="Review"), Step(id="s2", text="Review"), Step(id="s3", text="Ship")]
    assert match_steps(["Review", "Ship"], steps) == {"Review": None, "Ship": ("s3", "exact")}


def test_a_log_spanning_over_ten_years_is_refused_naming_its_first_and_last_rows() -> None:
    """A mistyped year (2999 for 2026) was measured as a wait of centuries: stored, dropped by
    the metrics without a word, and brought back by a what-if as a ten-year lead time."""
    data = (HEADER + "A,Build,2026-10-01T09:00,2026-10-01T10:00,2026-10-01T12:00\n"
            "A,Test,2026-10-02T09:00,2999-10-02T10:00,2999-10-02T12:00\n").encode()  # fmt: skip
    [(row, message)] = _errors(data)
    assert row == 2
    assert "from 2026-10-01 (row 1) to 2999-10-02 (row 2)" in message
    assert "year is likely mistyped" in message


def test_a_utf8_log_with_one_broken_character_is_refused_naming_its_line_not_garbled() -> None:
    """A UTF-8 log with one bad byte was read whole as Windows-1252: every other accented
    name garbled ("PrÃ¼fung"), and matched to no step."""
    rows = "item,step,started,finished\nA,Prüfung,2026-11-02,2026-11-03\n"
    [(row, message)] = _errors(rows.encode() + b"C,Bu\xffild,2026-11-02,2026-11-03\n")
    assert row is None and "broken character on line 3" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.10.2026 09:30", datetime(2026, 10, 5, 9, 30)),  # Excel in Germany: day first
        ("5.10.2026 9:30:15", datetime(2026, 10, 5, 9, 30, 15)),
        ("05.10.2026", datetime(2026, 10, 5)),
        ("2026-10-05 09:30", datetime(2026, 10, 5, 9, 30)),
        ("2026-10-05 09:30:15", datetime(2026, 10, 5, 9, 30, 15)),
    ],
)
def test_excels_dotted_local_dates_and_iso_with_a_space_read(text: str, expected: datetime) -> None:
    (row,) = read_log((HEADER + f"A,Build,,{text},{text}\n").encode())
    assert row.started == expected


def test_slashed_dates_are_day_or_month_first_as_the_whole_log_shows() -> None:
    """05/10/2026 is 5 October in Britain and May 10 in the United States: a day over 12
    anywhere in the log tells which (both were refused)."""
    british = HEADER + "A,Build,,05/10/2026 09:30,25/10/2026 10:00\n"
    assert read_log(british.encode())[0].started == datetime(2026, 10, 5, 9, 30)
    american = HEADER + "A,Build,,05/10/2026 09:30,05/25/2026 10:00\n"
    assert read_log(american.encode())[0].started == datetime(2026, 5, 10, 9, 30)
    with_am_pm = HEADER + "A,Build,,5/10/2026 9:30 AM,5/25/2026 1:05 PM\n"
    (row,) = read_log(with_am_pm.encode())
    assert (row.started, row.finished) == (datetime(2026, 5, 10, 9, 30), datetime(2026, 5, 25, 13, 5))


def test_slashed_dates_the_log_cannot_tell_apart_are_refused_saying_why() -> None:
    ambiguous = HEADER + "A,Build,,05/10/2026 09:30,06/10/2026 10:00\n"
    assert _errors(ambiguous.encode()) == [(None, (
        "the log's dates such as 05/10/2026 may be day/month/year or month/day/year, and no"
        " date in it has a number over 12 to tell: write them as 2026-11-02 (year-month-day)"
        " or 02.11.2026 (day.month.year)"
    ))]  # fmt: skip
    both = HEADER + "A,Build,,25/10/2026 09:30,10/26/2026 10:00\n"
    assert _errors(both.encode()) == [(1, (
        "row 1: finished '10/26/2026 10:00' is month/day/year, but '25/10/2026 09:30' in"
        " row 1 is day/month/year: write every date one way"
    ))]  # fmt: skip


def test_a_spreadsheets_export_reads_with_its_empty_rows_and_columns() -> None:
    """What Excel and Google Sheets leave around the data: a BOM, columns with no header,
    rows of bare delimiters (or a stray space) at the end, a header with trailing spaces. A
    row of spaces was refused "item is empty"."""
    data = (
        "\ufeffItem ;Step;Started;Finished;;\r\n"
        "A-1;Build;2026-11-02 09:30;2026-11-02 11:00;;\r\n"
        ";;;;;\r\n"
        " ; ;;;;\r\n"
    ).encode("utf-8")
    (row,) = read_log(data)
    assert (row.item, row.step) == ("A-1", "Build")
