"""Find or load a board's room; unload rooms nobody has used for a while.

With a shared broker (several processes), the rooms here also subscribe to
their boards, take in what other processes committed, and re-read the op log
after a reconnection and every so often, so a lost message is only ever late.
They also hear who is connected to the board elsewhere (hub/live_link.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from app.hub.forecast_feed import Forecaster
from app.hub.metrics_feed import Metrics
from app.hub.ports import BoardStore, Broker
from app.hub.room import Room
from app.hub.stats import Stats

log = logging.getLogger(__name__)

# Seconds between op-log checks of every open room while the broker is healthy:
# a safety net for a message lost with nothing after it to reveal the gap.
SAFETY_RESYNC_SECONDS = 30.0
# Seconds between checks that every open session's link still works: a link revoked
# on another process closes its sessions here within this time (one query per room).
LINK_SWEEP_SECONDS = 3.0
REVOKED_REASON = "this link was replaced: ask the facilitator for the new one"
# Close code for everyone on a board its facilitator deleted: 4000 + HTTP 410 Gone. The page
# stops there and shows the reason; it does not reconnect (frontend/js/net/socket.js).
BOARD_DELETED = 4410
DELETED_REASON = "The facilitator deleted this board"


class Rooms:
    """The rooms this process holds, loaded on first use.

    rooms = Rooms(store, metrics=compute, idle_seconds=60, broker=broker)
    await rooms.start()            # connects the broker to the rooms
    room = await rooms.get("b1")   # None if there is no such board
    """

    def __init__(
        self,
        store: BoardStore,
        metrics: Metrics,
        idle_seconds: float,
        stats: Stats | None = None,
        broker: Broker | None = None,
        resync_seconds: float = 2.0,
        forecast: Forecaster | None = None,
    ) -> None:
        self.stats = stats or Stats()
        self.broker = broker
        self._store = store
        self._metrics = metrics
        self._forecast = forecast
        self._idle_seconds = idle_seconds
        self._resync_seconds = resync_seconds
        self._rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._reaper: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._rooms)

    async def start(self) -> None:
        """Hand the broker our delivery and resync hooks; watch the log if others write too."""
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_links_forever())
        if self.broker is None:
            return
        await self.broker.start(self.deliver, self.reconnected, self.deliver_live)
        if self.broker.shared:
            self._watcher = asyncio.get_running_loop().create_task(self._watch_forever())

    def peers_on(self, board_id: str) -> int:
        """How many are connected to the board here (0 when it is not loaded)."""
        room = self._rooms.get(board_id)
        return 0 if room is None else len(room.peers)

    async def get(self, board_id: str) -> Room | None:
        room = self._rooms.get(board_id)
        if room is not None:
            return room
        lock = self._loading.setdefault(board_id, asyncio.Lock())
        async with lock:
            room = self._rooms.get(board_id)
            if room is None:
                room = await self._load(board_id)
                if room is None:
                    self._loading.pop(board_id, None)
                    return None
        self._loading.pop(board_id, None)
        self._start_reaper()
        return room

    async def _load(self, board_id: str) -> Room | None:
        loaded = await self._store.load(board_id)
        if loaded is None:
            return None
        room = Room(
            board_id, loaded, self._store, self._metrics, self.stats, self.broker, self._forecast
        )
        self._rooms[board_id] = room
        if self.broker is not None:
            await self.broker.subscribe(board_id)
            if self.broker.shared:
                # Whatever was committed between our load and our subscription; who is here.
                room.subscribed()
        return room

    # ---- from the broker -------------------------------------------------------

    def deliver(self, board_id: str, entries: list[dict[str, Any]]) -> None:
        """Entries another process committed; boards not open here are none of our business."""
        room = self._rooms.get(board_id)
        if room is not None:
            room.receive(entries)

    def deliver_live(self, board_id: str, origin: str, message: dict[str, Any]) -> None:
        """Another process's peers, cursors, drags, views: for our peers on the board."""
        room = self._rooms.get(board_id)
        if room is None:
            return
        try:
            room.hear(origin, message)
        except Exception:  # a bug here must not cost the broker its listening connection
            log.exception("board %s: a live message from %s failed", board_id, origin)
            self.stats.errors += 1

    def reconnected(self) -> None:
        """The broker (re)connected: messages may be lost; ask again who is where."""
        for room in list(self._rooms.values()):
            room.subscribed()

    def resync_all(self) -> None:
        """Every open room re-reads the op log (messages may be getting lost, or one was)."""
        for room in list(self._rooms.values()):
            room.resync()

    async def _watch_forever(self) -> None:
        assert self.broker is not None
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self._resync_seconds)
            if not self.broker.healthy or loop.time() - last >= SAFETY_RESYNC_SECONDS:
                last = loop.time()
                self.resync_all()

    # ---- revoked links -------------------------------------------------------------

    async def close_revoked(self, board_id: str) -> int:
        """Close this process's sessions on the board whose links were revoked; how many.

        Links that vanished because the board was deleted (on this process or another)
        close every session on it with the deletion's reason and unload the room.
        """
        room = self._rooms.get(board_id)
        if room is None or not room.peers:
            return 0
        links = sorted({p.link for p in room.peers.values() if p.link})
        revoked = await self._store.revoked(links)
        if not revoked:
            return 0
        if not await self._store.exists(board_id):
            return await self.evict(board_id)
        return room.close_revoked(revoked, REVOKED_REASON)

    async def evict(self, board_id: str, reason: str = DELETED_REASON) -> int:
        """The board is gone: close everyone's session on it here, saying why, and unload
        its room without a snapshot (there is no board left to save it to); how many."""
        room = self._rooms.pop(board_id, None)
        if room is None:
            return 0
        room.unload()
        peers = list(room.peers.values())
        for peer in peers:
            peer.socket.close(BOARD_DELETED, reason)
        await room.close()  # after: its sessions hear why, not of a batch cut short
        if self.broker is not None:
            await self.broker.unsubscribe(board_id)
        return len(peers)

    async def _sweep_links_forever(self) -> None:
        while True:
            await asyncio.sleep(LINK_SWEEP_SECONDS)
            for board_id in list(self._rooms):
                try:
                    await self.close_revoked(board_id)
                except Exception:  # a database hiccup: the next sweep tries again
                    log.warning("could not check the links of board %s", board_id, exc_info=True)

    # ---- unloading ---------------------------------------------------------------

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def _reap_forever(self) -> None:
        idle_since: dict[str, float] = {}
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(max(self._idle_seconds / 4, 0.05))
            now = loop.time()
            for board_id, room in list(self._rooms.items()):
                if not room.idle:
                    idle_since.pop(board_id, None)
                elif now - idle_since.setdefault(board_id, now) >= self._idle_seconds:
                    idle_since.pop(board_id, None)
                    del self._rooms[board_id]
                    room.unload()
                    if self.broker is not None:
                        await self.broker.unsubscribe(board_id)
                    await room.close()
                    await room.save_snapshot()

    async def close(self) -> None:
        """Stop reaping and watching; leave a fresh snapshot of every open board."""
        for task in (self._reaper, self._watcher, self._sweeper):
            if task is not None:
                task.cancel()
        for task in (self._reaper, self._watcher, self._sweeper):
            if task is not None:
                await asyncio.wait({task})
        for room in list(self._rooms.values()):
            room.unload()
            await room.close()
            await room.save_snapshot()
        self._rooms.clear()
