"""Run one workload against one target: boards, clients, open-loop senders, a measured window.

Senders are open loop: each editor draws its next send time from a Poisson
process and sends then, whatever the server has answered, so a slow server
shows up as latency instead of as fewer requests. The window starts after a
warm-up; the server's CPU time is read at both ends of it; afterwards the
senders stop and every client must come to the board's last sequence number
(else the difference counts as missed).

    result = await run_workload(spec, target)
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.client import BenchClient, Tally
from bench.stats import latency_summary, ratio
from bench.targets import Board, Target
from bench.window import QuietGate, measured

# A realistic board: a chain of steps joined by flow arrows, so every edit
# pays for a real metrics recompute (lead time, constraint, ...).
STEPS = 24
# Joins run this many at a time: a crowd arriving, not a single thundering herd.
JOIN_CONCURRENCY = 50
# After the senders stop: how long acks and the last entries may take to arrive.
DRAIN_SECONDS = 15
DRAIN_POLL = 0.05
# A drag lasts this long on average, then drops (an `update` op), then a pause.
DRAG_SECONDS = 1.5
DRAG_PAUSE_SECONDS = 0.5
# Cursors (W8) move as a hand on a mouse does: a while moving, reported at the browser's
# rate (frontend/js/net/session.js sends at most one cursor per CURSOR_INTERVAL_MS = 50),
# then a while still. On average a quarter of the time moving: 5 cursor messages a second.
CURSOR_HZ = 20.0
CURSOR_MOVE_SECONDS = 1.0
CURSOR_REST_SECONDS = 3.0
WORDS = ("review", "approve", "deploy", "test", "triage", "merge", "plan", "handoff", "wait")


@dataclass(frozen=True)
class Spec:
    """A workload: `boards` boards of `clients` clients each, some editing, some dragging."""

    name: str
    boards: int
    clients: int  # per board
    editors: int  # per board
    edit_rate: float  # edits per second, per editor
    draggers: int = 0  # per board
    drag_hz: float = 30.0
    warmup: float = 3.0
    measure: float = 10.0
    endpoints: int = 1  # server processes the clients are spread over (W6)
    drag_recorders: int = 20  # per board: clients that time drags (the rest skip parsing them)
    # Editors per board in turn (board b has editor_mix[b % len]); empty: `editors` everywhere.
    editor_mix: tuple[int, ...] = ()
    cursors: bool = False  # every client moves its cursor (CURSOR_HZ while moving)

    def editors_on(self, board: int) -> int:
        return self.editor_mix[board % len(self.editor_mix)] if self.editor_mix else self.editors

    @property
    def offered_rate(self) -> float:
        """Edits per second offered by the editors (drops at the end of drags come on top)."""
        return sum(self.editors_on(b) for b in range(self.boards)) * self.edit_rate


def setup_ops() -> list[dict[str, Any]]:
    """The board every workload starts from: STEPS steps with figures, joined left to right."""
    ops: list[dict[str, Any]] = []
    for i in range(STEPS):
        element = {"id": f"s{i}", "kind": "step", "x": 40 + 200 * i, "y": 160,
                   "text": f"Step {i}", "wait_minutes": 60 * (i % 7 + 1),
                   "process_minutes": 15 * (i % 5 + 1), "pca": 80 + i % 20}  # fmt: skip
        ops.append({"op": "create", "element": element})
    for i in range(1, STEPS):
        element = {"id": f"c{i}", "kind": "connector", "source": f"s{i - 1}", "target": f"s{i}"}
        ops.append({"op": "create", "element": element})
    return ops


def edit_fields(rng: random.Random, step: int, n: int) -> dict[str, Any]:
    """One realistic edit of a step: its position, its text, or its figures."""
    roll = rng.random()
    if roll < 0.4:
        return {"x": round(rng.uniform(0, 5000), 1), "y": round(rng.uniform(0, 1200), 1)}
    if roll < 0.7:
        return {"text": f"Step {step}: {rng.choice(WORDS)} {rng.choice(WORDS)} (rev {n})"}
    return {"wait_minutes": rng.randrange(0, 4800), "process_minutes": rng.randrange(5, 480)}


async def populate(target: Target, board: Board, tally: Tally) -> int:
    """Create the starting elements through a websocket; returns the board's seq after."""
    client = BenchClient(target.ws_url(board, role="facilitator"), "0setup", tally)
    await client.join()
    client.send_ops(setup_ops())
    await until(lambda: client.pending <= 0, DRAIN_SECONDS)
    seq = client.seq
    await client.close()
    return seq


async def until(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll `condition` until it holds or `seconds` pass; False if it never did."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(DRAIN_POLL)
    return True


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The load generator's own long-lived objects out of its collector's sight meanwhile.

    Clients, imports and the server handles are ~100,000 tracked objects; a full
    collection of them stalled this process 60-80 ms in the middle of W4's window,
    and every latency in flight looked that much worse. Frozen, they are not
    scanned; the samples themselves are arrays, which the collector ignores.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def join_all(clients: list[BenchClient], concurrency: int = JOIN_CONCURRENCY) -> float:
    """Join every client, `concurrency` at a time; returns the seconds it took."""
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()

    async def one(client: BenchClient) -> None:
        async with gate:
            await client.join()

    await asyncio.gather(*(one(c) for c in clients))
    return time.monotonic() - started


async def edit_loop(client: BenchClient, step: int, rate: float, rng: random.Random) -> None:
    """Poisson-timed edits of one step until cancelled; late sends are recorded as lag."""
    due = time.monotonic()
    n = 0
    while True:
        due += rng.expovariate(rate)
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            client.tally.send_lag_us.append(int(-delay * 1e6))
        n += 1
        client.edit(f"s{step}", edit_fields(rng, step, n))


async def drag_loop(client: BenchClient, step: int, hz: float, rng: random.Random) -> None:
    """Drag a step at `hz`, drop it (an update: a measured edit), pause, again; until cancelled."""
    y = rng.uniform(0, 1200)
    while True:
        end = time.monotonic() + rng.expovariate(1 / DRAG_SECONDS)
        due = time.monotonic()
        while time.monotonic() < end:
            y += rng.uniform(-5, 5)
            client.drag(f"s{step}", y)
            due += 1 / hz
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        drop = {"x": round(rng.uniform(0, 5000), 1), "y": round(y, 1)}
        client.edit(f"s{step}", drop)
        await asyncio.sleep(rng.expovariate(1 / DRAG_PAUSE_SECONDS))


async def cursor_loop(clients: list[BenchClient], rng: random.Random) -> None:
    """Every client's cursor on one board, until cancelled: each one moving for a while
    (a cursor message every 1/CURSOR_HZ s), then still for a while. One task a board, not
    one a client: 2,400 sleeping tasks would cost the load generator more than the cursors."""
    now = time.monotonic()
    # When each client next starts or stops moving; all start still, at random phases.
    moving = [False] * len(clients)
    switch = [now + rng.expovariate(1 / CURSOR_REST_SECONDS) for _ in clients]
    where = [(rng.uniform(0, 5000), rng.uniform(0, 1200)) for _ in clients]
    due = now
    while True:
        now = time.monotonic()
        for i, client in enumerate(clients):
            if now >= switch[i]:
                moving[i] = not moving[i]
                mean = CURSOR_MOVE_SECONDS if moving[i] else CURSOR_REST_SECONDS
                switch[i] = now + rng.expovariate(1 / mean)
            if moving[i]:
                x, y = where[i]
                where[i] = x, y = x + rng.uniform(-20, 20), y + rng.uniform(-20, 20)
                client.cursor(round(x, 1), round(y, 1))
        due += 1 / CURSOR_HZ
        await asyncio.sleep(max(0.0, due - time.monotonic()))


def make_clients(
    spec: Spec, target: Target, boards: list[Board], tally: Tally
) -> list[list[BenchClient]]:
    per_board = []
    for b, board in enumerate(boards):
        clients = []
        for i in range(spec.clients):
            endpoint = i % spec.endpoints
            url = target.ws_url(board, endpoint=endpoint)
            tag = f"{endpoint}c{b * spec.clients + i}"
            # Drag timers: the first few non-editors (enough to measure, cheap to parse).
            editors = spec.editors_on(b)
            recorder = editors <= i < editors + spec.drag_recorders
            clients.append(BenchClient(url, tag, tally, endpoint=endpoint, records_drags=recorder))
        per_board.append(clients)
    return per_board


def start_senders(
    spec: Spec, per_board: list[list[BenchClient]], rng: random.Random
) -> list[asyncio.Task[None]]:
    loop = asyncio.get_running_loop()
    tasks = []
    for b, clients in enumerate(per_board):
        editors = spec.editors_on(b)
        for i, client in enumerate(clients[:editors]):
            child = random.Random(rng.random())
            tasks.append(loop.create_task(edit_loop(client, i % STEPS, spec.edit_rate, child)))
        draggers = clients[editors : editors + spec.draggers]
        for j, client in enumerate(draggers):
            step = (editors + j) % STEPS
            child = random.Random(rng.random())
            tasks.append(loop.create_task(drag_loop(client, step, spec.drag_hz, child)))
        if spec.cursors:
            child = random.Random(rng.random())
            tasks.append(loop.create_task(cursor_loop(clients, child)))
    return tasks


async def stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def drain(per_board: list[list[BenchClient]]) -> tuple[int, int]:
    """Wait for acks and last entries; returns (unacknowledged edits, entries never received)."""
    everyone = [c for clients in per_board for c in clients]
    await until(lambda: all(c.pending <= 0 for c in everyone), DRAIN_SECONDS)
    finals = [max(c.seq for c in clients) for clients in per_board]

    def caught_up() -> bool:
        return all(
            c.seq >= f for clients, f in zip(per_board, finals, strict=True) for c in clients
        )

    await until(caught_up, DRAIN_SECONDS)
    unacked = sum(max(c.pending, 0) for c in everyone)
    behind = sum(f - c.seq for clients, f in zip(per_board, finals, strict=True) for c in clients)
    return unacked, behind


async def run_workload(
    spec: Spec, target: Target, seed: int = 1, gate: QuietGate | None = None
) -> dict[str, Any]:
    """The whole run: boards, joins, (a quiet machine), warm-up, measured window, drain."""
    tally = Tally()
    tally.window.start = tally.window.end = 0  # nothing is timed before the window opens
    boards = [await target.create_board(f"{spec.name} {b}") for b in range(spec.boards)]
    for board in boards:
        await populate(target, board, tally)
    per_board = make_clients(spec, target, boards, tally)
    everyone = [c for clients in per_board for c in clients]
    join_seconds = await join_all(everyone)
    quiet = await gate.wait(target) if gate else {}
    rng = random.Random(seed)
    with frozen_heap():
        tasks = start_senders(spec, per_board, rng)
        await asyncio.sleep(spec.warmup)
        window = await measured(target, tally, spec.measure)
        await stop(tasks)
        unacked, behind = await drain(per_board)
    rss = target.rss_kib()
    await asyncio.gather(*(c.close() for c in everyone), return_exceptions=True)
    row = summarize(spec, target, tally, window, unacked, behind, join_seconds, rss)
    return {**row, **quiet}


def summarize(
    spec: Spec,
    target: Target,
    tally: Tally,
    window: dict[str, float],
    unacked: int,
    behind: int,
    join_seconds: float,
    rss_kib: int,
) -> dict[str, Any]:
    edits = tally.edits_in_window
    peer = latency_summary([*tally.peer_us, *tally.cross_us])
    missed = tally.gaps + tally.out_of_order + unacked + behind
    return {
        "workload": spec.name,
        "target": target.name,
        "offered_rate": spec.offered_rate,
        "edits": edits,
        "edit_rate": edits / window["seconds"],
        "server_cpu_s": window["server_cpu_s"],
        "server_util": window["server_cpu_s"] / window["seconds"],
        "cpu_per_edit_us": ratio(window["server_cpu_s"] * 1e6, edits),
        "loadgen_util": window["loadgen_util"],
        "server_wait": window["server_wait"],
        "loadgen_wait": window["loadgen_wait"],
        "others_util": window["others_util"],
        "peer": peer,
        "same_process": latency_summary(tally.peer_us) if tally.cross_us else None,
        "cross_process": latency_summary(tally.cross_us) if tally.cross_us else None,
        "ack": latency_summary(tally.ack_us),
        "drag": latency_summary(tally.drag_us) if tally.drag_us else None,
        "send_lag_p99_ms": latency_summary(tally.send_lag_us)["p99"],
        "late_sends": len(tally.send_lag_us),
        "gaps": tally.gaps,
        "out_of_order": tally.out_of_order,
        "unacked": unacked,
        "behind": behind,
        "missed": missed,
        "errors": tally.errors,
        "error_samples": tally.error_samples,
        "disconnects": tally.disconnects,
        "frames": tally.frames,
        "join_seconds": join_seconds,
        "rss_mib": rss_kib / 1024,
    }
