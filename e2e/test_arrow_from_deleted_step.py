"""One person deletes a step while another is drawing an arrow from it, in real Chromium
pages: the drawing ends, and the page says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import fay_and_bob, select_step, wait_connected
from tests.support.live import Server

SIZES = [{"width": 1280, "height": 720}, {"width": 683, "height": 768}]


@pytest.mark.parametrize("size", SIZES, ids=["1280", "683"])
def test_drawing_an_arrow_from_a_step_someone_deletes_says_why_it_ended(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], size: dict[str, int]
) -> None:
    """Bob was drawing an arrow from Build when Fay deleted Build: his rubber band vanished
    under his pointer and his drop on Test did nothing, without a word why."""
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s-build", "kind": "step", "text": "Build", "x": 100, "y": 200}},
        {"op": "create", "element": {"id": "s-test", "kind": "step", "text": "Test", "x": 420, "y": 200}},
    ])  # fmt: skip
    fay, bob = fay_and_bob(open_page, board, size)
    select_step(fay, "Build")
    select_step(bob, "Build")
    bob.keyboard.press("Escape")  # the panel closes: the handle is in the clear at 683 too
    bob.get_by_label("Step: Build").hover()
    handle = bob.locator(".connect-handle .connect-handle-hit").bounding_box()
    assert handle is not None
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    bob.mouse.move(x, y)
    bob.mouse.down()
    bob.mouse.move(x + 60, y + 10, steps=5)
    assert bob.evaluate("() => window.flowmap.connecting")  # drawing
    fay.keyboard.press("Delete")
    bob.wait_for_function("() => !window.flowmap.elements().some((e) => e.id === 's-build')")
    said = bob.locator(".toast", has_text="Build was deleted by someone else")
    expect(said).to_contain_text("the arrow from it was not drawn")
    target = bob.get_by_label("Step: Test").bounding_box()
    assert target is not None
    bob.mouse.move(target["x"] + 30, target["y"] + 30, steps=5)
    bob.screenshot(path=f"e2e/artifacts/arrow-from-deleted-step-{size['width']}.png")
    bob.mouse.up()
    wait_connected(bob)
    assert not bob.evaluate("() => window.flowmap.elements().some((e) => e.kind === 'connector')")
