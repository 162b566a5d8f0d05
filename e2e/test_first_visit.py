"""Someone who has never seen Flowmap opens an empty board: what it tells them to do.

The empty board's lane is the only guidance on the canvas, so it must be readable on a
laptop's screen and must not tell anyone to do what their link cannot.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from tests.support.live import Server

# Smaller than this, words on a screen are squinted at (the side panels' help is 13 px).
READABLE_PX = 12


def lane_text_px(page: Page) -> float:
    """The lane's words as tall as the screen shows them: their size times the map's zoom."""
    return float(page.evaluate(
        """() => {
            const lane = document.querySelector('.frame-lane');
            const box = lane.querySelector('.frame-lane-box');
            const zoom = lane.getBoundingClientRect().width / lane.width.baseVal.value;
            return parseFloat(getComputedStyle(box).fontSize) * zoom;
        }"""
    ))  # fmt: skip


def test_the_empty_boards_hint_is_readable_on_a_1024_screen(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("First workshop")
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    expect(page.locator(".frame-lane")).to_contain_text("Add the first with N or double-click")
    # At 1024 x 768 the lane is fitted beside the Flow panel at about 60 %: 15 px words read as 9.
    assert lane_text_px(page) >= READABLE_PX
    page.screenshot(path="e2e/artifacts/first-visit-1024.png")


def test_a_viewer_on_an_empty_board_is_not_told_to_add_steps(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Watching")
    viewer = open_page(
        board_url(board, "viewer"), name="Vera", viewport={"width": 1280, "height": 720}
    )
    wait_connected(viewer)
    lane = viewer.locator(".frame-lane")
    expect(lane).to_contain_text("The steps go here")
    # N and a double-click do nothing on a viewer's link: the lane says who adds the steps.
    expect(lane).not_to_contain_text("Add the first")
    expect(lane).to_contain_text("as the team adds them")
    # Nor does the Flow panel ask them to add what they cannot.
    expect(viewer.locator("#totals")).to_contain_text("The totals appear here")
    expect(viewer.locator("#totals")).not_to_contain_text("Add steps")


def test_the_hint_follows_a_pause_in_editing(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Paused")
    participant = open_page(board_url(board, "participant"), name="Pat")
    wait_connected(participant)
    lane = participant.locator(".frame-lane")
    expect(lane).to_contain_text("Add the first with N or double-click")
    live_server.post_ops(board, [{"op": "board", "set": {"locked": True}}])
    expect(lane).to_contain_text("as the team adds them")
    live_server.post_ops(board, [{"op": "board", "set": {"locked": False}}])
    expect(lane).to_contain_text("Add the first with N or double-click")


def test_a_mistyped_address_shows_a_page_not_json(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    """A link cut short in a chat (`/b/` without its board) or a path typed by hand showed
    `{"detail":"Not Found"}`: the browser now gets a page saying what to do."""
    for path in ("/b/", "/board/abc", "/nope"):
        page = open_page(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text("No page here")
        expect(page.get_by_role("link", name="Go to Flowmap's home page")).to_have_attribute(
            "href", "/"
        )
        assert (
            page.evaluate("getComputedStyle(document.querySelector('main')).borderRadius") != "0px"
        )
    page.screenshot(path="e2e/artifacts/no-page-here.png")
    # A program asking the API keeps its JSON answer.
    api = httpx.get(f"{live_server.url}/api/nope", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    answer = httpx.get(f"{live_server.url}/nope")
    assert answer.status_code == 404 and answer.json() == {"detail": "Not Found"}


def test_the_links_dialog_shows_the_links_the_home_page_made(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    """A facilitator opens the board, then looks for the participant link to send. The Links
    dialog showed only their own, and its New link revokes the one perhaps sent already:
    the links this browser made are kept, and shown there."""
    page = open_page(f"{live_server.url}/", viewport={"width": 1280, "height": 720})
    page.get_by_label("Title").fill("Order to cash")
    page.get_by_role("button", name="Create board").click()
    expect(page.get_by_role("heading", name="Your board is ready")).to_be_visible()
    made = {role: page.get_by_label(f"{role.capitalize()} link", exact=True).input_value()
            for role in ("facilitator", "participant", "viewer")}  # fmt: skip
    page.get_by_role("link", name="Open as facilitator").click()
    wait_connected(page)
    page.get_by_role("button", name="Links").click()
    dialog = page.locator("dialog[open]")
    for role in ("facilitator", "participant", "viewer"):
        expect(dialog.get_by_label(f"{role} link")).to_have_value(made[role])
    page.screenshot(path="e2e/artifacts/links-kept.png")
    # A new link replaces the kept one, here and on the next visit.
    dialog.locator('[data-renew="viewer"]').click()
    expect(dialog.get_by_label("viewer link")).not_to_have_value(made["viewer"])
    renewed = dialog.get_by_label("viewer link").input_value()
    assert "token=" in renewed
    page.reload()
    wait_connected(page)
    page.get_by_role("button", name="Links").click()
    expect(page.locator("dialog[open]").get_by_label("viewer link")).to_have_value(renewed)
    expect(page.locator("dialog[open]").get_by_label("participant link")).to_have_value(
        made["participant"]
    )


def test_a_kept_link_someone_else_replaced_is_not_shown(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Two facilitators")
    page = open_page(board_url(board, "facilitator"))
    page.evaluate(
        "([id, links]) => localStorage.setItem('flowmap.links', JSON.stringify({[id]: links}))",
        [board["id"], board["links"]],
    )
    # The other facilitator makes a new participant link: the kept one is dead.
    answer = httpx.post(
        f"{live_server.url}/api/boards/{board['id']}/links/participant",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
    )
    assert answer.status_code == 200
    page.reload()
    wait_connected(page)
    page.get_by_role("button", name="Links").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_label("viewer link")).to_have_value(board["links"]["viewer"])
    expect(dialog.get_by_label("participant link")).to_have_value("")
    expect(dialog.get_by_label("participant link")).to_have_attribute(
        "placeholder", re.compile("Not kept")
    )


def test_escape_takes_back_what_was_typed_in_an_estimate_or_the_map_settings(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    """Escape in a step's figure put the figure back; in "Your estimate" and in Map settings
    it did nothing, and the next click elsewhere saved the words Escape was to take back."""
    board = live_server.create_board("Escape")
    live_server.post_ops(board, [{"op": "create", "element": {
        "id": "s-1", "kind": "step", "x": 0, "y": 0, "text": "Review", "wait_minutes": 480}}])  # fmt: skip
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1280, "height": 720})
    wait_connected(page)
    select_step(page, "Review")
    mine = page.locator('[data-estimate="wait_minutes"]')
    mine.fill("9d")
    mine.press("Escape")
    expect(mine).to_have_value("")
    expect(mine).not_to_be_focused()
    page.get_by_label("Wait before it").focus()  # moving on saves nothing
    expect(page.locator('[data-spread="wait_minutes"]')).to_have_text("No estimates yet")

    page.keyboard.press("Escape")
    page.get_by_role("button", name="Map settings").click()
    title = page.locator("#map-title")
    expect(title).to_have_value("Escape")
    title.fill("Something else")
    title.press("Escape")
    expect(title).to_have_value("Escape")
    expect(title).not_to_be_focused()
    page.locator("#map-scope").focus()
    expect(page.locator(".frame-title")).to_have_text("Escape")
    state = httpx.get(f"{live_server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
    assert state["board"]["title"] == "Escape"
    assert not [e for e in state["elements"] if e["kind"] == "estimate"]


def test_the_first_step_on_a_1024_screen_is_drawn_at_a_size_to_read(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    """The empty board is fitted to its lane, four steps wide: at 1024 x 768 about 60 %, and
    the first step stayed there, its 'process time?' 7 px high. A view nobody has moved is
    fitted again to the map once it has its first step."""
    board = live_server.create_board("Small screen")
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    page.keyboard.press("n")
    page.keyboard.type("Intake")
    page.keyboard.press("Enter")
    step = page.get_by_label("Step: Intake", exact=True)
    expect(step).to_be_visible()
    # The step is 168 canvas units wide: on screen, at the zoom the map is shown at (between
    # the Flow panel and the step's own panel: 87 %).
    page.wait_for_function(
        """() => {
            const box = document.querySelector('[aria-label="Step: Intake"] .body');
            return box && box.getBoundingClientRect().width >= 0.8 * 168;
        }"""
    )
    page.screenshot(path="e2e/artifacts/first-step-1024.png")


def test_a_view_someone_moved_stays_where_they_put_it_when_the_first_step_lands(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Moved")
    page = open_page(board_url(board, "facilitator"), viewport={"width": 1024, "height": 768})
    wait_connected(page)
    page.get_by_role("button", name="Zoom out").click()
    zoom = page.get_by_role("button", name=re.compile(r"^Zoom \d+%"))
    expect(zoom).not_to_have_text("61%")
    wait_view_settled(page)
    moved = zoom.inner_text()
    live_server.post_ops(board, [{"op": "create", "element": {
        "id": "s-1", "kind": "step", "x": 0, "y": 0, "text": "Intake"}}])  # fmt: skip
    expect(page.get_by_label("Step: Intake", exact=True)).to_be_visible()
    expect(zoom).to_have_text(moved)
