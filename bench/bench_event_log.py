"""How long reading and measuring a big event log takes: 100,000 rows by default.

An import reads the whole log and measures it in one worker thread while the
board stays live, so this is how long a facilitator waits after choosing a
file. Run it from the repository root:

    python bench/bench_event_log.py [rows]

It prints the seconds to read the CSV (`event_log.read_log`), to measure it
(`measured.measure`), and both, best of three runs.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.elements import Calendar  # noqa: E402
from app.domain.event_log import read_log  # noqa: E402
from app.domain.measured import measure  # noqa: E402

STEPS = ("Refine request", "Design", "Build", "Code review", "Staging test", "Release")
RUNS = 3


def make_log(rows: int, seed: int = 18) -> bytes:
    """A CSV log of about `rows` rows: items through the steps, some sent back to Build."""
    rng = random.Random(seed)
    lines = ["item,step,arrived,started,finished"]
    start = datetime(2026, 9, 1, 9, 0)
    item = 0
    while len(lines) <= rows:
        item += 1
        at = start + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        path = list(STEPS)
        if rng.random() < 0.2:  # a return from review to build
            path[4:4] = ["Build", "Code review"]
        for i, step in enumerate(path):
            arrived = at + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
            started = arrived + timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
            finished = started + timedelta(minutes=rng.randrange(10, 2 * 24 * 60))
            shown = "" if i % 2 else arrived.isoformat(sep=" ", timespec="minutes")
            lines.append(
                f"ITEM-{item},{step},{shown},{started:%Y-%m-%dT%H:%M},{finished:%Y-%m-%dT%H:%M:%S}"
            )
            at = finished
    return ("\n".join(lines[: rows + 1]) + "\n").encode()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = make_log(rows)
    mapping = {name: f"s{i}" for i, name in enumerate(STEPS)}
    best = (float("inf"), float("inf"))
    for _ in range(RUNS):
        t0 = time.perf_counter()
        events = read_log(data, "text/csv")
        t1 = time.perf_counter()
        measure(events, mapping, Calendar(), mapped_lead_minutes=9600.0)
        t2 = time.perf_counter()
        best = min(best, (t1 - t0, t2 - t1), key=sum)
    print(f"{rows:,} rows ({len(data) / 1e6:.1f} MB): read {best[0]:.2f} s, "
          f"measure {best[1]:.2f} s, together {sum(best):.2f} s (best of {RUNS})")  # fmt: skip


if __name__ == "__main__":
    main()
