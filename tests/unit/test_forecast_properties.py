"""Properties of the forecast that hold for any map of a kind: fixed figures forecast
themselves, triangles average their means, parallel branches never finish before
either branch, rework averages the metrics' expected lead time, and the same map
always gives the same forecast."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.elements import Board, Calendar, Connector, Element, Step
from app.domain.flow_path import order_steps, split_board
from app.domain.forecast import compute_forecast
from app.domain.forecast_figures import step_figures
from app.domain.forecast_sim import draw_durations, flow_net, spread_figures, walk
from app.domain.metrics import compute_metrics

CAL = Calendar()
minutes = st.integers(min_value=0, max_value=20_000).map(float)
# (low, likely, high) in whole minutes, with some width.
triangles = st.tuples(st.integers(0, 5_000), st.integers(0, 5_000), st.integers(1, 5_000)).map(
    lambda t: (float(t[0]), float(t[0] + t[1]), float(t[0] + t[1] + t[2]))
)


def _text(low: float, likely: float, high: float) -> str:
    return f"{low:g}m-{likely:g}m-{high:g}m"


def _chain(figures: list[tuple[float, str | None]], rework: float | None = None) -> Board:
    """Steps in a row of flow arrows, each with a wait (typed text or not) and no process time."""
    elements: list[Element] = []
    for k, (wait, text) in enumerate(figures):
        elements.append(Step(id=f"s{k}", x=k * 200.0, wait_minutes=wait, wait_text=text))
        if k:
            elements.append(Connector(id=f"c{k}", source=f"s{k - 1}", target=f"s{k}"))
    if rework is not None:
        last = len(figures) - 1
        elements.append(
            Connector(
                id="r", source=f"s{last}", target="s0", connector="rework", rework_rate=rework
            )
        )
    return Board(id="b", elements={e.id: e for e in elements})


def _var(low: float, likely: float, high: float) -> float:
    return (low**2 + likely**2 + high**2 - low * likely - low * high - likely * high) / 18


@settings(max_examples=30, deadline=None)
@given(st.lists(minutes, min_size=1, max_size=8).filter(lambda w: sum(w) > 0))
def test_a_chain_of_fixed_figures_forecasts_its_lead_time_at_every_percentile(
    waits: list[float],
) -> None:
    found = compute_forecast(_chain([(w, None) for w in waits]), trials=500)
    assert found is not None
    lead = found.deterministic_minutes
    assert lead == math.fsum(waits)
    assert found.p50_minutes == found.p85_minutes == found.p95_minutes == lead


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=1, max_size=6))
def test_ranges_of_no_width_forecast_the_deterministic_lead_time(days: list[int]) -> None:
    board = _chain([(d * CAL.minutes_per_day, f"{d}d-{d}d") for d in days])
    found = compute_forecast(board, trials=500)
    assert found is not None and found.ranged == ()
    assert found.p50_minutes == found.p95_minutes == found.deterministic_minutes


@settings(max_examples=15, deadline=None)
@given(st.lists(triangles, min_size=1, max_size=6))
def test_a_chain_of_triangles_averages_the_sum_of_their_means(
    spans: list[tuple[float, float, float]],
) -> None:
    trials = 10_000
    found = compute_forecast(_chain([(m, _text(lo, m, hi)) for lo, m, hi in spans]), trials=trials)
    assert found is not None
    mean = sum((lo + m + hi) / 3 for lo, m, hi in spans)
    sd = math.sqrt(sum(_var(*s) for s in spans))
    assert abs(found.mean_minutes - mean) <= 5 * sd / math.sqrt(trials) + 1e-6
    # The median against a large sample drawn independently by numpy's own triangular.
    rng = np.random.default_rng(7)
    reference = sum(rng.triangular(lo, m, hi, size=200_000) for lo, m, hi in spans)
    assert abs(found.p50_minutes - float(np.median(reference))) <= 6 * sd / math.sqrt(trials)


@settings(max_examples=25, deadline=None)
@given(st.lists(triangles, min_size=2, max_size=5), st.integers(0, 10_000))
def test_parallel_branches_finish_no_earlier_than_either_branch_in_any_trial(
    spans: list[tuple[float, float, float]], seed: int
) -> None:
    """A fork into one branch per figure, joined again: each trial's lead time is their max."""
    elements: list[Element] = [Step(id="fork", x=0), Step(id="join", x=400)]
    for k, (lo, m, hi) in enumerate(spans):
        elements.append(Step(id=f"b{k}", x=200, y=k * 150.0, wait_minutes=m,
                             wait_text=_text(lo, m, hi)))  # fmt: skip
        elements.append(Connector(id=f"in{k}", source="fork", target=f"b{k}"))
        elements.append(Connector(id=f"out{k}", source=f"b{k}", target="join"))
    board = Board(id="b", elements={e.id: e for e in elements})
    parts = split_board(board)
    figures = step_figures(board, parts.steps)
    order = order_steps(parts, [w.likely + p.likely for w, p in figures])
    net = flow_net(order, [], len(parts.steps))
    rng = np.random.default_rng(seed)
    spread = spread_figures(figures, net.order)
    durations = draw_durations(figures, net.order, rng.random((len(spread), 300)))
    lead = walk(net, durations, np.zeros((0, 300)))
    for k in range(len(spans)):
        assert (lead >= durations[parts.step_index[f"b{k}"]]).all()
    assert np.array_equal(lead, durations[[parts.step_index[f"b{k}"] for k in range(len(spans))]]
                          .max(axis=0))  # fmt: skip


@settings(max_examples=20, deadline=None)
@given(st.lists(triangles, min_size=1, max_size=4), st.none() | st.floats(0.0, 0.6))
def test_the_same_map_gives_the_same_json_every_time(
    spans: list[tuple[float, float, float]], rate: float | None
) -> None:
    board = _chain([(m, _text(lo, m, hi)) for lo, m, hi in spans], rework=rate)
    first, second = compute_forecast(board, trials=300), compute_forecast(board, trials=300)
    assert first is not None and second is not None
    assert first.to_json() == second.to_json()


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(30, 2_000).map(float), min_size=1, max_size=5), st.floats(0.05, 0.7))
def test_rework_on_a_fixed_chain_averages_the_metrics_expected_lead_time(
    waits: list[float], rate: float
) -> None:
    board = _chain([(w, None) for w in waits], rework=rate)
    trials = 20_000
    found = compute_forecast(board, trials=trials)
    assert found is not None
    expected = compute_metrics(board).expected_lead_time_minutes
    # K extra trips of the whole chain: K is geometric with variance rate / (1 - rate)^2.
    sd = math.fsum(waits) * math.sqrt(rate) / (1 - rate)
    assert abs(found.mean_minutes - expected) <= 5 * sd / math.sqrt(trials) + 1e-6
