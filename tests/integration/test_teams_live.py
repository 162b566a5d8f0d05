"""Teams, owners and handoffs through the real stack: websocket clients on a live server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support.live import LiveClient, Server

DAY = 480


def step(element_id: str, x: float, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", "x": x, **fields}}


def arrow(element_id: str, source: str, target: str) -> dict[str, Any]:
    element = {"id": element_id, "kind": "connector", "source": source, "target": target}
    return {"op": "create", "element": element}


def stored(server: Server, board: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.get(
        f"{server.url}/api/boards/{board['id']}",
        params={"token": board["tokens"]["viewer"]},
        timeout=10,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


async def test_two_facilitators_adding_teams_at_once_both_keep_theirs(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    gus = await LiveClient.join(server, board, role="facilitator", name="gus")
    ada = await LiveClient.join(server, board, role="participant", name="ada")
    # Both saw a map without teams; each adds one, and Gus renames his right after.
    sent = await asyncio.gather(
        fay.ops({"op": "team", "id": "t-dev", "set": {"name": "Development", "color": "blue"}}),
        gus.ops({"op": "team", "id": "t-qa", "set": {"name": "QA"}}),
    )
    await fay.acked(sent[0])
    last = await gus.acked(sent[1])
    renamed = await gus.acked(
        await gus.ops({"op": "team", "id": "t-qa", "set": {"name": "Testing"}})
    )
    await ada.until_seq(max(renamed.values()))
    await fay.until_seq(max(renamed.values()))
    assert max(last.values()) < max(renamed.values())
    expected = {"Development", "Testing"}
    for client in (fay, gus, ada):
        assert {t["name"] for t in client.frame["teams"]} == expected, client.name
    assert {t["name"] for t in stored(server, board)["board"]["teams"]} == expected
    for client in (fay, gus, ada):
        await client.close()


async def test_a_participant_cannot_change_the_teams_but_can_give_a_step_its_owner(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    ada = await LiveClient.join(server, board, role="participant", name="ada")
    await fay.acked(await fay.ops(
        {"op": "team", "id": "t-dev", "set": {"name": "Development"}}, step("s1", 0, text="Build"),
    ))  # fmt: skip
    [cid] = await ada.ops({"op": "team", "id": "t-ops", "set": {"name": "Ops"}})
    refused = await ada.expect("error")
    assert (refused["code"], refused["cid"]) == ("forbidden", cid)
    assert "only the facilitator can change the map's teams" in refused["reason"]
    # The connection lives on: an owner that is no team is refused with the reason...
    [cid] = await ada.ops({"op": "update", "id": "s1", "set": {"owner": "t-ops"}})
    refused = await ada.expect("error")
    assert refused["cid"] == cid
    assert refused["reason"] == "owner 't-ops' is not one of this map's teams (Development)"
    # ...and a real one is taken.
    await ada.acked(await ada.ops({"op": "update", "id": "s1", "set": {"owner": "t-dev"}}))
    assert stored(server, board)["elements"][0]["owner"] == "t-dev"
    await fay.close()
    await ada.close()


async def test_removing_a_team_that_owns_steps_is_refused_until_they_have_another_owner(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    await fay.acked(await fay.ops(
        {"op": "team", "id": "t-dev", "set": {"name": "Development"}},
        step("s1", 0, text="Build", owner="t-dev"),
    ))  # fmt: skip
    [cid] = await fay.ops({"op": "team", "id": "t-dev", "remove": True})
    refused = await fay.expect("error")
    assert refused["cid"] == cid
    assert refused["reason"] == "Development still owns Build: give it another owner first"
    # The browser's batch: the owner cleared first, then the team. One change.
    await fay.acked(await fay.ops(
        {"op": "update", "id": "s1", "set": {"owner": None}},
        {"op": "team", "id": "t-dev", "remove": True},
    ))  # fmt: skip
    assert stored(server, board)["board"]["teams"] == []
    await fay.close()


async def test_everyone_gets_the_handoff_figures_as_owners_change(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    vic = await LiveClient.join(server, board, role="viewer", name="vic")
    await fay.acked(await fay.ops(
        {"op": "team", "id": "t-dev", "set": {"name": "Development"}},
        {"op": "team", "id": "t-qa", "set": {"name": "QA"}},
        step("a", 0, text="Build", wait_minutes=DAY, process_minutes=DAY, owner="t-dev"),
        step("b", 300, text="Test", wait_minutes=8 * DAY, process_minutes=DAY, owner="t-dev"),
        arrow("ab", "a", "b"),
    ))  # fmt: skip
    seq = await fay.acked(await fay.ops({"op": "update", "id": "b", "set": {"owner": "t-qa"}}))
    while True:
        message = await vic.expect("metrics")
        if message["seq"] >= max(seq.values()):
            break
    metrics = message["metrics"]
    assert metrics["handoffs"]["count"] == 1
    assert metrics["handoffs"]["edges"] == [["a", "b"]]
    assert metrics["handoffs"]["wait_minutes"] == 8 * DAY
    assert [(t["name"], t["steps"]) for t in metrics["teams"]] == [
        ("Development", ["a"]),
        ("QA", ["b"]),
    ]
    assert "from Development to QA" in metrics["constraint"]["reason"]
    await fay.close()
    await vic.close()


async def test_a_future_state_keeps_the_teams_and_says_how_many_handoffs_it_removes(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    await fay.acked(await fay.ops(
        {"op": "board", "set": {"swimlanes": True}},
        {"op": "team", "id": "t-dev", "set": {"name": "Development", "color": "blue"}},
        {"op": "team", "id": "t-qa", "set": {"name": "QA", "color": "green"}},
        step("a", 0, text="Build", wait_minutes=DAY, process_minutes=DAY, owner="t-dev"),
        step("b", 300, text="Test", wait_minutes=4 * DAY, process_minutes=DAY, owner="t-qa"),
        step("c", 600, text="Release", wait_minutes=2 * DAY, process_minutes=60, owner="t-dev"),
        arrow("ab", "a", "b"),
        arrow("bc", "b", "c"),
    ))  # fmt: skip
    started = httpx.post(
        f"{server.url}/api/boards/{board['id']}/future",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert started.status_code == 201, started.text
    future = started.json()
    future["tokens"] = {r: link.split("token=")[1] for r, link in future["links"].items()}
    copied = stored(server, future)
    assert copied["board"]["teams"] == stored(server, board)["board"]["teams"]
    assert copied["board"]["swimlanes"] is True
    assert {e["id"]: e["owner"] for e in copied["elements"] if e["kind"] == "step"} == {
        "a": "t-dev", "b": "t-qa", "c": "t-dev",
    }  # fmt: skip

    # The redesign: Development tests its own work, and its wait shrinks.
    server.post_ops(
        future, [{"op": "update", "id": "b", "set": {"owner": "t-dev", "wait_minutes": DAY}}]
    )
    compared = httpx.get(
        f"{server.url}/api/boards/{future['id']}/compare",
        headers={"Authorization": f"Bearer {future['tokens']['viewer']}"},
        timeout=10,
    ).json()
    assert compared["handoffs"] == {
        "current": 2, "future": 0, "delta": -2, "display": "2 handoffs fewer",
    }  # fmt: skip
    assert compared["deltas"]["lead_time_minutes"] == -3 * DAY
    await fay.close()


async def test_a_map_with_teams_exported_as_json_imports_whole(
    server: Server, board: dict[str, Any]
) -> None:
    server.post_ops(board, [
        {"op": "team", "id": "t-dev", "set": {"name": "Development"}},
        step("a", 0, text="Build", owner="t-dev"),
    ])  # fmt: skip
    exported = httpx.get(
        f"{server.url}/api/boards/{board['id']}/export",
        params={"format": "json", "token": board["tokens"]["viewer"]},
        timeout=10,
    )
    exported.raise_for_status()
    answer = httpx.post(f"{server.url}/api/boards/import", json=exported.json(), timeout=10)
    assert answer.status_code == 201, answer.text
    copy = answer.json()
    copy["tokens"] = {r: link.split("token=")[1] for r, link in copy["links"].items()}
    again = stored(server, copy)
    assert [t["name"] for t in again["board"]["teams"]] == ["Development"]
    assert again["elements"][0]["owner"] == "t-dev"
