"""Two "processes" in one event loop: Rooms over one store, joined by a MemoryBus.

The store plays PostgreSQL (the one order per board), the bus plays Redis
(at-most-once fan-out that tests can cut or make lossy). Every peer must see
every seq once, in order, and the same board and metrics as the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from app.broker.memory import MemoryBroker, MemoryBus
from app.domain.elements import Board, Step
from app.hub.ports import LoadedBoard, StoredOp
from app.hub.room import Peer, Room
from app.hub.rooms import Rooms
from app.hub.stats import Stats
from app.protocol import CreateOp, UpdateOp
from app.store.memory import MemoryBoardStore
from tests.support.fake_socket import FakeSocket

WAIT = 5.0  # seconds: generous, for a loaded machine; conditions usually hold in milliseconds


def step_count(board: Board) -> dict[str, Any]:
    return {"steps": sorted(getattr(e, "text", "") for e in board.elements.values())}


class Process:
    """One server process: its broker on the shared bus and its rooms over the shared store."""

    def __init__(self, store: MemoryBoardStore, bus: MemoryBus, resync_seconds: float = 60) -> None:
        self.stats = Stats()
        self.broker = MemoryBroker(bus)
        self.rooms = Rooms(
            store, step_count, idle_seconds=60, stats=self.stats, broker=self.broker,
            resync_seconds=resync_seconds,
        )  # fmt: skip

    async def join(self, name: str) -> tuple[Room, Peer, FakeSocket]:
        room = await self.rooms.get("b")
        assert room is not None
        socket = FakeSocket()
        peer = Peer(id="", name=name, role="participant", socket=socket, client=name[:1].lower())
        room.join(peer, since=None)
        return room, peer, socket


async def two_processes(
    resync_seconds: float = 60,
) -> tuple[MemoryBoardStore, MemoryBus, Process, Process]:
    store = MemoryBoardStore()
    store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start")}))
    bus = MemoryBus()
    a, b = Process(store, bus, resync_seconds), Process(store, bus, resync_seconds)
    await a.rooms.start()
    await b.rooms.start()
    return store, bus, a, b


async def eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.001)


async def settled(*rooms: Room) -> None:
    """Wait until the rooms have nothing in flight (a fresh room first checks the log once)."""
    await eventually(lambda: all(room.settled for room in rooms), "the rooms to settle")


def create(cid: str, element_id: str, text: str) -> CreateOp:
    return CreateOp(op="create", cid=cid, element={"id": element_id, "kind": "step", "text": text})


def rename(cid: str, element_id: str, text: str) -> UpdateOp:
    return UpdateOp(op="update", cid=cid, id=element_id, set={"text": text})


async def test_an_edit_on_one_process_reaches_peers_on_the_other_with_the_same_metrics() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    room_a.submit(ada, [create("a:1", "s1", "Plan"), rename("a:2", "s0", "Begin")])
    await eventually(lambda: bob_socket.seqs() == [1, 2], "Bob to get both ops")
    assert bob_socket.seqs() == ada_socket.seqs() == [1, 2]
    assert room_b.board == room_a.board == store.board("b")
    assert bob_socket.metrics() == ada_socket.metrics() == {"steps": ["Begin", "Plan"]}
    assert b.stats.remote_ops == 2 and b.stats.gap_fills == 0


async def test_a_lost_message_is_filled_from_the_log_when_the_next_one_shows_the_gap() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    bus.drop_next = 1
    room_a.submit(ada, [create("a:1", "s1", "Plan")])
    await eventually(lambda: store.seq("b") == 1, "A's first commit (published, and lost)")
    room_a.submit(ada, [create("a:2", "s2", "Build")])
    await eventually(lambda: bob_socket.seqs() == [1, 2], "Bob to get seq 1 from the log, then 2")
    assert b.stats.gap_fills == 1
    assert room_b.board == store.board("b")


async def test_entries_arriving_out_of_order_or_twice_are_applied_once_in_order() -> None:
    store = MemoryBoardStore()
    store.add(Board(id="b"))
    loaded = await store.load("b")
    assert loaded is not None
    room = Room("b", loaded, store, step_count)
    socket = FakeSocket()
    room.join(Peer(id="", name="Bob", role="viewer", socket=socket), since=None)
    e1 = {"seq": 1, "cid": "x:1", "by": "p1", "name": "X", "op": "create",
          "element": {"id": "s1", "kind": "step", "text": "One"}}  # fmt: skip
    e2 = {"seq": 2, "cid": "x:2", "by": "p1", "name": "X", "op": "update", "id": "s1",
          "set": {"text": "Two"}}  # fmt: skip
    room.receive([e2])
    room.receive([e1, e2])
    room.receive([e1])
    await settled(room)
    assert socket.seqs() == [1, 2]
    assert step_count(room.board) == {"steps": ["Two"]} and room.seq == 2
    assert room.stats.gap_fills == 0  # all it needed had arrived: no trip to the log


async def test_a_lost_race_for_the_board_brings_the_winners_ops_first() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, bob, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    bus.drop_next = 1  # B never hears of A's commit; it learns from the conflict
    room_a.submit(ada, [create("a:1", "s1", "Plan")])
    await eventually(lambda: store.seq("b") == 1, "A's commit")
    room_b.submit(bob, [create("b:1", "s2", "Build")])
    await eventually(lambda: ada_socket.seqs() == [1, 2], "Ada to get Bob's op")
    await eventually(lambda: bob_socket.seqs() == [1, 2], "Bob to get both")
    assert [op.cid for op in store.logs["b"]] == ["a:1", "b:1"]
    assert b.stats.seq_conflicts == 1 and b.stats.gap_fills == 1
    assert room_a.board == room_b.board == store.board("b")
    # Metrics follow within the room's METRICS_INTERVAL of the second edit.
    want = {"steps": ["Build", "Plan", "Start"]}
    await eventually(lambda: ada_socket.metrics() == bob_socket.metrics() == want, "metrics")


async def test_busy_editing_on_both_processes_converges() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, bob, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    for i in range(40):
        room_a.submit(ada, [rename(f"a:{i}", "s0", f"ada{i}")])
        room_b.submit(bob, [rename(f"b:{i}", "s0", f"bob{i}")])
        if i % 7 == 0:
            await asyncio.sleep(0)
    await eventually(lambda: store.seq("b") == 80, "every edit committed")
    await eventually(
        lambda: len(ada_socket.seqs()) == len(bob_socket.seqs()) == 80, "all to arrive"
    )
    assert ada_socket.seqs() == bob_socket.seqs() == list(range(1, 81))
    assert a.stats.seq_conflicts + b.stats.seq_conflicts > 0  # the races did happen
    assert room_a.board == room_b.board == store.board("b")
    final = step_count(store.board("b"))
    await eventually(lambda: ada_socket.metrics() == bob_socket.metrics() == final, "metrics")


async def test_an_outage_loses_nothing_once_the_broker_is_back() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    bus.set_up(False)
    room_a.submit(ada, [create(f"a:{i}", f"s{i}", f"Step {i}") for i in range(1, 4)])
    await eventually(lambda: ada_socket.seqs() == [1, 2, 3], "Ada's own peers to be served")
    await asyncio.sleep(0.05)
    assert bob_socket.seqs() == []  # nothing can reach B while the bus is down
    bus.set_up(True)  # the broker reconnects: every room re-reads the op log
    await eventually(lambda: bob_socket.seqs() == [1, 2, 3], "Bob to catch up from the log")
    assert room_b.board == store.board("b")


async def test_while_the_broker_is_unhealthy_rooms_poll_the_log() -> None:
    store, bus, a, b = await two_processes(resync_seconds=0.02)
    room_a, ada, _ = await a.join("Ada")
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    bus.set_up(False)
    room_a.submit(ada, [create("a:1", "s1", "Plan")])
    await eventually(lambda: bob_socket.seqs() == [1], "Bob to get it by polling")
    assert b.stats.gap_fills >= 1


async def test_a_room_loaded_just_before_a_commit_elsewhere_catches_up() -> None:
    store, bus, a, b = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    stale: LoadedBoard | None = await store.load("b")
    real_load = store.load

    async def load_then_lag(board_id: str) -> LoadedBoard | None:
        # B read the board, then A committed before B subscribed to it.
        room_a.submit(ada, [create("a:1", "s1", "Plan")])
        await eventually(lambda: store.seq("b") == 1, "A's commit")
        return stale

    store.load = load_then_lag  # type: ignore[method-assign]
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    store.load = real_load  # type: ignore[method-assign]
    await eventually(lambda: room_b.seq == 1, "B's room to catch up")
    assert bob_socket.seq == 1 and room_b.board == store.board("b")


async def test_a_single_process_broker_publishes_to_nobody() -> None:
    broker = MemoryBroker()
    delivered: list[Any] = []
    await broker.start(lambda board_id, entries: delivered.append(entries), lambda: None)
    await broker.subscribe("b")
    broker.publish("b", [{"seq": 1}])
    await asyncio.sleep(0)
    assert not broker.shared and broker.healthy and delivered == []


def test_broker_counters_are_exposed_for_prometheus() -> None:
    stats = Stats(gap_fills=3, broker_publish_errors=2)
    text = stats.render(boards_open=1, broker_healthy=False)
    assert "flowmap_gap_fills_total 3\n" in text
    assert "flowmap_broker_publish_errors_total 2\n" in text
    assert "flowmap_broker_healthy 0\n" in text
    assert "flowmap_broker_healthy" not in stats.render(boards_open=1)


async def test_a_room_that_keeps_losing_the_race_commits_with_the_board_locked() -> None:
    store, bus, a, b = await two_processes()
    room_b, bob, bob_socket = await b.join("Bob")
    await settled(room_b)
    foreign = iter(range(1, 100))

    def another_process_commits() -> None:
        seq, n = store.seq("b") + 1, next(foreign)
        entry = {"seq": seq, "cid": f"z:{n}", "by": "p9", "name": "Zed", "op": "create",
                 "element": {"id": f"z{n}", "kind": "step", "text": f"Zed {n}"}}  # fmt: skip
        store.logs["b"].append(StoredOp(seq, f"z:{n}", "Zed", entry))

    real_commit, real_exclusive = store.commit, store.commit_exclusive
    exclusive_calls = []

    async def always_beaten(board_id: str, expected: int, ops: Any, frame: Any) -> None:
        another_process_commits()  # lands just before ours, every time
        await real_commit(board_id, expected, ops, frame)

    async def beaten_before_the_lock(board_id: str, expected: int, plan: Any) -> Any:
        exclusive_calls.append(expected)
        another_process_commits()  # after our last read of the log, before the lock
        store.commit = real_commit  # type: ignore[method-assign]
        return await real_exclusive(board_id, expected, plan)

    store.commit = always_beaten  # type: ignore[method-assign,assignment]
    store.commit_exclusive = beaten_before_the_lock  # type: ignore[method-assign,assignment]
    room_b.submit(bob, [create("b:1", "s1", "Plan")])
    await eventually(lambda: "b:1" in [op.cid for op in store.logs["b"]], "Bob's op to be stored")
    await settled(room_b)
    assert [op.cid for op in store.logs["b"]] == ["z:1", "z:2", "z:3", "b:1"]
    assert exclusive_calls == [2]  # after two lost races, with seq 2 read from the log
    assert bob_socket.seqs() == [1, 2, 3, 4]
    assert room_b.board == store.board("b")
    assert b.stats.seq_conflicts == 2 and b.stats.locked_commits == 1


class GatedStore(MemoryBoardStore):
    """A store whose commits of cids starting with `held` wait for `gate`, as a slow
    database's would; meanwhile others commit and their news arrives."""

    def __init__(self, held: str) -> None:
        super().__init__()
        self.held, self.gate, self.log_reads = held, asyncio.Event(), 0

    async def commit(self, board_id: str, expected_seq: int, ops: Any, frame: Any) -> None:
        if any((op.cid or "").startswith(self.held) for op in ops) and not self.gate.is_set():
            await self.gate.wait()
        await super().commit(board_id, expected_seq, ops, frame)

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        self.log_reads += 1
        return await super().ops_since(board_id, since, limit)


async def test_a_lost_race_whose_winner_is_already_in_the_inbox_needs_no_trip_to_the_log() -> None:
    store = GatedStore(held="b:")
    store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start")}))
    bus = MemoryBus()
    a, b = Process(store, bus), Process(store, bus)
    await a.rooms.start()
    await b.rooms.start()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, bob, bob_socket = await b.join("Bob")
    await settled(room_a, room_b)
    reads_before = store.log_reads
    room_b.submit(bob, [create("b:1", "s2", "Build")])  # its commit waits at the gate
    await asyncio.sleep(0.01)
    room_a.submit(ada, [create("a:1", "s1", "Plan")])  # wins seq 1; B hears of it meanwhile
    await eventually(lambda: store.seq("b") == 1 and room_b._inbox != [], "A's news at B")
    store.gate.set()
    await eventually(lambda: bob_socket.seqs() == ada_socket.seqs() == [1, 2], "both, in order")
    assert [op.cid for op in store.logs["b"]] == ["a:1", "b:1"]
    assert b.stats.seq_conflicts == 1 and b.stats.gap_fills == 0
    assert store.log_reads == reads_before  # what it missed came from the inbox
    assert room_a.board == room_b.board == store.board("b")
