"""How often a busy board recomputes its metrics, and how far behind an edit they are.

A simulation of app/hub/metrics_feed.py's pacing (no server): Poisson edits on one
board, some of them changing a number; a recompute at once when the last one is
METRICS_INTERVAL old, else with the first edit after that, else METRICS_GRACE later.
For each edit that changed a number: how long until peers had its figures.

    python bench/metrics_pace.py     # W3's pace (12 edits/s a board) and W8's (1.25)

It printed, for 0.1 s then 0.2 s (2026-12-04):

    W3  0.10 s: 5.33 recomputes/s, an edit's figures behind it: mean 46 ms, p99 147, max 150
    W3  0.20 s: 3.82 recomputes/s, an edit's figures behind it: mean 104 ms, p99 246, max 250
    W8  0.10 s: 0.74 recomputes/s, an edit's figures behind it: mean 9 ms, p99 143, max 150
    W8  0.20 s: 0.73 recomputes/s, an edit's figures behind it: mean 25 ms, p99 239, max 250
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.hub.metrics_feed import METRICS_GRACE, METRICS_INTERVAL  # noqa: E402

SECONDS = 2000.0
# Of the bench's edits (bench/load.py edit_fields), texts and figures change a number
# (60 %); moves do not, on a map read along its flow arrows.
CHANGING = 0.6
PACES = {"W3": 12.0, "W8": 1.25}  # edits per second on one board


def simulate(interval: float, rate: float, grace: float = METRICS_GRACE, seed: int = 1) -> str:
    rng = random.Random(seed)
    t, last, due, timer = 0.0, float("-inf"), False, None
    waiting: list[float] = []  # when each edit not yet in a recompute was made
    behind: list[float] = []
    recomputes = 0

    def recompute(at: float) -> None:
        nonlocal last, due, recomputes
        recomputes += 1
        behind.extend(at - edit for edit in waiting)
        waiting.clear()
        last, due = at, False

    while t < SECONDS:
        t += rng.expovariate(rate)
        if timer is not None and timer <= t:  # the board went quiet: on its own
            recompute(timer)
            timer = None
        changing = rng.random() < CHANGING
        if changing:
            waiting.append(t)
        due = due or changing
        if not due:
            continue
        if t - last >= interval:  # rides with this edit's ops
            timer = None
            recompute(t)
        elif timer is None:
            timer = last + interval + grace
    behind.sort()
    n = len(behind)
    mean, p99, top = (1000 * x for x in (sum(behind) / n, behind[int(n * 0.99)], behind[-1]))
    return (f"{recomputes / SECONDS:.2f} recomputes/s, an edit's figures behind it: "
            f"mean {mean:.0f} ms, p99 {p99:.0f}, max {top:.0f}")  # fmt: skip


def main() -> None:
    for name, rate in PACES.items():
        for interval in sorted({0.1, METRICS_INTERVAL}):
            print(f"{name}  {interval:.2f} s: {simulate(interval, rate)}")


if __name__ == "__main__":
    main()
