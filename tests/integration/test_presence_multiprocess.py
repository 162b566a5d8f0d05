"""Presence, cursors, drags, views and following across two `flowmap serve` processes.

The processes share PostgreSQL and Redis (tests/integration/test_multiprocess.py
starts them); each client is connected to one of them and must see the people
on the other as if they were on its own: listed, moving, dragging, presenting.
A process killed outright has its people vanish from the other within the TTL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.hub.live_link import LIVE_HEARTBEAT, LIVE_TTL
from tests.integration.test_multiprocess import (  # noqa: F401 - `database` is a fixture
    CONVERGE,
    REDIS_URL,
    database,
    redis_admin,
    start_pair,
)
from tests.support.live import LiveClient, Server

pytestmark = pytest.mark.services

Message = dict[str, Any]


@pytest.fixture
def pair(database: str, tmp_path: Path) -> Iterator[list[Server]]:  # noqa: F811 - the fixture
    redis_admin()
    servers = start_pair(database, tmp_path, REDIS_URL)
    yield servers
    for server in servers:
        server.stop()


async def until(client: LiveClient, found: Callable[[Message], bool], what: str) -> Message:
    """The first message, already in or still to come, that `found` accepts (for a list
    of people that must hold at the end, `until_listed`: an early one may have matched)."""
    for message in client.inbox:
        if found(message):
            return message
    deadline = time.monotonic() + CONVERGE
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"{client.name}: timed out waiting for {what}"
        message = await client.receive(timeout=left)
        if found(message):
            return message


def people(message: Message) -> list[str] | None:
    """The names a `welcome` or `presence` lists (None for other messages)."""
    if message["type"] in ("welcome", "presence"):
        return [p["name"] for p in message["peers"]]
    return None


def latest_people(client: LiveClient) -> list[Message]:
    latest = [m for m in client.inbox if m["type"] in ("welcome", "presence")][-1]
    return latest["peers"]  # type: ignore[no-any-return]


async def until_listed(client: LiveClient, check: Callable[[list[Message]], bool]) -> None:
    """Read on until the latest list of people the client got passes `check`."""
    deadline = time.monotonic() + CONVERGE
    while not check(latest_people(client)):
        left = deadline - time.monotonic()
        assert left > 0, f"{client.name}: the list stayed {latest_people(client)}"
        await client.receive(timeout=left)


def from_peer(kind: str, peer: str) -> Callable[[Message], bool]:
    """A `transient` message carrying a `kind` (cursors, drags, views) of `peer`."""
    return lambda m: m["type"] == "transient" and any(i["peer"] == peer for i in m.get(kind, []))


def item(message: Message, kind: str, peer: str) -> Message:
    found: Message = next(i for i in message[kind] if i["peer"] == peer)
    return found


async def test_clients_on_two_processes_see_each_other_move_drag_and_present(
    pair: list[Server],
) -> None:
    a, b = pair
    board = a.create_board()
    fay = await LiveClient.join(a, board, role="facilitator", name="Fay")
    await fay.acked(await fay.ops({"op": "create", "element": {"id": "s1", "kind": "step"}}))
    await fay.send({"type": "view", "x": 10, "y": 20, "w": 800, "h": 600})
    fay_id = fay.welcome["you"]["peer"]
    await asyncio.sleep(0.2)  # her view went out before Bob's process opened the board

    bob = await LiveClient.join(b, board, name="Bob")
    bob_id = bob.welcome["you"]["peer"]
    assert fay_id.split("@")[1] != bob_id.split("@")[1]  # each process names its own
    await until(bob, lambda m: people(m) == ["Fay", "Bob"], "Bob to list Fay")
    await until(fay, lambda m: people(m) == ["Fay", "Bob"], "Fay to list Bob")
    # Where Fay stood still came with her presence: Bob can follow her at once.
    seen = await until(bob, from_peer("views", fay_id), "Fay's view")
    assert item(seen, "views", fay_id) == {"peer": fay_id, "x": 10, "y": 20, "w": 800, "h": 600}

    for x in range(20):  # a burst of moves: Bob gets the latest, in a few frames at most
        await fay.send({"type": "cursor", "x": float(x), "y": 5.0})
        await fay.send({"type": "drag", "moves": [{"id": "s1", "x": float(x), "y": 7.0}]})
    await until(bob, lambda m: from_peer("cursors", fay_id)(m)
                and item(m, "cursors", fay_id)["x"] == 19.0, "Fay's last cursor")  # fmt: skip
    await until(bob, lambda m: from_peer("drags", fay_id)(m)
                and item(m, "drags", fay_id)["moves"] == [{"id": "s1", "x": 19.0, "y": 7.0}],
                "Fay's drag of s1")  # fmt: skip
    frames = [m for m in bob.inbox if from_peer("cursors", fay_id)(m)]
    assert len(frames) < 20

    await bob.send({"type": "cursor", "x": 1.0, "y": 2.0})
    await bob.send({"type": "view", "x": 0, "y": 0, "w": 640, "h": 480})
    await until(fay, from_peer("cursors", bob_id), "Bob's cursor")
    await until(fay, from_peer("views", bob_id), "Bob's view")

    # Presenting: the board says whose view everyone follows (by client id), presence
    # says which peer that is, wherever that peer is connected.
    await fay.acked(await fay.ops({"op": "board", "set": {"presenter": fay.client}}))
    await bob.until_seq(fay.seq, timeout=CONVERGE)
    assert bob.frame["presenter"] == fay.client
    assert [p["peer"] for p in latest_people(bob) if p["client"] == fay.client] == [fay_id]
    await fay.send({"type": "view", "x": 99, "y": 98, "w": 800, "h": 600})
    moved = await until(bob, lambda m: from_peer("views", fay_id)(m)
                        and item(m, "views", fay_id)["x"] == 99, "the presenter's new view")  # fmt: skip
    assert item(moved, "views", fay_id)["y"] == 98

    # Both got the first colour as they joined, neither knowing of the other yet; one of
    # them has another now, and both lists say so.
    await until_listed(bob, lambda peers: len({p["color"] for p in peers}) == 2)
    await until_listed(fay, lambda peers: peers == latest_people(bob))
    await fay.close()
    await until_listed(bob, lambda peers: [p["name"] for p in peers] == ["Bob"])
    await bob.close()


async def test_a_killed_process_s_people_vanish_from_the_other_within_the_ttl(
    pair: list[Server],
) -> None:
    a, b = pair
    board = a.create_board()
    ada = await LiveClient.join(a, board, name="Ada")
    bob = await LiveClient.join(b, board, name="Bob")
    await until(bob, lambda m: people(m) == ["Ada", "Bob"], "Bob to list Ada")
    await ada.send({"type": "cursor", "x": 3.0, "y": 4.0})
    await until(bob, from_peer("cursors", ada.welcome["you"]["peer"]), "Ada's cursor")
    killed = time.monotonic()
    a.kill()  # SIGKILL: no goodbye reaches anyone
    await until_listed(bob, lambda peers: [p["name"] for p in peers] == ["Bob"])
    waited = time.monotonic() - killed
    # Expiry is checked each heartbeat after the deadline; a busy machine may add a little.
    assert LIVE_TTL - LIVE_HEARTBEAT <= waited <= LIVE_TTL + 2 * LIVE_HEARTBEAT + 3, waited
    late = await LiveClient.join(b, board, name="Cy")  # and nobody who comes later sees her
    await asyncio.sleep(2 * LIVE_HEARTBEAT)
    assert [p["name"] for p in latest_people(late)] == ["Bob", "Cy"]
    await bob.close()
    await late.close()
