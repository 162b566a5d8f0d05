"""B0: the floor. A websockets-library relay that does no work, on uvloop.

It answers `hello` and relays `ops` with sequence numbers through the
library's own `broadcast()` (one encoded frame, written to every connection
without awaiting), so its CPU per edit is what Python on this machine needs
just to move the bytes.

    python -m bench.relay_b0 --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
from http import HTTPStatus
from typing import Any

import orjson
import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from bench.relay_protocol import MAX_FRAME_BYTES, RelayHub, board_id_from_path


def _broadcast(connections: list[Any], frame: bytes) -> None:
    broadcast(connections, frame, text=True)


HUB = RelayHub(_broadcast)


async def handler(ws: ServerConnection) -> None:
    board = HUB.board(board_id_from_path(ws.request.path if ws.request else ""))
    hello = orjson.loads(await ws.recv(decode=False))
    peer = board.join(ws, hello.get("name", "?"))
    try:
        await ws.send(board.welcome(peer, hello.get("since")), text=True)
        while True:
            reply = board.handle(peer, await ws.recv(decode=False))
            if reply is not None:
                await ws.send(reply, text=True)
    except ConnectionClosed:
        pass
    finally:
        board.leave(peer)


def health(connection: ServerConnection, request: Request) -> Response | None:
    """`GET /healthz` answers 200, as Flowmap's: HAProxy's check in front of three relays
    (bench/proxied.py). Every other path goes on to the websocket handshake."""
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def main(port: int) -> None:
    # No compression, as Flowmap (cli.py): deflate would cost CPU per peer.
    async with serve(
        handler, "127.0.0.1", port, compression=None, max_size=MAX_FRAME_BYTES,
        process_request=health,
    ):  # fmt: skip
        await asyncio.Future()  # until killed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    uvloop.run(main(parser.parse_args().port))
