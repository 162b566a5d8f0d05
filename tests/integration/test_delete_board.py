"""Deleting a board through the real server: who may, and that every link of it dies.

On SQLite and PostgreSQL, with sessions on the connection and through ASGI.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.api.ratelimit import GUESS_BURST
from tests.support.live import LiveClient, Server
from tests.support.servers import WITH_ASGI

TIMEOUT = 10.0
DELETED = "The facilitator deleted this board"


# Also through ASGI: the session must behave the same under any server.
SERVERS = WITH_ASGI


def as_role(board: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {board['tokens'][role]}"}


def delete(server: Server, board: dict[str, Any], role: str) -> httpx.Response:
    url = f"{server.url}/api/boards/{board['id']}"
    return httpx.delete(url, headers=as_role(board, role), timeout=TIMEOUT)


def validation_links(server: Server, board: dict[str, Any]) -> list[str]:
    """Publish a version and ask Ada to validate it: the request's link and Ada's own."""
    root, fay = f"{server.url}/api/boards/{board['id']}", as_role(board, "facilitator")
    step = {"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}
    server.post_ops(board, [step])
    assert httpx.post(f"{root}/versions", headers=fay, json={"label": "v1"}).status_code == 201
    asked = httpx.post(f"{root}/versions/1/validation", headers=fay, json={"invite": ["Ada"]})
    assert asked.status_code == 201, asked.text
    return [asked.json()["link"], asked.json()["links"]["Ada"]]


def rows_of(server: Server, board_id: str) -> dict[str, int]:
    """How many rows each table holds for the board, read from the server's own database."""
    requests = "(SELECT id FROM validations WHERE board_id = :b)"
    queries = {
        "boards": "SELECT count(*) FROM boards WHERE id = :b",
        **{t: f"SELECT count(*) FROM {t} WHERE board_id = :b"
           for t in ("links", "ops", "versions", "validations")},
        **{t: f"SELECT count(*) FROM {t} WHERE validation_id IN {requests}"
           for t in ("validators", "verdicts")},
    }  # fmt: skip
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(q), {"b": board_id}).scalar_one() for t, q in queries.items()}
    finally:
        engine.dispose()


def connections(server: Server) -> float:
    for line in httpx.get(f"{server.url}/metrics", timeout=TIMEOUT).text.splitlines():
        if line.startswith("flowmap_connections "):
            return float(line.split()[1])
    raise KeyError("flowmap_connections")


async def until(condition: Callable[[], bool]) -> None:
    """Wait for a condition the server reports (its /metrics: no event to wait on)."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not within the timeout"
        await asyncio.sleep(0.05)


async def closed_with(client: LiveClient) -> tuple[int, str]:
    """Read until the server closes the session; its close code and reason."""
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(TIMEOUT):
            while True:
                await client.ws.recv()
    frame = closed.value.rcvd
    assert frame is not None, "the server closed without saying why"
    return frame.code, frame.reason


async def test_only_the_facilitator_deletes_and_everyone_connected_is_told_why(
    server: Server, board: dict[str, Any]
) -> None:
    before = connections(server)
    ada = await LiveClient.join(server, board, role="participant", name="Ada")
    vic = await LiveClient.join(server, board, role="viewer", name="Vic")
    assert delete(server, board, "participant").status_code == 403
    assert delete(server, board, "viewer").status_code == 403
    assert delete(server, board, "facilitator").status_code == 204
    for client in (ada, vic):
        assert await closed_with(client) == (4410, DELETED)
    assert delete(server, board, "facilitator").status_code == 404
    await until(lambda: connections(server) == before)  # the closed sessions are counted out


async def test_every_link_of_a_deleted_board_answers_not_found(
    server: Server, board: dict[str, Any]
) -> None:
    checks = validation_links(server, board)
    ada = checks[1].rsplit("/v/", 1)[1]
    verdict = {"name": "Ada", "verdicts": [{"step": "s1", "verdict": "agree"}]}
    assert httpx.post(f"{server.url}/api/validation/{ada}/verdicts", json=verdict).status_code == 200
    before = rows_of(server, board["id"])
    assert all(before.values()), f"the board has something in every table: {before}"
    assert delete(server, board, "facilitator").status_code == 204
    assert set(rows_of(server, board["id"]).values()) == {0}, "every row of the board is gone"
    for role, token in board["tokens"].items():
        api = httpx.get(f"{server.url}/api/boards/{board['id']}", headers=as_role(board, role))
        assert (api.status_code, api.json()["detail"]) == (404, DELETED), role
        page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": token})
        assert page.status_code == 404 and "This board was deleted" in page.text, role
        with pytest.raises(InvalidStatus) as refused:
            await connect(server.ws_url(board["id"], token))
        assert refused.value.response.status_code == 404, role
    for link in checks:
        token = link.rsplit("/v/", 1)[1]
        assert httpx.get(f"{server.url}/api/validation/{token}").status_code == 404
        page = httpx.get(link)
        assert page.status_code == 404 and "This board was deleted" in page.text


def test_dead_links_are_not_counted_as_wrong_guesses(
    server: Server, board: dict[str, Any]
) -> None:
    """A workshop behind one address reloading its dead links keeps its other boards."""
    other = server.create_board("Another workshop")
    assert delete(server, board, "facilitator").status_code == 204
    dead = f"{server.url}/b/{board['id']}"
    for _ in range(int(GUESS_BURST) + 5):
        assert httpx.get(dead, params={"token": board["tokens"]["participant"]}).status_code == 404
    wrong = httpx.get(f"{server.url}/b/{other['id']}", params={"token": "not-a-real-token"})
    assert wrong.status_code == 403, "dead links spent the address's budget of wrong guesses"
    alive = httpx.get(f"{server.url}/api/boards/{other['id']}", headers=as_role(other, "viewer"))
    assert alive.status_code == 200
