"""What a participant is typing when the facilitator pauses editing is kept, and saved after.

The facilitator pauses editing to explain exactly when a dozen people are mid-sentence: a
step's name in place, a figure in the side panel, a comment. The page went read-only under
them and what they had typed was gone (the panel was rebuilt, the comment box removed, the
name's Enter refused without a word). Two real pages through the real server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480


def pause(fay: Page, ada: Page) -> None:
    fay.get_by_role("button", name="Pause editing for participants").click()
    expect(ada.locator("[data-session-item=locked]")).to_be_visible()


def resume(fay: Page, ada: Page) -> None:
    fay.get_by_role("button", name="Let participants edit again").click()
    expect(ada.locator("[data-session-item=locked]")).to_have_count(0)


def step_named(page: Page, name: str) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        "(t) => window.flowmap.elements().find((e) => e.text === t) ?? null", name
    )
    return found


def open_two(
    server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> tuple[Page, Page]:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "plan", "kind": "step", "x": 60, "y": 120, "text": "Plan"}},
        {"op": "create", "element": {"id": "ship", "kind": "step", "x": 400, "y": 120, "text": "Ship"}},
        {"op": "create", "element": {"id": "flow", "kind": "connector", "source": "plan", "target": "ship"}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport={"width": 683, "height": 768})
    ada = open_page(board_url(board, "participant"), name="Ada", viewport={"width": 1280, "height": 720})
    wait_connected(fay)
    wait_connected(ada)
    return fay, ada


def test_a_name_typed_in_place_when_editing_is_paused_stays_and_is_saved_once_it_resumes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada = open_two(live_server, board, open_page)
    ada.get_by_label("Step: Plan", exact=True).dblclick()
    field = ada.get_by_label("Step text", exact=True)
    field.fill("Plan the release")

    pause(fay, ada)
    field.press("Enter")  # refused while paused: the words stay where she typed them
    expect(field).to_have_value("Plan the release")
    expect(ada.locator("#toasts")).to_contain_text("paused")
    ada.screenshot(path=str(ARTIFACTS / "pause-keeps-typing-in-place.png"))

    resume(fay, ada)
    field.press("Enter")
    expect(fay.get_by_label("Step: Plan the release", exact=True)).to_be_visible()


def test_a_figure_typed_in_the_panel_when_editing_is_paused_stays_and_is_saved_once_it_resumes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada = open_two(live_server, board, open_page)
    select_step(ada, "Ship")
    wait = ada.get_by_label("Wait before it", exact=True)
    wait.fill("3d")  # typed, not yet entered

    pause(fay, ada)
    expect(wait).to_have_value("3d")
    expect(wait).to_be_focused()
    wait.press("Enter")  # while paused: kept, not sent
    expect(wait).to_have_value("3d")
    ada.screenshot(path=str(ARTIFACTS / "pause-keeps-typing-in-panel.png"))

    resume(fay, ada)
    expect(wait).to_have_value("3d")
    wait.press("Enter")
    fay.wait_for_function(
        "() => window.flowmap.elements().find((e) => e.id === 'ship')?.wait_minutes === 1440"
    )
    assert step_named(fay, "Ship")["wait_text"] == "3d"

    # Her own estimate of its process time, half typed, the same.
    estimate = ada.locator("#estimate-process_minutes")
    estimate.fill("5h")
    pause(fay, ada)
    expect(estimate).to_have_value("5h")
    resume(fay, ada)
    expect(estimate).to_have_value("5h")
    estimate.press("Enter")
    select_step(fay, "Ship")
    expect(fay.locator("[data-spread=process_minutes]")).to_have_text("1 estimate: 5h, median 5h")


def test_a_comment_half_typed_when_editing_is_paused_is_there_to_send_once_it_resumes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    fay, ada = open_two(live_server, board, open_page)
    select_step(ada, "Ship")
    ada.get_by_placeholder("Add a comment…").fill("Ship waits for the release train")

    pause(fay, ada)
    resume(fay, ada)
    box = ada.get_by_placeholder("Add a comment…")
    expect(box).to_have_value("Ship waits for the release train")
    ada.get_by_role("button", name="Comment", exact=True).click()
    select_step(fay, "Ship")
    expect(fay.locator("#inspector")).to_contain_text("Ship waits for the release train")


def test_someone_deleting_the_step_being_typed_in_says_so_with_the_words_that_were_not_saved(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The panel vanished under the person typing, with their figure, and not a word said.
    fay, ada = open_two(live_server, board, open_page)
    select_step(fay, "Ship")
    fay.get_by_label("Wait before it", exact=True).fill("3h")
    live_server.post_ops(board, [{"op": "delete", "id": "ship"}], role="participant")
    expect(fay.locator("#inspector")).to_be_hidden()
    expect(fay.locator("#toasts")).to_contain_text("Ship was deleted")
    expect(fay.locator("#toasts")).to_contain_text("3h")

    ada.get_by_label("Step: Plan", exact=True).dblclick()
    ada.get_by_label("Step text", exact=True).fill("Plan the release")
    live_server.post_ops(board, [{"op": "delete", "id": "plan"}], role="participant")
    expect(ada.get_by_label("Step text", exact=True)).to_have_count(0)
    expect(ada.locator("#toasts")).to_contain_text("Plan was deleted")
    expect(ada.locator("#toasts")).to_contain_text("Plan the release")
    ada.screenshot(path=str(ARTIFACTS / "deleted-while-typing.png"))
