"""Throwaway PostgreSQL databases on this machine's server (skipped, saying why, if unreachable)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

# The machine's PostgreSQL (trust auth); override with FLOWMAP_TEST_POSTGRES.
ADMIN_URL = os.environ.get("FLOWMAP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a fresh database, yield its SQLAlchemy URL, drop it afterwards."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as err:
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {err}")
    name = f"flowmap_test_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            yield f"{base}/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database of `kind` ("sqlite" or "postgresql") for one test's server."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'flowmap.db'}"
        return
    with postgres_database() as url:
        yield url
