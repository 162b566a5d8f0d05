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


LAPTOP = {"width": 1280, "height": 720}
# The map's title as drawn (its words), and what may cover it: the panels, the top bar's parts,
# the controls over the canvas.
TITLE = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('.frame-title'));
  const r = range.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""
COVERS = """() => [...document.querySelectorAll(
    '#totals, #inspector, .topbar > *, .zoom-controls, #status, #session-bar > *, .vote-panel')]
  .filter((e) => !e.closest('[hidden]')).map((e) => e.getBoundingClientRect()).filter((r) => r.width)
  .map((r) => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right}))"""


def under(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def test_a_step_revealed_near_the_top_left_brings_the_maps_title_out_from_under_the_flow_panel(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # A trigger left of the first step: the title starts over it, well left of the step.
    live_server.post_ops(board, [
        {"op": "board", "set": {"trigger": "Customer order", "scope": "Order to delivery"}},
        *({"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"Step {i + 1}", "x": 320 * i,
                                        "y": 100, "wait_minutes": 480, "process_minutes": 60}}
          for i in range(4)),
        *({"op": "create", "element": {"id": f"f{i}", "kind": "connector", "source": f"s{i}",
                                        "target": f"s{i + 1}"}} for i in range(3)),
    ])  # fmt: skip
    page = open_page(board_url(board, "facilitator"), viewport=LAPTOP)
    wait_connected(page)
    at_full_size(page)
    panel = page.locator("#totals").bounding_box()
    assert panel is not None
    # The first step half under the Flow panel, a little under the top bar: the title over it too.
    first = page.evaluate(DRAWN, "s0")
    page.mouse.move(900, 400)
    page.mouse.wheel(first["left"] - (panel["x"] + panel["width"] - 80), first["top"] - 230)
    wait_view_settled(page)
    title = page.evaluate(TITLE)
    assert title["left"] < panel["x"] + panel["width"], ("the title starts under the panel", title)
    # Select the step after it, then Shift+Tab back to it: it is revealed.
    page.locator('[data-id="s1"] .body').click()
    expect(page.locator("#inspect-text")).to_have_value("Step 2")
    wait_view_settled(page)
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#inspect-text")).to_have_value("Step 1")
    wait_view_settled(page)
    page.screenshot(path=str(ARTIFACTS / "reveal-title-1280.png"))
    step, title = page.evaluate(DRAWN, "s0"), page.evaluate(TITLE)
    covers = page.evaluate(COVERS)
    assert not [c for c in covers if under(step, c)], (step, covers)
    assert not [c for c in covers if under(title, c)], (title, covers)
    assert page.evaluate("() => window.flowmap.zoom") == 1
