"""The in-process broker: the default, when one process holds every board's peers.

On its own a MemoryBroker has nobody to tell, so `publish` costs nothing. Several
brokers joined to one MemoryBus behave like processes sharing a Redis, which lets
unit tests run two "processes" in one event loop, and lose messages on purpose.

    broker = MemoryBroker()                      # one process: publish is a no-op
    bus = MemoryBus()
    a, b = MemoryBroker(bus), MemoryBroker(bus)  # two processes, one board order
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from app.hub.ports import Deliver, DeliverLive


class MemoryBus:
    """What Redis is to processes, for brokers in one event loop; tests can drop or cut it.

    bus.drop_next = 1   # the next message of entries reaches nobody (live ones are not counted)
    bus.drop_live_next = 1   # the next live message reaches nobody
    bus.set_up(False)   # an outage: publishes fail, nothing is delivered
    await broker.close()  # that "process" is gone: nothing it publishes arrives any more
    """

    def __init__(self) -> None:
        self.brokers: list[MemoryBroker] = []
        self.up = True
        self.drop_next = 0
        self.delivered = 0
        self.drop_live_next = 0
        self.live_sent: list[dict[str, Any]] = []  # every live message published, in order

    def send(self, sender: MemoryBroker, board_id: str, entries: list[dict[str, Any]]) -> bool:
        if not self.up or sender not in self.brokers:
            return False
        if self.drop_next:
            self.drop_next -= 1
            return True  # lost on the way, as pub/sub may: the sender cannot tell
        for broker in self.brokers:
            if broker is not sender and board_id in broker.boards:
                broker.arrive(board_id, entries)
        return True

    def send_live(self, sender: MemoryBroker, board_id: str, message: dict[str, Any]) -> None:
        if not self.up or sender not in self.brokers:
            return  # dropped, as a live message is while Redis is away
        self.live_sent.append(message)
        if self.drop_live_next:
            self.drop_live_next -= 1
            return
        wire = orjson.dumps(message)  # each receiver gets its own copy, as over a socket
        for broker in self.brokers:
            if broker is not sender and board_id in broker.boards:
                broker.arrive_live(board_id, sender.origin, orjson.loads(wire))

    def set_up(self, up: bool) -> None:
        """Cut or restore the bus; on restore every broker reconnects (and its rooms resync)."""
        self.up = up
        if up:
            for broker in self.brokers:
                broker.reconnect()


class MemoryBroker:
    """A Broker without a network. Delivery is on the next loop turn, as from a socket."""

    def __init__(self, bus: MemoryBus | None = None) -> None:
        self._bus = bus or MemoryBus()
        self._bus.brokers.append(self)
        self.boards: set[str] = set()
        self.origin = secrets.token_hex(4)
        self._deliver: Deliver | None = None
        self._deliver_live: DeliverLive | None = None
        self._reconnected: Callable[[], None] | None = None

    @property
    def shared(self) -> bool:
        return len(self._bus.brokers) > 1

    @property
    def healthy(self) -> bool:
        return self._bus.up

    async def start(
        self, deliver: Deliver, reconnected: Callable[[], None], live: DeliverLive | None = None
    ) -> None:
        self._deliver, self._reconnected, self._deliver_live = deliver, reconnected, live

    async def subscribe(self, board_id: str) -> None:
        self.boards.add(board_id)

    async def unsubscribe(self, board_id: str) -> None:
        self.boards.discard(board_id)

    def publish(self, board_id: str, entries: Sequence[dict[str, Any]]) -> None:
        if self.shared:
            self._bus.send(self, board_id, list(entries))

    def publish_live(self, board_id: str, message: dict[str, Any]) -> None:
        if self.shared:
            self._bus.send_live(self, board_id, message)

    def arrive(self, board_id: str, entries: list[dict[str, Any]]) -> None:
        if self._deliver is not None:
            self._bus.delivered += 1
            asyncio.get_running_loop().call_soon(self._deliver, board_id, entries)

    def arrive_live(self, board_id: str, origin: str, message: dict[str, Any]) -> None:
        if self._deliver_live is not None:
            asyncio.get_running_loop().call_soon(self._deliver_live, board_id, origin, message)

    def reconnect(self) -> None:
        if self._reconnected is not None:
            self._reconnected()

    async def check(self) -> str | None:
        return None if self._bus.up else "the in-memory bus is down"

    async def close(self) -> None:
        if self in self._bus.brokers:
            self._bus.brokers.remove(self)
