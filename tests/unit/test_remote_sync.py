"""Remote sync: entries from other processes applied in seq order; gaps read from the log."""

from __future__ import annotations

import asyncio
from typing import Any

from app.hub.ports import StoredOp
from app.hub.remote import LOG_PAGE
from app.hub.sequencer import Phase
from app.store.memory import MemoryBoardStore
from tests.support.hub_parts import Parts


def entry(seq: int, x: float) -> dict[str, Any]:
    return {"seq": seq, "cid": f"x:{seq}", "by": "x", "name": "X",
            "op": "update", "id": "s0", "set": {"x": x}}  # fmt: skip


async def committed_elsewhere(store: MemoryBoardStore, *seqs: int) -> list[dict[str, Any]]:
    entries = [entry(seq, float(seq)) for seq in seqs]
    for e in entries:
        await store.commit("b", e["seq"] - 1, [StoredOp(e["seq"], e["cid"], "X", e)], None)
    return entries


async def settled(parts: Parts) -> None:
    for _ in range(100):
        await asyncio.sleep(0)
        if parts.sequencer.settled and not parts.remote.pending:
            return
    raise AssertionError("not settled")


async def test_entries_that_follow_on_are_applied_in_the_turn_without_the_log() -> None:
    parts = await Parts.make()
    _, socket = parts.peer("Ada")
    e1, e2 = await committed_elsewhere(parts.store, 1, 2)
    parts.remote.receive([e2, e1])  # out of order: sorted by seq
    assert parts.sequencer.phase is Phase.SCHEDULED
    await asyncio.sleep(0)
    assert socket.seqs() == [1, 2] and parts.sequencer.phase is Phase.IDLE
    assert parts.stats.gap_fills == 0 and parts.stats.remote_ops == 2


async def test_a_gap_in_the_inbox_is_filled_from_the_op_log() -> None:
    parts = await Parts.make()
    _, socket = parts.peer("Ada")
    _e1, _e2, e3 = await committed_elsewhere(parts.store, 1, 2, 3)
    parts.remote.receive([e3])  # 1 and 2 were lost on the way
    await settled(parts)
    assert socket.seqs() == [1, 2, 3] and parts.stats.gap_fills == 1


async def test_entries_already_applied_are_ignored() -> None:
    parts = await Parts.make()
    _, socket = parts.peer("Ada")
    e1, e2 = await committed_elsewhere(parts.store, 1, 2)
    parts.remote.receive([e1, e2])
    await settled(parts)
    parts.remote.receive([e1, e2])
    await settled(parts)
    assert socket.seqs() == [1, 2]


async def test_the_log_is_read_page_by_page() -> None:
    parts = await Parts.make()
    _, socket = parts.peer("Ada")
    await committed_elsewhere(parts.store, *range(1, LOG_PAGE + 3))
    assert await parts.remote.caught_up()
    assert socket.seqs() == list(range(1, LOG_PAGE + 3))


async def test_caught_up_says_false_when_the_log_cannot_be_read_and_retries_later() -> None:
    parts = await Parts.make()
    real = parts.store.ops_since
    calls = 0

    async def down(*args: Any) -> list[dict[str, Any]]:
        nonlocal calls
        calls += 1
        raise OSError("database down")

    parts.store.ops_since = down  # type: ignore[method-assign]
    assert await parts.remote.caught_up() is False
    assert parts.stats.errors == 1 and parts.remote._retry is not None
    parts.store.ops_since = real  # type: ignore[method-assign]
    await parts.sequencer.close()
    assert parts.remote._retry is None, "closing cancels the retry"
    assert calls == 1
