"""A right-to-left override left open in anyone's text never reverses the map's own words.

A participant named a step "\u202eReview": the constraint's reason, "‮Review: work waits
5d for 1h of work — 91% of lead time", read backwards after the name for everyone, on
the canvas, in the exports and on the validation page. Every door where text comes in
refuses it with a reason, and nothing changes.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import LiveClient, Server

RLO = "\u202e"


def test_an_open_override_is_refused_in_ops_and_nothing_changes(
    server: Server, board: dict[str, Any]
) -> None:
    server.post_ops(
        board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}]
    )
    answer = server.send_ops(board, [
        {"op": "create", "element": {"id": "s2", "kind": "step", "text": f"{RLO}Review"}},
        {"op": "update", "id": "s1", "set": {"text": f"Plan {RLO}later"}},
        {"op": "create", "element": {"id": "n1", "kind": "note", "text": f"{RLO}why"}},
        {"op": "board", "set": {"scope": f"{RLO}from order"}},
        {"op": "board", "set": {"timer_seconds": 60, "timer_label": f"{RLO}wait times"}},
    ], role="facilitator")  # fmt: skip
    assert answer.status_code == 200
    errors = [r["error"] for r in answer.json()["results"]]
    assert all(e and "writing direction" in e for e in errors), errors
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}, timeout=10).json()  # fmt: skip
    assert [(e["id"], e["text"]) for e in state["elements"]] == [("s1", "Plan")]
    assert state["board"]["scope"] == ""


def test_a_closed_override_and_right_to_left_names_are_kept_exactly(
    server: Server, board: dict[str, Any]
) -> None:
    kept = f"{RLO}Review\u202c · مراجعة"
    server.post_ops(
        board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": kept}}]
    )
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}, timeout=10).json()  # fmt: skip
    assert state["elements"][0]["text"] == kept


def test_a_board_a_version_and_a_verdict_refuse_an_open_override(server: Server) -> None:
    made = httpx.post(f"{server.url}/api/boards", json={"title": f"{RLO}Order to cash"}, timeout=10)
    assert made.status_code == 422 and "writing direction" in made.text
    board = server.create_board("Order to cash")
    server.post_ops(
        board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}]
    )
    fac = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    base = f"{server.url}/api/boards/{board['id']}"
    refused = httpx.post(f"{base}/versions", json={"label": f"{RLO}v1"}, headers=fac, timeout=30)
    assert refused.status_code == 422 and "writing direction" in refused.text
    published = httpx.post(f"{base}/versions", json={"label": "v1"}, headers=fac, timeout=30)
    number = published.json()["number"]
    asked = httpx.post(f"{base}/versions/{number}/validation", json={"invite": ["Ada"]},
                       headers=fac, timeout=30).json()  # fmt: skip
    token = asked["links"]["Ada"].rsplit("/", 1)[1].split("?")[0]
    verdict = {"step": "s1", "verdict": "dispute", "comment": f"{RLO}too slow"}
    answer = httpx.post(f"{server.url}/api/validation/{token}/verdicts",
                        json={"verdicts": [verdict]}, timeout=30)  # fmt: skip
    assert answer.status_code == 422 and "writing direction" in answer.text
    mine = httpx.get(f"{server.url}/api/validation/{token}", timeout=30).json()["me"]
    assert mine["verdicts"] == {}


async def test_over_the_websocket_the_refusal_names_the_op_and_the_session_lives(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="Ada")
    [cid] = await ada.ops(
        {"op": "create", "element": {"id": "s9", "kind": "step", "text": f"{RLO}x"}}
    )
    while True:
        message = await ada.receive()
        if message["type"] == "error":
            break
    assert message["cid"] == cid and "writing direction" in message["reason"]
    [ok] = await ada.ops({"op": "create", "element": {"id": "s9", "kind": "step", "text": "x"}})
    await ada.acked([ok])
    await ada.close()
