"""Where the SQLite op log runs its work: quick commits on the event loop only when that cannot wait."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from app.config import Settings
from app.store.db import Database
from app.store.oplog_sqlite import SqliteOpLog


def where() -> str:
    return threading.current_thread().name


async def test_a_quick_commit_runs_on_the_loop_when_nothing_else_uses_the_file(
    tmp_path: Path,
) -> None:
    db = Database(Settings(database_url=f"sqlite:///{tmp_path / 'q.db'}"))
    try:
        assert await SqliteOpLog(db).quickly(where) == threading.current_thread().name
        assert (await db.run(where)).startswith("db")
    finally:
        db.close()


async def test_a_quick_commit_waits_its_turn_on_the_thread_while_other_work_runs(
    tmp_path: Path,
) -> None:
    db = Database(Settings(database_url=f"sqlite:///{tmp_path / 'q.db'}"))
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return where()

    try:
        running = asyncio.ensure_future(db.run(slow))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        quick = asyncio.ensure_future(SqliteOpLog(db).quickly(where))
        await asyncio.sleep(0.05)
        assert not quick.done()  # it did not run on the loop beside the slow one
        release.set()
        assert (await quick).startswith("db") and (await running).startswith("db")
    finally:
        db.close()


async def test_commits_that_flush_to_disk_never_run_on_the_loop(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'f.db'}", sqlite_synchronous="FULL")
    db = Database(settings)
    try:
        assert (await SqliteOpLog(db).quickly(where)).startswith("db")
    finally:
        db.close()
