"""One duration rule, as a facilitator sees it (issue 17, "units that change their mind"):
what a person typed reads as typed, and computed figures side by side read alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480  # minutes in the default 8-hour working day
# Lead time and process time in the one computed style: a number with one unit.
ONE_STYLE = r"^\d+(\.\d)?[mhd]$"


def wait_on_canvas(page: Page) -> Locator:
    """The wait in the data box under the step called Test."""
    return page.get_by_label("Step: Test").locator('[data-field="wait_minutes"] .data-value')


def test_a_typed_5d_reads_5d_on_the_canvas_and_in_the_panel_and_totals_read_alike(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "a", "kind": "step", "x": 60, "y": 120, "text": "Build",
                                     "wait_minutes": 3 * DAY, "process_minutes": 2 * DAY + 150}},
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 380, "y": 120, "text": "Test",
                                     "wait_minutes": 10 * DAY, "process_minutes": 2 * DAY}},
        {"op": "create", "element": {"id": "ab", "kind": "connector", "source": "a", "target": "b"}},
    ])  # fmt: skip
    ada = open_page(
        board_url(board, "participant"), name="Ada", viewport={"width": 1280, "height": 720}
    )
    bob = open_page(
        board_url(board, "participant"), name="Bob", viewport={"width": 1024, "height": 768}
    )
    wait_connected(ada)
    wait_connected(bob)

    ada.get_by_label("Step: Test").locator('[data-field="wait_minutes"]').dblclick()
    wait = ada.get_by_label("Wait before it")
    wait.fill("5d")
    wait.press("Enter")

    # Typed "5d" (2,400 minutes, a whole working week) reads "5d", never "1w": on both canvases...
    for page in (ada, bob):
        expect(wait_on_canvas(page)).to_have_text("5d")
    # ...and in the side panel, once it has lost focus.
    expect(wait).to_have_value("5d")
    select_step(bob, "Test")
    expect(bob.get_by_label("Wait before it")).to_have_value("5d")

    # Lead time and process time: the same style, side by side (not "21.8d" and "4d 2h 30m").
    lead = bob.locator("[data-metric=lead_time]")
    process = bob.locator("[data-metric=process_time]")
    expect(lead).to_have_text("12.3d")  # 3d + 2d 2h 30m + 5d + 2d
    expect(process).to_have_text("4.3d")  # 2d 2h 30m + 2d
    for shown in (lead.inner_text(), process.inner_text()):
        assert re.fullmatch(ONE_STYLE, shown.strip()), shown
    bob.screenshot(path=str(ARTIFACTS / "units-typed-5d.png"))

    # The same minutes typed as "1w" read "1w": the words change, the figures do not.
    wait.fill("1w")
    wait.press("Enter")
    expect(wait_on_canvas(bob)).to_have_text("1w")
    expect(bob.get_by_label("Wait before it")).to_have_value("1w")
    expect(lead).to_have_text("12.3d")
    wait.fill("5d")
    wait.press("Enter")
    expect(wait_on_canvas(bob)).to_have_text("5d")

    # The server keeps the text beside the minutes, so a page opened later reads it too.
    got = httpx.get(
        f"{live_server.url}/api/boards/{board['id']}", params={"token": board["tokens"]["viewer"]}
    ).json()
    test_step = next(e for e in got["elements"] if e["id"] == "b")
    assert (test_step["wait_minutes"], test_step["wait_text"]) == (5 * DAY, "5d")


def test_an_empty_board_shows_a_dash_for_activity_ratio_and_rolled_pca(
    board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(page)
    expect(page.locator("[data-metric=activity_ratio]")).to_have_text("—")
    expect(page.locator("[data-metric=rolled_pca]")).to_have_text("—")
    expect(page.locator("[data-metric=lead_time]")).to_have_text("—")


def test_version_compare_reads_wait_4d_to_1w_in_the_facilitator_dialog(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    facilitator = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    root = f"{live_server.url}/api/boards/{board['id']}"
    live_server.post_ops(board, [{"op": "create", "element": {
        "id": "t", "kind": "step", "x": 60, "y": 120, "text": "Test",
        "wait_minutes": 4 * DAY, "process_minutes": DAY}}])  # fmt: skip
    assert httpx.post(f"{root}/versions", json={"label": "before"}, headers=facilitator).is_success
    live_server.post_ops(board, [{"op": "update", "id": "t", "set": {
        "wait_minutes": 5 * DAY, "wait_text": "1w"}}])  # fmt: skip
    assert httpx.post(f"{root}/versions", json={"label": "after"}, headers=facilitator).is_success

    fay = open_page(
        board_url(board, "facilitator"), name="Fay", viewport={"width": 1024, "height": 768}
    )
    wait_connected(fay)
    fay.get_by_role("button", name="Publish and validate").click()
    dialog = fay.get_by_role("dialog", name="Publish and validate")
    dialog.get_by_role("button", name="Compare with v1").click()
    changes = dialog.locator(".compare-changes")
    expect(changes).to_have_text("Test: Wait 4d → 1w")
    lead = dialog.locator(".compare-table tr", has_text="Lead time")
    expect(lead).to_have_text(re.compile(r"Lead time\s*5d\s*6d\s*\+1d"))
    fay.screenshot(path=str(ARTIFACTS / "units-compare.png"))


def test_half_a_day_and_an_hour_and_a_half_typed_as_on_a_sticky_are_taken(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 380, "y": 120, "text": "Test"}},
    ])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    select_step(ada, "Test")
    wait = ada.get_by_label("Wait before it")
    wait.fill("½d")
    wait.press("Enter")
    process = ada.get_by_label("Process time")
    process.fill("1:30")
    process.press("Enter")
    # Shown in decimals and units, as the server tidies them, and stored as those minutes.
    expect(wait_on_canvas(ada)).to_have_text("0.5d")
    expect(wait).to_have_value("0.5d")
    expect(process).to_have_value("1h 30m")
    wait_connected(ada)
    got = httpx.get(
        f"{live_server.url}/api/boards/{board['id']}", params={"token": board["tokens"]["viewer"]}
    ).json()
    step = next(e for e in got["elements"] if e["id"] == "b")
    assert (step["wait_minutes"], step["process_minutes"]) == (DAY / 2, 90)
