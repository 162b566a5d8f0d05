"""Edits on a flaky network or faster than the server takes them are all saved, once.

The server takes 50 operations a second from a connection, in bursts of 600
(app/api/ratelimit.py), and refuses the rest as `rate_limited`, each by its cid.
Sixty steps nudged twelve times are 720 operations: the page sends them paced,
merged where one nudge supersedes another, and sends a refused one again, so
every screen ends where the page showed. And an edit the server cannot read (a
name holding half of an emoji) is refused by its cid and forgotten, with a word
to the person: not "Saving…" for ever, reload after reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, WebSocketRoute, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

STEPS = 60
PRESSES = 12


def seed_steps(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"S{i}",
                                     "x": (i % 10) * 200, "y": (i // 10) * 150}}
        for i in range(STEPS)
    ])  # fmt: skip


def positions(page: Page) -> dict[str, tuple[float, float]]:
    return {e["id"]: (e["x"], e["y"]) for e in page.evaluate("window.flowmap.elements()")
            if e["kind"] == "step"}  # fmt: skip


def stored_positions(server: Server, board: dict[str, Any]) -> dict[str, tuple[float, float]]:
    answer = httpx.get(f"{server.url}/api/boards/{board['id']}",
                       params={"token": board["tokens"]["viewer"]}, timeout=10)  # fmt: skip
    return {e["id"]: (e["x"], e["y"]) for e in answer.json()["elements"] if e["kind"] == "step"}


def watch_toasts(page: Page) -> None:
    """Keep every toast's text in window.toastsSeen: they leave the screen after a while."""
    page.evaluate("""() => {
        window.toastsSeen = [];
        new MutationObserver(() => {
            for (const t of document.querySelectorAll('.toast-text')) {
                if (!window.toastsSeen.includes(t.textContent)) window.toastsSeen.push(t.textContent);
            }
        }).observe(document.body, { childList: true, subtree: true });
    }""")


def go_offline(page: Page, routes: list[WebSocketRoute]) -> None:
    """The network goes: the browser says so, and the board's socket is cut at once (an
    open websocket can outlive Chromium's offline switch for a while)."""
    page.context.set_offline(True)
    for route in routes:
        route.close()
    expect(page.locator("#status")).to_have_attribute("data-status", "offline")
    page.wait_for_function("() => !window.flowmap.you || window.flowmap.status === 'offline'")


def routed_sockets(page: Page) -> list[WebSocketRoute]:
    """Pass the board's websockets through, kept so a test can cut them (a reload applies it)."""
    routes: list[WebSocketRoute] = []

    def handler(route: WebSocketRoute) -> None:
        route.connect_to_server()
        routes.append(route)

    page.route_web_socket("**/ws/boards/**", handler)
    page.reload()
    return routes


def wait_saved(page: Page) -> None:
    """Nothing left to send and the pill says so (the pill is drawn a frame later)."""
    page.wait_for_function("() => window.flowmap.pendingCount === 0", timeout=30_000)
    wait_connected(page)


def select_all_steps(page: Page) -> None:
    page.mouse.click(640, 780)  # an empty spot: the canvas has the keyboard
    page.keyboard.press("Control+a")
    page.wait_for_function(f"() => window.flowmap.selection().length === {STEPS}")


def test_nudges_made_offline_beyond_the_servers_burst_are_all_saved(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_steps(live_server, board)
    bob = open_page(board_url(board, "participant"), name="Bob")
    ada = open_page(board_url(board, "participant"), name="Ada")
    routes = routed_sockets(ada)
    wait_connected(ada)
    wait_connected(bob)
    watch_toasts(ada)
    select_all_steps(ada)

    go_offline(ada, routes)
    for _ in range(PRESSES):
        ada.keyboard.press("ArrowRight")
    assert ada.evaluate("window.flowmap.pendingCount") == STEPS * PRESSES  # over the burst of 600
    shown = positions(ada)
    assert all(shown[f"s{i}"][0] > (i % 10) * 200 for i in range(STEPS))

    ada.context.set_offline(False)
    wait_saved(ada)
    assert stored_positions(live_server, board) == shown
    ada.wait_for_function(
        "(want) => window.flowmap.elements().filter((e) => e.kind === 'step')"
        ".every((e) => e.x === want[e.id][0])",
        arg=shown,
    )
    assert positions(bob) == positions(ada) == shown
    not_saved = [t for t in ada.evaluate("window.toastsSeen") if "Not saved" in t]
    assert not not_saved


def test_fast_nudges_of_a_big_selection_are_all_saved(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed_steps(live_server, board)
    bob = open_page(board_url(board, "viewer"), name="Bob")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    wait_connected(bob)
    watch_toasts(ada)
    select_all_steps(ada)

    for _ in range(PRESSES):
        ada.keyboard.press("ArrowRight")
    shown = positions(ada)
    wait_saved(ada)
    assert stored_positions(live_server, board) == shown
    bob.wait_for_function(
        "(want) => window.flowmap.elements().filter((e) => e.kind === 'step')"
        ".every((e) => e.x === want[e.id][0])",
        arg=shown,
    )
    not_saved = [t for t in ada.evaluate("window.toastsSeen") if "Not saved" in t]
    assert not not_saved


def test_a_name_the_server_cannot_read_is_refused_and_forgotten_not_saving_for_ever(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    s0 = {"id": "s0", "kind": "step", "text": "S0"}
    live_server.post_ops(board, [{"op": "create", "element": s0}])
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    ada.get_by_label("Step: S0", exact=True).dblclick()
    # Half of an emoji, as a broken copy and paste leaves it: JavaScript strings allow it.
    ada.evaluate("""() => {
        const box = document.querySelector('[aria-label="Step text"]');
        box.value = 'Broken \\ud83d paste';
        box.dispatchEvent(new Event('input', { bubbles: true }));
    }""")
    ada.keyboard.press("Enter")
    expect(ada.locator(".toast", has_text="Not saved")).to_be_visible()
    wait_saved(ada)
    assert ada.evaluate("window.flowmap.pendingCount") == 0
    ada.reload()
    wait_connected(ada)
    kept = ada.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('flowmap.pending'))")
    assert kept == []
    expect(ada.get_by_label("Step: S0", exact=True)).to_be_visible()
