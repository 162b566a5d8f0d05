"""The fan-out lag window behind /healthz's `broker.fanout_lag` and /metrics' summary."""

from __future__ import annotations

from app.hub.lag import LagSummary, LagWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_quantiles_are_nearest_rank_over_what_arrived() -> None:
    lag = LagWindow(clock=Clock())
    for ms in range(1, 101):  # 1..100 ms, in any order
        lag.observe((101 - ms) / 1000)
    assert lag.summary() == LagSummary(samples=100, p50=0.050, p99=0.099, max=0.100)
    assert lag.summary().to_json() == {  # type: ignore[union-attr]
        "samples": 100, "p50_ms": 50.0, "p99_ms": 99.0, "max_ms": 100.0,
    }  # fmt: skip


def test_only_the_last_window_counts_but_the_totals_keep_everything() -> None:
    clock = Clock()
    lag = LagWindow(window=60, clock=clock)
    lag.observe(2.0)  # an outage's backlog
    clock.now += 61
    lag.observe(0.001)
    assert lag.summary() == LagSummary(samples=1, p50=0.001, p99=0.001, max=0.001)
    assert (lag.count, lag.total) == (2, 2.001)


def test_a_quiet_window_has_no_summary_and_prometheus_says_nan() -> None:
    clock = Clock()
    lag = LagWindow(window=60, clock=clock)
    assert lag.summary() is None
    lag.observe(0.004)
    clock.now += 120
    assert lag.summary() is None
    assert lag.prometheus() == [
        "# HELP flowmap_fanout_lag_seconds publish on another process to arrival here, last 60 s",
        "# TYPE flowmap_fanout_lag_seconds summary",
        'flowmap_fanout_lag_seconds{quantile="0.5"} NaN',
        'flowmap_fanout_lag_seconds{quantile="0.99"} NaN',
        "flowmap_fanout_lag_seconds_sum 0.004000",
        "flowmap_fanout_lag_seconds_count 1",
    ]


def test_a_receiver_clock_behind_the_sender_counts_as_no_lag() -> None:
    lag = LagWindow(clock=Clock())
    lag.observe(-0.0003)
    assert lag.summary() == LagSummary(samples=1, p50=0.0, p99=0.0, max=0.0)


def test_a_busy_minute_keeps_its_latest_samples() -> None:
    lag = LagWindow(limit=3, clock=Clock())
    for seconds in (9.0, 0.001, 0.002, 0.003):
        lag.observe(seconds)
    found = lag.summary()
    assert found is not None and (found.samples, found.max) == (3, 0.003)
    assert lag.count == 4
