"""The plain ASGI adapter: a session served through Starlette's websocket, on any server.

Frames for the peer queue in a QueuedSocket and one writer task awaits
Starlette's `send_text` for each; `send` never waits. A peer that stops
reading is cut off once it is SEND_QUEUE_FRAMES or SEND_QUEUE_CHARS behind:
it leaves the board at once (the read it is waiting in is interrupted) and
its client reconnects and catches up from its last seq.

Every session starts here: under `flowmap serve` too, the hello arrives
through ASGI (`frames`) before the direct line takes the connection over.

    await serve_asgi(websocket, make_session)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable

from fastapi import WebSocket
from starlette.websockets import WebSocketState

from app.hub.frames import Outbound
from app.transport.session import Session, SessionSocket

log = logging.getLogger(__name__)

# A peer may fall this far behind before it counts as too slow: it is cut off, and its
# client reconnects and catches up from the op log. Bounded in bytes (and, queued, in
# frames), so one stalled laptop holds at most a few MiB of server memory.
SEND_QUEUE_FRAMES = 512
SEND_QUEUE_CHARS = 4 * 1024 * 1024
# After cutting a peer off, how long to try to deliver the close frame that says why;
# a peer that reads nothing never takes it, and the line is dropped.
GOODBYE_SECONDS = 2.0
# Close code: "try again later" (too slow to keep up).
TOO_SLOW = 1013
TOO_SLOW_REASON = "too slow; reconnect to catch up"

MakeSession = Callable[[SessionSocket], Session]


async def serve_asgi(websocket: WebSocket, make_session: MakeSession) -> None:
    """The whole session through ASGI, for servers without the direct line."""
    reader = asyncio.current_task()
    assert reader is not None
    socket = QueuedSocket(websocket, on_cut_off=lambda: _interrupt(reader, socket))
    session = make_session(socket)
    try:
        frames = receive_frames(websocket, socket)
        if await session.open(frames):
            async for raw in frames:
                session.handle(raw)
    except asyncio.CancelledError:
        # A cut-off interrupts the read it waits in: the session ends here, now, not when
        # (if ever) its last frame drains. Any other cancellation goes on up.
        if not (socket.cut_off and reader.uncancel() == 0):
            raise
    finally:
        socket.on_cut_off = _nothing
        session.end()
        await socket.stop(grace=GOODBYE_SECONDS)


def _interrupt(reader: asyncio.Task[None], socket: QueuedSocket) -> None:
    if not reader.done():
        reader.cancel("cut off: too slow")


async def receive_frames(websocket: WebSocket, socket: SessionSocket) -> AsyncIterator[str | bytes]:
    """What the peer sends, until it disconnects."""
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


class QueuedSocket:
    """A PeerSocket over a Starlette websocket: `send` queues (never waits), one task writes."""

    def __init__(self, websocket: WebSocket, on_cut_off: Callable[[], None] | None = None) -> None:
        self._ws = websocket
        self._frames: deque[Outbound] = deque()
        self._chars = 0
        self._closing: tuple[int, str] | None = None
        self._ready = asyncio.Event()
        self.on_cut_off = on_cut_off or _nothing
        self.closed = False
        self.cut_off = False
        self._writer = asyncio.get_running_loop().create_task(self._write())

    def send(self, frame: Outbound) -> None:
        if self.closed:
            return
        if self._frames and (
            len(self._frames) >= SEND_QUEUE_FRAMES or self._chars + frame.size > SEND_QUEUE_CHARS
        ):  # one frame always fits, however large: a big welcome is not "slow"
            self._cut(reason="too far behind")
            return
        self._frames.append(frame)
        self._chars += frame.size
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
                    self._chars -= frame.size
                    for text in frame.texts:
                        await self._ws.send_text(text)
                if self._closing is not None:
                    await close_websocket(self._ws, *self._closing)
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
        if self.cut_off:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(GOODBYE_SECONDS):
                    await close_websocket(self._ws, TOO_SLOW, TOO_SLOW_REASON)


async def close_websocket(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(Exception):
            await websocket.close(code, reason)


def _nothing() -> None:
    pass
