"""Fan-out between server processes: in-process (default) or Redis pub/sub."""

from __future__ import annotations

import os

from app.hub.ports import Broker
from app.hub.stats import Stats

# Issue 19: which Redis backend, while both are measured against each other (bench/README.md):
# "own" (broker/redis.py over broker/resp.py) or "redis-py" (broker/redis_py.py).
BACKEND_VARIABLE = "FLOWMAP_REDIS_BACKEND"


def make_broker(redis_url: str | None, stats: Stats) -> Broker:
    """Redis when a URL is configured; otherwise one process holds every peer."""
    if redis_url:
        # Only deployments with Redis load the client.
        if os.environ.get(BACKEND_VARIABLE, "own") == "redis-py":
            from app.broker.redis_py import RedisBroker as RedisPyBroker

            return RedisPyBroker(redis_url, stats)
        from app.broker.redis import RedisBroker

        return RedisBroker(redis_url, stats)
    from app.broker.memory import MemoryBroker

    return MemoryBroker()
