"""Several processes starting at once against one empty PostgreSQL database: the
migrations run once, one process after another, and none of them fails."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from tests.support.databases import postgres_database

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4

# What each process runs at start-up (cli.py's serve does the same before it listens),
# all of them released at one moment so their first statements meet.
STARTING = textwrap.dedent(
    """
    import sys, time
    from app.config import Settings
    from app.store.db import Database, migrate
    start_at = float(sys.argv[2])
    database = Database(Settings(database_url=sys.argv[1]))
    time.sleep(max(0.0, start_at - time.time()))
    migrate(database.engine)
    database.close()
    """
)


def head() -> str:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    revision = ScriptDirectory.from_config(config).get_current_head()
    assert revision is not None
    return revision


def test_processes_starting_at_once_migrate_an_empty_database_once_and_none_fails() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with postgres_database() as url:
        start_at = f"{time.time() + 4:.3f}"  # after every interpreter has imported the app
        starting = [
            subprocess.Popen(
                [sys.executable, "-c", STARTING, url, start_at],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(PROCESSES)
        ]
        outcomes = [(p.wait(timeout=60), p.stdout.read() if p.stdout else "") for p in starting]
        failed = [output for code, output in outcomes if code != 0]
        assert not failed, failed[0][-3000:]

        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            tables = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
        assert versions == [(head(),)]
        assert {"boards", "ops", "links"} <= tables
