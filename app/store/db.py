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
# SQLite synchronous settings under which a WAL commit does not wait for the disk.
QUICK_SYNC = ("NORMAL", "OFF")
# The SQLite write-ahead log is kept under this size: SQLite truncates it to this after
# a reset (journal_size_limit), and the writer truncates it between two commits once it
# is larger (oplog_sqlite.SqliteOpLog._bound_wal). Without it, a sustained write load left a
# 1.5 GB log. Each truncation holds one commit while the rest of the log is copied back
# and synced: at 64 MiB, W4's p99 went from ~4 to ~20-40 ms above 2,500 edits/s (the
# limit was reached every few seconds); at 512 MiB it is reached about once a minute at
# 7,000 edits/s and the p99 stays at 4-8 ms (bench, 2026-12-03).
WAL_LIMIT_BYTES = 512 * 1024 * 1024


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
        self.is_sqlite = settings.is_sqlite
        threads = SQLITE_THREADS if settings.is_sqlite else POSTGRES_THREADS
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")
        # In WAL mode with synchronous=NORMAL (or OFF) a commit writes to the log and
        # does not wait for the disk, so it may run on the event loop itself.
        self._quick_commits = settings.is_sqlite and settings.sqlite_synchronous in QUICK_SYNC
        # Held by whatever works on the SQLite file in this process, so a quick commit
        # on the event loop never waits for SQLite's own lock.
        self._busy = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        if not self.is_sqlite:
            return await loop.run_in_executor(self._pool, fn, *args)
        return await loop.run_in_executor(self._pool, self._holding, fn, *args)

    async def run_quick(self, fn: Callable[..., T], *args: Any) -> T:
        """`run` for a short write that never waits on the disk (a commit of one batch).

        On SQLite, when nothing else in this process is using the file, it runs right
        here: the hand-off to the database thread and back costs about as much CPU as
        the commit itself (405 µs against 196 µs measured for one op). Anything else in
        progress, or a configuration that flushes on commit, and it goes to the thread.
        """
        if self._quick_commits and self._busy.acquire(blocking=False):
            try:
                return fn(*args)
            finally:
                self._busy.release()
        return await self.run(fn, *args)

    def try_quick(self, fn: Callable[..., None], *args: Any) -> bool:
        """Run a short write here and now, as run_quick would; False (and nothing run)
        when it would have to go to the database thread."""
        if not (self._quick_commits and self._busy.acquire(blocking=False)):
            return False
        try:
            fn(*args)
        finally:
            self._busy.release()
        return True

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
        with self._busy:
            return fn(*args)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.engine.dispose()
