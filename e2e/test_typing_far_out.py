"""A name typed in place reads at any zoom.

A workshop map of a dozen steps, fitted on half a laptop screen or on a phone, is drawn at
10-17 %: the field typed into over a new step (Shift+N, Add step, N) took the step's size
and the map's zoom, and the words being typed were 1.4-2.3 px high, while the side panel's
name field beside it stayed empty. The field keeps a readable size, over its step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
# Below this the words are not read but guessed at (a phone's body text is 16 px).
READABLE_PX = 12

FIELD = """
async () => {
  // As drawn: the frame after the keys (the context bar steps aside for the field then).
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const field = document.querySelector('.text-editor');
  const r = field.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  return { font: parseFloat(getComputedStyle(field).fontSize), left: r.left, right: r.right,
           top: r.top, bottom: r.bottom, onTop: document.elementFromPoint(x, y) === field, over: document.elementFromPoint(x, y)?.className?.toString(),
           step: document.querySelector('[data-id="' + field.dataset.editing + '"] .body').getBoundingClientRect().toJSON() };
}
"""


def a_dozen_steps(server: Server, board: dict[str, Any]) -> None:
    names = ["Refine", "Design", "Estimate", "Build", "Review", "Scan", "Stage", "Fix",
             "Approve", "Release", "Smoke", "Announce"]  # fmt: skip
    seed(server, board, *(
        {"id": f"s{i}", "kind": "step", "x": 60 + 312 * i, "y": 120, "text": name}
        for i, name in enumerate(names)
    ))  # fmt: skip


@pytest.mark.parametrize("size", [(683, 768), (390, 844)])
def test_a_new_steps_name_is_typed_at_a_readable_size_on_a_fitted_workshop_map(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    a_dozen_steps(live_server, board)
    page = open_page(
        board_url(board, "facilitator"), name="Fay", viewport={"width": size[0], "height": size[1]}
    )
    wait_connected(page)
    page.get_by_role("button", name="Zoom to fit").click()
    wait_view_settled(page)
    assert page.evaluate("window.flowmap.zoom") < 0.25, "the map is drawn far out"

    page.get_by_role("button", name="Add step").click()
    field = page.get_by_label("Step text", exact=True)
    expect(field).to_be_focused()
    field.press_sequentially("Collect feedback")
    wait_view_settled(page)  # the new step brought into view, its field with it
    shown = page.evaluate(FIELD)
    page.screenshot(path=str(ARTIFACTS / f"typing-far-out-{size[0]}.png"))
    assert shown["font"] >= READABLE_PX, shown
    # Whole on screen, on top of everything, and over the step it names.
    assert 0 <= shown["left"] and shown["right"] <= size[0], shown
    assert 0 <= shown["top"] and shown["bottom"] <= size[1], shown
    assert shown["onTop"], str(shown)
    step = shown["step"]
    centre = (step["left"] + step["right"]) / 2, (step["top"] + step["bottom"]) / 2
    assert shown["left"] <= centre[0] <= shown["right"], shown
    assert shown["top"] <= centre[1] <= shown["bottom"], shown

    field.press("Enter")
    expect(page.get_by_label("Step: Collect feedback", exact=True)).to_have_count(1)


def test_a_name_typed_far_out_over_a_step_by_the_side_panel_keeps_clear_of_the_panel(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Grown to a readable size about its step, the field must not slip under the panel that
    # sits at the bottom of half a laptop screen, with the words being typed.
    a_dozen_steps(live_server, board)
    page = open_page(board_url(board, "facilitator"), name="Fay", viewport={"width": 683, "height": 768})
    wait_connected(page)
    page.get_by_role("button", name="Zoom to fit").click()
    wait_view_settled(page)
    page.get_by_label("Step: Build", exact=True).click()
    panel = page.locator("#inspector")
    expect(panel).to_be_visible()
    wait_view_settled(page)
    # Pan (Space + drag) until the step sits just above the panel.
    step = page.get_by_label("Step: Build", exact=True).bounding_box()
    top = panel.bounding_box()
    assert step is not None and top is not None
    page.mouse.move(20, step["y"])
    page.keyboard.down("Space")
    page.mouse.down()
    page.mouse.move(20, top["y"] - step["height"] - 4, steps=5)
    page.mouse.up()
    page.keyboard.up("Space")
    moved = page.get_by_label("Step: Build", exact=True).bounding_box()
    assert moved is not None and top["y"] - 30 < moved["y"] + moved["height"] <= top["y"], (moved, top)

    page.keyboard.press("Enter")
    field = page.get_by_label("Step text", exact=True)
    expect(field).to_be_focused()
    shown = page.evaluate(FIELD)
    page.screenshot(path=str(ARTIFACTS / "typing-far-out-by-the-panel.png"))
    assert shown["font"] >= READABLE_PX, shown
    assert shown["bottom"] <= top["y"], (shown, top)
    assert shown["onTop"], str(shown)
    # Zoom to fit's far-out hint, still up, went above the field: it sits above the panel too,
    # and lay over the words being typed for its seconds.
    hint = page.locator(".toast", has_text="too small to read").bounding_box()
    assert hint is None or hint["y"] + hint["height"] <= shown["top"], (hint, shown)
