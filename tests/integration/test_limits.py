"""The limits a deployment needs (app/api/limits.py), each on a server of its own, set small.

Each answers with a clear 413, 429 or 403 (with Retry-After where waiting helps)
and leaves everyone else's work alone.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.support.live import LiveClient, Server


@contextmanager
def limited(tmp_path: Path, **env: str) -> Iterator[Server]:
    server = Server(f"sqlite:///{tmp_path / 'limits.db'}", tmp_path / "server.log",
                    env={f"FLOWMAP_{k.upper()}": v for k, v in env.items()})  # fmt: skip
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _step(element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": "step", **fields}}


def test_a_body_over_the_limit_is_a_413_declared_or_streamed(tmp_path: Path) -> None:
    with limited(tmp_path, body_bytes="4096", import_body_bytes="65536") as server:
        too_long = b'{"title": "' + b"x" * 5000 + b'"}'
        declared = httpx.post(f"{server.url}/api/boards", content=too_long,
                              headers={"content-type": "application/json"})  # fmt: skip
        assert declared.status_code == 413 and "4,096 bytes" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"title": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}'

        streamed = httpx.post(f"{server.url}/api/boards", content=chunks(),
                              headers={"content-type": "application/json"})  # fmt: skip
        assert streamed.status_code == 413
        board = server.create_board()  # small bodies pass
        elements = [{"id": f"s{i}", "kind": "step", "text": "z" * 40} for i in range(100)]
        body = {"format": "flowmap-board", "version": 1, "board": {"title": "Big"},
                "elements": elements}  # fmt: skip
        imported = httpx.post(f"{server.url}/api/boards/import", json=body)
        assert imported.status_code == 201, "an import may be bigger than an edit"
        assert httpx.get(f"{server.url}/api/boards/{board['id']}",
                         params={"token": board["tokens"]["viewer"]}).status_code == 200  # fmt: skip


def test_boards_made_per_address_are_limited_with_retry_after(tmp_path: Path) -> None:
    with limited(tmp_path, boards_burst="3", boards_per_second="0.01") as server:
        made = [httpx.post(f"{server.url}/api/boards", json={"title": f"B{i}"}) for i in range(3)]
        assert [m.status_code for m in made] == [201, 201, 201]
        more = httpx.post(f"{server.url}/api/boards", json={"title": "one too many"})
        assert more.status_code == 429 and int(more.headers["retry-after"]) >= 1
        assert "too many boards" in more.json()["detail"]
        body = {"format": "flowmap-board", "version": 1, "board": {"title": "I"}, "elements": []}
        assert httpx.post(f"{server.url}/api/boards/import", json=body).status_code == 429


def test_a_private_deployment_needs_its_creation_key(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(12)
    with limited(tmp_path, create_key=key) as server:
        url = f"{server.url}/api/boards"
        assert httpx.post(url, json={"title": "x"}).status_code == 403
        wrong = httpx.post(url, json={"title": "x"}, headers={"X-Flowmap-Create-Key": "nope"})
        assert wrong.status_code == 403 and "creation key" in wrong.json()["detail"]
        right = httpx.post(url, json={"title": "x"}, headers={"X-Flowmap-Create-Key": key})
        assert right.status_code == 201
        home = httpx.get(f"{server.url}/")
        assert 'data-create-key="required"' in home.text  # the home page asks for it


async def test_a_links_edit_budget_is_shared_by_its_sockets_and_http(tmp_path: Path) -> None:
    with limited(tmp_path, link_ops_per_second="0.01", link_ops_burst="20") as server:
        board = server.create_board()
        fay = await LiveClient.join(server, board, role="facilitator", name="Fay")
        a = await LiveClient.join(server, board, name="A")
        b = await LiveClient.join(server, board, name="B")
        await a.acked(await a.ops(*[_step(f"a{i}") for i in range(15)]))
        await b.ops(*[_step(f"b{i}") for i in range(15)])  # 5 left in the link's budget
        refused = [await b.expect("error") for _ in range(15)]
        assert {m["code"] for m in refused} == {"rate_limited"}
        assert "through this link" in refused[0]["reason"]
        answer = httpx.post(f"{server.url}/api/boards/{board['id']}/ops",
                            json={"ops": [_step(f"h{i}") for i in range(6)]},
                            headers={"Authorization": f"Bearer {board['tokens']['participant']}"})  # fmt: skip
        assert answer.status_code == 429 and "retry-after" in answer.headers
        # Another link (the facilitator's) has a budget of its own.
        await fay.acked(await fay.ops(_step("f1")))
        for client in (fay, a, b):
            await client.close()


async def test_sockets_are_limited_per_address_and_per_board(tmp_path: Path) -> None:
    with limited(tmp_path, connections_per_address="3", peers_per_board="2") as server:
        board, other = server.create_board(), server.create_board()
        first = [await LiveClient.join(server, board, name=f"P{i}") for i in range(2)]
        with pytest.raises(InvalidStatus) as full:
            await connect(server.ws_url(board["id"], board["tokens"]["viewer"]))
        assert full.value.response.status_code == 503 and b"full" in full.value.response.body
        third = await LiveClient.join(server, other, name="P3")
        with pytest.raises(InvalidStatus) as crowded:
            await connect(server.ws_url(other["id"], other["tokens"]["viewer"]))
        assert crowded.value.response.status_code == 429
        assert b"live connections" in crowded.value.response.body
        await first[0].close()
        for _ in range(50):  # the server hears of the close a moment later
            try:
                again = await LiveClient.join(server, board, name="Again")
                break
            except InvalidStatus:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("a closed connection never made room")
        for client in (first[1], third, again):
            await client.close()


@pytest.mark.parametrize("direct", ["true", "false"])  # on the direct line, and through ASGI
async def test_a_socket_that_never_says_hello_is_closed_and_its_link_cannot_outlive_revocation(
    tmp_path: Path, direct: str
) -> None:
    # A socket opened and left silent was held for ever (its pings answered), unseen in
    # presence, so revoking its link closed nothing: hours later its hello still joined,
    # got the whole board and edited it, until the next sweep of live links.
    with limited(tmp_path, hello_timeout="1", direct_websockets=direct) as server:
        board = server.create_board()
        silent = await connect(server.ws_url(board["id"], board["tokens"]["participant"]))
        rotated = httpx.post(f"{server.url}/api/boards/{board['id']}/links/participant",
                             headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"})  # fmt: skip
        assert rotated.status_code == 200
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(silent.recv(), 30)  # a bound on a failure, not a timing
        assert silent.close_code == 1008 and "hello" in (silent.close_reason or "")
        # Saying hello at once is never too late; a facilitator still joins and edits.
        fay = await LiveClient.join(server, board, role="facilitator", name="Fay")
        await fay.acked(await fay.ops(_step("s1")))
        await fay.close()


async def test_joins_per_address_are_limited(tmp_path: Path) -> None:
    with limited(tmp_path, joins_burst="5", joins_per_second="0.01") as server:
        board = server.create_board()
        for i in range(5):
            client = await LiveClient.join(server, board, name=f"J{i}")
            await client.close()
        with pytest.raises(InvalidStatus) as fast:
            await connect(server.ws_url(board["id"], board["tokens"]["viewer"]))
        assert fast.value.response.status_code == 429
        assert int(fast.value.response.headers["retry-after"]) >= 1


def _slow_socket(server: Server, head: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(head)
    return sock


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes) -> float | None:
    """Keep trickling bytes; the seconds until the server hung up, or None if it never did."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            sock.sendall(trickle)
            sock.settimeout(0.25)
            if sock.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return None


def test_a_slow_client_is_disconnected_and_a_normal_one_is_not(tmp_path: Path) -> None:
    with limited(tmp_path, header_timeout="1", body_timeout="1.5") as server:
        loris = [_slow_socket(server, b"GET / HTTP/1.1\r\nHost: x\r\n") for _ in range(20)]
        gone = [_closed_within(s, 5, b"X-Still-Here: 1\r\n") for s in loris[:3]]
        assert all(g is not None and g < 3 for g in gone), gone
        body = _slow_socket(server, b"POST /api/boards HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        assert (_closed_within(body, 6, b" ") or 99) < 4, "a body that never ends"
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
        for s in [*loris, body]:
            s.close()


def test_big_bodies_at_once_from_one_address_are_refused_and_never_held(
    tmp_path: Path,
) -> None:
    # An import (16 MB) or an event log (20 MB) is read whole before its route can say no:
    # one address sending thirty at once had them all in memory. Past BIG_BODIES_AT_ONCE
    # still arriving, the next is refused 429, none of it held.
    from app.api.limits import BIG_BODIES_AT_ONCE

    with limited(tmp_path, body_timeout="30") as server:
        board = server.create_board()
        facilitator = board["tokens"]["facilitator"]
        heads = [
            b"POST /api/boards/import HTTP/1.1\r\n",
            f"POST /api/boards/{board['id']}/events?token={facilitator} HTTP/1.1\r\n".encode(),
        ]
        arriving = [
            _slow_socket(server, heads[i % 2] + b"Host: x\r\nContent-Type: text/csv\r\n"
                         b"Content-Length: 10000000\r\n\r\nitem,step")  # fmt: skip
            for i in range(BIG_BODIES_AT_ONCE)
        ]
        time.sleep(0.5)
        one_more = httpx.post(f"{server.url}/api/boards/import", content=b"{}",
                              headers={"content-type": "application/json"}, timeout=5)  # fmt: skip
        assert one_more.status_code == 429, one_more.text
        assert "at once" in one_more.json()["detail"] and one_more.headers["Retry-After"]
        assert httpx.post(f"{server.url}/api/boards", json={"title": "Small"}).status_code == 201
        for s in arriving:
            s.close()
        time.sleep(0.5)  # their places are given back as they end
        again = httpx.post(f"{server.url}/api/boards/import", content=b"{}",
                           headers={"content-type": "application/json"}, timeout=5)  # fmt: skip
        assert again.status_code == 422, again.text
