"""Rows to domain objects and back: boards, capability links, loading a board.

The functions here are blocking (SQLAlchemy Core on a sync engine); the room
reaches them through `SqlBoardStore`, which runs them on the database thread.
The op log itself is one class per database (store/oplog_sqlite.py,
store/oplog_postgres.py); `SqlBoardStore` picks one when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, insert, select, update

from app.domain.elements import FRAME_FIELDS, FRAME_NUMBERS, SESSION_FIELDS, Board
from app.domain.replay import replay
from app.domain.serialize import board_from_json
from app.hub.ports import LoadedBoard, Planner, StoredOp
from app.store.db import Database
from app.store.oplog import OpLog, op_rows, read_tail
from app.store.oplog_postgres import PostgresOpLog
from app.store.oplog_sqlite import SqliteOpLog
from app.store.tables import BoardRow, LinkRow, OpRow, utcnow

ROLES = ("facilitator", "participant", "viewer")
# 24 random bytes = 192 bits per link token: unguessable, and short enough for a URL.
TOKEN_BYTES = 24

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
    # The row's seq is the first ops' last: what either op log's commit would have made it.
    seq = first_ops[-1].seq if first_ops else 0
    row = BoardRow(id=board_id, seq=seq, **frame).model_dump()
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
            conn.execute(insert(_ops), op_rows(board_id, first_ops, utcnow()))
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
        # One new link at a time per board (PostgreSQL; SQLite has one writer anyway): two
        # at one moment each revoked only the links it saw, and both new ones stayed open.
        conn.execute(select(_boards.c.id).where(_boards.c.id == board_id).with_for_update())
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
        tail = read_tail(conn, board_id, row.snapshot_seq)
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
    seq = max(row.seq, tail.last_seq)
    return LoadedBoard(replay(base, tail.entries), seq, tail.cids, tail.recent)


class SqlBoardStore:
    """The room's BoardStore on SQLite or PostgreSQL.

    The op log is one class per database, chosen here once; every op-log call is
    handed to it. Loads and link checks run on the database thread(s).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.oplog: OpLog = SqliteOpLog(db) if db.is_sqlite else PostgresOpLog(db)

    async def open(self) -> None:
        await self.oplog.open()

    async def load(self, board_id: str) -> LoadedBoard | None:
        return await self.db.run(load_board, self.db.engine, board_id)

    async def close(self) -> None:
        """Close the op log's own connections (before the database itself)."""
        await self.oplog.close()

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        await self.oplog.commit(board_id, expected_seq, ops, frame)

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        return self.oplog.commit_now(board_id, expected_seq, ops, frame)

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        return await self.oplog.commit_exclusive(board_id, expected_seq, plan)

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        return await self.oplog.ops_since(board_id, since, limit)

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        return await self.oplog.find_cids(board_id, cids)

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None:
        await self.oplog.snapshot(board_id, seq, board)

    async def revoked(self, links: Sequence[str]) -> set[str]:
        return await self.db.run(revoked_among, self.db.engine, links)

    async def exists(self, board_id: str) -> bool:
        return await self.db.run(board_exists, self.db.engine, board_id)
