"""What-ifs under load through the real server: a flood of them cannot exhaust its memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live import Server
from tests.support.servers import running_server

STEPS = 400
AT_ONCE = 12


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server per test: each test reads the peak memory of a process of its own."""
    with running_server("sqlite", tmp_path) as srv:
        yield srv


def _long_ranged_flow(server: Server, board: dict[str, Any]) -> None:
    """STEPS steps in a row, each figure a range: every what-if runs a whole forecast."""
    steps = [
        {"op": "create", "element": {
            "id": f"s{i}", "kind": "step", "x": 200 * i, "text": f"Step {i}",
            "wait_minutes": 1440, "wait_text": "1d-5d", "process_minutes": 120, "process_text": "1h-3h",
        }}
        for i in range(STEPS)
    ]  # fmt: skip
    arrows = [
        {"op": "create", "element": {"id": f"c{i}", "kind": "connector", "source": f"s{i}", "target": f"s{i + 1}"}}
        for i in range(STEPS - 1)
    ]  # fmt: skip
    ops = steps + arrows
    for start in range(0, len(ops), 200):
        server.post_ops(board, ops[start : start + 200])


async def test_a_flood_of_what_ifs_from_a_viewer_holds_the_servers_memory_to_a_few_at_once(
    server: Server, board: dict[str, Any]
) -> None:
    # Each what-if's forecast on a long map takes a few hundred MB (about 1 GB at 2,000
    # steps) on a thread of its own, with no bound on how many ran at once: 40 requests
    # from one viewer link on a 2,000-step map took the server past 22 GB, and the kernel
    # killed it.
    _long_ranged_flow(server, board)
    url = f"{server.url}/api/boards/{board['id']}/whatif"
    viewer = {"Authorization": f"Bearer {board['tokens']['viewer']}"}
    async with httpx.AsyncClient(timeout=300) as client:

        async def ask(i: int) -> int:
            change = {"changes": [{"step": f"s{i}", "wait_factor": 0.5}]}
            return (await client.post(url, json=change, headers=viewer)).status_code

        before = server.peak_memory_kib()
        assert await ask(0) == 200
        one = server.peak_memory_kib() - before
        answers = await asyncio.gather(*(ask(i) for i in range(1, AT_ONCE + 1)))
        assert answers == [200] * AT_ONCE
    flood = server.peak_memory_kib() - before
    assert flood < 5 * one, (
        f"one what-if: +{one // 1024} MiB; {AT_ONCE} at once: +{flood // 1024} MiB"
    )


async def test_a_flood_of_metrics_reads_computes_the_forecast_once_per_board_state(
    server: Server, board: dict[str, Any]
) -> None:
    # GET .../metrics of a board nobody has open computed the whole forecast afresh on
    # every read, on a thread of its own, with no bound: the same flood, through any link.
    _long_ranged_flow(server, board)
    url = f"{server.url}/api/boards/{board['id']}/metrics"
    viewer = {"Authorization": f"Bearer {board['tokens']['viewer']}"}
    async with httpx.AsyncClient(timeout=300) as client:

        async def read() -> dict[str, Any]:
            answer = await client.get(url, headers=viewer)
            assert answer.status_code == 200
            body: dict[str, Any] = answer.json()
            return body

        before = server.peak_memory_kib()
        first = await read()
        one = server.peak_memory_kib() - before
        started = time.monotonic()
        answers = await asyncio.gather(*(read() for _ in range(AT_ONCE)))
        took = time.monotonic() - started
    assert all(a["forecast"] == first["forecast"] for a in answers)
    flood = server.peak_memory_kib() - before
    assert flood < 3 * one, f"one read: +{one // 1024} MiB; {AT_ONCE} at once: +{flood // 1024} MiB"
    assert took < 2, f"{AT_ONCE} reads of an unchanged board took {took:.1f} s"
