"""What transport/uvicorn_line.py relies on in uvicorn's sans-I/O websocket protocol, held to each release.

`DirectWebSockets` subclasses uvicorn's `WebSocketsSansIOProtocol`, overrides four
of its methods and reads and writes its connection state. None of that is public
API, so a uvicorn release may change it without notice. These tests fail loudly,
naming what changed, instead of letting sessions silently fall back or break:

- the installed uvicorn is a minor version this code was reviewed against;
- the base class's methods that uvicorn_line.py overrides or copies still have the
  source they had when reviewed (a digest per method);
- the state uvicorn_line.py touches exists after a real handshake;
- a session driven through the protocol byte by byte (no network) takes the line
  over, receives a message, sends a frame, closes, and hears of its end once.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from typing import Any

import pytest
import uvicorn
from uvicorn.config import Config
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState
from websockets.client import ClientProtocol
from websockets.frames import Opcode
from websockets.uri import parse_uri

from app.transport.uvicorn_line import DIRECT_LINE, TESTED_UVICORN, DirectLine, DirectWebSockets

# sha256 (first 16 hex digits) of each base method's source, per reviewed uvicorn.
# A new digest means: read the new source against uvicorn_line.py, then add it here.
REVIEWED = {
    "handle_connect": {"0.54": "fc648c2161ff8e13", "0.55": "fe2a087aa2223cf8"},
    "send_receive_event_to_app": {"0.54": "a2b10de91477dc1d", "0.55": "a2b10de91477dc1d"},
    "connection_lost": {"0.54": "dd116afc4d8034e1", "0.55": "d0f4179c028b3303"},
    "run_asgi": {"0.54": "662375aa38d9044c", "0.55": "662375aa38d9044c"},
}
# Connection state uvicorn_line.py reads or writes, beside the methods it calls.
STATE = (
    "queue", "frames", "curr_msg_data_type", "close_sent", "disconnected", "read_paused",
    "conn", "transport", "loop", "close_timer", "close_timeout", "client", "scope",
    "request", "response", "handshake_complete", "logger", "app",
)  # fmt: skip
CALLED = ("handle_parser_exception", "send_500_response", "receive", "send", "on_task_complete")


def _minor() -> str:
    return ".".join(uvicorn.__version__.split(".")[:2])


def _digest(name: str) -> str:
    source = inspect.getsource(getattr(WebSocketsSansIOProtocol, name))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_uvicorn_is_a_minor_version_uvicorn_line_was_reviewed_against() -> None:
    assert _minor() in TESTED_UVICORN, (
        f"uvicorn {uvicorn.__version__} is not one transport/uvicorn_line.py was reviewed against "
        f"({', '.join(TESTED_UVICORN)}): review it, then extend TESTED_UVICORN and REVIEWED"
    )


@pytest.mark.parametrize("name", sorted(REVIEWED))
def test_the_methods_uvicorn_line_overrides_are_as_reviewed(name: str) -> None:
    assert name in vars(DirectWebSockets), f"uvicorn_line.py no longer overrides {name}"
    assert _digest(name) == REVIEWED[name].get(_minor()), (
        f"uvicorn {uvicorn.__version__} changed WebSocketsSansIOProtocol.{name} "
        f"(digest {_digest(name)}): read it against transport/uvicorn_line.py, then record the digest"
    )


@pytest.mark.parametrize("name", CALLED)
def test_the_methods_uvicorn_line_calls_exist(name: str) -> None:
    assert callable(getattr(WebSocketsSansIOProtocol, name, None)), name


class _Transport(asyncio.Transport):
    """Records what the protocol writes; the test carries bytes to and from a client."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False
        self.reading = True

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def take(self) -> bytes:
        data, self.written = bytes(self.written), bytearray()
        return data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )


async def test_a_session_takes_the_line_over_and_lives_on_the_connection() -> None:
    received: list[str | bytes] = []
    ended: list[bool] = []
    lines: list[DirectLine] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        line = scope["extensions"][DIRECT_LINE]
        lines.append(line)
        line.take_over(received.append, lambda: ended.append(True))

    config = Config(app=app, ws=DirectWebSockets, lifespan="off", proxy_headers=False)
    config.load()
    protocol = DirectWebSockets(config, ServerState(), {}, _loop=asyncio.get_running_loop())
    transport = _Transport()
    protocol.connection_made(transport)
    for name in STATE[:12]:
        assert hasattr(protocol, name), f"uvicorn's protocol has no {name} before the handshake"

    client = ClientProtocol(parse_uri("ws://127.0.0.1:8000/ws/boards/b"))
    client.send_request(client.connect())
    protocol.data_received(b"".join(client.data_to_send()))
    for name in STATE[12:]:
        assert hasattr(protocol, name), f"uvicorn's protocol has no {name} after the handshake"
    for _ in range(20):  # the app runs as a task: let it accept and take over
        await asyncio.sleep(0)
        if lines:
            break
    assert lines and protocol.taken_over
    client.receive_data(transport.take())
    assert [type(e).__name__ for e in client.events_received()] == ["Response"]
    assert client.handshake_exc is None
    assert transport.reading, "taking over resumes reading"

    client.send_text(b"hello")
    protocol.data_received(b"".join(client.data_to_send()))
    assert received == ["hello"]

    lines[0].transport.write(b"\x81\x02hi")  # a pre-encoded text frame, as uvicorn_line.py writes
    lines[0].close(1000, "bye")
    client.receive_data(transport.take())
    events = client.events_received()
    assert [(e.opcode, e.data) for e in events][:1] == [(Opcode.TEXT, b"hi")]
    assert events[-1].opcode == Opcode.CLOSE and protocol.close_sent

    protocol.connection_lost(None)
    assert ended == [True]
    await asyncio.sleep(0)


@pytest.mark.parametrize(
    "name",
    ["connection_made", "on_message_begin", "on_headers_complete", "on_message_complete",
     "handle_websocket_upgrade", "connection_lost"],
)  # fmt: skip
def test_the_http_hooks_request_deadlines_extends_exist(name: str) -> None:
    """api/deadlines.py extends these of uvicorn's httptools protocol (each calls super)."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from app.api.deadlines import RequestDeadlines

    assert callable(getattr(HttpToolsProtocol, name, None)), f"uvicorn has no {name} any more"
    assert name in vars(RequestDeadlines)
