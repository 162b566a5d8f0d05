"""A long word someone typed stays inside the panel that shows it, however narrow the window.

A step named with one long word (a German compound, a pasted path or id) was the constraint:
the Flow panel's sentence ran out past its right edge and under the map, cut off, and a dot
vote's question of one long word ran out of its card and off the screen, for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

WORD = "Qualitätssicherungsprüfungsverfahrensdokumentationsablage" * 3

# Each piece of text inside the panels that reaches past its panel's right edge.
OUTSIDE = """
() => {
  const out = [];
  for (const panel of document.querySelectorAll('#totals, #vote-panel, #inspector')) {
    if (panel.hidden || !panel.getBoundingClientRect().width) continue;
    const edge = panel.getBoundingClientRect().right;
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || !node.parentElement.getClientRects().length) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.right > edge + 1) out.push([panel.id, node.textContent.slice(0, 30), r.right, edge]);
      }
    }
  }
  return out;
}
"""


@pytest.mark.parametrize("width,height", [(1280, 720), (683, 768), (390, 844)])
def test_a_long_word_in_the_constraint_and_the_vote_stays_inside_its_panel(
    live_server: Server, open_page: Callable[..., Page], width: int, height: int
) -> None:
    board: dict[str, Any] = live_server.create_board("Long words")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "a", "kind": "step", "text": "Plan", "x": 0, "y": 0,
                                     "wait_minutes": 60, "process_minutes": 60}},
        {"op": "create", "element": {"id": "b", "kind": "step", "text": WORD, "x": 300, "y": 0,
                                     "wait_minutes": 2400, "process_minutes": 60}},
        {"op": "create", "element": {"id": "ab", "kind": "connector", "source": "a", "target": "b"}},
        {"op": "create", "element": {"id": "v", "kind": "vote", "text": WORD, "dots": 3, "open": True}},
    ])  # fmt: skip
    page = open_page(board_url(board, "facilitator"), viewport={"width": width, "height": height})
    wait_connected(page)
    page.locator("#totals").get_by_text("Constraint").first.wait_for()
    page.locator("#vote-panel").get_by_text(WORD[:20]).wait_for()
    if width < 721:  # the Flow panel opens folded on a phone: open it whole
        page.locator("#totals").get_by_role("button").first.click()
    page.locator("#totals").get_by_text("steps need data").click()  # the list names the step
    outside = page.evaluate(OUTSIDE)
    page.screenshot(path=f"e2e/artifacts/long-words-{width}.png")
    assert outside == [], outside
    # The step's own panel, its name at the head, once the vote is over.
    live_server.post_ops(board, [{"op": "delete", "id": "v"}])
    page.locator("#vote-panel").wait_for(state="hidden")
    page.get_by_label(f"Step: {WORD}", exact=True).click()
    page.locator("#inspector").wait_for()
    outside = page.evaluate(OUTSIDE)
    page.screenshot(path=f"e2e/artifacts/long-words-{width}-step.png")
    assert outside == [], outside
    page.screenshot(path=f"e2e/artifacts/long-words-{width}.png")


@pytest.mark.parametrize("width,height", [(1280, 720), (683, 768), (390, 844)])
def test_a_timer_labelled_with_one_long_word_keeps_its_countdown_on_screen(
    live_server: Server, open_page: Callable[..., Page], width: int, height: int
) -> None:
    # The label ran off both sides of a phone's screen, and the countdown with it.
    board: dict[str, Any] = live_server.create_board("Long timer")
    live_server.post_ops(
        board, [{"op": "board", "set": {"timer_seconds": 600, "timer_label": WORD[:80]}}]
    )
    page = open_page(board_url(board, "participant"), viewport={"width": width, "height": height})
    wait_connected(page)
    timer = page.locator("[data-session-item=timer]")
    timer.get_by_text("9:").wait_for()
    page.screenshot(path=f"e2e/artifacts/long-timer-{width}.png")
    for part in (timer, timer.locator("[data-timer]")):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (part, box)
