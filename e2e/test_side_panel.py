"""The side panel names the step it edits and never hides it.

A facilitator typed figures into the wrong step twice: the panel's heading said
only "STEP", it covers the right ~260 px of the canvas, and zoom-to-fit ignored
it, so the last step sat under the panel; a click "on it" hit the panel and the
previous step stayed selected. Now the panel is headed by the step's name
(editable), fitting leaves room for it, and a selection it covers is brought out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.test_metrics import seed
from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from e2e.utils.demo import open_demo
from tests.support.live import Server

SIZES = [(1024, 768), (1280, 720)]
NAMES = ["Order in", "Check credit", "Pick", "Pack", "Ship", "Invoice", "Cash in"]


def box_of(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box  # type: ignore[return-value]


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])  # fmt: skip


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_last_step_is_selectable_and_named_in_its_panel(
    live_server: Server, open_page: Callable[..., Page], width: int, height: int
) -> None:
    board = live_server.create_board("Side panel")
    seed(live_server, board, [{"id": f"s{i}", "text": name} for i, name in enumerate(NAMES)])
    page = open_page(board_url(board, "facilitator"), viewport={"width": width, "height": height})
    wait_connected(page)
    expect(page.locator('[data-kind="step"]')).to_have_count(len(NAMES))
    last = '[data-id="s6"]'
    # Select the one before it first: the panel opens, and fitting must leave room for it.
    page.locator('[data-id="s5"]').click()
    expect(page.locator("#inspector")).to_be_visible()
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    panel = box_of(page, "#inspector")
    for i in range(len(NAMES)):
        assert not overlaps(box_of(page, f'[data-id="s{i}"] .body'), panel), f"s{i} under the panel"
    page.locator(last).click()
    page.wait_for_function("() => window.flowmap.selection().join() === 's6'")
    name = page.get_by_label("Step", exact=True)
    expect(name).to_have_value("Cash in")
    name.fill("Cash received")
    name.press("Enter")
    page.get_by_label("Wait before it").fill("2d")
    page.get_by_label("Wait before it").press("Enter")
    page.wait_for_function(
        "() => { const s = window.flowmap.elements().find((e) => e.id === 's6');"
        " return s.text === 'Cash received' && s.wait_minutes === 960; }"
    )
    # The step before was not touched.
    assert page.evaluate("() => window.flowmap.elements().find((e) => e.id === 's5').wait_minutes") is None


def test_a_selected_step_under_the_panel_is_brought_out(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Reveal")
    seed(live_server, board, [{"id": f"s{i}", "text": name} for i, name in enumerate(NAMES)])
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    page.locator('[data-action="zoom-fit"]').click()  # nothing selected: the map uses the whole width
    wait_view_settled(page)
    page.locator('[data-id="s6"]').click()
    expect(page.locator("#inspector")).to_be_visible()
    wait_view_settled(page)
    assert not overlaps(box_of(page, '[data-id="s6"] .body'), box_of(page, "#inspector"))


def test_a_step_pressed_where_its_panel_opens_still_drags(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # The press selected the step, and its panel opened under the pointer before the pointer
    # had moved: the drag's moves and its release went to the panel, the step stayed put, and
    # the canvas still counted a drag under way.
    board = live_server.create_board("Drag")
    seed(live_server, board, [{"id": f"s{i}", "text": name} for i, name in enumerate(NAMES)])
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    page.locator('[data-action="zoom-fit"]').click()  # the map uses the whole width
    wait_view_settled(page)
    step = box_of(page, '[data-id="s6"] .body')
    x, y = step["x"] + step["width"] / 2, step["y"] + step["height"] / 2
    before = page.evaluate("() => window.flowmap.elements().find((e) => e.id === 's6').y")
    page.mouse.move(x, y)
    page.mouse.down()
    expect(page.locator("#inspector")).to_be_visible()
    wait_view_settled(page)
    under = "([x, y]) => Boolean(document.elementFromPoint(x, y)?.closest('#inspector'))"
    assert page.evaluate(under, [x, y]), "the panel opened under the pointer"
    page.mouse.move(x - 10, y + 40, steps=5)
    page.mouse.move(x - 20, y + 80, steps=5)
    page.mouse.up()
    page.wait_for_function(
        "(y) => window.flowmap.elements().find((e) => e.id === 's6').y > y + 40", arg=before
    )


def test_the_step_panels_fields_line_up(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # The owner's list had an empty slot for a team's colour chip before it, 6 px off the rest.
    board = live_server.create_board("Side panel")
    seed(live_server, board, [{"id": "s0", "text": "Pick"}])
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    page.locator('[data-id="s0"]').click()
    expect(page.locator("#inspector")).to_be_visible()
    lefts = {label: round(box_of(page, f"#inspector >> {selector}")["x"])
             for label, selector in [("name", "internal:label=\"Step\"s"), ("owner", "#inspect-owner"),
                                     ("wait", "internal:label=\"Wait before it\"s"),
                                     ("process", "internal:label=\"Process time\"s")]}  # fmt: skip
    assert len(set(lefts.values())) == 1, lefts


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_a_selected_steps_arrow_handle_and_constraint_ring_are_clear_of_the_panel(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # At 1280 px "Staging test", the constraint, was brought out flush against the panel:
    # its arrow handle and its ring half under it.
    _, page = open_demo(live_server, open_page, size)
    wait_view_settled(page)
    for name in ("Code review", "Staging test", "Release"):
        page.keyboard.press("Escape")
        page.get_by_label(f"Step: {name}", exact=True).click()
        expect(page.locator("#inspect-text")).to_have_value(name)
        wait_view_settled(page)
        panel = box_of(page, "#inspector")
        handle = page.locator(".connect-handle .connect-handle-hit")
        expect(handle).to_be_visible()
        assert not overlaps(box_of(page, ".connect-handle .connect-handle-hit"), panel), name
        if name == "Staging test":
            assert not overlaps(box_of(page, ".constraint-ring"), panel), name


def test_a_long_step_name_shows_whole_at_the_head_of_its_panel(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # The name's field was one line: "Customer submits a featu" and the rest out of sight.
    name = "Customer submits a feature request through the portal and waits for triage"
    board = live_server.create_board("Side panel")
    seed(live_server, board, [{"id": "s0", "text": name}])
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1280, "height": 800})
    wait_connected(page)
    page.locator('[data-id="s0"]').click()
    field = page.get_by_label("Step", exact=True)
    expect(field).to_have_value(name)
    sizes = field.evaluate("(f) => [f.scrollWidth, f.clientWidth, f.scrollHeight, f.clientHeight]")
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
    # Still one line of text: Enter commits, and a pasted line break is a space.
    field.fill("Triage\nthe request")
    field.press("Enter")
    page.wait_for_function("() => window.flowmap.elements().find((e) => e.id === 's0').text === 'Triage the request'")


def test_a_count_past_the_servers_limit_is_refused_in_the_field_with_the_text_kept(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # People "1000000000" emptied the field; only a passing toast said the server refused it.
    live_server.post_ops(board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Pick"}}])
    page = open_page(board_url(board, "participant"))
    other = open_page(board_url(board, "participant"), name="Bob")
    for p in (page, other):
        wait_connected(p)
    select_step(page, "Pick")
    people = page.locator("#inspect-people")
    people.fill("1000000000")
    people.press("Enter")
    expect(people).to_have_attribute("aria-invalid", "true")
    expect(people).to_have_value("1000000000")
    expect(page.locator(".inspector-error").filter(has_text="at most 100,000")).to_be_visible()
    people.fill("12")
    people.press("Enter")
    expect(people).not_to_have_attribute("aria-invalid", "true")
    other.wait_for_function(
        "() => window.flowmap.elements().find((e) => e.id === 's1').people === 12"
    )


def test_a_note_longer_than_the_servers_limit_is_refused_in_the_field_with_the_text_kept(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # 2,100 characters pasted into a note's Text went to the server, which refused them: a
    # passing "Not saved" toast, and the field went back to the old words, the new ones lost.
    live_server.post_ops(board, [{"op": "create", "element": {"id": "n1", "kind": "note", "text": "Idea"}}])
    page = open_page(board_url(board, "participant"))
    other = open_page(board_url(board, "participant"), name="Bob")
    for p in (page, other):
        wait_connected(p)
    page.locator('[data-id="n1"]').click()
    text = page.locator("#inspect-text")
    expect(text).to_have_value("Idea")
    long = "word " * 420
    text.fill(long)
    text.blur()
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(text).to_have_value(long)
    expect(page.locator(".inspector-error").filter(has_text="at most 2,000 characters")).to_be_visible()
    assert page.evaluate("window.flowmap.pendingCount") == 0
    text.fill(long[:2000])
    text.blur()
    expect(text).not_to_have_attribute("aria-invalid", "true")
    other.wait_for_function(
        "(want) => window.flowmap.elements().find((e) => e.id === 'n1').text === want", arg=long[:2000]
    )
