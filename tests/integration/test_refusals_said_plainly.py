"""Refusals say what is wrong in the API user's words, and never hand back unbounded input.

A lone UTF-16 surrogate in a hello was refused with the parser's "unexpected end of hex
escape"; a validation link asked for an unknown 3,000-character name answered with all
3,000 characters; a too-long title came back whole in the 422's `input`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.support.live import LiveClient, Server

LONG = "N" * 3000
# Enough to say what was wrong and quote a short excerpt; far less than what was sent.
BOUNDED = 400


def _create(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": kind, **fields}}


async def _first_answer(server: Server, board: dict[str, Any], frame: str) -> dict[str, Any]:
    async with connect(server.ws_url(board["id"], board["tokens"]["participant"])) as ws:
        await ws.send(frame)
        answer: dict[str, Any] = json.loads(await ws.recv())
        return answer


async def test_a_lone_surrogate_in_a_hello_is_named_as_such(
    server: Server, board: dict[str, Any]
) -> None:
    hello = '{"type": "hello", "protocol": 1, "name": "Ada\\ud800"}'
    answer = await _first_answer(server, board, hello)
    assert answer["type"] == "error" and answer["code"] == "malformed"
    assert "lone UTF-16 surrogate (\\ud800)" in answer["reason"], answer
    assert "hex escape" not in answer["reason"]


async def test_malformed_websocket_json_is_said_in_words_and_not_echoed(
    server: Server, board: dict[str, Any]
) -> None:
    frames = {
        "cut short": '{"type": "hello", "name": "' + LONG,
        "raw control character": '{"type": "hello", "name": "a\tb"}',
        "unknown escape": '{"type": "hello", "name": "\\q"}',
        "trailing comma": '{"type": "hello", "protocol": 1,}',
        "not json": LONG,
    }
    words = {
        "cut short": "ends too soon",
        "raw control character": "control character",
        "unknown escape": "backslash escape",
        "trailing comma": "comma",
        "not json": "not JSON",
    }
    for name, frame in frames.items():
        answer = await _first_answer(server, board, frame)
        assert answer["code"] == "malformed", (name, answer)
        assert words[name] in answer["reason"], (name, answer["reason"])
        assert "Invalid JSON" not in answer["reason"], (name, answer["reason"])
        assert len(answer["reason"]) < BOUNDED, name


async def test_a_made_up_key_is_not_echoed_whole_over_the_websocket(
    server: Server, board: dict[str, Any]
) -> None:
    hello = json.dumps({"type": "hello", "protocol": 1, "name": "Ada", LONG: 1})
    answer = await _first_answer(server, board, hello)
    assert answer["code"] == "malformed"
    assert "3,000 characters" in answer["reason"] and len(answer["reason"]) < BOUNDED


async def test_an_edit_naming_a_long_unknown_field_is_refused_in_short(
    server: Server, board: dict[str, Any]
) -> None:
    server.post_ops(board, [_create("step", "s1", text="Review")])
    ada = await LiveClient.join(server, board, name="Ada")
    (cid,) = await ada.ops({"op": "update", "id": "s1", "set": {LONG: 1}})
    refused = await ada.expect("error")
    assert refused["cid"] == cid, refused
    assert "3,000 characters" in refused["reason"] and len(refused["reason"]) < BOUNDED
    await ada.close()


def test_a_lone_surrogate_in_an_http_body_is_named_and_the_body_not_kept(
    server: Server, board: dict[str, Any]
) -> None:
    answer = httpx.post(f"{server.url}/api/boards", content=b'{"title": "x\\ud800"}',
                        headers={"content-type": "application/json"}, timeout=10)  # fmt: skip
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem["type"] == "json_invalid"
    assert "lone UTF-16 surrogate (\\ud800)" in problem["msg"], problem


def test_a_value_too_long_is_not_handed_back_whole(server: Server) -> None:
    answer = httpx.post(f"{server.url}/api/boards", json={"title": LONG}, timeout=10)
    assert answer.status_code == 422
    assert LONG[:100] not in answer.text and "3,000 characters" in answer.text
    missing = httpx.post(f"{server.url}/api/boards", json={"scope": LONG}, timeout=10)
    assert missing.status_code == 422 and LONG[:100] not in missing.text, missing.text


def test_a_validation_link_for_an_unknown_long_name_answers_in_short(
    server: Server, board: dict[str, Any]
) -> None:
    api = f"{server.url}/api/boards/{board['id']}"
    fay = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    server.post_ops(board, [_create("step", "s1", text="Review")])
    assert httpx.post(f"{api}/versions", json={"label": "v1"}, headers=fay).status_code == 201
    asked = httpx.post(f"{api}/versions/1/validation", json={"invite": ["Ada"]}, headers=fay)
    assert asked.status_code == 201
    answer = httpx.post(f"{api}/versions/1/validation/people/{LONG}/link", json={}, headers=fay)
    assert answer.status_code == 404
    detail = answer.json()["detail"]
    assert "is not asked to validate version 1" in detail and "3,000 characters" in detail
    assert len(detail) < BOUNDED
