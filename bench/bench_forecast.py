"""How long one forecast takes: 10,000 trials on a 50-step map, on one core.

The issue's budget is 50 ms of one core for at least 10,000 trials on a 50-step
map. The map here is a hard one of that size: two parallel branches for most of
its length, two rework loops (one nested in a stretch the other goes round),
and ranges or estimates on most figures. Run it from the repository root:

    python bench/bench_forecast.py

It prints a markdown table of the median and best milliseconds per forecast
(`compute_forecast`, then `to_json`), and how much of it ranks the steps to
measure next (`_measure_next`, timed on its own with the same inputs).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from app.domain import forecast  # noqa: E402
from app.domain.elements import Board, Connector, Element, Estimate, Step  # noqa: E402
from app.domain.flow_path import order_steps, split_board  # noqa: E402
from app.domain.forecast_figures import step_figures  # noqa: E402
from app.domain.forecast_sim import (  # noqa: E402
    draw_durations,
    draw_repeats,
    flow_net,
    spread_figures,
    walk,
)
from app.domain.rework import loop_routes  # noqa: E402

STEPS = 50
TRIALS = (10_000,)
# Enough timed calls for a stable median without a long run.
BUDGET_SECONDS = 3.0
MIN_REPEATS = 15
TARGET_MS = 50.0
DAY = 480.0


def _step(i: int, x: float, y: float) -> Step:
    """Figures that vary; three steps in four typed as ranges, every seventh left to estimates."""
    wait = float(60 + (i * 37) % 11 * 120)
    process = float(30 + (i * 13) % 7 * 30)
    step = Step(id=f"s{i}", x=x, y=y, text=f"Step {i}", process_minutes=process)
    if i % 7 == 3:  # unsettled: the estimates below give its spread
        return step
    if i % 4 == 0:
        return Step(**{**_fields(step), "wait_minutes": wait})
    low, high = wait / 2, wait * 2
    likely = (low + high) / 2
    return Step(
        **{**_fields(step), "wait_minutes": likely, "wait_text": f"{low:g}m-{high:g}m"},
    )


def _fields(step: Step) -> dict[str, object]:
    return {f: getattr(step, f) for f in ("id", "x", "y", "text", "process_minutes")}


def fifty_steps(n: int = STEPS) -> Board:
    """A main line with a parallel branch beside most of it, and two rework loops."""
    elements: list[Element] = []
    main = n * 3 // 5  # 30 on the main line, 20 on the branch
    for i in range(main):
        elements.append(_step(i, i * 220.0, 160.0))
        if i:
            elements.append(Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}"))
    branch = range(main, n)
    for k, i in enumerate(branch):
        elements.append(_step(i, (k + 3) * 220.0, 400.0))
        source = "s2" if k == 0 else f"s{i - 1}"
        elements.append(Connector(id=f"c{i}", source=source, target=f"s{i}"))
    elements.append(Connector(id="join", source=f"s{n - 1}", target=f"s{main - 2}"))
    for i in range(n):
        if i % 7 == 3:
            for e, minutes in enumerate((DAY / 2, DAY, 3 * DAY)):
                elements.append(
                    Estimate(id=f"e{i}-{e}", target=f"s{i}", field="wait_minutes", minutes=minutes)
                )
    elements.append(_rework("r1", source="s20", target="s5", rate=0.2))
    elements.append(_rework("r2", source="s12", target="s8", rate=0.3))  # inside r1
    return Board(id="fifty", elements={e.id: e for e in elements})


def _rework(cid: str, *, source: str, target: str, rate: float) -> Connector:
    return Connector(id=cid, source=source, target=target, connector="rework", rework_rate=rate)


def milliseconds(work: Callable[[], object]) -> tuple[float, float]:
    """Median and best time of one call to `work`, in milliseconds."""
    work()  # warm up
    times: list[float] = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    while len(times) < MIN_REPEATS or time.perf_counter() < deadline:
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, min(times) * 1e3


def ranking(board: Board, trials: int) -> Callable[[], object]:
    """Only the ranking pass of one forecast of `board`, on that forecast's own draws."""
    parts = split_board(board)
    figures = step_figures(board, parts.steps)
    leads = [w.likely + p.likely for w, p in figures]
    order = order_steps(parts, leads)
    net = flow_net(order, loop_routes(parts, order, leads)[0], len(parts.steps))
    rng = np.random.Generator(np.random.PCG64(1))
    spread = spread_figures(figures, net.order)
    durations = draw_durations(figures, net.order, rng.random((len(spread), trials)))
    repeats = draw_repeats(net.loops, rng.random((len(net.loops), trials)))
    lead = walk(net, durations, repeats)
    return partial(forecast._measure_next, net, parts.steps, figures, durations, repeats, lead)


def main() -> None:
    board = fifty_steps()
    result = forecast.compute_forecast(board)
    assert result is not None
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs;"
        f" {len(board.steps())} steps, {len(result.ranged)} ranged figures, 2 rework loops;"
        f" median of >= {MIN_REPEATS} runs, about {BUDGET_SECONDS}s per cell\n"
    )
    print(
        "| trials | compute_forecast ms | best ms | to_json ms | ranking ms | ranking share"
        f" | within {TARGET_MS:g} ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|")
    for trials in TRIALS:
        median, best = milliseconds(partial(forecast.compute_forecast, board, trials=trials))
        found = forecast.compute_forecast(board, trials=trials)
        assert found is not None
        to_json, _ = milliseconds(found.to_json)
        ranked, _ = milliseconds(ranking(board, trials))
        print(
            f"| {trials:,} | {median:.1f} | {best:.1f} | {to_json:.2f} | {ranked:.1f}"
            f" | {ranked / median:.0%} | {'yes' if median <= TARGET_MS else 'NO'} |"
        )


if __name__ == "__main__":
    main()
