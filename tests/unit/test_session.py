"""The websocket session, transport aside: hello, join, messages, leave, stats, once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from app.api.limits import Admission
from app.config import Settings
from app.domain.elements import Board, Step
from app.hub.rooms import Rooms
from app.protocol import PROTOCOL_VERSION
from app.store.memory import MemoryBoardStore
from app.store.repository import Link
from app.transport.session import PROTOCOL_ERROR, REFUSED, Session
from tests.support.fake_socket import FakeSocket
from tests.unit.test_room import count_metrics


async def frames(*messages: dict[str, object]) -> AsyncIterator[str | bytes]:
    for message in messages:
        yield json.dumps(message)


def hello(name: str = "Ada", **more: object) -> dict[str, object]:
    return {"type": "hello", "protocol": PROTOCOL_VERSION, "name": name, **more}


class World:
    def __init__(self) -> None:
        store = MemoryBoardStore(immediate=True)
        store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start")}))
        self.rooms = Rooms(store, count_metrics, idle_seconds=60)
        self.admission = Admission(Settings())
        self.ended = 0

    def session(self, board_id: str = "b", role: str = "participant") -> tuple[Session, FakeSocket]:
        socket = FakeSocket(closable=True)
        session = Session(
            socket, self.rooms, self.admission, board_id, Link(board_id, role, "h1"),
            on_end=self._end,
        )  # fmt: skip
        return session, socket

    def _end(self) -> None:
        self.ended += 1


async def test_a_hello_joins_the_board_and_the_session_counts_until_it_ends() -> None:
    world = World()
    session, socket = world.session()
    assert await session.open(frames(hello()))
    assert socket.of("welcome")[0]["you"]["name"] == "Ada"
    assert world.rooms.stats.connections == 1 and world.rooms.peers_on("b") == 1
    session.end()
    session.end()  # however many ways it ends, once
    assert world.rooms.stats.connections == 0 and world.rooms.peers_on("b") == 0
    assert world.ended == 2, "the admission's own callback is idempotent; it is always told"


async def test_anything_before_hello_is_answered_and_ignored() -> None:
    world = World()
    session, socket = world.session()
    assert await session.open(frames({"type": "ping", "t": 1}, hello()))
    assert [m["type"] for m in socket.sent[:2]] == ["error", "welcome"]
    assert socket.sent[0]["code"] == "hello_first"


async def test_another_protocol_version_is_closed_and_never_joins() -> None:
    world = World()
    session, socket = world.session()
    assert not await session.open(frames({**hello(), "protocol": PROTOCOL_VERSION + 1}))
    assert socket.closed is not None and socket.closed[0] == PROTOCOL_ERROR
    session.end()
    assert world.rooms.stats.connections == 0


async def test_no_such_board_is_refused() -> None:
    world = World()
    session, socket = world.session(board_id="nope")
    assert not await session.open(frames(hello()))
    assert socket.closed is not None and socket.closed[0] == REFUSED


async def test_messages_reach_the_room_and_pings_come_back() -> None:
    world = World()
    session, socket = world.session()
    assert await session.open(frames(hello()))
    cid = f"{session.peer.client}:1" if session.peer else ""
    session.handle(json.dumps({"type": "ping", "t": 5}))
    session.handle(json.dumps({"type": "ops", "ops": [
        {"op": "update", "cid": cid, "id": "s0", "set": {"x": 3}}]}))  # fmt: skip
    await asyncio.sleep(0)
    assert socket.of("pong") == [{"type": "pong", "t": 5}]
    assert [e["cid"] for m in socket.of("ops") for e in m["ops"]] == [cid]


async def test_ops_without_a_cid_and_a_second_hello_are_malformed() -> None:
    world = World()
    session, socket = world.session()
    assert await session.open(frames(hello()))
    session.handle(json.dumps({"type": "ops", "ops": [{"op": "delete", "id": "s0"}]}))
    session.handle(json.dumps(hello()))
    assert [m["code"] for m in socket.of("error")] == ["malformed", "malformed"]


async def test_a_viewers_pointer_is_not_broadcast() -> None:
    world = World()
    viewer, _ = world.session(role="viewer")
    watcher, watcher_socket = world.session()
    assert await viewer.open(frames(hello("Vic")))
    assert await watcher.open(frames(hello("Wes")))
    viewer.handle(json.dumps({"type": "cursor", "x": 1, "y": 2}))
    await asyncio.sleep(0.1)
    assert watcher_socket.of("transient") == []
