"""The live session: `WS /ws/boards/{id}`. Parses frames and hands them to the room."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketState

from app.api.deps import Services, get_services, lookup_link, token_from
from app.hub.room import Peer, Room
from app.protocol import (
    PROTOCOL_VERSION,
    Cursor,
    Drag,
    Hello,
    Malformed,
    OpsMessage,
    Ping,
    error,
    parse_client_message,
)

log = logging.getLogger(__name__)
router = APIRouter()

# Frames queued for one peer before it counts as too slow: it is cut off, and its
# client reconnects and catches up, so one stalled laptop cannot grow server memory.
SEND_QUEUE_LIMIT = 512
# Policy violation: the handshake is refused (HTTP 403) before accept.
REFUSED = 1008
TOO_SLOW = 1013


class QueuedSocket:
    """A PeerSocket over a Starlette websocket: `send` queues, one task writes."""

    def __init__(self, websocket: WebSocket) -> None:
        self._ws = websocket
        self._queue: asyncio.Queue[str | tuple[int, str]] = asyncio.Queue(SEND_QUEUE_LIMIT)
        self._writer = asyncio.get_running_loop().create_task(self._write())
        self.closed = False

    def send(self, frame: str) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.closed = True
            self._writer.cancel()
            asyncio.get_running_loop().create_task(self._close_now(TOO_SLOW, "too slow; reconnect"))

    def close(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait((code, reason))

    async def _write(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                if isinstance(item, tuple):
                    await self._close_now(*item)
                    return
                await self._ws.send_text(item)
        except Exception:  # the peer went away mid-send; the reader notices and cleans up
            self.closed = True

    async def _close_now(self, code: int, reason: str) -> None:
        if self._ws.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self._ws.close(code, reason)

    async def stop(self) -> None:
        self.closed = True
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer


def origin_allowed(websocket: WebSocket, services: Services) -> bool:
    """Refuse cross-site websocket hijacking: the page must come from us or an allowed origin."""
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser (scripts, tests): the token alone decides
        return True
    if origin in services.settings.allowed_origins:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


@router.websocket("/ws/boards/{board_id}")
async def board_socket(websocket: WebSocket, board_id: str) -> None:
    services = get_services(websocket)
    token = token_from(websocket.headers.get("authorization"), websocket.query_params.get("token"))
    link = await lookup_link(services, token, board_id)
    if link is None or not origin_allowed(websocket, services):
        await websocket.close(REFUSED)
        return
    await websocket.accept()
    socket = QueuedSocket(websocket)
    stats = services.rooms.stats
    stats.connections += 1
    room: Room | None = None
    peer: Peer | None = None
    try:
        hello = await _await_hello(websocket, socket)
        if hello is None:
            return
        room = await services.rooms.get(board_id)
        if room is None:
            socket.close(REFUSED, "no such board")
            return
        peer = Peer(id="", name=hello.name, role=link.role, socket=socket)
        room.join(peer, hello.since)  # no await between get and join: the room cannot be unloaded
        await _serve(websocket, socket, room, peer)
    finally:
        stats.connections -= 1
        if room is not None and peer is not None:
            room.leave(peer)
        await socket.stop()


async def _frames(websocket: WebSocket):  # type: ignore[no-untyped-def]
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        data = message.get("text")
        yield data if data is not None else message.get("bytes") or b""


async def _await_hello(websocket: WebSocket, socket: QueuedSocket) -> Hello | None:
    async for raw in _frames(websocket):
        try:
            message = parse_client_message(raw)
        except Malformed as bad:
            socket.send(_error(bad.code, bad.reason))
            continue
        if not isinstance(message, Hello):
            socket.send(_error("hello_first", "send hello before anything else"))
            continue
        if message.protocol != PROTOCOL_VERSION:
            socket.send(_error("malformed", f"protocol {message.protocol} is not spoken here"))
            socket.close(1002, "protocol version; reload the page")
            return None
        return message
    return None


async def _serve(websocket: WebSocket, socket: QueuedSocket, room: Room, peer: Peer) -> None:
    async for raw in _frames(websocket):
        try:
            message = parse_client_message(raw)
        except Malformed as bad:
            socket.send(_error(bad.code, bad.reason))
            continue
        if isinstance(message, OpsMessage):
            missing = next((i for i, op in enumerate(message.ops) if op.cid is None), None)
            if missing is not None:
                socket.send(_error("malformed", f"ops.{missing}.cid: every operation needs a cid"))
            else:
                room.submit(peer, message.ops)
        elif isinstance(message, Drag | Cursor) and peer.role == "viewer":
            continue  # viewers watch; their pointer is not broadcast
        elif isinstance(message, Drag):
            room.drag(peer, [(m.id, m.x, m.y) for m in message.moves])
        elif isinstance(message, Cursor):
            room.cursor(peer, message.x, message.y)
        elif isinstance(message, Ping):
            socket.send(orjson.dumps({"type": "pong", "t": message.t}).decode())
        else:
            socket.send(_error("malformed", "hello was already sent"))


def _error(code: str, reason: str) -> str:
    return orjson.dumps(error(code, reason)).decode()
