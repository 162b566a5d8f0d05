"""/healthz and /metrics of one process on its own (no Redis): who it is, what it holds.
Several processes behind a proxy: tests/integration/test_proxy.py."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import LiveClient, Server

SERVERS = ["sqlite"]


async def test_healthz_names_the_process_and_counts_its_peers(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    body = httpx.get(f"{server.url}/healthz", timeout=10).json()
    assert server.proc is not None
    assert body["status"] == "ok" and body["database"] == "ok" and "redis" not in body
    assert body["boards_open"] >= 1 and body["peers"] >= 1
    assert body["process"]["pid"] == server.proc.pid
    assert body["process"]["name"] == f"{body['process']['host']}:{server.proc.pid}"
    assert body["process"]["uptime_seconds"] >= 0
    assert body["broker"] == {"shared": False}  # one process: nothing fans out
    await ada.close()


def test_metrics_name_the_process_and_leave_out_the_fan_out(server: Server) -> None:
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    assert server.proc is not None
    assert f'pid="{server.proc.pid}"}} 1' in text
    assert "flowmap_process_start_time_seconds " in text
    assert "flowmap_fanout_lag_seconds" not in text and "flowmap_broker_healthy" not in text
