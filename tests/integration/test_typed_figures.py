"""A figure typed on a board with its own calendar ("1w" of 7-hour, 4-day weeks) is kept,
as typed, by everything that makes a board from another: a JSON import and a future state."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import Server

# One working week of 7-hour, 4-day weeks: what "1w" means on this board.
SHORT_WEEK = 7 * 60 * 4
TIMEOUT = 20


def _typed_board(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "board", "set": {"hours_per_day": 7, "days_per_week": 4}},
        {"op": "create", "element": {"id": "s", "kind": "step", "text": "Test",
                                     "wait_minutes": SHORT_WEEK, "wait_text": "1w"}},
    ])  # fmt: skip


def _step(server: Server, board_id: str, token: str) -> dict[str, Any]:
    state = httpx.get(
        f"{server.url}/api/boards/{board_id}", params={"token": token}, timeout=TIMEOUT
    ).json()
    found: dict[str, Any] = next(e for e in state["elements"] if e["id"] == "s")
    return found


def _tokens(created: dict[str, Any]) -> dict[str, str]:
    return {role: link.split("token=")[1] for role, link in created["links"].items()}


def test_an_import_keeps_a_figure_typed_on_the_board_calendar(
    server: Server, board: dict[str, Any]
) -> None:
    _typed_board(server, board)
    exported = httpx.get(
        f"{server.url}/api/boards/{board['id']}/export",
        params={"format": "json", "token": board["tokens"]["viewer"]},
        timeout=TIMEOUT,
    ).json()
    answer = httpx.post(f"{server.url}/api/boards/import", json=exported, timeout=TIMEOUT)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    step = _step(server, created["id"], _tokens(created)["viewer"])
    assert (step["wait_minutes"], step["wait_text"]) == (SHORT_WEEK, "1w")


def test_a_future_state_keeps_a_figure_typed_on_the_board_calendar(
    server: Server, board: dict[str, Any]
) -> None:
    _typed_board(server, board)
    made = httpx.post(
        f"{server.url}/api/boards/{board['id']}/future",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=TIMEOUT,
    )
    assert made.status_code == 201, made.text
    step = _step(server, made.json()["id"], _tokens(made.json())["viewer"])
    assert (step["wait_minutes"], step["wait_text"]) == (SHORT_WEEK, "1w")
