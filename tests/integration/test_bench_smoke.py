"""The benchmark's machinery works: a short W1 against B0 and Flowmap delivers everything, in order."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from bench.client import DRAG_MODULO_US, BenchClient, Tally, now_us, ops_of
from bench.load import run_workload
from bench.workloads import W1

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"cpu_ratio_vs_floor=(\S+) p99_extra_ms=(\S+) missed=(-?\d+)")
# Two server starts, two joins of 30 clients, 1 s warm-up and 2 s measured each.
QUICK_TIMEOUT = 120


def test_client_counts_gaps_and_out_of_order_entries() -> None:
    tally = Tally()
    client = BenchClient("ws://unused", "0c1", tally)
    client._on_ops(ops_of([{"seq": s, "cid": f"0c2.{s}.5"} for s in (1, 2, 4, 3, 5)]), now=10)

    assert (client.seq, tally.gaps, tally.out_of_order) == (5, 1, 1)
    assert len(tally.peer_us) == 4  # every entry that arrived in order, from another client


def test_clients_share_a_decoded_frame_and_each_checks_its_own_order() -> None:
    tally = Tally()
    ada = BenchClient("ws://unused", "0a", tally)
    bob = BenchClient("ws://unused", "1b", tally, endpoint=1)
    late = BenchClient("ws://unused", "0l", tally)
    ada.pending, late.seq = 1, 1
    frame = orjson.dumps(
        {"type": "ops", "ops": [{"seq": 1, "cid": "0a.1.5"}, {"seq": 2, "cid": "0x.2.6"}]}
    )
    for client in (ada, bob, late):
        client._on_frame(bytes(frame))  # each its own bytes, as from its own socket

    assert len(tally.decoded) == 1 and tally.frames == 3
    assert (ada.seq, bob.seq, late.seq) == (2, 2, 2)
    assert (ada.pending, tally.out_of_order, tally.gaps) == (0, 1, 0)
    assert len(tally.ack_us) == 1  # ada's own op
    assert len(tally.peer_us) == 2  # 0x's op at ada and at late (same endpoint)
    assert len(tally.cross_us) == 2  # both ops at bob, on endpoint 1


def test_drag_latency_counts_only_others_moves() -> None:
    tally = Tally()
    ada = BenchClient("ws://unused", "0a", tally)
    ada.peer_id = "p-ada"
    x = (now_us() % DRAG_MODULO_US) / 1000
    drags = [
        {"peer": "p-ada", "moves": [{"x": x}]},
        {"peer": "p-bob", "moves": [{"x": x}, {"x": x}]},
    ]
    ada._on_frame(orjson.dumps({"type": "transient", "drags": drags}))

    assert len(tally.drag_us) == 2 and all(0 <= lat < 1_000_000 for lat in tally.drag_us)


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


@pytest.mark.services
async def test_a_workload_runs_through_haproxy_in_front_of_three_processes(
    tmp_path: Path,
) -> None:
    """bench/proxied.py: the shipped deploy/haproxy.cfg in front of three processes over
    PostgreSQL and Redis, every client through it; nothing missed."""
    from bench.proxied import run_behind_proxy
    from bench.workloads import W3

    tiny = replace(W3, boards=3, clients=3, editors=2, edit_rate=2.0, warmup=0.5, measure=1.5)
    row = await run_behind_proxy(tiny, tmp_path, cores=None)
    assert "skipped" not in row, row["skipped"]
    assert row["target"] == "Flowmap×3+HAProxy" and row["workload"] == "W3×3"
    assert row["missed"] == 0 and row["edit_rate"] > 0


async def test_the_floor_runs_behind_the_same_proxy_and_w8x3_is_measured_against_it(
    tmp_path: Path,
) -> None:
    """W8x3's floor: three B0 relays (answering HAProxy's `/healthz`) behind the shipped
    deploy/haproxy.cfg, every client through it; the report sets Flowmap×3 against it."""
    from bench.proxied import FLOOR, SUBJECT, haproxy_binary, run_floor_behind_proxy
    from bench.report import steady_table, versus_floor
    from bench.workloads import W8

    if haproxy_binary() is None:
        pytest.skip("haproxy is not installed")
    tiny = replace(W8, boards=3, clients=3, editors=2, edit_rate=2.0, warmup=0.5, measure=1.5)
    floor = await run_floor_behind_proxy(tiny, tmp_path, cores=None)
    assert "skipped" not in floor, floor["skipped"]
    assert floor["target"] == FLOOR and floor["workload"] == "W8×3"
    assert floor["missed"] == 0 and floor["edits"] > 0
    assert floor["peer"]["n"] == floor["edits"] * (tiny.clients - 1)

    subject = {**floor, "target": SUBJECT, "cpu_per_edit_us": 3 * floor["cpu_per_edit_us"]}
    v = versus_floor([floor, subject], "W8×3", SUBJECT)
    assert v["cpu_ratio"] == pytest.approx(3.0)
    assert any(line.startswith(f"| W8×3 | {FLOOR} |") for line in steady_table([floor, subject]))


async def test_bare_flowmap_serves_every_edit_without_storing_them_or_figures(
    tmp_path: Path,
) -> None:
    """bench/serve_bare.py: Flowmap with the commit, the metrics and the forecast taken off
    (what is left of its cost beyond a relay's) still acks and delivers every edit, and
    stores none of them."""
    import sqlite3

    from bench.targets import flowmap, started
    from bench.workloads import W3

    tiny = replace(W3, boards=2, clients=3, editors=2, edit_rate=2.0, warmup=0.5, measure=1.5)
    async with started(flowmap(tmp_path, None, module="bench.serve_bare", name="Bare")) as bare:
        row = await run_workload(tiny, bare)
    assert row["missed"] == 0 and row["edits"] > 0
    assert row["peer"]["n"] == row["edits"] * (tiny.clients - 1)
    with sqlite3.connect(tmp_path / "Bare.db") as db:
        assert db.execute("select count(*) from ops").fetchone() == (0,)
