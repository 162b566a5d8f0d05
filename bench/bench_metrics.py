"""How long one metrics recompute takes, on boards of 10, 100 and 1,000 steps.

The server recomputes the metrics after every applied batch of operations, so
this is the price of each edit on a busy board. Run it from the repository root:

    python bench/bench_metrics.py

It prints a markdown table of median microseconds per recompute
(`compute_metrics`, then `to_json`, and both together), and the best run of
both, which shows how much of the median is other work on the machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.elements import Board, Connector, Element, Inventory, Step  # noqa: E402
from app.domain.metrics import compute_metrics  # noqa: E402

SIZES = (10, 100, 1000)
# Enough timed calls per case for a stable median without a long run.
BUDGET_SECONDS = 0.5
MIN_REPEATS = 30


def _step(i: int, x: float, y: float) -> Step:
    # Varied figures, so the constraint search has real work to do.
    return Step(
        id=f"s{i}",
        x=x,
        y=y,
        text=f"Step {i}",
        wait_minutes=float((i * 37) % 11 * 60),
        process_minutes=float(30 + (i * 13) % 7 * 15),
        pca=90.0 + i % 10,
    )


def chain(n: int) -> Board:
    """n steps in one line of flow arrows, an inventory every tenth step, one rework loop."""
    elements: list[Element] = [_step(i, i * 220.0, 160.0) for i in range(n)]
    for i in range(1, n):
        if i % 10 == 0:
            elements.append(Inventory(id=f"i{i}", x=i * 220.0 - 30, count=i % 13))
            elements.append(Connector(id=f"c{i}a", source=f"s{i - 1}", target=f"i{i}"))
            elements.append(Connector(id=f"c{i}b", source=f"i{i}", target=f"s{i}"))
        else:
            elements.append(Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}"))
    if n > 2:
        elements.append(
            Connector(
                id="r", source=f"s{n - 1}", target=f"s{n // 2}", connector="rework", rework_rate=0.1
            )
        )
    return Board(id=f"chain{n}", elements={e.id: e for e in elements})


def walked(n: int) -> Board:
    """The chain with an example item walked through every step (two timestamps each)."""
    board = chain(n)
    start = datetime(2026, 1, 5, 9, 0)
    elements = dict(board.elements)
    for i, step in enumerate(board.steps()):
        begin = start + timedelta(hours=3 * i)
        elements[step.id] = replace(
            step,
            walk_start=begin.strftime("%Y-%m-%dT%H:%M"),
            walk_end=(begin + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        )
    return replace(board, id=f"walked{n}", elements=elements)


def branched(n: int) -> Board:
    """n steps in diamonds: a fork, two parallel steps, a join; then the next fork."""
    elements: list[Element] = []
    for i in range(n):
        role, column = i % 4, (i // 4) * 3
        # Fork and join sit on the main line; the two branches above and below it.
        x = (column + (0, 1, 1, 2)[role]) * 220.0
        y = (160.0, 40.0, 280.0, 160.0)[role]
        elements.append(_step(i, x, y))
        sources = {0: [i - 1] if i else [], 1: [i - 1], 2: [i - 2], 3: [i - 2, i - 1]}[role]
        for source in sources:
            elements.append(Connector(id=f"c{source}-{i}", source=f"s{source}", target=f"s{i}"))
    return Board(id=f"branched{n}", elements={e.id: e for e in elements})


def microseconds(work: Callable[[], object]) -> tuple[float, float]:
    """Median and best time of one call to `work`, in microseconds."""
    work()  # warm up
    times: list[float] = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    while len(times) < MIN_REPEATS or time.perf_counter() < deadline:
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6, min(times) * 1e6


def _recompute(board: Board) -> object:
    """What the server does after each batch: compute, then shape for the wire."""
    return compute_metrics(board).to_json()


def main() -> None:
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; median of >= {MIN_REPEATS}"
        f" runs, about {BUDGET_SECONDS}s per cell (best run in the last column)\n"
    )
    print(
        "| steps | shape | compute_metrics µs | to_json µs | both µs | both, best µs"
        " | encode frame µs | frame KiB |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in SIZES:
        for shape, build in (("chain", chain), ("walked", walked), ("branched", branched)):
            board = build(n)
            steps = len(board.steps())
            compute, _ = microseconds(partial(compute_metrics, board))
            to_json, _ = microseconds(compute_metrics(board).to_json)
            both, best = microseconds(partial(_recompute, board))
            # The metrics frame is encoded once per batch and the same bytes go to every peer.
            frame = {"type": "metrics", "seq": 1, "metrics": _recompute(board)}
            encode, _ = microseconds(partial(json.dumps, frame))
            size = len(json.dumps(frame)) / 1024
            print(
                f"| {steps} | {shape} | {compute:,.0f} | {to_json:,.0f} | {both:,.0f}"
                f" | {best:,.0f} | {encode:,.0f} | {size:,.1f} |"
            )


if __name__ == "__main__":
    main()
