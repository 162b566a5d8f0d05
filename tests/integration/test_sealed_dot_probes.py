"""A participant probing an open vote's sealed dots through the real server, as an attacker would.

Two boards the same for Bob in every way he may see: Fay runs a vote, Ada places
a dot, Fay deletes step s1. On one board Ada's dot was on s1, on the other on s2.
Bob (a participant link, nothing more) tries every operation on the dot's id and
on its vote, over the websocket and over HTTP, and reads the board every way he
can; until the vote closes every answer must be the same on both boards, or he
learns where Ada voted (app/domain/secrecy.py).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.live import LiveClient, Server

FAY, ADA, BOB = ("f" * 22, "a" * 22, "b" * 22)


def create(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": kind, **fields}}


# Every kind of operation naming the sealed dot `d-ada` or its vote `v1`.
PROBES: list[dict[str, Any]] = [
    {"op": "delete", "id": "d-ada"},
    {"op": "update", "id": "d-ada", "set": {"target": "s2"}},
    {"op": "update", "id": "d-ada", "set": {"vote": "v1"}},
    {"op": "update", "id": "d-ada", "set": {"text": "x"}},
    create("note", "d-ada", text="mine now"),
    create("dot", "d-ada", vote="v1", target="s2"),
    {"op": "create", "element": {"id": "n-probe", "kind": "note"}, "replaces": ["d-ada"]},
    create("connector", "a-probe1", source="d-ada", target="s2"),
    create("connector", "a-probe2", source="s2", target="d-ada"),
    {"op": "update", "id": "a-s2s3", "set": {"target": "d-ada"}},
    create("comment", "c-probe", target="d-ada", text="Why here?"),
    create("estimate", "e-probe", target="d-ada", field="wait_minutes", minutes=60),
    create("dot", "d-probe", vote="v1", target="d-ada"),
    {"op": "delete", "id": "v1"},
    {"op": "update", "id": "v1", "set": {"open": False}},
    {"op": "update", "id": "v1", "set": {"dots": 1}},
    create("dot", "d-bob", vote="v1", target="s2"),  # his own: fine on both boards
]


def answer(message: dict[str, Any]) -> Any:
    """What a probe's answer says, without what differs between any two boards (seqs, times)."""
    if message["type"] == "error":
        return ["refused", message["code"], message["reason"]]
    entry = message["ops"][0]
    return ["applied", entry["op"], entry.get("removed"), entry.get("element", {}).get("target")]


def dots_seen(elements: Any) -> list[Any]:
    """Every dot as a reader holds it: whose, in which vote, where."""
    dots = [e for e in elements if e["kind"] == "dot"]
    return sorted([e["id"], e["author_id"], e["vote"], e["target"]] for e in dots)


async def world(server: Server, ada_on: str) -> dict[str, Any]:
    """Everything Bob can learn on a board where Ada's dot went on `ada_on` and s1 was deleted."""
    board = server.create_board()
    fay = await LiveClient.join(server, board, "facilitator", "Fay", key=FAY)
    ada = await LiveClient.join(server, board, "participant", "Ada", key=ADA)
    bob = await LiveClient.join(server, board, "participant", "Bob", key=BOB)
    await fay.acked(await fay.ops(
        create("step", "s1", text="Build"), create("step", "s2", text="Test"),
        create("step", "s3", text="Ship"),
        create("connector", "a-s2s3", source="s2", target="s3"),
        create("vote", "v1", text="Which first?", dots=3),
    ))  # fmt: skip
    await ada.acked(await ada.ops(create("dot", "d-ada", vote="v1", target=ada_on)))
    await bob.until_seq(ada.seq)
    before_delete = bob.seq
    seen: dict[str, Any] = {"before": dots_seen(bob.elements.values())}
    deleted = await fay.acked(await fay.ops({"op": "delete", "id": "s1"}))
    await bob.until_seq(max(deleted.values()))
    seen["delete entry"] = [
        e.get("removed") for m in bob.inbox for e in m.get("ops", []) if e["op"] == "delete"
    ]
    seen["live"] = dots_seen(bob.elements.values())
    for i, probe in enumerate(PROBES):
        await bob.ops(probe)
        while True:
            message = await bob.receive()
            if message["type"] in ("error", "ops"):
                break
        seen[f"ws {i} {json.dumps(probe)}"] = answer(message)
    participant = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    for i, probe in enumerate(PROBES):
        result = server.send_ops(board, [probe], role="participant").json()["results"][0]
        seen[f"http {i} {json.dumps(probe)}"] = result["error"]
    url = f"{server.url}/api/boards/{board['id']}"
    seen["GET board"] = dots_seen(httpx.get(url, headers=participant).json()["elements"])
    metrics = httpx.get(f"{url}/metrics", headers=participant).json()
    seen["GET metrics"] = {k: v for k, v in metrics.items() if k != "forecast"}
    again = await LiveClient.join(server, board, "participant", "Bob", key=BOB)
    seen["welcome"] = dots_seen(again.elements.values())
    stale = await LiveClient.join(server, board, "participant", "Bob", since=before_delete, key=BOB)
    seen["welcome since"] = dots_seen(stale.elements.values())
    for client in (fay, ada, bob, again, stale):
        await client.close()
    return seen


async def test_a_participant_cannot_tell_whether_a_sealed_dot_went_with_a_deleted_step(
    server: Server,
) -> None:
    # A delete took Ada's sealed dot with the step: Bob's delete of its id then answered "no
    # element" where it had said "only Ada can take back this dot"; a create reusing the
    # id, an update, an arrow's end naming it, and the board read on reload all told too.
    there = await world(server, "s1")
    elsewhere = await world(server, "s2")
    differ = {k: (there[k], elsewhere[k]) for k in there if there[k] != elsewhere[k]}
    assert not differ, json.dumps(differ, indent=1)
