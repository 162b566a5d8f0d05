"""The direct line: sessions served straight on the connection under `flowmap serve`.

Uvicorn hands each websocket to the app through ASGI: every message received
goes through a queue to the app's coroutine, every frame sent through an
awaited `send` per peer, and the app's coroutines (FastAPI's and Starlette's
under ours) live as long as the connection. For a board of 30 that was most
of the server's CPU per edit, and most of an idle connection's memory.

`DirectWebSockets` is uvicorn's own sans-I/O websocket protocol (built on the
websockets library's `ServerProtocol`) with one addition, a `DirectLine` in the
ASGI scope's extensions. The handshake still runs through the app: routing,
origin and link checks, refusals with an HTTP status, and the session's hello
(asgi.py's `receive_frames`). Then `serve_direct` hands the connection over:

    line = websocket.scope["extensions"].get(DIRECT_LINE)   # None under another server
    await serve_direct(websocket, line, make_session)        # returns; the session lives on

From then on each message received calls `Session.handle` synchronously (no
queue, no task), frames go out through a DirectSocket straight onto the
transport, and the session ends once when the connection does, however it
ends: a close from either side, a dead peer's keepalive, a cut-off, shutdown.

This is the one module that knows uvicorn (and reads its protocol's private
state): TESTED_UVICORN names the releases it was reviewed against.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import WebSocket
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from app.hub.frames import Outbound
from app.transport.asgi import (
    GOODBYE_SECONDS,
    SEND_QUEUE_CHARS,
    TOO_SLOW,
    TOO_SLOW_REASON,
    MakeSession,
    receive_frames,
)

log = logging.getLogger(__name__)

# The uvicorn minor versions this module was reviewed against: it overrides and reads
# private parts of their WebSocketsSansIOProtocol. pyproject.toml pins the same range and
# tests/unit/test_uvicorn_contract.py fails, naming what changed, on any other release.
TESTED_UVICORN = ("0.54", "0.55")


def reviewed_uvicorn() -> str | None:
    """None when the installed uvicorn is one this module was reviewed against, else its version."""
    import uvicorn

    version = uvicorn.__version__
    return None if ".".join(version.split(".")[:2]) in TESTED_UVICORN else version


# The key of the line in the ASGI scope's "extensions".
DIRECT_LINE = "flowmap.direct"
# Internal error: the session failed on a message (a bug, logged); the client reconnects.
INTERNAL_ERROR = 1011
INVALID_TEXT = 1007

OnMessage = Callable[[str | bytes], None]


class _Nowhere:
    """Stands in for the ASGI receive queue once nobody reads it: what uvicorn puts goes."""

    __slots__ = ()

    def put_nowait(self, item: Any) -> None:
        pass

    def empty(self) -> bool:
        return True


_NOWHERE = _Nowhere()


class DirectWebSockets(WebSocketsSansIOProtocol):
    """Uvicorn's websockets-sansio protocol, plus a line a session can take over."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_message: OnMessage | None = None
        self.on_close: Callable[[], None] | None = None
        self.taken_over = False

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # unset when the handshake itself was refused
        if scope is not None:
            scope["extensions"][DIRECT_LINE] = DirectLine(self)

    def take_over(self, on_message: OnMessage, on_close: Callable[[], None]) -> None:
        self.on_message, self.on_close, self.taken_over = on_message, on_close, True
        queued, self.queue = self.queue, _NOWHERE  # type: ignore[assignment]
        # The handshake is done: what it needed (the request, the response, the scope's
        # headers) would otherwise stay as long as the connection.
        self.request = self.response = None  # type: ignore[assignment]
        self.scope = {"type": "websocket", "client": self.client, "path": self.scope["path"]}  # type: ignore[typeddict-item]
        ended = self.disconnected
        while not queued.empty():
            event = queued.get_nowait()
            if event["type"] == "websocket.receive":
                data = event.get("text")
                self._deliver(data if data is not None else event.get("bytes") or b"")
            else:
                ended = True
        if ended:
            self._ended()
        elif self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()

    def send_receive_event_to_app(self) -> None:
        if self.on_message is None:
            super().send_receive_event_to_app()
            return
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return
        if self.curr_msg_data_type == "bytes":
            self._deliver(data)
            return
        try:
            text = data.decode()
        except UnicodeDecodeError:
            self.conn.send_close(INVALID_TEXT, "text frames must be UTF-8")
            self.handle_parser_exception()
            return
        self._deliver(text)

    def _deliver(self, data: str | bytes) -> None:
        assert self.on_message is not None
        try:
            self.on_message(data)
        except Exception:
            log.exception("a websocket session failed on a message")
            self.close(INTERNAL_ERROR, "server error; reconnect")

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._ended()

    def _ended(self) -> None:
        on_close, self.on_close = self.on_close, None
        self.on_message = None
        if on_close is not None:
            on_close()

    def close(self, code: int, reason: str, abort_after: float | None = None) -> None:
        """Send a close frame after what is already written; the peer's reply ends it.

        A peer that does not answer is dropped after the usual close timeout, or,
        with `abort_after`, dropped that soon without waiting for its buffer to drain.
        """
        if self.close_sent or self.transport.is_closing():
            return
        self.conn.send_close(code, reason)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        if abort_after is None:
            self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)
        else:
            self.close_timer = self.loop.call_later(abort_after, self.transport.abort)

    async def run_asgi(self) -> None:
        # Uvicorn's, except that a session that took the connection over keeps it open.
        try:
            result = await self.app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException:
            self.logger.exception("Exception in ASGI application\n")
            self.send_500_response()
        else:
            if not self.handshake_complete:
                self.logger.error("ASGI callable returned without completing handshake.")
                self.send_500_response()
            elif result is not None:
                self.logger.error("ASGI callable should return None, but returned '%s'.", result)
        if self.close_timer is None and not self.taken_over:
            self.transport.close()


class DirectLine:
    """What a session may do with its connection (see the module's docstring).

    Frames go straight onto `transport`, no call of ours between a room and the
    socket (DirectSocket writes there), and not once
    `protocol.close_sent` or the transport is closing.
    """

    __slots__ = ("protocol", "transport")

    def __init__(self, protocol: DirectWebSockets) -> None:
        self.protocol = protocol
        self.transport = protocol.transport

    def take_over(self, on_message: OnMessage, on_close: Callable[[], None]) -> None:
        self.protocol.take_over(on_message, on_close)

    def close(self, code: int, reason: str, abort_after: float | None = None) -> None:
        self.protocol.close(code, reason, abort_after)


class DirectSocket:
    """A PeerSocket writing frames straight onto the connection's line (no queue, no task).

    A peer too far behind (the transport's buffer past SEND_QUEUE_CHARS) is cut off:
    the line closes and `on_cut_off` ends the session at once. A peer merely behind
    (anything still in the transport's buffer: the socket took less than we wrote)
    skips `droppable` frames, pointers and drags, so that its edits are not queued
    behind them; the first droppable frame it takes after that is the frame's `whole`
    (every pointer's latest place), so a pointer that stopped in a skipped frame is
    not left where it was.
    """

    __slots__ = ("_line", "_protocol", "_transport", "closed", "cut_off", "missed", "on_cut_off")

    def __init__(self, line: DirectLine) -> None:
        self._line = line
        self._protocol, self._transport = line.protocol, line.transport
        self.closed = False
        self.cut_off = False
        self.missed = False  # a droppable frame was skipped: the next one goes whole
        self.on_cut_off: Callable[[], None] = _nothing

    def send(self, frame: Outbound) -> None:
        # Once per peer per frame: the line's checks inline, the transport's write, no more.
        if self.closed:
            return
        transport = self._transport
        if self._protocol.close_sent or transport.is_closing():
            return  # the line is closing: what is sent now would not arrive
        backlog = transport.get_write_buffer_size()
        if frame.droppable:
            if backlog:
                self.missed = True
                return
            if self.missed:
                self.missed = False
                frame = frame.whole()
        data = frame.wire
        # One frame always fits, however large: a big welcome is not "slow".
        if backlog and backlog + len(data) > SEND_QUEUE_CHARS:
            log.info("cutting a peer off: too far behind")
            self.closed = self.cut_off = True
            self._line.close(TOO_SLOW, TOO_SLOW_REASON, abort_after=GOODBYE_SECONDS)
            self.on_cut_off()
            return
        transport.write(data)

    @property
    def backlog(self) -> int:
        return 0  # nothing waits on our side: written frames are the transport's

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already written."""
        if not self.closed:
            self.closed = True
            self._line.close(code, reason)

    def ended(self) -> None:
        """The connection has ended: write nothing more."""
        self.closed = True


async def serve_direct(websocket: WebSocket, line: DirectLine, make_session: MakeSession) -> None:
    """Join through ASGI, then hand the connection to the session and return: no task of
    ours stays behind. The session ends when the connection does (or here, if it never
    joined)."""
    socket = DirectSocket(line)
    session = make_session(socket)
    try:
        joined = await session.open(receive_frames(websocket, socket))
    except BaseException:
        session.end()
        raise
    if not joined:
        session.end()
        return

    def on_close() -> None:
        socket.ended()
        session.end()

    socket.on_cut_off = on_close  # a cut-off peer leaves now, not when its line drains
    line.take_over(session.handle, on_close)


def _nothing() -> None:
    pass
