"""A real Flowmap server (`flowmap serve`: uvicorn on a loopback port) and a real protocol client."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from app.protocol import SERVER_MESSAGE

# A bound on a failure, not a timing: a loaded two-core machine starting three servers at
# once has taken over 20 s.
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Every test makes its boards and opens its sockets from loopback, hundreds a module: the
# per-address and per-link limits (app/api/limits.py) are lifted here and tested on servers of their own.
TEST_CAPACITY = {
    "FLOWMAP_BOARDS_BURST": "1e9", "FLOWMAP_JOINS_BURST": "1e9",
    "FLOWMAP_CONNECTIONS_PER_ADDRESS": "1000000", "FLOWMAP_LINK_OPS_BURST": "1e9",
}  # fmt: skip


class LoopbackProcess:
    """A subprocess listening on a free loopback port: its addresses, and stopping it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, board_id: str, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/boards/{board_id}?token={token}"

    def peak_memory_kib(self) -> int:
        """The process's peak resident memory so far (Linux's VmHWM), in KiB."""
        assert self.proc is not None
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(next(x for x in status.splitlines() if x.startswith("VmHWM:")).split()[1])

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no last snapshot — as in a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class Server(LoopbackProcess):
    """`flowmap serve` in a subprocess; can be killed (SIGKILL) and started again on the same data.

    `redis_url` makes it one of several processes fanning out through Redis;
    `env` adds FLOWMAP_* settings (e.g. {"FLOWMAP_RESYNC_SECONDS": "0.5"}).
    """

    def __init__(
        self, database_url: str, log_path: Path,
        redis_url: str | None = None, env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
    ) -> None:  # fmt: skip
        self.database_url = database_url
        self.redis_url = redis_url
        self.env = env or {}
        self.extra_args = extra_args or []
        self.log_path = log_path
        super().__init__()

    def start(self) -> None:
        env = {**os.environ, "FLOWMAP_LOG_LEVEL": "warning", "FLOWMAP_ROOM_IDLE_SECONDS": "2"}
        env |= TEST_CAPACITY | self.env | {"PYTHONFAULTHANDLER": "1"}
        log = self.log_path.open("ab")
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port),
                   "--database-url", self.database_url]  # fmt: skip
        if self.redis_url:
            command += ["--redis-url", self.redis_url]
        command += self.extra_args
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self._dump_stacks()
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-4000:]}")

    def _dump_stacks(self) -> None:
        """SIGABRT: faulthandler writes where every thread stands to the log, then it dies."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGABRT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def send_ops(
        self,
        board: dict[str, Any],
        ops: list[dict[str, Any]],
        role: str = "facilitator",
        timeout: float = 10,
    ) -> httpx.Response:
        """POST operations with `role`'s link, as a script does; the answer as it came."""
        return httpx.post(
            f"{self.url}/api/boards/{board['id']}/ops",
            json={"ops": ops},
            headers={"Authorization": f"Bearer {board['tokens'][role]}"},
            timeout=timeout,
        )

    def post_ops(
        self, board: dict[str, Any], ops: list[dict[str, Any]], role: str = "facilitator"
    ) -> dict[str, Any]:
        """Apply operations through the HTTP API and insist every one was accepted."""
        answer = self.send_ops(board, ops, role)
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        refused = [r for r in body["results"] if r["error"] is not None]
        assert not refused, refused
        return body

    def create_board(self, title: str = "Test board") -> dict[str, Any]:
        response = httpx.post(self.url + "/api/boards", json={"title": title}, timeout=10)
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        created["tokens"] = {
            role: link.split("token=")[1] for role, link in created["links"].items()
        }
        return created


class LiveClient:
    """A websocket client speaking the protocol like the browser does (confirmed + pending)."""

    def __init__(self, ws: ClientConnection, name: str, key: str | None = None) -> None:
        self.ws = ws
        self.name = name
        # This client's secret, as a browser keeps it: the server derives its identity from it.
        self.key = key if key is not None else secrets.token_urlsafe(16)
        self.inbox: list[dict[str, Any]] = []
        self.elements: dict[str, dict[str, Any]] = {}
        # The board's frame (title, teams, ...) as the snapshot and `board` entries set it.
        self.frame: dict[str, Any] = {}
        self.seq = 0
        self.counter = 0
        self.welcome: dict[str, Any] = {}

    @property
    def client(self) -> str:
        """The identity the server gave this connection (its ops' cids start with it)."""
        return str(self.welcome.get("you", {}).get("client") or self.name)

    @classmethod
    async def join(
        cls, server: Server, board: dict[str, Any], role: str = "participant",
        name: str = "tester", since: int | None = None, previous: LiveClient | None = None,
        key: str | None = None,
    ) -> LiveClient:  # fmt: skip
        """Connect and say hello; `previous` carries a reconnecting client's state and counter."""
        ws = await connect(server.ws_url(board["id"], board["tokens"][role]))
        client = cls(ws, name, key if previous is None else previous.key)
        if previous is not None:
            client.elements, client.seq = dict(previous.elements), previous.seq
            client.frame = dict(previous.frame)
            client.counter = previous.counter
            since = previous.seq
        await client.send({"type": "hello", "protocol": 1, "name": name, "since": since,
                           "key": client.key})  # fmt: skip
        client.welcome = await client.expect("welcome")
        client.apply_welcome(client.welcome)
        return client

    def apply_welcome(self, welcome: dict[str, Any]) -> None:
        if welcome["snapshot"] is not None:
            self.elements = {e["id"]: e for e in welcome["snapshot"]["elements"]}
            self.frame = dict(welcome["snapshot"]["board"])
        for entry in welcome["missed"] or []:
            self.apply(entry)
        self.seq = welcome["seq"]

    def apply(self, entry: dict[str, Any]) -> None:
        if entry["seq"] <= self.seq:
            return
        assert entry["seq"] == self.seq + 1, f"gap: had {self.seq}, got {entry['seq']}"
        self.seq = entry["seq"]
        if entry["op"] == "create":
            self.elements[entry["element"]["id"]] = entry["element"]
        elif entry["op"] == "update":
            self.elements[entry["id"]] = {**self.elements[entry["id"]], **entry["set"]}
            for gone in entry.get("removed", ()):  # a vote's close: its dots left on nothing
                self.elements.pop(gone, None)
        elif entry["op"] == "delete":
            for gone in entry["removed"]:
                self.elements.pop(gone, None)
        elif entry["op"] == "board":
            self.frame.update(entry["set"])
            for element_id, texts in entry.get("retyped", {}).items():
                self.elements[element_id] = {**self.elements[element_id], **texts}

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    def next_cid(self) -> str:
        self.counter += 1
        return f"{self.client}:{self.counter}"

    async def ops(self, *ops: dict[str, Any]) -> list[str]:
        with_cids = [{"cid": self.next_cid(), **op} for op in ops]
        await self.send({"type": "ops", "ops": with_cids})
        return [op["cid"] for op in with_cids]

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        SERVER_MESSAGE.validate_python(message)
        self.inbox.append(message)
        if message["type"] == "ops":
            for entry in message["ops"]:
                self.apply(entry)
        elif message["type"] == "reveal":
            # A closed vote's dots are all in it: one still held sealed that is not went.
            shown, closed = {e["id"] for e in message["elements"]}, set(message.get("votes", []))
            for gone in [k for k, e in self.elements.items()
                         if e.get("kind") == "dot" and e.get("vote") in closed and k not in shown]:
                del self.elements[gone]  # fmt: skip
            for element in message["elements"]:
                if element["id"] in self.elements:
                    self.elements[element["id"]] = element
        return message  # type: ignore[no-any-return]

    async def expect(self, kind: str, timeout: float = 5) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            message = await self.receive(max(left, 0.01))
            if message["type"] == kind:
                return message

    async def until_seq(self, seq: int, timeout: float = 5) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.seq < seq:
            await self.receive(max(deadline - asyncio.get_running_loop().time(), 0.01))

    async def acked(self, cids: list[str], timeout: float = 5) -> dict[str, int]:
        """Wait until each cid came back in `ops` (its ack); cid -> seq."""
        found: dict[str, int] = {}
        for message in self.inbox:
            found |= {e["cid"]: e["seq"] for e in message.get("ops", []) if e["cid"] in cids}
        deadline = asyncio.get_running_loop().time() + timeout
        while set(cids) - set(found):
            message = await self.receive(max(deadline - asyncio.get_running_loop().time(), 0.01))
            found |= {e["cid"]: e["seq"] for e in message.get("ops", []) if e["cid"] in cids}
        return found

    async def close(self) -> None:
        await self.ws.close()
