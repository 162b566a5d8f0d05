"""What-if through the real server: any link reads it, the map is not edited."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import Server

DAY = 480


def review_then_staging(server: Server, board: dict[str, Any]) -> None:
    """Code review (waits 3d, 1d of work) flows into Staging test (waits 8d, 1d of work)."""
    server.post_ops(board, [
        {"op": "create", "element": {"id": "r", "kind": "step", "text": "Code review", "wait_minutes": 3 * DAY, "process_minutes": DAY}},
        {"op": "create", "element": {"id": "s", "kind": "step", "x": 300, "text": "Staging test", "wait_minutes": 8 * DAY, "wait_text": "8d", "process_minutes": DAY}},
        {"op": "create", "element": {"id": "rs", "kind": "connector", "source": "r", "target": "s"}},
    ])  # fmt: skip


def test_a_what_if_answers_before_after_and_the_next_constraint(
    server: Server, board: dict[str, Any]
) -> None:
    review_then_staging(server, board)
    url = f"{server.url}/api/boards/{board['id']}/what-if"
    viewer = {"token": board["tokens"]["viewer"]}
    answer = httpx.get(url, params=viewer | {"step": "s", "change": "cut-wait"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["before"]["lead_time_minutes"] == 13 * DAY
    assert body["after"]["lead_time_minutes"] == 9 * DAY
    assert body["deltas"]["lead_time_minutes"] == -4 * DAY
    assert body["constraint_after"] == {"id": "s", "text": "Staging test"}
    assert body["display"]["after"]["lead_time"] == "9d"
    assert body["display"]["deltas"]["lead_time_minutes"] == "−4d"
    assert body["display"]["deltas"]["activity_ratio"] == "+6.8 pts"

    state = httpx.get(f"{server.url}/api/boards/{board['id']}", params=viewer).json()
    staging = next(e for e in state["elements"] if e["id"] == "s")
    assert staging["wait_minutes"] == 8 * DAY  # the map itself is not edited

    cut_more = httpx.get(url, params=viewer | {"step": "r", "change": "add-person"}).json()
    assert cut_more["after"]["process_time_minutes"] == 1.5 * DAY


def test_an_unknown_step_is_404_and_an_unknown_change_422(
    server: Server, board: dict[str, Any]
) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "s", "kind": "step", "wait_minutes": DAY}},
    ])  # fmt: skip
    url = f"{server.url}/api/boards/{board['id']}/what-if"
    viewer = {"token": board["tokens"]["viewer"]}
    assert httpx.get(url, params=viewer | {"step": "x", "change": "cut-wait"}).status_code == 404
    refused = httpx.get(url, params=viewer | {"step": "s", "change": "fire"})
    assert refused.status_code == 422
    assert "cut-wait" in refused.text  # says which changes there are
    assert httpx.get(url, params={"step": "s", "change": "cut-wait"}).status_code == 401


def test_a_what_if_starts_a_future_state_map_with_the_change_made(
    server: Server, board: dict[str, Any]
) -> None:
    review_then_staging(server, board)
    future = f"{server.url}/api/boards/{board['id']}/future"
    facilitator = {"token": board["tokens"]["facilitator"]}
    started = httpx.post(future, params=facilitator | {"step": "s", "change": "cut-wait"})
    assert started.status_code == 201
    new = started.json()
    token = new["links"]["facilitator"].split("token=")[1]
    metrics = httpx.get(f"{server.url}/api/boards/{new['id']}/metrics", params={"token": token})
    assert metrics.json()["lead_time_minutes"] == 9 * DAY  # Staging test waits 4d, not 8d
    current = httpx.get(f"{server.url}/api/boards/{board['id']}/metrics", params=facilitator)
    assert current.json()["lead_time_minutes"] == 13 * DAY  # the map it came from is as it was

    half = httpx.post(future, params=facilitator | {"step": "s"})
    assert half.status_code == 422 and "both" in half.text
    assert httpx.post(future, params=facilitator | {"step": "x", "change": "cut-wait"}).status_code == 404
    participant = {"token": board["tokens"]["participant"]}
    assert httpx.post(future, params=participant | {"step": "s", "change": "cut-wait"}).status_code == 403


def test_a_what_if_on_a_step_without_figures_yet_is_answered_not_a_500(
    server: Server, board: dict[str, Any]
) -> None:
    # A map with no lead time has no activity ratio (null); the deltas subtracted null
    # from null, so every What if… button on a step not yet filled in was a 500.
    new_step = {"op": "create", "element": {"id": "s", "kind": "step", "text": "New"}}
    server.post_ops(board, [new_step])
    url = f"{server.url}/api/boards/{board['id']}/what-if"
    viewer = {"token": board["tokens"]["viewer"], "step": "s"}
    for change in ("cut-wait", "halve-rework", "add-person"):
        answer = httpx.get(url, params=viewer | {"change": change})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["deltas"]["activity_ratio"] is None
        assert body["display"]["deltas"]["activity_ratio"] == "—"
