"""The PostgreSQL and Redis of this machine, for W6; missing ones make W6 say why it skipped.

with postgres_database() as url:    # a fresh database, dropped afterwards
    ...
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import redis.asyncio as aioredis

# Override with FLOWMAP_BENCH_POSTGRES / FLOWMAP_BENCH_REDIS (same defaults as the tests).
POSTGRES_ADMIN_URL = os.environ.get(
    "FLOWMAP_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("FLOWMAP_BENCH_REDIS", "redis://127.0.0.1:6379")
CONNECT_SECONDS = 3


class ServiceMissing(Exception):
    """PostgreSQL or Redis is not reachable; the message says which and why."""


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a throwaway database; yield its SQLAlchemy URL; drop it afterwards."""
    try:
        admin = psycopg.connect(
            POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=CONNECT_SECONDS
        )
    except psycopg.OperationalError as err:
        raise ServiceMissing(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {err}") from None
    name = f"flowmap_bench_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
            yield f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def redis_reachable() -> str:
    """The Redis URL, once it answered a PING."""
    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=CONNECT_SECONDS)
    try:
        await client.ping()
    except Exception as err:  # any failure to talk to it means W6 cannot run
        raise ServiceMissing(f"Redis not reachable at {REDIS_URL}: {err}") from None
    finally:
        await client.aclose()
    return REDIS_URL
