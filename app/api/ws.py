"""The live session: `WS /ws/boards/{id}`. Admits, parses and rate-limits frames for the room.

The handshake checks the page's origin and the link token (a client that keeps
sending wrong tokens gets 429). After it, each frame is parsed, charged to the
connection's budget (ratelimit.ConnectionLimits) and handed to the room.

Under `flowmap serve` the session takes its connection over once it has
joined (api/direct.py): frames then go straight onto the connection and
messages come straight to `_handle`, with no task of ours per connection.
Under another ASGI server the same session runs through ASGI with a
QueuedSocket. Either way a peer that stops reading is cut off and leaves the
board at once (api/sockets.py); its client reconnects and catches up from its
last seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from fastapi.responses import PlainTextResponse

from app.api.deps import (
    BoardDeleted,
    Services,
    TooManyGuesses,
    address_of,
    checked_link,
    get_services,
    token_from,
)
from app.api.direct import DIRECT_LINE, DirectLine
from app.api.limits import Admission, TooMany
from app.api.ratelimit import LINK_OPS_REFUSED, LIVE_REFUSED, OPS_REFUSED, ConnectionLimits
from app.api.sockets import GOODBYE_SECONDS, DirectSocket, QueuedSocket
from app.api.strict import StrictJsonRoute
from app.hub.frames import Outbound
from app.hub.identity import client_of, ephemeral
from app.hub.room import Peer, Room
from app.protocol import (
    METRICS_PATCH,
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
router = APIRouter(route_class=StrictJsonRoute)
Message = Hello | OpsMessage | Drag | Cursor | Ping | View
Socket = DirectSocket | QueuedSocket

# Close codes: policy violation; protocol error; try again later.
REFUSED = 1008
PROTOCOL_ERROR = 1002
TRY_AGAIN = 1013
# How long a join waits for its room to read the op log (a client ahead of this process).
CATCH_UP_SECONDS = 5.0
# ASGI's extension for answering a refused handshake with an HTTP status and body.
DENIAL_EXTENSION = "websocket.http.response"


def origin_allowed(websocket: WebSocket, services: Services) -> bool:
    """Refuse cross-site websocket hijacking: the page must come from us or an allowed origin.

    Origins are compared whole (scheme, host and port): `https://` or `file://` pages
    claiming our host are other origins. Ours is FLOWMAP_PUBLIC_URL's when it is set,
    else the one this request was made to.
    """
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser (scripts, tests): the token alone decides
        return True
    settings = services.settings
    allowed = {_origin(o) for o in settings.allowed_origins}
    if settings.public_url:
        allowed.add(_origin(settings.public_url))
    else:
        scheme = "https" if websocket.url.scheme == "wss" else "http"
        allowed.add(_origin(f"{scheme}://{websocket.headers.get('host', '')}"))
    return _origin(origin) in allowed - {None}


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL, default ports filled in; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


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
    except BoardDeleted as gone:
        await _refuse(websocket, 404, str(gone))
        return None
    if link is None:
        await _refuse(websocket, 403, "this link does not open this board (wrong or revoked)")
        return None
    full = services.settings.peers_per_board
    if services.rooms.peers_on(board_id) >= full:
        await _refuse(websocket, 503, f"this board is full ({full} people)", retry_after=30)
        return None
    try:
        services.admission.may_connect(address_of(websocket))
    except TooMany as busy:
        await _refuse(websocket, 429, str(busy.detail), retry_after=busy.retry_after)
        return None
    return link


@router.websocket("/ws/boards/{board_id}")
async def board_socket(websocket: WebSocket, board_id: str) -> None:
    services = get_services(websocket)
    link = await _admit(websocket, services, board_id)
    if link is None:
        return
    closed = services.admission.opened(address_of(websocket))  # once, however it ends
    try:
        await websocket.accept()
        line = websocket.scope.get("extensions", {}).get(DIRECT_LINE)
        if isinstance(line, DirectLine):
            if not await _serve_direct(websocket, line, services, board_id, link, closed):
                closed()
        else:
            await _serve_queued(websocket, services, board_id, link)
            closed()
    except BaseException:
        closed()
        raise


async def _join(
    websocket: WebSocket, socket: Socket, services: Services, board_id: str, link: Link,
    limits: ConnectionLimits,
) -> tuple[Room, Peer] | None:  # fmt: skip
    """Wait for the hello, then join the board; None if the session ended first."""
    hello = await _await_hello(websocket, socket, limits)
    if hello is None:
        return None
    room = await services.rooms.get(board_id)
    if room is not None and hello.since is not None and hello.since > room.seq:
        # The client saw a later board on another process: this one catches up first.
        try:
            async with asyncio.timeout(CATCH_UP_SECONDS):
                caught_up = await room.caught_up()
        except TimeoutError:
            caught_up = False
        if not caught_up:
            socket.close(TRY_AGAIN, "this server is catching up; reconnect in a moment")
            return None
        room = await services.rooms.get(board_id)  # the same room, unless it was unloaded
    if room is None:
        socket.close(REFUSED, "no such board")
        return None
    peer = Peer(
        id="", name=hello.name, role=link.role, socket=socket,
        client=client_of(hello.key) if hello.key else ephemeral(), link=link.token_hash,
        patches=METRICS_PATCH in hello.features,
    )  # fmt: skip
    room.join(peer, hello.since)  # no await between get and join: the room stays loaded
    return room, peer


async def _serve_direct(
    websocket: WebSocket, line: DirectLine, services: Services, board_id: str, link: Link,
    closed: Callable[[], None],
) -> bool:  # fmt: skip
    """Join, then hand the connection to the session and return: no task stays behind.

    True once the connection is the session's (`closed` is then called when it ends).
    """
    socket = DirectSocket(line)
    limits = ConnectionLimits()
    joined = await _join(websocket, socket, services, board_id, link, limits)
    if joined is None:
        return False
    room, peer = joined
    stats = services.rooms.stats
    stats.connections += 1
    admission = services.admission

    def on_message(raw: str | bytes) -> None:
        _handle(raw, socket, room, peer, limits, admission)

    def on_close() -> None:
        socket.closed = True
        stats.connections -= 1
        room.leave(peer)
        closed()

    socket.on_cut_off = on_close  # a cut-off peer leaves now, not when its line drains
    line.take_over(on_message, on_close)
    return True


async def _serve_queued(
    websocket: WebSocket, services: Services, board_id: str, link: Link
) -> None:
    """The session through ASGI, for servers without the direct line."""
    socket = QueuedSocket(websocket)
    stats = services.rooms.stats
    stats.connections += 1
    joined: tuple[Room, Peer] | None = None
    try:
        # A cut-off peer leaves now, not when (if ever) its last frame drains.
        async with asyncio.timeout(None) as cut:
            socket.on_cut_off = lambda: _expire(cut)
            limits = ConnectionLimits()
            joined = await _join(websocket, socket, services, board_id, link, limits)
            if joined is None:
                return
            room, peer = joined
            async for raw in _frames(websocket, socket):
                _handle(raw, socket, room, peer, limits, services.admission)
    except TimeoutError:
        if not socket.cut_off:
            raise
    finally:
        socket.on_cut_off = lambda: None
        stats.connections -= 1
        if joined is not None:
            joined[0].leave(joined[1])
        await socket.stop(grace=GOODBYE_SECONDS)


def _expire(cut: asyncio.Timeout) -> None:
    with contextlib.suppress(RuntimeError):  # the session already ended
        if not cut.expired():
            cut.reschedule(-1.0)


async def _frames(websocket: WebSocket, socket: Socket) -> AsyncIterator[str | bytes]:
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


def _parse(raw: str | bytes, socket: Socket, limits: ConnectionLimits) -> Message | None:
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


def _notice(socket: Socket, limits: ConnectionLimits) -> None:
    if limits.live_notice:
        socket.send(_error("rate_limited", LIVE_REFUSED))


async def _await_hello(
    websocket: WebSocket, socket: Socket, limits: ConnectionLimits
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


def _handle(
    raw: str | bytes, socket: Socket, room: Room, peer: Peer, limits: ConnectionLimits,
    admission: Admission,
) -> None:  # fmt: skip
    """One message from a peer that has joined."""
    message = _parse(raw, socket, limits)
    if message is None:
        return
    if isinstance(message, OpsMessage):
        _submit(socket, room, peer, message, limits, admission)
    elif isinstance(message, Drag | Cursor) and peer.role == "viewer":
        return  # viewers watch; their pointer is not broadcast
    elif isinstance(message, Drag):
        room.drag(peer, [(m.id, m.x, m.y) for m in message.moves])
    elif isinstance(message, Cursor):
        room.cursor(peer, message.x, message.y)
    elif isinstance(message, View):
        room.view(peer, message.x, message.y, message.w, message.h)
    elif isinstance(message, Ping):
        socket.send(Outbound({"type": "pong", "t": message.t}))
    else:
        socket.send(_error("malformed", "hello was already sent"))


def _submit(
    socket: Socket, room: Room, peer: Peer, message: OpsMessage, limits: ConnectionLimits,
    admission: Admission,
) -> None:  # fmt: skip
    missing = next((i for i, op in enumerate(message.ops) if op.cid is None), None)
    if missing is not None:
        socket.send(_error("malformed", f"ops.{missing}.cid: every operation needs a cid"))
    elif not limits.allow_ops(len(message.ops)):
        for op in message.ops:  # each comes back refused, so the client drops it and says why
            socket.send(_error("rate_limited", OPS_REFUSED, op.cid))
    elif admission.ops_wait(peer.link, len(message.ops)):  # the link's budget, all its sessions
        for op in message.ops:
            socket.send(_error("rate_limited", LINK_OPS_REFUSED, op.cid))
    else:
        room.submit(peer, message.ops)


def _error(code: str, reason: str, cid: str | None = None) -> Outbound:
    return Outbound(error(code, reason, cid))
