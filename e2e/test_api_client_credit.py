"""A script's edits over HTTP read as the link's API client on everyone's page, not "api"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
CREDIT = "the facilitator's API client"


def test_a_figure_and_a_comment_set_by_a_script_are_credited_to_its_api_client(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    step = {"id": "ship", "kind": "step", "text": "Ship", "x": 200, "y": 200, "w": 160, "h": 90}
    live_server.post_ops(board, [{"op": "create", "element": step}])
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    for page in (fay, ada):
        wait_connected(page)
    live_server.post_ops(board, [
        {"op": "update", "id": "ship", "set": {"wait_minutes": 960, "wait_text": "2d"}},
        {"op": "create", "element": {"id": "c1", "kind": "comment", "target": "ship",
                                     "text": "Imported from the tracker"}},
    ])  # fmt: skip
    for page in (fay, ada):
        select_step(page, "Ship")
        expect(page.locator('[data-prov="wait_minutes"]')).to_contain_text(f"Set by {CREDIT}")
        expect(page.locator(".comment-thread").first).to_contain_text(CREDIT)
    expect(ada.locator('[data-prov="wait_minutes"]')).not_to_contain_text("Set by api")
    ARTIFACTS.mkdir(exist_ok=True)
    ada.screenshot(path=str(ARTIFACTS / "api-client-credit.png"))
    ada.set_viewport_size({"width": 683, "height": 768})
    ada.screenshot(path=str(ARTIFACTS / "api-client-credit-narrow.png"))
