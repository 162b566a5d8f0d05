"""Viewers who "Just look" are told apart by the names the server gives them, through the
real stack; a guest who reconnects (the same browser key) keeps theirs."""

from __future__ import annotations

from websockets.asyncio.client import connect

from tests.support.live import LiveClient, Server


async def test_three_viewers_who_just_look_get_three_names_and_keep_them(
    server: Server, board: dict
) -> None:
    ada = await LiveClient.join(server, board, name="Ada")
    # What the page sends for a viewer who just looks: the name "Guest".
    guests = [await LiveClient.join(server, board, role="viewer", name="Guest") for _ in range(3)]
    names = [g.welcome["you"]["name"] for g in guests]
    assert names == ["Guest", "Guest 2", "Guest 3"]
    assert sorted(p["name"] for p in guests[-1].welcome["peers"]) == [
        "Ada", "Guest", "Guest 2", "Guest 3",
    ]  # fmt: skip
    # The second goes and comes back with its browser's key: the same name.
    await guests[1].close()
    back = await LiveClient.join(server, board, role="viewer", name="Guest", key=guests[1].key)
    assert back.welcome["you"]["name"] == "Guest 2"
    # A hello that says `guest` is named by the server, whatever its name says.
    flagged = LiveClient(await connect(server.ws_url(board["id"], board["tokens"]["viewer"])), "x")
    await flagged.send(
        {"type": "hello", "protocol": 1, "name": "Ada", "since": None, "guest": True}
    )
    assert (await flagged.expect("welcome"))["you"]["name"] == "Guest 4"
    for client in (ada, guests[0], guests[2], back, flagged):
        await client.close()
