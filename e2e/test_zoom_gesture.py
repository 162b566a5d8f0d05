"""A wheel or pinch zoom is shown by the compositor while it lasts and drawn for real when it pauses.

Chromium lays out every SVG text again at each new scale of the SVG's own
transforms, so the zoom is a CSS transform of the <svg> element (the drawing
inside keeps scale 1); while a gesture lasts, the box, culling and the
zoom-sized layers keep the view they were set for, and catch up once the
gesture pauses, or as soon as a pointer goes down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

# After each wheel event the canvas itself has handled (a listener on the window runs after it):
# the zoom on screen, the zoom the SVG is drawn at, and the canvas's transform.
RECORD_WHEEL = """() => {
  window.__wheel = [];
  addEventListener('wheel', () => {
    const canvas = document.querySelector('svg.canvas');
    window.__wheel.push({ zoom: window.flowmap.zoom, drawn: window.flowmap.drawnZoom,
      previewing: window.flowmap.zooming, transform: canvas.style.transform,
      live: document.querySelector('svg.canvas-live').style.transform });
  });
}"""

DRAWN_ZOOM = "() => window.flowmap.drawnZoom"

# The canvas's box on screen: it is the screen, whatever the zoom (its own size is the view's
# canvas rectangle, scaled to fit), and the map inside is laid out at scale 1.
CANVAS_BOX = """() => {
  const canvas = document.querySelector('svg.canvas');
  const r = canvas.getBoundingClientRect(), host = canvas.parentElement.getBoundingClientRect();
  return { dx: r.x - host.x, dy: r.y - host.y, dw: r.width - host.width, dh: r.height - host.height,
           world: canvas.querySelector('g.world').getAttribute('transform') };
}"""


def css_scale(transform: str) -> float:
    found = re.search(r"scale\(([\d.e-]+)\)", transform)
    assert found, transform
    return float(found.group(1))


def opened_row(
    server: Server, board: dict[str, Any], open_page: Callable[..., Page], gap: int
) -> Page:
    """Three steps `gap` apart, open at 100 % around the middle one: the others are off screen."""
    seed(
        server, board,
        {"id": "west", "kind": "step", "x": 0, "y": 0, "text": "West"},
        {"id": "mid", "kind": "step", "x": gap, "y": 0, "text": "Middle"},
        {"id": "east", "kind": "step", "x": 2 * gap, "y": 0, "text": "East"},
    )  # fmt: skip
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    wait_view_settled(page)
    page.get_by_role("button", name=re.compile("Reset to 100%")).click()
    wait_view_settled(page)
    return page


def pinch_out(page: Page, events: int) -> None:
    """Ctrl+wheel in a trackpad pinch's small steps (each zooms out by exp(-0.12)), over the middle."""
    page.mouse.move(640, 420)
    page.keyboard.down("Control")
    for _ in range(events):
        page.mouse.wheel(0, 12)
    page.keyboard.up("Control")


def test_a_wheel_zoom_is_previewed_then_drawn_at_the_true_view(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = opened_row(live_server, board, open_page, gap=1450)
    east = page.get_by_label("Step: East", exact=True)
    expect(east).to_be_hidden()  # far off screen: set aside
    page.evaluate(RECORD_WHEEL)
    pinch_out(page, 10)  # 100 % to ~30 %

    steps = page.evaluate("() => window.__wheel")
    assert len(steps) == 10, steps
    # The zoom on screen follows each event at once, while the SVG stays drawn at 100 %
    # (until so little of the screen would show the drawing that it is drawn anew, once).
    assert [round(s["zoom"], 2) for s in steps[:4]] == [0.89, 0.79, 0.7, 0.62], steps
    assert all(abs(s["drawn"] - 1) < 1e-6 and s["previewing"] for s in steps[:4]), steps
    assert all(abs(css_scale(s["transform"]) - s["zoom"]) < 1e-4 for s in steps), steps
    # Peers' moving boxes, drawn in an SVG over the map, are scaled with it.
    assert all(s["live"] == s["transform"] for s in steps), steps
    assert len({s["drawn"] for s in steps}) <= 2, steps
    assert steps[-1]["zoom"] < 0.31, steps

    # Paused: the view is drawn for real, crisp, and the preview is gone.
    page.wait_for_function("() => !window.flowmap.zooming")
    zoom = page.evaluate("() => window.flowmap.zoom")
    assert abs(page.evaluate(DRAWN_ZOOM) - zoom) < 1e-9
    expect(page.locator("svg.canvas")).not_to_have_class(re.compile(r"\bis-zooming\b"))
    box = page.evaluate(CANVAS_BOX)
    assert all(abs(box[d]) < 1 for d in ("dx", "dy", "dw", "dh")), box
    assert "scale" not in box["world"], box
    expect(page.locator('.zoom-controls [data-action="zoom-reset"]')).to_have_text(
        f"{round(zoom * 100)}%"
    )
    # What came on screen is drawn, and a click lands on what is under it.
    expect(east).to_be_visible()
    east.click()
    expect(east).to_have_attribute("aria-pressed", "true")


def test_a_pointer_down_in_the_middle_of_a_zoom_meets_what_is_on_screen(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = opened_row(live_server, board, open_page, gap=700)
    pinch_out(page, 4)  # 100 % to ~62 %
    # Each step the preview shows (inside the drawing's box, scaled), where it shows it; the
    # farthest from where the zoom is anchored (a click there misses if the preview and the
    # true view disagree).
    shown = page.evaluate(
        """() => {
          const canvas = document.querySelector('svg.canvas');
          const box = canvas.getBoundingClientRect();
          return [...document.querySelectorAll('.el-step:not(.is-culled)')].map((g) => {
            const r = g.getBoundingClientRect();
            const x = r.x + r.width / 2, y = r.y + r.height / 2;
            return { id: g.dataset.id, x, y, previewing: window.flowmap.zooming,
                     shown: x > box.left && x < box.right && y > box.top && y < box.bottom };
          });
        }"""
    )
    on_screen = [s for s in shown if s["shown"] and 40 < s["x"] < 1240 and 100 < s["y"] < 700]
    at = max(on_screen, key=lambda s: abs(s["x"] - 640))
    assert abs(at["x"] - 640) > 200 and at["previewing"], shown
    page.mouse.click(at["x"], at["y"])
    clicked = page.locator(f'[data-id="{at["id"]}"]')
    expect(clicked).to_have_attribute("aria-pressed", "true")
    # The click drew the view: nothing waited for the pause.
    assert not page.evaluate("() => window.flowmap.zooming")
    zoom = page.evaluate("() => window.flowmap.zoom")
    assert abs(page.evaluate(DRAWN_ZOOM) - zoom) < 1e-9
