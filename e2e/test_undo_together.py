"""Undo and redo with two people on one board, in real Chromium pages: one person's undo
never takes another's work, never puts back an element as it no longer was, and says
truly what it could not put back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocketRoute, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

MOD = "Control"  # Chromium on Linux; Cmd on a Mac does the same through metaKey


def stored(server: Server, board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The board's elements as the server keeps them, by id (the facilitator sees dots whole)."""
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["facilitator"]}, timeout=10).json()  # fmt: skip
    return {e["id"]: e for e in state["elements"]}


def two_steps(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "s-build", "kind": "step", "text": "Build", "x": 100, "y": 200}},
        {"op": "create", "element": {"id": "s-test", "kind": "step", "text": "Test", "x": 500, "y": 200}},
    ])  # fmt: skip


def deafened(page: Page) -> tuple[list[WebSocketRoute], set[WebSocketRoute]]:
    """Pass the board's websockets through; a route put in the set hears nothing from the
    server any more (what it sends still arrives): a link failing one way, then cut."""
    routes: list[WebSocketRoute] = []
    deaf: set[WebSocketRoute] = set()

    def handler(route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        server.on_message(lambda message: None if route in deaf else route.send(message))
        routes.append(route)

    page.route_web_socket("**/ws/boards/**", handler)
    page.reload()
    return routes, deaf


def gone_from_server(server: Server, board: dict[str, Any], page: Page, element: str) -> None:
    for _ in range(100):
        if element not in stored(server, board):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{element} is still on the board")


def test_undo_of_a_delete_the_page_caught_up_on_by_a_snapshot_puts_no_old_copy_back(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Fay's link stopped bringing her the board: Bob renamed Build, her delete of it went
    through, and she caught up by a snapshot. Her undo put back Build as her page last had it
    ("Build"), and Bob's rename was gone for good, without a word."""
    two_steps(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    bob = open_page(board_url(board, "participant"), name="Bob")
    routes, deaf = deafened(fay)
    wait_connected(fay)
    wait_connected(bob)

    deaf.add(routes[-1])
    bob.get_by_label("Step: Build").dblclick()
    bob.get_by_role("textbox", name="Step text").fill("Build it")
    bob.keyboard.press("Enter")
    wait_connected(bob)
    select_step(fay, "Build")  # her page still shows the old name
    fay.keyboard.press("Delete")
    gone_from_server(live_server, board, fay, "s-build")
    # Meanwhile a vote ran, a dot went on Test and the vote closed: whoever saw the dot
    # sealed catches up by a snapshot (a vote with no dot seals nothing, and needs none).
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "v1", "kind": "vote", "text": "Which first?", "dots": 2}},
    ])  # fmt: skip
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "d1", "kind": "dot", "vote": "v1", "target": "s-test"}},
    ])  # fmt: skip
    live_server.post_ops(board, [{"op": "update", "id": "v1", "set": {"open": False}}])
    cut = routes[-1]
    deaf.clear()
    cut.close()
    fay.wait_for_function("(n) => window.flowmap.pendingCount === 0", arg=0)
    wait_connected(fay)
    expect(fay.get_by_label("Step: Build")).to_have_count(0)

    fay.keyboard.press("Escape")
    fay.keyboard.press(f"{MOD}+z")
    expect(fay.locator(".toast").last).to_contain_text(
        "“Build” cannot come back: it was deleted while this page was reconnecting"
    )
    wait_connected(fay)
    assert "s-build" not in stored(live_server, board)
    expect(bob.get_by_label("Step: Build")).to_have_count(0)


def test_undo_of_a_create_leaves_the_step_a_colleague_commented_on(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Fay added a step, Bob commented on it; Fay's undo deleted the step and Bob's comment
    with it (a facilitator's delete takes what hangs off it)."""
    two_steps(live_server, board)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(fay)
    wait_connected(bob)
    fay.get_by_role("button", name="Add step").click()
    fay.wait_for_function("() => window.flowmap.pendingCount === 0 && window.flowmap.elements().length === 3")
    added = fay.evaluate("() => window.flowmap.elements().find((e) => !['s-build', 's-test'].includes(e.id)).id")
    # Left unnamed by leaving its field (Escape there would take the new step back).
    fay.get_by_role("textbox", name="Step text").blur()
    fay.keyboard.press("Escape")

    bob.locator(f'[data-id="{added}"]').click()
    bob.get_by_label("Add a comment").fill("Who runs this one?")
    bob.get_by_role("button", name="Comment", exact=True).click()
    expect(fay.locator(f'[data-comments-on="{added}"]')).to_contain_text("1")

    fay.keyboard.press(f"{MOD}+z")
    expect(fay.locator(".toast").last).to_contain_text("stays: others have added to it or changed it since")
    wait_connected(fay)
    after = stored(live_server, board)
    assert added in after
    assert [e["text"] for e in after.values() if e["kind"] == "comment"] == ["Who runs this one?"]
    expect(bob.locator(f'[data-id="{added}"]')).to_have_count(1)


def test_undo_of_deleting_a_step_with_my_dots_of_a_closed_vote_brings_the_step_back_and_says_so(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Ada put two dots on Build, the vote closed, she deleted Build: her undo said "Not saved:
    the vote is closed" twice, as though the step had not come back."""
    two_steps(live_server, board)
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "v1", "kind": "vote", "text": "Which first?", "dots": 3}},
    ])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(ada)
    wait_connected(fay)
    ada.get_by_label("Step: Build").click()
    ada.get_by_label("Step: Build").click()
    expect(ada.locator("[data-dots-left]")).to_have_attribute("data-dots-left", "1")
    wait_connected(ada)
    fay.get_by_role("button", name="Close the vote").click()
    expect(ada.locator(".vote-results li")).to_have_count(1)

    select_step(ada, "Build")
    ada.keyboard.press("Delete")
    gone_from_server(live_server, board, ada, "s-build")
    ada.keyboard.press("Escape")
    ada.keyboard.press(f"{MOD}+z")
    expect(ada.locator(".toast").last).to_contain_text("“Build” is back without your 2 dots: their vote is closed.")
    expect(fay.get_by_label("Step: Build")).to_have_count(1)
    wait_connected(ada)
    assert "s-build" in stored(live_server, board)
    expect(ada.locator(".toast", has_text="Not saved")).to_have_count(0)
