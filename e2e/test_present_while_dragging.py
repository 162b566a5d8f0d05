"""The facilitator presents (cards over the steps) while a participant drags a step, in
real Chromium pages: the dragged step's card shows whole, with no bare box laid over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import fay_and_bob

SIZES = [{"width": 1280, "height": 720}, {"width": 683, "height": 768}]

# Whether any part of the step's own box is painted inside its card (the card's middle).
BOX_OVER_CARD = """(id) => {
    const card = document.querySelector(`.far-card[data-step="${id}"]`)?.getBoundingClientRect();
    if (!card) return 'no card';
    const bodies = [...document.querySelectorAll(`[data-id="${id}"] .body`)].filter((b) => {
        const s = getComputedStyle(b);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
        if (b.closest('[hidden]') || getComputedStyle(b.closest('svg')).display === 'none') return false;
        return b.closest('svg').classList.contains('canvas-live');  // the layer over the cards
    });
    return bodies.some((b) => {
        const r = b.getBoundingClientRect();
        return r.width > 0 && r.left < card.right && r.right > card.left && r.top < card.bottom && r.bottom > card.top;
    });
}"""


@pytest.mark.parametrize("size", SIZES, ids=["1280", "683"])
def test_a_step_a_peer_drags_during_a_presentation_shows_its_card_whole(
    live_server: Any, board: dict[str, Any], open_page: Callable[..., Page], size: dict[str, int]
) -> None:
    """Fay presented while Bob dragged Ship: on her screen a bare yellow box, the step's own,
    lay over the middle of Ship's card and hid its figures until he let go."""
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s1", "kind": "step", "text": "Build", "x": 100, "y": 200}},
        {"op": "create", "element": {"id": "s3", "kind": "step", "text": "Ship", "x": 420, "y": 200}},
    ])  # fmt: skip
    fay, bob = fay_and_bob(open_page, board, size)
    fay.locator("svg.canvas").focus()
    fay.keyboard.press("p")
    expect(fay.locator('.far-card[data-step="s3"]')).to_be_visible()
    assert fay.evaluate(BOX_OVER_CARD, "s3") is False

    box = bob.get_by_label("Step: Ship").bounding_box()
    assert box is not None
    bob.mouse.move(box["x"] + 20, box["y"] + 20)
    bob.mouse.down()
    bob.mouse.move(box["x"] + 50, box["y"] + 60, steps=6)
    fay.wait_for_function("() => document.querySelector('.canvas-live [data-id=\"s3\"]') !== null")
    fay.wait_for_timeout(200)
    fay.screenshot(path=f"e2e/artifacts/present-while-dragging-{size['width']}.png")
    assert fay.evaluate(BOX_OVER_CARD, "s3") is False
    expect(fay.locator('.far-card[data-step="s3"]')).to_be_visible()
    bob.mouse.up()
