"""This machine's Redis for the broker's tests (skipped, saying why, when it is away).

from tests.support.redis_service import REDIS_URL, WAIT, reachable_redis  # noqa: F401
"""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("FLOWMAP_TEST_REDIS", "redis://127.0.0.1:6379/0")
WAIT = 10.0  # seconds, for what takes milliseconds on a quiet machine


@pytest.fixture(autouse=True)
def reachable_redis() -> None:
    """Autouse in every module that imports it: skip the module's tests without Redis."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {err}")
