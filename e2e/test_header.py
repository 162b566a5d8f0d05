"""The top bar on half a laptop screen: every facilitator control is reachable and clickable.

Facilitators share the screen with the video call. At 1024 px with 13 people the
people chips covered Present, Export, Map settings, Legend and Help (clicks landed on
the chips), and at 1280 px Help was covered and the board's title shrank to nothing.
Now what does not fit goes into "More" and the people collapse to a count. Each
control is clicked the way a person would (Playwright refuses a click another
element would catch) and shown to have done its work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from e2e.utils.crowd import Crowd
from e2e.utils.demo import open_demo
from e2e.utils.seed import apply_ops, publish
from tests.support.live import Server

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
CROWDS = [1, 13, 40]
# The title keeps at least this much room: enough for a dozen characters.
TITLE_MIN_PX = 90
CLICK_MS = 3000

count = "(k) => window.flowmap.elements().filter((e) => e.kind === k).length"


def press(page: Page, action: str) -> None:
    """Click a tool where it is: on the bar, or in the More menu."""
    tool = page.locator(f'#toolbar > [data-action="{action}"], .zoom-controls [data-action="{action}"]')
    if tool.count() and tool.is_visible():
        tool.click(timeout=CLICK_MS)
        return
    page.locator("#more-tools").click(timeout=CLICK_MS)
    page.locator(f'#more-menu [data-action="{action}"]').click(timeout=CLICK_MS)
    expect(page.locator("#more-menu")).to_be_hidden()


def dialog_opens(page: Page, action: str) -> None:
    press(page, action)
    expect(page.locator("dialog[open]")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)


def toggles(page: Page, action: str) -> None:
    press(page, action)
    expect(page.locator(f'[data-action="{action}"]')).to_have_attribute("aria-pressed", "true")
    press(page, action)
    expect(page.locator(f'[data-action="{action}"]')).to_have_attribute("aria-pressed", "false")


def elements_change(page: Page, action: str) -> None:
    before = page.evaluate("() => window.flowmap.elements().length")
    press(page, action)
    page.wait_for_function(f"() => window.flowmap.elements().length !== {before}")


def adds(page: Page, action: str, kind: str) -> None:
    before = page.evaluate(count, kind)
    press(page, action)
    page.wait_for_function(f"({count})({kind!r}) > {before}")
    # Out of its name's field without a word (Escape there would take a new step back).
    field = page.locator(".text-editor")
    if field.count():
        field.blur()
    page.keyboard.press("Escape")


def every_control(page: Page) -> list[str]:
    """Each control, clicked and seen to work; returns the actions tried."""
    tried: list[str] = []

    def run(action: str, check: Callable[[], None]) -> None:
        check()
        tried.append(action)

    run("add-step", lambda: adds(page, "add-step", "step"))
    run("add-inventory", lambda: adds(page, "add-inventory", "inventory"))
    run("add-note", lambda: adds(page, "add-note", "note"))
    run("add-experiment", lambda: adds(page, "add-experiment", "experiment"))

    def connect() -> None:
        step = page.evaluate("() => window.flowmap.elements().find((e) => e.kind === 'step').id")
        page.locator(f'[data-id="{step}"]').first.focus()  # tabbing onto a step selects it
        page.wait_for_function(f"() => window.flowmap.selection().includes({step!r})")
        press(page, "connect")
        page.wait_for_function("() => window.flowmap.connecting")
        page.keyboard.press("Escape")
        page.wait_for_function("() => !window.flowmap.connecting")

    run("connect", connect)
    run("undo", lambda: elements_change(page, "undo"))
    run("redo", lambda: elements_change(page, "redo"))

    def tidy() -> None:
        press(page, "tidy")
        expect(page.locator("#tidy-bar")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("#tidy-bar")).to_be_hidden()

    run("tidy", tidy)
    for action in ("share", "validation", "vote", "timer", "export", "legend", "help"):
        run(action, lambda a=action: dialog_opens(page, a))  # type: ignore[misc]
    for action in ("lock", "present", "far-view"):
        run(action, lambda a=action: toggles(page, a))  # type: ignore[misc]

    def pointers() -> None:
        press(page, "cursors")
        expect(page.locator("#cursors")).to_be_hidden()
        press(page, "cursors")
        expect(page.locator("#cursors")).to_be_visible()

    run("cursors", pointers)

    def settings() -> None:
        press(page, "map-settings")
        expect(page.locator("#map-panel")).to_be_visible()
        press(page, "map-settings")
        expect(page.locator("#map-panel")).to_be_hidden()

    run("map-settings", settings)
    # In this order each changes the zoom (fit is rarely exactly 1 / 1.25 = 0.8).
    for action in ("zoom-in", "zoom-reset", "zoom-out", "zoom-fit"):
        before = page.evaluate("() => window.flowmap.zoom")
        page.locator(f'[data-action="{action}"]').click(timeout=CLICK_MS)
        page.wait_for_function(f"() => window.flowmap.zoom !== {before}")
        tried.append(action)
    return tried


@pytest.mark.parametrize("people", CROWDS)
def test_every_facilitator_control_is_reachable_and_works(
    live_server: Server, open_page: Callable[..., Page], people: int
) -> None:
    board: dict[str, Any] = live_server.create_board("Order to cash: the whole flow, from a signed order")
    with Crowd(live_server, board, people - 1):
        for width, height in SIZES:
            page = open_page(board_url(board, "facilitator"), viewport={"width": width, "height": height})
            wait_connected(page)
            here = f"{people} {'person' if people == 1 else 'people'} on this board"
            expect(page.locator("#presence")).to_have_attribute("title", here)
            shown = page.evaluate("() => [...document.querySelectorAll('#toolbar [data-action], #more-menu [data-action], .zoom-controls [data-action]')]"
                                  ".map((b) => b.dataset.action)")
            tried = every_control(page)
            assert set(shown) <= set(tried), f"not tried: {set(shown) - set(tried)}"
            title = page.locator("#board-title").bounding_box()
            assert title is not None and title["width"] >= TITLE_MIN_PX, (width, people, title)
            presence = page.locator("#presence").bounding_box()
            toolbar = page.locator("#toolbar").bounding_box()
            assert presence and toolbar and toolbar["x"] + toolbar["width"] <= presence["x"], (width, people)
            page.screenshot(path=f"e2e/artifacts/header-{width}x{height}-{people}.png")
            page.context.close()


def test_the_people_count_opens_everyone_and_follows_from_the_list(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Crowded")
    with Crowd(live_server, board, 12):
        page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
        wait_connected(page)
        expect(page.locator("#presence")).to_have_attribute("data-count", "13")
        # Only our chip and the count: no other chips crowd the bar.
        expect(page.locator("#presence .chip[data-peer]")).to_have_count(1)
        page.get_by_role("button", name="All 13 people on this board").click()
        rows = page.locator("#people-list .people-row")
        expect(rows).to_have_count(13)
        expect(page.locator("#people-list")).to_contain_text("Maximiliane Oberhauser-Lindqvist")
        page.get_by_role("button", name="Follow Grace Hopper").click()
        expect(page.locator("#people-list")).to_be_hidden()
        expect(page.locator("#session-bar")).to_contain_text("Grace Hopper")


# Every tool on the bar, visible and not clipped by its end; and whether More shows, with what.
BAR_FITS = """() => {
  const bar = document.getElementById('toolbar');
  const edge = bar.getBoundingClientRect().right;
  const cut = [...bar.querySelectorAll(':scope > [data-action]')].filter((b) => !b.hidden)
    .filter((b) => b.getBoundingClientRect().right > edge + 0.5).map((b) => b.dataset.action);
  const menu = [...document.querySelectorAll('#more-menu > [data-action]')].filter((b) => !b.hidden);
  const more = document.getElementById('more-tools');
  return cut.length === 0 && bar.scrollWidth <= bar.clientWidth + 0.5 && more.hidden === (menu.length === 0)
    && (more.hidden || more.getBoundingClientRect().right <= edge + 0.5);
}"""


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768), (800, 600)])
def test_the_bar_refits_when_the_name_card_grows_while_the_page_is_open(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # A version published (its badge) or a longer name widens the name's card, and the bar
    # beside it was cut off at its end, More with it: Export, Publish and Map settings could
    # not be reached until a reload.
    board, page = open_demo(live_server, open_page, size)
    page.wait_for_function(BAR_FITS, timeout=CLICK_MS)
    publish(live_server, board)
    expect(page.locator(".state-badge")).to_have_text("Published")
    page.wait_for_function(BAR_FITS, timeout=CLICK_MS)
    title = "Feature delivery, from the customer's request to running in production"
    apply_ops(live_server, board, {"op": "board", "set": {"title": title}})
    expect(page.locator("#board-title")).to_have_text(title)
    page.wait_for_function(BAR_FITS, timeout=CLICK_MS)
    dialog_opens(page, "export")


def test_the_keyboard_help_opens_at_its_title_and_tab_never_stops_on_an_unseen_layer(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # "?" opened the help scrolled to its bottom (its first button had the focus), its title
    # and first rows out of sight; and Tab stopped, unseen, on the peers' drawing layer.
    board, page = open_demo(live_server, open_page, (1366, 768))
    page.locator("g.el-step").first.focus()
    stops = []
    for _ in range(16):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.getAttribute('class') ?? ''"))
    assert not [s for s in stops if "canvas-live" in s], stops
    page.locator("g.el-step").first.focus()
    page.keyboard.press("?")
    dialog = page.locator("#help-dialog")
    expect(dialog).to_be_visible()
    title = page.locator("#help-dialog-title")
    expect(title).to_be_focused()
    expect(title).to_be_in_viewport()
    assert dialog.evaluate("(d) => d.scrollTop") == 0
    expect(dialog).to_contain_text("Zoom to 100 %")
