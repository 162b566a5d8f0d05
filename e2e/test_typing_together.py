"""Two people typing into the same field of the same step at once, in real Chromium pages.

Last writer wins per field in server order (DESIGN section 3): whoever presses Enter last
sets it. The page of the one still typing keeps their words and caret, and says that
someone else changed the field meanwhile and to what, so nobody overwrites a colleague's
figure or name without knowing it: Enter keeps their own words, Escape takes the colleague's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

SIZES = [{"width": 1280, "height": 720}, {"width": 683, "height": 768}]


def one_step(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "s-build", "kind": "step", "text": "Build", "x": 100, "y": 200}},
    ])  # fmt: skip


def model(page: Page, field: str) -> Any:
    return page.evaluate(
        "(f) => window.flowmap.elements().find((e) => e.id === 's-build')[f]", field
    )


def wait_model(page: Page, field: str, value: Any) -> None:
    page.wait_for_function(
        "([f, v]) => window.flowmap.elements().find((e) => e.id === 's-build')?.[f] === v",
        arg=[field, value],
    )


@pytest.mark.parametrize("size", SIZES, ids=["1280", "683"])
def test_a_figure_changed_by_someone_else_while_typing_it_in_the_panel_is_said_there(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], size: dict[str, int]
) -> None:
    """Ann was typing Build's wait when Bob set it to 3d: her field kept her "2" with no
    word of Bob's 3d, and her Enter wiped it out unknowingly."""
    one_step(live_server, board)
    ann = open_page(board_url(board, "facilitator"), name="Ann", viewport=size)
    bob = open_page(board_url(board, "participant"), name="Bob", viewport=size)
    wait_connected(ann)
    wait_connected(bob)
    select_step(ann, "Build")
    select_step(bob, "Build")
    ann.locator("#inspect-wait_minutes").click()
    ann.keyboard.type("2")
    bob.locator("#inspect-wait_minutes").fill("3d")
    bob.keyboard.press("Enter")
    wait_model(ann, "wait_minutes", 1440)

    field = ann.locator("#inspect-wait_minutes")
    expect(field).to_have_value("2")  # her words stay, caret where it was
    assert field.evaluate("(f) => [document.activeElement === f, f.selectionStart]") == [True, 1]
    said = ann.locator("[data-changed-while-typing='wait_minutes']")
    expect(said).to_be_visible()
    expect(said).to_contain_text("Someone else changed this to “3d” while you typed")
    ann.screenshot(path=f"e2e/artifacts/typing-together-panel-{size['width']}.png")
    ann.keyboard.type("h")
    expect(field).to_have_value("2h")

    ann.keyboard.press("Escape")  # takes Bob's
    expect(field).to_have_value("3d")
    expect(said).to_be_hidden()
    assert model(ann, "wait_minutes") == 1440

    # Typed again and kept: hers is saved, and the word goes.
    ann.locator("#inspect-wait_minutes").click()
    ann.keyboard.press("Control+a")
    ann.keyboard.type("1d")
    bob.locator("#inspect-wait_minutes").fill("4d")
    bob.keyboard.press("Enter")
    wait_model(ann, "wait_minutes", 1920)
    expect(said).to_contain_text("“4d”")
    ann.keyboard.press("Enter")
    expect(said).to_be_hidden()
    wait_model(bob, "wait_minutes", 480)


@pytest.mark.parametrize("size", SIZES, ids=["1280", "683"])
def test_a_name_changed_by_someone_else_while_typing_it_in_place_is_said_there(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], size: dict[str, int]
) -> None:
    """Ann was renaming Build in place when Bob renamed it Make: nothing on her page said so,
    and her Enter replaced Make without her knowing it was there."""
    one_step(live_server, board)
    ann = open_page(board_url(board, "facilitator"), name="Ann", viewport=size)
    bob = open_page(board_url(board, "participant"), name="Bob", viewport=size)
    wait_connected(ann)
    wait_connected(bob)
    ann.get_by_label("Step: Build").dblclick()
    ann.keyboard.type("Bu")
    select_step(bob, "Build")
    bob.locator("#inspect-text").fill("Make")
    bob.keyboard.press("Enter")
    wait_model(ann, "text", "Make")

    field = ann.get_by_role("textbox", name="Step text")
    expect(field).to_have_value("Bu")
    assert field.evaluate("(f) => [document.activeElement === f, f.selectionStart]") == [True, 2]
    said = ann.locator("[data-changed-while-typing='text']")
    expect(said).to_be_visible()
    expect(said).to_contain_text("Someone else changed this to “Make” while you typed")
    ann.screenshot(path=f"e2e/artifacts/typing-together-in-place-{size['width']}.png")

    ann.keyboard.press("Escape")  # takes Bob's
    expect(said).to_have_count(0)
    expect(ann.get_by_label("Step: Make")).to_be_visible()
    assert model(ann, "text") == "Make"

    # Typed again and kept: hers is saved, and the word goes with the field.
    ann.get_by_label("Step: Make").dblclick()
    ann.keyboard.type("Ship")
    bob.locator("#inspect-text").fill("Deploy")
    bob.keyboard.press("Enter")
    wait_model(ann, "text", "Deploy")
    expect(said).to_contain_text("“Deploy”")
    ann.keyboard.press("Enter")
    expect(said).to_have_count(0)
    wait_model(bob, "text", "Ship")


def test_a_field_merely_focused_follows_a_figure_someone_else_changes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Ann had clicked into Build's wait, not typing yet, when Bob set it to 2d: her field
    went on showing it empty (the step on the map said 2d), and stayed so once she left it."""
    one_step(live_server, board)
    ann = open_page(board_url(board, "facilitator"), name="Ann", viewport=SIZES[0])
    bob = open_page(board_url(board, "participant"), name="Bob", viewport=SIZES[0])
    wait_connected(ann)
    wait_connected(bob)
    select_step(ann, "Build")
    select_step(bob, "Build")
    ann.locator("#inspect-wait_minutes").click()
    bob.locator("#inspect-wait_minutes").fill("2d")
    bob.keyboard.press("Enter")
    wait_model(ann, "wait_minutes", 960)
    expect(ann.locator("#inspect-wait_minutes")).to_have_value("2d")
    expect(ann.locator("[data-changed-while-typing]")).to_have_count(0)
    ann.keyboard.press("Tab")
    expect(ann.locator("#inspect-wait_minutes")).to_have_value("2d")
    assert model(bob, "wait_minutes") == 960
