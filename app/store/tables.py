"""Database rows. Domain objects are mapped to and from these in repository.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class BoardRow(SQLModel, table=True):
    """One map. `seq` is the board's order: the last operation committed."""

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
    __table_args__ = (UniqueConstraint("board_id", "cid", name="uq_ops_board_cid"),)

    board_id: str = Field(foreign_key="boards.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    cid: str | None = Field(default=None, max_length=64)
    author: str = Field(default="", max_length=64)
    entry: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
