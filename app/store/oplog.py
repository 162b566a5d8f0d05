"""The op log's hot path: one batch's commit, compiled once, run on the driver's own cursor.

Every batch a room commits is the same statements: on PostgreSQL, move the
board's seq on (only from the seq the room expects) and insert the batch's
entries; on SQLite, only the insert (see `moves_board_seq`). Through
SQLAlchemy Core each commit compiled its cache key, built result objects and
dispatched events: about 5x the driver's own cost (550 µs against 105 µs per
one-op commit on SQLite). `OpLogWriter` compiles the statements once for the
engine's dialect, converts values with the columns' own bind processors (so
a row reads back exactly as one SQLAlchemy wrote), and runs them on a DBAPI
connection. On SQLite, where one process writes one commit at a time anyway
(store/db.py), the writer keeps a connection of its own out of the pool:
checking one out and back in (with the pool's rollback on return) cost as
much as the commit. On PostgreSQL commits run on several threads at once,
each on a pooled connection.

    writer = OpLogWriter(engine)
    writer.commit(board_id, expected_seq, ops)   # SeqConflict / DuplicateCid as before
    writer.close()                               # its own connection, if it has one

Commits that also change the board's own fields (the frame) are rare and go
through repository.commit's Core path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import orjson
from sqlalchemy import BindParameter, ColumnElement, Engine, bindparam, insert, update
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from app.hub.ports import DuplicateCid, SeqConflict, StoredOp
from app.store import db
from app.store.tables import BoardRow, OpRow, utcnow

_boards = BoardRow.__table__  # type: ignore[attr-defined]
_ops = OpRow.__table__  # type: ignore[attr-defined]


# SQLite: the writer's commits between checkpoints. About 5 pages each, so near SQLite's
# own default of a checkpoint per 1,000 pages of log.
CHECKPOINT_EVERY = 200


# The parameters that take the commit's timestamp, in each statement.
_NOW_MOVE, _NOW_ROW = frozenset({"b_at"}), frozenset({"created_at"})


def moves_board_seq(dialect: Dialect) -> bool:
    """Whether an op log commit also moves the board row's seq, and checks it on the way.

    On PostgreSQL it does: several processes commit to one board, and one that lost
    the race too often locks the board's row to commit (repository.commit_exclusive).
    On SQLite the log's primary key (board, seq) orders the board alone: a stale room's
    first op takes a seq already stored, which is a conflict all the same. The row's
    seq then moves only with the board's own fields, and the board's seq is the larger
    of it and the log's last (repository.load_board). That is one statement and one
    b-tree page less for every commit.
    """
    return dialect.name != "sqlite"


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


class _Broken(Exception):
    """A connection that could not even roll back: it is not to be used again."""


class _Statement:
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _typed(name: str, column: ColumnElement[Any]) -> BindParameter[Any]:
    """A parameter converted as `column` converts its values."""
    return bindparam(name, type_=column.type)


class OpLogWriter:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._held: Any = None  # SQLite: the writer's own DBAPI connection, once opened
        # An in-memory SQLite database lives in its one pooled connection: keep to the pool.
        self._holds = engine.dialect.name == "sqlite" and engine.url.database not in (
            None, "", ":memory:",
        )  # fmt: skip
        self.commits_since_checkpoint = 0
        self._checkpoint_queued = False
        # This writer's commits, ever (the checkpoint resets the count above whenever it gets
        # to run): every CHECKPOINT_EVERY of them the log's size is checked.
        self._commits = 0
        self._truncate_pending = False
        self._wal = Path(f"{engine.url.database}-wal") if self._holds else None
        dialect = engine.dialect
        self._integrity_error: type[Exception] = dialect.loaded_dbapi.IntegrityError
        self._move = (
            None
            if not moves_board_seq(dialect)
            else _Statement(
                update(_boards)
                .where(_boards.c.id == _typed("b_id", _boards.c.id))
                .where(_boards.c.seq == _typed("b_expected", _boards.c.seq))
                .values(
                    seq=_typed("b_seq", _boards.c.seq),
                    updated_at=_typed("b_at", _boards.c.updated_at),
                ),
                dialect,
            )
        )
        self._insert = _Statement(insert(_ops), dialect)  # a parameter per column, by its name
        self._snapshot = _Statement(
            update(_boards)
            .where(_boards.c.id == _typed("s_id", _boards.c.id))
            .where(_boards.c.snapshot_seq < _typed("s_seq", _boards.c.snapshot_seq))
            .values(
                snapshot=_typed("s_data", _boards.c.snapshot),
                snapshot_seq=_typed("s_seq", _boards.c.snapshot_seq),
            ),
            dialect,
        )
        self._stamps = Stamps(dialect)

    def parameters(
        self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]
    ) -> tuple[Any, list[Any]]:
        """What the statements take: the seq's move (None on SQLite), and a row per op."""
        if not ops or ops[0].seq != expected_seq + 1:
            raise ValueError(f"ops must follow on from seq {expected_seq}")
        # One timestamp for the board's row and every op's, converted once.
        now = self._stamps.text(utcnow())
        move = (
            None
            if self._move is None
            else self._move.parameters(
                {"b_id": board_id, "b_expected": expected_seq, "b_seq": ops[-1].seq, "b_at": now},
                _NOW_MOVE,
            )
        )
        rows = [
            self._insert.parameters(
                {
                    "board_id": board_id,
                    "seq": op.seq,
                    "cid": op.cid,
                    "author": op.author,
                    "entry": orjson.dumps(op.entry).decode(),
                    "created_at": now,
                },  # fmt: skip
                _NOW_ROW,
            )
            for op in ops
        ]
        return move, rows

    def commit(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> None:
        """One transaction: the ops, after expected_seq (SeqConflict if it is not the last)."""
        move, rows = self.parameters(board_id, expected_seq, ops)
        if self._holds:
            self._commit_held(board_id, move, rows)
            return
        connection = self._engine.raw_connection()
        try:
            self._transaction(connection, board_id, move, rows)
        finally:
            connection.close()  # back to the pool

    def snapshot(self, board_id: str, seq: int, data: str) -> None:
        """Store the board as of `seq` (its JSON text), unless a later snapshot is there.

        One UPDATE of the board's row, on the writer's own connection where it has
        one: short enough for the event loop, like a commit. Through Core on the
        database thread it held SQLite's file and the GIL for milliseconds, and
        every board's commits waited behind it (W4's p99, once per snapshot).
        """
        values = self._snapshot.parameters({"s_id": board_id, "s_seq": seq, "s_data": data})
        if self._holds:
            self._statement_held(self._snapshot.sql, values)
            return
        connection = self._engine.raw_connection()
        try:
            self._execute(connection, self._snapshot.sql, values)
        finally:
            connection.close()

    def _statement_held(self, sql: str, values: Any) -> None:
        held = self._hold()
        try:
            self._execute(held, sql, values)
        except _Broken:
            self.close()
            raise

    @staticmethod
    def _execute(connection: Any, sql: str, values: Any) -> None:
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, values)
            finally:
                cursor.close()
            connection.commit()
        except BaseException as err:
            try:
                connection.rollback()
            except Exception as broken:
                raise _Broken(str(broken)) from err
            raise

    def _hold(self) -> Any:
        """SQLite: the writer's own connection, opened on first use."""
        if self._held is None:
            pooled = self._engine.raw_connection()
            held: Any = pooled.driver_connection
            pooled.detach()  # ours from now on: no checkout, no rollback on return
            # Its commits may run on the event loop: a checkpoint's fsyncs must not (see
            # `checkpoint`, which the store runs on its thread every CHECKPOINT_EVERY commits).
            held.execute("PRAGMA wal_autocheckpoint=0")
            self._held = held
        return self._held

    def _commit_held(self, board_id: str, move: Any, rows: list[Any]) -> None:
        held = self._hold()
        try:
            self._transaction(held, board_id, move, rows)
        except _Broken:  # the next commit opens another connection
            self.close()
            raise
        self.commits_since_checkpoint += 1
        self._commits += 1
        if self._truncate_pending or self._commits % CHECKPOINT_EVERY == 0:
            self._bound_wal(held)

    def _bound_wal(self, held: Any) -> None:
        """Past db.WAL_LIMIT_BYTES, copy the whole log back and truncate it, on the writer.

        Under writes that never pause a passive checkpoint never finishes, so the log
        never restarts (a sustained load left 1.5 GB). A TRUNCATE checkpoint from another
        connection starves behind the writer; here, between two of its own commits, it
        finishes at once. Its fsyncs then hold this commit a few milliseconds, once per
        WAL_LIMIT_BYTES of log at most.
        """
        if self._wal is None or _size(self._wal) <= db.WAL_LIMIT_BYTES:
            self._truncate_pending = False
            return
        busy, _, _ = held.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        # Busy: the checkpoint thread was at work (SQLite does not wait for another
        # checkpoint). Try again after the next commit rather than CHECKPOINT_EVERY later.
        self._truncate_pending = bool(busy)

    def _transaction(self, connection: Any, board_id: str, move: Any, rows: list[Any]) -> None:
        """Both statements on `connection`, committed; rolled back on any failure."""
        try:
            cursor = connection.cursor()
            try:
                self._run(cursor, board_id, move, rows)
            finally:
                cursor.close()
            connection.commit()
        except BaseException as err:
            try:
                connection.rollback()
            except Exception as broken:
                raise _Broken(str(broken)) from err
            self._raise(err, board_id)

    def _run(self, cursor: Any, board_id: str, move: Any, rows: list[Any]) -> None:
        if self._move is not None:
            cursor.execute(self._move.sql, move)
            if cursor.rowcount != 1:
                raise SeqConflict(board_id)
        if len(rows) == 1:
            cursor.execute(self._insert.sql, rows[0])
        else:
            cursor.executemany(self._insert.sql, rows)

    def _raise(self, err: BaseException, board_id: str) -> NoReturn:
        if isinstance(err, self._integrity_error):
            raise conflict(err, board_id) from err
        raise err

    @property
    def checkpoint_due(self) -> bool:
        """Time for a checkpoint, and none is queued yet (a queue of them would each
        reset the count, and hold the checkpoint lock that `_bound_wal` needs)."""
        return self.commits_since_checkpoint >= CHECKPOINT_EVERY and not self._checkpoint_queued

    def checkpoint_queued(self) -> None:
        self._checkpoint_queued = True

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, as far as readers allow.

        PASSIVE: it waits for no one, and commits go on meanwhile. Its two fsyncs are
        why it runs here (a database thread) and not within a commit on the event loop.
        Under a write load that never pauses it never catches up, and the log only
        grows: `_bound_wal` then truncates it, between two commits.
        """
        self.commits_since_checkpoint = 0
        try:
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._checkpoint_queued = False

    def close(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):
                held.close()
