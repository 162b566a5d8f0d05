"""A page offline for a while, editing, while others edit the same elements, in real
Chromium pages: its edits are sent once it is back, in server order, and what could not be
saved is said in words people read, naming what they typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import fay_and_bob, select_step, wait_connected
from tests.support.live import Server

NARROW = {"width": 683, "height": 768}


def stored(server: Server, board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["facilitator"]}, timeout=10).json()  # fmt: skip
    return {e["id"]: e for e in state["elements"]}


def test_edits_made_offline_to_a_step_someone_deleted_meanwhile_say_what_was_lost(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Bob, offline for ten seconds, renamed Build and gave it a wait; Fay deleted Build
    meanwhile. Back online, Bob read "Not saved: no element with id 's-build' (it may have
    been deleted)": an id nobody knows, and no word of what he had typed."""
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s-build", "kind": "step", "text": "Build", "x": 100, "y": 200}},
        {"op": "create", "element": {"id": "s-test", "kind": "step", "text": "Test", "x": 500, "y": 200}},
    ])  # fmt: skip
    fay, bob = fay_and_bob(open_page, board, NARROW)

    bob.context.set_offline(True)
    select_step(bob, "Build")
    bob.locator("#inspect-wait_minutes").fill("5h")
    bob.keyboard.press("Enter")
    bob.locator("#inspect-text").fill("Build offline")
    bob.keyboard.press("Enter")
    select_step(bob, "Test")
    bob.locator("#inspect-text").fill("Test offline")
    bob.keyboard.press("Enter")
    select_step(fay, "Build")
    fay.keyboard.press("Delete")
    bob.wait_for_timeout(10_000)
    bob.context.set_offline(False)
    wait_connected(bob, timeout=30_000)

    said = bob.locator(".toast", has_text="Build was deleted by someone else before your change")
    expect(said.first).to_be_visible()
    words = " ".join(said.all_text_contents())
    assert "“Build offline”" in words and "“5h”" in words, words
    expect(bob.locator(".toast", has_text="no element with id")).to_have_count(0)
    bob.screenshot(path="e2e/artifacts/offline-edit-of-a-deleted-step-683.png")
    # What could be saved was, once: Test's new name, everywhere.
    expect(fay.get_by_label("Step: Test offline")).to_be_visible()
    assert "s-build" not in stored(live_server, board)
    assert stored(live_server, board)["s-test"]["text"] == "Test offline"
