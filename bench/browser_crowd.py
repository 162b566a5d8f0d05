"""Remote people on a board, for the browser benchmark: a subprocess, so their
load generation never shares the benchmark's own interpreter.

Each person is a real websocket client (bench/wire.py) speaking
docs/protocol.md at the rates a browser sends: the pointer every 50 ms
(session.js CURSOR_INTERVAL_MS) wandering over the board; one person in four
dragging a step at any time (a `drag` every 33 ms for 2 s, a little loop
around where it stood, then the drop as an `update` op putting it back and a
second's pause before the next); and a `view` every 2 s, as someone who pans
now and then. What the server sends back is read and dropped.

    python -m bench.browser_crowd --url ws://127.0.0.1:8123/ws/boards/B?token=T \
        --people 40 --board spec.json

It prints "ready" once everyone is in, and stops when its stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import secrets
import sys
from typing import Any

from bench.wire import Wire, open_wire

CURSOR_S = 0.050
DRAG_S = 0.033
DRAG_FOR_S = 2.0
DRAG_PAUSE_S = 1.0
VIEW_S = 2.0
DRAGGER_SHARE = 4  # one person in this many drags
DRAG_RADIUS = 60
MAX_FRAME = 1 << 25  # a 3,000-element welcome is a few MB


class Person:
    def __init__(self, url: str, name: str, board: dict[str, Any], rnd: random.Random) -> None:
        self.url = url
        self.name = name
        self.board = board
        self.rnd = rnd
        self.client = ""
        self.counter = 0
        self.wire: Wire | None = None
        self.welcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def _received(self, data: bytes) -> None:
        if not self.welcome.done() and data[:40].find(b'"welcome"') >= 0:
            self.client = json.loads(data)["you"]["client"]
            self.welcome.set_result(None)

    def send(self, message: dict[str, Any]) -> None:
        assert self.wire is not None
        self.wire.send_text(json.dumps(message).encode())

    async def join(self) -> None:
        self.wire = await open_wire(self.url, self._received, max_size=MAX_FRAME)
        self.send(
            {
                "type": "hello",
                "protocol": 1,
                "name": self.name,
                "since": None,
                "key": secrets.token_urlsafe(16),
            }
        )
        await asyncio.wait_for(self.welcome, 60)

    async def wander(self) -> None:
        """The pointer drifts over the board along a smooth random curve."""
        x0, y0, x1, y1 = self.board["bounds"]
        x, y = self.rnd.uniform(x0, x1), self.rnd.uniform(y0, y1)
        heading = self.rnd.uniform(0, 2 * math.pi)
        while True:
            heading += self.rnd.uniform(-0.3, 0.3)
            x = min(max(x + 18 * math.cos(heading), x0), x1)
            y = min(max(y + 18 * math.sin(heading), y0), y1)
            self.send({"type": "cursor", "x": round(x, 1), "y": round(y, 1)})
            await asyncio.sleep(CURSOR_S)

    async def look_around(self) -> None:
        x0, y0, x1, y1 = self.board["bounds"]
        while True:
            await asyncio.sleep(VIEW_S * self.rnd.uniform(0.8, 1.2))
            x, y = self.rnd.uniform(x0, x1), self.rnd.uniform(y0, y1)
            self.send({"type": "view", "x": x, "y": y, "w": 1280, "h": 800})

    async def drag_steps(self) -> None:
        steps = self.board["steps"]
        while True:
            step = self.rnd.choice(steps)
            ticks = int(DRAG_FOR_S / DRAG_S)
            for i in range(ticks):
                a = 2 * math.pi * i / ticks
                moves = [
                    {
                        "id": step["id"],
                        "x": round(step["x"] + DRAG_RADIUS * math.sin(a)),
                        "y": round(step["y"] + DRAG_RADIUS * (1 - math.cos(a)) / 2),
                    }
                ]
                self.send({"type": "drag", "moves": moves})
                await asyncio.sleep(DRAG_S)
            self.counter += 1
            self.send(
                {
                    "type": "ops",
                    "ops": [
                        {
                            "cid": f"{self.client}:bench.{self.counter}",
                            "op": "update",
                            "id": step["id"],
                            "set": {"x": step["x"], "y": step["y"]},
                        }
                    ],
                }
            )
            await asyncio.sleep(DRAG_PAUSE_S)


async def main(url: str, people: int, board: dict[str, Any]) -> None:
    rnd = random.Random(7)
    crowd = [
        Person(url, f"Remote {i + 1}", board, random.Random(rnd.random())) for i in range(people)
    ]
    for person in crowd:  # one at a time: a welcome of a big board is a big frame
        await person.join()
    tasks = []
    for i, person in enumerate(crowd):
        tasks += [asyncio.create_task(person.wander()), asyncio.create_task(person.look_around())]
        if i % DRAGGER_SHARE == 0:
            tasks.append(asyncio.create_task(person.drag_steps()))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(
        None, sys.stdin.read
    )  # until the parent lets go
    for task in tasks:
        task.cancel()
    for person in crowd:
        if person.wire is not None:
            await person.wire.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument(
        "--board", required=True, help="JSON: {bounds: [x0, y0, x1, y1], steps: [{id, x, y}]}"
    )
    args = parser.parse_args()
    with open(args.board) as f:
        spec = json.load(f)
    asyncio.run(main(args.url, args.people, spec))
