"""The fake peer socket the hub's unit tests share: it records what a client would get.

Every frame is parsed and checked against the protocol's server message models,
and, as a client would, that `ops` entries follow on from the welcome's seq with
no gap or repeat. A close is an error unless the test expects one (`closable`).

    socket = FakeSocket(closable=True)
    room.join(Peer(id="", name="Ada", role="participant", socket=socket), since=None)
    socket.of("welcome")[0]["seq"]
"""

from __future__ import annotations

import json
from typing import Any

from app.hub.frames import Outbound
from app.protocol import SERVER_MESSAGE


class FakeSocket:
    """Records frames as parsed messages, each checked against the protocol's server models."""

    def __init__(self, closable: bool = False) -> None:
        self.sent: list[dict[str, Any]] = []
        self.writes: list[list[str]] = []  # the message types of each frame, write by write
        self.closed: tuple[int, str] | None = None
        self.seq: int | None = None  # the last seq this client has, as a client keeps it
        self._closable = closable

    def send(self, frame: Outbound) -> None:
        messages = [json.loads(text) for text in frame.texts]
        self.writes.append([m["type"] for m in messages])
        for message in messages:
            self.receive(message)

    def receive(self, message: dict[str, Any]) -> None:
        SERVER_MESSAGE.validate_python(message)
        self.sent.append(message)
        if message["type"] == "welcome":
            self.seq = message["seq"]
        for entry in message["ops"] if message["type"] == "ops" else []:
            assert self.seq is not None and entry["seq"] == self.seq + 1, (self.seq, entry["seq"])
            self.seq = entry["seq"]

    def close(self, code: int, reason: str) -> None:
        if not self._closable:
            raise AssertionError(f"closed: {code} {reason}")
        self.closed = (code, reason)

    @property
    def backlog(self) -> int:
        return 0  # frames are "written" as they are sent

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["type"] == kind]

    def seqs(self) -> list[int]:
        return [e["seq"] for m in self.of("ops") for e in m["ops"]]

    def metrics(self) -> dict[str, Any]:
        latest = [m for m in self.sent if m["type"] in ("welcome", "metrics")][-1]
        return latest["metrics"]  # type: ignore[no-any-return]
