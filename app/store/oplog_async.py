"""The op log's commit on PostgreSQL, awaited on the event loop: no thread in between.

Through the database threads (store/db.py) every commit crossed from the
event loop to a thread and back, and the two took turns at the GIL: on W1
over PostgreSQL half of an edit's 2.8 ms to its peers (p50) went there, for
a commit that takes PostgreSQL 0.5 ms. `AsyncOpLog` commits a batch as one
statement on a psycopg async connection from a small pool: the board's seq
moves from the one the room expects, and the ops go in only if it moved
(a data-modifying WITH). One statement is its own transaction, so a commit
costs the loop one round trip to the database and no hand-off.

    log = AsyncOpLog(engine.url, max_connections=8)
    await log.open()
    await log.commit(board_id, expected_seq, ops)   # SeqConflict / DuplicateCid as before
    await log.close()

Reading the log after a gap or a lost race (`ops_since`) is awaited the same
way: with two processes on one board it is on the path of every race lost.
Everything else on PostgreSQL (loads, the locked commit after lost races,
the HTTP API) stays on the threads: it is rare, or not on a session's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import orjson
import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import URL

from app.hub.ports import DuplicateCid, SeqConflict, StoredOp
from app.store.tables import BoardRow, OpRow, utcnow

# Connections kept open while idle: one serves a board's commits one after another.
MIN_CONNECTIONS = 1
# Batch sizes whose statement text is kept (and prepared on each connection).
SQL_CACHED = 32
# How long a commit may wait for a free connection before it fails (and is retried by
# its client); a healthy server never waits.
CHECKOUT_SECONDS = 10.0


# The tables and columns as store/tables.py names them: no name is written here twice.
_B = BoardRow.__table__.c  # type: ignore[attr-defined]
_O = OpRow.__table__.c  # type: ignore[attr-defined]
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


def conninfo(url: URL) -> str:
    """A libpq connection URI from SQLAlchemy's (`postgresql+psycopg://...`)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class AsyncOpLog:
    def __init__(self, url: URL, max_connections: int) -> None:
        self._pool = AsyncConnectionPool(
            conninfo(url),
            min_size=MIN_CONNECTIONS,
            max_size=max_connections,
            timeout=CHECKOUT_SECONDS,
            open=False,
            name="flowmap-oplog",
            kwargs={"autocommit": True},  # each commit is one statement: no BEGIN, no COMMIT
        )

    async def open(self) -> None:
        """Start the pool; it connects in the background, so this never waits for the database."""
        await self._pool.open(wait=False)

    async def commit(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> None:
        """One transaction: the board's seq from expected_seq to the last op's, and the ops."""
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

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        """The entries after `since`, in order (a room filling a gap, or after a lost race)."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_SINCE_SQL, (board_id, since, limit), prepare=True)
            return [orjson.loads(entry) for (entry,) in await cursor.fetchall()]

    async def close(self) -> None:
        await self._pool.close()
