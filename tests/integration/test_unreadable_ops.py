"""An ops message the server cannot take as it came is still answered op by op, by cid.

A browser keeps an op pending until the server answers its cid. A frame refused
whole with `cid: null` (a name holding a lone UTF-16 surrogate: JavaScript
strings allow one, strict JSON parsers do not) left the op pending for ever,
re-sent on every reconnect. Now each op is answered: refused by its cid when it
is the one that cannot be read, applied when it reads on its own.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.protocol import MAX_OPS_PER_MESSAGE
from tests.support.live import LiveClient, Server


def step(sid: str, text: str) -> dict[str, Any]:
    return {"op": "create", "element": {"id": sid, "kind": "step", "text": text}}


async def test_an_op_with_a_lone_surrogate_is_refused_by_its_cid_and_the_others_are_applied(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    bob = await LiveClient.join(server, board, name="bob")
    ops = [{"cid": ada.next_cid(), **step(f"s{i}", text)}
           for i, text in enumerate(["Plan", "Broken \ud83d paste", "Ship"])]  # fmt: skip
    await ada.send(json.dumps({"type": "ops", "ops": ops}))  # JSON.stringify writes it so too
    refused = await ada.expect("error")
    assert (refused["code"], refused["cid"]) == ("malformed", ops[1]["cid"])
    assert "broken character" in refused["reason"]
    await ada.acked([ops[0]["cid"], ops[2]["cid"]])
    await bob.until_seq(ada.seq)
    assert sorted(bob.elements) == sorted(ada.elements) == ["s0", "s2"]
    assert not [m for m in ada.inbox if m["type"] == "error" and m["cid"] is None]
    await ada.close()
    await bob.close()


@pytest.mark.parametrize("broken", [False, True], ids=["readable", "one-op-unreadable"])
async def test_a_message_refused_whole_is_answered_for_each_of_its_cids(
    server: Server, board: dict[str, Any], broken: bool
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    ops = [{"cid": ada.next_cid(), **step(f"s{i}", "x")} for i in range(MAX_OPS_PER_MESSAGE + 1)]
    if broken:  # the others read, but are still too many for one message
        ops[7]["element"]["text"] = "\udc00"
    await ada.send(json.dumps({"type": "ops", "ops": ops}))
    answers = [await ada.expect("error") for _ in ops]
    assert [a["cid"] for a in answers] == [op["cid"] for op in ops]
    assert {a["code"] for a in answers} == {"too_large"}
    assert ada.seq == 0 and not ada.elements, "nothing of it applied"
    await ada.close()


async def test_a_frame_that_is_not_json_is_still_refused_without_a_cid(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    await ada.send('{"type": "ops", "ops": [{"cid": "' + ada.client + ':1", "op": "delete"')
    refused = await ada.expect("error")
    assert (refused["code"], refused["cid"]) == ("malformed", None)
    await ada.acked(await ada.ops(step("s1", "Still here")))
    await ada.close()


async def test_a_frame_of_thousands_of_bare_cids_gets_one_answer_not_thousands(
    server: Server, board: dict[str, Any]
) -> None:
    # 240 KB of [{"cid": "x"}] * 20,000 drew 20,000 error frames (2.9 MB), every time:
    # per-cid answers are for messages a client could have meant (up to twice the most
    # a message may hold), and each costs the connection's live budget.
    ada = await LiveClient.join(server, board, name="ada")
    await ada.send(json.dumps({"type": "ops", "ops": [{"cid": "x"}] * 18_000}))  # 252 KB
    await ada.send(json.dumps({"type": "ping", "t": 1}))
    await ada.expect("pong")
    errors = [m for m in ada.inbox if m["type"] == "error"]
    assert len(errors) == 1 and errors[0]["cid"] is None, errors[:3]
    await ada.close()
