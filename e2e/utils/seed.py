"""Put elements on a board through the HTTP API before a page opens it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import Server


def seed(server: Server, board: dict[str, Any], *elements: dict[str, Any]) -> None:
    """Create the elements (as the facilitator) and check every one was accepted."""
    apply_ops(server, board, *({"op": "create", "element": el} for el in elements))


def apply_ops(server: Server, board: dict[str, Any], *ops: dict[str, Any]) -> None:
    """Apply the ops as the facilitator, over HTTP, and check every one was accepted."""
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/ops",
        json={"ops": list(ops)},
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    answer.raise_for_status()
    assert all(r["error"] is None for r in answer.json()["results"]), answer.json()


def publish(server: Server, board: dict[str, Any], label: str = "Workshop") -> None:
    """Publish a version of the board, as its facilitator."""
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/versions",
        json={"label": label},
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    answer.raise_for_status()


def stored(page: Any, element_id: str) -> dict[str, Any]:
    """The element as this page's model has it (window.flowmap)."""
    found: dict[str, Any] = page.evaluate(
        "(id) => window.flowmap.elements().find((e) => e.id === id) ?? null", element_id
    )
    return found
