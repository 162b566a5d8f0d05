"""The table of other processes' peers: whole lists by version, heartbeats, expiry, colours."""

from __future__ import annotations

from typing import Any

import pytest

from app.hub.remote_peers import RemotePeer, RemotePeers, namespaced, parse_peers


def raw(peer: str, color: str = "#2563eb", at: float = 1.0, **more: Any) -> dict[str, Any]:
    return {"peer": peer, "name": peer.upper(), "color": color, "role": "participant",
            "client": "c-" + peer, "at": at, **more}  # fmt: skip


def peers(origin: str, *items: dict[str, Any]) -> list[RemotePeer]:
    return parse_peers(origin, list(items))


def test_a_process_speaks_only_for_peers_with_its_own_origin() -> None:
    found = peers("aa", raw("p1@aa"), raw("p2@bb"), raw("p3"), raw("p4@aa", role="owner"))
    assert [p.id for p in found] == ["p1@aa"]
    assert namespaced("p1", "aa") == "p1@aa"


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        [{"peer": "p1@aa"}],
        [raw("p1@aa", at="yesterday")],
        [raw("p1@aa", at=float("inf"))],
        [raw("p1@aa", view=[0, 0, 10])],
        [raw("p1@aa", name="x" * 1000)],
        [raw("p1@aa", name=7)],
    ],
)
def test_a_malformed_list_is_refused_whole(bad: Any) -> None:
    with pytest.raises((TypeError, ValueError, KeyError)):
        parse_peers("aa", bad)


def test_each_list_replaces_the_last_and_says_who_left() -> None:
    table = RemotePeers()
    assert table.update("aa", 1, peers("aa", raw("p1@aa"), raw("p2@aa")), deadline=10) == set()
    assert table.update("aa", 2, peers("aa", raw("p2@aa")), deadline=10) == {"p1@aa"}
    assert table.ids("aa") == {"p2@aa"}
    assert table.update("aa", 3, [], deadline=10) == {"p2@aa"}
    assert not table  # an empty list forgets the process


def test_a_heartbeat_at_another_version_means_a_change_was_missed() -> None:
    table = RemotePeers()
    table.update("aa", 4, peers("aa", raw("p1@aa")), deadline=10)
    assert table.alive("aa", 4, deadline=20)
    assert not table.alive("aa", 5, deadline=30)  # the caller asks for the list again
    assert not table.alive("bb", 1, deadline=30)  # never heard of: ask too
    assert table.expire(now=25) == {"p1@aa"}  # the stale heartbeat did not keep it alive


def test_a_silent_process_expires_with_all_its_peers_and_only_it() -> None:
    table = RemotePeers()
    table.update("aa", 1, peers("aa", raw("p1@aa"), raw("p2@aa")), deadline=5)
    table.update("bb", 1, peers("bb", raw("p1@bb")), deadline=9)
    assert table.expire(now=4) == set()
    assert table.expire(now=5) == {"p1@aa", "p2@aa"}
    assert [info["peer"] for _, info in table.listing()] == ["p1@bb"]


def test_listing_carries_what_clients_see_and_when_each_joined() -> None:
    table = RemotePeers()
    table.update("aa", 1, peers("aa", raw("p1@aa", at=7.5, view=[1, 2, 3, 4])), deadline=5)
    [(joined, info)] = table.listing()
    assert joined == 7.5
    assert info == {"peer": "p1@aa", "name": "P1@AA", "color": "#2563eb",
                    "role": "participant", "client": "c-p1@aa"}  # fmt: skip
    assert next(iter(table.peers())).view == (1.0, 2.0, 3.0, 4.0)


def test_colours_of_processes_that_sort_earlier_can_be_told_apart() -> None:
    table = RemotePeers()
    table.update("aa", 1, peers("aa", raw("p1@aa", color="#111111")), deadline=5)
    table.update("cc", 1, peers("cc", raw("p1@cc", color="#333333")), deadline=5)
    assert table.colors() == {"#111111", "#333333"}
    assert table.colors(below="bb") == {"#111111"}


def test_same_ignores_where_they_look() -> None:
    table = RemotePeers()
    table.update("aa", 1, peers("aa", raw("p1@aa", view=[0, 0, 1, 1])), deadline=5)
    assert table.same("aa", peers("aa", raw("p1@aa", view=[5, 5, 1, 1])))
    assert not table.same("aa", peers("aa", raw("p1@aa", color="#000000")))
