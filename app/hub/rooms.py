"""Find or load a board's room; unload rooms nobody has used for a while."""

from __future__ import annotations

import asyncio
import logging

from app.hub.ports import BoardStore
from app.hub.room import Metrics, Room
from app.hub.stats import Stats

log = logging.getLogger(__name__)


class Rooms:
    """The rooms this process holds, loaded on first use.

    rooms = Rooms(store, metrics=compute, idle_seconds=60)
    room = await rooms.get("b1")   # None if there is no such board
    """

    def __init__(
        self, store: BoardStore, metrics: Metrics, idle_seconds: float, stats: Stats | None = None
    ) -> None:
        self.stats = stats or Stats()
        self._store = store
        self._metrics = metrics
        self._idle_seconds = idle_seconds
        self._rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._reaper: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._rooms)

    async def get(self, board_id: str) -> Room | None:
        room = self._rooms.get(board_id)
        if room is not None:
            return room
        lock = self._loading.setdefault(board_id, asyncio.Lock())
        async with lock:
            room = self._rooms.get(board_id)
            if room is None:
                loaded = await self._store.load(board_id)
                if loaded is None:
                    self._loading.pop(board_id, None)
                    return None
                room = Room(board_id, loaded, self._store, self._metrics, self.stats)
                self._rooms[board_id] = room
        self._loading.pop(board_id, None)
        self._start_reaper()
        return room

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
                    await room.save_snapshot()

    async def close(self) -> None:
        """Stop reaping and leave a fresh snapshot of every open board."""
        if self._reaper is not None:
            self._reaper.cancel()
        for room in list(self._rooms.values()):
            await room.save_snapshot()
        self._rooms.clear()
