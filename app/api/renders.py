"""Exports shared by everyone who asks for the same file of the same board state.

A PDF or a picture takes seconds of CPU, and at most `RENDERS_AT_ONCE` run at once
in a process. After a workshop a dozen people press Export at the same moment:
each used to wait for every render queued before theirs (twelve PDFs of one board,
two at a time), and one viewer asking again and again held the render slots every
board's exports wait on. Now one render is made per file of a board state and
shared: whoever asks while it is being made waits for that one, and the last few
files made are kept a while (a board that has not changed gives the same file).

    done = await RENDERS.get(("b1", 42, "pdf", None), lambda: render(board, "pdf", ...))
    RENDERS.made, RENDERS.shared    # files rendered, answers given from another's (/metrics)
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import anyio
import anyio.to_thread

from app.export import raster
from app.export.formats import Rendered

# Renders at once, per process (their rasterising runs in child processes,
# export/raster.py: resvg holds Python's lock while it renders).
RENDERS_AT_ONCE = raster.WORKERS
# Files kept once made: a few boards' worth, for a while, within a bound on memory.
KEEP_FILES = 16
KEEP_BYTES = 64 * 1024 * 1024
KEEP_SECONDS = 600.0


class Renders:
    """One render per key at a time, shared by every caller; the last ones kept."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._limiter = anyio.CapacityLimiter(RENDERS_AT_ONCE)
        self._clock = clock
        self._making: dict[Hashable, asyncio.Task[Rendered]] = {}
        self._kept: OrderedDict[Hashable, tuple[float, Rendered]] = OrderedDict()
        self.made = 0  # files rendered
        self.shared = 0  # answers given a file rendered for another (or kept)

    async def get(self, key: Hashable, make: Callable[[], Rendered]) -> Rendered:
        """The file for `key`: kept, being made, or made now by `make` (in a worker thread)."""
        kept = self._kept.get(key)
        if kept is not None and self._clock() - kept[0] < KEEP_SECONDS:
            self.shared += 1
            return kept[1]
        task = self._making.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._make(key, make))
            task.add_done_callback(_seen)
            self._making[key] = task
        else:
            self.shared += 1
        # Shielded: one caller leaving (a closed tab) does not stop the others' file.
        return await asyncio.shield(task)

    async def _make(self, key: Hashable, make: Callable[[], Rendered]) -> Rendered:
        try:
            done = await anyio.to_thread.run_sync(make, limiter=self._limiter)
        finally:
            del self._making[key]
        self.made += 1
        self._keep(key, done)
        return done

    def _keep(self, key: Hashable, done: Rendered) -> None:
        self._kept[key] = (self._clock(), done)
        self._kept.move_to_end(key)
        while len(self._kept) > KEEP_FILES or self._bytes() > KEEP_BYTES:
            self._kept.popitem(last=False)

    def _bytes(self) -> int:
        return sum(len(done.content) for _, done in self._kept.values())


def _seen(task: asyncio.Task[Rendered]) -> None:
    """A render's failure is its callers' (each gets it raised); with all of them gone,
    asyncio would log it as never retrieved."""
    if not task.cancelled():
        task.exception()


# The process's renders: every export route shares them.
RENDERS = Renders()
