"""Rows to domain objects and back: boards, capability links, the op log, snapshots.

The functions here are blocking (SQLAlchemy Core on a sync engine); the room
reaches them through `SqlBoardStore`, which runs them on the database thread.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.elements import FRAME_FIELDS, FRAME_NUMBERS, SESSION_FIELDS, Board
from app.domain.replay import replay
from app.domain.serialize import board_from_json, board_to_json
from app.hub.ports import LoadedBoard, Planner, SeqConflict, StoredOp
from app.store.db import POSTGRES_THREADS, Database
from app.store.oplog import OpLogWriter, conflict, moves_board_seq
from app.store.oplog_async import AsyncOpLog
from app.store.tables import BoardRow, LinkRow, OpRow, utcnow

ROLES = ("facilitator", "participant", "viewer")
# 24 random bytes = 192 bits per link token: unguessable, and short enough for a URL.
TOKEN_BYTES = 24
# How many recent operation ids a loaded room remembers for de-duplication;
# an older re-send is still caught by the log's unique (board, cid) index.
RECENT_CIDS = 5000
# Recent entries a loaded room keeps, so reconnecting clients catch up without a snapshot.
RECENT_ENTRIES = 1000

_boards = BoardRow.__table__  # type: ignore[attr-defined]
_links = LinkRow.__table__  # type: ignore[attr-defined]
_ops = OpRow.__table__  # type: ignore[attr-defined]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_board_id() -> str:
    # 48 random bits: ids only need not to collide; access needs a token, never the id.
    return secrets.token_hex(8)[:12]


@dataclass(frozen=True, slots=True)
class Link:
    board_id: str
    role: str
    # Which link (the SHA-256 of its token): its open sockets close when it is revoked.
    token_hash: str = ""


def create_board(
    engine: Engine, frame: dict[str, Any], first_ops: Sequence[StoredOp] = ()
) -> tuple[str, dict[str, str]]:
    """Create a board and its three links; returns the id and the raw tokens (shown once).

    `first_ops` (an import's or a seed's elements) are logged in the same transaction:
    a board is made whole or not at all.
    """
    board_id = new_board_id()
    tokens = {role: secrets.token_urlsafe(TOKEN_BYTES) for role in ROLES}
    row = BoardRow(id=board_id, **frame).model_dump()
    with engine.begin() as conn:
        conn.execute(insert(_boards).values(**row))
        conn.execute(
            insert(_links),
            [
                {
                    "token_hash": hash_token(t),
                    "board_id": board_id,
                    "role": r,
                    "created_at": utcnow(),
                }
                for r, t in tokens.items()
            ],
        )
        if first_ops:
            _write_ops(conn, board_id, 0, first_ops, None)
    return board_id, tokens


def find_link(engine: Engine, token: str) -> Link | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(_links.c.board_id, _links.c.role, _links.c.token_hash).where(
                _links.c.token_hash == hash_token(token), _links.c.revoked_at.is_(None)
            )
        ).first()
    return Link(row.board_id, row.role, row.token_hash) if row else None


def rotate_link(engine: Engine, board_id: str, role: str) -> str:
    """Revoke the role's current link(s) and make a new one; returns the new raw token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            update(_links)
            .where(_links.c.board_id == board_id, _links.c.role == role,
                   _links.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )  # fmt: skip
        conn.execute(
            insert(_links).values(
                token_hash=hash_token(token), board_id=board_id, role=role, created_at=now
            )
        )
    return token


def revoked_among(engine: Engine, token_hashes: Sequence[str]) -> set[str]:
    """Which of these links have been revoked (or no longer exist)."""
    if not token_hashes:
        return set()
    with engine.connect() as conn:
        live = {
            h
            for (h,) in conn.execute(
                select(_links.c.token_hash).where(
                    _links.c.token_hash.in_(list(token_hashes)), _links.c.revoked_at.is_(None)
                )
            )
        }
    return set(token_hashes) - live


def board_exists(engine: Engine, board_id: str) -> bool:
    with engine.connect() as conn:
        found = conn.execute(select(_boards.c.id).where(_boards.c.id == board_id)).first()
    return found is not None


def load_board(engine: Engine, board_id: str) -> LoadedBoard | None:
    with engine.connect() as conn:
        row = conn.execute(select(_boards).where(_boards.c.id == board_id)).first()
        if row is None:
            return None
        entries = [
            orjson.loads(e)
            for (e,) in conn.execute(
                select(_ops.c.entry)
                .where(_ops.c.board_id == board_id, _ops.c.seq > row.snapshot_seq)
                .order_by(_ops.c.seq)
            )
        ]
        recent = [
            orjson.loads(e)
            for (e,) in conn.execute(
                select(_ops.c.entry)
                .where(_ops.c.board_id == board_id)
                .order_by(_ops.c.seq.desc())
                .limit(RECENT_ENTRIES)
            )
        ][::-1]
        cids = conn.execute(
            select(_ops.c.cid, _ops.c.seq)
            .where(_ops.c.board_id == board_id, _ops.c.cid.is_not(None))
            .order_by(_ops.c.seq.desc())
            .limit(RECENT_CIDS)
        ).all()
    frame = {name: getattr(row, name) for name in FRAME_FIELDS}
    frame |= {"id": row.id, "hours_per_day": row.hours_per_day, "days_per_week": row.days_per_week}
    frame["state"] = row.state
    frame |= {name: getattr(row, name) for name in SESSION_FIELDS}
    frame["future_of"] = row.future_of
    frame |= {name: getattr(row, name) for name in FRAME_NUMBERS}
    frame |= {"measured": row.measured, "figures_from": row.figures_from}
    frame |= {"teams": row.teams or [], "swimlanes": bool(row.swimlanes)}
    if row.snapshot:
        stored = orjson.loads(row.snapshot)
        base = board_from_json(stored["board"], stored["elements"])
    else:
        base = board_from_json(frame, [])
    # On SQLite the row's seq moves only with the frame: the log's last is the board's.
    seq = max(row.seq, recent[-1]["seq"] if recent else 0)
    return LoadedBoard(replay(base, entries), seq, {c: s for c, s in cids}, recent)


def commit(
    engine: Engine,
    board_id: str,
    expected_seq: int,
    ops: Sequence[StoredOp],
    frame: dict[str, Any] | None,
) -> None:
    """One transaction: log the ops after expected_seq (SeqConflict if that is not the
    board's last) and set the frame's fields; see oplog.moves_board_seq."""
    try:
        with engine.begin() as conn:
            _write_ops(conn, board_id, expected_seq, ops, frame)
    except IntegrityError as err:
        raise conflict(err, board_id) from err


def commit_exclusive(
    engine: Engine,
    board_id: str,
    expected_seq: int,
    plan: Planner,
) -> list[dict[str, Any]]:
    """Lock the board row, let `plan` see what was committed after expected_seq, store its ops.

    Nobody can commit in between, so this cannot lose the race (the row lock
    queues fairly); returns the entries `plan` was shown. See BoardStore.
    """
    try:
        with engine.begin() as conn:
            locked = select(_boards.c.seq).where(_boards.c.id == board_id).with_for_update()
            seq = conn.execute(locked).scalar_one()
            missed = [
                orjson.loads(e)
                for (e,) in conn.execute(
                    select(_ops.c.entry)
                    .where(_ops.c.board_id == board_id, _ops.c.seq > expected_seq)
                    .order_by(_ops.c.seq)
                )
            ]
            ops, frame = plan(missed)
            if ops:
                _write_ops(conn, board_id, seq, ops, frame)
    except IntegrityError as err:
        raise conflict(err, board_id) from err
    return missed


def _write_ops(
    conn: Connection,
    board_id: str,
    expected_seq: int,
    ops: Sequence[StoredOp],
    frame: dict[str, Any] | None,
) -> None:
    values: dict[str, Any] = {"seq": ops[-1].seq, "updated_at": utcnow()}
    if frame:
        values |= frame
    if moves_board_seq(conn.dialect):
        moved = conn.execute(
            update(_boards)
            .where(_boards.c.id == board_id, _boards.c.seq == expected_seq)
            .values(**values)
        )
        if moved.rowcount != 1:
            raise SeqConflict(board_id)
    elif frame:  # SQLite: the log's primary key orders the board; the row has the frame
        conn.execute(update(_boards).where(_boards.c.id == board_id).values(**values))
    conn.execute(
        insert(_ops),
        [
            {
                "board_id": board_id,
                "seq": op.seq,
                "cid": op.cid,
                "author": op.author,
                "entry": orjson.dumps(op.entry).decode(),
                "created_at": utcnow(),
            }
            for op in ops
        ],
    )


def ops_since(engine: Engine, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(_ops.c.entry)
            .where(_ops.c.board_id == board_id, _ops.c.seq > since)
            .order_by(_ops.c.seq)
            .limit(limit)
        )
        return [orjson.loads(e) for (e,) in rows]


def find_cids(engine: Engine, board_id: str, cids: Sequence[str]) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(_ops.c.cid, _ops.c.seq).where(_ops.c.board_id == board_id, _ops.c.cid.in_(cids))
        )
        return {c: s for c, s in rows}


class SqlBoardStore:
    """The room's BoardStore on SQLite or PostgreSQL, run on the database thread(s)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._oplog = OpLogWriter(db.engine)
        # PostgreSQL: the op log's commits go straight from the event loop (store/oplog_async.py).
        self._async_oplog = (
            None if db.is_sqlite else AsyncOpLog(db.engine.url, max_connections=POSTGRES_THREADS)
        )

    async def open(self) -> None:
        if self._async_oplog is not None:
            await self._async_oplog.open()

    async def load(self, board_id: str) -> LoadedBoard | None:
        return await self.db.run(load_board, self.db.engine, board_id)

    async def close(self) -> None:
        """Close the op log's own connections (before the database itself)."""
        if self._async_oplog is not None:
            await self._async_oplog.close()
        await self.db.run(self._oplog.close)  # on the database thread: no commit in flight

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        if frame is None and self._async_oplog is not None:
            await self._async_oplog.commit(board_id, expected_seq, ops)
        elif frame is None:  # nearly every batch: the op log's compiled path
            await self.db.run_quick(self._oplog.commit, board_id, expected_seq, ops)
            self._checkpoint_if_due()
        else:
            await self.db.run_quick(commit, self.db.engine, board_id, expected_seq, ops, frame)

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        if frame is not None:  # rare: the Core path, on the thread
            return False
        if not self.db.try_quick(self._oplog.commit, board_id, expected_seq, ops):
            return False
        self._checkpoint_if_due()
        return True

    def _checkpoint_if_due(self) -> None:
        if self._oplog.checkpoint_due:
            self._oplog.checkpoint_queued()
            self.db.run_beside(self._oplog.checkpoint)

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        return await self.db.run(commit_exclusive, self.db.engine, board_id, expected_seq, plan)

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        if self._async_oplog is not None:
            return await self._async_oplog.ops_since(board_id, since, limit)
        return await self.db.run(ops_since, self.db.engine, board_id, since, limit)

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        return await self.db.run(find_cids, self.db.engine, board_id, cids)

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None:
        """The board as of `seq`: encoded here, stored as quickly as a commit is."""
        data = orjson.dumps(board_to_json(board)).decode()
        await self.db.run_quick(self._oplog.snapshot, board_id, seq, data)

    async def revoked(self, links: Sequence[str]) -> set[str]:
        return await self.db.run(revoked_among, self.db.engine, links)

    async def exists(self, board_id: str) -> bool:
        return await self.db.run(board_exists, self.db.engine, board_id)
