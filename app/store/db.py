"""The engine and a thread to run blocking database work off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from app.config import Settings

T = TypeVar("T")

# SQLite has one writer: one thread keeps writes in order and avoids 'database is locked'.
# PostgreSQL takes several at once.
SQLITE_THREADS = 1
POSTGRES_THREADS = 8


def make_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if not settings.is_sqlite:
        return create_engine(url, pool_size=POSTGRES_THREADS, pool_pre_ping=True)
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 10},
        poolclass=StaticPool if memory else None,
    )
    synchronous = settings.sqlite_synchronous

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return engine


def _migrations_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # the app package
    for candidate in (here / "migrations", here.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise RuntimeError("cannot find the migrations folder next to the app package")


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration (Alembic upgrade head)."""
    config = Config()
    config.set_main_option("script_location", str(_migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Database:
    """The engine plus the threads blocking calls run on.

    db = Database(Settings()); await db.run(repo.load_board, board_id)
    """

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings)
        threads = SQLITE_THREADS if settings.is_sqlite else POSTGRES_THREADS
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.engine.dispose()
