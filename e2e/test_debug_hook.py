"""The page's debug hook (window.flowmap), which every e2e test reads: what it reports is on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server


def test_an_element_the_hook_reports_is_already_drawn_where_it_says(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ops = f"{live_server.url}/api/boards/{board['id']}/ops"
    token = {"token": board["tokens"]["facilitator"]}
    httpx.post(ops, params=token, json={"ops": [
        {"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan", "x": 100, "y": 200}},
    ]}).raise_for_status()  # fmt: skip
    page = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(page)
    page.wait_for_function("() => document.querySelector('[data-id=\"s1\"]')")
    # Frames stop coming (a busy machine, a page in the background): the edit arrives
    # between two of them, and a test that waits on the hook then reads the page.
    page.evaluate("() => { let id = 1e6; window.requestAnimationFrame = () => ++id; }")
    httpx.post(ops, params=token, json={"ops": [{"op": "update", "id": "s1", "set": {"y": 420}}]}).raise_for_status()
    page.wait_for_function("() => window.flowmap.elements().find((e) => e.id === 's1').y === 420", polling=50)
    moved = page.evaluate("() => document.querySelector('[data-id=\"s1\"]').getAttribute('transform')")
    assert moved is not None and "420" in moved, moved
