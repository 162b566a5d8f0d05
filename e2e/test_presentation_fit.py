"""Zoom to fit in presentation view shows the whole of every card and queue chip.

The cards' text is sized on screen, so how tall a card is on the canvas depends on the
zoom; the fit took only the cards' tops, and on half a laptop screen the lower part of
tall cards (long names wrap to three lines) and the queue chips under them ran off the
screen, or under the Flow panel at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
NAMES = [
    "Refine the incoming request with the customer's product owner",
    "Design the change and agree on the acceptance criteria",
    "Build it",
    "Review the code with a second pair of eyes before merging",
    "Test it on staging with the data of last month's close",
    "Release",
    "Announce the change to the finance team and the auditors",
    "Measure",
]
DRAWN = """() => [...document.querySelectorAll('.far-card, .far-queue')].map((c) => {
  const r = c.getBoundingClientRect();
  return {text: c.innerText.replace(/\\s+/g, ' '), top: r.top, bottom: r.bottom, left: r.left, right: r.right};
})"""
# The screen the panels leave free: under the top bar, above the Flow panel
# (at 683 px it is at the bottom), inside the window.
FREE = """() => {
  const top = document.getElementById('toolbar').getBoundingClientRect().bottom;
  const below = ['#totals'].map((s) => document.querySelector(s).getBoundingClientRect())
    .filter((r) => r.width && r.top > innerHeight / 2).map((r) => r.top);
  return {top, bottom: Math.min(innerHeight, ...below), left: 0, right: innerWidth};
}"""


def test_fit_in_presentation_view_shows_every_card_whole(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Order to cash")
    steps = [
        {"id": f"s{i}", "kind": "step", "text": name, "x": 300 * (i % 2), "y": 100 + 1000 * (i // 2),
         "wait_minutes": 480 * (i + 1), "process_minutes": 60}
        for i, name in enumerate(NAMES)
    ]  # fmt: skip
    # Rows of steps (branches under the flow): the fit is as tall as the screen allows, and
    # far out, where a card is several times its step's height.
    queue = {"id": "q1", "kind": "inventory", "x": 250, "y": 3160, "count": 12}
    live_server.post_ops(board, [{"op": "create", "element": e} for e in [*steps, queue]])
    for viewport in ({"width": 683, "height": 768}, {"width": 1280, "height": 720}):
        page = open_page(board_url(board, "facilitator"), viewport=viewport)
        wait_connected(page)
        page.keyboard.press("p")
        expect(page.locator('[data-action="far-view"]')).to_have_attribute("aria-pressed", "true")
        expect(page.locator(".far-card")).to_have_count(len(NAMES))
        page.locator('[data-action="zoom-fit"]').click()
        wait_view_settled(page)
        page.screenshot(path=str(ARTIFACTS / f"presentation-fit-{viewport['width']}.png"))
        free = page.evaluate(FREE)
        drawn = page.evaluate(DRAWN)
        assert len(drawn) == len(NAMES) + 1, drawn
        for box in drawn:
            assert box["top"] >= free["top"] - 1 and box["bottom"] <= free["bottom"] + 1, (box, free)
            assert box["left"] >= free["left"] - 1 and box["right"] <= free["right"] + 1, (box, free)
        page.context.close()
