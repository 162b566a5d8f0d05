"""The live board through the real stack: uvicorn on loopback, websockets and HTTP clients."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.live import LiveClient, Server
from tests.support.servers import WITH_ASGI

# Also through ASGI: the session must behave the same under any server.
SERVERS = WITH_ASGI


def step(element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", **fields}}


def update(element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "set": fields}


async def test_three_clients_editing_at_once_converge(server: Server, board: dict) -> None:
    a, b, c = [await LiveClient.join(server, board, name=n) for n in ("ada", "bob", "cyd")]
    acks = await a.ops(step("s1", text="Plan"), step("s2", text="Build"))
    await a.acked(acks)
    rng = random.Random(7)

    async def edit(client: LiveClient) -> None:
        sent: list[str] = []
        for i in range(30):
            target = rng.choice(["s1", "s2"])
            field = rng.choice(["x", "y", "text"])
            value = f"{client.name}{i}" if field == "text" else float(rng.randint(0, 900))
            sent += await client.ops(update(target, **{field: value}))
            if i % 10 == 0:
                sent += await client.ops(step(f"{client.name}-{i}", text=client.name))
            await asyncio.sleep(rng.random() / 200)
        # Sent is not stored: the board read below must come after every ack (CI read
        # it while the last edits were still being committed to PostgreSQL).
        await client.acked(sent)

    await asyncio.gather(edit(a), edit(b), edit(c))
    final = await httpx.AsyncClient().get(
        f"{server.url}/api/boards/{board['id']}", params={"token": board["tokens"]["viewer"]}
    )
    state = final.json()
    for client in (a, b, c):
        await client.until_seq(state["seq"])
    server_view = {e["id"]: e for e in state["elements"]}
    assert state["seq"] == 2 + 3 * 30 + 3 * 3
    assert a.elements == b.elements == c.elements == server_view
    for client in (a, b, c):
        await client.close()


async def test_an_acknowledged_edit_survives_a_crash(tmp_path: Path) -> None:
    srv = Server(f"sqlite:///{tmp_path / 'crash.db'}", tmp_path / "crash.log")
    srv.start()
    try:
        board = srv.create_board()
        client = await LiveClient.join(srv, board, name="ada")
        cids = await client.ops(step("s1", text="Survives"), update("s1", pca=80))
        seqs = await client.acked(cids)
        srv.kill()  # SIGKILL right after the ack: no shutdown, no snapshot
        srv.start()
        again = await LiveClient.join(srv, board, name="ada")
        assert again.welcome["seq"] == max(seqs.values())
        assert again.elements["s1"]["text"] == "Survives" and again.elements["s1"]["pca"] == 80
        await again.close()
    finally:
        srv.stop()


async def test_a_reconnecting_client_catches_up_with_only_what_it_missed(
    server: Server, board: dict
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    bob = await LiveClient.join(server, board, name="bob")
    await ada.acked(await ada.ops(step("s1", text="One")))
    await bob.until_seq(1)
    await bob.close()  # the lid closes
    await ada.acked(await ada.ops(update("s1", text="Two"), step("s2", text="New")))
    back = await LiveClient.join(server, board, name="bob", previous=bob)
    assert back.welcome["snapshot"] is None
    assert [e["seq"] for e in back.welcome["missed"]] == [2, 3]
    assert back.elements == ada.elements and back.seq == 3
    await ada.close()
    await back.close()


async def test_a_resent_operation_is_applied_once(server: Server, board: dict) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    first, second = f"{ada.client}:tab.1", f"{ada.client}:tab.2"
    op = {"cid": first, **step("s1", text="Once")}
    await ada.send({"type": "ops", "ops": [op]})
    await ada.acked([first])
    await ada.close()
    again = await LiveClient.join(server, board, name="ada", previous=ada)  # the same browser
    await again.send({"type": "ops", "ops": [op, {"cid": second, **update("s1", x=9)}]})
    ack = await again.expect("ack")
    assert ack == {"type": "ack", "cid": first, "seq": 1, "duplicate": True}
    await again.acked([second])
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
    assert state["seq"] == 2 and len(state["elements"]) == 1
    assert not [m for m in again.inbox if m["type"] == "error"]
    await again.close()


async def test_an_operation_two_tabs_send_at_once_is_answered_in_both_when_refused(
    server: Server, board: dict
) -> None:
    # Two tabs of one browser share its unsent edits (a reload takes up the other's). Sent by
    # both at once and refused, only the first got the error: the other never heard back and
    # showed the edit, "Saving…", until it connected again.
    one = await LiveClient.join(server, board, name="ada")
    two = await LiveClient.join(server, board, name="ada", key=one.key)
    bob = await LiveClient.join(server, board, name="bob")
    cid = one.next_cid()
    op = {"cid": cid, **update("gone", text="Renamed")}
    # A busy board: while Bob's batch is applied, both tabs' frames arrive and queue together.
    await bob.ops(*(step(f"s{i}", text="Busy") for i in range(200)))
    await asyncio.gather(one.send({"type": "ops", "ops": [op]}), two.send({"type": "ops", "ops": [op]}))
    for tab in (one, two):
        refused = await tab.expect("error")
        assert refused["cid"] == cid and "no element" in refused["reason"], refused
    for client in (one, two, bob):
        await client.close()


async def test_a_viewer_sees_everything_and_changes_nothing(server: Server, board: dict) -> None:
    viewer = await LiveClient.join(server, board, role="viewer", name="vic")
    ada = await LiveClient.join(server, board, name="ada")
    await ada.acked(await ada.ops(step("s1", text="Seen")))
    await viewer.until_seq(1)
    assert viewer.elements["s1"]["text"] == "Seen"
    await viewer.ops(update("s1", text="Vandal"))
    refused = await viewer.expect("error")
    assert refused["code"] == "forbidden" and refused["reason"] == "viewers cannot change the board"
    http = server.send_ops(board, [update("s1", text="Vandal")], "viewer")
    assert http.status_code == 403
    await ada.acked(await ada.ops(update("s1", x=1)))  # the board lives on
    await viewer.until_seq(2)
    assert viewer.elements["s1"]["text"] == "Seen"
    await viewer.close()
    await ada.close()


async def test_a_bad_token_is_refused_at_the_handshake(server: Server, board: dict) -> None:
    other = server.create_board("Other")
    for url in (
        server.ws_url(board["id"], "not-a-token"),
        server.ws_url(board["id"], other["tokens"]["facilitator"]),  # a link to another board
        f"ws://127.0.0.1:{server.port}/ws/boards/{board['id']}",
    ):
        with pytest.raises(InvalidStatus) as refused:
            await connect(url)
        assert refused.value.response.status_code == 403


async def test_a_cross_site_page_cannot_open_the_socket(server: Server, board: dict) -> None:
    url = server.ws_url(board["id"], board["tokens"]["participant"])
    host = f"127.0.0.1:{server.port}"
    # Another site, and our host under another scheme or port, are other origins.
    for origin in ("https://evil.example", f"https://{host}", f"file://{host}",
                   f"http://127.0.0.1:{server.port + 1}", "null"):  # fmt: skip
        with pytest.raises(InvalidStatus) as refused:
            await connect(url, origin=origin)  # type: ignore[arg-type]
        assert refused.value.response.status_code == 403, origin
    for origin in (server.url, f"HTTP://{host}"):
        same = await connect(url, origin=origin)  # type: ignore[arg-type]
        await same.close()


@pytest.mark.parametrize(
    ("frame", "code", "reason"),
    [
        ("not json", "malformed", "not JSON we can read: the message is not JSON"),
        ("[1, 2]", "malformed", "Input should be"),
        ('{"type": "shout"}', "malformed", "does not match any of the expected tags"),
        ('{"type": "ops", "ops": [{"op": "create", "cid": "ME:1", "element": {}, "extra": 1}]}',
         "malformed", "ops.0.create.extra"),
        ('{"type": "ops", "ops": [{"op": "delete", "id": "s1"}]}', "malformed", "needs a cid"),
        ('{"type": "ops", "ops": [{"op": "update", "cid": "ME:2", "id": "s1", "set": {"wait_minutes": -3}}]}',
         "rejected", "wait_minutes cannot be negative"),
        ('{"type": "ops", "ops": [{"op": "update", "cid": "ME:3", "id": "s1", "set": {"pca": 101}}]}',
         "rejected", "pca must be between 0 and 100"),
        ('{"type": "ops", "ops": [{"op": "update", "cid": "ME:4", "id": "s1", "set": {"x": "left"}}]}',
         "rejected", "x must be a number"),
        ('{"type": "ops", "ops": [{"op": "create", "cid": "ME:5", "element": {"id": "c", "kind": "connector", "source": "s1", "target": "nope"}}]}',
         "rejected", "a connector cannot join 'nope'"),
        ('{"type": "ops", "ops": [{"op": "update", "cid": "ME:6", "id": "s1", "set": {"shape": "star"}}]}',
         "rejected", "unknown field 'shape'"),
        ('{"type": "hello", "name": "again"}', "malformed", "hello was already sent"),
    ],
)  # fmt: skip
async def test_a_malformed_message_gets_a_reason_and_the_session_lives_on(
    server: Server, board: dict, frame: str, code: str, reason: str
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    await ada.acked(await ada.ops(step("s1", text="Keep")))
    bob = await LiveClient.join(server, board, name="bob")
    await ada.send(frame.replace('"ME:', f'"{ada.client}:'))  # cids are the sender's own
    answer = await ada.expect("error")
    assert answer["code"] == code
    assert reason in answer["reason"]
    await ada.acked(await ada.ops(update("s1", text="Still here")))
    await bob.until_seq(2)
    assert bob.elements == ada.elements and bob.elements["s1"]["text"] == "Still here"
    assert not [m for m in bob.inbox if m["type"] == "error"]
    await ada.close()
    await bob.close()


async def test_an_oversized_frame_is_refused(server: Server, board: dict) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    await ada.send(json.dumps({"type": "cursor", "x": 1, "y": 2, "pad": "x" * 300_000}))
    with pytest.raises(Exception):  # noqa: B017 - uvicorn closes with 1009 (message too big)
        for _ in range(5):
            await ada.receive(timeout=2)
    again = await LiveClient.join(server, board, name="ada")  # the server is fine
    assert again.welcome["type"] == "welcome"
    await again.close()


async def test_a_script_and_a_browser_see_the_same_board(server: Server, board: dict) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    response = server.send_ops(
        board,
        [step("s1", text="From a script", wait_minutes=120, process_minutes=60),
         update("s1", pca=250)],
        "participant",
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["seq"] == 1
    assert body["results"][0]["seq"] == 1
    assert body["results"][1]["error"] == "pca must be between 0 and 100"
    await ada.until_seq(1)
    assert ada.elements["s1"]["text"] == "From a script"
    metrics = await ada.expect("metrics")
    assert metrics["metrics"]["lead_time_minutes"] == 180
    http_metrics = httpx.get(f"{server.url}/api/boards/{board['id']}/metrics",
                             params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
    # The HTTP answer adds the forecast, which the websocket sends in its own message.
    assert http_metrics.pop("forecast")["p50_minutes"] == 180
    assert http_metrics == metrics["metrics"]
    await ada.close()


async def test_everyone_sees_who_is_here_and_their_live_drags(server: Server, board: dict) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    await ada.acked(await ada.ops(step("s1")))
    bob = await LiveClient.join(server, board, name="bob")
    presence = await ada.expect("presence")
    assert sorted(p["name"] for p in presence["peers"]) == ["ada", "bob"]
    await ada.send({"type": "drag", "moves": [{"id": "s1", "x": 40, "y": 50}]})
    live = await bob.expect("transient")
    assert live["drags"][0]["moves"] == [{"id": "s1", "x": 40.0, "y": 50.0}]
    assert live["drags"][0]["peer"] == ada.welcome["you"]["peer"]
    await bob.close()
    gone = await ada.expect("presence")
    assert [p["name"] for p in gone["peers"]] == ["ada"]
    await ada.close()


def test_http_api_errors_are_clear(server: Server, board: dict) -> None:
    url = f"{server.url}/api/boards/{board['id']}"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, params={"token": "nope"}).status_code == 403
    bad = httpx.post(f"{server.url}/api/boards", json={"title": ""})
    assert bad.status_code == 422
    unknown = httpx.post(url + "/ops", params={"token": board["tokens"]["participant"]},
                         json={"ops": [{"op": "explode"}]})  # fmt: skip
    assert unknown.status_code == 422


def test_pages_send_strict_security_headers(server: Server, board: dict) -> None:
    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]})
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert board["tokens"]["viewer"] not in page.text  # the token stays in the URL only
    refused = httpx.get(f"{server.url}/b/{board['id']}", params={"token": "guess"})
    assert refused.status_code == 403 and "does not open a board" in refused.text


def test_every_page_carries_the_inline_icon_so_no_browser_asks_for_a_missing_one(
    server: Server, board: dict
) -> None:
    fay = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    api = f"{server.url}/api/boards/{board['id']}"
    server.post_ops(board, [step("s1")])
    httpx.post(f"{api}/versions", json={"label": "v1"}, headers=fay).raise_for_status()
    asked = httpx.post(f"{api}/versions/1/validation", json={"invite": ["Ada"]}, headers=fay)
    pages = {
        "home": httpx.get(f"{server.url}/"),
        "board": httpx.get(
            f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]}
        ),
        "validation": httpx.get(asked.json()["links"]["Ada"]),
        "error": httpx.get(f"{server.url}/b/{board['id']}", params={"token": "wrong"}),
    }
    for name, page in pages.items():
        assert '<link rel="icon" href="data:image/svg+xml,' in page.text, name


async def test_prometheus_metrics_count_what_happened(server: Server, board: dict) -> None:
    before = httpx.get(f"{server.url}/metrics").text
    ada = await LiveClient.join(server, board, name="ada")
    await ada.acked(await ada.ops(step("s1"), update("s1", x=1)))
    await ada.ops(update("s1", pca=500))
    await ada.expect("error")
    after = httpx.get(f"{server.url}/metrics").text

    def value(text: str, name: str) -> float:
        return float(next(ln.split()[1] for ln in text.splitlines() if ln.startswith(name + " ")))

    assert (
        value(after, "flowmap_ops_applied_total") - value(before, "flowmap_ops_applied_total") == 2
    )
    assert (
        value(after, "flowmap_ops_rejected_total") - value(before, "flowmap_ops_rejected_total")
        == 1
    )
    assert value(after, "flowmap_connections") >= 1
    assert value(after, "flowmap_broadcast_latency_seconds_count") >= 1
    # `flowmap serve` froze its start-up heap: a full collection never scans it.
    assert value(after, "flowmap_gc_frozen_objects") > 10_000
    assert 'flowmap_gc_collections_total{generation="2"}' in after
    await ada.close()


async def test_new_links_asked_for_at_one_moment_leave_one_link_for_the_role(
    server: Server, board: dict[str, Any]
) -> None:
    # Each request revoked the links it saw and added its own: on PostgreSQL, ten at one
    # moment (a double click on New link, two facilitators) left five participant links
    # that all opened the board, where a new link must replace the old one.
    url = f"{server.url}/api/boards/{board['id']}/links/participant"
    facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    async with httpx.AsyncClient(timeout=30, headers=facilitator) as client:
        made = await asyncio.gather(*(client.post(url) for _ in range(10)))
    assert [m.status_code for m in made] == [200] * 10
    tokens = [m.json()["link"].rsplit("token=", 1)[1] for m in made]
    opened = [
        t for t in tokens
        if httpx.get(f"{server.url}/api/boards/{board['id']}", params={"token": t}).status_code == 200
    ]  # fmt: skip
    assert len(opened) == 1, f"{len(opened)} of the new participant links open the board"
