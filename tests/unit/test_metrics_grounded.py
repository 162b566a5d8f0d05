"""Metrics beside an event log (DESIGN 4, grounded numbers): each step's measurement and the
basis of its figures, the measured lead time; and rolled %C/A shown without times."""

from __future__ import annotations

from typing import Any

from app.domain.elements import Board, Step, evolve
from app.domain.metrics import compute_metrics
from app.domain.operations import SetBoard, apply
from tests.unit.test_measured_board import DAY, _board, _summary


def _with_log(figures_from: str) -> dict[str, Any]:
    """Build and Test measured by the log; Deploy, which the log never names, typed."""
    deploy = Step(id="s3", x=600, text="Deploy", wait_minutes=DAY, process_minutes=30.0)
    board = _board()
    board = evolve(board, {"elements": {**board.elements, "s3": deploy}})
    change = {"measured": _summary(), "figures_from": figures_from}
    return compute_metrics(apply(board, SetBoard(change))[0]).to_json()


def test_without_a_log_every_step_is_on_estimates_with_no_measurement() -> None:
    out = compute_metrics(_board()).to_json()
    assert out["measured_lead_time"] is None
    assert [(s["basis"], s["measured"]) for s in out["steps"]] == [("estimates", None)] * 2


def test_each_step_carries_what_the_log_measured_of_it() -> None:
    build, test, deploy = _with_log("estimates")["steps"]
    # Build: waits 1d and 2d, works 4h each time; Test: waits 1d 4h twice, works 2h.
    assert build["measured"] == {
        "n": 2,
        "wait_median_minutes": 1.5 * DAY,
        "wait_p85_minutes": DAY + 0.85 * DAY,
        "process_median_minutes": 240.0,
        "process_p85_minutes": 240.0,
        "rework_rate": 0.0,
    }
    assert test["measured"]["wait_median_minutes"] == DAY + 240.0
    assert deploy["measured"] is None
    assert [s["basis"] for s in (build, test, deploy)] == ["estimates"] * 3
    assert build["measured_wait_minutes"] == 1.5 * DAY  # the flat fields stay


def test_the_basis_says_which_steps_the_measured_figures_replaced() -> None:
    build, test, deploy = _with_log("measured")["steps"]
    assert [s["basis"] for s in (build, test, deploy)] == ["measured", "measured", "estimates"]
    assert deploy["wait_minutes"] == DAY


def test_the_measured_lead_time_is_the_whole_items_median_and_85th_percentile() -> None:
    # A took 3d 2h (1,560 working minutes), B 4d 2h (2,040).
    lead = _with_log("estimates")["measured_lead_time"]
    assert lead == {"n": 2, "median_minutes": 1800.0, "p85_minutes": 1560.0 + 0.85 * 480.0}


def test_a_board_without_a_log_keeps_its_metrics_keys_whatever_its_edits() -> None:
    # The live feed patches metrics only while their keys stay (domain/patch.py).
    empty = compute_metrics(Board(id="b")).to_json()
    logged = _with_log("measured")
    assert empty.keys() == logged.keys()
    assert compute_metrics(_board()).to_json()["steps"][0].keys() <= logged["steps"][0].keys()


# --- Rolled %C/A -------------------------------------------------------------------------------


def _pca_only(*pcas: float | None) -> Board:
    steps = [Step(id=f"s{i}", x=200 * i, pca=pca) for i, pca in enumerate(pcas)]
    return Board(id="b", elements={s.id: s for s in steps})


def test_rolled_pca_shows_without_times_since_it_needs_none() -> None:
    m = compute_metrics(_pca_only(50.0, 50.0))
    assert m.to_json()["rolled_pca"] == 25.0
    assert m.display()["rolled_pca"] == "25.0%"
    assert m.display()["lead_time"] == "—"


def test_rolled_pca_shows_when_one_step_of_several_has_a_pca() -> None:
    assert compute_metrics(_pca_only(None, 80.0)).display()["rolled_pca"] == "80.0%"


def test_rolled_pca_is_a_dash_when_no_step_on_the_path_has_a_pca() -> None:
    assert compute_metrics(_pca_only(None, None)).display()["rolled_pca"] == "—"
    timed = Board(id="b", elements={"s": Step(id="s", wait_minutes=DAY)})
    assert compute_metrics(timed).display()["rolled_pca"] == "—"
