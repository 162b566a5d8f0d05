"""Database rows. Domain objects are mapped to and from these in repository.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class BoardRow(SQLModel, table=True):
    """One map. `seq`: on PostgreSQL the last operation committed, moved by every commit;
    on SQLite as of the last change of the board's own fields, the op log's last being
    the board's (store/oplog_sqlite.py)."""

    __tablename__ = "boards"

    id: str = Field(primary_key=True, max_length=32)
    title: str = Field(default="", max_length=200)
    scope: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    customer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    trigger: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    delivery: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    hours_per_day: float = 8.0
    days_per_week: float = 5.0
    state: str = Field(default="mapping", max_length=16)
    # The live session (see Board): editing locked, a countdown running.
    locked: bool = False
    timer_ends_at: str | None = Field(default=None, max_length=32)
    timer_label: str = Field(default="", max_length=80)
    presenter: str = Field(default="", max_length=64)
    # A future-state map names the current-state board it was started from.
    future_of: str | None = Field(default=None, max_length=32)
    # Customer demand, items per working day; NULL when the map has none (migration 0008).
    demand_per_day: float | None = None
    # The event log's measured summary (JSON, domain/measured.py) or NULL, and which figures
    # the metrics use: "estimates" or "measured" (migration 0009).
    measured: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    figures_from: str = Field(default="estimates", max_length=16)
    # The teams steps may name as owner ([{id, name, color}], JSON text) and whether lanes
    # are drawn (migration 0010).
    teams: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    swimlanes: bool = False
    seq: int = 0
    # The whole board as JSON at snapshot_seq; later operations replay on top.
    snapshot: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    snapshot_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class LinkRow(SQLModel, table=True):
    """A capability link: the SHA-256 of its token, never the token itself."""

    __tablename__ = "links"

    token_hash: str = Field(primary_key=True, max_length=64)
    board_id: str = Field(foreign_key="boards.id", index=True, max_length=32)
    role: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class OpRow(SQLModel, table=True):
    """One accepted operation: the board's history, for catch-up and replay."""

    __tablename__ = "ops"
    # SQLite: without rowid, the primary key is the table (one b-tree, not two), so each
    # commit writes a page less (migration 0005).
    __table_args__ = (
        UniqueConstraint("board_id", "cid", name="uq_ops_board_cid"),
        {"sqlite_with_rowid": False},
    )

    board_id: str = Field(foreign_key="boards.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    cid: str | None = Field(default=None, max_length=64)
    author: str = Field(default="", max_length=64)
    entry: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class VersionRow(SQLModel, table=True):
    """A published version: the board and its metrics frozen as JSON, never changed after."""

    __tablename__ = "versions"

    board_id: str = Field(foreign_key="boards.id", primary_key=True, max_length=32)
    number: int = Field(primary_key=True)
    label: str = Field(default="", max_length=200)
    # The board's seq when it was frozen: which operations the version holds.
    seq: int = 0
    board: str = Field(sa_column=Column(Text, nullable=False))
    metrics: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ValidationRow(SQLModel, table=True):
    """A request to validate one version. Its link opens only this, never the live board."""

    __tablename__ = "validations"
    __table_args__ = (UniqueConstraint("board_id", "number", name="uq_validations_version"),)

    id: str = Field(primary_key=True, max_length=32)
    board_id: str = Field(foreign_key="boards.id", index=True, max_length=32)
    number: int
    # The SHA-256 of the link's token, as for board links; a new invitation replaces it.
    token_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class ValidatorRow(SQLModel, table=True):
    """One invited participant of a validation request, and when they signed off."""

    __tablename__ = "validators"

    validation_id: str = Field(foreign_key="validations.id", primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=60)
    position: int = 0
    signed_at: datetime | None = None
    # The SHA-256 of this person's own link's token: it answers as them and nobody else.
    token_hash: str | None = Field(default=None, unique=True, index=True, max_length=64)


class VerdictRow(SQLModel, table=True):
    """A participant's verdict on one step of the version: agree, or dispute with a comment."""

    __tablename__ = "verdicts"

    validation_id: str = Field(foreign_key="validations.id", primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=60)
    step_id: str = Field(primary_key=True, max_length=64)
    verdict: str = Field(max_length=16)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The figure they believe instead (minutes, or percent for pca), and as they typed it.
    field: str | None = Field(default=None, max_length=32)
    proposed: float | None = None
    figure: str = Field(default="", max_length=60)
    updated_at: datetime = Field(default_factory=utcnow)


class DeletedLinkRow(SQLModel, table=True):
    """The SHA-256 of a link of a deleted board: all that is kept of it, so the link can say
    "deleted" (404) instead of "wrong" and is not counted as a guess."""

    __tablename__ = "deleted_links"

    token_hash: str = Field(primary_key=True, max_length=64)
    deleted_at: datetime = Field(default_factory=utcnow)
