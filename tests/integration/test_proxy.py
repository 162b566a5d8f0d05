"""HAProxy with deploy/haproxy.cfg in front of three `flowmap serve` processes sharing
PostgreSQL and Redis, and real protocol clients going through it.

Each board's HTTP calls and websocket go to one process (a consistent hash of the
board id); a process killed mid-workshop takes only its own boards' clients with
it: they reconnect through the proxy to another process, catch up from their
last seq, re-send what was not acknowledged, and every board ends the same for
everyone with each edit applied once. Skipped, saying why, without haproxy,
PostgreSQL or Redis.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.integration.test_multiprocess import (
    CONVERGE,
    REDIS_URL,
    assert_converged,
    redis_admin,
    seed_board,
    step,
    update,
)
from tests.support.databases import postgres_database
from tests.support.haproxy import NAMES, SERVED_BY, HAProxy, haproxy_binary
from tests.support.live import LiveClient, Server

pytestmark = pytest.mark.services

BOARDS = 9  # over three processes: each very likely holds some, the victim surely one
EDITS = 20  # per client, two clients a board
# Longest pause between a client's edits (seconds): its 20 take about half a second.
PAUSE = 0.05
# When, after the edits began, one process is killed: every client is mid-edit then.
KILL_AFTER = 0.2


@dataclass
class Cluster:
    proxy: HAProxy
    servers: dict[str, Server]  # by the name HAProxy gives each


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    haproxy_binary()  # skips first, saying why, on a machine without it
    redis_admin()
    folder = tmp_path_factory.mktemp("proxy")
    with postgres_database() as url:
        servers: dict[str, Server] = {}
        proxy: HAProxy | None = None
        try:
            for name in NAMES:
                servers[name] = Server(url, folder / f"{name}.log", redis_url=REDIS_URL)
            first, *others = servers.values()
            first.start()  # it applies the migrations; the others find them done
            with ThreadPoolExecutor() as starting:
                list(starting.map(Server.start, others))
            proxy = HAProxy(servers, folder / "haproxy.log")
            proxy.start()
            yield Cluster(proxy, servers)
        finally:
            if proxy is not None:
                proxy.stop()
            for server in servers.values():
                server.stop()


class Tab:
    """A browser tab on one board, as frontend/js/net/session.js behaves: when its socket
    drops it reconnects through `door` (the proxy, or one process), says the last seq it
    saw and re-sends its unacknowledged operations in order, with their cids."""

    def __init__(self, door: HAProxy | Server, board: dict[str, Any], name: str) -> None:
        self.door, self.board, self.name = door, board, name
        self.client: LiveClient | None = None
        self.pending: dict[str, dict[str, Any]] = {}  # cid -> op, oldest first
        self.reconnects = 0
        self.served_by = ""  # the process the proxy put this socket on
        self._online = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @property
    def live(self) -> LiveClient:
        assert self.client is not None
        return self.client

    async def open(self) -> Tab:
        """Connected; `live` is this tab's client to read with until `reading()`."""
        await self._connect()
        return self

    def reading(self) -> None:
        """From now on a task of its own reads, reconnecting when the socket drops."""
        self._reader = asyncio.create_task(self._read())

    async def _connect(self) -> None:
        deadline = time.monotonic() + CONVERGE
        while True:
            try:
                client = await LiveClient.join(
                    self.door, self.board, name=self.name, previous=self.client
                )
                break
            except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed):
                assert time.monotonic() < deadline, f"{self.name} could not reconnect"
                await asyncio.sleep(0.1)
        self.client = client
        self.served_by = client.ws.response.headers.get(SERVED_BY, "") if client.ws.response else ""
        for entry in client.welcome["missed"] or []:  # committed before the cut: acknowledged
            self.pending.pop(entry.get("cid"), None)
        if self.pending:
            resend = [{"cid": cid, **op} for cid, op in self.pending.items()]
            await client.send({"type": "ops", "ops": resend})
        self._online.set()

    async def _read(self) -> None:
        while True:
            try:
                message = await self.live.receive(timeout=CONVERGE)
            except ConnectionClosed:
                self._online.clear()
                self.reconnects += 1
                await self._connect()
                continue
            except TimeoutError:
                continue
            if message["type"] == "ops":
                for entry in message["ops"]:
                    self.pending.pop(entry.get("cid"), None)
            elif message["type"] == "ack":
                self.pending.pop(message["cid"], None)
            elif message["type"] == "error":
                raise AssertionError(f"{self.name}: {message}")

    async def edit(self, count: int, seed: int) -> None:
        """Updates that move the metrics, and a new step now and then, a few ms apart."""
        rng = random.Random(seed)
        for i in range(count):
            if i % 10 == 9:
                op = step(f"{self.name}-{i}", text=self.name, x=float(rng.randint(0, 900)))
            else:
                field = rng.choice(["wait_minutes", "process_minutes", "pca", "x"])
                value = rng.randint(0, 100) if field == "pca" else rng.randint(0, 900)
                op = update(rng.choice(["s1", "s2"]), **{field: value})
            # A reconnection re-sends the older ones first.
            await asyncio.wait_for(self._online.wait(), CONVERGE)
            cid = self.live.next_cid()
            self.pending[cid] = op
            try:
                await self.live.send({"type": "ops", "ops": [{"cid": cid, **op}]})
            except ConnectionClosed:
                pass  # still pending: the reconnection sends it
            await asyncio.sleep(rng.random() * PAUSE)

    async def settled(self) -> None:
        """Every operation acknowledged; then the reading stops (the test reads on)."""
        deadline = time.monotonic() + CONVERGE
        while self.pending or not self._online.is_set():
            assert time.monotonic() < deadline, f"{self.name}: unacknowledged {list(self.pending)}"
            if self._reader is not None and self._reader.done():
                self._reader.result()  # raises what stopped it
            await asyncio.sleep(0.05)
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.wait({self._reader})
            self._reader = None


def health(url: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(url + "/healthz", timeout=10).json()
    return answer


def test_each_process_says_who_it_is_through_the_proxy(cluster: Cluster) -> None:
    """/healthz and /metrics go round robin (no board in the path): every answer names the
    process that gave it, as HAProxy's header does."""
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(2 * len(NAMES)):
        answer = httpx.get(cluster.proxy.url + "/healthz", timeout=10)
        seen[HAProxy.served_by(answer)] = answer.json()
    assert set(seen) == set(NAMES)
    for name, body in seen.items():
        process = cluster.servers[name].proc
        assert process is not None and body["process"]["pid"] == process.pid
        assert body["status"] == "ok" and body["redis"] == "ok"
        assert body["broker"]["shared"] and body["broker"]["connected"]
        assert isinstance(body["peers"], int) and isinstance(body["boards_open"], int)
    metrics = httpx.get(cluster.proxy.url + "/metrics", timeout=10)
    process = cluster.servers[HAProxy.served_by(metrics)].proc
    assert process is not None and f'pid="{process.pid}"}} 1' in metrics.text
    assert "flowmap_fanout_lag_seconds_count" in metrics.text


async def test_every_call_about_a_board_reaches_the_same_process(cluster: Cluster) -> None:
    proxy = cluster.proxy
    board = proxy.create_board("routing")
    route = proxy.route_of(board)
    token = {"token": board["tokens"]["viewer"]}
    calls = [f"/b/{board['id']}", f"/api/boards/{board['id']}/metrics",
             f"/api/boards/{board['id']}/export?format=json"]  # fmt: skip
    for path in calls * 2:
        answer = httpx.get(proxy.url + path, params=token, timeout=10)
        assert answer.status_code == 200 and HAProxy.served_by(answer) == route, path
    tab = await Tab(proxy, board, "ada").open()
    assert tab.served_by == route
    assert health(cluster.servers[route].url)["peers"] >= 1
    await tab.live.close()


async def test_a_killed_process_moves_only_its_boards_and_its_clients_lose_nothing(
    cluster: Cluster,
) -> None:
    proxy, servers = cluster.proxy, cluster.servers
    boards = [proxy.create_board(f"workshop {n}") for n in range(BOARDS)]
    before = {b["id"]: proxy.route_of(b) for b in boards}
    victim = before[boards[0]["id"]]
    moved = [b for b in boards if before[b["id"]] == victim]
    tabs = {b["id"]: [await Tab(proxy, b, name).open() for name in ("ada", "bob")] for b in boards}
    for board in boards:
        assert {t.served_by for t in tabs[board["id"]]} == {before[board["id"]]}
    # A stray tab on the first board, straight on another process: what the victim
    # commits reaches it through Redis, which times the fan-out.
    elsewhere = next(n for n in NAMES if n != victim)
    stray = await Tab(servers[elsewhere], boards[0], "cy").open()
    for board in boards:
        ada, bob = tabs[board["id"]]
        await seed_board(ada.live, bob.live, *([stray.live] if board is boards[0] else []))
    everyone = [t for pair in tabs.values() for t in pair] + [stray]
    for tab in everyone:
        tab.reading()

    async def kill_victim() -> None:
        await asyncio.sleep(KILL_AFTER)
        servers[victim].kill()

    editors = everyone[:-1]
    await asyncio.gather(*(t.edit(EDITS, seed) for seed, t in enumerate(editors)), kill_victim())
    for tab in everyone:
        await tab.settled()

    survivors = [servers[n] for n in NAMES if n != victim]
    for board in boards:
        pair = tabs[board["id"]]
        if board in moved:  # its clients went elsewhere, together, where the proxy now sends it
            route = proxy.route_of(board)
            assert route != victim and all(t.reconnects >= 1 for t in pair)
            assert {t.served_by for t in pair} == {route}
        else:  # untouched: same process, same sockets
            assert proxy.route_of(board) == before[board["id"]]
            assert all(t.reconnects == 0 for t in pair)
        clients = [t.live for t in pair] + ([stray.live] if board is boards[0] else [])
        await assert_converged(survivors, board, clients, seq=2 + 2 * EDITS)
    assert proxy.states()[victim].startswith("DOWN")

    lag = health(servers[elsewhere].url)["broker"]
    assert lag["received"] > 0 and lag["fanout_lag"]["samples"] > 0, lag

    # Back again: its boards come back to it (the ring is the same); clients already
    # elsewhere stay there until they reconnect.
    await asyncio.to_thread(servers[victim].start)
    await asyncio.to_thread(proxy.wait_for, {victim: "UP"}, CONVERGE)
    assert all(proxy.route_of(b) == victim for b in moved)
    for tab in everyone:
        await tab.live.close()
