"""A crowd of workshop participants on a board, without a browser each.

Each person is a websocket that says hello like a page does and then keeps
reading (a reader thread per socket), so the board's page sees them in its
people list. Used to try the page with 13 or 40 people present.

    with Crowd(live_server, board, 12) as crowd:
        page = open_page(board_url(board, "facilitator"))
"""

from __future__ import annotations

import json
import secrets
import threading
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.support.live import Server

# Names people give in a workshop: long ones too, so chips and lists are tried with them.
NAMES = (
    "Ada Lovelace", "Grace Hopper", "Maximiliane Oberhauser-Lindqvist", "Katherine Johnson",
    "Alan Turing", "Margaret Hamilton", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth",
    "Frances Allen", "Radia Perlman", "Tim Berners-Lee", "Hedy Lamarr",
)  # fmt: skip


class Crowd:
    """`size` participants joined to `board` until the `with` block ends."""

    def __init__(self, server: Server, board: dict[str, Any], size: int) -> None:
        self.server = server
        self.board = board
        self.size = size
        self.sockets = ExitStack()
        self.readers: list[threading.Thread] = []

    def __enter__(self) -> Crowd:
        for i in range(self.size):
            self._join(f"{NAMES[i % len(NAMES)]}{'' if i < len(NAMES) else f' {i}'}")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.sockets.close()
        for reader in self.readers:
            reader.join(timeout=5)

    def _join(self, name: str) -> None:
        url = self.server.ws_url(self.board["id"], self.board["tokens"]["participant"])
        ws = self.sockets.enter_context(connect(url))
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": name, "since": None,
                            "key": secrets.token_urlsafe(16)}))  # fmt: skip
        while json.loads(ws.recv(timeout=10))["type"] != "welcome":
            pass
        reader = threading.Thread(target=_drain, args=(ws,), daemon=True)
        reader.start()
        self.readers.append(reader)


def _drain(ws: ClientConnection) -> None:
    """Read and drop what the board sends, so the socket never backs up."""
    try:
        for _ in ws:
            pass
    except ConnectionClosed:
        pass
