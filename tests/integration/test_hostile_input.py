"""Hostile input: markup comes back as exactly the text it was, and every limit answers clearly.

The XSS corpus (tests/support: XSS_CORPUS, shared with e2e/test_xss.py) goes in
as step, note, inventory and arrow text, board title and frame fields, and a
display name; over HTTP and over the websocket it round-trips character for
character, and the server-rendered board page escapes it. The limits: frame
size, text length, elements per board, operations and live messages per second
per connection, wrong link tokens per address; each refuses with a reason and
leaves the session (and everyone else's) alive.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from markupsafe import escape
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.api.ratelimit import GUESS_BURST, LIVE_BURST, LIVE_NOTICE_SECONDS, OPS_BURST
from app.domain.fields import MAX_TEXT
from app.domain.operations import MAX_ELEMENTS
from app.protocol import MAX_FRAME_BYTES, MAX_OPS_PER_MESSAGE
from app.transport.session import HOLD_AFTER_REFUSAL
from tests.support.fuzz_client import AsyncLink, ClientModel
from tests.support.live import LiveClient, Server
from tests.support.xss import XSS_CORPUS

FRAME_FIELDS = ("scope", "customer", "trigger", "delivery", "owner")
# websockets' own default frame limit; ours must be well under it.
WEBSOCKETS_DEFAULT_MAX = 2**20


def _get(server: Server, board: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/boards/{board['id']}",
                       params={"token": board["tokens"]["viewer"]}, timeout=10)  # fmt: skip
    answer.raise_for_status()
    state: dict[str, Any] = answer.json()
    return state


def _ops(
    server: Server, board: dict[str, Any], ops: list[dict[str, Any]], role: str = "facilitator"
) -> dict[str, Any]:
    answer = httpx.post(f"{server.url}/api/boards/{board['id']}/ops",
                        params={"token": board["tokens"][role]}, json={"ops": ops}, timeout=30)  # fmt: skip
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


# ---- the XSS corpus round-trips as text ------------------------------------------------


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_markup_in_every_text_field_round_trips_exactly_over_http(
    server: Server, payload: str
) -> None:
    created = httpx.post(f"{server.url}/api/boards", json={"title": payload[:200]}, timeout=10)
    assert created.status_code == 201, created.text
    board = created.json()
    board["tokens"] = {r: link.split("token=")[1] for r, link in board["links"].items()}
    results = _ops(server, board, [
        {"op": "create", "element": {"id": "s1", "kind": "step", "text": payload}},
        {"op": "create", "element": {"id": "n1", "kind": "note", "text": payload}},
        {"op": "create", "element": {"id": "i1", "kind": "inventory", "text": payload}},
        {"op": "create", "element": {"id": "c1", "kind": "connector", "source": "s1", "target": "n1", "text": payload}},
        {"op": "board", "set": dict.fromkeys(FRAME_FIELDS, payload[:500])},
    ])["results"]  # fmt: skip
    assert [r["error"] for r in results] == [None] * 5
    state = _get(server, board)
    assert state["board"]["title"] == payload[:200]
    assert all(state["board"][f] == payload[:500] for f in FRAME_FIELDS)
    assert {e["id"]: e["text"] for e in state["elements"]} == dict.fromkeys(
        ["s1", "n1", "i1", "c1"], payload
    )

    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]})
    assert page.status_code == 200
    if any(c in payload for c in "<>\"'&"):
        assert payload[:200] not in page.text, "the title went into the page unescaped"
        assert str(escape(payload[:200])) in page.text  # as Jinja escapes it


async def test_markup_round_trips_exactly_over_the_websocket(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name=XSS_CORPUS[0][:60])
    bob = await LiveClient.join(server, board, name="bob")
    presence = await ada.expect("presence")
    assert XSS_CORPUS[0][:60] in [p["name"] for p in presence["peers"]]
    creates = [{"op": "create", "element": {"id": f"x{i}", "kind": "note", "text": p}}
               for i, p in enumerate(XSS_CORPUS)]  # fmt: skip
    seqs = await ada.acked(await ada.ops(*creates))
    await bob.until_seq(max(seqs.values()))
    assert [bob.elements[f"x{i}"]["text"] for i in range(len(XSS_CORPUS))] == XSS_CORPUS
    assert bob.elements == {e["id"]: e for e in _get(server, board)["elements"]}
    await ada.close()
    await bob.close()


# The SVG export draws text; nothing in it may become markup. Everything else is drawing.
SVG_DRAWING = {"svg", "g", "defs", "title", "desc", "text", "tspan", "rect", "path", "line",
               "circle", "ellipse", "polygon", "polyline", "marker", "filter", "feDropShadow",
               "linearGradient", "stop", "clipPath", "pattern"}  # fmt: skip


def test_the_svg_export_builds_nothing_from_markup(server: Server) -> None:
    board = server.create_board(XSS_CORPUS[0])
    _ops(server, board, [{"op": "create", "element": {"id": f"s{i}", "kind": kind, "text": p, "x": 220 * i, "y": y}}
                         for i, p in enumerate(XSS_CORPUS) for kind, y in (("step", 0), ("note", 300))])  # fmt: skip
    answer = httpx.get(f"{server.url}/api/boards/{board['id']}/export",
                       params={"token": board["tokens"]["viewer"], "format": "svg"}, timeout=60)  # fmt: skip
    assert answer.status_code == 200
    root = ElementTree.fromstring(answer.text)  # well-formed: no `]]>` or `</text>` broke out
    tags = {el.tag.rpartition("}")[2] for el in root.iter()}
    assert tags <= SVG_DRAWING, f"built from text: {tags - SVG_DRAWING}"
    attributes = [(name, value) for el in root.iter() for name, value in el.attrib.items()]
    assert not [n for n, _ in attributes if n.rpartition("}")[2].lower().startswith("on")]
    assert not [v for _, v in attributes if "javascript:" in v.lower()]
    assert XSS_CORPUS[0] in "".join(root.itertext())  # the title, as text


async def test_a_nul_character_is_refused_everywhere_and_breaks_nothing(
    server: Server, board: dict[str, Any]
) -> None:
    """PostgreSQL cannot store NUL: a name, cid or text holding one must be refused, not fail a commit."""
    created = httpx.post(f"{server.url}/api/boards", json={"title": "a\x00b"}, timeout=10)
    assert created.status_code == 422
    ws = await connect(server.ws_url(board["id"], board["tokens"]["facilitator"]), proxy=None)
    await ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "a\x00b"}))
    refused = json.loads(await ws.recv())
    assert (refused["type"], refused["code"]) == ("error", "malformed") and "name" in refused[
        "reason"
    ]
    await ws.close()
    ada = await LiveClient.join(server, board, name="ada", role="facilitator")
    bob = await LiveClient.join(server, board, name="bob")
    await ada.send(
        {
            "type": "ops",
            "ops": [{"cid": "x\x00", "op": "create", "element": {"id": "s0", "kind": "note"}}],
        }
    )
    assert (await ada.expect("error"))["code"] == "malformed"
    cids = await ada.ops({"op": "create", "element": {"id": "s1", "kind": "note", "text": "a\x00b"}},
                         {"op": "board", "set": {"title": "t\x00"}})  # fmt: skip
    reasons = [(await ada.expect("error"))["reason"] for _ in cids]
    assert reasons == [
        "text cannot contain the NUL character",
        "title cannot contain the NUL character",
    ]
    await bob.acked(
        await bob.ops({"op": "create", "element": {"id": "s2", "kind": "note", "text": "fine"}})
    )
    await ada.until_seq(bob.seq)
    assert ada.elements == bob.elements == {e["id"]: e for e in _get(server, board)["elements"]}
    assert not [m for m in ada.inbox + bob.inbox if m.get("code") == "unavailable"]
    await ada.close()
    await bob.close()


@pytest.mark.parametrize(
    "path",
    ["js/main.js%00.png", "%00", "js/%00/main.js", "a" * 5000 + ".js", "js/%ff%fe.js",
     "..%2f..%2fapp"],
)  # fmt: skip
def test_a_static_path_no_file_can_have_is_a_404_not_a_server_error(
    server: Server, path: str
) -> None:
    # A NUL in the path raised ValueError in os.path.realpath, outside the guard: a 500 and
    # a stack trace in the log for anyone, no link needed.
    answer = httpx.get(f"{server.url}/static/{path}", timeout=10)
    assert answer.status_code == 404, answer.text
    assert httpx.get(f"{server.url}/static/js/main.js", timeout=10).status_code == 200


# ---- limits with clear errors -------------------------------------------------------------


async def test_an_oversized_frame_closes_with_message_too_big(
    server: Server, board: dict[str, Any]
) -> None:
    assert MAX_FRAME_BYTES <= WEBSOCKETS_DEFAULT_MAX // 4
    ada = await LiveClient.join(server, board, name="ada")
    await ada.send(json.dumps({"type": "cursor", "x": 1, "y": 2, "pad": "x" * MAX_FRAME_BYTES}))
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await ada.receive(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    again = await LiveClient.join(server, board, name="ada")
    just_under = {"type": "ops", "ops": [{"cid": f"{again.client}:big", "op": "create", "element": {
        "id": "big", "kind": "note", "text": "y" * MAX_TEXT}}] * 1}  # fmt: skip
    await again.send(json.dumps(just_under))
    await again.acked([f"{again.client}:big"])
    await again.close()


async def test_compression_is_not_negotiated(server: Server, board: dict[str, Any]) -> None:
    ws = await connect(server.ws_url(board["id"], board["tokens"]["viewer"]), proxy=None)
    assert ws.response is not None
    assert "sec-websocket-extensions" not in {k.lower() for k in ws.response.headers}
    await ws.close()


async def test_text_over_the_limit_is_refused_with_its_length(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    [cid] = await ada.ops(
        {"op": "create", "element": {"id": "s1", "kind": "step", "text": "x" * (MAX_TEXT + 1)}}
    )
    refused = await ada.expect("error")
    assert refused == {"type": "error", "code": "rejected", "cid": cid,
                       "reason": f"text is too long ({MAX_TEXT + 1} characters; at most {MAX_TEXT})"}  # fmt: skip
    await ada.acked(
        await ada.ops(
            {"op": "create", "element": {"id": "s1", "kind": "step", "text": "x" * MAX_TEXT}}
        )
    )
    await ada.close()


async def test_an_integer_past_any_float_is_refused_by_its_cid_and_the_session_lives(
    server: Server, board: dict[str, Any]
) -> None:
    # The websocket's JSON keeps 10**400 a whole integer (HTTP's reads it as a float): a
    # figure that big failed the whole batch with an OverflowError, and every sender in it
    # was cut off with 1011 "could not save" (their pages then sent it again, and again).
    huge = 10**400
    fay = await LiveClient.join(server, board, name="fay", role="facilitator")
    bob = await LiveClient.join(server, board, name="bob")
    await fay.acked(await fay.ops({"op": "create", "element": {"id": "s1", "kind": "step"}}))
    bad = await fay.ops(
        {"op": "update", "id": "s1", "set": {"x": huge}},
        {"op": "update", "id": "s1", "set": {"wait_minutes": -huge}},
        {"op": "board", "set": {"days_per_week": huge}},
    )
    [good] = await fay.ops({"op": "update", "id": "s1", "set": {"text": "Build"}})
    refusals = [await fay.expect("error") for _ in bad]
    assert [(r["code"], r["cid"]) for r in refusals] == [("rejected", cid) for cid in bad]
    assert [r["reason"] for r in refusals] == [
        "x must be -1e+06 or more, at most 1e+06",
        "wait_minutes cannot be negative",
        "days_per_week must be 1 or more, at most 7",
    ]
    await fay.acked([good])
    await bob.until_seq(fay.seq)
    assert bob.elements["s1"]["text"] == "Build" and bob.elements["s1"]["x"] == 0
    await fay.close()
    await bob.close()


async def test_a_full_board_refuses_one_more_element(server: Server, board: dict[str, Any]) -> None:
    for start in range(0, MAX_ELEMENTS, MAX_OPS_PER_MESSAGE):
        _ops(server, board, [{"op": "create", "element": {"id": f"n{i}", "kind": "note"}}
                             for i in range(start, start + MAX_OPS_PER_MESSAGE)])  # fmt: skip
    ada = await LiveClient.join(server, board, name="ada")
    assert len(ada.elements) == MAX_ELEMENTS
    [cid] = await ada.ops({"op": "create", "element": {"id": "one-more", "kind": "note"}})
    refused = await ada.expect("error", timeout=15)
    assert (refused["code"], refused["cid"]) == ("rejected", cid)
    assert refused["reason"] == f"the board is full ({MAX_ELEMENTS} elements)"
    await ada.acked(await ada.ops({"op": "delete", "id": "n0"}))  # the session goes on
    await ada.close()


async def test_an_operation_flood_is_refused_with_a_reason_and_the_session_lives(
    server: Server, board: dict[str, Any]
) -> None:
    url = server.ws_url(board["id"], board["tokens"]["participant"])
    ada = await AsyncLink.open(url, ClientModel("ada"))  # reads all it is sent, as a browser does
    bob = await LiveClient.join(server, board, name="bob")
    await ada.send_ops(
        [ada.model.new_op({"op": "create", "element": {"id": "s1", "kind": "step"}})]
    )
    flood = int(OPS_BURST // MAX_OPS_PER_MESSAGE) + 2  # messages: more than the burst allows
    messages: list[list[str]] = []
    for n in range(flood):
        ops = [ada.model.new_op({"op": "update", "id": "s1", "set": {"x": n * 1000 + i}})
               for i in range(MAX_OPS_PER_MESSAGE)]  # fmt: skip
        await ada.send_ops(ops)
        messages.append([op["cid"] for op in ops])
    await ada.until(ada.model.settled, 15)
    refused = ada.model.refused
    fates = [{cid in refused for cid in cids} for cids in messages]
    assert all(len(fate) == 1 for fate in fates), "a message is stored or refused whole"
    whole = int((OPS_BURST - 1) // MAX_OPS_PER_MESSAGE)  # what the burst holds after the create
    assert fates[:whole] == [{False}] * whole, "a burst passes"
    assert {True} in fates, "a flood is cut"
    assert {e["code"] for e in ada.model.errors} == {"rate_limited"}
    reason = next(iter(refused.values()))
    assert "too many edits" in reason and "not saved" in reason
    await ada.ws.send(json.dumps({"type": "ping", "t": 7}))
    await ada.until(lambda: ada.model.pongs == [7], 5)  # the connection lives on
    # The budget refills with time: that is what is tested (after the hold a refusal for
    # the rate puts on the connection's next ops, so none overtakes the refused ones).
    await asyncio.sleep(HOLD_AFTER_REFUSAL + 0.2)
    later = ada.model.new_op({"op": "update", "id": "s1", "set": {"text": "later"}})
    await ada.send_ops([later])
    await ada.until(ada.model.settled, 10)
    assert later["cid"] in ada.model.acked
    await bob.until_seq(ada.model.board.seq)
    assert bob.elements == ada.model.board.elements  # bob saw only what was stored
    await ada.close()
    await bob.close()


async def test_drags_at_60_hz_pass_and_a_drag_flood_is_bounded(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="ada")
    bob = await LiveClient.join(server, board, name="bob")
    await ada.acked(await ada.ops({"op": "create", "element": {"id": "s1", "kind": "step"}}))
    for i in range(60):  # one second of a 60 Hz drag, with the cursor alongside
        await ada.send({"type": "drag", "moves": [{"id": "s1", "x": i, "y": i}]})
        await ada.send({"type": "cursor", "x": i, "y": i})
        await asyncio.sleep(1 / 60)
    await ada.send({"type": "ping", "t": 1})
    await ada.expect("pong")
    assert not [m for m in ada.inbox if m["type"] == "error"], "a normal drag was refused"
    flood = int(LIVE_BURST) * 3
    started = asyncio.get_running_loop().time()
    for i in range(flood):
        await ada.send({"type": "drag", "moves": [{"id": "s1", "x": i, "y": 0}]})
    await ada.acked(await ada.ops({"op": "update", "id": "s1", "set": {"x": 5}}))  # ops unaffected
    notices = [m for m in ada.inbox if m["type"] == "error"]
    flooding = asyncio.get_running_loop().time() - started
    assert 1 <= len(notices) <= 1 + flooding / LIVE_NOTICE_SECONDS, notices  # one a second at most
    assert {m["code"] for m in notices} == {"rate_limited"}
    assert "too many live messages" in notices[0]["reason"]
    await bob.until_seq(ada.seq)
    await ada.close()
    await bob.close()


# ---- link guessing ------------------------------------------------------------------------


@pytest.fixture
def guess_server(tmp_path: Path) -> Iterator[Server]:
    """Its own server: the test spends this address's guessing budget."""
    # One guess back a minute: the lockout holds for as long as the test looks at it
    # (at the default 0.5 a second, a slow machine saw a try come back mid-test).
    srv = Server(
        f"sqlite:///{tmp_path / 'guess.db'}", tmp_path / "server.log",
        env={"FLOWMAP_GUESS_PER_SECOND": str(1 / 60)},
    )  # fmt: skip
    srv.start()
    yield srv
    srv.stop()


async def test_wrong_guesses_are_throttled_and_right_tokens_still_open_the_board(
    guess_server: Server,
) -> None:
    server = guess_server
    board = server.create_board("Guess me")
    url = f"{server.url}/api/boards/{board['id']}"
    assert httpx.get(url).status_code == 401  # no token: not a guess, not counted
    for n in range(int(GUESS_BURST)):
        assert httpx.get(url, params={"token": f"guess-{n}"}).status_code == 403
    blocked = httpx.get(url, params={"token": "guess-again"})
    assert blocked.status_code == 429
    assert "too many wrong link tokens" in blocked.json()["detail"]
    # A guess back a minute, less what the burst took: it says how long to wait.
    assert 30 <= int(blocked.headers["retry-after"]) <= 60
    # Everyone else behind the same address (one office, one NAT) still gets in.
    right = board["tokens"]["viewer"]
    assert httpx.get(url, params={"token": right}).status_code == 200
    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": right})
    assert page.status_code == 200
    live = await connect(server.ws_url(board["id"], right), proxy=None)
    await live.close()
    with pytest.raises(InvalidStatus) as refused:
        await connect(server.ws_url(board["id"], "guess-on-the-socket"), proxy=None)
    assert refused.value.response.status_code == 429
    assert b"too many wrong link tokens" in refused.value.response.body
    # Another "client address" in X-Forwarded-For is not believed from an unlisted proxy.
    spoofed = httpx.get(url, params={"token": "guess-x"}, headers={"X-Forwarded-For": "10.9.8.7"})
    assert spoofed.status_code == 429
    # That the lockout ends with time is tests/unit/test_ratelimit.py's, on a clock of its own.
