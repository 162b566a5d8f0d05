"""Fan-out between server processes over Redis pub/sub, through redis-py: one channel per board.

PostgreSQL orders each board; Redis only carries what was committed. Pub/sub
delivers at most once, so nothing here has to be perfect: a lost message shows
up as a gap (filled from the op log), and after a reconnection every room
re-reads the log. redis-py's asyncio client (with hiredis, which it picks up on
its own) speaks the protocol; this module only owns two connections and keeps
them alive:

- publishing: committed entries wait in an outbox until Redis has counted
  them; a connection that breaks loses none of them, they go again on the next
  (receivers ignore entries they already have);
- listening: every board's channel, plus a heartbeat channel nobody publishes
  to, whose confirmation marks the moment every channel before it is live.

    broker = RedisBroker("redis://127.0.0.1:6379/0", stats)
    await broker.start(deliver=rooms.deliver, reconnected=rooms.resync_all)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import orjson
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, RedisError, ResponseError

from app.hub.ports import Deliver
from app.hub.stats import Stats

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "flowmap:board:"
HEARTBEAT_CHANNEL = "flowmap:heartbeat"
# Messages waiting to be published while Redis is away; beyond this the oldest
# are dropped (counted): receivers see the gap and read the log instead.
OUTBOX_LIMIT = 10_000
# At most this many messages go in one pipeline: one round trip, bounded memory.
BATCH_LIMIT = 500
# Reconnection backoff, seconds: quick after a blip, gentle during an outage.
RECONNECT_MIN, RECONNECT_MAX = 0.1, 2.0
# A silent listening connection is pinged this often; one that answers nothing for
# DEAD_AFTER seconds is presumed dead (a half-open TCP connection never errors).
HEARTBEAT_SECONDS = 5.0
DEAD_AFTER = 3 * HEARTBEAT_SECONDS
# Longest a new room waits for Redis to confirm its subscription before going on.
SUBSCRIBE_TIMEOUT = 2.0
# Seconds to connect and log in, or to get a reply, before the connection counts as lost.
CONNECT_TIMEOUT = 5.0
# /healthz waits at most this long for Redis to answer a PING.
HEALTH_TIMEOUT = 1.0
# On shutdown, how long to try delivering what is still queued.
CLOSE_FLUSH_SECONDS = 1.0
# Our loops reconnect themselves, with their own backoff and logging: redis-py must not retry.
NO_RETRY = Retry(NoBackoff(), 0)


def channel_of(board_id: str) -> str:
    return CHANNEL_PREFIX + board_id


def connect_to(url: str, name: str) -> Redis:
    """A client of one connection, named `name` in CLIENT LIST: commands take turns on it."""
    pool = BlockingConnectionPool.from_url(
        url, max_connections=1, timeout=CONNECT_TIMEOUT, client_name=name, retry=NO_RETRY,
        socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT,
    )  # fmt: skip
    return Redis.from_pool(pool)


class RedisBroker:
    """The Broker over Redis. Its connections show in CLIENT LIST as `<name>:pub` and
    `<name>:sub`, the name being `flowmap:<pid>` unless given."""

    def __init__(self, url: str, stats: Stats | None = None, name: str | None = None) -> None:
        self.stats = stats or Stats()
        name = name or f"flowmap:{os.getpid()}"
        self._origin = secrets.token_hex(8)  # our own messages come back to us: skip them
        self._publisher = Publisher(url, f"{name}:pub", self.stats)
        self._listener = Listener(url, f"{name}:sub", self.stats, self._arrived)
        self._deliver: Deliver = lambda board_id, entries: None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def shared(self) -> bool:
        return True

    @property
    def healthy(self) -> bool:
        return self._listener.listening and self._publisher.ok

    async def start(self, deliver: Deliver, reconnected: Callable[[], None]) -> None:
        self._deliver = deliver
        self._tasks = [
            asyncio.create_task(self._listener.run(reconnected)),
            asyncio.create_task(self._publisher.run()),
        ]

    def publish(self, board_id: str, entries: Sequence[dict[str, Any]]) -> None:
        payload = orjson.dumps({"from": self._origin, "entries": list(entries)})
        self._publisher.publish(channel_of(board_id), payload)

    async def subscribe(self, board_id: str) -> None:
        await self._listener.subscribe(channel_of(board_id))

    async def unsubscribe(self, board_id: str) -> None:
        await self._listener.unsubscribe(channel_of(board_id))

    def _arrived(self, channel: bytes, data: bytes) -> None:
        board_id = channel.decode().removeprefix(CHANNEL_PREFIX)
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

    async def check(self) -> str | None:
        return await self._publisher.ping()

    async def close(self) -> None:
        await self._publisher.flush(CLOSE_FLUSH_SECONDS)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []


class _Pending(NamedTuple):
    number: int  # increasing: which messages a reply acknowledges, even if some were dropped
    channel: str
    payload: bytes


class Publisher:
    """PUBLISH on one connection: messages go in order, in pipelines, kept until Redis counts them.

    publisher = Publisher(url, "flowmap:42:pub", stats)
    task = asyncio.create_task(publisher.run())
    publisher.publish("flowmap:board:b1", payload)   # never waits
    """

    def __init__(self, url: str, name: str, stats: Stats) -> None:
        self._url, self._name, self._stats = url, name, stats
        self._outbox: deque[_Pending] = deque()
        self._numbers = itertools.count()
        self._queued = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self._client: Redis | None = None
        self.ok = False  # connected and logged in
        self._said_down = False  # logged that publishing fails; say so once an outage

    def publish(self, channel: str, payload: bytes) -> None:
        if len(self._outbox) >= OUTBOX_LIMIT:
            self._outbox.popleft()
            self._stats.broker_dropped += 1
        self._outbox.append(_Pending(next(self._numbers), channel, payload))
        self._queued.set()
        self._drained.clear()

    async def run(self) -> None:
        pause = RECONNECT_MIN
        loop = asyncio.get_running_loop()
        while True:
            client = connect_to(self._url, self._name)
            connected = loop.time()
            try:
                await client.ping()  # connect and log in now, not at the first edit
                self._up(client)
                await self._send_forever(client)
            except (RedisError, OSError) as err:
                self._down(err)
            finally:
                self._client, self.ok = None, False
                await client.aclose()
            # Quick again after a blip; gentle with a connection that keeps failing.
            lived = loop.time() - connected
            pause = RECONNECT_MIN if lived > RECONNECT_MAX else min(pause * 2, RECONNECT_MAX)
            await asyncio.sleep(pause)

    def _up(self, client: Redis) -> None:
        if self._said_down:
            log.warning("redis: publishing again")
        self._client, self.ok, self._said_down = client, True, False

    def _down(self, err: Exception) -> None:
        self._stats.broker_publish_errors += 1
        if self._said_down:
            return
        self._said_down = True
        if isinstance(err, AuthenticationError | ResponseError):
            log.warning("redis: the publishing connection was refused: %r", err)
        else:
            log.warning("redis: cannot publish (%r); will retry", err)

    async def _send_forever(self, client: Redis) -> None:
        """Publish from the head of the outbox, a pipeline at a time, until the connection fails."""
        while True:
            await self._queued.wait()
            batch = list(itertools.islice(self._outbox, BATCH_LIMIT))
            async with client.pipeline(transaction=False) as pipe:
                for message in batch:
                    pipe.publish(message.channel, message.payload)
                replies = await pipe.execute(raise_on_error=False)
            for reply in replies:
                if isinstance(reply, Exception):  # not worth retrying: receivers fill the gap
                    self._stats.broker_publish_errors += 1
                    log.warning("redis: a publish failed: %s", reply)
                else:
                    self._stats.broker_published += 1
            while self._outbox and self._outbox[0].number <= batch[-1].number:
                self._outbox.popleft()
            if not self._outbox:
                self._queued.clear()
                self._drained.set()

    async def ping(self) -> str | None:
        client = self._client
        if client is None:
            return "unreachable: not connected"
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await client.ping()
        except TimeoutError:
            return f"unreachable: no answer to PING within {HEALTH_TIMEOUT:g}s"
        except (RedisError, OSError) as err:
            return f"unreachable: {err}"
        return None

    async def flush(self, seconds: float) -> None:
        """Wait up to `seconds` for the outbox to empty."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._drained.wait()


# Where the listener hands each message: its channel and its data, as Redis sent them.
OnMessage = Callable[[bytes, bytes], None]


class Listener:
    """SUBSCRIBE on one connection; every message goes to `on_message` as it is read.

    listener = Listener(url, "flowmap:42:sub", stats, on_message)
    task = asyncio.create_task(listener.run(reconnected=rooms.resync_all))
    await listener.subscribe("flowmap:board:b1")   # returns once Redis confirmed
    """

    def __init__(self, url: str, name: str, stats: Stats, on_message: OnMessage) -> None:
        self._url, self._name, self._stats = url, name, stats
        self._on_message = on_message
        self._channels: set[str] = set()
        # Subscriptions sent and not yet confirmed: channel -> who waits for the confirmation.
        self._waiting: dict[str, list[asyncio.Future[None]]] = {}
        self._pubsub: PubSub | None = None
        self.listening = False
        self._connected_once = False
        self._said_down = False  # logged that Redis is away; say so again when it is back

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        pubsub = self._pubsub
        if pubsub is None:
            return  # the next connection subscribes to it, then every room resyncs
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(channel, []).append(waiter)
        try:
            await pubsub.subscribe(channel)
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                await waiter
        except (RedisError, OSError, TimeoutError) as err:
            # The listening loop reconnects, subscribes to it again and resyncs every room.
            log.debug("redis: no confirmation of the subscription to %s yet: %r", channel, err)
        finally:
            with contextlib.suppress(ValueError, KeyError):
                self._waiting[channel].remove(waiter)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(channel)

    async def run(self, reconnected: Callable[[], None]) -> None:
        pause = RECONNECT_MIN
        client = connect_to(self._url, self._name)
        try:
            while True:
                pubsub = client.pubsub()
                try:
                    await pubsub.connect()  # type: ignore[no-untyped-call]  # log in first: subscribe() may now use it any time
                    self._pubsub = pubsub
                    await pubsub.subscribe(*sorted(self._channels), HEARTBEAT_CHANNEL)
                    await self._read(pubsub, reconnected)
                except (RedisError, OSError) as err:
                    self._down(err)
                finally:
                    self._pubsub = None
                    pause = RECONNECT_MIN if self.listening else min(pause * 2, RECONNECT_MAX)
                    self.listening = False
                    self._release_waiters()
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(pause)
        finally:
            await client.aclose()

    def _down(self, err: Exception) -> None:
        if self._said_down:
            return
        self._said_down = True
        if isinstance(err, AuthenticationError | ResponseError):
            log.warning("redis: the listening connection was refused: %r", err)
        else:
            log.warning("redis: not listening (%r); reconnecting", err)

    async def _read(self, pubsub: PubSub, reconnected: Callable[[], None]) -> None:
        """Hand on messages until the connection fails; ping it when quiet."""
        loop = asyncio.get_running_loop()
        heard = loop.time()
        while True:
            message = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
            if message is None:
                if loop.time() - heard > DEAD_AFTER:
                    raise TimeoutError("no answer to pings")
                await pubsub.ping()
                continue
            heard = loop.time()
            if message["type"] == "message":
                self._on_message(message["channel"], message["data"])
            elif message["type"] == "subscribe":
                self._confirmed(message["channel"].decode(), reconnected)

    def _confirmed(self, channel: str, reconnected: Callable[[], None]) -> None:
        if channel == HEARTBEAT_CHANNEL and not self.listening:
            # Redis answers in order: every channel subscribed before this one is live now.
            self.listening = True
            if self._connected_once:
                self._stats.broker_reconnects += 1
            if self._said_down:
                log.warning("redis: listening again; open boards re-read the op log")
            self._connected_once, self._said_down = True, False
            reconnected()
        for waiter in self._waiting.pop(channel, []):
            if not waiter.done():
                waiter.set_result(None)

    def _release_waiters(self) -> None:
        for waiters in self._waiting.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self._waiting.clear()
