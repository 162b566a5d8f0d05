"""What-if by factors (POST .../whatif): each figure scaled, rework capped, bad changes refused;
and what-ifs on a board whose figures come from an event log."""

from __future__ import annotations

import math

import pytest

from app.domain.demo import demo_board
from app.domain.elements import Board, Connector, Step
from app.domain.fields import MAX_MINUTES
from app.domain.forecast import forecast_json
from app.domain.metrics import compute_metrics
from app.domain.operations import SetBoard, apply
from app.domain.rework import MAX_COUNTED_RATE
from app.domain.what_if import (
    BadChange,
    StepChange,
    UnknownStep,
    changed,
    tried,
    what_if,
    whatif_metrics,
)
from tests.unit.test_measured_board import _board, _summary
from tests.unit.test_what_if import DAY, HOUR, chain, review_and_staging


def _measured_board() -> Board:
    """Build (s1) and Test (s2) with their figures from the log: Build waits 1.5d, works 4h."""
    return apply(_board(), SetBoard({"measured": _summary(), "figures_from": "measured"}))[0]


def test_a_wait_factor_of_a_half_is_the_cut_wait_change() -> None:
    board = demo_board()
    by_factor = compute_metrics(changed(board, [StepChange("demo-staging", wait_factor=0.5)]))
    by_name = what_if(board, "demo-staging", "cut-wait").after
    assert by_factor.to_json() == by_name.to_json()


def test_factors_on_several_steps_scale_each_figure_they_name() -> None:
    board = review_and_staging()  # a: 1d + 2d, r: 3d + 1h, s: 4d + 1d
    after = compute_metrics(changed(board, [
        StepChange("s", wait_factor=0.25, process_factor=2),
        StepChange("a", process_factor=0),
    ]))  # fmt: skip
    rows = {r.id: r for r in after.steps}
    assert (rows["s"].wait_minutes, rows["s"].process_minutes) == (DAY, 2 * DAY)
    assert rows["a"].process_minutes == 0
    assert after.lead_time_minutes == DAY + 3 * DAY + HOUR + DAY + 2 * DAY
    assert after.constraint is not None and after.constraint.id == "r"


def test_the_metrics_as_they_would_be_have_the_metrics_shape_and_the_map_is_untouched() -> None:
    board = demo_board()
    before = compute_metrics(board).to_json()
    body = whatif_metrics(board, [StepChange("demo-staging", wait_factor=0.5)])
    assert set(body) == {*before, "forecast"}
    assert body["constraint"]["id"] == "demo-staging"
    assert body["lead_time_minutes"] == before["lead_time_minutes"] - 4 * DAY
    forecast = forecast_json(board)
    assert forecast is not None and body["forecast"]["p50_minutes"] < forecast["p50_minutes"]
    assert compute_metrics(board).to_json() == before


def _looped(rate: float) -> Board:
    back = Connector(id="back", source="b", target="a", connector="rework", rework_rate=rate)
    steps = (Step(id="a", x=0, wait_minutes=DAY), Step(id="b", x=200, wait_minutes=DAY))
    return chain(*steps, extra=(back,))


def _rate(board: Board) -> float | None:
    back = board.elements["back"]
    assert isinstance(back, Connector)
    return back.rework_rate


def test_a_rework_factor_scales_the_rate_of_each_arrow_into_or_out_of_the_step() -> None:
    assert _rate(changed(_looped(0.2), [StepChange("b", rework_factor=2)])) == pytest.approx(0.4)
    assert _rate(changed(_looped(0.2), [StepChange("a", rework_factor=0)])) == 0


def test_a_rework_rate_scaled_up_is_capped_at_the_most_the_metrics_count() -> None:
    after = changed(_looped(0.5), [StepChange("b", rework_factor=10)])
    assert _rate(after) == MAX_COUNTED_RATE
    assert compute_metrics(after).ignored == ()  # still a rate below 1: the loop counts


def test_an_arrow_between_two_changed_steps_takes_both_factors() -> None:
    both = [StepChange("a", rework_factor=0.5), StepChange("b", rework_factor=0.5)]
    assert _rate(changed(_looped(0.4), both)) == pytest.approx(0.1)


def test_a_figure_scaled_past_the_largest_a_step_may_have_stays_at_the_largest() -> None:
    board = chain(Step(id="a", wait_minutes=MAX_MINUTES / 2))
    after = compute_metrics(changed(board, [StepChange("a", wait_factor=100)]))
    assert after.lead_time_minutes == MAX_MINUTES  # not dropped as an impossible figure


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ([], "at least one change"),
        ([StepChange("s", wait_factor=-0.5)], "wait_factor must be"),
        ([StepChange("s", process_factor=math.nan)], "process_factor must be"),
        ([StepChange("s", rework_factor=math.inf)], "rework_factor must be"),
        ([StepChange("s", wait_factor=101)], "at most 100"),
        ([StepChange("s", wait_factor=0.5), StepChange("s", process_factor=2)], "more than once"),
    ],
)
def test_empty_repeated_or_impossible_changes_are_refused_with_the_reason(
    changes: list[StepChange], reason: str
) -> None:
    with pytest.raises(BadChange, match=reason):
        changed(review_and_staging(), changes)


def test_a_change_to_a_step_the_board_lacks_is_refused() -> None:
    with pytest.raises(UnknownStep):
        changed(review_and_staging(), [StepChange("s"), StepChange("a-r", wait_factor=0.5)])


# --- Figures from an event log ----------------------------------------------------------------


def test_cutting_a_measured_wait_cuts_the_figure_the_metrics_use() -> None:
    board = _measured_board()
    w = what_if(board, "s1", "cut-wait")
    assert w.before.steps[0].wait_minutes == 1.5 * DAY  # the log's median, not the typed 1d
    assert w.after.steps[0].wait_minutes == 0.75 * DAY
    assert w.deltas()["lead_time_minutes"] == -0.75 * DAY


def test_a_measured_process_time_is_what_adding_a_person_divides() -> None:
    w = what_if(_measured_board(), "s2", "add-person")  # Test: typed 1h, measured 2h
    assert w.after.steps[1].process_minutes == HOUR
    assert w.deltas()["process_time_minutes"] == -HOUR


def test_a_what_if_on_measured_figures_moves_the_forecast_too() -> None:
    board = _measured_board()
    before = forecast_json(board)
    after = whatif_metrics(board, [StepChange("s1", wait_factor=0.5)])["forecast"]
    assert before is not None and after is not None
    assert after["p85_minutes"] < before["p85_minutes"]


def test_a_future_state_started_from_a_measured_what_if_keeps_the_figure_as_changed() -> None:
    # The future state keeps the steps, not the measurements (future_state.py): the
    # step's own figure must say what the what-if made of the measured one.
    step = tried(_measured_board(), "s1", "cut-wait").elements["s1"]
    assert isinstance(step, Step) and step.wait_minutes == 0.75 * DAY


def test_a_typed_figure_is_scaled_when_the_board_uses_its_estimates() -> None:
    board = apply(_board(), SetBoard({"measured": _summary()}))[0]  # figures_from "estimates"
    assert what_if(board, "s1", "cut-wait").after.steps[0].wait_minutes == 0.5 * DAY
