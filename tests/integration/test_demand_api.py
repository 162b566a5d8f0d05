"""Customer demand through the real server: set by a board op, read in the metrics, kept
across a restart, in future-state copies and in JSON export and import."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import Server

DAY = 480


def _get(server: Server, board_id: str, token: str, tail: str = "") -> dict[str, Any]:
    answer = httpx.get(
        f"{server.url}/api/boards/{board_id}{tail}", params={"token": token}, timeout=10
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def _seed(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "b", "kind": "step", "text": "Build", "wait_minutes": 0, "process_minutes": 60}},
        {"op": "create", "element": {"id": "q", "kind": "inventory", "x": 220, "count": 12}},
        {"op": "create", "element": {"id": "p", "kind": "step", "x": 400, "text": "Pack", "wait_minutes": DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "bq", "kind": "connector", "source": "b", "target": "q"}},
        {"op": "create", "element": {"id": "qp", "kind": "connector", "source": "q", "target": "p"}},
    ])  # fmt: skip


def test_a_demand_set_by_a_board_op_gives_takt_time_and_flags(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    viewer = board["tokens"]["viewer"]
    before = _get(server, board["id"], viewer, "/metrics")
    assert before["takt_time_minutes"] is None and before["demand_flags"] == []

    server.post_ops(board, [{"op": "board", "set": {"demand_per_day": 4}}])
    metrics = _get(server, board["id"], viewer, "/metrics")
    assert metrics["takt_time_minutes"] == 120
    assert metrics["display"]["takt_time"] == "2h"
    assert metrics["inventory_implied_minutes"] == {"q": 3 * DAY}
    assert [
        (f["id"], f["wait_minutes"], f["implied_minutes"]) for f in metrics["demand_flags"]
    ] == [("p", DAY, 3 * DAY)]
    assert metrics["demand_flags"][0]["said"] == (
        "Pack: waits 1d, its queue of 12 implies 3d at 4 a day"
    )
    assert _get(server, board["id"], viewer)["board"]["demand_per_day"] == 4


def test_a_participant_may_not_set_the_demand_nor_anyone_zero(
    server: Server, board: dict[str, Any]
) -> None:
    for role, value in (("participant", 4), ("facilitator", 0)):
        answer = server.send_ops(board, [{"op": "board", "set": {"demand_per_day": value}}], role)
        assert answer.status_code == 200
        assert answer.json()["results"][0]["error"] is not None, role
    assert _get(server, board["id"], board["tokens"]["viewer"])["board"]["demand_per_day"] is None


def test_the_demand_is_kept_in_the_database_a_future_state_and_an_export(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    server.post_ops(board, [{"op": "board", "set": {"demand_per_day": 2.5}}])
    server.stop()
    server.start()
    viewer = board["tokens"]["viewer"]
    assert _get(server, board["id"], viewer)["board"]["demand_per_day"] == 2.5

    made = httpx.post(
        f"{server.url}/api/boards/{board['id']}/future",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    assert made.status_code == 201
    future_viewer = made.json()["links"]["viewer"].split("token=")[1]
    future = _get(server, made.json()["id"], future_viewer)
    assert future["board"]["demand_per_day"] == 2.5

    exported = httpx.get(
        f"{server.url}/api/boards/{board['id']}/export",
        params={"format": "json", "token": viewer},
        timeout=30,
    ).json()
    assert exported["board"]["demand_per_day"] == 2.5
    imported = httpx.post(f"{server.url}/api/boards/import", json=exported, timeout=30)
    assert imported.status_code == 201, imported.text
    token = imported.json()["links"]["viewer"].split("token=")[1]
    assert _get(server, imported.json()["id"], token)["board"]["demand_per_day"] == 2.5
    assert _get(server, imported.json()["id"], token, "/metrics")["takt_time_minutes"] == 192
