"""Alembic environment: the schema is app/store/tables.py.

The server runs migrations itself on start (app.store.db.migrate), passing its
own connection. `alembic upgrade head` from the repository root works too and
reads FLOWMAP_DATABASE_URL like the server does.

On PostgreSQL a migration first takes a transaction-level advisory lock
(app.store.db.MIGRATION_LOCK): several processes starting at once against an
empty database migrate one after another; the later ones find the schema at head.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, text
from sqlmodel import SQLModel

import app.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from app.config import Settings
from app.store.db import MIGRATION_LOCK

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Held until the caller's transaction ends: migrate() and the command line
        # below both run the whole upgrade in one transaction.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = create_engine(Settings().database_url)
    with engine.begin() as connection:
        _run(connection)


if context.is_offline_mode():
    context.configure(url=Settings().database_url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
