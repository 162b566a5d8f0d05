"""Closing a room: every timer and task it started has ended, snapshots included."""

from __future__ import annotations

import asyncio
from typing import Any

from app.domain.elements import Board
from app.hub.timeline import SNAPSHOT_EVERY
from app.store.memory import MemoryBoardStore
from tests.unit.test_room import make_room, peer, settle, update


async def test_closing_awaits_the_snapshot_it_started() -> None:
    room, store = await make_room(MemoryBoardStore(immediate=True))
    gate = asyncio.Event()
    saved: list[int] = []

    async def slow_snapshot(board_id: str, seq: int, board: Board) -> Any:
        await gate.wait()
        saved.append(seq)

    store.snapshot = slow_snapshot  # type: ignore[method-assign]
    ada, _ = peer("Ada")
    room.join(ada, None)
    room.submit(ada, [update(f"a:{i}", "s0", x=i) for i in range(SNAPSHOT_EVERY)])
    await settle(room)
    before = asyncio.all_tasks()
    closing = asyncio.ensure_future(room.close())
    await asyncio.sleep(0.01)
    assert not closing.done(), "close waits for the snapshot under way"
    gate.set()
    await closing
    assert saved == [SNAPSHOT_EVERY]
    assert all(t.done() for t in before if t is not asyncio.current_task())


async def test_a_closed_room_sends_nothing_more_on_its_own() -> None:
    room, _ = await make_room()
    ada, socket = peer("Ada")
    grace, _ = peer("Grace")
    room.join(ada, None)
    room.join(grace, None)  # its presence frame waits for the interval
    room.cursor(ada, 1.0, 1.0)
    count = len(socket.sent)
    await room.close()
    await asyncio.sleep(0.2)
    assert len(socket.sent) == count
