"""What the hub sends a peer: messages encoded once, however many peers get them.

A room turns each message into JSON once and hands the same `Outbound` to
every peer's socket. A socket that writes websocket frames itself
(transport/uvicorn_line.py) takes `wire`: the messages as server frames, shared by every
peer, since server frames are not masked. A socket
that goes through ASGI takes `texts`. An `Outbound` may carry several
messages (a batch's `ops` and the `metrics` they changed): they stay separate
messages, in order, and reach a direct socket in one write. A `droppable`
frame (cursors, drags, views: positions that later ticks supersede) is skipped
for a peer whose connection is behind, so what is queued for it is what
matters: its edits. Such a frame may carry `whole`: how to build what a peer that
skipped some of them needs instead (every pointer's and view's latest place, not
only this tick's changes), built at most once a frame and only if someone missed.

    frame = Outbound({"type": "ops", "ops": [...]}, {"type": "metrics", ...})
    frame.texts   # ['{"type":"ops",...}', '{"type":"metrics",...}']
    frame.wire    # both as websocket text frames, back to back
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import orjson

# The first byte of a whole text frame: FIN, and opcode 1 (RFC 6455, section 5.2).
_TEXT = 0x81
_LENGTH_16 = struct.Struct("!BBH")
_LENGTH_64 = struct.Struct("!BBQ")


def text_frame(payload: bytes) -> bytes:
    """`payload` as one unmasked websocket text frame, as a server sends it."""
    length = len(payload)
    if length < 126:
        return bytes((_TEXT, length)) + payload
    if length < 1 << 16:
        return _LENGTH_16.pack(_TEXT, 126, length) + payload
    return _LENGTH_64.pack(_TEXT, 127, length) + payload


class Outbound:
    """One or more server messages, encoded once."""

    __slots__ = ("_whole", "_whole_frame", "droppable", "payloads", "size", "wire")

    def __init__(
        self,
        *messages: dict[str, Any],
        droppable: bool = False,
        whole: Callable[[], Outbound] | None = None,
    ) -> None:
        self.droppable = droppable
        self._whole = whole
        self._whole_frame: Outbound | None = None
        self._set(tuple(orjson.dumps(m) for m in messages))

    @classmethod
    def encoded(cls, *payloads: bytes) -> Outbound:
        """From messages already encoded: one message can go out in several frames."""
        frame = cls.__new__(cls)
        frame.droppable = False
        frame._whole = frame._whole_frame = None
        frame._set(payloads)
        return frame

    def whole(self) -> Outbound:
        """What a peer that skipped earlier droppable frames gets instead of this one."""
        if self._whole is None:
            return self
        if self._whole_frame is None:
            self._whole_frame = self._whole()
        return self._whole_frame

    def _set(self, payloads: tuple[bytes, ...]) -> None:
        self.payloads = payloads
        self.size = sum(len(p) for p in payloads)
        # The messages as websocket frames, back to back: the same bytes for every peer
        # (built here, once, so sending to each peer is a write and nothing else).
        self.wire = b"".join(text_frame(p) for p in payloads)

    @property
    def texts(self) -> list[str]:
        return [p.decode() for p in self.payloads]

    def __repr__(self) -> str:
        return f"Outbound({b', '.join(self.payloads).decode()[:200]})"
