"""One peer's live session on a board: its hello and join, each message, its leave.

The same session runs over either transport (asgi.py, uvicorn_line.py): the
adapter feeds it frames and ends it, the session decides what each frame means.
Each frame is parsed, charged to the connection's budget
(ratelimit.ConnectionLimits) and handed to the room. The session counts itself
in `stats.connections` from `open` until `end`, and `end` runs once, however
the connection ends.

    session = Session(socket, rooms, admission, board_id, link, on_end=closed)
    if await session.open(frames):   # waits for hello, joins the board
        for raw in frames: session.handle(raw)
    session.end()
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from app.api.limits import Admission
from app.api.ratelimit import LINK_OPS_REFUSED, LIVE_REFUSED, OPS_REFUSED, ConnectionLimits
from app.hub.frames import Outbound
from app.hub.identity import client_of, ephemeral
from app.hub.plan import Peer
from app.hub.room import Room
from app.hub.rooms import Rooms
from app.hub.stats import Stats
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

Message = Hello | OpsMessage | Drag | Cursor | Ping | View

# Close codes: policy violation; protocol error; try again later.
REFUSED = 1008
PROTOCOL_ERROR = 1002
TRY_AGAIN = 1013
# How long a join waits for its room to read the op log (a client ahead of this process).
CATCH_UP_SECONDS = 5.0


class SessionSocket(Protocol):
    """A PeerSocket (hub/ports.py) that also says how many frames wait on our side."""

    def send(self, frame: Outbound) -> None: ...

    def close(self, code: int, reason: str) -> None: ...

    @property
    def backlog(self) -> int: ...


class Session:
    """One connection's session; see the module docstring."""

    __slots__ = (
        "_admission", "_board_id", "_ended", "_link", "_on_end", "_rooms", "_stats",
        "limits", "peer", "room", "socket",
    )  # fmt: skip

    def __init__(
        self,
        socket: SessionSocket,
        rooms: Rooms,
        admission: Admission,
        board_id: str,
        link: Link,
        on_end: Callable[[], None],
    ) -> None:
        self.socket = socket
        self.limits = ConnectionLimits()
        self.room: Room | None = None
        self.peer: Peer | None = None
        self._rooms = rooms
        self._stats: Stats = rooms.stats
        self._admission = admission
        self._board_id = board_id
        self._link = link
        self._on_end = on_end
        self._ended = True  # until open: nothing to undo

    async def open(self, frames: AsyncIterator[str | bytes]) -> bool:
        """Wait for the hello among `frames`, then join the board; False if it ended first."""
        self._ended = False
        self._stats.connections += 1
        hello = await self._await_hello(frames)
        return hello is not None and await self._join(hello)

    def end(self) -> None:
        """Leave the board and stop counting; once, however the connection ended."""
        if self._ended:
            self._on_end()
            return
        self._ended = True
        self._stats.connections -= 1
        if self.room is not None and self.peer is not None:
            self.room.leave(self.peer)
        self._on_end()

    async def _await_hello(self, frames: AsyncIterator[str | bytes]) -> Hello | None:
        socket = self.socket
        async for raw in frames:
            message = self._parse(raw)
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

    async def _join(self, hello: Hello) -> bool:
        rooms, board_id = self._rooms, self._board_id
        room = await rooms.get(board_id)
        if room is not None and hello.since is not None and hello.since > room.seq:
            # The client saw a later board on another process: this one catches up first.
            try:
                async with asyncio.timeout(CATCH_UP_SECONDS):
                    caught_up = await room.caught_up()
            except TimeoutError:
                caught_up = False
            if not caught_up:
                self.socket.close(TRY_AGAIN, "this server is catching up; reconnect in a moment")
                return False
            room = await rooms.get(board_id)  # the same room, unless it was unloaded
        if room is None:
            self.socket.close(REFUSED, "no such board")
            return False
        link = self._link
        peer = Peer(
            id="", name=hello.name, role=link.role, socket=self.socket,
            client=client_of(hello.key) if hello.key else ephemeral(), link=link.token_hash,
            patches=METRICS_PATCH in hello.features,
        )  # fmt: skip
        room.join(peer, hello.since)  # no await between get and join: the room stays loaded
        self.room, self.peer = room, peer
        return True

    def handle(self, raw: str | bytes) -> None:
        """One message from a peer that has joined (the hot path: no await, no task)."""
        message = self._parse(raw)
        if message is None:
            return
        room, peer = self.room, self.peer
        assert room is not None and peer is not None
        if isinstance(message, OpsMessage):
            self._submit(room, peer, message)
        elif isinstance(message, Drag | Cursor) and peer.role == "viewer":
            return  # viewers watch; their pointer is not broadcast
        elif isinstance(message, Drag):
            room.drag(peer, [(m.id, m.x, m.y) for m in message.moves])
        elif isinstance(message, Cursor):
            room.cursor(peer, message.x, message.y)
        elif isinstance(message, View):
            room.view(peer, message.x, message.y, message.w, message.h)
        elif isinstance(message, Ping):
            self.socket.send(Outbound({"type": "pong", "t": message.t}))
        else:
            self.socket.send(_error("malformed", "hello was already sent"))

    def _parse(self, raw: str | bytes) -> Message | None:
        """The message, or None when it was malformed or over the live budget (answered here)."""
        limits = self.limits
        try:
            message = parse_client_message(raw)
        except Malformed as bad:
            if limits.allow_live():
                self.socket.send(_error(bad.code, bad.reason))
            else:
                self._notice()
            return None
        if not isinstance(message, OpsMessage) and not limits.allow_live():
            self._notice()
            return None
        return message

    def _notice(self) -> None:
        if self.limits.live_notice:
            self.socket.send(_error("rate_limited", LIVE_REFUSED))

    def _submit(self, room: Room, peer: Peer, message: OpsMessage) -> None:
        socket = self.socket
        missing = next((i for i, op in enumerate(message.ops) if op.cid is None), None)
        if missing is not None:
            socket.send(_error("malformed", f"ops.{missing}.cid: every operation needs a cid"))
        elif not self.limits.allow_ops(len(message.ops)):
            for op in message.ops:  # each comes back refused, so the client drops it and says why
                socket.send(_error("rate_limited", OPS_REFUSED, op.cid))
        elif self._admission.ops_wait(peer.link, len(message.ops)):  # the link's, all sessions
            for op in message.ops:
                socket.send(_error("rate_limited", LINK_OPS_REFUSED, op.cid))
        else:
            room.submit(peer, message.ops)


def _error(code: str, reason: str, cid: str | None = None) -> Outbound:
    return Outbound(error(code, reason, cid))
