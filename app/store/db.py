"""The engine and a thread to run blocking database work off the event loop."""

from __future__ import annotations

import asyncio
import logging
import threading
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
log = logging.getLogger(__name__)

# SQLite has one writer: one thread keeps writes in order and avoids 'database is locked'.
# PostgreSQL takes several at once.
SQLITE_THREADS = 1
POSTGRES_THREADS = 8
# The SQLite write-ahead log is kept under this size: SQLite truncates it to this after
# a reset (journal_size_limit), and the writer truncates it between two commits once it
# is larger (oplog_sqlite.SqliteOpLog._bound_wal). Without it, a sustained write load left a
# 1.5 GB log. Each truncation holds one commit while the rest of the log is copied back
# and synced: at 64 MiB, W4's p99 went from ~4 to ~20-40 ms above 2,500 edits/s (the
# limit was reached every few seconds); at 512 MiB it is reached about once a minute at
# 7,000 edits/s and the p99 stays at 4-8 ms (bench, 2026-12-03).
WAL_LIMIT_BYTES = 512 * 1024 * 1024
# Past this size, a checkpoint copies the whole write-ahead log, holding the commits on
# the event loop off for its last pass, so the log starts over in the pages it already
# has (oplog_sqlite.SqliteOpLog.checkpoint). Each time, the commits that arrive during that
# pass wait on the database thread for its fsyncs (a millisecond or a few): past the log
# of a few checkpoints' commits (CHECKPOINT_EVERY), at W3's 6 MB of log a second every
# ~10 s. The log's file stays near this size (W3 left it at 0.5 GB, then truncated it).
WAL_RESTART_BYTES = 64 * 1024 * 1024
# The PostgreSQL advisory lock a migration holds ("Flow" in ASCII): processes that start
# at once against one database migrate one after another, and the later ones find the
# schema at head and change nothing (migrations/env.py takes it).
MIGRATION_LOCK = 0x466C6F77


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
            cur.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
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
    """Bring the database schema to the newest migration (Alembic upgrade head).

    One transaction; on PostgreSQL it holds MIGRATION_LOCK until it commits.
    """
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
        self.is_sqlite = settings.is_sqlite
        threads = SQLITE_THREADS if settings.is_sqlite else POSTGRES_THREADS
        self.sqlite_synchronous = settings.sqlite_synchronous
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")
        # SQLite: held by whatever works on the file in this process (every `run`), so
        # work the op log runs on the event loop never waits for SQLite's own lock: it
        # takes this lock without blocking, or goes to the thread (SqliteOpLog.quickly).
        self.file_lock = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        if not self.is_sqlite:
            return await loop.run_in_executor(self._pool, fn, *args)
        return await loop.run_in_executor(self._pool, self._holding, fn, *args)

    def run_beside(self, fn: Callable[[], None]) -> None:
        """Start `fn` on the database thread without the lock quick commits take, and
        without waiting for it: work that cannot make a commit wait (a passive WAL
        checkpoint). A failure is logged."""
        asyncio.get_running_loop().run_in_executor(self._pool, self._logged, fn)

    @staticmethod
    def _logged(fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:
            log.exception("background database work failed")

    def _holding(self, fn: Callable[..., T], *args: Any) -> T:
        with self.file_lock:
            return fn(*args)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.engine.dispose()
