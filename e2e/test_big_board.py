"""A big map stays cheap to draw: what is far off screen is set aside, and is back before it is seen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

CULLED = re.compile(r"\bis-culled\b")


def two_far_apart(server: Server, board: dict[str, Any]) -> None:
    seed(
        server, board,
        {"id": "west", "kind": "step", "x": 0, "y": 0, "text": "West"},
        {"id": "east", "kind": "step", "x": 9000, "y": 0, "text": "East"},
        {"id": "mid", "kind": "step", "x": 4500, "y": 0, "text": "Middle"},
        {"id": "c1", "kind": "connector", "source": "west", "target": "mid"},
    )  # fmt: skip


def opened_far_apart(server: Server, board: dict[str, Any], open_page: Callable[..., Page]) -> Page:
    """The two-far-apart map, open as its facilitator with the view settled (the whole map)."""
    two_far_apart(server, board)
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    wait_view_settled(page)
    return page


def test_far_off_elements_are_set_aside_and_come_back_with_the_view(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = opened_far_apart(live_server, board, open_page)
    steps = [page.locator(f'[data-id="{i}"]') for i in ("west", "east", "mid")]
    for step in steps:
        expect(step).to_be_visible()  # the whole map fits on screen

    # 100 % around the middle of the screen: the three steps are screens away.
    page.get_by_role("button", name=re.compile("Reset to 100%")).click()
    wait_view_settled(page)
    view = page.evaluate("() => window.flowmap.visible()")
    for step in steps:
        expect(step).to_have_class(CULLED)
        expect(step).to_be_hidden()
    # Its ends are far, but the arrow between them crosses the screen.
    expect(page.locator('[data-id="c1"]')).not_to_have_class(CULLED)
    # What arrives on screen is drawn at once.
    here = {"x": round(view["x"] + view["w"] / 2), "y": round(view["y"] + view["h"] / 2)}
    seed(live_server, board, {"id": "here", "kind": "step", **here, "text": "Here"})
    expect(page.get_by_label("Step: Here", exact=True)).to_be_visible()
    expect(page.locator('[data-id="here"]')).not_to_have_class(CULLED)

    page.get_by_role("button", name="Zoom to fit").click()
    wait_view_settled(page)
    for step in steps:
        expect(step).to_be_visible()
        expect(step).not_to_have_class(CULLED)


def test_a_selected_element_is_never_set_aside(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = opened_far_apart(live_server, board, open_page)
    west = page.get_by_label("Step: West", exact=True)
    # The whole map is a few pixels a step: the arrow handle (28 px) would cover the step
    # it belongs to, and a click on the step would start an arrow. It stays away.
    west.hover()
    page.wait_for_function("() => window.flowmap.elements().some((e) => e.id === 'west')")
    expect(page.locator('[data-handle="connect"]')).to_be_hidden()
    west.click()
    expect(page.locator('[data-handle="connect"]')).to_be_hidden()
    assert page.evaluate("() => window.flowmap.selection()") == ["west"]
    page.get_by_role("button", name=re.compile("Reset to 100%")).click()
    wait_view_settled(page)
    expect(page.locator('[data-id="west"]')).not_to_have_class(CULLED)
    expect(page.locator('[data-id="east"]')).to_have_class(CULLED)


def test_the_page_preloads_exactly_the_modules_it_runs(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Listed up front, the modules are fetched at once; one the list missed would be
    # fetched late, one import level after another (issue 20: a cold load).
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    loaded = page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)"
        ".filter((p) => p.startsWith('/static/') && p.endsWith('.js'))"
    )
    listed = page.evaluate(
        "() => [...document.querySelectorAll('link[rel=modulepreload]')]"
        ".map((l) => new URL(l.href).pathname)"
    )
    assert len(listed) > 50
    assert set(loaded) == {*listed, "/static/js/main.js"}


def test_zoomed_far_out_the_boxes_are_drawn_flat_and_get_their_shadows_back_up_close(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # A shadow under a pixel is not seen: far out the boxes are drawn flat (issue 20).
    page = opened_far_apart(live_server, board, open_page)
    shade = "() => getComputedStyle(document.querySelector('[data-id=west] .shade')).visibility"
    assert page.evaluate("() => window.flowmap.zoom") < 0.35
    expect(page.locator("svg.canvas")).to_have_class(re.compile(r"\bis-zoomed-out\b"))
    assert page.evaluate(shade) == "hidden"
    page.locator('[data-action="zoom-reset"]').first.click()
    page.wait_for_function("() => Math.abs(window.flowmap.zoom - 1) < 1e-3")
    expect(page.locator("svg.canvas")).not_to_have_class(re.compile(r"\bis-zoomed-out\b"))
    assert page.evaluate(shade) == "visible"


def test_zoomed_out_past_reading_the_words_are_not_drawn_and_come_back_up_close(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Under a fifth of their size a step's words are specks, and laying out thousands of
    # them was most of a big map's first draw and of each repaint (issue 20): they are not
    # even built until they could be read (test_words_on_demand.py).
    page = opened_far_apart(live_server, board, open_page)
    shown = """() => ['.label-box', '.data-missing', '.body'].map((part) => {
        const node = document.querySelector(`[data-id=west] ${part}`);
        return node ? getComputedStyle(node).display : 'not built'; })"""
    assert page.evaluate("() => window.flowmap.zoom") < 0.2
    expect(page.locator("svg.canvas")).to_have_class(re.compile(r"\bis-textless\b"))
    assert page.evaluate(shown) == ["not built", "not built", "inline"], "the box itself is drawn"
    # Selected, West is not set aside at 100 % though it is off screen (it has its words then).
    page.get_by_label("Step: West", exact=True).click()
    page.locator('[data-action="zoom-reset"]').first.click()
    page.wait_for_function("() => Math.abs(window.flowmap.zoom - 1) < 1e-3")
    expect(page.locator("svg.canvas")).not_to_have_class(re.compile(r"\bis-textless\b"))
    assert "none" not in page.evaluate(shown)
