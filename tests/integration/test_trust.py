"""A hostile or buggy participant cannot drop, forge or claim anyone else's work (issue 16).

The participant link is shared by the whole workshop, so everything here is done
with it by somebody who sees every frame the others see: their cids in `ops`,
their client ids in presence.
"""

from __future__ import annotations

import json
import random
import secrets
from typing import Any

import httpx
from websockets.asyncio.client import connect

from app.hub.identity import client_of
from tests.support.live import LiveClient, Server


def _create(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": kind, **fields}}


async def test_nobody_can_spend_another_persons_operation_ids(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="Ada")
    mallory = await LiveClient.join(server, board, name="Mallory")
    await ada.acked(await ada.ops(_create("step", "s1", text="Build")))
    # Mallory read Ada's last cid in an `ops` frame and claims her next ten, on the socket ...
    stolen = [f"{ada.client}:{ada.counter + n}" for n in range(1, 11)]
    await mallory.send({"type": "ops", "ops": [
        {"cid": cid, "op": "update", "id": "s1", "set": {"x": 1}} for cid in stolen[:5]
    ]})  # fmt: skip
    for _ in range(5):
        refused = await mallory.expect("error")
        assert refused["code"] == "forbidden" and "your client id" in refused["reason"]
    # ... and over HTTP, with the same link.
    answer = server.send_ops(
        board,
        [{"cid": cid, "op": "update", "id": "s1", "set": {"y": 2}} for cid in stolen[5:]],
        "participant",
    )
    assert answer.status_code == 200
    assert [r["cid"] for r in answer.json()["results"]] == stolen[5:]  # its own cids, scoped
    # Every one of Ada's next edits still reaches the board: none is a "duplicate".
    cids = [await ada.ops({"op": "update", "id": "s1", "set": {"text": f"Build {n}"}})
            for n in range(10)]  # fmt: skip
    seqs = await ada.acked([c for batch in cids for c in batch])
    assert sorted(c for batch in cids for c in batch) == sorted(seqs)
    assert not [m for m in ada.inbox if m["type"] == "ack" and m.get("duplicate")]
    await mallory.until_seq(ada.seq)
    assert mallory.elements["s1"]["text"] == "Build 9"
    for client in (ada, mallory):
        await client.close()


async def test_a_declared_client_id_forges_no_comment_estimate_or_dot(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await LiveClient.join(server, board, role="facilitator", name="Fay")
    ada = await LiveClient.join(server, board, name="Ada")
    await fay.acked(await fay.ops(_create("step", "s1", text="Review"),
                                  _create("vote", "v1", text="Which first?", dots=1)))  # fmt: skip
    await ada.acked(await ada.ops(
        _create("comment", "c1", target="s1", text="Why a week?"),
        _create("estimate", "e1", target="s1", field="wait_minutes", minutes=480),
        _create("dot", "d1", vote="v1", target="s1"),
    ))  # fmt: skip
    # Mallory copies Ada's client id from presence and declares it, as older pages did.
    ws = await connect(server.ws_url(board["id"], board["tokens"]["participant"]))
    mallory = LiveClient(ws, "Mallory")
    await mallory.send({"type": "hello", "protocol": 1, "name": "Ada", "client": ada.client})
    mallory.welcome = await mallory.expect("welcome")
    mallory.apply_welcome(mallory.welcome)
    assert mallory.client != ada.client
    await mallory.ops(
        {"op": "update", "id": "c1", "set": {"text": "hijacked"}},
        {"op": "update", "id": "e1", "set": {"minutes": 1}},
        {"op": "delete", "id": "d1"},
        {"op": "delete", "id": "e1"},  # was applied: an estimate could be deleted by anyone
        {"op": "delete", "id": "c1"},
    )
    reasons = [(await mallory.expect("error"))["reason"] for _ in range(5)]
    assert reasons == ["only Ada can change this comment", "only Ada can change this estimate",
                       "only Ada can take back this dot", "only Ada can delete this estimate",
                       "only Ada can delete this comment"]  # fmt: skip
    state = httpx.get(server.url + f"/api/boards/{board['id']}",
                      headers={"Authorization": f"Bearer {board['tokens']['viewer']}"}).json()  # fmt: skip
    assert {"c1", "e1", "d1"} <= {e["id"] for e in state["elements"]}
    # The facilitator moderates: a comment or an estimate may go.
    await fay.acked(await fay.ops({"op": "delete", "id": "e1"}, {"op": "delete", "id": "c1"}))
    # A key that is not Ada's proves another identity, whatever it declares.
    assert client_of(secrets.token_urlsafe(16)) != ada.client
    for client in (fay, ada, mallory):
        await client.close()


async def test_a_name_that_draws_nothing_is_refused_and_the_hello_may_be_sent_again(
    server: Server, board: dict[str, Any]
) -> None:
    # Hangul fillers and the blank Braille pattern are letters and symbols to Unicode but
    # draw nothing: they joined as a blank name, the usual way to edit and comment unseen.
    fay = await LiveClient.join(server, board, role="facilitator", name="Fay")
    ws = await connect(server.ws_url(board["id"], board["tokens"]["participant"]))
    mallory = LiveClient(ws, "Mallory")
    for blank in ("\u3164", "\u2800\u2800", "\u115f\u1160", "\uffa0", "\u0301\u034f"):
        await mallory.send({"type": "hello", "protocol": 1, "name": blank})
        refused = await mallory.expect("error")
        assert (refused["code"], refused["cid"]) == ("malformed", None)
        assert "a name needs a letter or a digit others can see" in refused["reason"]
    await mallory.send({"type": "hello", "protocol": 1, "name": "\u3164Mal\u2800lory"})
    mallory.welcome = await mallory.expect("welcome")
    assert mallory.welcome["you"]["name"] == "Mallory"
    names: list[str] = []
    while len(names) < 2:  # Fay's own join comes first
        names = sorted(p["name"] for p in (await fay.expect("presence"))["peers"])
    assert names == ["Fay", "Mallory"]
    for client in (fay, mallory):
        await client.close()


async def test_http_callers_are_authors_of_their_own(server: Server, board: dict[str, Any]) -> None:
    url = f"{server.url}/api/boards/{board['id']}/ops"
    participant = {"Authorization": f"Bearer {board['tokens']['participant']}"}
    server.post_ops(board, [_create("step", "s1", text="Review")])
    key = secrets.token_urlsafe(16)
    made = httpx.post(url, json={"ops": [_create("comment", "c1", target="s1", text="Mine")]},
                      headers=participant | {"X-Flowmap-Key": key})  # fmt: skip
    assert made.json()["results"][0]["error"] is None
    # The same link without the key is another author: it cannot change that comment.
    other = httpx.post(url, json={"ops": [{"op": "update", "id": "c1", "set": {"text": "x"}}]},
                       headers=participant)  # fmt: skip
    assert "can change this comment" in other.json()["results"][0]["error"]
    # With the key it can, and the comment's author id is the one the key proves.
    mine = httpx.post(url, json={"ops": [{"op": "update", "id": "c1", "set": {"text": "Still"}}]},
                      headers=participant | {"X-Flowmap-Key": key})  # fmt: skip
    assert mine.json()["results"][0]["error"] is None
    state = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=participant).json()
    comment = next(e for e in state["elements"] if e["id"] == "c1")
    assert comment["author_id"] == client_of(key) and comment["text"] == "Still"
    bad = httpx.post(url, json={"ops": [_create("step", "s2")]},
                     headers=participant | {"X-Flowmap-Key": "short"})  # fmt: skip
    assert bad.status_code == 422


async def test_a_hostile_client_fuzzing_ids_and_texts_loses_no_honest_edit(
    server: Server, board: dict[str, Any]
) -> None:
    honest = [await LiveClient.join(server, board, name=f"H{i}") for i in range(3)]
    ws = await connect(server.ws_url(board["id"], board["tokens"]["participant"]))
    rng = random.Random(16)
    await ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Fuzz",
                              "client": honest[0].client}))  # fmt: skip
    acked: dict[str, str] = {}  # element id -> the text its honest author last had acknowledged
    for round_ in range(30):
        for n, person in enumerate(honest):
            element = f"s-{n}-{round_ % 5}"
            text = f"{person.name} round {round_}"
            op = (_create("step", element, text=text) if round_ < 5
                  else {"op": "update", "id": element, "set": {"text": text}})  # fmt: skip
            cids = await person.ops(op)
            await person.acked(cids, timeout=10)
            acked[element] = text
        victim = rng.choice(honest)
        junk = [
            {"cid": f"{victim.client}:{victim.counter + rng.randint(1, 3)}", "op": "update",
             "id": rng.choice(list(acked)), "set": {"text": "fuzz\ud800" if rng.random() < 0.3 else "fuzz"}},
            {"cid": rng.choice(["x", victim.client, f"{victim.client}:", "🙂" * 10]),
             "op": "delete", "id": rng.choice(list(acked))},
            {"cid": f"{victim.client}:{rng.random()}", "op": "create",
             "element": {"id": f"s-{rng.randint(0, 2)}-{rng.randint(0, 4)}", "kind": "step"}},
        ]  # fmt: skip
        await ws.send(json.dumps({"type": "ops", "ops": junk}))
    watcher = await LiveClient.join(server, board, role="viewer", name="Watcher")
    for element, text in acked.items():
        assert watcher.elements[element]["text"] == text, element
    for person in [*honest, watcher]:
        await person.close()
    await ws.close()


# ---- text that cannot be stored: refused at the door, by every route ----------------------

LONE = '"x\\ud800"'  # JSON for a string holding a lone surrogate: it has no UTF-8 form


def _raw(url: str, body: str, token: str | None = None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)


def _board_count(server: Server) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM boards")).scalar_one())
    finally:
        engine.dispose()


async def test_a_lone_surrogate_is_a_422_on_every_route_and_stops_nobody(
    server: Server, board: dict[str, Any]
) -> None:
    api, fay = f"{server.url}/api", board["tokens"]["facilitator"]
    server.post_ops(board, [_create("step", "s1", text="Review")])
    version = httpx.post(f"{api}/boards/{board['id']}/versions", json={"label": "v1"},
                         headers={"Authorization": f"Bearer {fay}"})  # fmt: skip
    assert version.status_code == 201, version.text
    asked = httpx.post(f"{api}/boards/{board['id']}/versions/1/validation",
                       json={"invite": ["Ada"]}, headers={"Authorization": f"Bearer {fay}"})  # fmt: skip
    assert asked.status_code == 201, asked.text
    check = asked.json()["links"]["Ada"].rstrip("/").rsplit("/", 1)[1]
    boards_before = _board_count(server)
    attempts = {
        "create board": _raw(f"{api}/boards", f'{{"title": {LONE}}}'),
        "import": _raw(
            f"{api}/boards/import",
            '{"format": "flowmap-board", "version": 1, '
            f'"board": {{"title": {LONE}}}, "elements": []}}',
        ),  # fmt: skip
        "import element": _raw(
            f"{api}/boards/import",
            '{"format": "flowmap-board", "version": 1,'
            ' "board": {"title": "t"}, "elements": [{"id": "s1", '
            f'"kind": "step", "text": {LONE}}}]}}',
            fay,
        ),  # fmt: skip
        "version label": _raw(f"{api}/boards/{board['id']}/versions", f'{{"label": {LONE}}}', fay),
        "invite": _raw(
            f"{api}/boards/{board['id']}/versions/1/validation", f'{{"invite": [{LONE}]}}', fay
        ),  # fmt: skip
        "verdicts": _raw(
            f"{api}/validation/{check}/verdicts",
            '{"name": "Ada", "verdicts": '
            f'[{{"step": "s1", "verdict": "dispute", "comment": {LONE}}}]}}',
        ),
        "sign-off": _raw(f"{api}/validation/{check}/sign-off", f'{{"name": {LONE}}}'),
        "op text": _raw(
            f"{api}/boards/{board['id']}/ops",
            f'{{"ops": [{{"op": "update", "id": "s1", "set": {{"text": {LONE}}}}}]}}',
            fay,
        ),  # fmt: skip
        "op cid": _raw(
            f"{api}/boards/{board['id']}/ops",
            f'{{"ops": [{{"cid": {LONE}, "op": "update", "id": "s1", "set": {{"x": 1}}}}]}}',
            fay,
        ),  # fmt: skip
        "nul": _raw(
            f"{api}/boards/{board['id']}/ops",
            '{"ops": [{"op": "update", "id": "s1", "set": {"text": "a\\u0000"}}]}',
            fay,
        ),  # fmt: skip
    }
    statuses = {name: answer.status_code for name, answer in attempts.items()}
    assert statuses == dict.fromkeys(attempts, 422), statuses
    assert all("detail" in answer.json() for answer in attempts.values())
    assert _board_count(server) == boards_before, "a refused import or board left a row behind"
    # The board takes everyone's edits as before, over HTTP and the websocket.
    server.post_ops(board, [{"op": "update", "id": "s1", "set": {"text": "Review ✓"}}])
    ada = await LiveClient.join(server, board, name="Ada")
    await ada.acked(await ada.ops({"op": "update", "id": "s1", "set": {"x": 40}}))
    assert ada.elements["s1"]["text"] == "Review ✓"
    await ada.close()


def test_import_fields_are_type_checked(server: Server) -> None:
    body = {"format": "flowmap-board", "version": True, "board": {"title": "t"}, "elements": []}
    answer = httpx.post(f"{server.url}/api/boards/import", json=body, timeout=10)
    assert answer.status_code == 422 and "version" in answer.text
