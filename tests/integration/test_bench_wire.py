"""bench/wire.py, the load generator's websocket client, against the websockets library's server.

The server side is the library's own, so every frame the client sends is checked
by an independent implementation (it refuses unmasked client frames, bad
lengths, a wrong close), and every frame the client parses was made by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from http import HTTPStatus
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.frames import Frame, Opcode

from bench.wire import Wire, WireError, accept_key, open_wire

Handler = Callable[[ServerConnection], Any]


async def _echo(ws: ServerConnection) -> None:
    async for message in ws:
        await ws.send(message)


@pytest.fixture
async def start() -> AsyncIterator[Callable[..., Any]]:
    servers = []

    async def start_server(handler: Handler = _echo, **kwargs: Any) -> str:
        server = await serve(handler, "127.0.0.1", 0, compression=None, **kwargs)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"ws://127.0.0.1:{port}/room?x=1"

    yield start_server
    for server in servers:
        server.close()
        await server.wait_closed()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.lost = 0
        self.arrived = asyncio.Event()

    def __call__(self, data: bytes) -> None:
        self.messages.append(data)
        self.arrived.set()

    def on_lost(self) -> None:
        self.lost += 1

    async def wait_for(self, n: int) -> list[bytes]:
        async with asyncio.timeout(10):
            while len(self.messages) < n:
                self.arrived.clear()
                await self.arrived.wait()
        return self.messages


@pytest.mark.parametrize("length", [0, 1, 125, 126, 65_535, 65_536, 300_000])
async def test_texts_of_every_length_class_go_and_come_back_whole(start: Any, length: int) -> None:
    inbox = Inbox()
    wire = await open_wire(await start(), inbox, max_size=1 << 20)
    payload = ("é" * (length // 2) + "x" * (length % 2)).encode()
    wire.send_text(payload)
    wire.send_text(b"after")
    assert await inbox.wait_for(2) == [payload, b"after"]
    await wire.close()
    assert wire.close_code == 1000 and wire.lost.done()


async def test_fragments_are_joined_and_pings_answered(start: Any) -> None:
    pinged = asyncio.get_running_loop().create_future()

    async def handler(ws: ServerConnection) -> None:
        await ws.send(["frag", "mented", " message"])
        pong = await ws.ping(b"hi")
        await asyncio.wait_for(pong, 5)  # only our pong ends this wait
        pinged.set_result(True)
        await ws.send("next")
        await ws.wait_closed()

    inbox = Inbox()
    wire = await open_wire(await start(handler), inbox)
    assert await inbox.wait_for(2) == [b"fragmented message", b"next"]
    assert await pinged
    await wire.close()


async def test_a_server_close_is_echoed_and_reported(start: Any) -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.close(4001, "bye")

    inbox = Inbox()
    wire = await open_wire(await start(handler), inbox, inbox.on_lost)
    async with asyncio.timeout(10):
        await wire.lost
    assert wire.close_code == 4001 and inbox.lost == 1


async def test_a_refused_upgrade_is_an_error(start: Any) -> None:
    def refuse(connection: ServerConnection, request: Any) -> Any:
        return connection.respond(HTTPStatus.FORBIDDEN, "no\n")

    url = await start(process_request=refuse)
    with pytest.raises(WireError, match="403"):
        await open_wire(url, Inbox())


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:  # type: ignore[override]
        self.written.append(bytes(data))

    def close(self) -> None:
        self.closed = True


async def _opened_wire(inbox: Inbox) -> tuple[Wire, FakeTransport]:
    key = b"dGhlIHNhbXBsZSBub25jZQ=="
    wire = Wire(b"GET / HTTP/1.1\r\n\r\n", key, inbox)
    transport = FakeTransport()
    wire.connection_made(transport)
    wire.data_received(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept_key(key) + b"\r\n\r\n"
    )
    assert wire.opened.done() and wire.opened.exception() is None
    return wire, transport


@pytest.mark.parametrize("chunk", [1, 3, 7, 1000, 1 << 20])
async def test_frames_split_anywhere_parse_the_same(chunk: int) -> None:
    payloads = [b"", b"a" * 125, b"b" * 126, b"c" * 70_000, b'{"type":"ops"}']
    stream = b"".join(Frame(Opcode.TEXT, p).serialize(mask=False) for p in payloads)
    inbox = Inbox()
    wire, _ = await _opened_wire(inbox)
    for i in range(0, len(stream), chunk):
        wire.data_received(stream[i : i + chunk])
    assert inbox.messages == payloads


async def test_a_masked_server_frame_is_a_protocol_error() -> None:
    inbox = Inbox()
    wire, transport = await _opened_wire(inbox)
    wire.data_received(Frame(Opcode.TEXT, b"hi").serialize(mask=True))
    assert inbox.messages == [] and transport.closed
    [close] = transport.written[1:]
    assert close[0] == 0x88 and close[1] & 0x80  # a masked close frame
    assert wire.close_code is None


async def test_a_wrong_accept_key_fails_the_upgrade() -> None:
    wire = Wire(b"GET / HTTP/1.1\r\n\r\n", b"dGhlIHNhbXBsZSBub25jZQ==", Inbox())
    transport = FakeTransport()
    wire.connection_made(transport)
    wire.data_received(b"HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: nope\r\n\r\n")
    with pytest.raises(WireError, match="Accept"):
        await wire.opened


def test_the_accept_key_is_rfc_6455s_worked_example() -> None:
    assert accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
