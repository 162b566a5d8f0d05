"""The Redis broker measures fan-out lag: the sender stamps its clock, the receiver
subtracts (against this machine's Redis; skipped, saying why, without one)."""

from __future__ import annotations

import asyncio
import os
import secrets
from typing import Any

import redis
import redis.asyncio

from app.broker.redis import RedisBroker
from tests.support.redis_service import REDIS_URL, WAIT, reachable_redis  # noqa: F401


async def started(broker: RedisBroker, got: list[Any]) -> None:
    ready = asyncio.Event()
    await broker.start(lambda board_id, entries: got.append(entries), ready.set)
    await asyncio.wait_for(ready.wait(), WAIT)


async def arrived(got: list[Any], count: int) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while len(got) < count:
        assert asyncio.get_running_loop().time() < deadline, f"{len(got)} of {count} arrived"
        await asyncio.sleep(0.005)


async def test_what_another_process_published_is_timed_from_its_publish() -> None:
    tag, board = f"lag-{os.getpid()}", f"lag{secrets.token_hex(6)}"
    a, b = RedisBroker(REDIS_URL, name=f"{tag}-a"), RedisBroker(REDIS_URL, name=f"{tag}-b")
    got: list[Any] = []
    await started(a, [])
    await started(b, got)
    try:
        await b.subscribe(board)
        a.publish(board, [{"seq": 1}])
        a.publish(board, [{"seq": 2}])
        await arrived(got, 2)
        lag = b.stats.fanout_lag.summary()
        assert lag is not None and lag.samples == 2
        assert 0 <= lag.p50 <= lag.max < WAIT
        assert a.stats.fanout_lag.summary() is None  # its own messages are skipped, not timed
    finally:
        await a.close()
        await b.close()


async def test_a_message_from_an_older_release_is_delivered_without_a_lag() -> None:
    board = f"lag{secrets.token_hex(6)}"
    broker = RedisBroker(REDIS_URL, name=f"lag-{os.getpid()}-old")
    got: list[Any] = []
    await started(broker, got)
    admin = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await broker.subscribe(board)
        await admin.publish(f"flowmap:board:{board}", b'{"from": "old", "entries": [{"seq": 3}]}')
        await arrived(got, 1)
        assert got == [[{"seq": 3}]] and broker.stats.broker_received == 1
        assert broker.stats.fanout_lag.count == 0
    finally:
        await admin.aclose()
        await broker.close()
