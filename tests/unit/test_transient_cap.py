"""A tick's drags are capped, and the cap is shared fairly among the peers dragging.

The review's drag_flood_peers.py: one participant's 30 sockets each dragging 200
boxes put 6,000 moves in one frame, to every peer, 30 times a second.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import orjson

from app.hub.frames import Outbound
from app.hub.transient import FRAME_MOVES, TRANSIENT_INTERVAL, TransientFeed

BOARD = {f"s{i}" for i in range(1000)}


def selection(first: int, size: int) -> list[tuple[str, float, float]]:
    return [(f"s{(first + j) % 1000}", float(j), 1.0) for j in range(size)]


async def tick() -> None:
    await asyncio.sleep(TRANSIENT_INTERVAL * 2)


def frames(sent: list[Outbound]) -> list[dict[str, Any]]:
    return [orjson.loads(frame.payloads[0]) for frame in sent]


def moves_by_peer(frame: dict[str, Any]) -> dict[str, list[str]]:
    return {d["peer"]: [m["id"] for m in d["moves"]] for d in frame["drags"]}


async def test_thirty_sockets_dragging_200_each_fill_one_frame_no_further() -> None:
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    for k in range(30):
        feed.drag(f"m{k}", selection(k * 200, 200), BOARD)
    await tick()
    [frame] = frames(sent)
    assert sum(len(ids) for ids in moves_by_peer(frame).values()) <= FRAME_MOVES
    assert len(frame["drags"]) == 30, "every dragging peer has its turn"


async def test_a_handful_dragged_beside_a_flood_goes_out_whole_every_tick() -> None:
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    for _ in range(5):
        for k in range(30):
            feed.drag(f"m{k}", selection(k * 200, 200), BOARD)
        feed.drag("ada", selection(990, 5), BOARD)
        await tick()
    assert len(sent) == 5
    for frame in frames(sent):
        assert moves_by_peer(frame)["ada"] == [f"s{990 + j}" for j in range(5)]


async def test_one_persons_200_and_a_few_handfuls_go_out_whole() -> None:
    # A real workshop: one person moves a selection of 200 (the browser's most), a few
    # others a handful each; nobody's drag is cut.
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    feed.drag("ada", selection(0, 200), BOARD)
    for k in range(4):
        feed.drag(f"p{k}", selection(300 + 10 * k, 10), BOARD)
    await tick()
    [frame] = frames(sent)
    assert {peer: len(ids) for peer, ids in moves_by_peer(frame).items()} == {
        "ada": 200, "p0": 10, "p1": 10, "p2": 10, "p3": 10,
    }  # fmt: skip


async def test_a_peer_over_its_share_sends_each_of_its_boxes_in_turn() -> None:
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    share = FRAME_MOVES // 31
    ticks = -(-200 // share)  # enough turns for all 200
    for _ in range(ticks):
        for k in range(30):
            feed.drag(f"m{k}", selection(k * 200, 200), BOARD)
        feed.drag("ada", selection(0, 200), BOARD)  # a whole selection, as the browser sends
        await tick()
    seen = Counter(i for frame in frames(sent) for i in moves_by_peer(frame).get("ada", []))
    assert set(seen) == {f"s{j}" for j in range(200)}, "each box moves on peers' screens"
    assert max(seen.values()) - min(seen.values()) <= 1


async def test_more_peers_dragging_than_the_frame_holds_each_get_turns() -> None:
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    peers = [f"m{k}" for k in range(FRAME_MOVES + FRAME_MOVES // 2)]
    for _ in range(2):
        for k, peer in enumerate(peers):
            feed.drag(peer, selection(k, 1), BOARD)
        await tick()
    turns = [moves_by_peer(frame) for frame in frames(sent)]
    assert all(sum(len(ids) for ids in t.values()) <= FRAME_MOVES for t in turns)
    assert set(turns[0]) | set(turns[1]) == set(peers), "nobody is left out twice running"


async def test_the_whole_frame_for_a_peer_behind_carries_the_same_capped_drags() -> None:
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    for k in range(30):
        feed.drag(f"m{k}", selection(k * 200, 200), BOARD)
    await tick()
    [frame] = sent
    whole = orjson.loads(frame.whole().payloads[0])
    assert whole["drags"] == orjson.loads(frame.payloads[0])["drags"]


async def test_one_address_with_many_sockets_takes_no_more_than_anothers_person() -> None:
    # Eve's 30 sockets from one address each dragging 200 boxes left Bob's 200-box drag
    # about 10 moves a tick: shared per address first, he gets half the frame.
    sent: list[Outbound] = []
    feed = TransientFeed(sent.append)
    for _ in range(3):
        for k in range(30):
            feed.drag(f"eve{k}", selection(k * 20, 200), BOARD, address="10.0.0.66")
        feed.drag("bob", selection(500, 200), BOARD, address="10.0.0.2")
        await tick()
    for frame in frames(sent):
        moved = moves_by_peer(frame)
        assert len(moved["bob"]) == FRAME_MOVES // 2
        assert sum(len(ids) for ids in moved.values()) <= FRAME_MOVES
