"""Selecting a step brings it, and the figures and waste chips under it, into view.

On half a laptop screen the step's panel opens over the lower half of the map: a step
clicked there kept its figures under the panel (only the step's own box was revealed),
and a step reached with Tab off the screen was brought to the middle, the whole view
jumping. Now the step and its data box are brought just inside the free part of the
screen, at the same zoom, by the least pan that does it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
HALF_LAPTOP = {"width": 683, "height": 768}
WASTE = ["defects", "waiting", "motion"]
# The step with what hangs under it (its data box and waste chips), on screen.
DRAWN = """(id) => {
  const g = document.querySelector(`[data-id="${id}"]`);
  const parts = [g.querySelector('.body'), g.querySelector('.data-slot')].map((e) => e.getBoundingClientRect());
  return {top: Math.min(...parts.map((r) => r.top)), bottom: Math.max(...parts.map((r) => r.bottom)),
          left: Math.min(...parts.map((r) => r.left)), right: Math.max(...parts.map((r) => r.right))};
}"""
# The part of the screen the top bar and the panels (at 683 px all at the bottom) leave free.
FREE = """() => {
  const top = document.getElementById('toolbar').getBoundingClientRect().bottom;
  const below = ['#totals', '#inspector'].map((s) => document.querySelector(s))
    .filter((e) => !e.hidden).map((e) => e.getBoundingClientRect().top);
  return {top, bottom: Math.min(innerHeight, ...below), left: 0, right: innerWidth};
}"""


def seed_row(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"Step {i + 1}", "x": 320 * i, "y": 100,
                                     "wait_minutes": 480, "process_minutes": 60, "pca": 90, "people": 2,
                                     "waste": WASTE}}
        for i in range(4)
    ])  # fmt: skip


def inside(box: dict[str, float], free: dict[str, float]) -> bool:
    return (
        box["top"] >= free["top"] - 1
        and box["bottom"] <= free["bottom"] + 1
        and box["left"] >= free["left"] - 1
        and box["right"] <= free["right"] + 1
    )


def at_full_size(page: Page) -> None:
    page.locator('[data-action="zoom-reset"]').click()
    page.wait_for_function("() => window.flowmap.zoom === 1")
    wait_view_settled(page)


def test_clicking_a_step_brings_its_figures_out_from_under_the_panel(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_row(live_server, board)
    page = open_page(board_url(board, "facilitator"), viewport=HALF_LAPTOP)
    wait_connected(page)
    at_full_size(page)
    # The step's top a little under the top bar: its box stays clear of the panel about to
    # open over the lower half of the screen, its figures and chips do not.
    step = page.evaluate(DRAWN, "s1")
    page.mouse.move(340, 300)
    page.mouse.wheel(step["left"] - 200, step["top"] - 190)
    wait_view_settled(page)
    before = page.evaluate(DRAWN, "s1")
    page.locator('[data-id="s1"] .body').click()
    expect(page.locator("#inspect-text")).to_have_value("Step 2")
    wait_view_settled(page)
    page.screenshot(path=str(ARTIFACTS / "reveal-click-683.png"))
    after, free = page.evaluate(DRAWN, "s1"), page.evaluate(FREE)
    assert inside(after, free), (after, free)
    assert page.evaluate("() => window.flowmap.zoom") == 1
    # The least pan: straight up, by no more than the figures stood under the panel.
    assert abs(after["left"] - before["left"]) < 1, (before, after)
    assert before["top"] - after["top"] <= before["bottom"] - free["bottom"] + 40, (before, after, free)


def test_a_step_reached_with_tab_comes_just_into_view(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_row(live_server, board)
    page = open_page(board_url(board, "facilitator"), viewport=HALF_LAPTOP)
    wait_connected(page)
    at_full_size(page)
    first = page.evaluate(DRAWN, "s0")
    page.mouse.move(340, 300)
    page.mouse.wheel(first["left"] - 40, first["top"] - 150)
    wait_view_settled(page)
    page.locator('[data-id="s0"] .body').click()
    expect(page.locator("#inspect-text")).to_have_value("Step 1")
    wait_view_settled(page)
    for name in ("Step 2", "Step 3", "Step 4"):
        page.keyboard.press("Tab")
        expect(page.locator("#inspect-text")).to_have_value(name)
        wait_view_settled(page)
        number = int(name.split()[1]) - 1
        box, free = page.evaluate(DRAWN, f"s{number}"), page.evaluate(FREE)
        assert inside(box, free), (name, box, free)
        assert page.evaluate("() => window.flowmap.zoom") == 1
    page.screenshot(path=str(ARTIFACTS / "reveal-tab-683.png"))
    # Brought in from the right by the least pan: its right edge near the free part's, not centred.
    box, free = page.evaluate(DRAWN, "s3"), page.evaluate(FREE)
    assert free["right"] - box["right"] < 60, (box, free)
