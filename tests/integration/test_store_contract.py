"""The BoardStore contract (app/hub/ports.py), one suite for every store: the in-memory
one the room's unit tests use, and the SQL one on SQLite and on PostgreSQL.

Everything here goes through the port only, as the room does: a store that passes
is one the room can run on. A difference between stores shows up as one of these
tests failing for one parameter, never as a second suite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.domain.elements import Board
from app.domain.replay import replay
from app.hub.ports import BoardStore, DuplicateCid, SeqConflict, StoredOp
from app.store.db import Database, migrate
from app.store.memory import MemoryBoardStore
from app.store.repository import SqlBoardStore, create_board
from tests.support.databases import database_url

STORES = ["memory", "sqlite", "postgresql"]


@dataclass
class Subject:
    store: BoardStore
    new_board: Callable[[], str]


@pytest.fixture(params=STORES)
async def subject(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Subject]:
    if request.param == "memory":
        memory = MemoryBoardStore()
        made = iter(range(1, 1_000))

        def add() -> str:
            board_id = f"b{next(made)}"
            memory.add(Board(id=board_id, title="Contract"))
            return board_id

        yield Subject(memory, add)
        return
    with database_url(request.param, tmp_path) as url:
        database = Database(Settings(database_url=url))
        migrate(database.engine)
        store = SqlBoardStore(database)
        await store.open()
        try:
            yield Subject(store, lambda: create_board(database.engine, {"title": "Contract"})[0])
        finally:
            await store.close()
            database.close()


def step_ops(first: int, n: int, cid: str = "c") -> list[StoredOp]:
    """n entries from seq `first`: the first creates step s1, the rest rename it."""
    made = []
    for seq in range(first, first + n):
        body: dict[str, Any] = (
            {"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build"}}
            if seq == 1
            else {"op": "update", "id": "s1", "set": {"text": f"Build {seq} é<b>"}}
        )
        entry = {"seq": seq, "cid": f"{cid}{seq}", "by": "p1", "name": "Ana", **body}
        made.append(StoredOp(seq, f"{cid}{seq}", "Ana", entry))
    return made


async def test_an_unknown_board_loads_as_nothing_and_does_not_exist(subject: Subject) -> None:
    assert await subject.store.load("no-such-board") is None
    assert await subject.store.exists("no-such-board") is False
    board_id = subject.new_board()
    assert await subject.store.exists(board_id) is True


async def test_a_new_board_loads_empty_at_seq_zero(subject: Subject) -> None:
    loaded = await subject.store.load(subject.new_board())
    assert loaded is not None
    assert (loaded.seq, loaded.board.elements, loaded.recent_entries) == (0, {}, [])
    assert loaded.board.title == "Contract"


async def test_committed_ops_load_back_in_order_with_their_cids(subject: Subject) -> None:
    board_id = subject.new_board()
    ops = step_ops(1, 3)
    await subject.store.commit(board_id, 0, ops[:2], None)
    await subject.store.commit(board_id, 2, ops[2:], None)
    loaded = await subject.store.load(board_id)
    assert loaded is not None
    assert loaded.seq == 3
    assert loaded.recent_entries == [op.entry for op in ops]
    assert loaded.recent_cids == {"c1": 1, "c2": 2, "c3": 3}
    assert loaded.board.elements["s1"].text == "Build 3 é<b>"  # type: ignore[union-attr]


async def test_a_stale_seq_is_a_conflict_and_stores_nothing(subject: Subject) -> None:
    board_id = subject.new_board()
    await subject.store.commit(board_id, 0, step_ops(1, 2), None)
    with pytest.raises(SeqConflict):
        await subject.store.commit(board_id, 1, step_ops(2, 1, cid="late"), None)
    assert await subject.store.ops_since(board_id, 0, 10) == [op.entry for op in step_ops(1, 2)]


async def test_a_known_cid_is_a_duplicate_and_the_whole_batch_is_undone(subject: Subject) -> None:
    board_id = subject.new_board()
    await subject.store.commit(board_id, 0, step_ops(1, 2), None)
    again = [*step_ops(3, 1, cid="new"), StoredOp(4, "c1", "Ana", {**step_ops(4, 1)[0].entry})]
    with pytest.raises(DuplicateCid):
        await subject.store.commit(board_id, 2, again, None)
    loaded = await subject.store.load(board_id)
    assert loaded is not None and loaded.seq == 2


async def test_ops_since_gives_the_entries_after_a_seq_up_to_a_limit(subject: Subject) -> None:
    board_id = subject.new_board()
    ops = step_ops(1, 5)
    await subject.store.commit(board_id, 0, ops, None)
    assert await subject.store.ops_since(board_id, 2, 10) == [op.entry for op in ops[2:]]
    assert await subject.store.ops_since(board_id, 0, 2) == [op.entry for op in ops[:2]]
    assert await subject.store.ops_since(board_id, 5, 10) == []


async def test_find_cids_finds_only_what_was_committed(subject: Subject) -> None:
    board_id = subject.new_board()
    await subject.store.commit(board_id, 0, step_ops(1, 3), None)
    assert await subject.store.find_cids(board_id, ["c2", "c3", "nope"]) == {"c2": 2, "c3": 3}


async def test_commit_now_either_commits_at_once_or_does_nothing(subject: Subject) -> None:
    board_id = subject.new_board()
    ops = step_ops(1, 2)
    done = subject.store.commit_now(board_id, 0, ops, None)
    stored = await subject.store.ops_since(board_id, 0, 10)
    assert stored == ([op.entry for op in ops] if done else [])
    if not done:  # the caller then commits the ordinary way
        await subject.store.commit(board_id, 0, ops, None)
    loaded = await subject.store.load(board_id)
    assert loaded is not None and loaded.seq == 2
    # A frame change never goes the quick way, and a stale seq is a conflict either way.
    title = {"op": "board", "set": {"title": "Renamed"}}
    framed = [StoredOp(3, "f3", "Ana", {"seq": 3, "cid": "f3", "by": "p1", "name": "Ana", **title})]
    assert subject.store.commit_now(board_id, 2, framed, {"title": "Renamed"}) is False
    with pytest.raises(SeqConflict):
        if not subject.store.commit_now(board_id, 1, step_ops(2, 1, cid="x"), None):
            await subject.store.commit(board_id, 1, step_ops(2, 1, cid="x"), None)


async def test_a_frame_change_is_stored_with_its_ops(subject: Subject) -> None:
    board_id = subject.new_board()
    title = {"op": "board", "set": {"title": "Order to cash"}}
    entry = {"seq": 1, "cid": "t1", "by": "p1", "name": "Fay", **title}
    await subject.store.commit(
        board_id, 0, [StoredOp(1, "t1", "Fay", entry)], {"title": "Order to cash"}
    )
    loaded = await subject.store.load(board_id)
    assert loaded is not None
    assert (loaded.seq, loaded.board.title) == (1, "Order to cash")


async def test_a_locked_commit_shows_its_plan_what_others_committed_and_stores_after_it(
    subject: Subject,
) -> None:
    board_id = subject.new_board()
    theirs = step_ops(1, 2, cid="them")
    await subject.store.commit(board_id, 0, theirs, None)
    shown: list[list[dict[str, Any]]] = []

    def plan(missed: list[dict[str, Any]]) -> tuple[list[StoredOp], dict[str, Any] | None]:
        shown.append(missed)
        return step_ops(len(missed) + 1, 1, cid="mine"), None

    # This room last saw seq 0: the plan is shown both of the others' entries.
    missed = await subject.store.commit_exclusive(board_id, 0, plan)
    assert missed == shown[0] == [op.entry for op in theirs]
    loaded = await subject.store.load(board_id)
    assert loaded is not None and loaded.seq == 3
    assert loaded.recent_cids["mine3"] == 3


async def test_a_snapshot_changes_nothing_that_loads(subject: Subject) -> None:
    board_id = subject.new_board()
    ops = step_ops(1, 4)
    await subject.store.commit(board_id, 0, ops[:2], None)
    at_two = replay(Board(id=board_id, title="Contract"), [op.entry for op in ops[:2]])
    await subject.store.snapshot(board_id, 2, at_two)
    await subject.store.commit(board_id, 2, ops[2:], None)
    loaded = await subject.store.load(board_id)
    assert loaded is not None
    expected = replay(Board(id=board_id, title="Contract"), [op.entry for op in ops])
    assert loaded.seq == 4
    assert loaded.board.elements == expected.elements
    assert await subject.store.ops_since(board_id, 0, 10) == [op.entry for op in ops]


async def test_a_frame_change_conflicts_and_is_undone_as_a_quick_commit_is(
    subject: Subject,
) -> None:
    board_id = subject.new_board()
    await subject.store.commit(board_id, 0, step_ops(1, 2), None)
    title = {"op": "board", "set": {"title": "Renamed"}}
    late = [StoredOp(2, "t2", "Fay", {"seq": 2, "cid": "t2", "by": "p1", "name": "Fay", **title})]
    with pytest.raises(SeqConflict):
        await subject.store.commit(board_id, 1, late, {"title": "Renamed"})
    known = [*step_ops(3, 1, cid="new"), StoredOp(4, "c1", "Fay", {**late[0].entry, "seq": 4})]
    with pytest.raises(DuplicateCid):
        await subject.store.commit(board_id, 2, known, {"title": "Renamed"})
    loaded = await subject.store.load(board_id)
    assert loaded is not None
    assert (loaded.seq, loaded.board.title) == (2, "Contract")  # neither ops nor frame stored
    await subject.store.commit(board_id, 2, step_ops(3, 1), None)  # and it follows on after
    assert [e["seq"] for e in await subject.store.ops_since(board_id, 0, 10)] == [1, 2, 3]
