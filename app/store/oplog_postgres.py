"""The op log on PostgreSQL: every statement the PostgreSQL store runs for the log.

Several processes commit to one board, so every commit moves the board row's
seq on, only from the seq the room expects: a stale room moves nothing and
stores nothing (SeqConflict). One that lost the race too often locks the
board's row to commit (`commit_exclusive`).

Its quick commit is awaited on the event loop: no thread in between.

Through the database threads (store/db.py) every commit crossed from the
event loop to a thread and back, and the two took turns at the GIL: on W1
over PostgreSQL half of an edit's 2.8 ms to its peers (p50) went there, for
a commit that takes PostgreSQL 0.5 ms. `PostgresOpLog` commits a batch as one
statement on a psycopg async connection from a small pool: the board's seq
moves from the one the room expects, and the ops go in only if it moved
(a data-modifying WITH). One statement is its own transaction, so a commit
costs the loop one round trip to the database and no hand-off.

    log = PostgresOpLog(database)
    await log.open()
    await log.commit(board_id, expected_seq, ops, None)   # SeqConflict / DuplicateCid
    await log.close()

Reading the log after a gap or a lost race (`ops_since`) is awaited the same
way: with two processes on one board it is on the path of every race lost.
Storing a snapshot (one UPDATE) is awaited too. Commits that also change the
board's own fields (the frame), the locked commit after lost races and the
look-up of cids go through Core on the database threads: they are rare, or not
on a session's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import orjson
import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError

from app.domain.elements import Board
from app.domain.serialize import board_to_json
from app.hub.ports import DuplicateCid, Planner, SeqConflict, StoredOp
from app.store.db import POSTGRES_THREADS, Database
from app.store.oplog import cids_among, conflict, entries_after, op_rows
from app.store.tables import BoardRow, OpRow, utcnow

# Connections kept open while idle: one serves a board's commits one after another.
MIN_CONNECTIONS = 1
# Batch sizes whose statement text is kept (and prepared on each connection).
SQL_CACHED = 32
# How long a commit may wait for a free connection before it fails (and is retried by
# its client); a healthy server never waits.
CHECKOUT_SECONDS = 10.0


# The tables and columns as store/tables.py names them: no name is written here twice.
_boards = BoardRow.__table__  # type: ignore[attr-defined]
_ops = OpRow.__table__  # type: ignore[attr-defined]
_B, _O = _boards.c, _ops.c
_BOARDS, _OPS = BoardRow.__tablename__, OpRow.__tablename__
# An op's row, in the order commit() passes its values.
_OP_COLUMNS = ", ".join(
    c.name for c in (_O.board_id, _O.seq, _O.cid, _O.author, _O.entry, _O.created_at)
)


@lru_cache(maxsize=SQL_CACHED)
def _batch_sql(n: int) -> str:
    """The statement for a batch of n ops: parameters are the move's four, then six per op."""
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * n)
    return (
        f"WITH moved AS (UPDATE {_BOARDS} SET {_B.seq.name} = %s, {_B.updated_at.name} = %s"
        f" WHERE {_B.id.name} = %s AND {_B.seq.name} = %s RETURNING {_B.id.name}) "
        f"INSERT INTO {_OPS} ({_OP_COLUMNS}) "
        f"SELECT v.* FROM (VALUES {rows}) AS v WHERE EXISTS (SELECT 1 FROM moved)"
    )


_SINCE_SQL = (
    f"SELECT {_O.entry.name} FROM {_OPS} WHERE {_O.board_id.name} = %s AND {_O.seq.name} > %s"
    f" ORDER BY {_O.seq.name} LIMIT %s"
)


_SNAPSHOT_SQL = (
    f"UPDATE {_BOARDS} SET {_B.snapshot.name} = %s, {_B.snapshot_seq.name} = %s"
    f" WHERE {_B.id.name} = %s AND {_B.snapshot_seq.name} < %s"
)


def conninfo(url: URL) -> str:
    """A libpq connection URI from SQLAlchemy's (`postgresql+psycopg://...`)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresOpLog:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._engine = database.engine
        self._pool = AsyncConnectionPool(
            conninfo(database.engine.url),
            min_size=MIN_CONNECTIONS,
            max_size=POSTGRES_THREADS,
            timeout=CHECKOUT_SECONDS,
            open=False,
            name="flowmap-oplog",
            kwargs={"autocommit": True},  # each commit is one statement: no BEGIN, no COMMIT
        )

    async def open(self) -> None:
        """Start the pool; it connects in the background, so this never waits for the database."""
        await self._pool.open(wait=False)

    async def close(self) -> None:
        await self._pool.close()

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        if frame is None:  # nearly every batch: one awaited statement
            await self.commit_quick(board_id, expected_seq, ops)
        else:
            await self.db.run(self.commit_frame, board_id, expected_seq, ops, frame)

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        return False  # every commit waits for the server: it is awaited, never run here

    async def commit_quick(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> None:
        """One transaction: the board's seq from expected_seq to the last op's, and the ops."""
        if not ops or ops[0].seq != expected_seq + 1:
            raise ValueError(f"ops must follow on from seq {expected_seq}")
        now = utcnow()
        values: list[Any] = [ops[-1].seq, now, board_id, expected_seq]
        for op in ops:
            entry = orjson.dumps(op.entry).decode()
            values += (board_id, op.seq, op.cid, op.author, entry, now)
        try:
            async with self._pool.connection() as connection:
                cursor = await connection.execute(_batch_sql(len(ops)), values, prepare=True)
        except psycopg.errors.UniqueViolation as err:
            raise DuplicateCid(str(err)) from err
        if cursor.rowcount != len(ops):  # the seq was not where we expected: nothing stored
            raise SeqConflict(board_id)

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        return await self.db.run(self.commit_locked, board_id, expected_seq, plan)

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        """The entries after `since`, in order (a room filling a gap, or after a lost race)."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_SINCE_SQL, (board_id, since, limit), prepare=True)
            return [orjson.loads(entry) for (entry,) in await cursor.fetchall()]

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        return await self.db.run(self.read_cids, board_id, cids)

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None:
        """The board as of `seq`, unless a later snapshot is stored: one awaited UPDATE."""
        data = orjson.dumps(board_to_json(board)).decode()
        async with self._pool.connection() as connection:
            await connection.execute(_SNAPSHOT_SQL, (data, seq, board_id, seq))

    # The blocking work, on a database thread.

    def commit_frame(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any],
    ) -> None:
        """One transaction: the ops after expected_seq and the board's own fields."""
        try:
            with self._engine.begin() as conn:
                self._write(conn, board_id, expected_seq, ops, frame)
        except IntegrityError as err:
            raise conflict(err, board_id) from err

    def commit_locked(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        """Lock the board row, let `plan` see what was committed after expected_seq, store its ops.

        Nobody can commit in between, so this cannot lose the race (the row lock
        queues fairly); returns the entries `plan` was shown. See BoardStore.
        """
        try:
            with self._engine.begin() as conn:
                locked = select(_B.seq).where(_B.id == board_id).with_for_update()
                seq = conn.execute(locked).scalar_one()
                missed = entries_after(conn, board_id, expected_seq)
                ops, frame = plan(missed)
                if ops:
                    self._write(conn, board_id, seq, ops, frame)
        except IntegrityError as err:
            raise conflict(err, board_id) from err
        return missed

    def read_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        with self._engine.connect() as conn:
            return cids_among(conn, board_id, cids)

    @staticmethod
    def _write(
        conn: Connection,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        now = utcnow()
        values: dict[str, Any] = {"seq": ops[-1].seq, "updated_at": now} | (frame or {})
        moved = conn.execute(
            update(_boards).where(_B.id == board_id, _B.seq == expected_seq).values(**values)
        )
        if moved.rowcount != 1:
            raise SeqConflict(board_id)
        conn.execute(insert(_ops), op_rows(board_id, ops, now))
