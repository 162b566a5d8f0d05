"""The workshop toolkit through the real server and websockets: who did what, who may."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.hub.identity import client_of
from tests.support.live import LiveClient, Server
from tests.support.servers import WITH_ASGI

# Also through ASGI: the session must behave the same under any server.
SERVERS = WITH_ASGI


async def join(server: Server, board: dict[str, Any], role: str, name: str) -> LiveClient:
    client = await LiveClient.join(server, board, role=role, name=name)
    return client


async def hello_as(
    server: Server, board: dict[str, Any], role: str, name: str, key: str
) -> LiveClient:
    """Join with a browser's identity key in the hello, as the page does."""
    return await LiveClient.join(server, board, role=role, name=name, key=key)


# Identity keys of a few browsers (hub/identity.py): the server derives their client ids.
ADA, BOB, FAY = ("a" * 22, "b" * 22, "f" * 22)


def create(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": kind, **fields}}


async def test_authors_are_stamped_by_the_server_and_only_authors_change_their_things(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    bob = await hello_as(server, board, "participant", "Bob", BOB)
    assert {p["client"] for p in bob.welcome["peers"]} == {client_of(ADA), client_of(BOB)}
    seqs = await ada.acked(await ada.ops(
        create("step", "s1", text="Ship"),
        create("comment", "c1", target="s1", text="Why a week?"),
        create("estimate", "e1", target="s1", field="wait_minutes", minutes=480),
    ))  # fmt: skip
    await bob.until_seq(max(seqs.values()))
    comment = bob.elements["c1"]
    assert (comment["author"], comment["author_id"]) == ("Ada", client_of(ADA))
    assert comment["at"].endswith("Z")

    await bob.ops({"op": "update", "id": "c1", "set": {"text": "hijacked"}})
    refused = await bob.expect("error")
    assert refused["code"] == "rejected" and refused["reason"] == "only Ada can change this comment"
    # The same browser reconnecting is still the author.
    await ada.close()
    again = await hello_as(server, board, "participant", "Ada", ADA)
    again.counter = ada.counter  # a new page load keeps no counter; its cids must stay new
    await again.acked(
        await again.ops({"op": "update", "id": "c1", "set": {"text": "Why, really?"}})
    )

    # Provenance of a typed figure names who typed it.
    await bob.acked(await bob.ops({"op": "update", "id": "s1", "set": {"process_minutes": 60}}))
    state = httpx.get(
        f"{server.url}/api/boards/{board['id']}", params={"token": board["tokens"]["viewer"]}
    ).json()
    ship = next(e for e in state["elements"] if e["id"] == "s1")
    assert ship["provenance"]["process_minutes"]["by"] == "Bob"
    assert ship["provenance"]["process_minutes"]["source"] == "typed"
    for client in (again, bob):
        await client.close()


async def test_a_locked_board_refuses_participants_but_not_the_facilitator(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await join(server, board, "facilitator", "Fay")
    ada = await join(server, board, "participant", "Ada")
    await fay.acked(await fay.ops({"op": "board", "set": {"locked": True}}))
    await ada.ops(create("step", "s1"))
    refused = await ada.expect("error")
    assert refused["code"] == "forbidden"
    assert refused["reason"] == "the facilitator has paused editing for now"
    await fay.acked(await fay.ops(create("step", "s2", text="Facilitator still edits")))
    # A participant's drag goes nowhere while editing is paused (its drop would be refused;
    # everyone saw the box move all the same); the pointer still moves.
    await ada.send({"type": "drag", "moves": [{"id": "s2", "x": 40, "y": 50}]})
    await ada.send({"type": "cursor", "x": 7, "y": 8})
    while True:
        live = await fay.expect("transient")
        assert not live["drags"], live
        if any(c["x"] == 7 for c in live["cursors"]):
            break
    # And a drag off the canvas is malformed, locked or not (1e308 went to every peer).
    await ada.send({"type": "drag", "moves": [{"id": "s2", "x": 1e308, "y": 0}]})
    assert (await ada.expect("error"))["code"] == "malformed"
    await fay.acked(await fay.ops({"op": "board", "set": {"locked": False, "timer_seconds": 300}}))
    await ada.send({"type": "drag", "moves": [{"id": "s2", "x": 40, "y": 50}]})
    while not (live := await fay.expect("transient"))["drags"]:
        pass
    assert live["drags"][0]["moves"] == [{"id": "s2", "x": 40.0, "y": 50.0}]
    await ada.acked(await ada.ops(create("step", "s3")))
    await ada.until_seq(fay.seq)
    assert "s1" not in ada.elements and {"s2", "s3"} <= set(ada.elements)
    timer = httpx.get(
        f"{server.url}/api/boards/{board['id']}", params={"token": board["tokens"]["viewer"]}
    ).json()["board"]["timer_ends_at"]
    assert timer is not None and timer.endswith("Z")
    for client in (fay, ada):
        await client.close()


async def test_a_countdown_and_the_welcomes_clock_are_to_the_millisecond(
    server: Server, board: dict[str, Any]
) -> None:
    # Both were to the second: the welcome's clock (every page's idea of the server's time)
    # up to a second behind, the countdown's end up to a second early, and a 10-minute timer
    # read 10:01 on one laptop and 9:59 on another.
    before = time.time()
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    now = parse_precise(fay.welcome["now"])
    assert before - 0.05 <= now <= time.time() + 0.05
    started = time.time()
    await fay.acked(await fay.ops({"op": "board", "set": {"timer_seconds": 600}}))
    ends = parse_precise(fay.frame["timer_ends_at"])
    assert started - 0.05 <= ends - 600 <= time.time() + 0.05
    await fay.close()


def parse_precise(stamp: str) -> float:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()


async def test_views_reach_followers_and_votes_count_each_persons_dots(
    server: Server, board: dict[str, Any]
) -> None:
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    await fay.send({"type": "view", "x": 10, "y": 20, "w": 800, "h": 600})
    while True:
        message = await ada.expect("transient")
        if message.get("views"):
            break
    assert message["views"] == [
        {"peer": fay.welcome["you"]["peer"], "x": 10, "y": 20, "w": 800, "h": 600}
    ]

    await fay.acked(
        await fay.ops(create("note", "n1", text="Idea"), create("vote", "v1", text="Q", dots=1))
    )
    await ada.ops(create("vote", "v2", text="mine"))
    assert (await ada.expect("error"))["reason"] == "only the facilitator can run a vote"
    await ada.acked(await ada.ops(create("dot", "d1", vote="v1", target="n1")))
    await ada.ops(create("dot", "d2", vote="v1", target="n1"))
    assert (await ada.expect("error"))["reason"] == (
        "you have placed all 1 of your dots: take one back first"
    )
    for client in (fay, ada):
        await client.close()


async def test_a_new_link_closes_the_old_links_sessions_and_refuses_it(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await join(server, board, "participant", "Ada")
    fay_headers = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    denied = httpx.post(
        f"{server.url}/api/boards/{board['id']}/links/participant",
        headers={"Authorization": f"Bearer {board['tokens']['participant']}"},
    )
    assert denied.status_code == 403
    fresh = httpx.post(
        f"{server.url}/api/boards/{board['id']}/links/participant", headers=fay_headers
    )
    assert fresh.status_code == 200
    new_token = fresh.json()["link"].split("token=")[1]
    assert new_token != board["tokens"]["participant"]
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(10):
            while True:
                await ada.ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    with pytest.raises(InvalidStatus):
        await connect(server.ws_url(board["id"], board["tokens"]["participant"]))
    renewed = dict(board, tokens={**board["tokens"], "participant": new_token})
    again = await join(server, renewed, "participant", "Ada")
    await again.close()


async def test_an_open_votes_dots_reach_only_their_authors_until_it_closes(
    server: Server, board: dict[str, Any]
) -> None:
    # The board hid the others' dots, but every browser was sent them (and the HTTP read
    # and the exports had them): anyone could read the running tally and who voted what.
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    bob = await hello_as(server, board, "participant", "Bob", BOB)
    await fay.acked(await fay.ops(create("step", "s1", text="Build"), create("step", "s2", text="Ship"),
                                  create("vote", "v1", text="Which first?", dots=2)))  # fmt: skip
    await ada.acked(await ada.ops(create("dot", "d-ada", vote="v1", target="s2")))
    await bob.until_seq(ada.seq)
    await fay.until_seq(ada.seq)
    assert ada.elements["d-ada"]["target"] == "s2"  # her own, whole
    for other in (bob, fay):
        sealed = other.elements["d-ada"]
        assert sealed["target"] is None and sealed["author_id"] == ada.client  # who, not where
    viewer = {"Authorization": f"Bearer {board['tokens']['viewer']}"}
    state = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=viewer).json()
    assert next(e for e in state["elements"] if e["id"] == "d-ada")["target"] is None
    exported = httpx.get(f"{server.url}/api/boards/{board['id']}/export", params={"format": "json"},
                         headers=viewer).json()  # fmt: skip
    assert "d-ada" not in {e["id"] for e in exported["elements"]}
    # Someone joining now, or coming back with the entries missed, gets the dot sealed.
    late = await join(server, board, "participant", "Cy")
    assert late.elements["d-ada"]["target"] is None
    back = await LiveClient.join(server, board, name="Bob", since=2, previous=bob, key=BOB)
    assert back.elements["d-ada"]["target"] is None
    # Ada reloads: her own dot is whole.
    again = await LiveClient.join(server, board, name="Ada", since=0, previous=ada, key=ADA)
    assert again.elements["d-ada"]["target"] == "s2"
    # Closing the vote shows every dot whole, to everyone, at once.
    await fay.acked(await fay.ops({"op": "update", "id": "v1", "set": {"open": False}}))
    revealed = await late.expect("reveal")
    assert revealed["elements"] == [next(e for e in state["elements"] if e["id"] == "d-ada") | {"target": "s2"}]
    assert late.elements["d-ada"]["target"] == "s2"
    # Back after the close with sealed dots from before it: a snapshot, whole.
    after = await LiveClient.join(server, board, name="Bob", since=back.seq, previous=back, key=BOB)
    assert after.elements["d-ada"]["target"] == "s2"
    for client in (fay, ada, bob, late, back, again, after):
        await client.close()


async def test_a_version_published_while_a_vote_is_open_keeps_its_dots_sealed(
    server: Server, board: dict[str, Any]
) -> None:
    # Publishing froze the board with every dot whole: any viewer then read where each
    # person's sealed dot was from GET .../versions/1 or the version's JSON export.
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    await fay.acked(await fay.ops(create("step", "s1", text="Build"), create("step", "s2", text="Ship"),
                                  create("vote", "v1", text="Which first?", dots=2)))  # fmt: skip
    await ada.acked(await ada.ops(create("dot", "d-ada", vote="v1", target="s2")))
    url = f"{server.url}/api/boards/{board['id']}/versions"
    facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    assert httpx.post(url, json={"label": "mid-vote"}, headers=facilitator).status_code == 201
    viewer = {"Authorization": f"Bearer {board['tokens']['viewer']}"}
    frozen = httpx.get(f"{url}/1", headers=viewer).json()["board"]["elements"]
    exported = httpx.get(f"{url}/1/export", params={"format": "json"}, headers=viewer).json()
    for elements in (frozen, exported["elements"]):
        assert "s2" not in [e.get("target") for e in elements if e["kind"] == "dot"]
    for client in (fay, ada):
        await client.close()


def removed_in(client: LiveClient, seq: int) -> list[str]:
    """The `removed` list of the delete entry at `seq`, as this client was sent it."""
    for message in client.inbox:
        for entry in message.get("ops", []):
            if entry["seq"] == seq:
                return list(entry["removed"])
    raise AssertionError(f"{client.name} was not sent seq {seq}")


async def test_deleting_a_step_with_dots_on_it_does_not_say_whose_dots_were_there(
    server: Server, board: dict[str, Any]
) -> None:
    # The delete's `removed` list went to every peer whole: it named the dots that were on
    # the step, so everyone learnt where Ada's sealed dot had been before the vote closed.
    # Then it named them to their authors only, but still took them: the counts dropped.
    # Now the dots stay, held by the server, until the close drops those left on nothing.
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    bob = await hello_as(server, board, "participant", "Bob", BOB)
    await fay.acked(await fay.ops(create("step", "s1", text="Build"), create("step", "s2", text="Ship"),
                                  create("vote", "v1", text="Which first?", dots=2)))  # fmt: skip
    await ada.acked(await ada.ops(create("dot", "d-ada1", vote="v1", target="s1"),
                                  create("dot", "d-ada2", vote="v1", target="s2")))  # fmt: skip
    await bob.acked(await bob.ops(create("dot", "d-bob", vote="v1", target="s1")))
    deleted = (await fay.acked(await fay.ops({"op": "delete", "id": "s1"})))
    (seq,) = deleted.values()
    for client in (ada, bob):
        await client.until_seq(seq)
    for client in (fay, ada, bob):
        assert removed_in(client, seq) == ["s1"], client.name
    # Coming back with the delete missed tells no more.
    back = await LiveClient.join(server, board, name="Bob", since=seq - 1, previous=bob, key=BOB)
    assert "d-ada1" not in str(back.welcome["missed"])
    assert {e["id"]: e["target"] for e in back.elements.values() if e["kind"] == "dot"} == {
        "d-ada1": None, "d-ada2": None, "d-bob": "s1"}  # fmt: skip
    # The close tells everyone the whole vote: the dots left on nothing go.
    closing = await fay.acked(await fay.ops({"op": "update", "id": "v1", "set": {"open": False}}))
    (close_seq,) = closing.values()
    for client in (fay, ada, back):
        await client.expect("reveal")
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      headers={"Authorization": f"Bearer {board['tokens']['viewer']}"}).json()  # fmt: skip
    whole = {e["id"]: e for e in state["elements"]}
    assert "d-ada1" not in whole and "d-bob" not in whole and whole["d-ada2"]["target"] == "s2"
    assert sorted(removed_in(back, close_seq)) == ["d-ada1", "d-bob"]
    for client in (fay, ada, back):
        assert client.elements == whole, client.name
    for client in (fay, ada, bob, back):
        await client.close()


async def test_a_vote_removed_while_open_never_shows_its_dots_to_one_coming_back(
    server: Server, board: dict[str, Any]
) -> None:
    # Removing an open vote closes nothing, so the entries a peer missed went out as they
    # are kept: whole, with the target of every dot placed meanwhile.
    fay = await hello_as(server, board, "facilitator", "Fay", FAY)
    ada = await hello_as(server, board, "participant", "Ada", ADA)
    bob = await hello_as(server, board, "participant", "Bob", BOB)
    await fay.acked(await fay.ops(create("step", "s1", text="Build"),
                                  create("vote", "v1", text="Which first?", dots=2)))  # fmt: skip
    await bob.until_seq(fay.seq)
    await bob.close()
    await ada.acked(await ada.ops(create("dot", "d-ada", vote="v1", target="s1")))
    await fay.acked(await fay.ops({"op": "delete", "id": "v1"}))
    back = await LiveClient.join(server, board, name="Bob", previous=bob, key=BOB)
    assert "s1" not in [e.get("element", {}).get("target") for e in back.welcome["missed"] or []]
    assert set(back.elements) == {"s1"}
    for client in (fay, ada, back):
        await client.close()
