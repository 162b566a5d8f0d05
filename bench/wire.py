"""A lean websocket client connection for the load generator: RFC 6455, nothing more.

The load generator is one Python process on one core, and at W4's and W7's
rates it receives tens of thousands of frames a second. The websockets
library's client spends several times the CPU of the frame itself on each one
(a sans-I/O parser generator, an assembler, a future per `recv`), so on a slow
core the clients, not the server, set the ceiling. This connection parses
frames in `data_received` and hands each message's bytes to a callback: no
task, no future, no copy beyond the slice.

It is still a real websocket client: an HTTP/1.1 upgrade with a checked
`Sec-WebSocket-Accept`, masked frames out, unmasked frames in (a masked one
is a protocol error), fragments joined, pings answered, and the closing
handshake done both ways.

    wire = await open_wire("ws://127.0.0.1:8000/ws/b1", on_message)
    wire.send_text(b'{"type":"hello"}')
    await wire.close()
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

_c_apply_mask: Callable[[bytes, bytes], bytes] | None
try:  # the websockets library's C helper, when its wheel has it
    from websockets.speedups import apply_mask as _c_apply_mask
except ImportError:  # pragma: no cover - pure-Python wheels
    _c_apply_mask = None

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
CLOSE_NORMAL, CLOSE_PROTOCOL, CLOSE_TOO_BIG = 1000, 1002, 1009
MAX_HEADERS = 16 * 1024
CLOSE_SECONDS = 10.0


class WireError(Exception):
    """The server broke the protocol or refused the upgrade."""


def apply_mask(data: bytes, mask: bytes) -> bytes:
    if _c_apply_mask is not None:
        return bytes(_c_apply_mask(data, mask))
    n = len(data)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked frame (a client must mask every frame it sends)."""
    n = len(payload)
    mask = os.urandom(4)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + mask + apply_mask(payload, mask)


def accept_key(key: bytes) -> bytes:
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


class Wire(asyncio.Protocol):
    """One connection. `on_message(bytes)` gets every text or binary message, whole."""

    def __init__(
        self,
        request: bytes,
        key: bytes,
        on_message: Callable[[bytes], None],
        on_lost: Callable[[], None] | None = None,
        max_size: int = 1 << 22,
    ) -> None:
        self._request = request
        self._expected_accept = accept_key(key)
        self.on_message = on_message
        self.on_lost = on_lost
        self.max_size = max_size
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.lost: asyncio.Future[None] = loop.create_future()
        self._upgraded = False
        self._chunks: list[bytes] = []  # bytes received and not yet parsed
        self._pending = 0  # their total length
        self._need = 2  # parse again once this many are here
        self._fragments: list[bytes] = []
        self._closing = False  # a close frame was sent
        self.close_code: int | None = None

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        self._chunks.append(data)
        self._pending += len(data)
        if self._pending < self._need:
            return
        buffer = self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)
        try:
            rest = self._parse(buffer) if self._upgraded else self._upgrade(buffer)
        except WireError as err:
            self._fail(err)
            return
        self._chunks = [rest] if rest else []
        self._pending = len(rest)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(WireError(f"connection lost before the upgrade: {exc}"))
        if not self.lost.done():
            self.lost.set_result(None)
        if self.on_lost is not None:
            self.on_lost()

    # what the bench calls

    def send_text(self, payload: bytes) -> None:
        """Send one text message (already UTF-8); a closed connection drops it silently."""
        if self.transport is not None and not self._closing:
            self.transport.write(client_frame(OP_TEXT, payload))

    async def close(self, code: int = CLOSE_NORMAL) -> None:
        """The closing handshake: send a close frame, wait for the server's, then hang up."""
        if self.transport is None or self.lost.done():
            return
        self._send_close(code)
        try:
            await asyncio.wait_for(asyncio.shield(self.lost), CLOSE_SECONDS)
        except TimeoutError:
            self.transport.abort()

    # internals

    def _upgrade(self, buffer: bytes) -> bytes:
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > MAX_HEADERS:
                raise WireError("the upgrade response's headers are too long")
            self._need = len(buffer) + 1
            return buffer
        head, rest = buffer[:end], buffer[end + 4 :]
        lines = head.split(b"\r\n")
        status = lines[0].split(b" ", 2)
        if len(status) < 2 or status[1] != b"101":
            raise WireError(f"upgrade refused: {lines[0].decode(errors='replace')}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"sec-websocket-accept") != self._expected_accept:
            raise WireError("wrong Sec-WebSocket-Accept in the upgrade response")
        self._upgraded = True
        self._need = 2
        self.opened.set_result(None)
        return self._parse(rest) if rest else rest

    def _parse(self, buffer: bytes) -> bytes:
        """Hand over every whole frame in `buffer`; returns what is left of the next one."""
        pos, n = 0, len(buffer)
        while n - pos >= 2:
            b0, b1 = buffer[pos], buffer[pos + 1]
            length, start = b1 & 0x7F, pos + 2
            if length == 126:
                if n - pos < 4:
                    self._need = 4
                    break
                length, start = int.from_bytes(buffer[pos + 2 : pos + 4], "big"), pos + 4
            elif length == 127:
                if n - pos < 10:
                    self._need = 10
                    break
                length, start = int.from_bytes(buffer[pos + 2 : pos + 10], "big"), pos + 10
            if b1 & 0x80:
                raise WireError("a server frame was masked")
            if b0 & 0x70:
                raise WireError("reserved bits set (no extension was agreed)")
            if length > self.max_size:
                raise WireError(f"a frame of {length} bytes is over the limit")
            end = start + length
            if end > n:
                self._need = end - pos
                break
            self._frame(b0, buffer[start:end])
            pos = end
        else:
            self._need = 2
        return buffer[pos:]

    def _frame(self, b0: int, payload: bytes) -> None:
        opcode, final = b0 & 0x0F, b0 & 0x80
        if opcode in (OP_TEXT, OP_BINARY):
            if self._fragments:
                raise WireError("a new message began inside a fragmented one")
            if final:
                self.on_message(payload)
            else:
                self._fragments.append(payload)
        elif opcode == OP_CONT:
            if not self._fragments:
                raise WireError("a continuation frame with no message to continue")
            self._fragments.append(payload)
            if final:
                message, self._fragments = b"".join(self._fragments), []
                self.on_message(message)
        elif opcode == OP_PING:
            if self.transport is not None and not self._closing:
                self.transport.write(client_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self._closing:  # the server began it: echo, then it hangs up
                self._send_close(CLOSE_NORMAL if self.close_code == 1005 else self.close_code)
            elif self.transport is not None:
                self.transport.close()  # our close, answered
        elif opcode != OP_PONG:
            raise WireError(f"unknown opcode {opcode:#x}")

    def _send_close(self, code: int) -> None:
        if not self._closing and self.transport is not None:
            self._closing = True
            self.transport.write(client_frame(OP_CLOSE, code.to_bytes(2, "big")))

    def _fail(self, err: WireError) -> None:
        if not self.opened.done():
            self.opened.set_exception(err)
        code = CLOSE_TOO_BIG if "over the limit" in str(err) else CLOSE_PROTOCOL
        self._send_close(code)
        if self.transport is not None:
            self.transport.close()


async def open_wire(
    url: str,
    on_message: Callable[[bytes], None],
    on_lost: Callable[[], None] | None = None,
    *,
    max_size: int = 1 << 22,
) -> Wire:
    """Connect to a ws:// URL and complete the upgrade; raises WireError (wrap it in a timeout)."""
    parts = urlsplit(url)
    if parts.scheme != "ws" or not parts.hostname:
        raise ValueError(f"not a ws:// URL: {url}")
    port = parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc
    key = base64.b64encode(os.urandom(16))
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key.decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    _, wire = await loop.create_connection(
        lambda: Wire(request, key, on_message, on_lost, max_size), parts.hostname, port
    )
    try:
        await wire.opened
    except BaseException:
        if wire.transport is not None:
            wire.transport.abort()
        raise
    return wire
