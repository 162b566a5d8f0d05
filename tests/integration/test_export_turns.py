"""Exports through a real server: one address's big exports cannot hold every other
board's exports back, none runs past its time, and one whose asker hung up stops
(app/api/renders.py, app/export/raster.py).

The server believes X-Forwarded-For from loopback, so each test client can be a
different address, as people in different workshops are."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.live import Server
from tests.support.servers import running_server

# Renders stop after this long here: well under a 240-step PDF (16-22 s on a quiet
# two-core machine), well over a small board's picture.
RENDER_SECONDS = 8
STEPS = 240


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"FLOWMAP_RENDER_SECONDS": str(RENDER_SECONDS),
           "FLOWMAP_TRUSTED_PROXIES": '["127.0.0.1"]'}  # fmt: skip
    with running_server("sqlite", tmp_path_factory.mktemp("turns"), env) as srv:
        yield srv


def big_board(server: Server, title: str) -> dict[str, Any]:
    """A chain of STEPS steps with long names and figures: a PDF of 59 pages of map."""
    board = server.create_board(title)
    ops: list[dict[str, Any]] = [
        {"op": "create", "element": {
            "kind": "step", "id": f"s{i}", "x": 40 + 220 * i, "y": 160,
            "text": f"Step {i}: a review of the request by the team that owns it",
            "wait_minutes": 60 * (i % 7 + 1), "process_minutes": 15 * (i % 5 + 1)}}
        for i in range(STEPS)
    ]  # fmt: skip
    ops += [{"op": "create", "element": {"kind": "connector", "id": f"c{i}",
             "source": f"s{i - 1}", "target": f"s{i}"}} for i in range(1, STEPS)]  # fmt: skip
    for start in range(0, len(ops), 200):
        server.post_ops(board, ops[start : start + 200])
    return board


def export(
    server: Server, board: dict[str, Any], fmt: str, address: str, timeout: float = 120
) -> httpx.Response:
    return httpx.get(
        f"{server.url}/api/boards/{board['id']}/export",
        params={"format": fmt, "token": board["tokens"]["viewer"]},
        headers={"X-Forwarded-For": address},
        timeout=timeout,
    )


def stopped(server: Server) -> int:
    text = httpx.get(server.url + "/metrics", timeout=10).text
    line = next(x for x in text.splitlines() if x.startswith("flowmap_exports_stopped_total "))
    return int(float(line.split()[1]))


@pytest.fixture(scope="module")
def big(server: Server) -> list[dict[str, Any]]:
    return [big_board(server, f"Big {n}") for n in range(3)]


def test_one_address_exporting_big_boards_does_not_hold_back_another_boards_export(
    server: Server, big: list[dict[str, Any]]
) -> None:
    small = server.create_board("Small")
    server.post_ops(small, [{"op": "create", "element": {
        "kind": "step", "id": "a", "x": 0, "y": 0, "text": "Plan"}}])  # fmt: skip
    with ThreadPoolExecutor(3) as pool:
        hogs = [pool.submit(export, server, b, "pdf", "198.51.100.1") for b in big]
        time.sleep(1.5)  # the first two of them have asked
        started = time.monotonic()
        answer = export(server, small, "png", "203.0.113.9", timeout=30)
        waited = time.monotonic() - started
        assert answer.status_code == 200 and answer.content[:4] == b"\x89PNG"
        # Served beside the one big render its address may have, not after two of them.
        assert waited < RENDER_SECONDS - 1, waited
        results = [h.result() for h in hogs]
    # Each big one was stopped at its time and said why; none ran on for its 20 s.
    assert {r.status_code for r in results} == {503}
    assert all(f"took over {RENDER_SECONDS} s" in r.json()["detail"] for r in results)


def test_an_export_whose_asker_hung_up_is_stopped(
    server: Server, big: list[dict[str, Any]]
) -> None:
    before = stopped(server)
    board = big[0]
    # The PDF of the 240-step map (a PNG of it takes half a second).
    request = (f"GET /api/boards/{board['id']}/export?format=pdf&token="
               f"{board['tokens']['viewer']} HTTP/1.1\r\nHost: x\r\n\r\n")  # fmt: skip
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request.encode())
        time.sleep(1.0)  # rendering now
    started = time.monotonic()
    while stopped(server) == before and time.monotonic() - started < RENDER_SECONDS:
        time.sleep(0.1)
    assert stopped(server) == before + 1
    # Stopped when the asker left, not at the time limit.
    assert time.monotonic() - started < RENDER_SECONDS / 2
