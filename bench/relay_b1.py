"""B1: a FastAPI/uvicorn relay that does no work.

The same relay as B0 (bench/relay_protocol.py), served the way Flowmap is
served: uvicorn with its default websocket implementation, uvloop, no
compression, and one queue plus one writer task per peer (a Starlette
websocket's send must be awaited, and awaiting it inline would let two
broadcasts interleave). B1 minus B0 is the framework's cost; Flowmap minus B1
is Flowmap's own work.

    python -m bench.relay_b1 --port 8766
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from bench.relay_protocol import MAX_FRAME_BYTES, RelayHub


class QueuedPeer:
    """Frames for one peer, written in order by one task."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        with contextlib.suppress(Exception):  # the peer left; its reader cleans up
            while True:
                await self.websocket.send_text(await self.queue.get())


def _broadcast(connections: list[Any], frame: bytes) -> None:
    text = frame.decode()
    for peer in connections:
        peer.queue.put_nowait(text)


HUB = RelayHub(_broadcast)
app = FastAPI()


@app.websocket("/ws/boards/{board_id}")
async def relay(websocket: WebSocket, board_id: str) -> None:
    await websocket.accept()
    board = HUB.board(board_id)
    hello = orjson.loads(await websocket.receive_text())
    queued = QueuedPeer(websocket)
    peer = board.join(queued, hello.get("name", "?"))
    try:
        queued.queue.put_nowait(board.welcome(peer, hello.get("since")).decode())
        while True:
            reply = board.handle(peer, await websocket.receive_text())
            if reply is not None:
                queued.queue.put_nowait(reply.decode())
    except WebSocketDisconnect:
        pass
    finally:
        board.leave(peer)
        queued.writer.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=parser.parse_args().port,
        log_level="warning",
        ws_max_size=MAX_FRAME_BYTES,
        ws_per_message_deflate=False,
    )
