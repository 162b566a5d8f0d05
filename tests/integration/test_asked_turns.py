"""Work any link can ask for, that every board shares, is served in turn between the
addresses asking (app/api/turns.py): one client's flood of what-ifs or event logs
cannot keep another workshop's waiting behind all of it.

The server believes X-Forwarded-For from loopback, so each test client can be a
different address, as people in different workshops are."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.api.events import LOGS_WAITING
from app.api.what_if import WHAT_IFS_WAITING
from tests.integration.test_events_load import ROWS, _log
from tests.integration.test_what_if_load import _long_ranged_flow
from tests.support.live import Server
from tests.support.servers import running_server

FLOOD = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"FLOWMAP_TRUSTED_PROXIES": '["127.0.0.1"]'}
    with running_server("sqlite", tmp_path_factory.mktemp("turns"), env) as srv:
        yield srv


def small_board(server: Server) -> dict[str, Any]:
    """Another workshop's board: one step, "Plan", waiting an hour."""
    small = server.create_board("Small")
    server.post_ops(small, [{"op": "create", "element": {
        "kind": "step", "id": "a", "x": 0, "y": 0, "text": "Plan", "wait_minutes": 60}}])  # fmt: skip
    return small


def as_from(address: str, board: dict[str, Any], role: str = "viewer") -> dict[str, str]:
    return {"X-Forwarded-For": address, "Authorization": f"Bearer {board['tokens'][role]}"}


async def test_a_flood_of_what_ifs_from_one_address_does_not_hold_back_another_boards(
    server: Server, board: dict[str, Any]
) -> None:
    _long_ranged_flow(server, board)
    small = small_board(server)
    flood_url = f"{server.url}/api/boards/{board['id']}/whatif"
    async with httpx.AsyncClient(timeout=300) as client:

        async def flood(i: int) -> int:
            change = {"changes": [{"step": f"s{i}", "wait_factor": 0.5}]}
            answer = await client.post(flood_url, json=change, headers=as_from("198.51.100.1", board))
            return answer.status_code

        started = time.monotonic()
        assert await flood(0) == 200
        one = time.monotonic() - started
        flooding = [asyncio.create_task(flood(i)) for i in range(1, FLOOD + 1)]
        await asyncio.sleep(min(one, 1.0))  # they are all queued
        started = time.monotonic()
        mine = await client.post(
            f"{server.url}/api/boards/{small['id']}/whatif",
            json={"changes": [{"step": "a", "wait_factor": 0.5}]},
            headers=as_from("203.0.113.9", small),
        )
        waited = time.monotonic() - started
        assert mine.status_code == 200
        # Served after at most the one what-if under way, not after the whole flood.
        assert waited < 3 * one + 0.5, f"one what-if {one:.2f} s; waited {waited:.2f} s"
        assert await asyncio.gather(*flooding) == [200] * FLOOD


async def test_an_address_with_too_many_what_ifs_waiting_is_asked_to_come_back(
    server: Server, board: dict[str, Any]
) -> None:
    _long_ranged_flow(server, board)
    url = f"{server.url}/api/boards/{board['id']}/whatif"
    async with httpx.AsyncClient(timeout=300) as client:

        async def ask(i: int) -> httpx.Response:
            change = {"changes": [{"step": f"s{i}", "wait_factor": 0.5}]}
            return await client.post(url, json=change, headers=as_from("198.51.100.2", board))

        answers = await asyncio.gather(*(ask(i) for i in range(WHAT_IFS_WAITING + 4)))
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(a.headers["Retry-After"] for a in refused)
    assert "from one address" in refused[0].json()["detail"]
    assert {a.status_code for a in answers} == {200, 429}


async def test_a_flood_of_event_logs_from_one_address_does_not_hold_back_another_boards(
    server: Server,
) -> None:
    # Anyone may make boards and so be their facilitator: twelve logs at once from one
    # address held both log slots, and another workshop's import waited behind them all.
    boards = [server.create_board(f"Flood {n}") for n in range(FLOOD)]
    data = _log(ROWS)
    mine_board = server.create_board("Mine")
    async with httpx.AsyncClient(timeout=300) as client:

        async def preview(board: dict[str, Any], address: str, body: bytes) -> httpx.Response:
            return await client.post(
                f"{server.url}/api/boards/{board['id']}/events",
                content=body,
                params={"preview": "true"},
                headers=as_from(address, board, "facilitator"),
            )

        started = time.monotonic()
        assert (await preview(boards[0], "198.51.100.3", data)).status_code == 200
        one = time.monotonic() - started
        flooding = [asyncio.create_task(preview(b, "198.51.100.3", data)) for b in boards]
        await asyncio.sleep(min(one, 1.0))
        started = time.monotonic()
        mine = await preview(mine_board, "203.0.113.9", _log(50))
        waited = time.monotonic() - started
        assert mine.status_code == 200
        assert waited < 3 * one + 0.5, f"one log {one:.2f} s; waited {waited:.2f} s"
        answers = [a.status_code for a in await asyncio.gather(*flooding)]
    # One at a time, a few waiting; the rest asked to come back.
    assert set(answers) <= {200, 429} and answers.count(200) >= LOGS_WAITING + 1


def validation_token(server: Server, board: dict[str, Any]) -> str:
    """Publish the board as version 1 and ask Ada to validate it: her link's token."""
    auth = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    root = f"{server.url}/api/boards/{board['id']}"
    assert httpx.post(root + "/versions", json={"label": "v1"}, headers=auth,
                      timeout=60).status_code == 201  # fmt: skip
    asked = httpx.post(root + "/versions/1/validation", json={"invite": ["Ada"]}, headers=auth,
                       timeout=60)  # fmt: skip
    link: str = asked.json()["link"]
    return link.rsplit("/v/", 1)[1]


async def test_a_flood_of_a_versions_picture_does_not_hold_back_another_boards(
    server: Server, board: dict[str, Any]
) -> None:
    # Anyone holding a validation link may ask for its map's picture, as often as they
    # like: each was drawn afresh, two at a time, first come first served.
    _long_ranged_flow(server, board)
    big = validation_token(server, board)
    small = small_board(server)
    mine = validation_token(server, small)
    async with httpx.AsyncClient(timeout=300) as client:

        async def picture(token: str, address: str) -> httpx.Response:
            return await client.get(f"{server.url}/api/validation/{token}/map.svg",
                                    headers={"X-Forwarded-For": address})  # fmt: skip

        started = time.monotonic()
        assert (await picture(big, "198.51.100.4")).status_code == 200
        one = time.monotonic() - started
        flooding = [asyncio.create_task(picture(big, "198.51.100.4")) for _ in range(FLOOD)]
        await asyncio.sleep(min(one, 1.0) / 2)
        started = time.monotonic()
        answer = await picture(mine, "203.0.113.9")
        waited = time.monotonic() - started
        assert answer.status_code == 200 and "Plan" in answer.text
        assert waited < 2 * one + 0.3, f"one picture {one:.2f} s; waited {waited:.2f} s"
        assert {a.status_code for a in await asyncio.gather(*flooding)} == {200}


async def test_a_versions_picture_does_not_wait_behind_its_own_addresss_pdf(
    server: Server, board: dict[str, Any]
) -> None:
    # A participant checking the map behind the office address where a colleague is
    # exporting a long PDF: the picture (a tenth of a second) waited in that address's one
    # export turn for the whole PDF.
    _long_ranged_flow(server, board)
    small = small_board(server)
    mine = validation_token(server, small)
    office = "198.51.100.5"
    async with httpx.AsyncClient(timeout=300) as client:
        started = time.monotonic()
        pdf = asyncio.create_task(client.get(
            f"{server.url}/api/boards/{board['id']}/export", params={"format": "pdf"},
            headers=as_from(office, board)))  # fmt: skip
        await asyncio.sleep(0.5)
        answer = await client.get(f"{server.url}/api/validation/{mine}/map.svg",
                                  headers={"X-Forwarded-For": office})  # fmt: skip
        pictured = time.monotonic() - started
        assert answer.status_code == 200 and "Plan" in answer.text
        assert not pdf.done(), "the PDF was too quick to show anything"
        exported = await pdf
        assert exported.status_code == 200
        assert pictured < (time.monotonic() - started) / 2, "the picture waited for the PDF"
