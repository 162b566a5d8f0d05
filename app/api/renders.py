"""Exports shared by everyone who asks for the same file of the same board state,
rendered a few at a time, in turn between the people asking, each within a time limit.

A PDF or a picture takes seconds of CPU, and at most `RENDERS_AT_ONCE` run at once
in a process. After a workshop a dozen people press Export at the same moment:
each used to wait for every render queued before theirs (twelve PDFs of one board,
two at a time), and one viewer asking again and again held the render slots every
board's exports wait on. Now one render is made per file of a board state and
shared: whoever asks while it is being made waits for that one, and the last few
files made are kept a while (a board that has not changed gives the same file).

One person exporting big PDFs of *different* boards held both slots for minutes while
every other workshop's export waited. So an asker (an address, as the other limits count
them) holds one slot at a time, the queued renders are served round the askers in turn,
and an asker may have only `WAITING_PER_ASKER` renders waiting. A render is stopped
after `RENDER_SECONDS` (its child process killed, raster.py `Job`) and its askers told
why; a render whose askers have all gone is stopped too, and its slot passed on.

    done = await renders.get(("b1", 42, "pdf", None), lambda: render(board, "pdf", ...),
                             asker="203.0.113.7")
    renders.made, renders.shared    # files rendered, answers given from another's (/metrics)
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import anyio.to_thread

from app.api.turns import Busy, Turns
from app.export import raster
from app.export.formats import Rendered

# Renders at once, per process (their rasterising runs in child processes,
# export/raster.py: resvg holds Python's lock while it renders).
RENDERS_AT_ONCE = raster.WORKERS
# A render is stopped after this long. The 240-step PDF (59 pages, 49 map renders) takes
# 16-22 s on a quiet two-core machine (bench/README.md); five times that, on a busy one,
# still passes, and nobody holds a slot every other board waits on for more than 2 min.
RENDER_SECONDS = 120.0
# Renders one asker may have waiting for a slot. A workshop behind one office address
# pressing every format of its board and of a version or two at once waits for about this
# many different files (the same file is shared, never queued twice); more is a script,
# refused 429 rather than queued.
WAITING_PER_ASKER = 8
# Files kept once made: a few boards' worth, for a while, within a bound on memory.
KEEP_FILES = 16
KEEP_BYTES = 64 * 1024 * 1024
KEEP_SECONDS = 600.0

NOBODY_WAITS = "nobody waits for this export any more"
Stopped = raster.Stopped
__all__ = ["Busy", "Renders", "Stopped"]


class Making:
    """A render under way: its task, how many wait for it, and its job once it runs."""

    __slots__ = ("job", "task", "waiters")

    task: asyncio.Task[Rendered]

    def __init__(self) -> None:
        self.waiters = 0
        self.job: raster.Job | None = None

    def abandon(self) -> None:
        """Nobody waits any more: stop it (its child killed) and give up its slot or turn."""
        if self.job is not None:
            self.job.stop(NOBODY_WAITS)
        self.task.cancel()


class Renders:
    """One render per key at a time, shared by every caller; the last ones kept."""

    def __init__(
        self, seconds: float = RENDER_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._slots = Turns(RENDERS_AT_ONCE, WAITING_PER_ASKER)
        self._seconds = seconds
        self._clock = clock
        self._making: dict[Hashable, Making] = {}
        self._kept: OrderedDict[Hashable, tuple[float, Rendered]] = OrderedDict()
        self.made = 0  # files rendered
        self.shared = 0  # answers given a file rendered for another (or kept)
        self.stopped = 0  # renders stopped: past their time, or nobody waiting

    async def get(
        self, key: Hashable, make: Callable[[], Rendered], asker: str = "?"
    ) -> Rendered:
        """The file for `key`: kept, being made, or made now by `make` (in a worker thread,
        once it is `asker`'s turn). Raises Busy when the asker has too many waiting, and
        Stopped when the render was stopped (its reason as the message)."""
        kept = self._kept.get(key)
        if kept is not None and self._clock() - kept[0] < KEEP_SECONDS:
            self.shared += 1
            return kept[1]
        making = self._making.get(key)
        if making is None:
            if not self._slots.may_wait(asker):
                raise Busy(asker)
            making = self._making[key] = Making()
            making.task = asyncio.get_running_loop().create_task(self._make(making, make, asker))
            making.task.add_done_callback(_seen)
            # Forgotten when done, however it ends (even cancelled before it started).
            making.task.add_done_callback(lambda _: self._forget(key, making))
        else:
            self.shared += 1
        making.waiters += 1
        try:
            # Shielded: one caller leaving (a closed tab) does not stop the others' file.
            return await asyncio.shield(making.task)
        finally:
            making.waiters -= 1
            if not making.waiters and not making.task.done():
                # Forgotten now, not once it is done: whoever asks for the file in the
                # meantime starts it afresh rather than joining a render being stopped.
                if self._making.get(key) is making:
                    del self._making[key]
                making.abandon()

    async def _make(self, making: Making, make: Callable[[], Rendered], asker: str) -> Rendered:
        await self._slots.acquire(asker)
        # The time limit counts from the slot, not from the queue.
        job = making.job = raster.Job(self._seconds)
        try:
            done = await anyio.to_thread.run_sync(_within, job, make)
        finally:
            self._slots.release(asker)
            if job.reason is not None:
                self.stopped += 1
        self.made += 1
        return done

    def _forget(self, key: Hashable, making: Making) -> None:
        if self._making.get(key) is making:
            del self._making[key]
            if not making.task.cancelled() and making.task.exception() is None:
                self._keep(key, making.task.result())

    def _keep(self, key: Hashable, done: Rendered) -> None:
        self._kept[key] = (self._clock(), done)
        self._kept.move_to_end(key)
        while len(self._kept) > KEEP_FILES or self._bytes() > KEEP_BYTES:
            self._kept.popitem(last=False)

    def _bytes(self) -> int:
        return sum(len(done.content) for _, done in self._kept.values())


def _within(job: raster.Job, make: Callable[[], Rendered]) -> Rendered:
    """`make()` with its pictures rendered under `job` (in the worker thread)."""
    with raster.running(job):
        return make()


def _seen(task: asyncio.Task[Rendered]) -> None:
    """A render's failure is its callers' (each gets it raised); with all of them gone,
    asyncio would log it as never retrieved."""
    if not task.cancelled():
        task.exception()

