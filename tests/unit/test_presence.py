"""Presence: ids and colours, coalesced presence frames, revoked links."""

from __future__ import annotations

import asyncio

from app.hub.plan import Peer
from app.hub.presence import LINK_REVOKED, PEER_COLORS, PRESENCE_INTERVAL, Presence
from tests.support.fake_socket import FakeSocket


def peer(name: str, link: str = "") -> tuple[Peer, FakeSocket]:
    socket = FakeSocket(closable=True)
    return Peer(id="", name=name, role="participant", socket=socket, link=link), socket


async def test_each_peer_gets_a_new_id_and_a_colour_nobody_here_has() -> None:
    presence = Presence()
    people = [peer(f"P{i}")[0] for i in range(len(PEER_COLORS))]
    for p in people:
        presence.add(p)
    assert len({p.id for p in people}) == len(people)
    assert {p.color for p in people} == set(PEER_COLORS)
    presence.remove(people[3])
    again, _ = peer("Again")
    presence.add(again)
    assert again.color == people[3].color and again.id not in {p.id for p in people}
    presence.close()


async def test_announcements_in_a_burst_share_one_frame_with_everyone_in_it() -> None:
    presence = Presence()
    first, socket = peer("First")
    presence.add(first)
    presence.announce()  # the first goes at once
    for i in range(20):
        presence.add(peer(f"P{i}")[0])
        presence.announce()
    assert len(socket.of("presence")) == 1
    await asyncio.sleep(PRESENCE_INTERVAL * 1.5)
    frames = socket.of("presence")
    assert len(frames) == 2 and len(frames[-1]["peers"]) == 21
    presence.close()


async def test_removing_twice_is_harmless() -> None:
    presence = Presence()
    ada, _ = peer("Ada")
    presence.add(ada)
    assert presence.remove(ada) and not presence.remove(ada)


async def test_closing_cancels_the_waiting_frame() -> None:
    presence = Presence()
    ada, socket = peer("Ada")
    presence.add(ada)
    presence.announce()
    presence.announce()  # waits for the interval
    presence.close()
    await asyncio.sleep(PRESENCE_INTERVAL * 1.5)
    assert len(socket.of("presence")) == 1


async def test_only_sessions_of_revoked_links_are_closed() -> None:
    presence = Presence()
    old, old_socket = peer("Old", link="h1")
    new, new_socket = peer("New", link="h2")
    presence.add(old)
    presence.add(new)
    assert presence.close_revoked({"h1"}, "replaced") == 1
    assert old_socket.closed == (LINK_REVOKED, "replaced") and new_socket.closed is None
