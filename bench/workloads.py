"""The workloads of issue 6 as specs; W4, W5, W6 and idle memory have runners in scenarios.py."""

from __future__ import annotations

from dataclasses import replace

from bench.load import Spec

# W1: one workshop board, 30 people, 10 of them editing at 10 edits/s each.
W1 = Spec("W1", boards=1, clients=30, editors=10, edit_rate=10.0, warmup=2, measure=12)
# W2: a drag storm: 50 people, 5 dragging at 30 Hz (each drop is an edit).
W2 = Spec("W2", boards=1, clients=50, editors=0, edit_rate=0.0, draggers=5, measure=12)
# W3: many workshops at once: 50 boards of 6 people, every one editing at 2 edits/s.
W3 = Spec("W3", boards=50, clients=6, editors=6, edit_rate=2.0, measure=12)
# W8: many workshops on one process: 200 boards of 12 people (2,400 connections), 2 or 3
# of them editing at workshop pace (an edit every 2 s each) and everyone's cursor moving.
W8 = Spec(
    "W8", boards=200, clients=12, editors=3, edit_rate=0.5, editor_mix=(2, 3), cursors=True,
    warmup=3, measure=12,
)  # fmt: skip
# W6: W1 over two processes sharing PostgreSQL and Redis, clients split between them.
W6 = replace(W1, name="W6", endpoints=2, measure=10)
# W7: one board with 500 participants, 20 of them dragging at 30 Hz, 10 editing at 1 edit/s.
W7 = Spec("W7", boards=1, clients=500, editors=10, edit_rate=1.0, draggers=20, warmup=2, measure=10)

# W4: the capacity sweep: W1's board of 30 peers, every one editing, the total rate raised
# step by step. Flowmap runs with its per-connection edit limit lifted (bench/serve_unlimited.py):
# under the default 50 edits/s per connection, 30 peers cannot offer more than 1,500 edits/s.
W4_RATES = (250, 500, 1000, 1250, 1750, 2500, 3500, 5000, 7000)
W4_PEERS = 30
W4_P99_LIMIT_MS = 50.0
# Issue 6: at least this many edits/s with 30 peers, and p99 within 10 ms at half of it.
W4_TARGET_RATE = 2500.0


def w4_step(rate: float) -> Spec:
    return Spec(
        "W4", boards=1, clients=W4_PEERS, editors=W4_PEERS, edit_rate=rate / W4_PEERS,
        warmup=1.5, measure=4,
    )  # fmt: skip


def quick(seconds: float) -> Spec:
    """`--quick`: W1 with a shorter window (the whole quick run stays under a minute)."""
    return replace(W1, warmup=min(2.0, seconds / 2), measure=seconds)
