"""A keyboard user reaches the map in a few presses: "Skip to the map" comes first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

# Tab presses after the skip link to reach the map's first step (Tab alone took 21 on a
# facilitator's page with three steps: the tool bar, the people, the Flow panel).
MOST_TABS_TO_A_STEP = 1


def three_steps(server: Server, board: dict[str, Any]) -> None:
    seed(
        server, board,
        *[{"id": f"s{i}", "kind": "step", "x": 200 + 312 * i, "y": 300, "text": name}
          for i, name in enumerate(["Refine", "Build", "Test"])],
        {"id": "f01", "kind": "connector", "source": "s0", "target": "s1"},
        {"id": "f12", "kind": "connector", "source": "s1", "target": "s2"},
    )  # fmt: skip


def focused_step(page: Page) -> str | None:
    """The text of the step that has the keyboard focus, if a step has it."""
    found: str | None = page.evaluate(
        "() => { const g = document.activeElement?.closest?.('[data-kind=\"step\"]');"
        " return g ? g.getAttribute('aria-label') : null; }"
    )
    return found


@pytest.mark.parametrize("role", ["facilitator", "participant", "viewer"])
def test_the_first_tab_offers_to_skip_to_the_map_and_the_steps_follow(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], role: str
) -> None:
    three_steps(live_server, board)
    page = open_page(board_url(board, role))
    wait_connected(page)
    wait_view_settled(page)
    skip = page.get_by_role("link", name="Skip to the map")
    expect(skip).to_have_count(1)
    # Out of sight until the keyboard reaches it, then plainly on screen.
    box = skip.bounding_box()
    assert box is None or box["width"] <= 1 or box["y"] + box["height"] <= 0, box
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 16, box
    page.screenshot(path="e2e/artifacts/skip-to-map.png")
    page.keyboard.press("Enter")
    tabs = 0
    while focused_step(page) is None and tabs < 40:
        page.keyboard.press("Tab")
        tabs += 1
    assert focused_step(page) == "Step: Refine"
    assert tabs <= MOST_TABS_TO_A_STEP, f"{tabs} Tabs from the skip link to the first step"
    # On from there, step to step, as the help says.
    page.keyboard.press("Tab")
    assert focused_step(page) == "Step: Build"


def test_tab_reads_the_map_left_to_right_then_top_to_bottom_not_in_the_order_it_was_made(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Tab followed the page's order, the order the steps were made in: here right to left.
    seed(
        live_server, board,
        {"id": "s-d", "kind": "step", "x": 1000, "y": 200, "text": "Release"},
        {"id": "s-c", "kind": "step", "x": 600, "y": 200, "text": "Test"},
        {"id": "s-b", "kind": "step", "x": 200, "y": 420, "text": "Fix"},
        {"id": "s-a", "kind": "step", "x": 200, "y": 200, "text": "Build"},
        {"id": "f1", "kind": "connector", "source": "s-a", "target": "s-c"},
    )  # fmt: skip
    page = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(page)
    wait_view_settled(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the map")).to_be_focused()
    page.keyboard.press("Enter")
    walked = []
    for _ in range(4):
        page.keyboard.press("Tab")
        walked.append(focused_step(page))
    assert walked == ["Step: Build", "Step: Fix", "Step: Test", "Step: Release"]
    # Past the last step, on out of the map; Shift+Tab comes back to it, then back along the row.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('svg')"), "Tab stayed in the map"
    back = []
    page.keyboard.press("Shift+Tab")
    expect(page.locator('[data-id="s-d"]')).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        back.append(focused_step(page))
    assert back == ["Step: Test", "Step: Fix", "Step: Build"]
    page.keyboard.press("Shift+Tab")
    expect(page.locator("svg.canvas")).to_be_focused()
