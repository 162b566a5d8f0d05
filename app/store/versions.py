"""Published versions, in the database: written once, never changed.

Their validation requests, links and verdicts are store/validations.py's. The
functions here block (SQLAlchemy Core on a sync engine): call them through
`Database.run`.

    number = publish(engine, "b1", label="Agreed", seq=42, board=..., metrics=...).number
    load_version(engine, "b1", number).board
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.actor import utc_stamp
from app.store.tables import BoardRow, VersionRow, utcnow

_versions = VersionRow.__table__  # type: ignore[attr-defined]
_boards = BoardRow.__table__  # type: ignore[attr-defined]

# Publishes of one board take their numbers in turn (publish locks the board's row), so
# the unique (board, number) key is never lost; a retry is left for a database whose
# lock does not hold (SQLite ignores FOR UPDATE, and has one writer at a time anyway).
PUBLISH_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class VersionInfo:
    number: int
    label: str
    created_at: str
    seq: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "created_at": self.created_at,
            "seq": self.seq,
        }


@dataclass(frozen=True, slots=True)
class StoredVersion:
    info: VersionInfo
    board: dict[str, Any]
    metrics: dict[str, Any]


def _info(row: Any) -> VersionInfo:
    return VersionInfo(row.number, row.label, utc_stamp(row.created_at), row.seq)


def publish(
    engine: Engine,
    board_id: str,
    *,
    label: str,
    seq: int,
    board: dict[str, Any],
    metrics: dict[str, Any],
) -> VersionInfo:
    """Store the next numbered version of the board (1, 2, ...); a blank label says its number."""
    for attempt in range(PUBLISH_ATTEMPTS):
        try:
            with engine.begin() as conn:
                # Without the lock, publishes at one moment all read the same latest
                # number on PostgreSQL, and all but one lost the key: of 40, 22 were 500s.
                conn.execute(select(_boards.c.id).where(_boards.c.id == board_id).with_for_update())
                number = (latest_in(conn, board_id) or 0) + 1
                named, now = label.strip() or f"Version {number}", utcnow()
                conn.execute(
                    insert(_versions).values(
                        board_id=board_id, number=number, label=named, seq=seq,
                        board=orjson.dumps(board).decode(),
                        metrics=orjson.dumps(metrics).decode(), created_at=now,
                    )
                )  # fmt: skip
            return VersionInfo(number, named, utc_stamp(now), seq)
        except IntegrityError:
            if attempt == PUBLISH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def latest_in(conn: Connection, board_id: str) -> int | None:
    found: int | None = conn.execute(
        select(func.max(_versions.c.number)).where(_versions.c.board_id == board_id)
    ).scalar()
    return found


def latest_number(engine: Engine, board_id: str) -> int | None:
    with engine.connect() as conn:
        return latest_in(conn, board_id)


def list_versions(engine: Engine, board_id: str) -> list[VersionInfo]:
    """The board's versions, oldest first, without their (large) contents."""
    columns = (_versions.c.number, _versions.c.label, _versions.c.created_at, _versions.c.seq)
    with engine.connect() as conn:
        rows = conn.execute(
            select(*columns).where(_versions.c.board_id == board_id).order_by(_versions.c.number)
        ).all()
    return [_info(r) for r in rows]


def load_version(engine: Engine, board_id: str, number: int) -> StoredVersion | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(_versions).where(_versions.c.board_id == board_id, _versions.c.number == number)
        ).first()
    if row is None:
        return None
    return StoredVersion(_info(row), orjson.loads(row.board), orjson.loads(row.metrics))
