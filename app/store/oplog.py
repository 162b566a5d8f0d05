"""What the two SQL op logs share: their interface, and the tools of the compiled commit.

`SqlBoardStore` (store/repository.py) picks one op log when it is made, by
database, and hands it every op-log call: `SqliteOpLog` (store/oplog_sqlite.py)
or `PostgresOpLog` (store/oplog_postgres.py). Each owns all the SQL its database
runs for the log; the names of tables and columns come from store/tables.py.

Through SQLAlchemy Core each commit compiled its cache key, built result objects
and dispatched events: about 5x the driver's own cost (550 µs against 105 µs per
one-op commit on SQLite). `Statement` compiles a statement once for a dialect and
converts values with the columns' own bind processors (so a row reads back exactly
as one SQLAlchemy wrote); `Stamps` makes the commit's timestamp as the column
would, quickly.

Reading the log is the same Core on both databases, so it is written once here
(`entries_after`, `cids_among`, `read_tail`): the op logs use it, and so does loading
a board (repository.load_board), which names no op-log column itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam, select
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from app.domain.elements import Board
from app.hub.ports import DuplicateCid, Planner, SeqConflict, StoredOp
from app.store.tables import OpRow

_ops = OpRow.__table__  # type: ignore[attr-defined]
# How many recent operation ids a loaded room remembers for de-duplication;
# an older re-send is still caught by the log's unique (board, cid) index.
RECENT_CIDS = 5000
# Recent entries a loaded room keeps, so reconnecting clients catch up without a snapshot.
RECENT_ENTRIES = 1000


class OpLog(Protocol):
    """The op-log half of BoardStore (app/hub/ports.py), as one database does it."""

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None: ...

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool: ...

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]: ...

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]: ...

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]: ...

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None: ...


@dataclass(frozen=True, slots=True)
class Tail:
    """What a loading room needs of the log beside the board's snapshot."""

    entries: list[dict[str, Any]]  # after the snapshot, in order: to replay
    recent: list[dict[str, Any]]  # the last RECENT_ENTRIES, in order: to catch peers up
    cids: dict[str, int]  # the last RECENT_CIDS operation ids and their seqs
    last_seq: int  # the log's last seq (0 when empty)


def entries_after(
    conn: Connection, board_id: str, since: int, limit: int | None = None
) -> list[dict[str, Any]]:
    """The board's entries after `since`, in order, at most `limit` of them."""
    rows = conn.execute(
        select(_ops.c.entry)
        .where(_ops.c.board_id == board_id, _ops.c.seq > since)
        .order_by(_ops.c.seq)
        .limit(limit)
    )
    return [orjson.loads(e) for (e,) in rows]


def cids_among(conn: Connection, board_id: str, cids: Sequence[str]) -> dict[str, int]:
    """Which of `cids` the board's log holds, and at which seq."""
    rows = conn.execute(
        select(_ops.c.cid, _ops.c.seq).where(_ops.c.board_id == board_id, _ops.c.cid.in_(cids))
    )
    return {c: s for c, s in rows}


def read_tail(conn: Connection, board_id: str, snapshot_seq: int) -> Tail:
    """The log as a room loading the board needs it (see `Tail`)."""
    recent = [
        orjson.loads(e)
        for (e,) in conn.execute(
            select(_ops.c.entry)
            .where(_ops.c.board_id == board_id)
            .order_by(_ops.c.seq.desc())
            .limit(RECENT_ENTRIES)
        )
    ][::-1]
    if recent and recent[0]["seq"] <= snapshot_seq + 1:
        entries = [e for e in recent if e["seq"] > snapshot_seq]  # read once, not twice
    else:
        entries = entries_after(conn, board_id, snapshot_seq)
    cids = conn.execute(
        select(_ops.c.cid, _ops.c.seq)
        .where(_ops.c.board_id == board_id, _ops.c.cid.is_not(None))
        .order_by(_ops.c.seq.desc())
        .limit(RECENT_CIDS)
    )
    return Tail(entries, recent, {c: s for c, s in cids}, recent[-1]["seq"] if recent else 0)


def op_rows(board_id: str, ops: Sequence[StoredOp], now: Any) -> list[dict[str, Any]]:
    """The log's rows for `ops`, by column name, all stamped `now`."""
    return [
        {
            "board_id": board_id,
            "seq": op.seq,
            "cid": op.cid,
            "author": op.author,
            "entry": orjson.dumps(op.entry).decode(),
            "created_at": now,
        }
        for op in ops
    ]


def conflict(err: BaseException, board_id: str) -> Exception:
    """What an integrity error on the op log means: the seq was taken (SeqConflict), or
    the cid was (DuplicateCid; a re-sent operation the room did not know of)."""
    orig = getattr(err, "orig", err)  # SQLAlchemy wraps the driver's error
    sqlite_name = getattr(orig, "sqlite_errorname", None)
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    if sqlite_name == "SQLITE_CONSTRAINT_PRIMARYKEY" or constraint == "ops_pkey":
        return SeqConflict(board_id)
    return DuplicateCid(str(orig))


class Stamps:
    """Timestamps as a dialect's DATETIME column takes them, made quickly.

    SQLite stores text: its formatting took 4 µs a commit, more than all the other
    parameters together. So the text is formatted in full once a second and its
    microseconds filled in otherwise (held to the column's own conversion in the tests).
    Dialects whose driver takes datetimes get them as they are.

        stamps = Stamps(dialect)
        stamps.text(utcnow())   # what the column's bind processor would make of it
    """

    def __init__(self, dialect: Dialect) -> None:
        self._process = _ops.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
        self._second: datetime | None = None
        self._head = ""  # the text of self._second up to its microseconds
        whole = self._process(datetime(2000, 1, 1, tzinfo=UTC)) if self._process else None
        self._fills = isinstance(whole, str) and whole.endswith(".000000")

    def text(self, now: datetime) -> Any:
        if self._process is None:
            return now
        if not self._fills:
            return self._process(now)
        second = now.replace(microsecond=0)
        if second != self._second:
            self._second, self._head = second, self._process(second)[:-6]
        return f"{self._head}{now.microsecond:06d}"


class Broken(Exception):
    """A connection that could not even roll back: it is not to be used again."""


class Statement:
    """A statement compiled for one dialect: its SQL, and how to turn values into parameters."""

    def __init__(self, statement: UpdateBase, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        self._order = compiled.positiontup  # None for named parameter styles
        processors: dict[str, Callable[[Any], Any]] = {}
        for name, param in compiled.binds.items():
            process = param.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        self._processors = processors

    def parameters(
        self, values: dict[str, Any], done: frozenset[str] = frozenset()
    ) -> Sequence[Any] | dict[str, Any]:
        """`values` as the driver takes them; those named in `done` are converted already."""
        for name, process in self._processors.items():
            if name not in done:
                values[name] = process(values[name])
        if self._order is None:
            return values
        return [values[name] for name in self._order]


def typed(name: str, column: ColumnElement[Any]) -> BindParameter[Any]:
    """A parameter converted as `column` converts its values."""
    return bindparam(name, type_=column.type)
