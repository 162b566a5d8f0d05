"""A step's ranges in minutes (DESIGN section 4: `wait_low_minutes`, `wait_high_minutes`,
`process_low_minutes`, `process_high_minutes`, with `wait_minutes` and `process_minutes`
the likely values): set through the operations, they are the step's typed range, the
one a person would type, and read back from it."""

from __future__ import annotations

from app.domain.durations import parse_range
from app.domain.elements import Board, Calendar, Step
from app.domain.operations import Create, Rejection, Update, apply
from app.domain.ranges import range_json

DAY = 480.0


def _board() -> Board:
    return Board(id="b", elements={"s": Step(id="s", text="Test", wait_minutes=2 * DAY)})


def _step(board: Board) -> Step:
    step = board.elements["s"]
    assert isinstance(step, Step)
    return step


def test_a_range_in_minutes_becomes_the_typed_range_with_the_likely_value_kept() -> None:
    board, entry = apply(_board(), Update("s", {"wait_low_minutes": DAY, "wait_high_minutes": 5 * DAY}))
    step = _step(board)
    assert (step.wait_minutes, step.wait_text) == (2 * DAY, "1d-2d-5d")
    assert not isinstance(entry, Rejection)
    assert entry["set"] == {"wait_minutes": 2 * DAY, "wait_text": "1d-2d-5d"}  # what peers get
    assert range_json(step, Calendar()) == {"wait_low_minutes": DAY, "wait_high_minutes": 5 * DAY}


def test_a_likely_value_given_with_the_range_is_the_one_taken() -> None:
    board, _ = apply(_board(), Update("s", {"process_low_minutes": 60, "process_minutes": 90,
                                            "process_high_minutes": 250}))  # fmt: skip
    step = _step(board)
    assert step.process_minutes == 90
    found = parse_range(step.process_text or "", Calendar())
    assert found is not None and (found.low, found.likely, found.high) == (60, 90, 250)


def test_a_likely_value_outside_the_range_gives_way_to_the_middle_unless_it_was_asked_for() -> None:
    board, _ = apply(_board(), Update("s", {"wait_low_minutes": 3 * DAY, "wait_high_minutes": 5 * DAY}))
    assert _step(board).wait_minutes == 4 * DAY
    _, refused = apply(_board(), Update("s", {"wait_low_minutes": 60, "wait_minutes": 30,
                                              "wait_high_minutes": 90}))  # fmt: skip
    assert refused == Rejection("wait_minutes must lie between wait_low_minutes and wait_high_minutes")
    # A likely value cleared with the range given: the middle.
    board, _ = apply(_board(), Update("s", {"wait_low_minutes": 60, "wait_minutes": None,
                                            "wait_high_minutes": 90}))  # fmt: skip
    assert _step(board).wait_minutes == 75


def test_one_end_moves_the_range_it_has_and_null_ends_clear_it() -> None:
    board, _ = apply(_board(), Update("s", {"wait_low_minutes": DAY, "wait_high_minutes": 5 * DAY}))
    board, _ = apply(board, Update("s", {"wait_high_minutes": 10 * DAY}))
    assert range_json(_step(board), Calendar()) == {"wait_low_minutes": DAY, "wait_high_minutes": 10 * DAY}
    board, _ = apply(board, Update("s", {"wait_low_minutes": None, "wait_high_minutes": None}))
    assert (_step(board).wait_minutes, _step(board).wait_text) == (2 * DAY, None)


def test_bad_ranges_are_refused_with_a_reason_and_change_nothing() -> None:
    for values, reason in [
        ({"wait_low_minutes": 5 * DAY, "wait_high_minutes": DAY}, "wait_low_minutes must be at most wait_high_minutes"),
        ({"wait_low_minutes": DAY}, "wait_low_minutes and wait_high_minutes go together: a range needs both ends"),
        ({"wait_low_minutes": -1, "wait_high_minutes": DAY}, "wait_low_minutes cannot be negative"),
        ({"process_high_minutes": "soon", "process_low_minutes": 1}, "process_high_minutes must be a number or null"),
        ({"wait_low_minutes": 60, "wait_high_minutes": 90, "wait_minutes": 60, "wait_text": "1h"},
         "give the range as wait_text or as wait_low_minutes and wait_high_minutes: they differ"),
    ]:  # fmt: skip
        board, result = apply(_board(), Update("s", values))
        assert result == Rejection(reason), values
        assert _step(board) == _step(_board())


def test_a_new_step_may_be_created_with_ranges_in_minutes() -> None:
    board, _ = apply(Board(id="b"), Create({"id": "n", "kind": "step", "text": "Review",
                                            "process_low_minutes": 30, "process_high_minutes": 250}))  # fmt: skip
    step = board.elements["n"]
    assert isinstance(step, Step) and step.process_minutes == 140
    assert range_json(step, Calendar()) == {"process_low_minutes": 30, "process_high_minutes": 250}


def test_minutes_the_calendar_cannot_word_exactly_are_typed_as_minutes() -> None:
    board, _ = apply(_board(), Update("s", {"wait_low_minutes": 7, "wait_high_minutes": 1001}))
    step = _step(board)
    assert step.wait_text == "7m-960m-1001m"  # its 2d still lies between them
    assert range_json(step, Calendar()) == {"wait_low_minutes": 7, "wait_high_minutes": 1001}


def test_a_range_given_both_ways_alike_is_taken_as_typed() -> None:
    # A JSON export gives a ranged step's text and its ends: importing it must work.
    values = {"wait_minutes": 2 * DAY, "wait_text": "1d-2d-5d", "wait_low_minutes": DAY,
              "wait_high_minutes": 5 * DAY}  # fmt: skip
    board, _ = apply(_board(), Update("s", values))
    assert (_step(board).wait_minutes, _step(board).wait_text) == (2 * DAY, "1d-2d-5d")


def test_after_the_calendar_changes_a_range_typed_on_the_old_one_is_read_nowhere() -> None:
    """A wait typed as 2d-5d (likely 1,680 minutes on 8-hour days), then 7.5-hour days: the
    forecast, the what-if and the shown figure had dropped the range (it no longer says the
    stored minutes), but the HTTP read still answered 900-2,250 around 1,680."""
    from app.domain.forecast_figures import step_figures
    from app.domain.what_if import StepChange, changed

    step = Step(id="s", text="Test", wait_minutes=1680, wait_text="2d-5d")
    eight, seven_and_a_half = Calendar(), Calendar(hours_per_day=7.5)
    assert range_json(step, eight) == {"wait_low_minutes": 960, "wait_high_minutes": 2400}
    board = Board(id="b", elements={"s": step}, calendar=seven_and_a_half)
    [(wait, _process)] = step_figures(board, [step])
    assert not wait.spread
    assert range_json(step, seven_and_a_half) == {}
    halved = changed(board, [StepChange("s", wait_factor=0.5)]).elements["s"]
    assert isinstance(halved, Step) and halved.wait_minutes == 840
    assert range_json(halved, seven_and_a_half) == {}


def test_a_calendar_change_keeps_each_range_meaning_the_working_time_typed() -> None:
    """2d-3d typed on 8-hour days (960 to 1,440 minutes), then 7.5-hour days: as a single
    figure keeps its minutes, the range keeps its three, said in the new calendar's words,
    and every peer and the op log re-express it alike (the entry says how). The range had
    been dropped everywhere: the forecast, the what-if and the HTTP read."""
    from app.domain.operations import SetBoard
    from app.domain.replay import replay

    step = Step(id="s", text="Test", wait_minutes=1200, wait_text="2d-3d",
                process_minutes=120, process_text="1h-2h-4h")  # fmt: skip
    weekly = Step(id="w", text="Ship", wait_minutes=2400, wait_text="1w")
    start = Board(id="b", elements={"s": step, "w": weekly})
    board, entry = apply(start, SetBoard({"hours_per_day": 7.5}))
    assert not isinstance(entry, Rejection)
    assert _step(board).wait_text == "16h-24h"
    assert range_json(_step(board), board.calendar) == {
        "wait_low_minutes": 960, "wait_high_minutes": 1440,
        "process_low_minutes": 60, "process_high_minutes": 240,
    }  # fmt: skip
    assert entry["retyped"] == {"s": {"wait_text": "16h-24h"}}  # hours read alike on any day
    assert replay(start, [entry]) == board
    assert board.elements["w"] == weekly  # one figure: its minutes kept, shown by the rule
    back, _ = apply(board, SetBoard({"hours_per_day": 8}))
    assert _step(back).wait_text == "16h-24h"  # hours say the same minutes on any day
    assert apply(start, SetBoard({"hours_per_day": 4}))[0].elements["s"].wait_text == "4d-6d"
    ranged = Step(id="r", text="QA", wait_minutes=3600, wait_text="1w-2w")
    shorter, entry = apply(Board(id="b", elements={"r": ranged}), SetBoard({"days_per_week": 4}))
    assert not isinstance(entry, Rejection)
    assert shorter.elements["r"] == Step(id="r", text="QA", wait_minutes=3600, wait_text="5d-10d")
