"""People who "Just look" are told apart: the server names each guest, and a guest who
comes back keeps the name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
NAMES = "() => window.flowmap.peers().map((p) => p.name).sort()"
SAME_NAMES = f"(want) => JSON.stringify(({NAMES})()) === JSON.stringify(want)"
MY_NAME = "() => window.flowmap.you && window.flowmap.you.name"


def just_look(page: Page) -> None:
    page.get_by_role("dialog", name="What should we call you?").get_by_role(
        "button", name="Just look"
    ).click()
    wait_connected(page)


def test_three_people_who_just_look_are_three_guests_and_keep_their_names(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    wait_connected(ada)
    guests = [open_page(board_url(board, "viewer"), name=None) for _ in range(3)]
    for guest in guests:
        just_look(guest)
    everyone = ["Ada", "Guest", "Guest 2", "Guest 3"]
    ada.wait_for_function(f"() => ({NAMES})().length === {len(everyone)}")
    assert ada.evaluate(NAMES) == everyone  # was ["Ada", "Guest", "Guest", "Guest"]
    # Each guest is told the name the others see (their own chip), not the word it sent.
    mine = [guest.evaluate(MY_NAME) for guest in guests]
    assert sorted(mine) == ["Guest", "Guest 2", "Guest 3"]
    # The people list and the chips: three guests, three labels.
    chips = ada.locator("#presence .chip:not(.chip-you)")
    expect(chips).to_have_count(3)
    labels = sorted(chips.nth(i).get_attribute("aria-label") or "" for i in range(3))
    assert len({label.split(".")[0] for label in labels}) == 3, labels
    ARTIFACTS.mkdir(exist_ok=True)
    ada.locator("#presence").screenshot(path=ARTIFACTS / "guests-told-apart.png")
    ada.screenshot(path=ARTIFACTS / "guests-told-apart-page.png")

    # The second reloads (its browser keeps its identity): asked again, it looks again, and
    # comes back under the name it had; nobody else's changes.
    second = guests[1]
    second.reload()
    just_look(second)
    second.wait_for_function(f"() => ({MY_NAME})() === {mine[1]!r}")
    ada.wait_for_function(SAME_NAMES, arg=everyone)
    assert [guest.evaluate(MY_NAME) for guest in guests] == mine
