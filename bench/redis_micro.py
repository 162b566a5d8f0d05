"""Issue 19: one message between two brokers in this process, our own Redis code against redis-py.

No server and no rooms: what the broker alone costs per message crossing
processes (CPU for the publish and the delivery, both here) and how long the
message takes from `publish` to `deliver`. Rounds interleave the backends.

    python bench/redis_micro.py --rounds 3 --messages 2000
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop  # noqa: E402

from app.broker.redis import RedisBroker as Own  # noqa: E402
from app.broker.redis_py import RedisBroker as RedisPy  # noqa: E402

URL = "redis://127.0.0.1:6379/0"
SPACING = 0.001  # seconds between messages: spread out, as edits are, not a burst


async def measure(backend: Any, tag: str, count: int) -> tuple[float, float, float]:
    """CPU µs per message (including the loop's idle turns), hop p50 and p99 in ms."""
    hops: list[float] = []
    done = asyncio.Event()

    def deliver(board_id: str, entries: list[dict[str, Any]]) -> None:
        hops.append(time.perf_counter() - entries[0]["t"])
        if len(hops) == count:
            done.set()

    sender, receiver = backend(URL, name=f"micro-{tag}-a"), backend(URL, name=f"micro-{tag}-b")
    ready = asyncio.Event()
    await sender.start(lambda board_id, entries: None, lambda: None)
    await receiver.start(deliver, ready.set)
    await ready.wait()
    await receiver.subscribe("micro")
    await asyncio.sleep(0.5)  # the sender's publishing connection logs in
    assert sender.healthy, "the sender is not connected"
    cpu = time.process_time()
    for seq in range(count):
        sender.publish("micro", [{"seq": seq, "t": time.perf_counter(), "pad": "x" * 150}])
        await asyncio.sleep(SPACING)
    await asyncio.wait_for(done.wait(), 30)
    cpu = (time.process_time() - cpu) / count * 1e6
    await sender.close()
    await receiver.close()
    hops.sort()
    return cpu, 1e3 * hops[len(hops) // 2], 1e3 * hops[int(len(hops) * 0.99)]


async def main(rounds: int, count: int) -> None:
    for _ in range(rounds):
        for backend, tag in ((Own, "own"), (RedisPy, "redis-py")):
            cpu, p50, p99 = await measure(backend, tag, count)
            print(f"{tag:9} cpu/message {cpu:5.0f} µs  hop p50 {p50:.3f} ms  p99 {p99:.3f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    uvloop.run(main(args.rounds, args.messages))
