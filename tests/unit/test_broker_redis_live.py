"""The Redis broker's live channel: sent at once or never, beside the board's entries.

Against this machine's Redis, as tests/unit/test_broker_redis.py (skipped without one).
"""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio

from app.broker.redis import LIVE_PREFIX, RedisBroker
from tests.unit.test_broker_redis import (  # noqa: F401 - reachable_redis is an autouse fixture
    REDIS_URL,
    WAIT,
    eventually,
    nowhere,
    reachable_redis,
    unique,
)


async def started(broker: RedisBroker, entries: list[Any], live: list[Any]) -> None:
    ready = asyncio.Event()
    await broker.start(
        lambda board_id, got: entries.append((board_id, got)),
        ready.set,
        lambda board_id, origin, message: live.append((board_id, origin, message)),
    )
    await asyncio.wait_for(ready.wait(), WAIT)


async def test_live_messages_reach_other_processes_apart_from_the_entries() -> None:
    tag = unique("live")
    a, b = RedisBroker(REDIS_URL, name=f"{tag}-a"), RedisBroker(REDIS_URL, name=f"{tag}-b")
    got: dict[str, tuple[list[Any], list[Any]]] = {"a": ([], []), "b": ([], [])}
    await started(a, *got["a"])
    await started(b, *got["b"])
    try:
        await a.subscribe("b1")
        await b.subscribe("b1")
        await eventually(lambda: a.healthy, "a to publish")
        a.publish_live("b1", {"kind": "alive", "v": 1})
        a.publish("b1", [{"seq": 1}])
        await eventually(lambda: got["b"][0] != [] and got["b"][1] != [], "both kinds")
        assert got["b"][1] == [("b1", a.origin, {"kind": "alive", "v": 1})]
        assert got["b"][0] == [("b1", [{"seq": 1}])]
        assert got["a"] == ([], [])  # its own come back from Redis, and are skipped
        await b.unsubscribe("b1")
        a.publish_live("b1", {"kind": "alive", "v": 2})
        await asyncio.sleep(0.1)
        assert len(got["b"][1]) == 1
    finally:
        await a.close()
        await b.close()


async def test_a_live_message_while_redis_is_away_is_dropped_not_kept() -> None:
    broker = RedisBroker(nowhere(), name=unique("away"))
    await broker.start(lambda board_id, entries: None, lambda: None, lambda *args: None)
    try:
        for v in range(100):
            broker.publish_live("b1", {"kind": "alive", "v": v})  # never raises, never blocks
        assert broker.stats.broker_dropped == 0  # nothing queued, so nothing to give up
    finally:
        await broker.close()


async def test_a_malformed_live_message_is_ignored() -> None:
    tag = unique("junk-live")
    broker = RedisBroker(REDIS_URL, name=tag)
    entries: list[Any] = []
    live: list[Any] = []
    await started(broker, entries, live)
    admin = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await broker.subscribe("j")
        await admin.publish(LIVE_PREFIX + "j", b"not json")
        await admin.publish(LIVE_PREFIX + "j", b'{"from": "x", "live": [1]}')
        await admin.publish(LIVE_PREFIX + "j", b'{"from": "x", "live": {"kind": "ask"}}')
        await eventually(lambda: live != [], "the good message")
        assert live == [("j", "x", {"kind": "ask"})] and entries == []
    finally:
        await admin.aclose()
        await broker.close()
