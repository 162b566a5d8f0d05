"""An arrow's loose end dragged out and back onto its own step makes that step's rework loop
(as "Rework within this step" does), for everyone; back onto a queue, the status says why
there is no arrow. It used to cancel without a word."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, element_box, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

HOUR = 60
LOOPS = (
    "() => window.flowmap.elements().filter((e) => e.kind === 'connector')"
    ".map((e) => [e.source, e.target, e.connector ?? 'flow'])"
)


def draw_out_and_back(page: Page, label: str, handle_name: str, shot: str | None = None) -> None:
    """Drag from the box's arrow handle out to the right of it, then back onto its middle;
    `shot`: a picture of the page just before the drop, in e2e/artifacts."""
    box = element_box(page, label)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    handle = page.get_by_role("button", name=handle_name)
    expect(handle).to_be_visible()
    hb = handle.bounding_box()
    assert hb is not None
    start = (hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    out = (start[0] + 120, start[1] + 40)
    for i in range(1, 7):
        page.mouse.move(
            start[0] + (out[0] - start[0]) * i / 6, start[1] + (out[1] - start[1]) * i / 6
        )
    back = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for i in range(1, 7):
        page.mouse.move(out[0] + (back[0] - out[0]) * i / 6, out[1] + (back[1] - out[1]) * i / 6)
    if shot:
        page.screenshot(path=f"e2e/artifacts/{shot}")
    page.mouse.up()


def test_an_arrow_dragged_back_onto_its_own_step_is_its_rework_loop_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server, board,
        {"id": "s0", "kind": "step", "x": 200, "y": 300, "text": "Build",
         "wait_minutes": 8 * HOUR, "process_minutes": 2 * HOUR},
        {"id": "s1", "kind": "step", "x": 512, "y": 300, "text": "Test",
         "wait_minutes": 8 * HOUR, "process_minutes": 2 * HOUR},
        {"id": "f01", "kind": "connector", "source": "s0", "target": "s1"},
    )  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    for page in (ada, bob):
        wait_connected(page)
        wait_view_settled(page)
    draw_out_and_back(ada, "Step: Test", "Draw an arrow from Test", "arrow-back-onto-step.png")
    # Ada is told what it made; the loop is selected, its rate asked for in the panel.
    expect(ada.locator("#toasts")).to_contain_text("rework")
    expect(ada.get_by_label("Rework rate")).to_be_visible()
    bob.wait_for_function(
        "() => window.flowmap.elements().some((e) => e.kind === 'connector'"
        " && e.source === 's1' && e.target === 's1' && e.connector === 'rework')"
    )
    assert sorted(bob.evaluate(LOOPS)) == [["s0", "s1", "flow"], ["s1", "s1", "rework"]]
    loop = bob.locator('[data-kind="connector"].connector-rework .line')
    expect(loop).to_have_count(1)
    drawn = loop.bounding_box()
    assert drawn is not None and drawn["width"] > 20 and drawn["height"] > 10, drawn
    ada.screenshot(path="e2e/artifacts/arrow-back-onto-step-made.png")


def test_an_arrow_dragged_back_onto_its_own_queue_says_why_there_is_none(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server, board,
        {"id": "s0", "kind": "step", "x": 200, "y": 300, "text": "Build"},
        {"id": "q0", "kind": "inventory", "x": 520, "y": 320, "text": "Backlog", "count": 12},
    )  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    wait_view_settled(ada)
    draw_out_and_back(ada, "Inventory: 12 items, Backlog", "Draw an arrow from Backlog")
    expect(ada.locator("#toasts")).to_contain_text("No arrow drawn")
    expect(ada.locator("#toasts")).to_contain_text("a queue cannot send work back to itself")
    ada.screenshot(path="e2e/artifacts/arrow-back-onto-queue.png")
    assert ada.evaluate(LOOPS) == []
