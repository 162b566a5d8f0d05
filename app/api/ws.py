"""The live session: `WS /ws/boards/{id}`. Admits, parses and rate-limits frames for the room.

The handshake checks the page's origin and the link token (a client that keeps
sending wrong tokens gets 429). After it, each frame is parsed, charged to the
connection's budget (ratelimit.ConnectionLimits) and handed to the room. What
the room sends goes through a QueuedSocket, whose queue is bounded: a peer that
stops reading is cut off and leaves the board at once; its client reconnects
and catches up from its last seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, WebSocket
from fastapi.responses import PlainTextResponse
from starlette.websockets import WebSocketState

from app.api.deps import Services, TooManyGuesses, checked_link, get_services, token_from
from app.api.ratelimit import LIVE_REFUSED, OPS_REFUSED, ConnectionLimits
from app.hub.room import Peer, Room
from app.protocol import (
    PROTOCOL_VERSION,
    Cursor,
    Drag,
    Hello,
    Malformed,
    OpsMessage,
    Ping,
    View,
    error,
    parse_client_message,
)
from app.store.repository import Link

log = logging.getLogger(__name__)
router = APIRouter()
Message = Hello | OpsMessage | Drag | Cursor | Ping | View

# A peer may fall this far behind before it counts as too slow: it is cut off, and its
# client reconnects and catches up from the op log. Bounded in frames and in characters
# (~bytes), so one stalled laptop holds at most a few MiB of server memory.
SEND_QUEUE_FRAMES = 512
SEND_QUEUE_CHARS = 4 * 1024 * 1024
# After cutting a peer off, how long to try to deliver the close frame that says why;
# a peer that reads nothing never takes it, and the line is dropped.
GOODBYE_SECONDS = 2.0
# Close codes: policy violation; protocol error; "try again later" (too slow).
REFUSED = 1008
PROTOCOL_ERROR = 1002
TOO_SLOW = 1013
# ASGI's extension for answering a refused handshake with an HTTP status and body.
DENIAL_EXTENSION = "websocket.http.response"


class QueuedSocket:
    """A PeerSocket over a Starlette websocket: `send` queues (never waits), one task writes.

        socket = QueuedSocket(websocket, on_cut_off=leave_now)
        socket.send(frame)        # from the room; cut off if the queue is over its bound
        socket.close(1011, "why") # after what is queued
    """

    def __init__(self, websocket: WebSocket, on_cut_off: Callable[[], None] | None = None) -> None:
        self._ws = websocket
        self._frames: deque[str] = deque()
        self._chars = 0
        self._closing: tuple[int, str] | None = None
        self._ready = asyncio.Event()
        self.on_cut_off = on_cut_off or (lambda: None)
        self.closed = False
        self.cut_off = False
        self._writer = asyncio.get_running_loop().create_task(self._write())

    def send(self, frame: str) -> None:
        if self.closed:
            return
        if self._frames and (
            len(self._frames) >= SEND_QUEUE_FRAMES or self._chars + len(frame) > SEND_QUEUE_CHARS
        ):  # one frame always fits, however large: a big welcome is not "slow"
            self._cut(reason="too far behind")
            return
        self._frames.append(frame)
        self._chars += len(frame)
        self._ready.set()

    @property
    def backlog(self) -> int:
        """Frames queued and not yet handed to the connection."""
        return len(self._frames)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued."""
        if not self.closed:
            self.closed = True
            self._closing = (code, reason)
            self._ready.set()

    def _cut(self, reason: str) -> None:
        log.info("cutting a peer off: %s", reason)
        self.closed = True
        self.cut_off = True
        self._frames.clear()
        self._chars = 0
        self.on_cut_off()

    async def _write(self) -> None:
        try:
            while True:
                await self._ready.wait()
                self._ready.clear()
                while self._frames:
                    frame = self._frames.popleft()
                    self._chars -= len(frame)
                    await self._ws.send_text(frame)
                if self._closing is not None:
                    await _close(self._ws, *self._closing)
                    return
        except Exception:  # the peer went away mid-send: nobody is reading, end the session
            if not self.closed:
                self._cut(reason="send failed")

    async def stop(self, grace: float = 0.0) -> None:
        """Stop writing; with a close pending, first give it `grace` seconds to go out."""
        self.closed = True
        if self._closing is not None and grace > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._writer), grace)
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(Exception):
            await websocket.close(code, reason)


def origin_allowed(websocket: WebSocket, services: Services) -> bool:
    """Refuse cross-site websocket hijacking: the page must come from us or an allowed origin."""
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser (scripts, tests): the token alone decides
        return True
    if origin in services.settings.allowed_origins:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


async def _refuse(websocket: WebSocket, status: int, reason: str, retry_after: int = 0) -> None:
    """Refuse the handshake with an HTTP status and a reason a developer can read."""
    if DENIAL_EXTENSION not in websocket.scope.get("extensions", {}):
        await websocket.close(REFUSED, reason)
        return
    headers = {"retry-after": str(retry_after)} if retry_after else None
    await websocket.send_denial_response(PlainTextResponse(reason, status, headers))


async def _admit(websocket: WebSocket, services: Services, board_id: str) -> Link | None:
    """The link this handshake opens, or None once it has been refused."""
    if not origin_allowed(websocket, services):
        await _refuse(websocket, 403, "this page's origin may not open Flowmap boards")
        return None
    token = token_from(websocket.headers.get("authorization"), websocket.query_params.get("token"))
    try:
        link = await checked_link(websocket, services, token, board_id)
    except TooManyGuesses as slow:
        await _refuse(websocket, 429, str(slow), retry_after=slow.retry_after)
        return None
    if link is None:
        await _refuse(websocket, 403, "this link does not open this board (wrong or revoked)")
    return link


@router.websocket("/ws/boards/{board_id}")
async def board_socket(websocket: WebSocket, board_id: str) -> None:
    services = get_services(websocket)
    link = await _admit(websocket, services, board_id)
    if link is None:
        return
    await websocket.accept()
    socket = QueuedSocket(websocket)
    stats = services.rooms.stats
    stats.connections += 1
    room: Room | None = None
    peer: Peer | None = None
    try:
        # A cut-off peer leaves now, not when (if ever) its last frame drains.
        async with asyncio.timeout(None) as cut:
            socket.on_cut_off = lambda: _expire(cut)
            limits = ConnectionLimits()
            hello = await _await_hello(websocket, socket, limits)
            if hello is None:
                return
            room = await services.rooms.get(board_id)
            if room is None:
                socket.close(REFUSED, "no such board")
                return
            peer = Peer(
                id="", name=hello.name, role=link.role, socket=socket,
                client=hello.client or "", link=link.token_hash,
            )  # fmt: skip
            room.join(peer, hello.since)  # no await between get and join: the room stays loaded
            await _serve(websocket, socket, room, peer, limits)
    except TimeoutError:
        if not socket.cut_off:
            raise
    finally:
        socket.on_cut_off = lambda: None
        stats.connections -= 1
        if room is not None and peer is not None:
            room.leave(peer)
        await socket.stop(grace=GOODBYE_SECONDS)
        if socket.cut_off:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(GOODBYE_SECONDS):
                    await _close(websocket, TOO_SLOW, "too slow; reconnect to catch up")


def _expire(cut: asyncio.Timeout) -> None:
    with contextlib.suppress(RuntimeError):  # the session already ended
        if not cut.expired():
            cut.reschedule(-1.0)


async def _frames(websocket: WebSocket, socket: QueuedSocket) -> AsyncIterator[str | bytes]:
    while True:
        if socket.backlog:
            # Let the writer hand our replies on before reading more: frames already
            # received come back without a pause, and one refused 200-op message
            # queues 200 errors, so a burst of them must not count as a slow reader.
            await asyncio.sleep(0)
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        data = message.get("text")
        yield data if data is not None else message.get("bytes") or b""


def _parse(raw: str | bytes, socket: QueuedSocket, limits: ConnectionLimits) -> Message | None:
    """The message, or None when it was malformed or over the live budget (answered here)."""
    try:
        message = parse_client_message(raw)
    except Malformed as bad:
        if limits.allow_live():
            socket.send(_error(bad.code, bad.reason))
        else:
            _notice(socket, limits)
        return None
    if not isinstance(message, OpsMessage) and not limits.allow_live():
        _notice(socket, limits)
        return None
    return message


def _notice(socket: QueuedSocket, limits: ConnectionLimits) -> None:
    if limits.live_notice:
        socket.send(_error("rate_limited", LIVE_REFUSED))


async def _await_hello(
    websocket: WebSocket, socket: QueuedSocket, limits: ConnectionLimits
) -> Hello | None:
    async for raw in _frames(websocket, socket):
        message = _parse(raw, socket, limits)
        if message is None:
            continue
        if not isinstance(message, Hello):
            socket.send(_error("hello_first", "send hello before anything else"))
            continue
        if message.protocol != PROTOCOL_VERSION:
            socket.send(_error("malformed", f"protocol {message.protocol} is not spoken here"))
            socket.close(PROTOCOL_ERROR, "protocol version; reload the page")
            return None
        return message
    return None


async def _serve(
    websocket: WebSocket, socket: QueuedSocket, room: Room, peer: Peer, limits: ConnectionLimits
) -> None:
    async for raw in _frames(websocket, socket):
        message = _parse(raw, socket, limits)
        if message is None:
            continue
        if isinstance(message, OpsMessage):
            _submit(socket, room, peer, message, limits)
        elif isinstance(message, Drag | Cursor) and peer.role == "viewer":
            continue  # viewers watch; their pointer is not broadcast
        elif isinstance(message, Drag):
            room.drag(peer, [(m.id, m.x, m.y) for m in message.moves])
        elif isinstance(message, Cursor):
            room.cursor(peer, message.x, message.y)
        elif isinstance(message, View):
            room.view(peer, message.x, message.y, message.w, message.h)
        elif isinstance(message, Ping):
            socket.send(orjson.dumps({"type": "pong", "t": message.t}).decode())
        else:
            socket.send(_error("malformed", "hello was already sent"))


def _submit(
    socket: QueuedSocket, room: Room, peer: Peer, message: OpsMessage, limits: ConnectionLimits
) -> None:
    missing = next((i for i, op in enumerate(message.ops) if op.cid is None), None)
    if missing is not None:
        socket.send(_error("malformed", f"ops.{missing}.cid: every operation needs a cid"))
    elif not limits.allow_ops(len(message.ops)):
        for op in message.ops:  # each comes back refused, so the client drops it and says why
            socket.send(_error("rate_limited", OPS_REFUSED, op.cid))
    else:
        room.submit(peer, message.ops)


def _error(code: str, reason: str, cid: str | None = None) -> str:
    return orjson.dumps(error(code, reason, cid)).decode()
