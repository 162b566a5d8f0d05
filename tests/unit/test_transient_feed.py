"""The transient feed: the latest cursor, drags and view of each peer, once a tick."""

from __future__ import annotations

import asyncio

from app.hub.frames import Outbound
from app.hub.transient import TRANSIENT_INTERVAL, TransientFeed
from tests.support.fake_socket import FakeSocket


def feed() -> tuple[TransientFeed, FakeSocket]:
    socket = FakeSocket()
    return TransientFeed(socket.send), socket


async def tick() -> None:
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)


async def test_many_moves_in_a_tick_go_out_as_the_latest_of_each_in_one_frame() -> None:
    transient, socket = feed()
    for x in range(10):
        transient.cursor("p1", float(x), 1.0)
        transient.drag("p2", [("s1", float(x), 2.0), ("s2", 0.0, float(x))], {"s1", "s2"})
    await tick()
    [frame] = socket.of("transient")
    assert frame["cursors"] == [{"peer": "p1", "x": 9.0, "y": 1.0}]
    assert frame["drags"] == [
        {
            "peer": "p2",
            "moves": [{"id": "s1", "x": 9.0, "y": 2.0}, {"id": "s2", "x": 0.0, "y": 9.0}],
        }
    ]
    assert "views" not in frame


async def test_drags_of_elements_not_on_the_board_are_dropped() -> None:
    transient, socket = feed()
    transient.drag("p1", [("ghost", 1.0, 1.0)], {"s1"})
    await tick()
    assert socket.of("transient") == [], "nothing worth a frame"


async def test_views_ride_along_and_a_quiet_tick_sends_nothing() -> None:
    transient, socket = feed()
    transient.view("p1", 0.0, 0.0, 800.0, 600.0)
    await tick()
    await tick()
    [frame] = socket.of("transient")
    assert frame["views"] == [{"peer": "p1", "x": 0.0, "y": 0.0, "w": 800.0, "h": 600.0}]


async def test_a_peer_that_left_is_forgotten_and_closing_stops_the_tick() -> None:
    sent: list[Outbound] = []
    transient = TransientFeed(sent.append)
    transient.cursor("p1", 1.0, 1.0)
    transient.forget("p1")
    await tick()
    assert sent == []
    transient.cursor("p2", 1.0, 1.0)
    transient.close()
    await tick()
    assert sent == []
