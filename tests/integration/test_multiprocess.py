"""Two `flowmap serve` processes over one PostgreSQL database and Redis, with real clients.

Every client checks as it goes that it sees each board seq once, in order
(LiveClient.apply). The Redis tests cut connections (CLIENT KILL, on this
machine's Redis: only our own processes' connections) or stop and start a
private redis-server; the database must make up for whatever was lost.
Skipped, saying why, when PostgreSQL or Redis is unreachable.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed

from app.config import Settings
from app.hub.ports import SeqConflict, StoredOp
from app.store.db import Database, migrate
from app.store.oplog_postgres import PostgresOpLog
from app.store.repository import create_board
from app.store.tables import OpRow
from tests.support.databases import postgres_database
from tests.support.live import LiveClient, Server, free_port

pytestmark = pytest.mark.services

REDIS_URL = os.environ.get("FLOWMAP_TEST_REDIS", "redis://127.0.0.1:6379/0")
# Seconds to wait for things that should take milliseconds, on a busy 2-core machine.
CONVERGE = 30.0
# Long enough that the periodic log check never runs in a test: only a reconnection can help.
NEVER = "3600"


def redis_admin(url: str = REDIS_URL) -> redis.Redis:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis not reachable at {url}: {err}")
    return client


def kill_connections(admin: redis.Redis, server: Server) -> int:
    """Cut every Redis connection of one server process (named flowmap:<pid>:pub|sub)."""
    assert server.proc is not None
    return kill_named(admin, f"flowmap:{server.proc.pid}:")


def kill_named(admin: redis.Redis, prefix: str) -> int:
    killed = 0
    for client in admin.client_list():
        if client.get("name", "").startswith(prefix):
            killed += admin.client_kill_filter(_id=client["id"])
    return killed


def named(admin: redis.Redis, name: str) -> int:
    return sum(client.get("name") == name for client in admin.client_list())


def broker_healthy(server: Server) -> bool:
    return prometheus(server, "flowmap_broker_healthy") == 1


def prometheus(server: Server, name: str) -> float:
    for line in httpx.get(server.url + "/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise KeyError(name)


def start_pair(database_url: str, folder: Path, redis_url: str, **env: str) -> list[Server]:
    # One after the other: the first applies the migrations, the second finds them done.
    servers = []
    for name in ("a", "b"):
        server = Server(database_url, folder / f"server-{name}.log", redis_url=redis_url, env=env)
        server.start()
        servers.append(server)
    return servers


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def pair(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    redis_admin()
    servers = start_pair(database, tmp_path_factory.mktemp("pair"), REDIS_URL)
    yield servers
    for server in servers:
        server.stop()


def step(element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", **fields}}


def update(element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "set": fields}


def last_metrics(client: LiveClient) -> dict[str, Any]:
    latest = [m for m in client.inbox if m["type"] in ("welcome", "metrics")][-1]
    return latest["metrics"]  # type: ignore[no-any-return]


async def random_edits(
    client: LiveClient, count: int, seed: int, pause: float = 0.005
) -> list[str]:
    """Updates of the figures that move the metrics, and a new step now and then; the cids."""
    rng = random.Random(seed)
    cids: list[str] = []
    for i in range(count):
        if i % 10 == 9:
            op = step(f"{client.name}-{i}", text=client.name, x=float(rng.randint(0, 900)),
                      wait_minutes=rng.randint(0, 600), process_minutes=rng.randint(1, 120))  # fmt: skip
        else:
            field = rng.choice(["wait_minutes", "process_minutes", "pca", "x"])
            value = rng.randint(0, 100) if field == "pca" else rng.randint(0, 900)
            op = update(rng.choice(["s1", "s2"]), **{field: value})
        cids += await client.ops(op)
        await asyncio.sleep(rng.random() * pause)
    return cids


async def board_state(
    server: Server, board: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    params = {"token": board["tokens"]["viewer"]}
    async with httpx.AsyncClient(base_url=server.url, params=params, timeout=10) as http:
        state = (await http.get(f"/api/boards/{board['id']}")).json()
        metrics = (await http.get(f"/api/boards/{board['id']}/metrics")).json()
    # Peers get the forecast in a message of its own; both processes must agree on it too
    # (it is seeded by the map), which the comparison of `metrics` across them checks.
    return state, metrics


async def assert_converged(
    servers: list[Server], board: dict[str, Any], clients: list[LiveClient], seq: int
) -> None:
    """Every client and both processes hold the same elements, seq and metrics."""
    for client in clients:
        await client.until_seq(seq, timeout=CONVERGE)
    views = [await board_state(server, board) for server in servers]
    for state, metrics in views:
        assert state["seq"] == seq
        assert {e["id"]: e for e in state["elements"]} == clients[0].elements
        assert metrics == views[0][1]
    without_forecast = {k: v for k, v in views[0][1].items() if k != "forecast"}
    for client in clients:
        assert client.seq == seq and client.elements == clients[0].elements
        await metrics_reach(client, without_forecast)


async def metrics_reach(client: LiveClient, expected: dict[str, Any]) -> None:
    """The `metrics` frame follows the `ops` frame it belongs to: read on until it is in."""
    deadline = time.monotonic() + CONVERGE
    while last_metrics(client) != expected:
        await client.receive(timeout=max(deadline - time.monotonic(), 0.01))


async def seed_board(creator: LiveClient, *others: LiveClient) -> None:
    """Two steps everyone has seen (seq 2) before anyone edits them."""
    await creator.acked(await creator.ops(
        step("s1", text="Build", x=0.0, wait_minutes=60, process_minutes=30, pca=90),
        step("s2", text="Test", x=200.0, wait_minutes=480, process_minutes=60, pca=80),
    ))  # fmt: skip
    for client in others:
        await client.until_seq(2, timeout=CONVERGE)


async def test_clients_on_two_processes_converge(pair: list[Server]) -> None:
    a, b = pair
    board = a.create_board()
    clients = [await LiveClient.join(srv, board, name=name)
               for srv, name in ((a, "ada"), (a, "amy"), (b, "bob"), (b, "bea"))]  # fmt: skip
    await seed_board(*clients)
    sent = await asyncio.gather(*(random_edits(c, 30, seed) for seed, c in enumerate(clients)))
    for client, cids in zip(clients, sent, strict=True):
        await client.acked(cids, timeout=CONVERGE)
    await assert_converged(pair, board, clients, seq=2 + 4 * 30)
    assert prometheus(b, "flowmap_broker_received_total") > 0
    for client in clients:
        await client.close()


async def test_a_board_deleted_on_one_process_closes_its_sessions_on_the_other(
    pair: list[Server],
) -> None:
    a, b = pair
    board = a.create_board()
    bob = await LiveClient.join(b, board, name="bob")
    fay = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    gone = httpx.delete(f"{a.url}/api/boards/{board['id']}", headers=fay, timeout=10)
    assert gone.status_code == 204
    # Process b finds the links gone at its next sweep (Rooms.close_revoked), in seconds.
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(CONVERGE):
            while True:
                await bob.ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
        4410, "The facilitator deleted this board"
    )  # fmt: skip
    answer = httpx.get(f"{b.url}/api/boards/{board['id']}", headers=fay, timeout=10)
    assert answer.status_code == 404


async def test_cutting_the_redis_connections_mid_edit_loses_nothing(pair: list[Server]) -> None:
    a, b = pair
    admin = redis_admin()
    board = a.create_board()
    ada, bob = (
        await LiveClient.join(a, board, name="ada"),
        await LiveClient.join(b, board, name="bob"),
    )
    await seed_board(ada, bob)
    reconnects_before = prometheus(b, "flowmap_broker_reconnects_total")
    killed: list[int] = []

    async def cut_twice() -> None:
        for _ in range(2):
            await asyncio.sleep(0.15)
            killed.append(kill_connections(admin, a) + kill_connections(admin, b))

    sent = await asyncio.gather(
        random_edits(ada, 60, 1, 0.01), random_edits(bob, 60, 2, 0.01), cut_twice()
    )
    assert all(n >= 2 for n in killed), killed  # each time, at least both listening connections
    await ada.acked(sent[0], timeout=CONVERGE)
    await bob.acked(sent[1], timeout=CONVERGE)
    await assert_converged(pair, board, [ada, bob], seq=2 + 2 * 60)
    assert prometheus(b, "flowmap_broker_reconnects_total") >= reconnects_before + 1
    await ada.close()
    await bob.close()


async def test_a_process_that_missed_messages_catches_up_from_the_database(
    database: str, tmp_path: Path
) -> None:
    admin = redis_admin()
    a, b = servers = start_pair(database, tmp_path, REDIS_URL, FLOWMAP_RESYNC_SECONDS=NEVER)
    try:
        board = a.create_board()
        ada, bob = (
            await LiveClient.join(a, board, name="ada"),
            await LiveClient.join(b, board, name="bob"),
        )
        await seed_board(ada, bob)
        assert b.proc is not None
        b.proc.send_signal(signal.SIGSTOP)  # frozen: B cannot notice what happens next
        try:
            assert kill_connections(admin, b) >= 1
            # Published while B is not subscribed: lost to B, for good.
            await ada.acked(await random_edits(ada, 5, 3), timeout=CONVERGE)
        finally:
            b.proc.send_signal(signal.SIGCONT)
        await assert_converged(servers, board, [ada, bob], seq=2 + 5)
        assert prometheus(b, "flowmap_gap_fills_total") >= 1
        await ada.close()
        await bob.close()
    finally:
        for server in servers:
            server.stop()


async def test_a_reconnecting_client_never_sees_the_board_go_back_in_time(
    database: str, tmp_path: Path
) -> None:
    """Redis down, no periodic re-read: B learns of A's edits only when a client makes it."""
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    a, b = servers = start_pair(database, tmp_path, nowhere, FLOWMAP_RESYNC_SECONDS=NEVER)
    try:
        board = a.create_board()
        watcher = await LiveClient.join(b, board, role="viewer", name="w")  # B holds seq 0
        ada = await LiveClient.join(a, board, name="ada")
        await ada.acked(await ada.ops(step("s1", text="Build"), step("s2", text="Test")))
        await ada.acked(await ada.ops(update("s1", text="Build it"), update("s2", x=200.0)))
        assert watcher.seq == 0  # B did not hear of them
        await ada.close()
        back = await LiveClient.join(b, board, name="ada", previous=ada)  # since=4, to B
        assert back.welcome["seq"] >= 4, back.welcome["seq"]
        assert back.elements["s1"]["text"] == "Build it" and back.elements == ada.elements
        await watcher.until_seq(4, timeout=CONVERGE)  # B's own peers caught up with it
        for client in (watcher, back):
            await client.close()
    finally:
        for server in servers:
            server.stop()


class PrivateRedis:
    """A redis-server of our own on a free port, so stopping it disturbs nobody else."""

    def __init__(self, folder: Path, password: str | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("no redis-server binary to run a private Redis")
        self.binary, self.folder, self.password = binary, folder, password
        self.port = free_port()
        self.url = self.url_with(password)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder),
             *(("--requirepass", self.password) if self.password else ())],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "private redis-server did not start"
                time.sleep(0.05)

    def url_with(self, password: str | None) -> str:
        login = f":{password}@" if password else ""
        return f"redis://{login}127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


async def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + CONVERGE
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def wait_for_health(server: Server, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + CONVERGE
    async with httpx.AsyncClient(timeout=10) as http:
        while True:
            health: dict[str, Any] = (await http.get(server.url + "/healthz")).json()
            if health["status"] == status:
                return health
            assert time.monotonic() < deadline, f"healthz stayed {health}"
            await asyncio.sleep(0.1)


async def test_a_redis_restart_loses_nothing(
    database: str, private_redis: PrivateRedis, tmp_path: Path
) -> None:
    servers = start_pair(database, tmp_path, private_redis.url, FLOWMAP_RESYNC_SECONDS="0.5")
    a, b = servers
    try:
        board = a.create_board()
        ada, amy = [await LiveClient.join(a, board, name=n) for n in ("ada", "amy")]
        bob = await LiveClient.join(b, board, name="bob")
        await seed_board(ada, amy, bob)
        private_redis.stop()
        health = await wait_for_health(a, "degraded")
        assert health["database"] == "ok" and health["redis"].startswith("unreachable")
        # Redis away: edits still commit and reach everyone, other processes through the log.
        await ada.acked(await random_edits(ada, 5, 4), timeout=CONVERGE)
        await bob.acked(await random_edits(bob, 5, 5), timeout=CONVERGE)
        await assert_converged(servers, board, [ada, amy, bob], seq=2 + 10)
        private_redis.start()
        for server in servers:
            await wait_for_health(server, "ok")
            await wait_until(partial(broker_healthy, server))
        received = prometheus(b, "flowmap_broker_received_total")
        await ada.acked(await random_edits(ada, 5, 6), timeout=CONVERGE)
        await assert_converged(servers, board, [ada, amy, bob], seq=2 + 15)
        assert prometheus(b, "flowmap_broker_received_total") > received  # through Redis again
        for client in (ada, amy, bob):
            await client.close()
    finally:
        for server in servers:
            server.stop()


def note(seq: int, author: str) -> StoredOp:
    entry = {"seq": seq, "cid": f"{author}:{seq}", "by": author, "name": author, "op": "create",
             "element": {"id": f"n{seq}", "kind": "note", "text": author}}  # fmt: skip
    return StoredOp(seq, f"{author}:{seq}", author, entry)


def entries(db: Database, board_id: str, since: int) -> list[dict[str, Any]]:
    """The board's log after `since`, read on this thread."""
    ops = OpRow.__table__  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        found = conn.execute(
            select(ops.c.entry)
            .where(ops.c.board_id == board_id, ops.c.seq > since)
            .order_by(ops.c.seq)
        )
        return [orjson.loads(e) for (e,) in found]


def test_a_locked_commit_goes_in_after_everything_a_busy_writer_commits(database: str) -> None:
    """PostgreSQL itself: the row lock holds a competing writer off until the plan is stored."""
    db = Database(Settings(database_url=database))
    try:
        migrate(db.engine)
        log = PostgresOpLog(db)  # its Core commits, on threads as the store runs them
        board_id, _ = create_board(db.engine, {"title": "race"})
        stop = threading.Event()
        written: list[int] = []

        def busy_writer() -> None:  # another process, committing optimistically flat out
            seq = 0
            while not stop.is_set():
                try:
                    log.commit_frame(board_id, seq, [note(seq + 1, "busy")], {})
                    seq += 1
                    written.append(seq)
                except SeqConflict:
                    seq += len(entries(db, board_id, seq))

        writer = threading.Thread(target=busy_writer)
        writer.start()
        try:
            shown: list[list[int]] = []

            def plan(missed: list[dict[str, Any]]) -> tuple[list[StoredOp], None]:
                shown.append([e["seq"] for e in missed])
                time.sleep(0.05)  # a slow plan: the busy writer must wait, not overtake
                return [note(len(missed) + 1, "locked")], None

            while len(written) < 5:
                time.sleep(0.01)
            log.commit_locked(board_id, 0, plan)
        finally:
            stop.set()
            writer.join(10)
        logged = entries(db, board_id, 0)
        assert [e["seq"] for e in logged] == list(range(1, len(logged) + 1))  # no gap, no repeat
        locked_at = shown[0][-1] + 1
        assert shown[0] == list(range(1, locked_at))  # it saw everything before it
        assert logged[locked_at - 1]["by"] == "locked"
    finally:
        db.close()


async def test_redis_brokers_fan_out_to_others_and_report_each_reconnection() -> None:
    """Two RedisBrokers in one process, as two servers would use them."""
    from app.broker.redis import RedisBroker

    admin = redis_admin()
    tag = f"test-{os.getpid()}-{random.randrange(10**6)}"
    a, b = RedisBroker(REDIS_URL, name=f"{tag}-a"), RedisBroker(REDIS_URL, name=f"{tag}-b")
    got: dict[str, list[Any]] = {"a": [], "b": []}
    reconnected = {"a": asyncio.Event(), "b": asyncio.Event()}
    for name, broker in (("a", a), ("b", b)):
        await broker.start(
            lambda board_id, entries, n=name: got[n].append((board_id, entries)),
            reconnected[name].set,
        )
    try:
        for name, broker in (("a", a), ("b", b)):
            await asyncio.wait_for(reconnected[name].wait(), CONVERGE)  # listening
            await broker.subscribe("board1")
        a.publish("board1", [{"seq": 1}])
        a.publish("board1", [{"seq": 2}, {"seq": 3}])
        await wait_until(lambda: len(got["b"]) == 2)
        assert got["b"] == [("board1", [{"seq": 1}]), ("board1", [{"seq": 2}, {"seq": 3}])]
        assert got["a"] == []  # its own messages come back from Redis, and are skipped
        reconnected["b"].clear()
        assert kill_named(admin, f"{tag}-b:sub") == 1
        await asyncio.wait_for(reconnected["b"].wait(), CONVERGE)
        assert b.healthy and b.stats.broker_reconnects == 1
        a.publish("board1", [{"seq": 4}])
        await wait_until(lambda: len(got["b"]) == 3)  # still subscribed after reconnecting
    finally:
        await a.close()
        await b.close()


async def test_a_broken_publishing_connection_loses_no_message_and_keeps_their_order() -> None:
    """Messages written on a connection that breaks are written again on the next one."""
    from app.broker.redis import RedisBroker

    admin = redis_admin()
    tag = f"test-{os.getpid()}-{random.randrange(10**6)}"
    a, b = RedisBroker(REDIS_URL, name=f"{tag}-a"), RedisBroker(REDIS_URL, name=f"{tag}-b")
    got: list[int] = []
    listening = asyncio.Event()
    await a.start(lambda board_id, entries: None, lambda: None)
    await b.start(lambda board_id, entries: got.extend(e["seq"] for e in entries), listening.set)
    try:
        await asyncio.wait_for(listening.wait(), CONVERGE)
        await b.subscribe("board1")
        await wait_until(lambda: a.healthy)
        assert await a.check() is None, "PING answered"
        for seq in range(1, 301):
            a.publish("board1", [{"seq": seq}])
            if seq in (100, 200):
                await asyncio.sleep(0)  # some of it is on the wire
                assert kill_named(admin, f"{tag}-a:pub") == 1
                if seq == 100:  # back on a new connection before the next cut
                    await wait_until(lambda: named(admin, f"{tag}-a:pub") == 1 and a.healthy)
        await wait_until(lambda: len(set(got)) == 300)
        assert sorted(set(got)) == list(range(1, 301)), "every message arrived"
        firsts = [got.index(seq) for seq in range(1, 301)]
        assert firsts == sorted(firsts), "each arrived first in the order it was published"
        await wait_until(lambda: a.healthy and a.stats.broker_published >= 300)
        assert a.stats.broker_dropped == 0
    finally:
        await a.close()
        await b.close()


async def test_a_redis_that_refuses_the_password_is_reported_once_and_unhealthy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from app.broker.redis import RedisBroker

    server = PrivateRedis(tmp_path, password="right")
    server.start()
    try:
        wrong = RedisBroker(server.url_with("wrong"), name="refused")
        await wrong.start(lambda board_id, entries: None, lambda: None)
        with caplog.at_level("WARNING", logger="app.broker.redis"):
            await asyncio.sleep(2.0)  # many retries' worth at the quickest pace
        refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert len(refused) == 2, refused  # once for each connection, not at every retry
        assert all("WRONGPASS" in m for m in refused)
        assert not wrong.healthy and (await wrong.check() or "").startswith("unreachable")
        await wrong.close()

        right = RedisBroker(server.url, name="welcome")
        listening = asyncio.Event()
        await right.start(lambda board_id, entries: None, listening.set)
        await asyncio.wait_for(listening.wait(), CONVERGE)
        await wait_until(lambda: right.healthy)
        assert await right.check() is None
        await right.close()
    finally:
        server.stop()
