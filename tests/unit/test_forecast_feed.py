"""The forecast feed: off the per-edit path, at most once an interval, in a worker thread."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from app.domain.elements import Board, Step
from app.hub.forecast_feed import FORECAST_INTERVAL, Forecasts
from app.hub.room import Room
from app.store.memory import MemoryBoardStore
from tests.unit.test_room import count_metrics, create, peer, settle, update


class SlowForecast:
    """Counts its runs, notes the thread they ran on, and takes `seconds` each."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.runs: list[int] = []
        self.threads: set[int] = set()

    def __call__(self, board: Board) -> dict[str, Any]:
        self.threads.add(threading.get_ident())
        time.sleep(self.seconds)  # stands for numpy's work: it would not hold the loop either
        waits = [e.wait_minutes or 0 for e in board.elements.values() if isinstance(e, Step)]
        self.runs.append(len(waits))
        return {"p85_minutes": float(sum(waits)), "steps": len(waits)}


async def make(forecast: SlowForecast) -> Room:
    store = MemoryBoardStore()
    store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start", wait_minutes=60)}))
    loaded = await store.load("b")
    assert loaded is not None
    return Room("b", loaded, store, count_metrics, forecast=forecast)


async def test_a_newcomer_gets_the_forecast_soon_after_the_welcome_not_in_its_way() -> None:
    forecast = SlowForecast()
    room = await make(forecast)
    ada, socket = peer("Ada")
    room.join(ada, None)
    assert socket.sent[0]["type"] == "welcome" and socket.sent[0]["forecast"] is None
    await asyncio.sleep(0.2)
    [message] = socket.of("forecast")
    assert message["forecast"] == {"p85_minutes": 60.0, "steps": 1}
    later, later_socket = peer("Later")
    room.join(later, None)  # the next welcome carries it
    assert later_socket.sent[0]["forecast"] == {"p85_minutes": 60.0, "steps": 1}
    assert forecast.runs == [1]


async def test_it_runs_in_a_worker_thread_while_edits_still_go_out() -> None:
    forecast = SlowForecast(seconds=2.0)
    room = await make(forecast)
    ada, socket = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.05)  # the first run is under way, sleeping in its thread
    room.submit(ada, [update("a:1", "s0", text="Begin")])
    await settle(room)
    assert socket.of("ops") and not socket.of("forecast")  # the edit did not wait for it
    assert threading.get_ident() not in forecast.threads
    await asyncio.sleep(2.5)
    assert len(socket.of("forecast")) == 1


async def test_a_burst_of_edits_costs_one_run_per_interval_and_ends_on_the_last_edit() -> None:
    forecast = SlowForecast()
    room = await make(forecast)
    ada, socket = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.1)
    runs_before = len(forecast.runs)
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < 4 * FORECAST_INTERVAL:
        n += 1
        room.submit(ada, [update(f"a:{n}", "s0", wait_minutes=60 + n)])
        await settle(room)
        await asyncio.sleep(0.01)
    await asyncio.sleep(2 * FORECAST_INTERVAL)
    runs = len(forecast.runs) - runs_before
    assert n > 40 and 3 <= runs <= 6  # one per interval, whatever the number of edits
    assert socket.of("forecast")[-1]["forecast"]["p85_minutes"] == 60.0 + n


async def test_edits_that_change_no_number_cost_no_run() -> None:
    forecast = SlowForecast()
    room = await make(forecast)
    ada, socket = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.1)
    for n in range(5):
        room.submit(ada, [update(f"a:{n}", "s0", color=("blue", "green")[n % 2])])
        await settle(room)
    await asyncio.sleep(2 * FORECAST_INTERVAL)
    assert forecast.runs == [1]
    room.submit(ada, [create("a:9", "s1", wait_minutes=30)])
    await settle(room)
    await asyncio.sleep(2 * FORECAST_INTERVAL)
    assert forecast.runs == [1, 2] and socket.of("forecast")[-1]["forecast"]["steps"] == 2


async def test_a_reader_gets_the_forecast_of_the_board_as_it_is_now() -> None:
    forecast = SlowForecast()
    room = await make(forecast)
    ada, _ = peer("Ada")
    room.join(ada, None)
    room.submit(ada, [update("a:1", "s0", wait_minutes=500)])
    await settle(room)
    assert (await room.forecast()) == {"p85_minutes": 500.0, "steps": 1}


async def test_a_failing_forecast_leaves_the_room_and_the_last_forecast_alone() -> None:
    calls: list[int] = []

    def flaky(board: Board) -> dict[str, Any]:
        calls.append(1)
        if len(calls) > 1:
            raise ValueError("boom")
        return {"p85_minutes": 1.0}

    store = MemoryBoardStore()
    store.add(Board(id="b"))
    loaded = await store.load("b")
    assert loaded is not None
    room = Room("b", loaded, store, count_metrics, forecast=flaky)
    ada, socket = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.1)
    room.submit(ada, [create("a:1", "s1", wait_minutes=5)])
    await settle(room)
    await asyncio.sleep(2 * FORECAST_INTERVAL)
    assert len(calls) == 2 and [m["forecast"] for m in socket.of("forecast")] == [
        {"p85_minutes": 1.0}
    ]
    room.submit(ada, [update("a:2", "s1", text="still editing")])
    await settle(room)
    assert socket.of("ops")[-1]["ops"][0]["seq"] == 2
    room.unload()


async def test_a_map_with_nothing_to_draw_gets_its_forecast_on_the_loop_with_no_thread() -> None:
    forecast = SlowForecast()
    quick_threads: set[int] = set()

    def quick(board: Board) -> tuple[bool, dict[str, Any] | None]:
        quick_threads.add(threading.get_ident())
        steps = [e for e in board.elements.values() if isinstance(e, Step)]
        if any(s.wait_text for s in steps):  # a range: the trials, in the thread
            return False, None
        return True, {"p85_minutes": float(sum(s.wait_minutes or 0 for s in steps))}

    store = MemoryBoardStore()
    store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start", wait_minutes=60)}))
    loaded = await store.load("b")
    assert loaded is not None
    room = Room("b", loaded, store, count_metrics, forecast=Forecasts(forecast, quick))
    ada, socket = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.1)
    assert socket.of("forecast")[-1]["forecast"] == {"p85_minutes": 60.0}
    assert quick_threads == {threading.get_ident()} and forecast.runs == []
    room.submit(ada, [update("a:1", "s0", wait_minutes=120, wait_text="1h-3h")])
    await settle(room)
    await asyncio.sleep(2 * FORECAST_INTERVAL)
    assert forecast.runs == [1] and threading.get_ident() not in forecast.threads
    assert socket.of("forecast")[-1]["forecast"] == {"p85_minutes": 120.0, "steps": 1}


async def test_a_reader_while_the_feed_computes_gets_the_board_as_it_is_now() -> None:
    # The feed marks the board clean as its run begins; a run now also waits its turn
    # for one of the process's forecast threads, and all that while a reader
    # (GET .../metrics) was answered the forecast of the board before the edit.
    forecast = SlowForecast(seconds=0.5)
    room = await make(forecast)
    ada, _ = peer("Ada")
    room.join(ada, None)
    await asyncio.sleep(0.8)  # the first forecast is out
    room.submit(ada, [update("a:1", "s0", wait_minutes=500)])
    await settle(room)
    started = time.monotonic()
    while len(forecast.threads) == 0 or not _running(room):
        assert time.monotonic() - started < 3 * FORECAST_INTERVAL
        await asyncio.sleep(0.01)
    assert (await room.forecast()) == {"p85_minutes": 500.0, "steps": 1}


def _running(room: Room) -> bool:
    run = room._forecast._run
    return run is not None and not run.done()
