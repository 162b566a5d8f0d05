"""Where a room's frames for one peer go: straight onto its connection, or through ASGI.

Both are PeerSockets (hub/ports.py): `send` never waits, and a peer that
stops reading is cut off once it is a few MiB behind. It then leaves the
board at once; its client reconnects and catches up from its last seq.

- DirectSocket writes each frame's bytes on the connection (api/direct.py):
  the same bytes for every peer, no task and no queue of ours; the
  transport's buffer is the backlog.
- QueuedSocket, under a server without the direct line, queues frames for one
  writer task that awaits Starlette's `send_text` for each.

    socket.send(frame)        # from the room; cut off if the peer is too far behind
    socket.close(1011, "why") # after what is already sent
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable

from fastapi import WebSocket
from starlette.websockets import WebSocketState

from app.api.direct import DirectLine
from app.hub.frames import Outbound

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


class DirectSocket:
    """A PeerSocket writing frames straight onto the connection's line (api/direct.py)."""

    __slots__ = ("_line", "_protocol", "_transport", "closed", "cut_off", "on_cut_off")

    def __init__(self, line: DirectLine) -> None:
        self._line = line
        self._protocol, self._transport = line.protocol, line.transport
        self.closed = False
        self.cut_off = False
        self.on_cut_off: Callable[[], None] = _nothing

    def send(self, frame: Outbound) -> None:
        # Once per peer per frame: the line's checks inline, the transport's write, no more.
        if self.closed:
            return
        transport = self._transport
        if self._protocol.close_sent or transport.is_closing():
            return  # the line is closing: what is sent now would not arrive
        data = frame.wire
        backlog = transport.get_write_buffer_size()
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
