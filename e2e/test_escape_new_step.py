"""Escape before a new step is named takes it back, for everyone.

Shift+N (or Add step, or a new note) puts the element on the board and opens its name;
Escape there closed the field and left an untitled step (and its arrow) on the board,
on every peer's screen too. A name never typed means the element was never wanted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

HALF_LAPTOP = {"width": 683, "height": 768}
COUNT = "(kind) => window.flowmap.elements().filter((e) => e.kind === kind).length"


def test_escape_on_an_unnamed_new_step_takes_it_back_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "plan", "kind": "step", "x": 60, "y": 120, "text": "Plan"}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport=HALF_LAPTOP)
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    fay.get_by_label("Step: Plan", exact=True).click()
    fay.keyboard.press("Shift+N")
    field = fay.get_by_role("textbox", name="Step text")
    expect(field).to_be_focused()
    # Ada sees it arrive: it was created, and must go again for her too.
    ada.wait_for_function(f"() => ({COUNT})('step') === 2")
    field.press("Escape")
    expect(field).to_have_count(0)
    for page in (fay, ada):
        page.wait_for_function(f"() => ({COUNT})('step') === 1 && ({COUNT})('connector') === 0")
    wait_connected(fay)
    # Nothing to redo: the step that was never named does not come back.
    expect(fay.get_by_role("button", name="Redo")).to_be_disabled()
    # A step Ada will see again only if it is still there on a reload (the server dropped it).
    ada.reload()
    wait_connected(ada)
    assert ada.evaluate(f"({COUNT})('step')") == 1

    # A name typed and then Escape-d is kept as it was: a named step stays.
    fay.get_by_label("Step: Plan", exact=True).click()
    fay.keyboard.press("Shift+N")
    expect(field).to_be_focused()
    field.fill("Build")
    field.press("Enter")
    expect(fay.get_by_label("Step: Build", exact=True)).to_have_count(1)
    fay.get_by_label("Step: Build", exact=True).dblclick()
    expect(field).to_be_focused()
    field.press("Escape")
    expect(fay.get_by_label("Step: Build", exact=True)).to_have_count(1)
    ada.wait_for_function(f"() => ({COUNT})('step') === 2")


def test_escape_on_a_new_step_from_the_tool_bar_takes_it_back(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport=HALF_LAPTOP)
    wait_connected(fay)
    fay.get_by_role("button", name="Add step").click()
    field = fay.get_by_role("textbox", name="Step text")
    expect(field).to_be_focused()
    fay.wait_for_function(f"() => ({COUNT})('step') === 1")
    field.press("Escape")
    fay.wait_for_function(f"() => ({COUNT})('step') === 0")
    wait_connected(fay)
    expect(fay.get_by_role("button", name="Undo")).to_be_disabled()
