"""A figure as typed ("5d") is kept beside its minutes only while it says them,
and the server, not the browser, is the judge of that (app/domain/typed.py)."""

from __future__ import annotations

from app.domain.elements import Board, Calendar, Step
from app.domain.operations import Create, Rejection, SetBoard, Update, apply, apply_many
from app.export.json import plan_import

EIGHT_HOUR_DAYS = Calendar(hours_per_day=8, days_per_week=5)


def _board_with_step(**figures: object) -> Board:
    board, entry = apply(Board(id="b"), Create({"id": "s1", "kind": "step", **figures}))
    assert not isinstance(entry, Rejection), entry
    return board


def test_typed_text_that_says_the_minutes_is_kept() -> None:
    board = _board_with_step(wait_minutes=2400, wait_text="5d")
    board, entry = apply(board, Update("s1", {"process_minutes": 2400, "process_text": "1w"}))
    step = board.elements["s1"]
    assert isinstance(step, Step)
    assert (step.wait_text, step.process_text) == ("5d", "1w")
    assert not isinstance(entry, Rejection) and entry["set"]["process_text"] == "1w"


def test_typed_text_that_says_other_minutes_is_refused() -> None:
    board = _board_with_step()
    _, entry = apply(board, Update("s1", {"wait_minutes": 2880, "wait_text": "5d"}))
    assert entry == Rejection(
        "wait_text '5d' is 5d (2400 minutes) on this board's calendar, not 2880 minutes"
    )


def test_typed_text_is_read_on_the_board_calendar() -> None:
    board = _board_with_step()
    board, _ = apply(board, SetBoard({"hours_per_day": 7.5}))
    _, wrong = apply(board, Update("s1", {"wait_minutes": 2400, "wait_text": "5d"}))
    _, right = apply(board, Update("s1", {"wait_minutes": 2250, "wait_text": "5d"}))
    assert isinstance(wrong, Rejection) and not isinstance(right, Rejection)


def test_typed_text_that_is_no_duration_is_refused_in_the_parser_words() -> None:
    _, entry = apply(_board_with_step(), Update("s1", {"wait_minutes": 60, "wait_text": "soon"}))
    assert isinstance(entry, Rejection) and "is not a duration" in entry.reason


def test_typed_text_needs_its_minutes() -> None:
    _, entry = apply(_board_with_step(), Update("s1", {"wait_text": "5d"}))
    assert isinstance(entry, Rejection) and "needs the minutes" in entry.reason


def test_a_figure_set_without_text_drops_the_stale_text_for_everyone() -> None:
    board = _board_with_step(wait_minutes=2400, wait_text="5d")
    board, entry = apply(board, Update("s1", {"wait_minutes": 960}, source="estimate"))
    step = board.elements["s1"]
    assert isinstance(step, Step) and step.wait_text is None
    assert not isinstance(entry, Rejection) and entry["set"]["wait_text"] is None


def test_a_move_leaves_the_typed_text_alone() -> None:
    board = _board_with_step(wait_minutes=2400, wait_text="5d")
    board, _ = apply_many(board, [Update("s1", {"x": 40.0})])
    step = board.elements["s1"]
    assert isinstance(step, Step) and step.wait_text == "5d"


def test_a_step_made_again_with_a_text_typed_under_older_rules_keeps_its_minutes() -> None:
    # Before "2-3d" read as 2d-3d it read as 2 minutes to 3 days (likely 721 minutes), and
    # boards and exports keep that: importing such an export, or undoing the delete of
    # such a step, was refused whole ("wait_text '2-3d' is 2.5d (1200 minutes) ..., not
    # 721 minutes"). The text no longer says the minutes, so it is not kept (rule 1).
    old = {
        "kind": "step", "id": "s1", "text": "Build", "wait_minutes": 721.0, "wait_text": "2-3d",
        "process_minutes": 2400.0, "process_text": "5d",
    }  # fmt: skip
    board, entry = apply(Board(id="b"), Create(old))
    assert not isinstance(entry, Rejection)
    step = board.elements["s1"]
    assert isinstance(step, Step)
    assert (step.wait_minutes, step.wait_text) == (721.0, None)
    assert (step.process_minutes, step.process_text) == (2400.0, "5d")
    document = {"format": "flowmap-board", "version": 1, "board": {"title": "t"}, "elements": [old]}
    imported = plan_import(document).board.elements["s1"]
    assert isinstance(imported, Step) and imported.wait_text is None
