"""Event logs under load through the real server: a flood of them cannot exhaust its memory."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.events import LOGS_WAITING
from tests.support.live import Server
from tests.support.servers import running_server

ROWS = 100_000
AT_ONCE = 12


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own: the test reads the process's peak memory."""
    with running_server("sqlite", tmp_path) as srv:
        yield srv


def _log(rows: int, steps: int = 50) -> bytes:
    """A tracker's export: `rows` rows over `steps` steps (6 MB at 100,000 rows)."""
    lines = ["item,step,arrived,started,finished"] + [
        f"I{i // steps},S{i % steps},2026-01-01T09:00,2026-01-0{1 + i % 5}T10:00,"
        f"2026-01-0{1 + i % 5}T11:00"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


async def test_a_flood_of_event_logs_holds_the_servers_memory_to_a_few_at_once(
    server: Server, board: dict[str, Any]
) -> None:
    # Anyone may make a board and so be its facilitator. Each log was read and measured on
    # a thread of its own, with no bound on how many at once: 12 previews of a 20 MB log
    # took the server from 0.4 to 2.9 GB; some 60 would have had the kernel kill it.
    server.post_ops(board, [{"op": "create", "element": {"id": "s", "kind": "step", "text": "S0"}}])
    url = f"{server.url}/api/boards/{board['id']}/events"
    facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    data = _log(ROWS)
    async with httpx.AsyncClient(timeout=300, headers=facilitator) as client:

        async def preview() -> int:
            return (await client.post(url, content=data, params={"preview": "true"})).status_code

        before = server.peak_memory_kib()
        assert await preview() == 200
        one = server.peak_memory_kib() - before
        answers = await asyncio.gather(*(preview() for _ in range(AT_ONCE)))
        # One address has a few waiting at most; the rest are asked to come back (429).
        assert set(answers) <= {200, 429} and answers.count(200) > LOGS_WAITING
    flood = server.peak_memory_kib() - before
    assert flood < 5 * one, f"one log: +{one // 1024} MiB; {AT_ONCE} at once: +{flood // 1024} MiB"
