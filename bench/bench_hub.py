"""W3's boards in one process, with no sockets and no database: the hub's and the domain's
own CPU per edit.

bench/run.py measures the whole server, and on a shared machine its CPU per edit
moves ±10 % from run to run. This takes the network and SQLite out: 50 rooms of 6
peers (sockets that only take the frame's bytes), an in-memory store that commits at
once (as SQLite does on the event loop), the same 24-step boards and the same mix of
edits as W3 (bench/load.py), 600 edits a second for SECONDS, open loop. What is
left is what a room does per edit: plan, apply, the ops frame, the metrics and the
forecast. It prints the process's CPU time per edit (every thread: a forecast in a
worker thread counts).

    python bench/bench_hub.py [SECONDS]

On 2026-12-04 (6 s each, alternating, on a machine shared with other work), before the
W3 work of issue 20 and after it: 394, 502, 453 against 328, 317, 395 µs; later 516, 469,
515 against 438, 414, 452 µs (-13 to -23 %). The metrics were still half of what is left.
"""

from __future__ import annotations

import asyncio
import gc
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop  # noqa: E402

from app.domain.elements import Board, Connector, Element, Step  # noqa: E402
from app.domain.forecast import certain_forecast_json, forecast_json  # noqa: E402
from app.hub.forecast_feed import Forecasts  # noqa: E402
from app.hub.frames import Outbound  # noqa: E402
from app.hub.room import Peer, Room  # noqa: E402
from app.main import metrics_json  # noqa: E402
from app.protocol import UpdateOp  # noqa: E402
from app.store.memory import MemoryBoardStore  # noqa: E402
from bench.load import STEPS, edit_fields, setup_ops  # noqa: E402

BOARDS, PEERS, RATE = 50, 6, 600.0
SECONDS = 10.0
WARMUP = 1.5


class CountingSocket:
    """A PeerSocket that takes each frame's bytes, as a direct socket reads them."""

    closed = False
    backlog = 0

    def __init__(self) -> None:
        self.bytes = 0

    def send(self, frame: Outbound) -> None:
        self.bytes += len(frame.wire)

    def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = True


def board(board_id: str) -> Board:
    """W3's starting board (bench/load.py setup_ops) as elements."""
    elements: dict[str, Element] = {}
    for op in setup_ops():
        e = dict(op["element"])
        kind = e.pop("kind")
        elements[e["id"]] = Step(**e) if kind == "step" else Connector(**e)
    return Board(id=board_id, elements=elements)


async def run(seconds: float) -> dict[str, Any]:
    # The metrics and the forecast as the server gives them to its rooms (app/main.py).
    forecasts = Forecasts(full=forecast_json, quick=certain_forecast_json)
    store = MemoryBoardStore(immediate=True)
    rooms: list[tuple[Room, list[Peer]]] = []
    for b in range(BOARDS):
        store.add(board(f"b{b}"))
        loaded = await store.load(f"b{b}")
        assert loaded is not None
        room = Room(f"b{b}", loaded, store, metrics_json, forecast=forecasts)
        peers = []
        for p in range(PEERS):
            peer = Peer(id="", name=f"p{p}", role="participant", socket=CountingSocket(),
                        client=f"b{b}x{p}", patches=True)  # fmt: skip
            room.join(peer, None)
            peers.append(peer)
        rooms.append((room, peers))
    rng = random.Random(1)
    await asyncio.sleep(WARMUP)  # the first forecasts
    gc.collect()
    gc.freeze()
    edits, started, cpu = 0, time.monotonic(), time.process_time()
    due = started
    while time.monotonic() - started < seconds:
        due += rng.expovariate(RATE)
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        room, peers = rooms[rng.randrange(BOARDS)]
        p = rng.randrange(PEERS)
        edits += 1
        fields = edit_fields(rng, p % STEPS, edits)
        cid = f"{peers[p].client}:{edits}"
        room.submit(peers[p], [UpdateOp(op="update", cid=cid, id=f"s{p % STEPS}", set=fields)])
    cpu = time.process_time() - cpu
    rate = edits / (time.monotonic() - started)
    for room, _ in rooms:
        await room.close()
    return {"edits_per_s": rate, "cpu_per_edit_us": 1e6 * cpu / edits}


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    result = uvloop.run(run(seconds))
    print(f"{result['edits_per_s']:.0f} edits/s  {result['cpu_per_edit_us']:.0f} µs CPU per edit")


if __name__ == "__main__":
    main()
