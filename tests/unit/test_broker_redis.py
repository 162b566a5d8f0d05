"""The Redis broker against this machine's Redis (skipped, saying why, without one).

The fan-out across server processes, cut connections and restarts are in
tests/integration/test_multiprocess.py; here, what one broker promises alone.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from collections.abc import Callable
from typing import Any

import redis
import redis.asyncio

from app.broker.redis import OUTBOX_LIMIT, RedisBroker
from tests.support.redis_service import REDIS_URL, WAIT, reachable_redis  # noqa: F401


def nowhere() -> str:
    """A Redis URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{random.randrange(10**6)}"


async def eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.005)


async def listening(broker: RedisBroker, got: list[Any]) -> None:
    ready = asyncio.Event()
    await broker.start(lambda board_id, entries: got.append((board_id, entries)), ready.set)
    await asyncio.wait_for(ready.wait(), WAIT)


async def test_close_ends_every_task_the_broker_started() -> None:
    before = asyncio.all_tasks()
    broker = RedisBroker(REDIS_URL, name=unique("close"))
    await listening(broker, [])
    await broker.subscribe("b")
    assert len(asyncio.all_tasks() - before) == 2  # the listener and the publisher
    await broker.close()
    assert asyncio.all_tasks() - before == set()


async def test_close_ends_its_tasks_while_redis_is_unreachable() -> None:
    before = asyncio.all_tasks()
    broker = RedisBroker(nowhere(), name=unique("away"))
    await broker.start(lambda board_id, entries: None, lambda: None)
    broker.publish("b", [{"seq": 1}])
    await asyncio.sleep(0.3)  # some failed attempts, some backoff
    assert not broker.healthy
    assert (await broker.check() or "").startswith("unreachable")
    await broker.close()
    assert asyncio.all_tasks() - before == set()


async def test_a_full_outbox_drops_the_oldest_and_counts_them() -> None:
    broker = RedisBroker(nowhere(), name=unique("full"))
    for seq in range(OUTBOX_LIMIT + 5):
        broker.publish("b", [{"seq": seq}])
    assert broker.stats.broker_dropped == 5
    await broker.close()


async def test_an_unsubscribed_board_is_no_longer_delivered() -> None:
    tag = unique("unsub")
    a, b = RedisBroker(REDIS_URL, name=f"{tag}-a"), RedisBroker(REDIS_URL, name=f"{tag}-b")
    got: list[Any] = []
    await listening(a, [])
    await listening(b, got)
    try:
        await b.subscribe("b1")
        await b.subscribe("b2")
        await b.unsubscribe("b1")
        a.publish("b1", [{"seq": 1}])
        a.publish("b2", [{"seq": 1}])
        await eventually(lambda: got != [], "b2's message")
        await asyncio.sleep(0.05)
        assert got == [("b2", [{"seq": 1}])]
    finally:
        await a.close()
        await b.close()


async def test_a_malformed_message_is_skipped_and_the_next_one_delivered() -> None:
    tag = unique("junk")
    broker = RedisBroker(REDIS_URL, name=tag)
    got: list[Any] = []
    await listening(broker, got)
    admin = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await broker.subscribe("junk")
        await admin.publish("flowmap:board:junk", b"not json")
        await admin.publish("flowmap:board:junk", b'{"from": "elsewhere", "entries": [{"seq": 7}]}')
        await eventually(lambda: got != [], "the good message")
        assert got == [("junk", [{"seq": 7}])] and broker.stats.broker_received == 1
    finally:
        await admin.aclose()
        await broker.close()
