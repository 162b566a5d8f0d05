"""Fan-out between server processes over Redis pub/sub: one channel per board.

PostgreSQL orders each board; Redis only carries what was committed. Pub/sub
delivers at most once, so nothing here has to be perfect: a lost message shows
up as a gap (filled from the op log), and after a reconnection every room
re-reads the log. Two connections per process (broker/resp.py), each doing one
thing on the path of an edit that crosses processes:

- publishing: a committed batch is written to Redis the moment the room hands
  it over, before the room's own peers are sent it; it stays in an outbox until
  Redis acknowledges it, and is written again after a reconnection;
- listening: each message is handed to its room as it is read off the socket.

Each board has a sibling channel, `flowmap:live:<id>`, for what is stale a moment
later (who is connected where, cursors, drags, views: hub/live_link.py). Those
messages are written at once on the publishing connection or dropped, never kept
in the outbox; a process that does not know the channel (an older release during
a rolling restart) never subscribes to it.

Why our own protocol code (broker/resp.py) and not redis-py's asyncio client
(issue 19): a backend over redis-py with hiredis, passing the same broker
tests, was measured against this one on 2026-12-04, interleaved on one shared
2-core machine (commit dc15523: bench/redis_backends.py, bench/redis_micro.py).
Only W6 goes through Redis; W1 and W4 run one process without it (W1's CPU
per edit moved with the machine's load, 554-1011 µs, on both). In the 10 W6
runs (of 14) where the rest of the machine left the server its core (others' CPU
under ~1.2 cores), the Redis hop (cross-process minus same-process
edit-to-peer latency) at p50 was 0.40-0.61 ms here (4 runs) against
1.13-1.73 ms over redis-py (6 runs): 2.5-3x on the figure this module exists
for. At p99 it was from -0.18 to 2.04 ms against 1.32-5.85 ms; CPU per edit of the two
W6 processes 1,649-1,822 µs against 1,917-2,439 µs (1.2x). Two brokers alone
in one process passing a message: 93-128 µs CPU and 0.09-0.12 ms p50 here,
263-292 µs and 0.23-0.26 ms over redis-py, whose every command is a
coroutine: the PUBLISH goes out a loop turn later, after the room's own
peers, and through its retry, pooling and parsing layers.

    broker = RedisBroker("redis://127.0.0.1:6379/0", stats)
    await broker.start(rooms.deliver, rooms.reconnected, live=rooms.deliver_live)

Over 300 lines on purpose: the broker, its publisher and its listener share one
outbox and one reconnection story; apart, each would need the others' state.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, NamedTuple

import orjson

from app.broker.resp import Address, OnLost, OnReply, ReplyError, RespConnection
from app.hub.ports import Deliver, DeliverLive
from app.hub.stats import Stats

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "flowmap:board:"
LIVE_PREFIX = "flowmap:live:"
# Subscribed to first on every connection, published to by nobody: the listening
# connection exists even with no board open, and its confirmation marks the
# moment every channel before it is live.
HEARTBEAT_CHANNEL = "flowmap:heartbeat"
# Messages waiting to be published while Redis is away; beyond this the oldest
# are dropped (counted): receivers see the gap and read the log instead.
OUTBOX_LIMIT = 10_000
# Reconnection backoff, seconds: quick after a blip, gentle during an outage.
RECONNECT_MIN, RECONNECT_MAX = 0.1, 2.0
# A silent connection is pinged this often; one that answers nothing for DEAD_AFTER
# seconds is presumed dead (a half-open TCP connection never errors).
HEARTBEAT_SECONDS = 5.0
DEAD_AFTER = 3 * HEARTBEAT_SECONDS
# Longest a new room waits for Redis to confirm its subscription before going on.
SUBSCRIBE_TIMEOUT = 2.0
# Seconds to connect and log in before the attempt counts as failed.
CONNECT_TIMEOUT = 5.0
# /healthz waits at most this long for Redis to answer a PING.
HEALTH_TIMEOUT = 1.0
# On shutdown, how long to try delivering what is still queued.
CLOSE_FLUSH_SECONDS = 1.0


def channel_of(board_id: str) -> str:
    return CHANNEL_PREFIX + board_id


def live_channel_of(board_id: str) -> str:
    return LIVE_PREFIX + board_id


async def open_session(
    address: Address, name: str, on_reply: OnReply, on_lost: OnLost
) -> tuple[RespConnection, int]:
    """A connection with its login written, and how many replies the login will get first."""
    async with asyncio.timeout(CONNECT_TIMEOUT):
        connection = await RespConnection.open(address, on_reply, on_lost)
    login = address.login(name)
    for command in login:
        connection.send(*command)
    return connection, len(login)


class RedisBroker:
    """The Broker over Redis. Its connections show in CLIENT LIST as `<name>:pub` and
    `<name>:sub`, the name being `flowmap:<pid>` unless given."""

    def __init__(self, url: str, stats: Stats | None = None, name: str | None = None) -> None:
        self.stats = stats or Stats()
        address = Address.from_url(url)
        name = name or f"flowmap:{os.getpid()}"
        # Our own messages come back to us: skip them. Also the tail of our peers' ids.
        self._origin = secrets.token_hex(4)
        self._publisher = Publisher(address, f"{name}:pub", self.stats)
        self._listener = Listener(address, f"{name}:sub", self.stats, self._arrived)
        self._deliver: Deliver = lambda board_id, entries: None
        self._deliver_live: DeliverLive | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def shared(self) -> bool:
        return True

    @property
    def healthy(self) -> bool:
        return self._listener.listening and self._publisher.ok

    @property
    def origin(self) -> str:
        return self._origin

    async def start(
        self, deliver: Deliver, reconnected: Callable[[], None], live: DeliverLive | None = None
    ) -> None:
        self._deliver, self._deliver_live = deliver, live
        self._tasks = [
            asyncio.create_task(self._listener.run(reconnected)),
            asyncio.create_task(self._publisher.run()),
        ]

    def publish(self, board_id: str, entries: Sequence[dict[str, Any]]) -> None:
        # `at`, our wall clock, lets the receivers measure the fan-out lag (hub/lag.py).
        message = {"from": self._origin, "at": time.time(), "entries": list(entries)}
        payload = orjson.dumps(message)
        self._publisher.publish(channel_of(board_id), payload)

    def publish_live(self, board_id: str, message: dict[str, Any]) -> None:
        payload = orjson.dumps({"from": self._origin, "live": message})
        self._publisher.publish_now(live_channel_of(board_id), payload)

    async def subscribe(self, board_id: str) -> None:
        await self._listener.subscribe(channel_of(board_id), live_channel_of(board_id))

    async def unsubscribe(self, board_id: str) -> None:
        self._listener.unsubscribe(channel_of(board_id), live_channel_of(board_id))

    def _arrived(self, channel: bytes, data: bytes) -> None:
        name = channel.decode()
        if name.startswith(LIVE_PREFIX):
            self._arrived_live(name.removeprefix(LIVE_PREFIX), data)
            return
        board_id = name.removeprefix(CHANNEL_PREFIX)
        try:
            message = orjson.loads(data)
            if message["from"] == self._origin:
                return
            entries = message["entries"]
            sent = message.get("at")  # absent from a process of an older release
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.warning("redis: ignoring a malformed message for board %s", board_id)
            return
        self.stats.broker_received += 1
        if isinstance(sent, int | float):
            self.stats.fanout_lag.observe(time.time() - sent)
        self._deliver(board_id, entries)

    def _arrived_live(self, board_id: str, data: bytes) -> None:
        try:
            message = orjson.loads(data)
            origin, live = message["from"], message["live"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.debug("redis: ignoring a malformed live message for board %s", board_id)
            return
        if origin != self._origin and self._deliver_live is not None and isinstance(live, dict):
            self._deliver_live(board_id, str(origin), live)

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
        self._publisher.close()
        self._listener.close()


class _Pending(NamedTuple):
    number: int  # increasing: a reply acknowledges its own message, if it was not dropped
    channel: str
    payload: bytes


class Publisher:
    """PUBLISH on one connection: each message written at once, kept until Redis counts it.

    Redis answers a connection's commands in order, so each command written puts
    what to do with its reply at the back of one queue, and each reply takes the
    front one. What was written on a connection that broke is written again on
    the next (receivers ignore entries they already have).

        publisher = Publisher(address, "flowmap:42:pub", stats)
        task = asyncio.create_task(publisher.run())
        publisher.publish("flowmap:board:b1", payload)   # written now if connected
    """

    def __init__(self, address: Address, name: str, stats: Stats) -> None:
        self._address, self._name, self._stats = address, name, stats
        self._outbox: deque[_Pending] = deque()
        self._numbers = itertools.count()
        # For each command written on this connection and not yet answered, oldest
        # first: what to do with its reply.
        self._replies: deque[OnReply] = deque()
        self._connection: RespConnection | None = None
        self._lost = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self.ok = True  # publishing works, as far as we know
        self._said_down = False  # logged that publishing fails; say so once an outage

    def publish(self, channel: str, payload: bytes) -> None:
        if len(self._outbox) >= OUTBOX_LIMIT:
            self._outbox.popleft()
            self._stats.broker_dropped += 1
        message = _Pending(next(self._numbers), channel, payload)
        self._outbox.append(message)
        self._drained.clear()
        if self._connection is not None:
            self._write(self._connection, message)

    def publish_now(self, channel: str, payload: bytes) -> bool:
        """Write at once, or drop it (False) while not connected: for messages that are
        stale a moment later, which must never wait behind a reconnection or fill the outbox."""
        connection = self._connection
        if connection is None:
            return False
        connection.send("PUBLISH", channel, payload)
        self._replies.append(_ignore)
        return True

    def _write(self, connection: RespConnection, message: _Pending) -> None:
        connection.send("PUBLISH", message.channel, message.payload)
        self._replies.append(partial(self._published, message.number))

    def _reply(self, reply: Any) -> None:
        if self._replies:
            self._replies.popleft()(reply)

    def _published(self, number: int, reply: Any) -> None:
        if not self._outbox or self._outbox[0].number != number:
            return  # dropped from a full outbox meanwhile, and counted then
        self._outbox.popleft()
        if isinstance(reply, ReplyError):  # not worth retrying: receivers fill the gap
            self._stats.broker_publish_errors += 1
            log.warning("redis: a publish failed: %s", reply)
        else:
            self._stats.broker_published += 1
        if not self._outbox:
            self._drained.set()

    def _logged_in(self, last: bool, reply: Any) -> None:
        if isinstance(reply, ReplyError):
            if not self._said_down:  # once an outage, not at every retry
                log.warning("redis: the publishing connection was refused: %s", reply)
            self.ok, self._said_down = False, True
            self.close()
        elif last:
            if not self.ok:
                log.warning("redis: publishing again")
            self.ok, self._said_down = True, False

    def _on_lost(self, exc: Exception | None) -> None:
        self._connection = None
        self._replies.clear()  # a PING waiting for its reply times out
        self._lost.set()

    async def run(self) -> None:
        pause = RECONNECT_MIN
        loop = asyncio.get_running_loop()
        while True:
            self._lost.clear()
            try:
                connection, logins = await open_session(
                    self._address, self._name, self._reply, self._on_lost
                )
            except (OSError, TimeoutError) as err:
                if not self._said_down:
                    log.warning("redis: cannot publish (%s); will retry", err)
                self.ok, self._said_down = False, True
                self._stats.broker_publish_errors += 1
                await asyncio.sleep(pause)
                pause = min(pause * 2, RECONNECT_MAX)
                continue
            last = logins - 1
            self._replies.extend(partial(self._logged_in, n == last) for n in range(logins))
            self._connection = connection
            for message in list(self._outbox):  # what was never acknowledged
                self._write(connection, message)
            connected = loop.time()
            await self._lost.wait()
            self.ok = False
            # Quick again after a blip; gentle with a connection that keeps being refused.
            lived = loop.time() - connected
            pause = RECONNECT_MIN if lived > RECONNECT_MAX else min(pause * 2, RECONNECT_MAX)
            await asyncio.sleep(pause)

    async def ping(self) -> str | None:
        connection = self._connection
        if connection is None:
            return "unreachable: not connected"
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        connection.send("PING")
        self._replies.append(partial(_settle, waiter))
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                reply = await waiter
        except TimeoutError:
            return "unreachable: no answer to PING"
        return f"unreachable: {reply}"[:200] if isinstance(reply, ReplyError) else None

    async def flush(self, seconds: float) -> None:
        if self.ok:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self._drained.wait()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def _ignore(reply: Any) -> None:
    if isinstance(reply, ReplyError):
        log.debug("redis: a live message was refused: %s", reply)


def _settle(waiter: asyncio.Future[Any], reply: Any) -> None:
    if not waiter.done():  # gone if the caller stopped waiting
        waiter.set_result(reply)


# Where the listener hands each message: its channel and its data, as Redis sent them.
OnMessage = Callable[[bytes, bytes], None]


class Listener:
    """SUBSCRIBE on one connection; every message goes to `on_message` as it is read.

    listener = Listener(address, "flowmap:42:sub", stats, on_message)
    task = asyncio.create_task(listener.run(reconnected=rooms.reconnected))
    await listener.subscribe("flowmap:board:b1", "flowmap:live:b1")   # once Redis confirmed
    """

    def __init__(self, address: Address, name: str, stats: Stats, on_message: OnMessage) -> None:
        self._address, self._name, self._stats = address, name, stats
        self._on_message = on_message
        self._reconnected: Callable[[], None] = lambda: None
        self._channels: set[str] = set()
        # Subscriptions written and not yet confirmed: channel -> who waits for it.
        self._waiting: dict[str, list[asyncio.Future[None]]] = {}
        self._connection: RespConnection | None = None
        self._lost = asyncio.Event()
        self._heard = 0.0
        self._said_down = False  # logged that Redis is away; say so again when it is back
        self._connected_once = False
        self.listening = False

    async def subscribe(self, *channels: str) -> None:
        self._channels.update(channels)
        if self._connection is None:
            return  # the next connection subscribes to them, then every room resyncs
        # Redis confirms each channel in the order named: the last one's means all are live.
        last = channels[-1]
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(last, []).append(waiter)
        self._connection.send("SUBSCRIBE", *channels)
        try:
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                await waiter
        except TimeoutError:
            log.debug("redis: no confirmation of the subscription to %s yet", last)
        finally:
            with contextlib.suppress(ValueError, KeyError):
                self._waiting[last].remove(waiter)

    def unsubscribe(self, *channels: str) -> None:
        self._channels.difference_update(channels)
        if self._connection is not None:
            self._connection.send("UNSUBSCRIBE", *channels)

    def _reply(self, reply: Any) -> None:
        self._heard = asyncio.get_running_loop().time()
        if not isinstance(reply, list) or not reply:
            if isinstance(reply, ReplyError):  # logging in failed, or worse
                if not self._said_down:
                    log.warning("redis: the listening connection was refused: %s", reply)
                    self._said_down = True
                self.close()
            return  # +OK of the login
        kind = reply[0]
        if kind == b"message":
            self._on_message(reply[1], reply[2])
        elif kind == b"subscribe":
            self._confirmed(reply[1].decode())

    def _confirmed(self, channel: str) -> None:
        if channel == HEARTBEAT_CHANNEL and not self.listening:
            # Redis answers in order: every channel subscribed before this one is live now.
            self.listening = True
            if self._connected_once:
                self._stats.broker_reconnects += 1
            if self._said_down:
                log.warning("redis: listening again; open boards re-read the op log")
            self._connected_once, self._said_down = True, False
            self._reconnected()
        for waiter in self._waiting.pop(channel, []):
            if not waiter.done():
                waiter.set_result(None)

    def _on_lost(self, exc: Exception | None) -> None:
        self._connection = None
        self._lost.set()

    async def run(self, reconnected: Callable[[], None]) -> None:
        self._reconnected = reconnected
        pause = RECONNECT_MIN
        while True:
            self._lost.clear()
            try:
                self._connection, _ = await open_session(
                    self._address, self._name, self._reply, self._on_lost
                )
                self._heard = asyncio.get_running_loop().time()
                self._connection.send("SUBSCRIBE", *sorted(self._channels), HEARTBEAT_CHANNEL)
                await self._watch()
            except (OSError, TimeoutError) as err:
                if self.listening or not self._said_down:
                    log.warning("redis: not listening (%s); reconnecting", err)
                    self._said_down = True
            else:  # the connection closed under us
                if self.listening:
                    log.warning("redis: the listening connection closed; reconnecting")
                    self._said_down = True
            finally:
                pause = RECONNECT_MIN if self.listening else min(pause * 2, RECONNECT_MAX)
                self.close()
                self._connection, self.listening = None, False
                self._release_waiters()
            await asyncio.sleep(pause)

    async def _watch(self) -> None:
        """Until the connection is lost: ping it when quiet, drop it when it stays silent."""
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await self._lost.wait()
            if self._lost.is_set():
                return
            if loop.time() - self._heard > DEAD_AFTER:
                raise TimeoutError("redis: no answer to pings")
            if self._connection is not None and loop.time() - self._heard >= HEARTBEAT_SECONDS:
                self._connection.send("PING")

    def _release_waiters(self) -> None:
        for waiters in self._waiting.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self._waiting.clear()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
