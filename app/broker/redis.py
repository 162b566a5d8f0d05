"""Fan-out between server processes over Redis pub/sub: one channel per board.

PostgreSQL orders each board; Redis only carries what was committed. Pub/sub
delivers at most once, so nothing here has to be perfect: a lost message shows
up as a gap (filled from the op log), and after a reconnection every room
re-reads the log. Two connections per process: one publishes (in commit order,
from one task, pipelined), one listens.

    broker = RedisBroker("redis://127.0.0.1:6379/0", stats)
    await broker.start(deliver=rooms.deliver, reconnected=rooms.resync_all)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.hub.ports import Deliver
from app.hub.stats import Stats

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "flowmap:board:"
# Subscribed to first on every connection, published to by nobody: the listening
# connection exists even with no board open, and its confirmation marks the
# moment every channel before it is live.
HEARTBEAT_CHANNEL = "flowmap:heartbeat"
# Messages waiting to be published while Redis is away; beyond this the oldest
# are dropped (counted): receivers see the gap and read the log instead.
OUTBOX_LIMIT = 10_000
# Messages sent in one pipelined round trip.
PUBLISH_BATCH = 200
# Reconnection backoff, seconds: quick after a blip, gentle during an outage.
RECONNECT_MIN, RECONNECT_MAX = 0.1, 2.0
# A silent listening connection is pinged this often; one that answers nothing
# for DEAD_AFTER seconds is presumed dead (a half-open TCP connection never errors).
HEARTBEAT_SECONDS = 5.0
DEAD_AFTER = 3 * HEARTBEAT_SECONDS
# Longest a new room waits for Redis to confirm its subscription before going on.
SUBSCRIBE_TIMEOUT = 2.0
# Seconds for a command (connect, publish, ping) before the connection counts as broken.
SOCKET_TIMEOUT = 5.0
# /healthz waits at most this long for Redis to answer a PING.
HEALTH_TIMEOUT = 1.0
# On shutdown, how long to try delivering what is still queued.
CLOSE_FLUSH_SECONDS = 1.0
_DOWN = (RedisError, OSError, TimeoutError)


def channel_of(board_id: str) -> str:
    return CHANNEL_PREFIX + board_id


def _client(url: str, name: str) -> Redis:
    # No retries inside redis-py: a broken connection must surface here, where it
    # triggers a clean reconnection and a resync, not a silent re-subscribe.
    return Redis.from_url(
        url,
        client_name=name,
        retry=Retry(NoBackoff(), 0),
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        socket_keepalive=True,
    )


class RedisBroker:
    """The Broker over Redis. Its connections show in CLIENT LIST as `<name>:pub` and
    `<name>:sub`, the name being `flowmap:<pid>` unless given."""

    def __init__(self, url: str, stats: Stats | None = None, name: str | None = None) -> None:
        self.stats = stats or Stats()
        self._origin = secrets.token_hex(8)  # our own messages come back to us: skip them
        name = name or f"flowmap:{os.getpid()}"
        self._publisher = _client(url, f"{name}:pub")
        self._subscriber = _client(url, f"{name}:sub")
        self._channels: set[str] = set()
        # (number, channel, payload): numbered, so a batch in flight is removed exactly
        # even if the oldest messages were dropped meanwhile.
        self._outbox: deque[tuple[int, str, bytes]] = deque()
        self._numbered = 0
        self._outbox_ready = asyncio.Event()
        self._drained = asyncio.Event()  # set whenever everything queued has been published
        self._drained.set()
        self._publish_ok = True
        self._pubsub: PubSub | None = None
        self._listening = False
        self._connected_once = False
        self._said_down = False  # logged that Redis is away; say so again when it is back
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._lock = asyncio.Lock()  # one command at a time on the listening connection
        self._deliver: Deliver = lambda board_id, entries: None
        self._reconnected: Callable[[], None] = lambda: None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def shared(self) -> bool:
        return True

    @property
    def healthy(self) -> bool:
        return self._listening and self._publish_ok

    async def start(self, deliver: Deliver, reconnected: Callable[[], None]) -> None:
        self._deliver, self._reconnected = deliver, reconnected
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._listen_forever()),
            loop.create_task(self._publish_forever()),
        ]

    # ---- publishing ------------------------------------------------------------

    def publish(self, board_id: str, entries: Sequence[dict[str, Any]]) -> None:
        payload = orjson.dumps({"from": self._origin, "entries": list(entries)})
        if len(self._outbox) >= OUTBOX_LIMIT:
            self._outbox.popleft()
            self.stats.broker_dropped += 1
        self._numbered += 1
        self._outbox.append((self._numbered, channel_of(board_id), payload))
        self._drained.clear()
        self._outbox_ready.set()

    async def _publish_forever(self) -> None:
        pause = RECONNECT_MIN
        while True:
            await self._outbox_ready.wait()
            self._outbox_ready.clear()
            while self._outbox:
                batch = [self._outbox[i] for i in range(min(PUBLISH_BATCH, len(self._outbox)))]
                try:
                    await self._send(batch)
                except Exception as err:  # Redis away (or worse): keep the batch, try again
                    self.stats.broker_publish_errors += 1
                    if self._publish_ok:
                        log.warning("redis: publishing failed (%s); will retry", err)
                    self._publish_ok = False
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, RECONNECT_MAX)
                    continue
                while self._outbox and self._outbox[0][0] <= batch[-1][0]:
                    self._outbox.popleft()
                self.stats.broker_published += len(batch)
                if not self._publish_ok:
                    log.warning("redis: publishing again")
                self._publish_ok, pause = True, RECONNECT_MIN
            self._drained.set()

    async def _send(self, batch: list[tuple[int, str, bytes]]) -> None:
        # In order, in one round trip. A batch that failed half-way is sent again
        # whole; receivers ignore what they already have.
        async with self._publisher.pipeline(transaction=False) as pipe:
            for _number, channel, payload in batch:
                pipe.publish(channel, payload)
            await pipe.execute()

    # ---- listening -------------------------------------------------------------

    async def subscribe(self, board_id: str) -> None:
        channel = channel_of(board_id)
        self._channels.add(channel)
        if self._pubsub is None:
            return  # the next connection subscribes to it, then every room resyncs
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(channel, []).append(waiter)
        try:
            async with self._lock:
                if self._pubsub is not None:
                    await self._pubsub.subscribe(channel)
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                await waiter
        except _DOWN as err:  # the listener sees it too and reconnects
            log.debug("redis: subscribing to %s failed: %s", channel, err)
        finally:
            with contextlib.suppress(ValueError, KeyError):
                self._waiters[channel].remove(waiter)

    async def unsubscribe(self, board_id: str) -> None:
        channel = channel_of(board_id)
        self._channels.discard(channel)
        with contextlib.suppress(*_DOWN):
            async with self._lock:
                if self._pubsub is not None:
                    await self._pubsub.unsubscribe(channel)

    async def _listen_forever(self) -> None:
        pause = RECONNECT_MIN
        while True:
            pubsub = self._subscriber.pubsub()
            try:
                async with self._lock:
                    self._pubsub = pubsub
                    await pubsub.subscribe(*sorted(self._channels), HEARTBEAT_CHANNEL)
                await self._read(pubsub)
            except Exception as err:  # whatever broke, the listener must come back
                if self._listening or not self._said_down:
                    log.warning("redis: not listening (%s); reconnecting", err)
                    self._said_down = True
                pause = RECONNECT_MIN if self._listening else min(pause * 2, RECONNECT_MAX)
            finally:
                self._pubsub, self._listening = None, False
                self._release_waiters()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(pause)

    async def _read(self, pubsub: PubSub) -> None:
        loop = asyncio.get_running_loop()
        heard = loop.time()
        while True:
            message = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
            if message is None:
                if loop.time() - heard > DEAD_AFTER:
                    raise TimeoutError("redis: no answer to pings")
                async with self._lock:
                    await pubsub.ping()
                continue
            heard = loop.time()
            self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        channel = message["channel"].decode() if message["channel"] else ""
        if kind == "message" and channel.startswith(CHANNEL_PREFIX):
            self._arrived(channel.removeprefix(CHANNEL_PREFIX), message["data"])
        elif kind == "subscribe" and channel == HEARTBEAT_CHANNEL and not self._listening:
            # Redis answers in order: every channel subscribed before this one is live now.
            self._listening = True
            if self._connected_once:
                self.stats.broker_reconnects += 1
            if self._said_down:
                log.warning("redis: listening again; open boards re-read the op log")
            self._connected_once, self._said_down = True, False
            self._reconnected()
        elif kind == "subscribe":
            for waiter in self._waiters.get(channel, []):
                if not waiter.done():
                    waiter.set_result(None)

    def _arrived(self, board_id: str, data: bytes) -> None:
        try:
            message = orjson.loads(data)
            if message["from"] == self._origin:
                return
            entries = message["entries"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.warning("redis: ignoring a malformed message for board %s", board_id)
            return
        self.stats.broker_received += 1
        self._deliver(board_id, entries)

    def _release_waiters(self) -> None:
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    # ---- health and shutdown -----------------------------------------------------

    async def check(self) -> str | None:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await self._publisher.ping()
        except _DOWN as err:
            return f"unreachable: {err}"[:200]
        return None

    async def close(self) -> None:
        if self._publish_ok:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_FLUSH_SECONDS):
                    await self._drained.wait()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._publisher.aclose()
        await self._subscriber.aclose()
