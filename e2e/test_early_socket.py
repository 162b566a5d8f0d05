"""The board's socket opens while the page's modules are still arriving (frontend/js/net/early.js):
once, with one hello, and the page that takes it over edits the board with the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

# Every socket the page opens, when and whether by net/early.js, and the hellos said on them.
SOCKETS = """
(() => {
  const seen = window.__sockets = { opened: [], early: [], hellos: 0 };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      seen.opened.push(performance.now());
      seen.early.push((new Error().stack || '').includes('/net/early.js'));
    }
    send(data) { if (String(data).includes('"type":"hello"')) seen.hellos += 1; return super.send(data); }
  };
})();
"""


def watched(page: Page) -> Page:
    """The page loaded again, its sockets recorded from the start."""
    page.context.add_init_script(SOCKETS)
    page.reload()
    return page


def test_a_named_person_connects_before_the_page_has_loaded_and_edits_with_the_others(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ops = f"{live_server.url}/api/boards/{board['id']}/ops"
    httpx.post(ops, params={"token": board["tokens"]["facilitator"]}, json={"ops": [
        {"op": "create", "element": {"id": "s1", "kind": "step", "text": "Plan", "x": 100, "y": 200}},
    ]}).raise_for_status()  # fmt: skip
    pages = []
    for name in ("Ada", "Bob"):
        page = watched(open_page(board_url(board, "participant"), name=name))
        wait_connected(page)
        pages.append(page)
    ada, bob = pages
    for page in pages:
        sockets = page.evaluate("() => window.__sockets")
        assert len(sockets["opened"]) == 1 and sockets["hellos"] == 1, sockets
        # Opened by early.js, which runs before the rest of the modules (compared by the clock,
        # the socket's time and the last module's arrival were a race on a loaded machine).
        assert sockets["early"] == [True], sockets
        # Two people, no third left over from a socket nobody took.
        expect(page.locator("#presence")).to_have_attribute("data-count", "2")
    ada.wait_for_function("() => window.flowmap.elements().some((e) => e.id === 's1')")
    bob.get_by_role("button", name="Add step").click()
    bob.get_by_role("textbox", name="Step text").fill("Build")
    bob.keyboard.press("Enter")
    expect(ada.get_by_label("Step: Build")).to_be_visible()
    wait_connected(bob)  # saved: nothing left pending


def test_someone_without_a_name_is_asked_first_and_connects_once_named(
    board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = watched(open_page(board_url(board, "participant"), name=None))
    dialog = page.locator("#name-dialog")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => window.__sockets.opened.length") == 0
    dialog.get_by_label("Your name").fill("Cyd")
    dialog.get_by_role("button", name="Join board").click()
    wait_connected(page)
    sockets = page.evaluate("() => window.__sockets")
    assert len(sockets["opened"]) == 1 and sockets["hellos"] == 1, sockets
    assert sockets["early"] == [False], sockets  # the page's own, once named
