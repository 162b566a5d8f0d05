"""Edits that have not reached the server survive a reload, and leaving the page asks first."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocketRoute, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server


def hold_edits(page: Page, sockets: list[WebSocketRoute] | None = None) -> dict[str, bool]:
    """Pass the board's websocket through, but keep our edits from reaching the server
    while the returned switch says so (new connections read it too). `sockets` collects
    the connections, for a test to cut (the page connects again and sends what it held)."""
    holding = {"on": True}

    def handler(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        if sockets is not None:
            sockets.append(ws)

        def upstream(message: str | bytes) -> None:
            is_ops = isinstance(message, str) and json.loads(message).get("type") == "ops"
            if holding["on"] and is_ops:
                return  # lost on the way, as on a train going into a tunnel
            server.send(message)

        ws.on_message(upstream)

    page.route_web_socket("**/ws/boards/**", handler)
    return holding


def test_an_unsent_edit_is_kept_across_a_reload_and_sent_once_after_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}])
    bob = open_page(board_url(board, "participant"), name="Bob")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(bob)
    holding = hold_edits(ada)
    ada.reload()  # the route applies to new connections
    wait_connected(ada)

    ada.get_by_label("Step: Plan").dblclick()
    ada.get_by_role("textbox", name="Step text").fill("Plan the release")
    ada.keyboard.press("Enter")
    expect(ada.locator("#status")).to_have_attribute("data-status", "saving")
    assert ada.evaluate("window.flowmap.pendingCount") == 1
    expect(bob.get_by_label("Step: Plan", exact=True)).to_be_visible()  # Bob never got it

    holding["on"] = False
    ada.reload()
    wait_connected(ada)
    expect(bob.get_by_label("Step: Plan the release")).to_be_visible()
    state = live_server.post_ops(board, [{"op": "update", "id": "s1", "set": {"color": "blue"}}])
    # Applied once: the rename is one op in the log, then our colour change.
    assert state["seq"] == 3


def test_leaving_with_unsent_edits_asks_first(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}])
    ada = open_page(board_url(board, "participant"), name="Ada")
    hold_edits(ada)
    ada.reload()
    wait_connected(ada)
    ada.get_by_label("Step: Plan").dblclick()
    ada.get_by_role("textbox", name="Step text").fill("Unsaved")
    ada.keyboard.press("Enter")
    asked: list[str] = []
    ada.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    ada.close(run_before_unload=True)
    ada.wait_for_timeout(300)
    assert asked == ["beforeunload"]


def test_undoing_a_delete_made_offline_keeps_the_rename_that_got_in_first(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Ada, on a train, deleted "Plan"; Bob renamed it meanwhile. Back online her delete went
    # in after his rename, and her undo brought the step back as "Plan": his rename was gone.
    live_server.post_ops(board, [{"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan"}}])
    bob = open_page(board_url(board, "participant"), name="Bob")
    ada = open_page(board_url(board, "participant"), name="Ada")
    sockets: list[WebSocketRoute] = []
    holding = hold_edits(ada, sockets)
    ada.reload()
    wait_connected(ada)
    wait_connected(bob)
    ada.get_by_label("Step: Plan", exact=True).click()
    ada.keyboard.press("Delete")
    bob.get_by_label("Step: Plan", exact=True).dblclick()
    bob.get_by_role("textbox", name="Step text").fill("Plan the release")
    bob.keyboard.press("Enter")
    wait_connected(bob)  # saved

    holding["on"] = False
    for ws in sockets:
        ws.close()  # back online: the page connects again and sends its delete
    wait_connected(ada)
    expect(bob.get_by_label("Step: Plan the release", exact=True)).to_have_count(0)
    ada.keyboard.press("Control+z")
    for page in (ada, bob):
        expect(page.get_by_label("Step: Plan the release", exact=True)).to_be_visible()
    wait_connected(ada)
    stored = httpx.get(f"{live_server.url}/api/boards/{board['id']}",
                       params={"token": board["tokens"]["viewer"]}, timeout=10).json()  # fmt: skip
    assert [e["text"] for e in stored["elements"]] == ["Plan the release"]
