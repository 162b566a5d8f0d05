"""The Timer dialog says what the countdown is doing: nothing to stop when none runs.

It always offered "Stop the timer", with no timer running, and nothing in it said
whether one was: a facilitator could not tell from the dialog what Start would replace.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
HALF_LAPTOP = {"width": 683, "height": 768}


def open_timer(page: Page) -> None:
    page.get_by_role("button", name="Timer").click()
    expect(page.locator("#timer-dialog")).to_be_visible()


def test_the_timer_dialog_follows_the_timer(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport=HALF_LAPTOP)
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    dialog = fay.locator("#timer-dialog")
    stop = dialog.get_by_role("button", name="Stop the timer")

    # No timer: nothing to stop, and the dialog says none runs.
    open_timer(fay)
    expect(stop).to_be_hidden()
    expect(dialog.locator("[data-timer-status]")).to_have_text("No countdown is running.")
    expect(dialog.get_by_role("button", name="Start", exact=True)).to_be_visible()
    fay.screenshot(path=str(ARTIFACTS / "timer-dialog-idle-683.png"))
    fay.get_by_label("Minutes").fill("5")
    fay.get_by_role("textbox", name="For").fill("Add the wait times")
    fay.get_by_role("button", name="Start", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(ada.locator("[data-session-item=timer]")).to_contain_text("Add the wait times")

    # Running: it says so, offers to stop it, and starting again replaces it.
    open_timer(fay)
    expect(dialog.locator("[data-timer-status]")).to_contain_text("Add the wait times")
    expect(dialog.locator("[data-timer-status]")).to_contain_text("left")
    expect(stop).to_be_visible()
    expect(dialog.get_by_role("button", name="Start again", exact=True)).to_be_visible()
    fay.screenshot(path=str(ARTIFACTS / "timer-dialog-running-683.png"))
    stop.click()
    expect(ada.locator("[data-session-item=timer]")).to_have_count(0)

    # Stopped by someone else (another facilitator tab) while the dialog is open: it follows.
    open_timer(fay)
    expect(stop).to_be_hidden()
    live_server.post_ops(board, [{"op": "board", "set": {"timer_seconds": 120, "timer_label": ""}}])
    expect(stop).to_be_visible()
    live_server.post_ops(board, [{"op": "board", "set": {"timer_seconds": None}}])
    expect(stop).to_be_hidden()
    expect(dialog.locator("[data-timer-status]")).to_have_text("No countdown is running.")
    # Run out: "Time is up" stays on everyone's screen until it is cleared, from here.
    live_server.post_ops(board, [{"op": "board", "set": {"timer_seconds": 1, "timer_label": ""}}])
    expect(dialog.locator("[data-timer-status]")).to_contain_text("Time is up")
    clear = dialog.get_by_role("button", name="Clear the timer")
    expect(clear).to_be_visible()
    expect(ada.locator("[data-session-item=timer]")).to_contain_text("Time is up")
    clear.click()
    expect(ada.locator("[data-session-item=timer]")).to_have_count(0)


def test_a_countdown_that_runs_out_says_time_is_up_to_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Its last quarter second reads 0:00, and the bar stayed at 0:00 instead of "Time is up".
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    live_server.post_ops(board, [{"op": "board", "set": {"timer_seconds": 2, "timer_label": "Walk it"}}])
    timer = ada.locator("[data-session-item=timer]")
    expect(timer).to_contain_text("Walk it")
    expect(timer.locator("[data-timer]")).to_have_text("Time is up", timeout=8000)


# How late the page's own script arrives in the test below: the welcome waits that long on
# the socket opened early (net/early.js), well past the countdown's slack of a quarter second.
SLOW_START_S = 1.0


def test_a_five_minute_countdown_reads_5_00_as_it_starts_on_a_page_slow_to_start(
    live_server: Server, board: dict[str, Any], browser: Browser
) -> None:
    # The welcome's server clock was read when the page handled it, not when it arrived:
    # our estimate of the server's clock fell behind by the wait, and 5 minutes read 5:01.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script("localStorage.setItem('flowmap.name', 'Fay')")
    try:
        fay = context.new_page()

        def late(route: Route) -> None:
            time.sleep(SLOW_START_S)
            route.continue_()

        fay.route(re.compile(r"/static/js/main\.js"), late)
        fay.goto(board_url(board, "facilitator"))
        wait_connected(fay)
        open_timer(fay)
        fay.get_by_label("Minutes").fill("5")
        fay.get_by_role("button", name="Start", exact=True).click()
        # The first reading, as soon as the bar shows it (it counts down from there).
        first = fay.wait_for_function(
            "() => document.querySelector('[data-session-item=timer] [data-timer]')?.textContent"
        ).json_value()
        assert first == "5:00"
        # The dialog reads the same clock: never more than the 5 minutes asked.
        open_timer(fay)
        status = fay.locator("#timer-dialog [data-timer-status]").text_content() or ""
        assert re.search(r": (5:00|4:[0-5]\d) left\.$", status), status
    finally:
        context.close()
