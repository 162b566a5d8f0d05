"""The direct line's socket: a peer that is behind skips pointer frames, never edits."""

from __future__ import annotations

from typing import Any, cast

from app.hub.frames import Outbound
from app.transport.uvicorn_line import DirectLine, DirectSocket


class Transport:
    """What DirectSocket asks of uvicorn's transport: its buffer, and the writes."""

    def __init__(self) -> None:
        self.buffered = 0
        self.written: list[bytes] = []

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def write(self, data: bytes) -> None:
        self.written.append(data)


class Protocol:
    close_sent = False


def direct_socket() -> tuple[DirectSocket, Transport]:
    transport = Transport()
    line = DirectLine.__new__(DirectLine)
    line.protocol, line.transport = cast(Any, Protocol()), transport
    return DirectSocket(line), transport


def test_a_peer_that_is_behind_skips_pointer_frames_but_gets_every_edit() -> None:
    socket, transport = direct_socket()
    pointer = Outbound({"type": "transient", "cursors": [], "drags": []}, droppable=True)
    ops = Outbound({"type": "ops", "ops": []})
    socket.send(pointer)
    assert transport.written == [pointer.wire], "a peer that keeps up gets every frame"
    transport.buffered = 1000  # the socket took less than we wrote: the peer is behind
    socket.send(pointer)
    socket.send(ops)
    assert transport.written == [pointer.wire, ops.wire]
    transport.buffered = 0
    socket.send(pointer)
    assert transport.written == [pointer.wire, ops.wire, pointer.wire]


def test_a_peer_that_skipped_pointer_frames_gets_the_next_one_whole() -> None:
    socket, transport = direct_socket()
    whole = Outbound({"type": "transient", "cursors": [{"peer": "a", "x": 1, "y": 2}]})
    built: list[int] = []

    def build() -> Outbound:
        built.append(1)
        return whole

    delta = Outbound({"type": "transient", "cursors": []}, droppable=True, whole=build)
    socket.send(delta)
    assert transport.written == [delta.wire] and not built, "whole only for one that missed"
    transport.buffered = 1000
    socket.send(delta)  # skipped: whatever it held is now only in the next frame's whole
    transport.buffered = 0
    socket.send(delta)
    socket.send(delta)
    assert transport.written == [delta.wire, whole.wire, delta.wire]
    assert len(built) == 1
