"""The selection bar keeps off the map's title, the controls and what it belongs to.

It went above the selection whatever was there: over the map's title drawn just above
the steps on half a laptop screen, and, pushed below a step by the top bar, over the
step's own figures (frontend/tests/context-bar.test.js). It now takes the first place
that covers none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
# What the bar must not cover, on screen: the words of the map's title (and scope), the top
# bar's parts, the zoom and status, the lead-time ladder with its totals, and the selected step
# with its figures and chips.
COVERED = """(id) => {
  const bar = document.querySelector('.context-bar').getBoundingClientRect();
  const words = [...document.querySelectorAll('.frame-title, .frame-scope, .frame-people')].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [el.className, range.getBoundingClientRect()];
  });
  const controls = [...document.querySelectorAll('.topbar > *, .zoom-controls, #status, .ladder')]
    .map((el) => [el.id || el.getAttribute('class'), el.getBoundingClientRect()]);
  const g = document.querySelector(`[data-id="${id}"]`);
  const step = [g.querySelector('.body'), g.querySelector('.data-slot')].map((el) => ['step', el.getBoundingClientRect()]);
  const hit = (r) => r.width > 0 && r.left < bar.right && r.right > bar.left && r.top < bar.bottom && r.bottom > bar.top;
  return [...words, ...controls, ...step].filter(([, r]) => hit(r)).map(([name]) => String(name));
}"""


def seed_row(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"Step {i + 1}", "x": 320 * i, "y": 100,
                                     "wait_minutes": 480, "process_minutes": 60, "waste": ["defects"]}}
        for i in range(4)
    ])  # fmt: skip


def click_step(page: Page, step: str) -> None:
    """A press where the step is on screen (a locator's click scrolled the canvas's host first)."""
    box = page.locator(f'[data-id="{step}"] .body').bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 10)
    page.wait_for_function("(id) => window.flowmap.selection().includes(id)", arg=step)


@pytest.mark.parametrize("size", [(683, 768), (1280, 720)])
def test_the_selection_bar_covers_neither_the_title_nor_the_controls(
    size: tuple[int, int], live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Order to cash for the enterprise accounts")
    seed_row(live_server, board)
    width, height = size
    page = open_page(board_url(board, "facilitator"), viewport={"width": width, "height": height})
    wait_connected(page)
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    bar = page.locator(".context-bar")
    for step in ("s0", "s1", "s3"):
        page.keyboard.press("Escape")  # the step's panel closes: the next step is not under it
        expect(bar).to_be_hidden()
        click_step(page, step)
        expect(bar).to_be_visible()
        wait_view_settled(page)
        assert page.evaluate(COVERED, step) == [], step
    page.screenshot(path=str(ARTIFACTS / f"selection-bar-{width}.png"))
