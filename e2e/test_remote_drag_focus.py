"""A box a peer is dragging keeps the keyboard's focus here, and Tab still reaches it: their
drag moves it (drawn in the SVG over the map while it lasts), it does not take it away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from e2e.utils.board import board_url, element_box, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
# Whether step b is drawn in the SVG over the map (a peer drags it).
B_UP = "() => document.querySelector('[data-id=\"b\"]').ownerSVGElement.classList.contains('canvas-live')"
FOCUSED = "() => document.activeElement?.getAttribute('data-id') ?? null"


def two_pages(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> tuple[Page, Page]:
    seed(
        live_server, board,
        {"id": "a", "kind": "step", "x": 0, "y": 0, "text": "Alpha"},
        {"id": "b", "kind": "step", "x": 400, "y": 0, "text": "Beta"},
        {"id": "c", "kind": "step", "x": 800, "y": 0, "text": "Gamma"},
        {"id": "ab", "kind": "connector", "source": "a", "target": "b"},
    )  # fmt: skip
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    for page in (ada, bob):
        wait_connected(page)
        wait_view_settled(page)
    return ada, bob


def start_drag(ada: Page, steps: int) -> tuple[float, float]:
    box = element_box(ada, "Step: Beta")
    x, y = box["x"] + 20, box["y"] + 20
    ada.mouse.move(x, y)
    ada.mouse.down()
    for i in range(1, steps + 1):
        ada.mouse.move(x + 4 * i, y + 8 * i)
        ada.wait_for_timeout(40)
    return x + 4 * steps, y + 8 * steps


def test_a_box_with_the_focus_keeps_it_while_a_peer_drags_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada, bob = two_pages(live_server, board, open_page)
    bob.locator('[data-id="a"]').focus()
    bob.keyboard.press("Tab")  # reached with the keyboard, as a keyboard user does
    assert bob.evaluate(FOCUSED) == "b"
    x, y = start_drag(ada, 10)
    bob.wait_for_function(B_UP)
    assert bob.evaluate(FOCUSED) == "b"  # was null: moved into the layer, it lost the focus
    ARTIFACTS.mkdir(exist_ok=True)
    bob.screenshot(path=ARTIFACTS / "remote-drag-keeps-focus.png")
    ada.mouse.move(x + 30, y + 30)
    ada.mouse.up()
    bob.wait_for_function(f"() => !({B_UP})()")
    assert bob.evaluate(FOCUSED) == "b"  # landed back in the map, still focused
    bob.keyboard.press("Tab")
    assert bob.evaluate(FOCUSED) == "c"


def test_tab_reaches_and_leaves_a_box_a_peer_is_dragging(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada, bob = two_pages(live_server, board, open_page)
    x, y = start_drag(ada, 6)
    bob.wait_for_function(B_UP)
    bob.locator('[data-id="a"]').focus()
    bob.keyboard.press("Tab")
    assert bob.evaluate(FOCUSED) == "b"  # was "a" or lost: Tab skipped the moving box
    ada.mouse.move(x + 8, y + 8)  # the drag goes on: it does not expire under the test
    bob.keyboard.press("Tab")
    assert bob.evaluate(FOCUSED) == "c"
    bob.keyboard.press("Shift+Tab")
    assert bob.evaluate(FOCUSED) == "b"
    bob.screenshot(path=ARTIFACTS / "remote-drag-tab-reaches.png")
    bob.keyboard.press("Shift+Tab")
    assert bob.evaluate(FOCUSED) == "a"
    ada.mouse.up()
