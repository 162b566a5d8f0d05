"""Loose ends a facilitator met in a real workshop, each held by a test here.

The frame on an empty board (the pre-work), ...
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server


def on_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], (selector, box)


def test_the_frame_shows_on_an_empty_board(live_server: Server, open_page: Callable[..., Page]) -> None:
    board = live_server.create_board("Pre-work")
    frame = {"title": "Order to cash", "scope": "From a signed order to cash in the bank",
             "trigger": "Customer signs the order", "delivery": "Cash received"}  # fmt: skip
    live_server.post_ops(board, [{"op": "board", "set": frame}])
    page = open_page(board_url(board, "participant"), viewport={"width": 1280, "height": 720})
    wait_connected(page)
    expect(page.locator(".frame-header")).to_contain_text("Order to cash")
    expect(page.locator(".frame-header")).to_contain_text("From a signed order to cash in the bank")
    expect(page.locator(".frame-edge.is-trigger")).to_contain_text("Customer signs the order")
    expect(page.locator(".frame-edge.is-delivery")).to_contain_text("Cash received")
    expect(page.locator(".frame-lane")).to_contain_text("The steps go here")
    for part in (".frame-header", ".frame-edge.is-trigger", ".frame-edge.is-delivery", ".frame-lane"):
        on_screen(page, part)
    page.screenshot(path="e2e/artifacts/empty-board-frame.png")
    # The first step takes the lane's place.
    page.keyboard.press("n")
    page.keyboard.type("Check credit")
    page.keyboard.press("Enter")
    expect(page.locator(".frame-lane")).to_have_count(0)
    expect(page.locator(".frame-edge.is-trigger")).to_be_visible()


def test_a_viewer_reads_the_comments_on_a_step(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Comments for all")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "ship", "kind": "step", "text": "Ship", "wait_minutes": 480}},
        {"op": "create", "element": {"id": "c1", "kind": "comment", "target": "ship",
                                     "text": "Why does release wait a week?"}},
    ])  # fmt: skip
    viewer = open_page(board_url(board, "viewer"), name="Vera")
    wait_connected(viewer)
    expect(viewer.locator('[data-comments-on="ship"]')).to_contain_text("1")
    select_step(viewer, "Ship")
    thread = viewer.locator(".comment-thread").first
    expect(thread).to_contain_text("Why does release wait a week?")
    # Reading only: no box to write in, no delete.
    expect(viewer.get_by_label("Add a comment")).to_have_count(0)
    expect(thread.get_by_role("button", name="Reply")).to_have_count(0)


def test_a_validated_map_that_changed_says_so(live_server: Server, open_page: Callable[..., Page]) -> None:
    board = live_server.create_board("Validated, then edited")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "ship", "kind": "step", "text": "Ship", "wait_minutes": 480}},
    ])  # fmt: skip
    api, fay = f"{live_server.url}/api", {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    assert httpx.post(f"{api}/boards/{board['id']}/versions", json={"label": "v1"}, headers=fay).status_code == 201
    asked = httpx.post(f"{api}/boards/{board['id']}/versions/1/validation", json={"invite": ["Ada"]}, headers=fay)
    ada = f"{api}/validation/{asked.json()['links']['Ada'].rsplit('/v/', 1)[1]}"
    verdicts = [{"step": "ship", "verdict": "agree"}]
    assert httpx.post(f"{ada}/verdicts", json={"name": "Ada", "verdicts": verdicts}).status_code == 200
    assert httpx.post(f"{ada}/sign-off", json={"name": "Ada"}).status_code == 200
    page = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(page)
    badge = page.locator("#state-badge")
    expect(badge).to_have_text("Validated")
    # Moving a box says nothing new; changing a figure does.
    with page.expect_response(lambda r: r.url.endswith("/versions")):  # the page asked again
        live_server.post_ops(board, [{"op": "update", "id": "ship", "set": {"x": 400}}])
    expect(badge).to_have_text("Validated")
    live_server.post_ops(board, [{"op": "update", "id": "ship", "set": {"wait_minutes": 960}}])
    expect(badge).to_have_text("Validated · changed since")
    expect(badge).to_have_attribute("data-changed", "true")


def test_a_long_title_over_a_short_map_is_not_cut(live_server: Server, open_page: Callable[..., Page]) -> None:
    board = live_server.create_board("Order to cash: the whole flow, from a signed order to cash in the bank")
    live_server.post_ops(board, [
        {"op": "board", "set": {"title": "Order to cash: the whole flow, from a signed order to cash in the bank"}},
        {"op": "create", "element": {"id": "s", "kind": "step", "text": "Check credit"}},
    ])  # fmt: skip
    page = open_page(board_url(board, "viewer"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    expect(page.locator(".frame-title")).to_have_text(
        "Order to cash: the whole flow, from a signed order to cash in the bank"
    )
    cut = page.evaluate("() => { const t = document.querySelector('.frame-title');"
                        " return t.scrollWidth > t.clientWidth; }")  # fmt: skip
    assert not cut, "the map's title is cut on the canvas"
    on_screen(page, ".frame-title")


def test_a_long_title_scope_and_trigger_wrap_whole_on_the_frame(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # A 200-character title was one line 3,400 canvas units wide (zoom to fit shrank the map
    # to fit it), and a long trigger was cut at two lines.
    board = live_server.create_board("Short")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "a", "kind": "step", "text": "Check credit", "x": 0, "y": 300}},
        {"op": "create", "element": {"id": "b", "kind": "step", "text": "Ship", "x": 320, "y": 300}},
        {"op": "create", "element": {"id": "ab", "kind": "connector", "source": "a", "target": "b"}},
    ])  # fmt: skip
    page = open_page(board_url(board, "participant"), viewport={"width": 1280, "height": 720})
    wait_connected(page)
    title = ("Order to cash for the enterprise customers of the northern region, from the signed "
             "order through credit check, picking, shipping and invoicing to the cash in the bank")  # fmt: skip
    scope = "Every order over a thousand euros that needs a credit check. " * 6
    trigger = "The customer signs the order form, scans it and mails it to the regional sales office inbox"
    live_server.post_ops(board, [
        {"op": "board", "set": {"title": title, "scope": scope.strip(), "trigger": trigger,
                                "customer": "Enterprise customers", "owner": "Head of order management"}},
    ])  # fmt: skip
    expect(page.locator(".frame-title")).to_have_text(title)
    page.keyboard.press("Shift+1")
    page.wait_for_timeout(400)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.frame-title, .frame-scope, .frame-people, .frame-edge-text')]
          .map((line) => {
            const fo = line.closest('foreignObject').getBoundingClientRect();
            const box = line.getBoundingClientRect();
            const inside = box.top >= fo.top - 1 && box.bottom <= fo.bottom + 1 && box.left >= fo.left - 1
              && box.right <= fo.right + 1;
            return inside && line.scrollWidth <= line.clientWidth && line.scrollHeight <= line.clientHeight + 1
              ? null : line.className;
          }).filter(Boolean)"""
    )
    assert cut == [], cut
    lines = page.evaluate(
        """() => {
          const title = document.querySelector('.frame-title');
          const k = title.closest('foreignObject').getScreenCTM().a;
          return title.getBoundingClientRect().height / (parseFloat(getComputedStyle(title).lineHeight) * k);
        }"""
    )
    assert lines > 1.9, f"the title wraps: {lines} lines"
    # Zoom to fit keeps the steps large enough to read: the header is no wider than the map needs.
    step = page.locator('[data-id="a"]').bounding_box()
    assert step and step["width"] > 60, step
    page.screenshot(path="e2e/artifacts/long-frame.png")
