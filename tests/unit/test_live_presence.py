"""Presence, cursors, drags and views across processes: Rooms over one store and a MemoryBus.

Each "process" (tests/unit/test_broker.py's Process) speaks only for its own peers;
the others merge what they hear, ask when they missed something, and forget a
process that went quiet. Heartbeats are made quick here so expiry takes milliseconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from app.broker.memory import MemoryBroker, MemoryBus
from app.domain.elements import Board, Step
from app.hub import live_link
from app.hub.presence import PEER_COLORS
from app.hub.room import Peer
from app.hub.rooms import Rooms
from app.hub.transient import TRANSIENT_INTERVAL
from app.protocol import UpdateOp
from app.store.memory import MemoryBoardStore
from tests.support.fake_socket import FakeSocket
from tests.unit.test_broker import Process, eventually, settled, step_count, two_processes

HEARTBEAT = 0.05
TTL = 0.2


@pytest.fixture(autouse=True)
def quick_heartbeats(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(live_link, "LIVE_HEARTBEAT", HEARTBEAT)
    monkeypatch.setattr(live_link, "LIVE_TTL", TTL)
    yield


def names(socket: FakeSocket) -> list[str]:
    """Who the peer's latest presence (or its welcome) lists."""
    latest = [m for m in socket.sent if m["type"] in ("welcome", "presence")][-1]
    return [p["name"] for p in latest["peers"]]


def listed(socket: FakeSocket) -> list[dict[str, Any]]:
    latest = [m for m in socket.sent if m["type"] in ("welcome", "presence")][-1]
    return latest["peers"]  # type: ignore[no-any-return]


def kinds(bus: MemoryBus) -> list[str]:
    return [m["kind"] for m in bus.live_sent]


def cursors_of(socket: FakeSocket, peer_id: str) -> list[tuple[Any, Any]]:
    return [(c["x"], c["y"]) for m in socket.of("transient") for c in m["cursors"]
            if c["peer"] == peer_id]  # fmt: skip


async def close(*processes: Process) -> None:
    for process in processes:
        await process.rooms.close()
        await process.broker.close()


async def test_peers_on_two_processes_are_listed_to_each_other_in_order_of_arrival() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, bob, bob_socket = await b.join("Bob")
    await eventually(lambda: names(ada_socket) == ["Ada", "Bob"], "Ada to see Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    assert ada.id.endswith("@" + a.broker.origin) and bob.id.endswith("@" + b.broker.origin)
    assert {p["peer"]: p["client"] for p in listed(bob_socket)} == {ada.id: "a", bob.id: "b"}
    assert len(room_a.peers) == len(room_b.peers) == 1  # each room's own peers stay its own
    await close(a, b)


async def test_a_single_process_says_nothing_live_and_keeps_its_short_ids() -> None:
    store = MemoryBoardStore()
    store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start")}))
    bus = MemoryBus()
    alone = Rooms(store, step_count, idle_seconds=60, broker=MemoryBroker(bus))
    await alone.start()
    room = await alone.get("b")
    assert room is not None
    socket = FakeSocket()
    peer = Peer(id="", name="Ada", role="participant", socket=socket)
    room.join(peer, since=None)
    room.cursor(peer, 1.0, 2.0)
    room.drag(peer, [("s0", 5.0, 5.0)])
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)
    assert peer.id == "p1" and bus.live_sent == []
    assert socket.of("transient")  # its own peers still get the frame
    await alone.close()


async def test_cursors_drags_and_views_cross_at_most_once_a_tick_and_only_our_own() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_b, bob, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    before = kinds(bus).count("transient")
    for x in range(50):  # a burst of mouse moves: one message a tick, the latest of each
        room_a.cursor(ada, float(x), 1.0)
        room_a.drag(ada, [("s0", float(x), 2.0), ("ghost", 0.0, 0.0)])
    room_a.view(ada, 0.0, 0.0, 800.0, 600.0)
    await eventually(lambda: cursors_of(bob_socket, ada.id) != [], "Bob to see Ada's cursor")
    assert cursors_of(bob_socket, ada.id) == [(49.0, 1.0)]
    frame = [m for m in bob_socket.of("transient") if m["cursors"]][-1]
    assert frame["drags"] == [{"peer": ada.id, "moves": [{"id": "s0", "x": 49.0, "y": 2.0}]}]
    assert frame["views"] == [{"peer": ada.id, "x": 0.0, "y": 0.0, "w": 800.0, "h": 600.0}]
    sent = [m for m in bus.live_sent[before:] if m["kind"] == "transient"]
    assert len(sent) == 1
    # Bob's process passes Ada's moves to its own peers, never back onto the bus:
    room_b.cursor(bob, 3.0, 3.0)
    await eventually(lambda: cursors_of(ada_socket, bob.id) == [(3.0, 3.0)], "Ada to see Bob's")
    echoed = [c["peer"] for m in bus.live_sent if m["kind"] == "transient" for c in m["cursors"]]
    assert echoed.count(ada.id) == 1 and echoed.count(bob.id) == 1
    await close(a, b)


async def test_moves_go_on_the_bus_only_while_another_process_has_someone_on_the_board() -> None:
    """Routed by board (deploy/haproxy.cfg), a board's people are all on one process:
    its cursors, drags and views would go to Redis ticks on end for nobody."""
    _, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    room_a.cursor(ada, 1.0, 1.0)
    room_a.view(ada, 0.0, 0.0, 800.0, 600.0)
    await eventually(lambda: cursors_of(ada_socket, ada.id) != [], "Ada's own tick")
    await asyncio.sleep(TRANSIENT_INTERVAL * 3)
    assert "peers" in kinds(bus)  # who is here is still said, for a process that opens it
    assert "transient" not in kinds(bus)
    # Someone opens the board on the other process: from then on the moves cross.
    room_b, bob, bob_socket = await b.join("Bob")
    await eventually(lambda: names(ada_socket) == ["Ada", "Bob"], "Ada's process to hear of Bob")
    room_a.cursor(ada, 2.0, 2.0)
    await eventually(lambda: cursors_of(bob_socket, ada.id) == [(2.0, 2.0)], "Bob to see Ada's")
    # He leaves: the moves stop crossing again.
    room_b.leave(bob)
    await eventually(lambda: names(ada_socket) == ["Ada"], "Ada's process to hear he left")
    before = kinds(bus).count("transient")
    room_a.cursor(ada, 3.0, 3.0)
    await eventually(lambda: (3.0, 3.0) in cursors_of(ada_socket, ada.id), "Ada's own tick")
    await asyncio.sleep(TRANSIENT_INTERVAL * 3)
    assert kinds(bus).count("transient") == before
    await close(a, b)


async def test_a_process_that_goes_quiet_has_its_peers_expire_everywhere() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    _, _, bob_socket = await b.join("Bob")
    room_a.cursor(ada, 1.0, 1.0)
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    await a.broker.close()  # A dies: no goodbye, no more heartbeats
    started = asyncio.get_running_loop().time()
    await eventually(lambda: names(bob_socket) == ["Bob"], "Ada to expire")
    waited = asyncio.get_running_loop().time() - started
    assert TTL * 0.5 < waited < TTL + 3 * HEARTBEAT + 0.5, waited
    await close(a, b)


async def test_alive_heartbeats_keep_remote_peers_well_past_the_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ten heartbeats a TTL: a loaded machine's stall of a few heartbeats is no expiry.
    ttl = HEARTBEAT * 10
    monkeypatch.setattr(live_link, "LIVE_TTL", ttl)
    _, bus, a, b = await two_processes()
    await a.join("Ada")
    _, _, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    await asyncio.sleep(ttl * 4)
    assert names(bob_socket) == ["Ada", "Bob"]
    sent = kinds(bus)
    # No list per heartbeat: each list follows a change (two joins, and a colour chosen
    # again after a clash, at most once a side) or answers an ask (a process opening the
    # board, or one that missed a version on a loaded machine).
    assert sent.count("alive") > sent.count("peers")
    assert sent.count("peers") <= 4 + sent.count("ask")
    await close(a, b)


async def test_someone_leaving_is_told_at_once_not_at_expiry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_link, "LIVE_TTL", 60.0)
    _, bus, a, b = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    await a.join("Amy")
    _, _, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Amy", "Bob"], "Bob to see both")
    room_a.leave(ada)
    await eventually(lambda: names(bob_socket) == ["Amy", "Bob"], "Ada gone from Bob's list")
    await close(a, b)


async def test_a_process_that_opens_a_busy_board_asks_who_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_link, "LIVE_HEARTBEAT", 60.0)  # no heartbeat can help here
    monkeypatch.setattr(live_link, "LIVE_TTL", 120.0)
    store, bus, a, _ = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    room_a.view(ada, 10.0, 20.0, 300.0, 200.0)
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)
    late = Process(store, bus)  # a third process, started after Ada's presence went out
    await late.rooms.start()
    _, _, cy_socket = await late.join("Cy")
    await eventually(lambda: names(cy_socket) == ["Ada", "Cy"], "Cy to learn of Ada")
    # Where Ada looks came with her (in the next transient tick, which a loaded machine may
    # run after the list): Cy can follow her before she moves again.
    ada_view = {"peer": ada.id, "x": 10.0, "y": 20.0, "w": 300.0, "h": 200.0}

    def views() -> list[dict[str, object]]:
        return [v for m in cy_socket.of("transient") for v in m.get("views", [])]

    await eventually(lambda: ada_view in views(), "Cy to learn where Ada looks")
    assert views()[-1] == ada_view
    await close(a, late)


async def test_a_lost_list_is_asked_for_again_at_the_next_heartbeat() -> None:
    _, bus, a, b = await two_processes()
    room_b, _, bob_socket = await b.join("Bob")
    await settled(room_b)
    bus.drop_live_next = 2
    await a.join("Ada")  # A's ask as it opens the board, and its list: neither reaches B
    await eventually(lambda: names(bob_socket) == ["Bob", "Ada"], "Bob to see Ada after all")
    assert {"kind": "ask", "of": a.broker.origin} in bus.live_sent
    await close(a, b)


async def test_colours_given_at_once_on_two_processes_end_up_distinct() -> None:
    _, bus, a, b = await two_processes()
    bus.set_up(False)  # neither hears of the other's peers while they join
    _, ada, ada_socket = await a.join("Ada")
    _, bob, bob_socket = await b.join("Bob")
    assert ada.color == bob.color == PEER_COLORS[0]
    bus.set_up(True)  # the brokers reconnect: every room asks and says who it has
    both = ["Ada", "Bob"]
    await eventually(lambda: names(ada_socket) == names(bob_socket) == both, "both lists")
    await eventually(lambda: ada.color != bob.color, "one of them to take another colour")
    later, earlier = (ada, bob) if a.broker.origin > b.broker.origin else (bob, ada)
    assert earlier.color == PEER_COLORS[0] and later.color == PEER_COLORS[1]
    await eventually(
        lambda: (
            {p["color"] for p in listed(ada_socket)} == set(PEER_COLORS[:2])
            and listed(ada_socket) == listed(bob_socket)
        ),
        "everyone to see the new colour",
    )
    _, cy, _ = await a.join("Cy")  # a newcomer avoids the colours worn elsewhere too
    assert cy.color == PEER_COLORS[2]
    await close(a, b)


async def test_no_process_can_speak_for_another_process_s_peers() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    _, bob, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    impostor = {"peer": ada.id, "name": "Not Ada", "color": "#000000", "role": "facilitator",
                "client": "c-x", "at": 0.0, "view": None}  # fmt: skip
    own = {**impostor, "peer": "p1@evil", "name": "Eve"}
    b.rooms.deliver_live("b", "evil", {"kind": "peers", "v": 1, "peers": [impostor, own]})
    b.rooms.deliver_live("b", "evil", {"kind": "transient", "cursors": [
        {"peer": ada.id, "x": 666.0, "y": 666.0}, {"peer": bob.id, "x": 666.0, "y": 666.0},
    ], "drags": [], "views": []})  # fmt: skip
    b.rooms.deliver_live("b", "evil", {"kind": "peers", "v": "x", "peers": "junk"})
    await eventually(lambda: names(bob_socket) == ["Eve", "Ada", "Bob"], "Eve, and only Eve")
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)
    assert cursors_of(bob_socket, ada.id) == [] and cursors_of(bob_socket, bob.id) == []
    assert "Not Ada" not in names(ada_socket)
    await close(a, b)


async def test_an_outage_keeps_the_room_working_and_peers_come_back_after_it() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, ada_socket = await a.join("Ada")
    _, amy, amy_socket = await a.join("Amy")
    _, _, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Amy", "Bob"], "everyone listed")
    bus.set_up(False)
    await eventually(lambda: names(ada_socket) == ["Ada", "Amy"], "Bob to expire on A")
    room_a.cursor(ada, 5.0, 5.0)  # A's own peers still see each other move, and edit
    room_a.submit(ada, [UpdateOp(op="update", cid="a:1", id="s0", set={"text": "Go"})])
    await eventually(lambda: cursors_of(amy_socket, ada.id) == [(5.0, 5.0)], "Amy sees Ada")
    await eventually(lambda: amy_socket.seqs() == [1], "Amy gets the edit")
    bus.set_up(True)
    await eventually(lambda: names(bob_socket) == ["Ada", "Amy", "Bob"], "back on B")
    await eventually(lambda: names(ada_socket) == ["Ada", "Amy", "Bob"], "back on A")
    assert amy.id in {p["peer"] for p in listed(bob_socket)}
    await close(a, b)


async def test_a_newcomer_gets_where_everyone_looks_at_once() -> None:
    _, _, a, _ = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    room_a.view(ada, 1.0, 2.0, 3.0, 4.0)
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)
    _, _, amy_socket = await a.join("Amy")
    assert [m["type"] for m in amy_socket.sent[:2]] == ["welcome", "transient"]
    assert amy_socket.sent[1]["views"] == [{"peer": ada.id, "x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0}]
    room_a.leave(ada)  # gone, and so is where she looked
    _, _, cy_socket = await a.join("Cy")
    assert cy_socket.of("transient") == []
    await a.rooms.close()


async def test_a_process_closing_the_board_says_so_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_link, "LIVE_TTL", 60.0)  # only the goodbye can do it in time
    _, _, a, b = await two_processes()
    await a.join("Ada")
    _, _, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    await a.rooms.close()  # shutting down: every room closes, each says it holds nobody
    await eventually(lambda: names(bob_socket) == ["Bob"], "Ada gone at once")
    await close(a, b)


async def test_edits_add_nothing_to_the_live_channel() -> None:
    _, bus, a, b = await two_processes()
    room_a, ada, _ = await a.join("Ada")
    _, _, bob_socket = await b.join("Bob")
    await eventually(lambda: names(bob_socket) == ["Ada", "Bob"], "Bob to see Ada")
    before = len([m for m in bus.live_sent if m["kind"] != "alive"])
    for i in range(20):
        room_a.submit(ada, [UpdateOp(op="update", cid=f"a:{i}", id="s0", set={"x": float(i)})])
    await eventually(lambda: len(bob_socket.seqs()) == 20, "Bob to get every edit")
    assert len([m for m in bus.live_sent if m["kind"] != "alive"]) == before
    await close(a, b)
