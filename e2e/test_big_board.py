"""A big map stays cheap to draw: what is far off screen is set aside, and is back before it is seen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

CULLED = re.compile(r"\bis-culled\b")


def two_far_apart(server: Server, board: dict[str, Any]) -> None:
    seed(
        server, board,
        {"id": "west", "kind": "step", "x": 0, "y": 0, "text": "West"},
        {"id": "east", "kind": "step", "x": 9000, "y": 0, "text": "East"},
        {"id": "mid", "kind": "step", "x": 4500, "y": 0, "text": "Middle"},
        {"id": "c1", "kind": "connector", "source": "west", "target": "mid"},
    )  # fmt: skip


def test_far_off_elements_are_set_aside_and_come_back_with_the_view(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    two_far_apart(live_server, board)
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    wait_view_settled(page)
    west, east, middle = (page.locator(f'[data-id="{i}"]') for i in ("west", "east", "mid"))
    for step in (west, east, middle):
        expect(step).to_be_visible()  # the whole map fits on screen

    # 100 % around the middle of the screen: only the middle step is near.
    page.get_by_role("button", name=re.compile("Reset to 100%")).click()
    wait_view_settled(page)
    expect(middle).to_be_visible()
    for far in (west, east):
        expect(far).to_have_class(CULLED)
        expect(far).to_be_hidden()
    expect(page.locator('[data-id="c1"]')).to_be_visible()  # its other end is on screen

    page.get_by_role("button", name="Zoom to fit").click()
    wait_view_settled(page)
    for step in (west, east, middle):
        expect(step).to_be_visible()
        expect(step).not_to_have_class(CULLED)


def test_a_selected_element_is_never_set_aside(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    two_far_apart(live_server, board)
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    wait_view_settled(page)
    page.get_by_label("Step: West", exact=True).click()
    page.get_by_role("button", name=re.compile("Reset to 100%")).click()
    wait_view_settled(page)
    expect(page.locator('[data-id="west"]')).not_to_have_class(CULLED)
    expect(page.locator('[data-id="east"]')).to_have_class(CULLED)
