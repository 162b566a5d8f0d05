"""The plain ASGI adapter: a session over Starlette's websocket, and a cut-off that ends it."""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

from starlette.websockets import WebSocketState

from app.hub.frames import Outbound
from app.store.repository import Link
from app.transport import asgi
from app.transport.asgi import QueuedSocket, serve_asgi
from app.transport.session import Session
from tests.unit.test_session import World, hello


class FakeWebSocket:
    """What serve_asgi uses of Starlette's WebSocket; `receive` waits for `arrive`."""

    def __init__(self, stalled: bool = False) -> None:
        self.incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.application_state = WebSocketState.CONNECTED
        self._stalled = stalled  # a peer that reads nothing: sends never finish

    def arrive(self, message: dict[str, Any] | None) -> None:
        if message is None:
            self.incoming.put_nowait({"type": "websocket.disconnect"})
        else:
            self.incoming.put_nowait({"type": "websocket.receive", "text": json.dumps(message)})

    async def receive(self) -> dict[str, Any]:
        return await self.incoming.get()

    async def send_text(self, text: str) -> None:
        if self._stalled:
            await asyncio.Event().wait()
        self.sent.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self.application_state = WebSocketState.DISCONNECTED


def make(world: World) -> Any:
    return partial(
        Session, rooms=world.rooms, admission=world.admission, board_id="b",
        link=Link("b", "participant", "h"),
        on_end=lambda: None,
    )  # fmt: skip


async def test_a_session_runs_until_the_peer_disconnects_and_then_leaves() -> None:
    world = World()
    websocket = FakeWebSocket()
    serving = asyncio.ensure_future(serve_asgi(websocket, make(world)))  # type: ignore[arg-type]
    websocket.arrive(hello())
    websocket.arrive({"type": "ping", "t": 1})
    for _ in range(100):
        await asyncio.sleep(0)
        if any('"pong"' in text for text in websocket.sent):
            break
    assert world.rooms.stats.connections == 1 and world.rooms.peers_on("b") == 1
    websocket.arrive(None)
    await asyncio.wait_for(serving, 5)
    assert world.rooms.stats.connections == 0 and world.rooms.peers_on("b") == 0


async def test_a_peer_that_stops_reading_is_cut_off_while_its_session_waits_to_read(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(asgi, "GOODBYE_SECONDS", 0.05)
    world = World()
    websocket = FakeWebSocket(stalled=True)
    serving = asyncio.ensure_future(serve_asgi(websocket, make(world)))  # type: ignore[arg-type]
    websocket.arrive(hello())
    for _ in range(100):
        await asyncio.sleep(0)
        if world.rooms.peers_on("b"):
            break
    room = await world.rooms.get("b")
    assert room is not None
    [peer] = room.peers.values()
    assert isinstance(peer.socket, QueuedSocket)
    for i in range(asgi.SEND_QUEUE_FRAMES + 1):  # nothing drains: the queue overflows
        peer.socket.send(Outbound({"type": "pong", "t": i}))
    await asyncio.wait_for(serving, 5)  # the read it waited in was interrupted
    assert peer.socket.cut_off
    assert world.rooms.stats.connections == 0 and world.rooms.peers_on("b") == 0
    assert not serving.cancelled(), "a cut-off ends the session; it is not a cancellation"
