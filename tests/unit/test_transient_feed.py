"""The transient feed: the latest cursor, drags and view of each peer, once a tick."""

from __future__ import annotations

import asyncio
import time

import orjson

from app.hub.frames import Outbound
from app.hub.pacing import SLOWEST, TransientPace
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


class RecordingPace(TransientPace):
    """A pace fixed at `interval` (no jitter) that keeps how late each tick said it fired."""

    def __init__(self, interval: float) -> None:
        super().__init__(rand=lambda: 0.5)
        self.interval = interval
        self.lateness: list[float] = []

    def observe(self, late: float) -> None:
        self.lateness.append(late)


async def test_the_tick_keeps_the_pace_it_is_given() -> None:
    socket = FakeSocket()
    transient = TransientFeed(socket.send, pace=RecordingPace(SLOWEST))
    transient.cursor("p1", 1.0, 1.0)
    await tick()
    assert socket.of("transient") == [], "a stretched tick has not fired yet"
    await asyncio.sleep(SLOWEST)
    [frame] = socket.of("transient")
    assert frame["cursors"] == [{"peer": "p1", "x": 1.0, "y": 1.0}]


async def test_each_tick_tells_the_pace_how_late_it_fired() -> None:
    pace = RecordingPace(TRANSIENT_INTERVAL)
    transient = TransientFeed(FakeSocket().send, pace=pace)
    transient.cursor("p1", 1.0, 1.0)
    time.sleep(TRANSIENT_INTERVAL + 0.05)  # noqa: ASYNC251 (the loop is busy past the tick)
    await tick()
    [late] = pace.lateness
    assert late >= 0.04


async def test_the_tick_frame_may_be_dropped_for_a_peer_that_is_behind() -> None:
    sent: list[Outbound] = []
    transient = TransientFeed(sent.append)
    transient.cursor("p1", 1.0, 1.0)
    await tick()
    [frame] = sent
    assert frame.droppable
    assert transient.views_now() is None
    transient.view("p1", 0.0, 0.0, 1.0, 1.0)
    views = transient.views_now()
    assert views is not None and not views.droppable, "a joiner's one view frame must arrive"


async def test_the_whole_frame_has_every_pointer_and_view_where_it_last_was() -> None:
    sent: list[Outbound] = []
    transient = TransientFeed(sent.append)
    transient.cursor("p1", 1.0, 1.0)
    transient.view("p1", 0.0, 0.0, 10.0, 10.0)
    transient.cursor("p2", 5.0, 5.0)
    await tick()
    transient.cursor("p2", 6.0, 6.0)  # p1 stands still: only p2 is in this tick's frame
    transient.drag("p2", [("s1", 3.0, 4.0)], {"s1"})
    transient.cursor("p3", None, None)
    await tick()
    transient.forget("p3")
    delta = orjson.loads(sent[-1].payloads[0])
    assert delta["cursors"] == [
        {"peer": "p2", "x": 6.0, "y": 6.0},
        {"peer": "p3", "x": None, "y": None},
    ]
    whole = orjson.loads(sent[-1].whole().payloads[0])
    assert whole["cursors"] == [
        {"peer": "p1", "x": 1.0, "y": 1.0},
        {"peer": "p2", "x": 6.0, "y": 6.0},
        {"peer": "p3", "x": None, "y": None},  # as it was when the tick went out
    ]
    assert whole["drags"] == delta["drags"]
    assert whole["views"] == [{"peer": "p1", "x": 0.0, "y": 0.0, "w": 10.0, "h": 10.0}]
    assert sent[-1].whole().droppable
    transient.cursor("p1", 2.0, 2.0)
    await tick()
    assert [c["peer"] for c in orjson.loads(sent[-1].whole().payloads[0])["cursors"]] == [
        "p1",
        "p2",
    ]
