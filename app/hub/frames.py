"""What the hub sends a peer: messages encoded once, however many peers get them.

A room turns each message into JSON once and hands the same `Outbound` to
every peer's socket. A socket that writes websocket frames itself
(api/direct.py) takes `wire`: the messages as server frames, built on first
use and shared by every peer, since server frames are not masked. A socket
that goes through ASGI takes `texts`. An `Outbound` may carry several
messages (a batch's `ops` and the `metrics` they changed): they stay separate
messages, in order, and reach a direct socket in one write.

    frame = Outbound({"type": "ops", "ops": [...]}, {"type": "metrics", ...})
    frame.texts   # ['{"type":"ops",...}', '{"type":"metrics",...}']
    frame.wire    # both as websocket text frames, back to back
"""

from __future__ import annotations

from typing import Any

import orjson
from websockets.frames import Frame, Opcode


class Outbound:
    """One or more server messages, encoded once."""

    __slots__ = ("payloads", "size", "_wire")

    def __init__(self, *messages: dict[str, Any]) -> None:
        self.payloads = tuple(orjson.dumps(m) for m in messages)
        self.size = sum(len(p) for p in self.payloads)
        self._wire: bytes | None = None

    @classmethod
    def encoded(cls, *payloads: bytes) -> Outbound:
        """From messages already encoded: one message can go out in several frames."""
        frame = cls()
        frame.payloads = payloads
        frame.size = sum(len(p) for p in payloads)
        return frame

    @property
    def texts(self) -> list[str]:
        return [p.decode() for p in self.payloads]

    @property
    def wire(self) -> bytes:
        """The messages as unmasked websocket text frames (what a server sends), back to back."""
        if self._wire is None:
            self._wire = b"".join(
                Frame(Opcode.TEXT, p).serialize(mask=False) for p in self.payloads
            )
        return self._wire

    def __repr__(self) -> str:
        return f"Outbound({b', '.join(self.payloads).decode()[:200]})"
