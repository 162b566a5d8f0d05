"""A protocol client's state without the socket, and two thin sockets to drive it.

`ClientModel` holds what the browser holds: the confirmed board (server entries
applied in seq order, never twice), the operations sent but not yet
acknowledged (re-sent after a reconnect with their cids), and a record of every
operation it ever put on the wire, acknowledged or refused. The crash test
drives it over asyncio websockets (`AsyncLink`), the convergence state machine
over blocking ones (`SyncLink`).

    model = ClientModel("ada")
    link = await AsyncLink.open(server.ws_url(board_id, token), model)
    await link.send_ops([model.new_op({"op": "create", "element": {...}})])
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import create_engine, text
from websockets.asyncio.client import ClientConnection as AsyncConnection
from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection as SyncConnection
from websockets.sync.client import connect as sync_connect

from app.hub.identity import cid_prefix, client_of
from app.protocol import SERVER_MESSAGE

# Frames a client buffers unread; a test may read nothing for a while, and the
# server must not see it as a stalled peer because of the library's default of 16.
CLIENT_QUEUE = 4096


class BoardModel:
    """The confirmed board: entries applied in seq order, a repeated one ignored."""

    def __init__(self) -> None:
        self.seq = 0
        self.elements: dict[str, dict[str, Any]] = {}

    def reached(self, seq: int) -> Callable[[], bool]:
        """A test for `until`: this board has applied `seq`."""
        return lambda: self.seq >= seq

    def apply_welcome(self, welcome: dict[str, Any]) -> None:
        if welcome["snapshot"] is not None:
            self.elements = {e["id"]: e for e in welcome["snapshot"]["elements"]}
            self.seq = welcome["seq"]
        for entry in welcome["missed"] or []:
            self.apply(entry)
        assert self.seq == welcome["seq"], f"welcome at {welcome['seq']}, model at {self.seq}"

    def apply(self, entry: dict[str, Any]) -> None:
        if entry["seq"] <= self.seq:
            return  # delivered again (a replay after reconnect): already applied
        assert entry["seq"] == self.seq + 1, f"gap: had {self.seq}, got {entry['seq']}"
        self.seq = entry["seq"]
        if entry["op"] == "create":
            self.elements[entry["element"]["id"]] = dict(entry["element"])
        elif entry["op"] == "update":
            self.elements[entry["id"]] = {**self.elements[entry["id"]], **entry["set"]}
        elif entry["op"] == "delete":
            for gone in entry["removed"]:
                self.elements.pop(gone, None)


class ClientModel:
    """One client's protocol state, kept across connections (as a browser tab keeps it)."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Its identity, as a browser keeps it: the key it presents and the id it proves.
        self.key = secrets.token_urlsafe(16)
        self.client = client_of(self.key)
        self.board = BoardModel()
        self.counter = 0
        self.welcomed = False
        self.pending: dict[str, dict[str, Any]] = {}  # cid -> op, in send order
        self.sent: dict[str, dict[str, Any]] = {}  # every op ever sent, by cid
        self.acked: dict[str, int] = {}  # cid -> the seq it was stored at
        self.refused: dict[str, str] = {}  # cid -> the server's reason
        self.removed: set[str] = set()  # element ids whose deletion was confirmed
        self.errors: list[dict[str, Any]] = []
        self.peers: list[str] = []  # names of who is on the board, from welcome and presence
        self.pongs: list[float] = []

    def new_op(self, op: dict[str, Any]) -> dict[str, Any]:
        """Give an operation the next cid and keep it pending until the server answers."""
        self.counter += 1
        with_cid = {"cid": f"{cid_prefix(self.client)}{self.name}.{self.counter}", **op}
        self.pending[with_cid["cid"]] = with_cid
        self.sent[with_cid["cid"]] = with_cid
        return with_cid

    def settled(self) -> bool:
        """Every operation sent has been answered (stored, or refused with a reason)."""
        return not self.pending

    def hello(self, rewind: int = 0) -> dict[str, Any]:
        """The hello after (re)connecting; `rewind` claims an older seq, so entries come twice."""
        since = max(0, self.board.seq - rewind) if self.welcomed else None
        return {"type": "hello", "protocol": 1, "name": self.name, "since": since, "key": self.key}

    def handle(self, message: dict[str, Any]) -> None:
        SERVER_MESSAGE.validate_python(message)
        kind = message["type"]
        if kind == "welcome":
            self.board.apply_welcome(message)
            self.welcomed = True
            self.peers = [p["name"] for p in message["peers"]]
            for entry in message["missed"] or []:
                self._settle(entry)
        elif kind == "ops":
            for entry in message["ops"]:
                self.board.apply(entry)
                self._settle(entry)
        elif kind == "pong":
            self.pongs.append(message["t"])
        elif kind == "presence":
            self.peers = [p["name"] for p in message["peers"]]
        elif kind == "ack":
            self.pending.pop(message["cid"], None)
            self.acked[message["cid"]] = message["seq"]
        elif kind == "error":
            self.errors.append(message)
            if message["cid"] is not None:
                self.pending.pop(message["cid"], None)
                self.refused[message["cid"]] = message["reason"]

    def _settle(self, entry: dict[str, Any]) -> None:
        if entry["op"] == "delete":
            self.removed.update(entry["removed"])
        cid = entry.get("cid")
        if cid in self.sent:
            self.pending.pop(cid, None)
            self.acked[cid] = entry["seq"]


class AsyncLink:
    """A ClientModel on an asyncio websocket; `pump` applies whatever arrives."""

    def __init__(self, ws: AsyncConnection, model: ClientModel) -> None:
        self.ws = ws
        self.model = model

    @classmethod
    async def open(cls, url: str, model: ClientModel) -> AsyncLink:
        """Connect, say hello, apply the welcome, re-send what is pending (like the browser)."""
        ws = await async_connect(url, proxy=None, max_queue=CLIENT_QUEUE, open_timeout=20)
        link = cls(ws, model)
        await ws.send(json.dumps(model.hello()))
        while not await link._welcomed():
            pass
        if model.pending:
            await ws.send(json.dumps({"type": "ops", "ops": list(model.pending.values())}))
        return link

    async def _welcomed(self) -> bool:
        message = json.loads(await self.ws.recv())
        self.model.handle(message)
        return bool(message["type"] == "welcome")

    async def send_ops(self, ops: list[dict[str, Any]]) -> None:
        await self.ws.send(json.dumps({"type": "ops", "ops": ops}))

    async def until(self, done: Callable[[], bool], timeout: float) -> None:
        """Apply messages until `done()` holds; TimeoutError if it does not within `timeout`."""
        async with asyncio.timeout(timeout):
            while not done():
                self.model.handle(json.loads(await self.ws.recv()))

    async def pump(self) -> None:
        """Apply every message until the connection ends (a kill, or `close`)."""
        try:
            async for raw in self.ws:
                self.model.handle(json.loads(raw))
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        await self.ws.close()


class SyncLink:
    """A ClientModel on a blocking websocket; `drain` applies what has arrived so far."""

    def __init__(self, ws: SyncConnection, model: ClientModel) -> None:
        self.ws = ws
        self.model = model

    @classmethod
    def open(cls, url: str, model: ClientModel, rewind: int = 0, timeout: float = 20) -> SyncLink:
        """Connect, say hello, apply the welcome, re-send what is pending (like the browser)."""
        ws = sync_connect(
            url, proxy=None, max_queue=CLIENT_QUEUE, open_timeout=timeout, legacy=True
        )
        link = cls(ws, model)
        ws.send(json.dumps(model.hello(rewind)))
        while True:
            message = json.loads(ws.recv(timeout=timeout))
            model.handle(message)
            if message["type"] == "welcome":
                break
        if model.pending:
            link.send_ops(list(model.pending.values()))
        return link

    def send_ops(self, ops: list[dict[str, Any]]) -> None:
        self.ws.send(json.dumps({"type": "ops", "ops": ops}))

    def until(self, done: Callable[[], bool], timeout: float) -> None:
        """Apply messages until `done()` holds; TimeoutError if it does not within `timeout`."""
        deadline = time.monotonic() + timeout
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.model.name}: still waiting after {timeout} s")
            with contextlib.suppress(TimeoutError):
                self.model.handle(json.loads(self.ws.recv(timeout=left)))

    def drain(self, timeout: float = 0) -> bool:
        """Apply what has arrived (waiting up to `timeout` for the first); False once closed."""
        try:
            while True:
                self.model.handle(json.loads(self.ws.recv(timeout=timeout)))
                timeout = 0
        except TimeoutError:
            return True
        except ConnectionClosed:
            return False

    def close(self) -> None:
        self.ws.close()


def read_op_log(database_url: str, board_id: str) -> tuple[int, list[dict[str, Any]]]:
    """The board's seq and its op log, straight from the database (SQLite or PostgreSQL).

    The seq is the log's last, which the board row's must equal on PostgreSQL and may
    trail on SQLite (its row moves only with the frame: store/oplog_sqlite.py).
    """
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            seq = conn.execute(
                text("SELECT seq FROM boards WHERE id = :b"), {"b": board_id}
            ).scalar_one()
            rows = conn.execute(
                text("SELECT seq, cid, entry FROM ops WHERE board_id = :b ORDER BY seq"),
                {"b": board_id},
            ).all()
    finally:
        engine.dispose()
    entries = [orjson.loads(entry) for _, _, entry in rows]
    assert [(s, c) for s, c, _ in rows] == [(e["seq"], e["cid"]) for e in entries]
    assert [s for s, _, _ in rows] == list(range(1, len(rows) + 1)), "the log has a gap"
    last = len(rows)
    if database_url.startswith("postgresql"):
        assert seq == last, f"the board row says {seq}, its log {last}"
    else:
        assert seq <= last, f"the board row says {seq}, its log {last}"
    return last, entries
