"""A board's lead-time forecast as its peers hold it: recomputed off the per-edit path.

The forecast (domain/forecast.py) runs thousands of simulated items through the
map: tens of milliseconds on a big map, too dear for every edit and never worth
holding a broadcast for. So the room only marks it due when a batch may have
changed a number; at most once every FORECAST_INTERVAL the feed takes the board
as it is then (boards are immutable), computes the forecast in a worker thread,
and sends everyone a `forecast` message if it changed. Edits go on meanwhile;
what changed during a run is covered by the next one.

Most maps have nothing to draw (no ranges, no rework loops) until someone types
a range: their forecast is the lead time itself, a few hundred microseconds.
Given `Forecasts` with a `quick` side, the feed asks it first and computes such a
forecast on the loop: the hand-off to a thread and back cost more than the work.
Under W3 (bench/: 50 busy boards, 50 forecasts a second) the forecast threads took
6 % of the process's CPU (0.21 s in 8 s); on the loop the same forecasts take 4-5 %
(py-spy), and the GIL changes hands 100 times a second less.

    feed = ForecastFeed(compute, state=lambda: (room.board, room.seq, peers))
    feed.current          # what every peer holds (a welcome carries it)
    feed.due()            # a batch may have changed a number
    await feed.latest()   # the forecast of the board as it is now (for a reader)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
import orjson

from app.domain.elements import Board
from app.hub.frames import Outbound
from app.hub.plan import Peer

log = logging.getLogger(__name__)

# A forecast is recomputed at most this often: once a second is live for people
# reading a panel, and leaves the edits' own work nearly all of the processor (the W1
# benchmark's CPU per edit grew 6 % at twice a second, 2-3 % at once).
FORECAST_INTERVAL = 1.0

# Forecasts computed in worker threads at once, per process, whoever asks (the boards'
# feeds, metrics reads, what-ifs): on a long map each takes seconds of CPU and a few
# hundred MB (about 1 GB at 2,000 steps). Unbounded, 40 asked at once through one
# viewer link took the server past 22 GB and the kernel killed it; the rest wait.
FORECASTS_AT_ONCE = 2
FORECAST_THREADS = anyio.CapacityLimiter(FORECASTS_AT_ONCE)
# Of those, what-ifs (any link may ask, as often as it likes) hold at most this many, so
# the boards' live forecasts always find a thread: with both held, one viewer's flood of
# what-ifs on a long map kept every board's forecast waiting behind it for minutes.
ASKED_AT_ONCE = max(1, FORECASTS_AT_ONCE - 1)
ASKED_THREADS = anyio.CapacityLimiter(ASKED_AT_ONCE)

T = TypeVar("T")
Compute = Callable[[Board], dict[str, Any] | None]
# (True, the forecast) when it is quick to compute; (False, None) when it takes the thread.
Quick = Callable[[Board], tuple[bool, dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class Forecasts:
    """A forecast computed in a worker thread (`full`), unless `quick` has it at once:
    app/main.py gives `Forecasts(full=forecast_json, quick=certain_forecast_json)`."""

    full: Compute
    quick: Quick


Forecaster = Compute | Forecasts
# The board as it is now, its seq, and who is on it.
State = Callable[[], tuple[Board, int, Iterable[Peer]]]


class ForecastFeed:
    def __init__(self, compute: Forecaster, state: State) -> None:
        if isinstance(compute, Forecasts):
            self._compute, self._quick = compute.full, compute.quick
        else:
            self._compute, self._quick = compute, _never_quick
        self._state = state
        self.current: dict[str, Any] | None = None
        self._dirty = True  # a number may have changed since `current` was computed
        self._at = float("-inf")  # loop time the last run started
        self._timer: asyncio.TimerHandle | None = None
        self._run: asyncio.Task[None] | None = None
        self._closed = False
        self._primed = False
        # The last forecast a reader had computed, and its board: readers of an unchanged
        # board share it, one computing while the others wait.
        self._read: tuple[Board, dict[str, Any] | None] | None = None
        self._reading = asyncio.Lock()

    def prime(self) -> None:
        """Compute the first forecast soon, if none has been scheduled yet."""
        if not self._primed:
            self._primed = True
            self.due()

    def due(self) -> None:
        """The board may have changed a number: a run is scheduled unless one is."""
        self._dirty = True
        self._primed = True
        if self._closed or self._timer is not None:
            return
        if self._run is not None and not self._run.done():
            return  # the running one reschedules itself if the board moved on
        loop = asyncio.get_running_loop()
        wait = max(0.0, self._at + FORECAST_INTERVAL - loop.time())
        self._timer = loop.call_later(wait, self._begin)

    async def latest(self) -> dict[str, Any] | None:
        """The forecast of the board as it is now, computing it if `current` is older."""
        if not self._dirty and self._run is not None and not self._run.done():
            # The run under way is of the board as it is now (it waits its turn for a
            # thread, then computes): `current` is the board's before it.
            await asyncio.wait({self._run})
        if not self._dirty:
            return self.current
        async with self._reading:
            board = self._state()[0]
            if self._read is None or self._read[0] is not board:
                quick, forecast = self._quick(board)
                if not quick:
                    forecast = await in_thread(self._compute, board)
                self._read = (board, forecast)
            return self._read[1]

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._run is not None:
            self._run.cancel()

    async def closed(self) -> None:
        """After `close`: wait for the run it cancelled to end."""
        if self._run is not None:
            await asyncio.wait({self._run})

    def _begin(self) -> None:
        self._timer = None
        if self._closed or not self._dirty:
            return
        loop = asyncio.get_running_loop()
        self._at = loop.time()
        self._dirty = False  # a batch during the run sets it again: the next run covers it
        board = self._state()[0]
        try:
            quick, forecast = self._quick(board)
        except Exception:
            log.exception("forecast failed; peers keep the last one")
            return
        if quick:
            self._publish(forecast)
        else:
            self._run = loop.create_task(self._once(board))

    async def _once(self, board: Board) -> None:
        try:
            forecast = await in_thread(self._compute, board)
        except Exception:
            # A forecast is an extra: the map, its metrics and its edits carry on without it.
            log.exception("forecast failed; peers keep the last one")
            return
        self._publish(forecast)
        if self._dirty:
            self.due()

    def _publish(self, forecast: dict[str, Any] | None) -> None:
        """Send everyone the forecast, if it changed."""
        if forecast == self.current:
            return
        self.current = forecast
        _, seq, peers = self._state()
        message = orjson.dumps({"type": "forecast", "seq": seq, "forecast": forecast})
        frame = Outbound.encoded(message)
        for peer in list(peers):
            peer.socket.send(frame)


async def in_thread(compute: Compute, board: Board) -> dict[str, Any] | None:
    """`compute(board)` in a worker thread, once one of FORECAST_THREADS is free."""
    return await anyio.to_thread.run_sync(compute, board, limiter=FORECAST_THREADS)


async def asked_in_thread(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` for a request (a what-if) in a worker thread, once one of ASKED_THREADS
    and one of FORECAST_THREADS are free."""
    async with ASKED_THREADS:
        return await anyio.to_thread.run_sync(work, *args, limiter=FORECAST_THREADS)


def _never_quick(board: Board) -> tuple[bool, dict[str, Any] | None]:
    return False, None
