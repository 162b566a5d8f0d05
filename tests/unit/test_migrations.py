"""The Alembic migrations build exactly the tables the code declares, and apply on old data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import app.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from app.store.db import _migrations_dir, migrate
from app.store.repository import load_board


def test_migrating_an_empty_database_gives_the_declared_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"tables and migrations differ: {diff}"


OLD_BOARD = (
    "INSERT INTO boards (id, title, scope, customer, trigger, delivery, owner, hours_per_day, "
    "days_per_week, state, seq, snapshot_seq, created_at, updated_at) VALUES ('b1', 'Old', '', "
    "'', '', '', '', 8, 5, 'mapping', :seq, 0, '2026-01-01', '2026-01-01')"
)


def _alembic(engine: Engine, verb: str, revision: str, *then: tuple[str, dict[str, Any]]) -> None:
    """Upgrade or downgrade to `revision`, then run `then` (SQL and parameters) there."""
    config = Config()
    config.set_main_option("script_location", str(_migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, verb)(config, revision)
        for sql, params in then:
            conn.execute(text(sql), params)


def test_a_board_from_before_the_session_state_reads_as_unlocked_with_no_timer(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _alembic(engine, "upgrade", "0001", (OLD_BOARD, {"seq": 0}))
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT locked, timer_ends_at, timer_label, presenter FROM boards")
        ).one()
    assert tuple(row) == (0, None, "", "")


def test_the_op_log_moves_into_a_table_without_rowid_keeping_every_operation(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")

    def ops_table() -> tuple[str, list[tuple[object, ...]]]:
        with engine.connect() as conn:
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ops'")).scalar()
            rows = conn.execute(text("SELECT board_id, seq, cid, entry FROM ops")).all()
        return str(sql), [tuple(r) for r in rows]

    insert_op = "INSERT INTO ops VALUES ('b1', :seq, :cid, 'Ada', '{}', '2026-01-01')"
    _alembic(
        engine, "upgrade", "0004", (OLD_BOARD, {"seq": 2}),
        (insert_op, {"seq": 2, "cid": "c2"}), (insert_op, {"seq": 1, "cid": "c1"}),
    )  # fmt: skip
    sql, before = ops_table()
    assert "WITHOUT ROWID" not in sql
    migrate(engine)
    sql, after = ops_table()
    assert "WITHOUT ROWID" in sql
    assert after == sorted(before), "every operation, now in (board, seq) order"
    with engine.begin() as conn:  # the constraints came along
        with pytest.raises(IntegrityError):
            conn.execute(text("INSERT INTO ops VALUES ('b1', 3, 'c1', 'Ada', '{}', '2026')"))
    _alembic(engine, "downgrade", "0004")
    sql, down = ops_table()
    assert "WITHOUT ROWID" not in sql and sorted(down) == after


def test_a_board_from_before_customer_demand_reads_as_having_none_and_can_be_given_one(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _alembic(engine, "upgrade", "0007", (OLD_BOARD, {"seq": 0}))
    migrate(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT demand_per_day FROM boards")).scalar() is None
        conn.execute(text("UPDATE boards SET demand_per_day = 2.5"))
        assert conn.execute(text("SELECT demand_per_day FROM boards")).scalar() == 2.5


def test_a_board_from_before_measured_flow_has_no_measurements_and_uses_its_estimates(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _alembic(engine, "upgrade", "0008", (OLD_BOARD, {"seq": 0}))
    migrate(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT measured, figures_from FROM boards")).one()
        assert tuple(row) == (None, "estimates")
    _alembic(engine, "downgrade", "0008")


def test_a_board_from_before_teams_has_none_and_no_lanes_and_can_be_given_some(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _alembic(engine, "upgrade", "0009", (OLD_BOARD, {"seq": 0}))
    migrate(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT teams, swimlanes FROM boards")).one()
        assert tuple(row) == ("[]", 0)
        teams = '[{"id": "t-dev", "name": "Development", "color": "blue"}]'
        conn.execute(text("UPDATE boards SET teams = :t, swimlanes = 1"), {"t": teams})
    loaded = load_board(engine, "b1")
    assert loaded is not None
    assert [t.name for t in loaded.board.teams] == ["Development"]
    assert loaded.board.swimlanes is True
    _alembic(engine, "downgrade", "0009")
