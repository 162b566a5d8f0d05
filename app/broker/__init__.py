"""Fan-out between server processes: in-process (default) or Redis pub/sub."""

from __future__ import annotations

from app.hub.ports import Broker
from app.hub.stats import Stats


def make_broker(redis_url: str | None, stats: Stats) -> Broker:
    """Redis when a URL is configured; otherwise one process holds every peer."""
    if redis_url:
        from app.broker.redis import RedisBroker  # only deployments with Redis load the client

        return RedisBroker(redis_url, stats)
    from app.broker.memory import MemoryBroker

    return MemoryBroker()
