"""Each database's op log (store/oplog_sqlite.py, store/oplog_postgres.py): its quick
commit against its Core one, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from app.config import Settings
from app.domain.elements import evolve
from app.hub.ports import DuplicateCid, SeqConflict, StoredOp
from app.store import db as db_settings
from app.store import oplog, oplog_sqlite, repository
from app.store.db import Database, migrate
from app.store.oplog_postgres import PostgresOpLog
from app.store.oplog_sqlite import CHECKPOINT_EVERY, SqliteOpLog
from app.store.repository import SqlBoardStore
from tests.support.databases import database_url


@contextmanager
def migrated(kind: str, tmp_path: Path) -> Iterator[Database]:
    with database_url(kind, tmp_path) as url:
        database = Database(Settings(database_url=url))
        migrate(database.engine)
        try:
            yield database
        finally:
            database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with migrated(request.param, tmp_path) as database:
        yield database


@pytest.fixture
async def store(db: Database) -> AsyncIterator[SqlBoardStore]:
    opened = SqlBoardStore(db)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


def ops(first: int, n: int, cid: str = "c") -> list[StoredOp]:
    made = []
    for seq in range(first, first + n):
        entry = {
            "seq": seq,
            "cid": f"{cid}{seq}",
            "op": "update",
            "id": "s1",
            "set": {"text": "é<b>"},
        }
        made.append(StoredOp(seq, f"{cid}{seq}", "Ana", entry))
    return made


def rows(db: Database, board_id: str) -> list[dict[str, Any]]:
    table = repository._ops
    with db.engine.connect() as conn:
        found = conn.execute(
            select(table).where(table.c.board_id == board_id).order_by(table.c.seq)
        )
        return [dict(row._mapping) for row in found]


def stored_times(db: Database, board_id: str) -> list[str]:
    """created_at as the database holds it (SQLite: text in SQLAlchemy's own format)."""
    with db.engine.connect() as conn:
        found = conn.exec_driver_sql(
            f"SELECT CAST(created_at AS TEXT) FROM ops WHERE board_id = '{board_id}' ORDER BY seq"
        )
        return [value for (value,) in found]


def seq_of(db: Database, board_id: str) -> int:
    loaded = repository.load_board(db.engine, board_id)
    assert loaded is not None
    return loaded.seq


def test_each_database_gets_its_own_op_log(db: Database) -> None:
    chosen = SqlBoardStore(db).oplog
    assert type(chosen) is (SqliteOpLog if db.is_sqlite else PostgresOpLog)


async def test_rows_read_back_exactly_as_the_core_path_writes_them(
    db: Database, store: SqlBoardStore
) -> None:
    fast, _ = repository.create_board(db.engine, {"title": "fast"})
    core, _ = repository.create_board(db.engine, {"title": "core"})
    await store.commit(fast, 0, ops(1, 3), None)  # the quick commit
    await store.commit(core, 0, ops(1, 3), {"title": "core!"})  # through Core, on the thread

    written, expected = rows(db, fast), rows(db, core)
    assert len(written) == 3 and seq_of(db, fast) == 3
    for mine, theirs in zip(written, expected, strict=True):
        assert {k: v for k, v in mine.items() if k not in ("board_id", "created_at")} == {
            k: v for k, v in theirs.items() if k not in ("board_id", "created_at")
        }
        assert type(mine["created_at"]) is type(theirs["created_at"])
        assert abs((mine["created_at"] - theirs["created_at"]).total_seconds()) < 60
    if db.is_sqlite:  # text there: the same format, or ordering and parsing would differ
        shape = [len(t) for t in stored_times(db, core)]
        assert [len(t) for t in stored_times(db, fast)] == shape, stored_times(db, fast)
    # what a room loads from them is the same too
    assert await store.ops_since(fast, 0, 10) == await store.ops_since(core, 0, 10)


async def test_a_stale_seq_is_a_conflict_and_stores_nothing(
    db: Database, store: SqlBoardStore
) -> None:
    board, _ = repository.create_board(db.engine, {"title": "b"})
    await store.commit(board, 0, ops(1, 2), None)
    for stale in (1, 0):  # a room one behind, two behind: its first op's seq is taken
        with pytest.raises(SeqConflict):
            await store.commit(board, stale, ops(stale + 1, 3, cid="late"), None)
        with pytest.raises(SeqConflict):
            await store.commit(board, stale, ops(stale + 1, 3, cid="core"), {"title": "x"})
    assert seq_of(db, board) == 2 and [r["cid"] for r in rows(db, board)] == ["c1", "c2"]
    with pytest.raises(ValueError, match="follow on"):
        await store.commit(board, 2, ops(4, 1), None)  # a gap is a bug in the caller
    assert seq_of(db, board) == 2


async def test_frame_commits_and_locked_commits_follow_on_from_quick_ones(
    db: Database, store: SqlBoardStore
) -> None:
    board, _ = repository.create_board(db.engine, {"title": "Old"})
    await store.commit(board, 0, ops(1, 2), None)
    await store.commit(board, 2, ops(3, 1, cid="frame"), {"title": "New"})
    await store.commit(board, 3, ops(4, 2), None)

    def plan(missed: list[dict[str, Any]]) -> tuple[list[StoredOp], dict[str, Any] | None]:
        assert [e["seq"] for e in missed] == [4, 5]  # what the caller at seq 3 missed
        return ops(6, 1, cid="locked"), None

    assert [e["seq"] for e in await store.commit_exclusive(board, 3, plan)] == [4, 5]
    await store.commit(board, 6, ops(7, 1), None)
    loaded = repository.load_board(db.engine, board)
    assert loaded is not None and loaded.seq == 7 and loaded.board.title == "New"
    assert [r["seq"] for r in rows(db, board)] == list(range(1, 8))
    with pytest.raises(SeqConflict):  # and a stale room still loses, after all of them
        await store.commit(board, 5, ops(6, 1, cid="stale"), None)


async def test_a_repeated_cid_is_a_duplicate_and_the_whole_batch_is_undone(
    db: Database, store: SqlBoardStore
) -> None:
    board, _ = repository.create_board(db.engine, {"title": "b"})
    await store.commit(board, 0, ops(1, 2), None)
    again = [*ops(3, 1, cid="new"), StoredOp(4, "c1", "Ana", {"seq": 4, "cid": "c1"})]
    with pytest.raises(DuplicateCid):
        await store.commit(board, 2, again, None)
    with pytest.raises(DuplicateCid):
        await store.commit(board, 2, again, {"title": "x"})
    assert seq_of(db, board) == 2 and [r["seq"] for r in rows(db, board)] == [1, 2]
    await store.commit(board, 2, ops(3, 1, cid="new"), None)  # the connection is fine after
    assert seq_of(db, board) == 3
    assert await store.find_cids(board, ["c1", "new3", "nope"]) == {"c1": 1, "new3": 3}


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Database]:
    with migrated("postgresql", tmp_path) as database:
        yield database


async def test_awaited_commits_on_postgresql_write_what_the_threaded_ones_do(pg: Database) -> None:
    awaited, _ = repository.create_board(pg.engine, {"title": "awaited"})
    threaded, _ = repository.create_board(pg.engine, {"title": "threaded"})
    log = PostgresOpLog(pg)
    await log.open()
    try:
        await log.commit_quick(awaited, 0, ops(1, 3))
        log.commit_frame(threaded, 0, ops(1, 3), {})  # Core, as on a database thread
        assert seq_of(pg, awaited) == 3
        for mine, theirs in zip(rows(pg, awaited), rows(pg, threaded), strict=True):
            assert {k: v for k, v in mine.items() if k not in ("board_id", "created_at")} == {
                k: v for k, v in theirs.items() if k not in ("board_id", "created_at")
            }
            assert abs((mine["created_at"] - theirs["created_at"]).total_seconds()) < 60
        assert await log.ops_since(awaited, 0, 10) == await log.ops_since(threaded, 0, 10)
        with pytest.raises(SeqConflict):
            await log.commit_quick(awaited, 1, ops(2, 1, cid="late"))
        with pytest.raises(DuplicateCid):
            await log.commit_quick(
                awaited, 3, [*ops(4, 1, cid="new"), StoredOp(5, "c1", "Ana", {"seq": 5})]
            )
        assert seq_of(pg, awaited) == 3 and len(rows(pg, awaited)) == 3, "nothing of a failed batch"
        await log.commit_quick(awaited, 3, ops(4, 1, cid="new"))  # the pool's connections are fine
        assert seq_of(pg, awaited) == 4
        assert [e["seq"] for e in await log.ops_since(awaited, 1, 2)] == [2, 3]
        assert [e["seq"] for e in await log.ops_since(awaited, 1, 10)] == [2, 3, 4]
    finally:
        await log.close()


async def test_sqlite_checkpoints_run_on_the_database_thread_never_inside_a_commit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wal.db"
    db = Database(Settings(database_url=f"sqlite:///{path}"))
    migrate(db.engine)
    board, _ = repository.create_board(db.engine, {"title": "b"})
    with db.engine.connect() as conn:  # start from an empty log
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store = repository.SqlBoardStore(db)
    try:
        size = path.stat().st_size
        for seq in range(1, CHECKPOINT_EVERY):
            assert store.commit_now(board, seq - 1, ops(seq, 1), None)
        await asyncio.sleep(0.2)
        assert path.stat().st_size == size, "a commit copied the log into the database itself"
        assert store.commit_now(board, CHECKPOINT_EVERY - 1, ops(CHECKPOINT_EVERY, 1), None)
        for _ in range(100):  # the checkpoint runs on the database thread, soon
            if path.stat().st_size > size:
                break
            await asyncio.sleep(0.02)
        assert path.stat().st_size > size, "no checkpoint after CHECKPOINT_EVERY commits"
        assert seq_of(db, board) == CHECKPOINT_EVERY
    finally:
        await store.close()
        db.close()


def test_the_sqlite_log_starts_over_after_a_checkpoint_that_could_not_copy_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under load, commits go on while a checkpoint copies the log (it runs on the
    # database thread), so its pass never copied the commits made meanwhile, and SQLite
    # writes the log from its start again only once all of it is copied: the log only
    # grew (new pages for the kernel to zero). Here a reader keeps the first pass from
    # copying the last 50 commits, and is gone by the time a second pass could.
    monkeypatch.setattr(db_settings, "WAL_RESTART_BYTES", 256 * 1024)  # past it at 100 commits
    path = tmp_path / "wal.db"
    wal = tmp_path / "wal.db-wal"
    database = Database(Settings(database_url=f"sqlite:///{path}"))
    migrate(database.engine)
    board, _ = repository.create_board(database.engine, {"title": "b"})
    with database.engine.connect() as conn:  # start from an empty log
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    log = SqliteOpLog(database)
    seq = 0

    def commit(n: int) -> None:
        nonlocal seq
        for _ in range(n):
            log.commit_quick(board, seq, ops(seq + 1, 1))
            seq += 1

    pooled = database.engine.raw_connection()  # held here: back in the pool it rolls back
    reader = pooled.driver_connection
    assert reader is not None
    reader.isolation_level = None  # its BEGIN below is the only transaction

    def reader_leaves(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "wal_checkpoint" in statement and reader.in_transaction:
            reader.execute("COMMIT")

    try:
        commit(50)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM ops").fetchall()  # a snapshot at 50 commits
        commit(50)
        event.listen(database.engine, "after_cursor_execute", reader_leaves)
        log.checkpoint()
        event.remove(database.engine, "after_cursor_execute", reader_leaves)
        grown = wal.stat().st_size
        commit(50)  # the log starts over: these fit in the pages it already has
        assert wal.stat().st_size == grown, "the log grew: the checkpoint left some of it"
        assert seq_of(database, board) == 150
    finally:
        pooled.close()
        log.close_held()
        database.close()


class CountingLock:
    """A lock that counts how often it was taken."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.taken = 0

    def acquire(self, blocking: bool = True) -> bool:
        got = self.lock.acquire(blocking)
        self.taken += got
        return got

    def release(self) -> None:
        self.lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


@pytest.mark.parametrize(("bound", "held"), [(db_settings.WAL_RESTART_BYTES, 0), (1024, 1)])
def test_a_checkpoint_holds_the_commits_off_only_past_the_restart_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bound: int, held: int
) -> None:
    monkeypatch.setattr(db_settings, "WAL_RESTART_BYTES", bound)
    database = Database(Settings(database_url=f"sqlite:///{tmp_path / 'wal.db'}"))
    migrate(database.engine)
    board, _ = repository.create_board(database.engine, {"title": "b"})
    log = SqliteOpLog(database)
    try:
        for seq in range(1, 11):
            log.commit_quick(board, seq - 1, ops(seq, 1))
        lock = database.file_lock = CountingLock()  # type: ignore[assignment]
        log.checkpoint()
        assert lock.taken == held
    finally:
        log.close_held()
        database.close()


async def test_a_snapshot_is_kept_only_when_newer_and_loading_replays_from_it(
    db: Database, store: SqlBoardStore
) -> None:
    board_id, _ = repository.create_board(db.engine, {"title": "snap"})
    step = {"id": "s1", "kind": "step", "x": 0, "y": 0, "text": "from the log"}
    entries = [{"op": "create", "element": step}, {"op": "update", "id": "s1", "set": {"x": 10}},
               {"op": "update", "id": "s1", "set": {"x": 30}}]  # fmt: skip
    stored = [
        StoredOp(seq, f"c{seq}", "Ana", {"seq": seq, "cid": f"c{seq}", **entry})
        for seq, entry in enumerate(entries, start=1)
    ]
    await store.commit(board_id, 0, stored[:2], None)
    loaded = repository.load_board(db.engine, board_id)
    assert loaded is not None and loaded.board.elements["s1"].x == 10
    at_two = loaded.board
    marked = evolve(at_two.elements["s1"], {"text": "from the snapshot"})
    await store.snapshot(board_id, 2, dataclasses.replace(at_two, elements={"s1": marked}))
    await store.commit(board_id, 2, stored[2:], None)
    await store.snapshot(board_id, 1, at_two)  # older than the one stored: ignored

    loaded = repository.load_board(db.engine, board_id)
    assert loaded is not None and loaded.seq == 3
    s1 = loaded.board.elements["s1"]
    assert (s1.text, s1.x) == ("from the snapshot", 30)  # the snapshot, then seq 3


@pytest.mark.parametrize("snapshot_at", [0, 1, 3, 5])
async def test_loading_replays_every_entry_after_the_snapshot_whether_or_not_recent_holds_them(
    db: Database, store: SqlBoardStore, monkeypatch: pytest.MonkeyPatch, snapshot_at: int
) -> None:
    monkeypatch.setattr(oplog, "RECENT_ENTRIES", 2)  # the recent window ends before seq 4
    board_id, _ = repository.create_board(db.engine, {"title": "tail"})
    step = {"id": "s1", "kind": "step", "x": 0, "y": 0, "text": "t"}
    entries = [{"op": "create", "element": step}] + [
        {"op": "update", "id": "s1", "set": {"x": 10 * n}} for n in range(1, 5)
    ]
    stored = [
        StoredOp(seq, f"c{seq}", "Ana", {"seq": seq, "cid": f"c{seq}", **entry})
        for seq, entry in enumerate(entries, start=1)
    ]
    if snapshot_at:
        await store.commit(board_id, 0, stored[:snapshot_at], None)
        at = repository.load_board(db.engine, board_id)
        assert at is not None
        await store.snapshot(board_id, snapshot_at, at.board)
    if snapshot_at < 5:
        await store.commit(board_id, snapshot_at, stored[snapshot_at:], None)

    with db.engine.connect() as conn:
        tail = oplog.read_tail(conn, board_id, snapshot_at)
    assert [e["seq"] for e in tail.entries] == list(range(snapshot_at + 1, 6))
    assert [e["seq"] for e in tail.recent] == [4, 5] and tail.last_seq == 5
    assert tail.cids == {f"c{n}": n for n in range(1, 6)}
    loaded = repository.load_board(db.engine, board_id)
    assert loaded is not None and loaded.seq == 5 and loaded.board.elements["s1"].x == 40


async def test_the_sqlite_log_stays_bounded_under_writes_that_never_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 512 * 1024
    every = 200  # commits between checks of the log's size: a few MB of log here
    monkeypatch.setattr(db_settings, "WAL_LIMIT_BYTES", limit)
    monkeypatch.setattr(oplog_sqlite, "CHECKPOINT_EVERY", every)
    path = tmp_path / "busy.db"
    wal = tmp_path / "busy.db-wal"
    database = Database(Settings(database_url=f"sqlite:///{path}"))
    migrate(database.engine)
    board, _ = repository.create_board(database.engine, {"title": "b"})
    store = repository.SqlBoardStore(database)
    big = "x" * 2000  # ~2 KB an entry: ~12 MB of log in all
    largest = 0
    try:
        for seq in range(1, 6001):
            entry = {"seq": seq, "cid": f"c{seq}", "op": "update", "id": "s1", "set": {"text": big}}
            batch = [StoredOp(seq, f"c{seq}", "Ana", entry)]
            # As the sequencer does: while a checkpoint's last pass holds the file, on
            # the database thread after it.
            if not store.commit_now(board, seq - 1, batch, None):
                await store.commit(board, seq - 1, batch, None)
            if seq % 25 == 0:
                await asyncio.sleep(0)  # the checkpoints run on the database thread meanwhile
                largest = max(largest, wal.stat().st_size)
        for _ in range(100):  # the last checkpoint, soon
            await asyncio.sleep(0.02)
        largest = max(largest, wal.stat().st_size)
    finally:
        await store.close()
        database.close()
    # Past the limit by at most what 200 commits write (~22 KB each here: pages and index).
    assert largest <= limit + every * 32 * 1024, largest
