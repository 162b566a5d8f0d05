"""Just enough of Flowmap's protocol for a no-work relay (the B0 and B1 baselines).

A relay checks nothing, stores nothing and computes nothing: `hello` gets a
`welcome` (with the entries missed since `since`, kept in memory), each `ops`
message is stamped with the board's next sequence numbers and sent to everyone,
and drags and cursors are batched about 30 times a second as the protocol says. It is the
floor Flowmap is measured against: the same clients work against both.

    board = hub.board("b1")
    peer = board.join(connection, "Ada")
    frame_for_all, reply = board.handle(peer, raw_bytes)
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

PROTOCOL_VERSION = 1
# The same catch-up depth as Flowmap's room, so reconnect (W5) costs compare.
CATCHUP_LIMIT = 1000
# Flowmap refuses larger frames (app/protocol.py); the relays do the same.
MAX_FRAME_BYTES = 256 * 1024
# Drags go out at most this often, as in Flowmap (docs/protocol.md: about 30 a second).
TRANSIENT_INTERVAL = 1 / 30


@dataclass(eq=False)
class RelayPeer:
    """One connection: its peer id, its name, and whatever the server sends through."""

    id: str
    name: str
    connection: Any


@dataclass(eq=False)
class RelayBoard:
    """One board's peers, its sequence number and a short in-memory log."""

    broadcast: Callable[[list[Any], bytes], None]
    seq: int = 0
    peers: dict[str, RelayPeer] = field(default_factory=dict)
    log: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=CATCHUP_LIMIT))
    drags: dict[str, list[Any]] = field(default_factory=dict)
    cursors: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    flush: asyncio.TimerHandle | None = None
    next_peer: int = 0

    def join(self, connection: Any, name: str) -> RelayPeer:
        self.next_peer += 1
        peer = RelayPeer(f"p{self.next_peer}", name, connection)
        self.peers[peer.id] = peer
        return peer

    def leave(self, peer: RelayPeer) -> None:
        self.peers.pop(peer.id, None)
        self.drags.pop(peer.id, None)
        self.cursors.pop(peer.id, None)

    def welcome(self, peer: RelayPeer, since: int | None) -> bytes:
        oldest = self.log[0]["seq"] if self.log else self.seq + 1
        caught_up = since is not None and oldest - 1 <= since <= self.seq
        return orjson.dumps(
            {
                "type": "welcome",
                "protocol": PROTOCOL_VERSION,
                "you": {"peer": peer.id, "name": peer.name, "color": "#2563eb",
                        "role": "participant"},
                "seq": self.seq,
                "snapshot": None if caught_up else {"board": {}, "elements": []},
                "missed": [e for e in self.log if e["seq"] > since] if caught_up else None,
                "peers": [],
                "metrics": {},
            }
        )  # fmt: skip

    def handle(self, peer: RelayPeer, raw: bytes | str) -> bytes | None:
        """One client frame; returns a frame for the sender alone, if any."""
        message = orjson.loads(raw)
        kind = message.get("type")
        if kind == "ops":
            entries = []
            for op in message["ops"]:
                self.seq += 1
                entries.append({"seq": self.seq, "by": peer.id, "name": peer.name, **op})
            self.log.extend(entries)
            self._send_all(orjson.dumps({"type": "ops", "ops": entries}))
        elif kind == "drag":
            self.drags[peer.id] = message["moves"]
            self._schedule()
        elif kind == "cursor":
            self.cursors[peer.id] = (message["x"], message["y"])
            self._schedule()
        elif kind == "ping":
            return orjson.dumps({"type": "pong", "t": message["t"]})
        return None

    def _schedule(self) -> None:
        if self.flush is None:
            loop = asyncio.get_running_loop()
            self.flush = loop.call_later(TRANSIENT_INTERVAL, self._flush_transient)

    def _flush_transient(self) -> None:
        """The latest drags and cursors of each peer since the last tick, in one frame."""
        self.flush = None
        drags = [{"peer": p, "moves": moves} for p, moves in self.drags.items()]
        cursors = [{"peer": p, "x": x, "y": y} for p, (x, y) in self.cursors.items()]
        self.drags.clear()
        self.cursors.clear()
        if drags or cursors:
            message = {"type": "transient", "cursors": cursors, "drags": drags}
            self._send_all(orjson.dumps(message))

    def _send_all(self, frame: bytes) -> None:
        self.broadcast([p.connection for p in self.peers.values()], frame)


class RelayHub:
    """The relay's boards, created on first use (any board id, any token)."""

    def __init__(self, broadcast: Callable[[list[Any], bytes], None]) -> None:
        self._broadcast = broadcast
        self._boards: dict[str, RelayBoard] = {}

    def board(self, board_id: str) -> RelayBoard:
        board = self._boards.get(board_id)
        if board is None:
            board = self._boards[board_id] = RelayBoard(self._broadcast)
        return board


def board_id_from_path(path: str) -> str:
    """`/ws/boards/<id>?token=...` -> `<id>`."""
    return path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
