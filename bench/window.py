"""The measured window, and the machine around it.

The servers' CPU time is read at both ends of the window, with what else ran
meanwhile: how long the servers waited for a core, the load generator's own
CPU, and the rest of the machine. Before the window, a gate waits a little
for the rest of a shared machine to go quiet.

    quiet = await gate.wait(target)
    window = await measured(target, tally, seconds=10)
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from bench.client import Tally, now_us
from bench.procstat import machine_busy_seconds, run_delay_seconds
from bench.targets import Target


@dataclass
class QuietGate:
    """Before a measured window, wait a little for the rest of the machine to go quiet.

    On a shared machine another job's burst lands in the window as latency that
    is not the server's. The gate watches what everything but the servers and
    this process use, and starts once that is under `threshold` cores, or after
    `per_run` seconds; `budget` caps the waiting over a whole invocation.

        gate = QuietGate(budget=120); await gate.wait(target)
    """

    budget: float = 120.0
    per_run: float = 15.0
    threshold: float = 0.3  # cores used by other processes
    sample: float = 0.5
    waited: float = 0.0

    async def wait(self, target: Target) -> dict[str, float]:
        started = time.monotonic()
        deadline = started + max(0.0, min(self.per_run, self.budget - self.waited))
        while True:
            others = await others_cores(target, self.sample)
            if others < self.threshold or time.monotonic() >= deadline:
                break
        waited = time.monotonic() - started
        self.waited += waited
        return {"quiet_wait_s": waited, "others_before": others}


async def others_cores(target: Target, seconds: float) -> float:
    """Cores used over `seconds` by everything but the target's servers and this process."""
    before = (machine_busy_seconds(), target.cpu_seconds(), time.process_time(), time.monotonic())
    await asyncio.sleep(seconds)
    after = (machine_busy_seconds(), target.cpu_seconds(), time.process_time(), time.monotonic())
    busy, server, me, elapsed = (a - b for a, b in zip(after, before, strict=True))
    return max(0.0, busy - server - me) / elapsed


async def measured(
    target: Target, tally: Tally, seconds: float, during: Awaitable[Any] | None = None
) -> dict[str, float]:
    """Open the latency window for `seconds` (or while `during` runs); what the CPUs did meanwhile.

    Besides the servers' CPU time: how long the servers waited for a core, the
    load generator's own CPU, and what the rest of the machine used, so a
    reader can tell a slow server from a busy machine.
    """
    me = os.getpid()
    before = (target.cpu_seconds(), target.run_delay_seconds(), time.process_time(),
              run_delay_seconds(me), machine_busy_seconds(), time.monotonic())  # fmt: skip
    tally.window.start, tally.window.end = now_us(), 1 << 62
    await (during if during is not None else asyncio.sleep(seconds))
    tally.window.end = now_us()
    after = (target.cpu_seconds(), target.run_delay_seconds(), time.process_time(),
             run_delay_seconds(me), machine_busy_seconds(), time.monotonic())  # fmt: skip
    server, server_wait, loadgen, loadgen_wait, busy, elapsed = (
        a - b for a, b in zip(after, before, strict=True)
    )
    return {
        "seconds": elapsed,
        "server_cpu_s": server,
        "server_wait": server_wait / elapsed,
        "loadgen_util": loadgen / elapsed,
        "loadgen_wait": loadgen_wait / elapsed,
        "others_util": max(0.0, busy - server - loadgen) / elapsed,
    }
