"""The forecast (app/domain/forecast.py): the lead time's spread from ranged,
estimated and measured figures, walked through the metrics' flow, in the
contract's JSON shape (issue 18, section 2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from app.domain.durations import parse_duration
from app.domain.elements import Board, Calendar, Connector, Element, Estimate, Step
from app.domain.forecast import Forecast, compute_forecast
from app.domain.metrics import compute_metrics

DAY = 480.0
CAL = Calendar()


def _board(*elements: Element, **frame: Any) -> Board:
    return Board(id="b", elements={e.id: e for e in elements}, **frame)


def _step(
    sid: str, x: float, wait: str | float | None = None, process: float | None = None, **more: Any
) -> Step:
    """A step whose wait is typed text (a range, say) or minutes."""
    if isinstance(wait, str):
        more |= {"wait_minutes": parse_duration(wait, CAL), "wait_text": wait}
    else:
        more |= {"wait_minutes": wait}
    return Step(id=sid, x=x, text=sid.upper(), process_minutes=process, **more)


def _flow(source: str, target: str) -> Connector:
    return Connector(id=f"{source}>{target}", source=source, target=target)


def _rework(source: str, target: str, rate: float) -> Connector:
    return Connector(
        id=f"{source}<{target}", source=source, target=target, connector="rework", rework_rate=rate
    )


def _forecast(board: Board, trials: int = 10_000) -> Forecast:
    found = compute_forecast(board, trials=trials)
    assert found is not None
    return found


def test_a_map_without_any_lead_time_has_no_forecast() -> None:
    assert compute_forecast(Board(id="empty")) is None
    assert compute_forecast(_board(Step(id="a"), Step(id="b", x=200))) is None


def test_fixed_figures_forecast_the_lead_time_itself() -> None:
    board = _board(_step("a", 0, 480, 60), _step("b", 200, 960, 120))
    body = _forecast(board).to_json()
    lead = compute_metrics(board).lead_time_minutes
    assert body["p50_minutes"] == body["p85_minutes"] == body["p95_minutes"] == lead
    assert body["mean_minutes"] == body["deterministic_minutes"] == lead
    assert (body["ranged"], body["measure_next"]) == ([], [])


def test_the_json_has_the_contract_shape() -> None:
    board = _board(_step("a", 0, "2d-5d", 60), _step("b", 200, 960, 120), _flow("a", "b"))
    body = _forecast(board).to_json()
    assert list(body) == [
        "trials", "seed", "p50_minutes", "p85_minutes", "p95_minutes", "mean_minutes",
        "deterministic_minutes", "histogram", "ranged", "measure_next", "display",
    ]  # fmt: skip
    assert body["trials"] == 10_000 and isinstance(body["seed"], int)
    assert 0 <= body["seed"] < 2**53  # JavaScript reads it exactly
    assert len(body["histogram"]["edges_minutes"]) == 21
    assert len(body["histogram"]["counts"]) == 20
    assert sum(body["histogram"]["counts"]) == 10_000
    assert body["ranged"] == [
        {"id": "a", "text": "A", "field": "wait_minutes", "low": 960.0, "likely": 1680.0,
         "high": 2400.0, "source": "typed"}
    ]  # fmt: skip
    assert body["measure_next"] == [
        {"id": "a", "text": "A", "p85_cut_minutes": body["measure_next"][0]["p85_cut_minutes"],
         "share": 1.0}
    ]  # fmt: skip
    assert set(body["display"]) == {"p50", "p85", "p95"}
    assert body["deterministic_minutes"] == 1680 + 60 + 960 + 120


def test_the_percentiles_of_a_range_lie_within_it_and_read_in_the_one_style() -> None:
    found = _forecast(_board(_step("a", 0, "2d-3d-5d")))
    assert 2 * DAY <= found.p50_minutes <= found.p85_minutes <= found.p95_minutes <= 5 * DAY
    # Triangle 2d-3d-5d: its mean is (2 + 3 + 5) / 3 days.
    assert found.mean_minutes == pytest.approx(10 / 3 * DAY, rel=0.01)
    assert found.to_json()["display"]["p50"].endswith("d")


def test_a_range_that_no_longer_says_its_minutes_is_a_fixed_figure() -> None:
    board = _board(_step("a", 0, "2d-5d", 60), calendar=Calendar(hours_per_day=7.5))
    body = _forecast(board).to_json()
    assert body["ranged"] == [] and body["p95_minutes"] == body["deterministic_minutes"]


def test_unsettled_figures_spread_over_the_participants_estimates() -> None:
    estimates = [
        Estimate(id=f"e{k}", target="a", field="process_minutes", minutes=m)
        for k, m in enumerate((60.0, 120.0, 480.0))
    ]
    body = _forecast(_board(_step("a", 0, 30), *estimates)).to_json()
    assert body["ranged"] == [
        {"id": "a", "text": "A", "field": "process_minutes", "low": 60.0, "likely": 120.0,
         "high": 480.0, "source": "estimates"}
    ]  # fmt: skip
    assert body["deterministic_minutes"] == 30 + 120


@dataclasses.dataclass(frozen=True, slots=True)
class _MeasuredBoard(Board):
    """A board with the fields helper B adds (measured, figures_from), for this test only."""

    measured: dict[str, Any] | None = None
    figures_from: str = "estimates"


QUANTILES = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 1000.0]


def _measured(figures_from: str) -> Board:
    summary = {"steps": {"a": {"wait": {"n": 42, "median": 50.0, "p85": 85.0,
                                        "quantiles": QUANTILES}}}}  # fmt: skip
    return _MeasuredBoard(
        id="b", elements={"a": _step("a", 0, "2d-5d", 0)}, measured=summary,
        figures_from=figures_from,
    )  # fmt: skip


def test_measured_figures_are_drawn_from_their_quantiles_when_the_map_uses_them() -> None:
    found = _forecast(_measured("measured"))
    ranged = found.to_json()["ranged"]
    assert [(r["source"], r["low"], r["likely"], r["high"]) for r in ranged] == [
        ("measured", 0.0, 50.0, 1000.0)
    ]
    assert found.deterministic_minutes == 50.0
    # Linear between the deciles: each tenth of the items lies uniformly in its stretch.
    assert found.p50_minutes == pytest.approx(50.0, abs=2.0)
    assert found.p85_minutes == pytest.approx(85.0, abs=2.0)
    assert found.p95_minutes == pytest.approx(90 + 0.5 * 910, rel=0.05)
    expected_mean = np.mean(
        [(lo + hi) / 2 for lo, hi in zip(QUANTILES[:-1], QUANTILES[1:], strict=True)]
    )
    assert found.mean_minutes == pytest.approx(expected_mean, rel=0.03)


def test_measurements_wait_while_the_map_uses_estimates() -> None:
    ranged = _forecast(_measured("estimates")).to_json()["ranged"]
    assert [r["source"] for r in ranged] == ["typed"]


def test_parallel_branches_take_the_longer_in_each_trial() -> None:
    board = _board(
        _step("start", 0, 0), _step("up", 200, "1d-5d", y=0), _step("down", 200, "2d-4d", y=300),
        _step("end", 400, 0), _flow("start", "up"), _flow("start", "down"),
        _flow("up", "end"), _flow("down", "end"),
    )  # fmt: skip
    found = _forecast(board)
    assert found.deterministic_minutes == 3 * DAY  # both likely 3d
    # The max of two spreads with the same likely value runs later than either.
    assert found.mean_minutes > 3 * DAY * 1.05
    assert [m.id for m in found.measure_next] == ["up", "down"]


def test_the_same_map_gives_the_same_forecast_every_time() -> None:
    board = _board(_step("a", 0, "1d-4d", 60), _step("b", 200, "2h-3d", 30), _rework("b", "a", 0.2))
    first, second = _forecast(board).to_json(), _forecast(board).to_json()
    assert first == second
    other = _board(_step("a", 0, "1d-4d", 60), _step("b", 200, "2h-3d", 31), _rework("b", "a", 0.2))
    assert _forecast(other).seed != first["seed"]


def test_the_seed_does_not_depend_on_the_order_the_board_keeps_its_elements() -> None:
    a, b = _step("a", 0, "1d-4d"), _step("b", 200, "2d-3d")
    assert _forecast(_board(a, b)).to_json() == _forecast(_board(b, a)).to_json()


def test_rework_on_a_fixed_chain_averages_the_expected_lead_time() -> None:
    board = _board(
        _step("a", 0, 480, 60), _step("b", 200, 960, 120), _step("c", 400, 240, 30),
        _flow("a", "b"), _flow("b", "c"), _rework("c", "b", 0.3),
    )  # fmt: skip
    found = _forecast(board, trials=40_000)
    metrics = compute_metrics(board)
    assert found.deterministic_minutes == metrics.lead_time_minutes
    assert found.mean_minutes == pytest.approx(metrics.expected_lead_time_minutes, rel=0.02)
    assert found.p50_minutes == metrics.lead_time_minutes  # 70 % of items never go round


def test_nested_rework_loops_compound_as_the_expected_lead_time_says() -> None:
    board = _board(
        _step("a", 0, 480), _step("b", 200, 960), _step("c", 400, 240), _step("d", 600, 120),
        _flow("a", "b"), _flow("b", "c"), _flow("c", "d"),
        _rework("c", "b", 0.25), _rework("d", "a", 0.2),
    )  # fmt: skip
    found = _forecast(board, trials=50_000)
    expected = compute_metrics(board).expected_lead_time_minutes
    assert found.mean_minutes == pytest.approx(expected, rel=0.03)


def test_measure_next_ranks_the_widest_spread_first_and_shares_add_up() -> None:
    board = _board(
        _step("a", 0, "1d-2d"), _step("b", 200, "1d-10d"), _step("c", 400, "1d-6d"),
        _step("d", 600, 480), _flow("a", "b"), _flow("b", "c"), _flow("c", "d"),
    )  # fmt: skip
    ranked = _forecast(board).measure_next
    assert [m.id for m in ranked][:2] == ["b", "c"]
    assert ranked[0].share > 0.6
    assert sum(m.share for m in ranked) == pytest.approx(1.0, abs=1e-3)
    assert all(m.p85_cut_minutes > 0 for m in ranked)


def test_a_spread_off_the_longest_branch_is_not_worth_measuring() -> None:
    board = _board(
        _step("start", 0, 0), _step("long", 200, "10d-12d", y=0), _step("short", 200, "1d-2d", y=300),
        _step("end", 400, 0), _flow("start", "long"), _flow("start", "short"),
        _flow("long", "end"), _flow("short", "end"),
    )  # fmt: skip
    assert [m.id for m in _forecast(board).measure_next] == ["long"]


def test_a_step_off_the_flow_does_not_enter_the_forecast() -> None:
    board = _board(_step("a", 0, 480), _step("b", 200, 480), _step("loose", 400, "1d-9d"),
                   _flow("a", "b"))  # fmt: skip
    body = _forecast(board).to_json()
    assert body["ranged"] == [] and body["p95_minutes"] == 960.0


def test_a_forecast_needs_a_trial() -> None:
    with pytest.raises(ValueError, match="at least one trial"):
        compute_forecast(_board(_step("a", 0, 480)), trials=0)


def test_a_map_with_nothing_uncertain_skips_the_trials_and_reads_as_if_it_ran_them() -> None:
    a = Step(id="a", x=0, wait_minutes=480, process_minutes=60)
    b = Step(id="b", x=300, wait_minutes=960, process_minutes=120)
    board = Board(
        id="fixed", elements={"a": a, "b": b, "c": Connector(id="c", source="a", target="b")}
    )
    shown = compute_forecast(board, trials=1000)
    assert shown is not None
    assert shown.p50_minutes == shown.p95_minutes == shown.mean_minutes == 1620.0
    counts, edges = np.histogram(np.full(1000, 1620.0), bins=20)
    assert shown.counts == tuple(int(c) for c in counts)
    assert np.allclose(shown.edges_minutes, edges)
    assert shown.ranged == () and shown.measure_next == ()


def test_a_very_long_maps_forecast_draws_fewer_trials_and_stays_small_in_memory() -> None:
    """Any link may ask for a forecast (a what-if, a metrics read): at 10,000 trials a
    2,000-step map with ranges took over 500 MB, and two at once on a small server were
    enough to have the kernel kill it."""
    import tracemalloc

    steps = [
        Step(id=f"s{i}", x=300.0 * i, text=f"S{i}", wait_minutes=1680, wait_text="2d-5d",
             process_minutes=60, process_text="30m-2h")
        for i in range(2000)
    ]  # fmt: skip
    arrows = [Connector(id=f"c{i}", source=f"s{i}", target=f"s{i + 1}") for i in range(1999)]
    board = _board(*steps, *arrows)
    tracemalloc.start()
    try:
        found = compute_forecast(board)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is not None and found.trials == 1000
    assert peak < 120 * 1024 * 1024, peak
    assert found.p50_minutes < found.p85_minutes < found.p95_minutes
    small = compute_forecast(_board(*steps[:24], *arrows[:23]))
    assert small is not None and small.trials == 10_000
