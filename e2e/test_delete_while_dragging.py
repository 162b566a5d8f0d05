"""One person deletes a step while another is dragging it, in real Chromium pages: the drag
lets the step go quietly, with nothing the dragger cannot make sense of."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import fay_and_bob, select_step, wait_connected
from tests.support.live import Server

SIZES = [{"width": 1280, "height": 720}, {"width": 683, "height": 768}]


@pytest.mark.parametrize("size", SIZES, ids=["1280", "683"])
def test_dragging_a_step_someone_deletes_shows_no_protocol_error(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], size: dict[str, int]
) -> None:
    """Bob was dragging Build when Fay deleted it: his page went on sending its drag with no
    boxes in it, and he got a red "drag.moves: List should have at least 1 item after
    validation, not 0" from the server."""
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s-build", "kind": "step", "text": "Build", "x": 100, "y": 200}},
        {"op": "create", "element": {"id": "s-test", "kind": "step", "text": "Test", "x": 500, "y": 200}},
    ])  # fmt: skip
    fay, bob = fay_and_bob(open_page, board, size)
    select_step(fay, "Build")

    box = bob.get_by_label("Step: Build").bounding_box()
    assert box is not None
    x, y = box["x"] + 20, box["y"] + 20
    bob.mouse.move(x, y)
    bob.mouse.down()
    bob.mouse.move(x + 30, y + 40, steps=5)
    fay.keyboard.press("Delete")
    bob.wait_for_function("() => !window.flowmap.elements().some((e) => e.id === 's-build')")
    for i in range(1, 8):  # he goes on dragging for a moment, then lets go
        bob.mouse.move(x + 30 + 10 * i, y + 40 + 5 * i, steps=3)
        bob.wait_for_timeout(60)
    bob.screenshot(path=f"e2e/artifacts/delete-while-dragging-{size['width']}.png")
    errors = bob.locator(".toast", has_text="validation")
    expect(errors).to_have_count(0)
    bob.mouse.up()
    bob.wait_for_timeout(800)
    expect(errors).to_have_count(0)
    wait_connected(bob)
    expect(bob.get_by_label("Step: Build")).to_have_count(0)
    expect(bob.get_by_label("Step: Test")).to_be_visible()
