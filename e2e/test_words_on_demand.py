"""Far out, a step's words are not built; zoomed in to read, they are, and say what the step says now.

Below 20 % zoom (render.js TEXTLESS_BELOW) the words are specks and are not shown:
building them anyway was most of a big map's first draw (issue 20). They are built
when the view comes up to reading, for what is near the screen, from the element as
it is then: an edit another person made meanwhile shows in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

TEXTLESS = re.compile(r"\bis-textless\b")
CULLED = re.compile(r"\bis-culled\b")
# The words an element may have (shapes.js, data-box.js): none is built far out.
WORDS = (
    "svg.canvas :is(.label-box, .caption, .inventory-count, .data-row, .waste-chip, .connector-label)"
)
STEPS = [  # fmt: skip
    {"id": "s0", "text": "Intake", "wait_minutes": 60, "process_minutes": 30, "pca": 90, "people": 2},
    {"id": "s1", "text": "Build", "wait_minutes": 480, "process_minutes": 240, "waste": ["defects"]},
    {"id": "s2", "text": "Test", "wait_minutes": 120, "process_minutes": 45, "pca": 75},
]


def opened_far_out(server: Server, board: dict[str, Any], open_page: Callable[..., Page]) -> Page:
    """Three steps with an inventory and arrows in the middle, and one far away each side:
    the map fits at under 20 %."""
    seed(
        server, board,
        *({"kind": "step", "x": 420 * i, "y": 0, **s} for i, s in enumerate(STEPS)),
        {"id": "inv", "kind": "inventory", "x": 220, "y": 16, "count": 7, "text": "queue"},
        {"id": "c0", "kind": "connector", "source": "s0", "target": "inv", "text": "push"},
        {"id": "c1", "kind": "connector", "source": "inv", "target": "s1"},
        {"id": "far", "kind": "step", "x": 8000, "y": 4000, "text": "Far away"},
        {"id": "afar", "kind": "step", "x": -8000, "y": -4000, "text": "Far the other way"},
    )  # fmt: skip
    page = open_page(board_url(board, "facilitator"), name="Ada")
    wait_connected(page)
    wait_view_settled(page)
    return page


def zoom_in_on(page: Page, label: str, zoom: float) -> None:
    """Ctrl+wheel over the element until the view is drawn at `zoom` or more."""
    box = page.get_by_label(label, exact=True).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    for _ in range(60):
        if page.evaluate("() => window.flowmap.zoom") >= zoom:
            break
        page.mouse.wheel(0, -60)
    page.keyboard.up("Control")
    page.wait_for_function(
        "(k) => !window.flowmap.zooming && window.flowmap.drawnZoom >= k", arg=zoom
    )


def test_far_out_the_words_are_not_built_and_up_close_they_say_what_the_elements_say_now(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = opened_far_out(live_server, board, open_page)
    assert ada.evaluate("() => window.flowmap.zoom") < 0.2
    expect(ada.locator("svg.canvas")).to_have_class(TEXTLESS)
    # Each step is there, named for assistive technology, its box and data box drawn: no words.
    for s in STEPS:
        step = ada.get_by_label(f"Step: {s['text']}", exact=True)
        expect(step).to_be_visible()
        expect(step.locator(".body")).to_have_count(1)
        expect(step.locator(".data-box")).to_have_count(1)
    expect(ada.locator(WORDS)).to_have_count(0)

    # Someone else renames Build and changes its wait while Ada's words are not built.
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(bob)
    select_step(bob, "Build")
    bob.locator("#inspect-text").fill("Build it")
    bob.locator("#inspect-text").press("Enter")
    bob.get_by_label("Wait before it").fill("2d")
    bob.get_by_label("Wait before it").press("Enter")
    wait_connected(bob)
    expect(ada.get_by_label("Step: Build it", exact=True)).to_have_count(1)
    ada.wait_for_function(
        "() => window.flowmap.elements().find((e) => e.id === 's1').wait_minutes === 960"
    )
    expect(ada.locator(WORDS)).to_have_count(0)

    zoom_in_on(ada, "Step: Build it", 0.5)
    expect(ada.locator("svg.canvas")).not_to_have_class(TEXTLESS)
    shown = {"s0": STEPS[0], "s1": {**STEPS[1], "text": "Build it", "wait_minutes": 960}, "s2": STEPS[2]}
    figures = {
        "s0": {"wait_minutes": "1h", "process_minutes": "30m", "pca": "90%", "people": "2"},
        "s1": {"wait_minutes": "2d", "process_minutes": "4h", "pca": None},
        "s2": {"wait_minutes": "2h", "process_minutes": "45m", "pca": "75%"},
    }
    for sid, s in shown.items():
        step = ada.locator(f'[data-id="{sid}"]')
        if CULLED.search(step.get_attribute("class") or ""):
            continue  # off screen: its words come when it does
        expect(step).to_have_attribute("aria-label", f"Step: {s['text']}")
        expect(step.locator(".label-text")).to_have_text(s["text"])
        expect(step.locator(".label-text")).to_be_visible()
        for field, value in figures[sid].items():
            row = step.locator(f'[data-field="{field}"]')
            if value is None:
                expect(row.locator(".data-missing")).to_have_text("%C/A?")
            else:
                expect(row.locator(".data-value")).to_have_text(value)
                expect(row.locator(".data-value")).to_be_visible()
    expect(ada.locator('[data-id="s1"] .waste-chip')).to_have_count(1)
    expect(ada.locator('[data-id="inv"] .inventory-count')).to_have_text("7")
    expect(ada.locator('[data-id="c0"] .connector-label')).to_have_text("push")
    # What is still far off screen waits for the view to come near it.
    expect(ada.locator('[data-id="far"]')).to_have_class(CULLED)
    expect(ada.locator('[data-id="far"] .label-box')).to_have_count(0)

    # Built once, the words stay when the view goes far out again, and follow edits.
    ada.locator('[data-action="zoom-fit"]').first.click()
    wait_view_settled(ada)
    expect(ada.locator("svg.canvas")).to_have_class(TEXTLESS)
    bob.locator("#inspect-text").fill("Build more")
    bob.locator("#inspect-text").press("Enter")
    expect(ada.locator('[data-id="s1"] .label-text')).to_have_text("Build more")
