"""POST .../whatif through the real server, and what-ifs on a map whose figures come from a log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.domain.demo import demo_board
from app.domain.serialize import element_to_json
from tests.integration.test_what_if_api import DAY, review_then_staging
from tests.support.live import Server

SAMPLE_LOG = Path(__file__).parents[2] / "docs" / "sample-event-log.csv"


def _whatif(
    server: Server, board: dict[str, Any], body: Any, role: str = "viewer"
) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/boards/{board['id']}/whatif",
        json=body,
        headers={"Authorization": f"Bearer {board['tokens'][role]}"},
        timeout=30,
    )


def _metrics(server: Server, board_id: str, token: str) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/boards/{board_id}/metrics", params={"token": token})
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def test_any_link_gets_the_metrics_as_they_would_be_and_the_map_is_not_edited(
    server: Server, board: dict[str, Any]
) -> None:
    review_then_staging(server, board)
    viewer = board["tokens"]["viewer"]
    now = _metrics(server, board["id"], viewer)
    answer = _whatif(server, board, {"changes": [
        {"step": "s", "wait_factor": 0.5},
        {"step": "r", "process_factor": 2, "rework_factor": 1},
    ]})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body.keys() == now.keys()  # the shape of GET .../metrics
    assert body["lead_time_minutes"] == 3 * DAY + 2 * DAY + 4 * DAY + DAY
    assert body["constraint"]["id"] == "s"
    assert _metrics(server, board["id"], viewer) == now  # nothing changed
    assert (
        _whatif(
            server, board, {"changes": [{"step": "s", "wait_factor": 0.5}]}, "participant"
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"changes": []}, "at least 1"),
        ({}, "changes"),
        ({"changes": [{"step": "nope", "wait_factor": 0.5}]}, "no step 'nope' on this board"),
        ({"changes": [{"step": "rs", "wait_factor": 0.5}]}, "no step 'rs' on this board"),
        ({"changes": [{"step": "s", "wait_factor": -1}]}, "greater than or equal to 0"),
        ({"changes": [{"step": "s", "process_factor": 1000}]}, "less than or equal to 100"),
        ({"changes": [{"step": "s", "rework_factor": "lots"}]}, "valid number"),
        ({"changes": [{"step": "s", "wait": 0.5}]}, "Extra inputs are not permitted"),
        ({"changes": [{"step": "s"}]}, "at least one of wait_factor"),
        (
            {"changes": [{"step": "s", "wait_factor": 0.5}, {"step": "s", "process_factor": 2}]},
            "more than once",
        ),
    ],
)
def test_a_bad_what_if_is_refused_422_saying_why(
    server: Server, board: dict[str, Any], body: Any, says: str
) -> None:
    review_then_staging(server, board)
    answer = _whatif(server, board, body)
    assert answer.status_code == 422, answer.text
    assert says in answer.text


def test_a_what_if_needs_a_link(server: Server, board: dict[str, Any]) -> None:
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/whatif",
        json={"changes": [{"step": "s", "wait_factor": 0.5}]},
    )
    assert answer.status_code == 401


# --- A map whose figures come from an event log --------------------------------------------------


def _demo_with_the_sample_log(server: Server, board: dict[str, Any]) -> None:
    """The demo board with docs/sample-event-log.csv imported, its figures from the log."""
    # Who typed each figure is the server's to stamp, not the creator's to say.
    elements = [element_to_json(e) for e in demo_board().elements.values()]
    server.post_ops(board, [{"op": "create", "element": {k: v for k, v in e.items() if k != "provenance"}}
                            for e in elements])  # fmt: skip
    imported = httpx.post(
        f"{server.url}/api/boards/{board['id']}/events",
        content=SAMPLE_LOG.read_bytes(),
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}",
                 "Content-Type": "text/csv"},
        timeout=30,
    )  # fmt: skip
    assert imported.status_code == 200, imported.text
    server.post_ops(board, [{"op": "board", "set": {"figures_from": "measured"}}])


def test_a_what_if_on_measured_figures_changes_them(server: Server, board: dict[str, Any]) -> None:
    _demo_with_the_sample_log(server, board)
    viewer = {"token": board["tokens"]["viewer"]}
    url = f"{server.url}/api/boards/{board['id']}/what-if"
    cut = httpx.get(url, params=viewer | {"step": "demo-staging", "change": "cut-wait"}, timeout=30)
    assert cut.status_code == 200, cut.text
    body = cut.json()
    assert body["deltas"]["lead_time_minutes"] < 0, body["display"]

    now = _metrics(server, board["id"], viewer["token"])
    staging = next(s for s in now["steps"] if s["id"] == "demo-staging")
    assert staging["basis"] == "measured"
    after = _whatif(server, board, {"changes": [{"step": "demo-staging", "wait_factor": 0.5}]})
    assert after.json()["lead_time_minutes"] == pytest.approx(
        now["lead_time_minutes"] - staging["wait_minutes"] / 2, abs=0.01
    )


def test_a_future_state_from_a_measured_what_if_starts_changed(
    server: Server, board: dict[str, Any]
) -> None:
    _demo_with_the_sample_log(server, board)
    facilitator = {"token": board["tokens"]["facilitator"]}
    now = _metrics(server, board["id"], facilitator["token"])
    measured_wait = next(s for s in now["steps"] if s["id"] == "demo-staging")["wait_minutes"]
    started = httpx.post(
        f"{server.url}/api/boards/{board['id']}/future",
        params=facilitator | {"step": "demo-staging", "change": "cut-wait"},
        timeout=30,
    )
    assert started.status_code == 201, started.text
    new = started.json()
    token = new["links"]["facilitator"].split("token=")[1]
    future = _metrics(server, new["id"], token)
    staging = next(s for s in future["steps"] if s["id"] == "demo-staging")
    assert staging["wait_minutes"] == pytest.approx(measured_wait / 2, abs=0.001)
