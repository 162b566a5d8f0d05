"""Turns at work every board shares, between the people asking for it.

A few kinds of request take seconds of CPU (a PNG or PDF export, a what-if's forecast,
an event log read and measured, a version's picture), so each runs a few at a time
per process. Served first come, first served, one client asking for many at once
(different boards, different steps: nothing to share) held every slot and queued
ahead of every other workshop for as long as it kept asking. `Turns` gives each asker
(an address, as the other limits count them) one slot at a time, serves the waiting
askers round in turn, and refuses an asker more than `waiting` waiting requests beside
the one in its turn.

    turns = Turns(slots=2, waiting=8)
    async with turns.turn("203.0.113.7"):   # Busy if it has 8 waiting already
        ...
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from app.api.limits import TooMany

# An asker with its requests all waiting is asked to come back after about this long:
# one such request's time on a long map.
BUSY_RETRY_SECONDS = 10


class Busy(Exception):
    """The asker has as many requests waiting as it may."""


class Turns:
    """`slots` at once, one per asker, handed round the waiting askers in turn.

        await turns.acquire("203.0.113.7")   # waits for its turn
        turns.release("203.0.113.7")
    """

    def __init__(self, slots: int, waiting: int) -> None:
        self._free = slots
        self._waiting = waiting
        self._holding: set[str] = set()
        self._placed: dict[str, int] = {}  # asker -> requests reading their bodies (placed)
        # Askers with requests waiting, in turn order: served from the front, sent to the back.
        self._queues: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    def may_wait(self, asker: str) -> bool:
        """Whether the asker may have one more request in line: it may have one in its turn
        and `waiting` more, counted alike whether or not one of them has its turn yet (a
        request still reading its body may be the one that gets it). Counted as `waiting`
        without the one in its turn, how many of five logs sent at once were served hung on
        whether the first body was read before the fifth arrived."""
        held = (asker in self._holding) + len(self._queues.get(asker, ()))
        return held + self._placed.get(asker, 0) <= self._waiting

    @contextmanager
    def placed(self, asker: str) -> Iterator[None]:
        """A place among the asker's waiting requests, held while inside: for the time a
        request's body is read, before it can ask for its turn. Busy past `waiting`.

        Checked only once the body was read, a flood from one address had every body in
        memory at once (up to 20 MB each, for an event log) before the first was refused."""
        if not self.may_wait(asker):
            raise Busy(asker)
        self._placed[asker] = self._placed.get(asker, 0) + 1
        try:
            yield
        finally:
            left = self._placed.pop(asker) - 1
            if left:
                self._placed[asker] = left

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

    @asynccontextmanager
    async def turn(self, asker: str) -> AsyncIterator[None]:
        """The asker's turn, held while inside; TooMany (429) if it has too many waiting."""
        try:
            await self.acquire(asker)
        except Busy:
            raise busy(self._waiting) from None
        try:
            yield
        finally:
            self.release(asker)

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


def busy(waiting: int) -> TooMany:
    """The 429 for an asker with `waiting` requests waiting already."""
    return TooMany(f"at most {waiting} such requests may wait from one address", BUSY_RETRY_SECONDS)
