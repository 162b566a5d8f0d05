"""Forecast threads are shared by the boards' live feeds and the what-ifs anyone asks:
a flood of what-ifs through one viewer link must leave the live boards a thread."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from app.api import what_if
from app.domain.elements import Board, Step
from app.hub.forecast_feed import FORECASTS_AT_ONCE, in_thread


async def test_a_flood_of_what_ifs_leaves_the_live_boards_forecast_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()

    def slow_what_if(board: Board, changes: Any) -> dict[str, Any]:
        release.wait(10)  # a long map's forecast: seconds of CPU each
        return {}

    monkeypatch.setattr(what_if, "whatif_metrics", slow_what_if)
    board = Board(id="b", elements={"s": Step(id="s", text="Build", wait_minutes=60)})
    room = SimpleNamespace(board=board)

    async def get(board_id: str) -> SimpleNamespace:
        return room

    services: Any = SimpleNamespace(rooms=SimpleNamespace(get=get))
    body = what_if.WhatIfRequest(changes=[{"step": "s", "wait_factor": 0.5}])
    # Each from an address of its own: the what-ifs' turns per address do not hold them back.
    askers: list[Any] = [
        SimpleNamespace(client=SimpleNamespace(host=f"198.51.100.{i}"))
        for i in range(4 * FORECASTS_AT_ONCE)
    ]
    flood = [
        asyncio.create_task(what_if.try_changes("b", body, asker, None, services))  # type: ignore[arg-type]
        for asker in askers
    ]
    try:
        await asyncio.sleep(0.2)
        live = await asyncio.wait_for(in_thread(lambda b: {"p85_minutes": 60.0}, board), 2)
        assert live == {"p85_minutes": 60.0}
    finally:
        release.set()
        await asyncio.gather(*flood)
