"""Exports are rendered in turn between the people asking, each within a time limit, and a
render nobody waits for any more is stopped (api/renders.py, export/raster.py).

One person exporting big PDFs of different boards held both render slots for minutes,
with no limit, while every other workshop's export waited; and a render whose asker
closed the tab ran to its end with nobody to give it to."""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import ExitStack

import pytest

from app.api.renders import WAITING_PER_ASKER, Busy, Renders, Stopped
from app.api.turns import Turns
from app.export import raster
from app.export.formats import Rendered


class Gate:
    """Renders that start when asked and finish when the test says so, by name."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.go: dict[str, threading.Event] = {}

    def make(self, name: str):  # type: ignore[no-untyped-def]
        self.go[name] = threading.Event()

        def made() -> Rendered:
            self.started.append(name)
            self.go[name].wait(5)
            return Rendered(name.encode(), "application/pdf", f"{name}.pdf", "x")

        return made


async def settle() -> None:
    await asyncio.sleep(0.05)


async def test_one_asker_exporting_many_boards_holds_one_slot_and_others_go_beside_it() -> None:
    shared, gate = Renders(), Gate()
    mine = [asyncio.create_task(shared.get((b, 1, "pdf"), gate.make(b), asker="me"))
            for b in ("a1", "a2", "a3")]  # fmt: skip
    await settle()
    theirs = asyncio.create_task(shared.get(("b1", 1, "pdf"), gate.make("b1"), asker="them"))
    await settle()
    assert gate.started == ["a1", "b1"]  # not a2: one slot per asker at a time
    for go in gate.go.values():
        go.set()
    assert (await theirs).content == b"b1"
    assert [f.content for f in await asyncio.gather(*mine)] == [b"a1", b"a2", b"a3"]


async def test_waiting_renders_are_served_round_the_askers_in_turn() -> None:
    slots, served = Turns(slots=1, waiting=WAITING_PER_ASKER), []

    async def render(asker: str, name: str) -> None:
        await slots.acquire(asker)
        served.append(name)
        await settle()
        slots.release(asker)

    first = asyncio.create_task(render("a", "a1"))
    await asyncio.sleep(0.01)
    rest = [asyncio.create_task(render(asker, name))
            for asker, name in (("a", "a2"), ("a", "a3"), ("b", "b1"), ("c", "c1"))]  # fmt: skip
    await asyncio.gather(first, *rest)
    assert served == ["a1", "b1", "c1", "a2", "a3"]


async def test_an_asker_with_too_many_renders_waiting_is_refused() -> None:
    shared, gate = Renders(), Gate()
    slots = Turns(slots=1, waiting=2)
    shared._slots = slots
    held = [asyncio.create_task(shared.get((f"a{i}", 1, "pdf"), gate.make(f"a{i}"), asker="me"))
            for i in range(3)]  # fmt: skip
    await settle()
    with pytest.raises(Busy):
        await shared.get(("a9", 1, "pdf"), gate.make("a9"), asker="me")
    for go in gate.go.values():
        go.set()
    await asyncio.gather(*held)


def sleeping() -> Rendered:
    """A render whose picture never comes (a child process sleeping for a minute)."""
    raster.run(time.sleep, 60)
    raise AssertionError("a minute passed")


async def test_a_render_past_its_time_is_stopped_its_child_killed_and_its_slot_freed() -> None:
    raster.shut_down()
    shared = Renders(seconds=1.0)
    started = time.monotonic()
    with pytest.raises(Stopped, match="took over 1 s"):
        await shared.get(("big", 1, "pdf"), sleeping, asker="me")
    assert time.monotonic() - started < 10
    assert raster.children() == []  # the sleeping child was killed
    assert shared.stopped == 1
    gate = Gate()
    quick = asyncio.create_task(shared.get(("small", 1, "pdf"), gate.make("s"), asker="me"))
    await settle()
    gate.go["s"].set()
    assert (await quick).content == b"s"  # its slot was given back


async def test_a_render_whose_askers_all_left_is_stopped_but_not_while_one_still_waits() -> None:
    raster.shut_down()
    shared = Renders(seconds=60.0)
    first = asyncio.create_task(shared.get(("big", 1, "pdf"), sleeping, asker="me"))
    second = asyncio.create_task(shared.get(("big", 1, "pdf"), sleeping, asker="you"))
    for _ in range(200):  # the child started and is rendering
        await asyncio.sleep(0.05)
        if raster.children():
            break
    first.cancel()  # one tab closed: the render goes on for the other
    await settle()
    assert raster.children() and shared.stopped == 0
    started = time.monotonic()
    second.cancel()  # the last one closed
    for _ in range(100):
        await asyncio.sleep(0.05)
        if shared.stopped:
            break
    assert shared.stopped == 1 and time.monotonic() - started < 5
    assert raster.children() == [] and not shared._making


async def test_requests_still_reading_their_bodies_count_among_the_waiting() -> None:
    # An event log is read whole before it asks for its turn: checked only then, a flood
    # from one address had every body (up to 20 MB each) in memory before one was refused.
    turns = Turns(slots=1, waiting=2)
    await turns.acquire("busy")  # the one slot, held elsewhere
    with turns.placed("flood"), turns.placed("flood"), turns.placed("flood"):
        # One of them will have the address's turn, the other two wait: the line is full.
        assert not turns.may_wait("flood")
        with pytest.raises(Busy), turns.placed("flood"):
            pass
        with turns.placed("other"):  # another address has its own places
            pass
    assert turns.may_wait("flood")  # a body read gives its place back
    waiting = [asyncio.ensure_future(turns.acquire("flood")) for _ in range(2)]
    await settle()
    with turns.placed("flood"):  # two waiting and one reading: the line is full
        assert not turns.may_wait("flood")
    turns.release("busy")
    await waiting[0]
    turns.release("flood")
    await waiting[1]
    turns.release("flood")


async def test_an_asker_has_one_in_its_turn_and_its_waiting_whatever_order_they_came_in() -> None:
    # Five event logs sent at once from one address: one measured, four waiting, as the
    # body limit lets five through. Counted while all five still read their bodies (none
    # had its turn yet), the fifth was refused; counted once the first had its turn, it
    # was not: how many were served hung on which body arrived first.
    for first_has_its_turn in (False, True):
        turns = Turns(slots=2, waiting=4)
        served = []
        if first_has_its_turn:
            await turns.acquire("office")
            served.append("first")
        with ExitStack() as reading:
            for i in range(5 - len(served)):
                reading.enter_context(turns.placed("office"))
                served.append(f"log {i}")
            with pytest.raises(Busy), turns.placed("office"):
                pass
        assert len(served) == 5


async def test_asking_again_just_as_the_last_asker_left_starts_the_file_afresh() -> None:
    # The last asker's tab closed and its render was stopped; someone asking for the same
    # file in that same turn of the loop joined the stopped render and got its cancellation
    # (a 500), not a file.
    shared, gate = Renders(), Gate()
    leaving = asyncio.create_task(shared.get(("b", 1, "pdf"), gate.make("first"), asker="me"))
    await settle()
    leaving.cancel()
    await asyncio.sleep(0)  # the asker's own cancellation runs: the render is abandoned
    again = asyncio.create_task(shared.get(("b", 1, "pdf"), gate.make("again"), asker="you"))
    await settle()
    for go in gate.go.values():
        go.set()
    assert (await again).content == b"again"
    with pytest.raises(asyncio.CancelledError):
        await leaving
