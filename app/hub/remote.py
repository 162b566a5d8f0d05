"""Remote sync: what other processes committed to the board, applied here in seq order.

The broker carries entries at most once and possibly late, so they wait in an
inbox until the sequencer's turn applies those that follow on from the room's
seq. A gap, a `resync` (the broker reconnected) or a lost race for the board
marks the room stale: the log is read from the room's seq, page by page. Joins
that must not see an older board than their client did wait in `caught_up`.

    sync = RemoteSync(timeline, store, stats, wake=sequencer.wake)
    sync.receive(entries)   # from the broker; the sequencer applies them soon
    sync.resync()           # read the op log soon
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from app.hub.ports import BoardStore
from app.hub.stats import Stats
from app.hub.timeline import Timeline

log = logging.getLogger(__name__)

# Operations read from the op log per query when filling a gap.
LOG_PAGE = 500
# Seconds before trying again to read the log after the database failed us.
RESYNC_RETRY = 1.0


class RemoteSync:
    """The inbox of entries from other processes, and reading the op log when it has gaps."""

    def __init__(
        self, timeline: Timeline, store: BoardStore, stats: Stats, wake: Callable[[], None]
    ) -> None:
        self._timeline = timeline
        self._store = store
        self._stats = stats
        self._wake = wake
        self.inbox: list[dict[str, Any]] = []  # entries other processes committed
        self.stale = False  # the op log may hold entries this room has not seen
        # Joins waiting for the room to read the op log (caught_up): True once it has.
        self._waiting: list[asyncio.Future[bool]] = []
        self._retry: asyncio.TimerHandle | None = None
        self._closed = False

    @property
    def pending(self) -> bool:
        """Something to apply or read before the room's next batch of its own."""
        return bool(self.inbox) or self.stale

    def receive(self, entries: Sequence[dict[str, Any]]) -> None:
        """Entries another process committed (from the broker): applied in seq order, soon."""
        self.inbox.extend(entries)
        self._wake()

    def resync(self) -> None:
        """Check the op log for anything missed (the broker reconnected, or may have lost some)."""
        self._retry = None
        if self._closed:
            return
        self.stale = True
        self._wake()

    async def caught_up(self) -> bool:
        """Read the op log for what other processes committed; True once this room has."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(done)
        self.resync()
        return await asyncio.shield(done)  # a caller that gives up leaves the read to finish

    def apply_inbox(self) -> bool:
        """Apply the received entries that follow on, without awaiting; False if one is
        missing before the rest (those after it are left to the log), or they failed."""
        inbox, self.inbox = self.inbox, []
        try:
            return not self._apply_following(inbox)
        except Exception:
            log.exception("board %s: received entries did not apply", self._timeline.board_id)
            self._stats.errors += 1
            return False

    async def sync(self) -> None:
        """Apply received entries that follow on; read the log for a gap or when stale."""
        inbox, self.inbox = self.inbox, []
        stale, self.stale = self.stale, False
        waiting, self._waiting = self._waiting, []
        read = False
        try:
            if self._apply_following(inbox) or stale:
                await self.fill_from_log()
            read = True
        except Exception:  # the database may be down: the room stays usable and tries again
            log.exception("board %s: could not catch up from the op log", self._timeline.board_id)
            self._stats.errors += 1
            if not self._closed:
                self._retry = asyncio.get_running_loop().call_later(RESYNC_RETRY, self.resync)
        finally:
            for done in waiting:
                if not done.done():
                    done.set_result(read)

    async def after_lost_race(self) -> None:
        """Another process took the seq we named: its entries, from the inbox or the log."""
        await asyncio.sleep(0)  # the winner's entries may be arriving from the broker
        if not (self.inbox and self.apply_inbox()):
            await self.fill_from_log()

    async def fill_from_log(self) -> None:
        """Apply every entry committed after ours, page by page, straight from the op log."""
        timeline = self._timeline
        while True:
            page = await self._store.ops_since(timeline.board_id, timeline.seq, LOG_PAGE)
            fresh = [e for e in page if e["seq"] > timeline.seq]
            if fresh:
                self._stats.gap_fills += 1
                timeline.apply_remote(fresh)
            if len(page) < LOG_PAGE:
                return

    def close(self) -> None:
        """No more retries; joins still waiting hear that the log was not read."""
        self._closed = True
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        waiting, self._waiting = self._waiting, []
        for done in waiting:
            if not done.done():
                done.set_result(False)

    def _apply_following(self, inbox: list[dict[str, Any]]) -> bool:
        """Apply the entries that continue from seq; True if one is missing before the rest."""
        following: list[dict[str, Any]] = []
        gap = False
        seq = self._timeline.seq
        for entry in sorted(inbox, key=_seq_of):
            expected = seq + len(following) + 1
            if entry["seq"] == expected:
                following.append(entry)
            elif entry["seq"] > expected:
                gap = True  # one went missing on the way: the log has it
                break
        if following:
            self._timeline.apply_remote(following)
        return gap


def _seq_of(entry: dict[str, Any]) -> int:
    seq: int = entry["seq"]
    return seq
