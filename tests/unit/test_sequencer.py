"""The sequencer: its phases, its one commit path in three modes, and closing it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.domain.elements import Board, Step
from app.hub.plan import Submission
from app.hub.ports import SeqConflict, StoredOp
from app.hub.sequencer import (
    OPTIMISTIC_ATTEMPTS,
    SAVE_FAILED,
    Commit,
    Phase,
    Unavailable,
    prepare,
)
from app.protocol import CreateOp
from app.store.memory import MemoryBoardStore
from tests.support.hub_parts import Parts
from tests.unit.test_room import create, update


async def turns(n: int = 1) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def settled(parts: Parts) -> None:
    for _ in range(100):
        await asyncio.sleep(0)
        if parts.sequencer.settled:
            return
    raise AssertionError(f"not settled: {parts.sequencer.phase}")


def commits_seen(parts: Parts) -> list[Commit]:
    """Record the mode of every commit the sequencer tries."""
    seen: list[Commit] = []
    real = parts.sequencer._commit

    async def spy(batch: list[Submission], mode: Commit) -> None:
        seen.append(mode)
        await real(batch, mode)

    parts.sequencer._commit = spy  # type: ignore[method-assign]
    return seen


async def test_a_submission_schedules_one_turn_and_what_queues_meanwhile_joins_it() -> None:
    parts = await Parts.make(MemoryBoardStore(immediate=True))
    ada, socket = parts.peer("Ada")
    assert parts.sequencer.phase is Phase.IDLE
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    assert parts.sequencer.phase is Phase.SCHEDULED and socket.of("ops") == []
    parts.sequencer.enqueue(parts.submission(ada, [update("a:2", "s1", x=5)]))
    await turns()
    assert parts.sequencer.phase is Phase.IDLE and parts.sequencer.settled
    assert [len(m["ops"]) for m in socket.of("ops")] == [2]
    assert parts.store.commits == 1


async def test_a_store_that_must_wait_hands_the_batch_to_the_pump() -> None:
    parts = await Parts.make(MemoryBoardStore(immediate=False))
    ada, socket = parts.peer("Ada")
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    await turns()
    assert parts.sequencer.phase is Phase.PUMPING
    await settled(parts)
    assert parts.sequencer.phase is Phase.IDLE
    assert socket.seqs() == [1] and parts.store.seq("b") == 1


async def test_a_lost_race_retries_optimistically_then_with_the_board_locked() -> None:
    parts = await Parts.make()
    ada, socket = parts.peer("Ada")
    real_commit = parts.store.commit
    losses = 0

    async def always_beaten(*args: Any) -> None:
        nonlocal losses
        losses += 1
        raise SeqConflict("b")

    parts.store.commit = always_beaten  # type: ignore[method-assign]
    seen = commits_seen(parts)
    # commit_exclusive commits through store.commit: let that one through.
    real_exclusive = parts.store.commit_exclusive

    async def exclusive(*args: Any) -> list[dict[str, Any]]:
        parts.store.commit = real_commit  # type: ignore[method-assign]
        return await real_exclusive(*args)

    parts.store.commit_exclusive = exclusive  # type: ignore[method-assign]
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    await settled(parts)
    assert seen == [Commit.OPTIMISTIC] * OPTIMISTIC_ATTEMPTS + [Commit.LOCKED]
    assert losses == OPTIMISTIC_ATTEMPTS and parts.stats.locked_commits == 1
    assert socket.seqs() == [1]


async def test_a_lost_race_brings_the_winners_entries_before_ours() -> None:
    parts = await Parts.make()
    ada, socket = parts.peer("Ada")
    winner = StoredOp(1, "x:1", "X", {"seq": 1, "cid": "x:1", "by": "x", "name": "X",
                                      "op": "update", "id": "s0", "set": {"x": 7.0}})  # fmt: skip
    await parts.store.commit("b", 0, [winner], None)  # another process, unannounced
    parts.sequencer.enqueue(parts.submission(ada, [update("a:1", "s0", text="Mine")]))
    await settled(parts)
    assert socket.seqs() == [1, 2]
    assert parts.stats.seq_conflicts == 1
    assert parts.timeline.board.elements["s0"].x == 7.0


def test_prepare_plans_and_applies_without_touching_the_board_it_was_given() -> None:
    board = Board(id="b", elements={"s0": Step(id="s0", text="Start")})
    parts_peer = None
    batch = [Submission(parts_peer, "participant", [create("a:1", "s1")], client="a")]
    prepared = prepare({}, batch, board, seq=41)
    assert [op.seq for op in prepared.stored] == [42]
    assert set(prepared.board.elements) == {"s0", "s1"} and set(board.elements) == {"s0"}


async def test_a_failed_batch_tells_its_sender_and_the_next_one_goes_through() -> None:
    parts = await Parts.make(MemoryBoardStore(immediate=True))
    ada, socket = parts.peer("Ada")
    parts.store.fail_next = OSError("disk full")
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    await settled(parts)
    assert socket.of("error")[0]["code"] == "unavailable" and socket.closed is not None
    assert parts.stats.errors == 1
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    await settled(parts)
    assert parts.store.seq("b") == 1


@pytest.mark.parametrize("immediate", [True, False])
async def test_a_batch_one_sender_breaks_fails_that_sender_alone(immediate: bool) -> None:
    # One sender's op that the domain trips over (a bug: 10**400 once raised OverflowError)
    # failed the whole batch, and every peer whose edit happened to share it was cut off.
    parts = await Parts.make(MemoryBoardStore(immediate=immediate))
    ada, ada_socket = parts.peer("Ada")
    mallory, mallory_socket = parts.peer("Mallory")
    # An op no parser makes (replaces must be a list): applying it raises, as a bug would.
    broken = CreateOp.model_construct(op="create", cid="m:1", element={}, replaces=None)
    parts.sequencer.enqueue(parts.submission(ada, [create("a:1", "s1")]))
    parts.sequencer.enqueue(parts.submission(mallory, [broken]))
    parts.sequencer.enqueue(parts.submission(ada, [update("a:2", "s1", x=5)]))
    await settled(parts)
    assert mallory_socket.of("error")[0]["code"] == "unavailable"
    assert mallory_socket.closed is not None and parts.stats.errors == 1
    assert ada_socket.closed is None and not ada_socket.of("error")
    assert parts.store.seq("b") == 2 and parts.timeline.board.elements["s1"].x == 5
    assert [e["cid"] for m in ada_socket.of("ops") for e in m["ops"]] == ["a:1", "a:2"]


async def test_closing_cancels_and_awaits_the_pump_and_answers_what_it_held() -> None:
    parts = await Parts.make()
    gate = asyncio.Event()
    real_commit = parts.store.commit

    async def held(*args: Any) -> None:
        await gate.wait()
        await real_commit(*args)

    parts.store.commit = held  # type: ignore[method-assign]
    loop = asyncio.get_running_loop()
    first: asyncio.Future[list[dict[str, Any]]] = loop.create_future()
    parts.sequencer.enqueue(Submission(None, "participant", [create(None, "s1")], first))  # type: ignore[arg-type]
    await turns(3)
    assert parts.sequencer.phase is Phase.PUMPING
    second: asyncio.Future[list[dict[str, Any]]] = loop.create_future()
    parts.sequencer.enqueue(Submission(None, "participant", [create(None, "s2")], second))  # type: ignore[arg-type]
    await parts.sequencer.close()
    assert parts.sequencer.phase is Phase.IDLE and parts.sequencer.settled
    for done in (first, second):
        with pytest.raises(Unavailable):
            done.result()
    parts.sequencer.enqueue(Submission(None, "participant", [create(None, "s3")]))  # type: ignore[arg-type]
    assert parts.sequencer.phase is Phase.IDLE, "a closed sequencer schedules no more turns"
    assert parts.store.seq("b") == 0


async def test_an_http_caller_whose_commit_failed_hears_why_in_words_not_the_drivers_text() -> None:
    # The driver's message repeats the statement and its parameters: a peer's whole text.
    parts = await Parts.make(MemoryBoardStore(immediate=False))
    long = "N" * 3000

    async def broken(*args: Any) -> None:
        raise RuntimeError(f"(IntegrityError) INSERT INTO ops ... [parameters: ('{long}',)]")

    parts.store.commit = broken  # type: ignore[method-assign]
    done: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
    parts.sequencer.enqueue(Submission(None, "participant", [create(None, "s1")], done))  # type: ignore[arg-type]
    with pytest.raises(Unavailable) as refused:
        await asyncio.wait_for(done, 5)
    assert long[:50] not in str(refused.value) and "INSERT" not in str(refused.value)
    assert str(refused.value) == SAVE_FAILED
