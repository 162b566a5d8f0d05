"""The benchmark's machinery works: a short W1 against B0 and Flowmap delivers everything, in order."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.client import BenchClient, Tally
from bench.workloads import W1

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"cpu_ratio_vs_floor=(\S+) p99_extra_ms=(\S+) missed=(-?\d+)")
# Two server starts, two joins of 30 clients, 1 s warm-up and 2 s measured each.
QUICK_TIMEOUT = 120


def test_client_counts_gaps_and_out_of_order_entries() -> None:
    tally = Tally()
    client = BenchClient("ws://unused", "0c1", tally)
    client._on_ops([{"seq": s, "cid": f"0c2.{s}.5"} for s in (1, 2, 4, 3, 5)], now=10)

    assert (client.seq, tally.gaps, tally.out_of_order) == (5, 1, 1)
    assert len(tally.peer_us) == 4  # every entry that arrived in order, from another client


@pytest.mark.timeout(QUICK_TIMEOUT)
def test_quick_run_reaches_every_peer_against_floor_and_flowmap(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--seconds", "2", "--no-wait", "--json", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=QUICK_TIMEOUT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]

    match = LAST_LINE.fullmatch(run.stdout.strip().splitlines()[-1])
    assert match, run.stdout[-2000:]
    assert float(match[1]) > 0 and math.isfinite(float(match[1]))
    assert math.isfinite(float(match[2]))
    assert int(match[3]) == 0
    rows = json.loads(results.read_text())["steady"]
    assert sorted(r["target"] for r in rows) == ["B0", "Flowmap"]
    for row in rows:
        assert row["missed"] == 0 and row["disconnects"] == 0 and row["errors"] == 0, row
        # Every edit sent in the window came back to its sender and reached every other peer.
        assert row["edits"] > 0
        assert row["ack"]["n"] == row["edits"]
        assert row["peer"]["n"] == row["edits"] * (W1.clients - 1)
