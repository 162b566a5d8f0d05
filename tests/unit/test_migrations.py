"""The Alembic migrations build exactly the tables the code declares, and apply on old data."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import app.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from app.store.db import migrate


def test_migrating_an_empty_database_gives_the_declared_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"tables and migrations differ: {diff}"


def test_a_board_from_before_the_session_state_reads_as_unlocked_with_no_timer(
    tmp_path: Path,
) -> None:
    from alembic import command
    from alembic.config import Config

    from app.store.db import _migrations_dir

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(_migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("INSERT INTO boards (id, title, scope, customer, trigger, delivery, "
                          "owner, hours_per_day, days_per_week, state, seq, snapshot_seq, "
                          "created_at, updated_at) VALUES ('b1', 'Old', '', '', '', '', '', 8, 5, "
                          "'mapping', 0, 0, '2026-01-01', '2026-01-01')"))  # fmt: skip
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT locked, timer_ends_at, timer_label, presenter FROM boards")
        ).one()
    assert tuple(row) == (0, None, "", "")
