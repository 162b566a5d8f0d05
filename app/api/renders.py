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
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

import anyio.to_thread

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


class Busy(Exception):
    """The asker has WAITING_PER_ASKER renders waiting already."""


class FairSlots:
    """`slots` renders at once, one per asker, handed round the waiting askers in turn.

        await slots.acquire("203.0.113.7")   # waits for its turn
        slots.release("203.0.113.7")
    """

    def __init__(self, slots: int = RENDERS_AT_ONCE, waiting: int = WAITING_PER_ASKER) -> None:
        self._free = slots
        self._waiting = waiting
        self._holding: set[str] = set()
        # Askers with renders waiting, in turn order: served from the front, sent to the back.
        self._queues: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    def may_wait(self, asker: str) -> bool:
        return len(self._queues.get(asker, ())) < self._waiting

    async def acquire(self, asker: str) -> None:
        if self._free and asker not in self._holding and asker not in self._queues:
            self._take(asker)
            return
        if not self.may_wait(asker):
            raise Busy(asker)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues.setdefault(asker, deque()).append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release(asker)  # given the slot as it left: pass it on
            else:
                self._forget(asker, turn)
            raise

    def release(self, asker: str) -> None:
        self._holding.discard(asker)
        self._free += 1
        if asker in self._queues:
            self._queues.move_to_end(asker)  # just served: the others' turn first
        self._hand_out()

    def _take(self, asker: str) -> None:
        self._free -= 1
        self._holding.add(asker)

    def _hand_out(self) -> None:
        while self._free:
            asker = next((a for a in self._queues if a not in self._holding), None)
            if asker is None:
                return
            queue = self._queues.pop(asker)
            turn = queue.popleft()
            if queue:
                self._queues[asker] = queue  # at the back: the others go first
            self._take(asker)
            turn.set_result(None)

    def _forget(self, asker: str, turn: asyncio.Future[None]) -> None:
        queue = self._queues.get(asker)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._queues[asker]


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
        self._slots = FairSlots()
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

