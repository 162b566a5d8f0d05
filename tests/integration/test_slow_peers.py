"""Slow and dead peers: one stalled laptop must not slow the board or grow the server.

- A client that stops reading is cut off once its backlog passes the bound
  (app/transport/asgi.py: SEND_QUEUE_CHARS): it leaves the board at once, the
  others keep getting every message promptly, the server holds only the
  bounded backlog for it, and drops even that after a short goodbye
  (GOODBYE_SECONDS); when it comes back with its last seq it catches up to
  exactly the others' board.
- A client that stops answering pings is dropped within the keepalive bound
  (ws_ping_interval + ws_ping_timeout, app/config.py), while a live one stays.

The stalled and the dead client are raw sockets driving websockets' sans-I/O
protocol, so they can do what no polite client library does: stop reading, and
read without ever answering a ping.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from app.transport.asgi import GOODBYE_SECONDS
from tests.support.fuzz_client import ClientModel, SyncLink
from tests.support.live import Server

# A tiny receive window, so the kernel holds little on the stalled client's behalf.
STALLED_RCVBUF = 4096
# Each HTTP batch rewrites the text of many elements: a broadcast of ~1 MB.
BATCH_OPS = 200
TEXT = 2000
# Characters broadcast while one peer stalls: three times the queue bound
# (SEND_QUEUE_CHARS, 4 MiB). Kernel buffers on both sides hold a few MiB, the
# bounded queue the rest, and the cut-off must come well before the end.
PUSH_CHARS = 12 * 2**20
# What "promptly" means for the peers who keep reading, on a loaded 2-core machine.
PROMPT_SECONDS = 3.0
# Short keepalive for the dead-peer test, so "bounded time" is a few seconds here.
PING_INTERVAL, PING_TIMEOUT = 0.5, 1.0
# Slack on top of interval + timeout for the close and the room's presence update.
DROP_SLACK = 5.0


class RawPeer:
    """A websocket client that does only what it is told: hello, then read or not."""

    def __init__(self, url: str, name: str) -> None:
        uri = parse_uri(url)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALLED_RCVBUF)
        self.sock.settimeout(20)
        self.sock.connect((uri.host, uri.port))
        self.protocol = ClientProtocol(uri, max_size=None)
        self.protocol.send_request(self.protocol.connect())
        self._flush()
        self.messages: list[dict[str, Any]] = []
        self._events: list[object] = []
        self.bytes_read = 0
        self.ended_at: float | None = None
        self._read_while(lambda: not any(isinstance(e, Response) for e in self._events))
        self.protocol.send_text(json.dumps({"type": "hello", "protocol": 1, "name": name}).encode())
        self._flush()
        self._read_while(lambda: not any(m["type"] == "welcome" for m in self.messages))
        self.welcome = next(m for m in self.messages if m["type"] == "welcome")

    def _flush(self) -> None:
        for data in self.protocol.data_to_send():
            if data:
                self.sock.sendall(data)

    def _read_while(self, waiting: Callable[[], bool]) -> None:
        self._events = []
        while waiting() and self._read_once():
            pass

    def _read_once(self) -> bool:
        """Read one chunk; never answer anything. False at the end of the stream."""
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            if self.protocol.close_rcvd is None:
                raise
            # The server closed after its close frame; our echo of it can meet the
            # closed socket, whose kernel answers with a reset instead of the end.
            data = b""
        self.bytes_read += len(data)
        if not data:
            self.protocol.receive_eof()
            self.ended_at = time.monotonic()
            return False
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            self._events.append(event)
            if isinstance(event, Frame) and event.opcode == Opcode.TEXT:
                self.messages.append(json.loads(bytes(event.data)))
        return True

    def read_to_end(self, timeout: float) -> None:
        """Read until the server ends the connection; answer only its close frame."""
        self.sock.settimeout(timeout)
        while self._read_once():
            if self.protocol.close_rcvd is not None:
                with contextlib.suppress(OSError):  # the server may not wait for it
                    self._flush()  # the close handshake's echo, so the server need not wait

    @property
    def close_code(self) -> int | None:
        received = self.protocol.close_rcvd
        return received.code if received else None

    def close(self) -> None:
        self.sock.close()


def _server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Iterator[Server]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    srv = Server(f"sqlite:///{tmp_path / 'peers.db'}", tmp_path / "server.log")
    srv.start()
    yield srv
    srv.stop()


# Sessions served on the connection (flowmap serve), and through ASGI (any other server).
MODES = {"direct": "true", "asgi": "false"}


@pytest.fixture(params=MODES)
def server(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    yield from _server(tmp_path, monkeypatch, FLOWMAP_DIRECT_WEBSOCKETS=MODES[request.param])


@pytest.fixture(params=MODES)
def short_ping_server(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    yield from _server(tmp_path, monkeypatch, FLOWMAP_WS_PING_INTERVAL=str(PING_INTERVAL),
                       FLOWMAP_WS_PING_TIMEOUT=str(PING_TIMEOUT),
                       FLOWMAP_DIRECT_WEBSOCKETS=MODES[request.param])  # fmt: skip


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_client_that_stops_reading_is_cut_off_and_catches_up(server: Server) -> None:
    board = server.create_board("Slow peer")
    token = board["tokens"]["participant"]
    url = server.ws_url(board["id"], token)
    setup = [{"op": "create", "element": {"id": f"n{i}", "kind": "note"}} for i in range(BATCH_OPS)]
    server.send_ops(board, setup, "participant", timeout=30).raise_for_status()
    bob = SyncLink.open(url, ClientModel("bob"))
    stalled = RawPeer(url, "stalled")  # says hello, reads its welcome, then reads nothing
    bob.until(lambda: "stalled" in bob.model.peers, 10)
    assert server.proc is not None
    rss_before = rss_bytes(server.proc.pid)

    batch_chars = BATCH_OPS * TEXT
    batches = PUSH_CHARS // batch_chars + 1
    lag: list[float] = []
    cut_at: int | None = None
    for n in range(batches):
        text = f"{n:04d}" + "x" * (TEXT - 4)
        ops = [{"op": "update", "id": f"n{i}", "set": {"text": text}} for i in range(BATCH_OPS)]
        answer = server.send_ops(board, ops, "participant", timeout=30)
        seq = answer.json()["seq"]
        started = time.monotonic()
        bob.until(bob.model.board.reached(seq), 30)  # bob keeps up, batch by batch
        lag.append(time.monotonic() - started)
        if cut_at is None and "stalled" not in bob.model.peers:
            cut_at = n
    bob.until(lambda: "stalled" not in bob.model.peers, 30)
    rss_after = rss_bytes(server.proc.pid)
    pushed = batches * batch_chars
    print(f"pushed {pushed / 2**20:.0f} MiB in {batches} batches; cut off after batch {cut_at}; "
          f"bob's lag max {max(lag):.3f} s; server RSS {rss_before / 2**20:.0f} -> "
          f"{rss_after / 2**20:.0f} MiB")  # fmt: skip

    assert cut_at is not None and cut_at < batches - 1, "the stalled peer was never cut off"
    assert max(lag) < PROMPT_SECONDS, f"the others waited {max(lag):.2f} s for a broadcast"
    time.sleep(GOODBYE_SECONDS + 1)  # the server gave up on it, and dropped what it held
    stalled.read_to_end(timeout=30)  # it wakes up: what the kernels kept for it, then the end
    assert stalled.ended_at is not None
    assert stalled.bytes_read < pushed / 2, "the server buffered everything for a stalled peer"
    print("stalled peer: close code", stalled.close_code, "bytes read", stalled.bytes_read)
    assert stalled.close_code in (1013, None)  # "too slow", if the close frame got out in time

    back = ClientModel("stalled")
    back.handle(stalled.welcome)  # all it ever applied
    again = SyncLink.open(url, back)  # hello with its last seq: caught up from the log
    again.until(back.board.reached(bob.model.board.seq), 30)
    assert back.board.elements == bob.model.board.elements
    stalled.close()
    again.close()
    bob.close()


def test_a_client_that_stops_answering_pings_is_dropped(short_ping_server: Server) -> None:
    server = short_ping_server
    board = server.create_board("Dead peer")
    url = server.ws_url(board["id"], board["tokens"]["participant"])
    bob = SyncLink.open(url, ClientModel("bob"))  # websockets answers pings by itself
    dead = RawPeer(url, "dead")  # reads everything, answers nothing
    bob.until(lambda: "dead" in bob.model.peers, 10)
    went_silent = time.monotonic()
    reader = threading.Thread(target=dead.read_to_end, args=(30,), daemon=True)
    reader.start()
    bound = PING_INTERVAL + PING_TIMEOUT + DROP_SLACK
    bob.until(lambda: "dead" not in bob.model.peers, bound)
    dropped_after = time.monotonic() - went_silent
    reader.join(10)
    print(f"dead peer dropped after {dropped_after:.2f} s (interval {PING_INTERVAL}, "
          f"timeout {PING_TIMEOUT})")  # fmt: skip
    assert dead.ended_at is not None and dead.close_code == 1011  # keepalive ping timeout
    assert dropped_after >= PING_TIMEOUT  # dropped by the keepalive, not by accident

    # The live one stays through many ping rounds and still gets every edit.
    time.sleep(2 * (PING_INTERVAL + PING_TIMEOUT))
    answer = server.send_ops(
        board, [{"op": "create", "element": {"id": "s1", "kind": "step"}}], "participant"
    )
    bob.until(bob.model.board.reached(answer.json()["seq"]), 10)
    assert bob.model.peers == ["bob"] and "s1" in bob.model.board.elements
    dead.close()
    bob.close()
