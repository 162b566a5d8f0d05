"""Fresh metrics reach every client after every applied batch, through the real stack."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import LiveClient, Server

DAY = 480


def step(element_id: str, x: float, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", "x": x, **fields}}


async def latest_metrics(client: LiveClient, seq: int) -> dict[str, Any]:
    """The first metrics message computed at or after board sequence `seq`."""
    while True:
        message = await client.expect("metrics")
        if message["seq"] >= seq:
            return message


async def test_an_edit_from_one_client_brings_the_same_fresh_metrics_to_all(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, role="participant", name="ada")
    fay = await LiveClient.join(server, board, role="facilitator", name="fay")
    vic = await LiveClient.join(server, board, role="viewer", name="vic")
    assert ada.welcome["metrics"]["path"] == []  # the welcome carries metrics too

    seqs = await ada.acked(await ada.ops(
        step("a", 0, text="Intake", wait_minutes=DAY, process_minutes=60),
        step("b", 300, text="Build", wait_minutes=3 * DAY, process_minutes=2 * DAY),
        step("c", 600, text="Test", wait_minutes=2 * DAY, process_minutes=240),
    ))  # fmt: skip
    first = [await latest_metrics(c, max(seqs.values())) for c in (ada, fay, vic)]
    assert first[0]["metrics"] == first[1]["metrics"] == first[2]["metrics"]
    assert first[0]["metrics"]["path"] == ["a", "b", "c"]
    assert first[0]["metrics"]["constraint"]["id"] == "b"
    assert first[0]["metrics"]["lead_time_minutes"] == 8 * DAY + 300

    # Ada makes Test wait longest: everyone's constraint moves to it.
    seq = await ada.acked(
        await ada.ops({"op": "update", "id": "c", "set": {"wait_minutes": 5 * DAY}})
    )
    after = [await latest_metrics(c, max(seq.values())) for c in (ada, fay, vic)]
    assert {m["metrics"]["constraint"]["id"] for m in after} == {"c"}
    # Test's 5d + 4h = 2,640 of 9d + 1h + 2d + 4h = 5,580 minutes: 47 %.
    assert after[0]["metrics"]["constraint"]["reason"] == (
        "Test: work waits 5d for 4h of work — 47% of lead time"
    )
    assert all(m["metrics"] == after[0]["metrics"] for m in after)

    # The HTTP view agrees with what was pushed.
    http = httpx.get(
        f"{server.url}/api/boards/{board['id']}/metrics",
        params={"token": board["tokens"]["viewer"]},
    ).json()
    # The HTTP answer adds the forecast, which the websocket sends in its own message.
    assert http.pop("forecast")["deterministic_minutes"] == 5580
    assert http == after[0]["metrics"]
    for client in (ada, fay, vic):
        await client.close()


async def test_a_batch_that_changes_no_figure_pushes_no_metrics(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    bob = await LiveClient.join(server, board, name="bob")
    await ada.acked(await ada.ops(step("a", 0, text="One", wait_minutes=60)))
    await latest_metrics(bob, 1)
    # A new colour changes no number: the op arrives, no metrics frame with it.
    acked = await ada.acked(await ada.ops({"op": "update", "id": "a", "set": {"color": "blue"}}))
    await bob.until_seq(max(acked.values()))
    await ada.acked(await ada.ops({"op": "update", "id": "a", "set": {"wait_minutes": 120}}))
    pushed = await latest_metrics(bob, 2)
    assert pushed["seq"] == 3 and pushed["metrics"]["lead_time_minutes"] == 120
    assert not [m for m in bob.inbox if m["type"] == "metrics" and m["seq"] == 2]
    await ada.close()
    await bob.close()


async def test_moving_a_step_that_reorders_a_looping_flow_brings_the_new_path_to_all(
    server: Server, board: dict[str, Any]
) -> None:
    # A flow arrow loops back (Test -> Build): the loop is cut where reading left to right
    # meets it, so dragging Test to the left of Build moves the start of the path. The
    # move was taken for one that changes no figure: peers and GET .../metrics kept the
    # old path while the exports, computed afresh, gave the new one.
    ada = await LiveClient.join(server, board, name="ada")
    bob = await LiveClient.join(server, board, name="bob")
    flow = {"kind": "connector", "connector": "flow"}
    seqs = await ada.acked(await ada.ops(
        step("build", 0, text="Build", wait_minutes=DAY, process_minutes=60),
        step("test", 300, text="Test", wait_minutes=2 * DAY, process_minutes=60),
        {"op": "create", "element": {"id": "f1", "source": "build", "target": "test", **flow}},
        {"op": "create", "element": {"id": "f2", "source": "test", "target": "build", **flow}},
    ))  # fmt: skip
    assert (await latest_metrics(bob, max(seqs.values())))["metrics"]["path"] == ["build", "test"]

    moved = await ada.acked(await ada.ops({"op": "update", "id": "test", "set": {"x": -300}}))
    pushed = await latest_metrics(bob, max(moved.values()))
    assert pushed["metrics"]["path"] == ["test", "build"]
    url = f"{server.url}/api/boards/{board['id']}"
    token = {"token": board["tokens"]["viewer"]}
    http = httpx.get(f"{url}/metrics", params=token).json()
    exported = httpx.get(f"{url}/export", params=token | {"format": "json"}).json()["metrics"]
    assert http["path"] == exported["path"] == ["test", "build"]
    await ada.close()
    await bob.close()
