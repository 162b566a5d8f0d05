"""The op log on SQLite: every statement the SQLite store runs for the log.

Nearly every batch a room commits is one INSERT: the log's primary key (board,
seq) orders the board alone, so a stale room's first op takes a seq already
stored, which is a conflict all the same. The board row's seq then moves only
with the board's own fields (a frame commit), and the board's seq is the larger
of it and the log's last (repository.load_board): one statement and one b-tree
page less for every commit.

That INSERT is compiled once (store/oplog.py's `Statement`) and run on the
driver's own cursor, on a connection the log keeps out of the pool: one process
writes one commit at a time anyway (store/db.py), and checking one out and back
in (with the pool's rollback on return) cost as much as the commit. In WAL mode
with synchronous=NORMAL it may run on the event loop itself (`quickly`,
`commit_now`): this class alone decides where its work runs. Frame commits, the
locked commit after lost races, reads of the log and cids go through Core on the
database thread: they are rare, or not on a session's path.

    log = SqliteOpLog(database)
    await log.commit(board_id, expected_seq, ops, None)   # SeqConflict / DuplicateCid
    await log.close()                                     # its own connection

The module is over 300 lines because the held connection, its WAL bound and the
checkpoints are one piece: each exists for the others' sake.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import orjson
from sqlalchemy import Connection, insert, update
from sqlalchemy.exc import IntegrityError

from app.domain.elements import Board
from app.domain.serialize import board_to_json
from app.hub.ports import Planner, StoredOp
from app.store import db
from app.store.db import Database
from app.store.oplog import (
    Broken,
    Stamps,
    Statement,
    cids_among,
    conflict,
    entries_after,
    op_rows,
    typed,
)
from app.store.tables import BoardRow, OpRow, utcnow

T = TypeVar("T")
_boards = BoardRow.__table__  # type: ignore[attr-defined]
_ops = OpRow.__table__  # type: ignore[attr-defined]

# The writer's commits between checkpoints (about 5 pages of log each, ~20 MB in all).
# A checkpoint copies each page once however many commits changed it, so fewer of them
# copy fewer pages: at 1,000 a commit on 50 busy boards cost ~10 % less CPU (all threads)
# than at SQLite's own default of 1,000 pages (200 commits); 2,000 ~20 % less, for a log
# twice the size (bench, 2026-12-04).
CHECKPOINT_EVERY = 1000

# The parameter that takes the commit's timestamp, converted once for all rows.
_NOW_ROW = frozenset({"created_at"})
# SQLite synchronous settings under which a WAL commit does not wait for the disk.
QUICK_SYNC = ("NORMAL", "OFF")


class SqliteOpLog:
    def __init__(self, database: Database) -> None:
        self.db = database
        engine = self._engine = database.engine
        self._held: Any = None  # the log's own DBAPI connection, once opened
        # In WAL mode with synchronous=NORMAL (or OFF) a commit writes to the log and
        # does not wait for the disk, so it may run on the event loop itself.
        self._on_loop = database.sqlite_synchronous in QUICK_SYNC
        # An in-memory SQLite database lives in its one pooled connection: keep to the pool.
        self._holds = engine.url.database not in (None, "", ":memory:")
        self.commits_since_checkpoint = 0
        self._checkpoint_queued = False
        # This log's commits, ever (the checkpoint resets the count above whenever it gets
        # to run): every CHECKPOINT_EVERY of them the log's size is checked.
        self._commits = 0
        self._truncate_pending = False
        self._wal = Path(f"{engine.url.database}-wal") if self._holds else None
        dialect = engine.dialect
        self._integrity_error: type[Exception] = dialect.loaded_dbapi.IntegrityError
        self._insert = Statement(insert(_ops), dialect)  # a parameter per column, by its name
        self._snapshot = Statement(
            update(_boards)
            .where(_boards.c.id == typed("s_id", _boards.c.id))
            .where(_boards.c.snapshot_seq < typed("s_seq", _boards.c.snapshot_seq))
            .values(
                snapshot=typed("s_data", _boards.c.snapshot),
                snapshot_seq=typed("s_seq", _boards.c.snapshot_seq),
            ),
            dialect,
        )
        self._stamps = Stamps(dialect)

    # The BoardStore calls (see app/hub/ports.py).

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        """Close the log's own connection, on the database thread: no commit in flight."""
        await self.db.run(self.close_held)

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        if frame is None:  # nearly every batch: the compiled path
            await self.quickly(self.commit_quick, board_id, expected_seq, ops)
            self._checkpoint_if_due()
        else:
            await self.quickly(self.commit_frame, board_id, expected_seq, ops, frame)

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        if frame is not None:  # rare: the Core path, on the thread
            return False
        if not self._here(self.commit_quick, board_id, expected_seq, ops):
            return False
        self._checkpoint_if_due()
        return True

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        return await self.db.run(self.commit_locked, board_id, expected_seq, plan)

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        return await self.db.run(self.read_since, board_id, since, limit)

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        return await self.db.run(self.read_cids, board_id, cids)

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None:
        """The board as of `seq`: encoded here, stored as quickly as a commit is."""
        data = orjson.dumps(board_to_json(board)).decode()
        await self.quickly(self.store_snapshot, board_id, seq, data)

    # Where the work runs.

    async def quickly(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a short write (a commit of one batch) where it costs least.

        When nothing else in this process is using the file, right here on the event
        loop: the hand-off to the database thread and back costs about as much CPU as
        the commit itself (405 µs against 196 µs measured for one op). Anything else in
        progress, or a configuration that flushes on commit, and it goes to the thread.
        """
        if self._on_loop and self.db.file_lock.acquire(blocking=False):
            try:
                return fn(*args)
            finally:
                self.db.file_lock.release()
        return await self.db.run(fn, *args)

    def _here(self, fn: Callable[..., None], *args: Any) -> bool:
        """Run `fn` here and now, as `quickly` would; False (and nothing run) when it
        would have to go to the database thread."""
        if not (self._on_loop and self.db.file_lock.acquire(blocking=False)):
            return False
        try:
            fn(*args)
        finally:
            self.db.file_lock.release()
        return True

    # The blocking work, on the loop (`quickly`) or the database thread.

    def parameters(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> list[Any]:
        """What the INSERT takes: a row per op."""
        if not ops or ops[0].seq != expected_seq + 1:
            raise ValueError(f"ops must follow on from seq {expected_seq}")
        # One timestamp for every op's row, converted once.
        now = self._stamps.text(utcnow())
        return [self._insert.parameters(row, _NOW_ROW) for row in op_rows(board_id, ops, now)]

    def commit_quick(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> None:
        """One transaction: the ops, after expected_seq (SeqConflict if it is not the last)."""
        rows = self.parameters(board_id, expected_seq, ops)
        if self._holds:
            self._commit_held(board_id, rows)
            return
        connection = self._engine.raw_connection()
        try:
            self._transaction(connection, board_id, rows)
        finally:
            connection.close()  # back to the pool

    def commit_frame(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any],
    ) -> None:
        """One transaction: the ops and the board's own fields (the row's seq moves too)."""
        try:
            with self._engine.begin() as conn:
                self._write(conn, board_id, ops, frame)
        except IntegrityError as err:
            raise conflict(err, board_id) from err

    def commit_locked(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        """Let `plan` see what was committed after expected_seq, store its ops.

        On the database thread, holding the process's lock on the file: nobody in
        this process commits in between. Returns the entries `plan` was shown.
        """
        try:
            with self._engine.begin() as conn:
                missed = entries_after(conn, board_id, expected_seq)
                ops, frame = plan(missed)
                if ops:
                    self._write(conn, board_id, ops, frame)
        except IntegrityError as err:
            raise conflict(err, board_id) from err
        return missed

    def read_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            return entries_after(conn, board_id, since, limit)

    def read_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        with self._engine.connect() as conn:
            return cids_among(conn, board_id, cids)

    def store_snapshot(self, board_id: str, seq: int, data: str) -> None:
        """Store the board as of `seq` (its JSON text), unless a later snapshot is there.

        One UPDATE of the board's row, on the log's own connection where it has
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

    @staticmethod
    def _write(
        conn: Connection, board_id: str, ops: Sequence[StoredOp], frame: dict[str, Any] | None
    ) -> None:
        now = utcnow()
        if frame:  # the log's primary key orders the board; the row has the frame
            values = {"seq": ops[-1].seq, "updated_at": now} | frame
            conn.execute(update(_boards).where(_boards.c.id == board_id).values(**values))
        conn.execute(insert(_ops), op_rows(board_id, ops, now))

    def _statement_held(self, sql: str, values: Any) -> None:
        held = self._hold()
        try:
            self._execute(held, sql, values)
        except Broken:
            self.close_held()
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
                raise Broken(str(broken)) from err
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

    def _commit_held(self, board_id: str, rows: list[Any]) -> None:
        held = self._hold()
        try:
            self._transaction(held, board_id, rows)
        except Broken:  # the next commit opens another connection
            self.close_held()
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

    def _transaction(self, connection: Any, board_id: str, rows: list[Any]) -> None:
        """The INSERT on `connection`, committed; rolled back on any failure."""
        try:
            cursor = connection.cursor()
            try:
                self._run(cursor, rows)
            finally:
                cursor.close()
            connection.commit()
        except BaseException as err:
            try:
                connection.rollback()
            except Exception as broken:
                raise Broken(str(broken)) from err
            self._raise(err, board_id)

    def _run(self, cursor: Any, rows: list[Any]) -> None:
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
        """Copy the write-ahead log into the database file; past db.WAL_RESTART_BYTES,
        all of it, so the log starts over.

        PASSIVE: it waits for no one, and commits go on meanwhile. Its two fsyncs are
        why it runs here (a database thread) and not within a commit on the event loop.
        SQLite writes the log from its start again only once a checkpoint has copied
        all of it, and the commits made while this one ran were never copied: under
        steady writes the log only grew (W3: 6 MB a second, every page of it new to
        the kernel, which zeroes it). So once the log is past the bound, a second pass
        copies what they added with the process's file lock held: the few commits
        that arrive meanwhile wait on the database thread, and the next commit starts
        the log over, in pages the file already has. Under writes that never pause
        even that may not catch up, and `_bound_wal` truncates the log.
        """
        self.commits_since_checkpoint = 0
        try:
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
                if self._wal is not None and _size(self._wal) > db.WAL_RESTART_BYTES:
                    with self.db.file_lock:
                        connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
        finally:
            self._checkpoint_queued = False

    def close_held(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):
                held.close()

    def _checkpoint_if_due(self) -> None:
        if self.checkpoint_due:
            self.checkpoint_queued()
            self.db.run_beside(self.checkpoint)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
