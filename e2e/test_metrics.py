"""The map computes itself, live for everyone: two Chromium pages on one board."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, click_arrow, select_step, wait_connected
from e2e.utils.seed import seed as seed_elements
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480  # minutes in the default 8-hour working day


def seed(server: Server, board: dict[str, Any], steps: list[dict[str, Any]]) -> None:
    """Put steps (and flow arrows between them, in order) on the board through the HTTP API."""
    ops: list[dict[str, Any]] = []
    for i, s in enumerate(steps):
        ops.append({"op": "create", "element": {"kind": "step", "x": 60 + 320 * i, "y": 120, **s}})
    for a, b in zip(steps, steps[1:], strict=False):
        element = {"kind": "connector", "id": f"{a['id']}-{b['id']}", "source": a["id"], "target": b["id"]}
        ops.append({"op": "create", "element": element})
    server.post_ops(board, ops)


def constraint_on(page: Page) -> Any:
    return page.locator("[data-constraint]")


def test_a_changed_wait_moves_the_constraint_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [
        {"id": "intake", "text": "Intake", "wait_minutes": 1 * DAY, "process_minutes": 60, "pca": 90},
        {"id": "build", "text": "Build", "wait_minutes": 3 * DAY, "process_minutes": 2 * DAY},
        {"id": "test", "text": "Test", "wait_minutes": 2 * DAY, "process_minutes": 240, "pca": 80},
    ])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)
    expect(constraint_on(bob)).to_have_attribute("data-constraint", "build")
    expect(bob.locator("[data-metric=lead_time]")).to_have_text("8.6d")
    # Missing data reads as a gentle question, not an error.
    expect(bob.get_by_label("Step: Build").locator(".data-missing")).to_have_text("%C/A?")

    # Ada double-clicks Test's wait under the box and types a longer one, as people say it.
    ada.get_by_label("Step: Test").locator('[data-field="wait_minutes"]').dblclick()
    field = ada.get_by_label("Wait before it")
    expect(field).to_be_focused()
    field.fill("5 dayz")
    field.press("Enter")
    expect(ada.get_by_role("alert").filter(has_text="dayz")).to_be_visible()
    field.fill("1w")
    field.press("Enter")

    expect(constraint_on(bob)).to_have_attribute("data-constraint", "test", timeout=5000)
    expect(bob.locator("[data-metric=constraint]")).to_contain_text(
        re.compile(r"Test: work waits 1w for 4h of work — \d+% of lead time")
    )
    expect(bob.locator("[data-metric=lead_time]")).to_have_text("11.6d")
    expect(bob.get_by_label("Step: Test").locator('[data-field="wait_minutes"] .data-value')).to_have_text("1w")
    ada.screenshot(path=str(ARTIFACTS / "metrics-ada.png"))
    bob.screenshot(path=str(ARTIFACTS / "metrics-bob.png"))

    # What the pages show is what the server computed.
    metrics = httpx.get(
        f"{live_server.url}/api/boards/{board['id']}/metrics",
        params={"token": board["tokens"]["viewer"]},
    ).json()
    assert metrics["constraint"]["id"] == "test"
    assert metrics["lead_time_minutes"] == (1 + 3 + 5) * DAY + 60 + 2 * DAY + 240


def test_waste_rework_inventory_and_the_example_walk_reach_the_other_page(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [
        {"id": "code", "text": "Code", "wait_minutes": DAY, "process_minutes": DAY},
        {"id": "review", "text": "Review", "wait_minutes": 2 * DAY, "process_minutes": 60},
    ])  # fmt: skip
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    # A waste tag, from the side panel.
    select_step(ada, "Review")
    ada.get_by_role("button", name="Waiting", exact=True).click()
    expect(bob.get_by_label("Step: Review").locator('[data-waste="waiting"]')).to_be_visible()

    # The example item: Review started Tuesday 9:00 and finished 11:00, after Code finished Monday 17:00.
    select_step(ada, "Code")
    ada.get_by_text("Example walk").click()
    ada.get_by_label("Work started").fill("2026-11-23T09:00")
    ada.get_by_label("Finished").fill("2026-11-23T17:00")
    ada.get_by_label("Finished").press("Enter")
    select_step(ada, "Review")
    ada.get_by_text("Example walk").click()
    ada.get_by_label("Work started").fill("2026-11-24T09:00")
    ada.get_by_label("Finished").fill("2026-11-24T11:00")
    ada.get_by_label("Finished").press("Enter")
    expect(bob.locator("[data-metric=example]")).to_contain_text("1.3d lead time, 1.3d process time")
    expect(bob.locator(".ladder-actual").first).to_be_visible()

    # A rework arrow with its rate: Review sends 25% back to Code.
    ada.get_by_label("Step: Review").click()
    ada.keyboard.press("c")
    ada.get_by_label("Step: Code").click()
    click_arrow(ada, "Arrow: Review → Code")
    ada.get_by_role("button", name="Arrow kind: Rework").click()
    rate = ada.get_by_label("Rework rate")
    rate.fill("25%")
    rate.press("Enter")
    expect(ada.locator("[data-rework-warning]")).to_be_hidden()  # it loops back: all is well
    expect(bob.locator("[data-metric=expected_lead_time]")).to_be_visible()
    # A quarter go round again: 540 of 1,980 minutes, plus a third of each, is 27.3 %.
    expect(bob.locator("[data-metric=expected_activity_ratio]")).to_have_text("27.3%")
    # The loop gives the forecast a spread; it comes after the metrics (off the edit path)
    # and redraws the panel: the picture waits for it.
    expect(bob.locator("[data-metric=forecast_p85]")).to_be_visible()
    bob.locator(".totals-figures").screenshot(path=str(ARTIFACTS / "metrics-rework-totals.png"))
    expect(bob.locator(".connector-rework .connector-label")).to_have_text("25%")

    # Inventory from the tool bar, with its count.
    ada.get_by_role("button", name="Add inventory").click()
    # Until its count is written the queue is unknown, and the Flow panel says what is missing.
    expect(bob.locator(".totals-missing summary")).to_have_text("2 steps and 1 queue need data")
    expect(bob.locator(".totals-missing")).to_contain_text("Inventory · an item count")
    count = ada.get_by_label("Items waiting")
    expect(count).to_be_focused()
    count.fill("7")
    count.press("Enter")
    expect(bob.get_by_label("Inventory: 7 items")).to_be_visible()
    expect(bob.locator(".totals-missing summary")).to_have_text("2 steps need data")


def test_the_facilitator_sets_the_working_day_and_everyone_reads_times_by_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [{"id": "a", "text": "Approve", "wait_minutes": DAY, "process_minutes": 30}])
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(fay)
    wait_connected(bob)
    wait = bob.get_by_label("Step: Approve").locator('[data-field="wait_minutes"] .data-value')
    expect(wait).to_have_text("1d")

    fay.get_by_role("button", name="Map settings").click()
    hours = fay.get_by_label("Hours in a working day")
    hours.fill("25")
    hours.press("Enter")
    expect(fay.get_by_role("alert").filter(has_text="from 1 to 24")).to_be_visible()
    hours.fill("10")
    hours.press("Enter")
    expect(wait).to_have_text("8h")  # the same 480 minutes, read with 10-hour days

    # A participant sees the settings but cannot change them.
    bob.get_by_role("button", name="Map settings").click()
    expect(bob.get_by_label("Hours in a working day")).to_have_value("10")
    expect(bob.get_by_label("Hours in a working day")).to_have_attribute("readonly", "")


def test_the_constraint_ring_marches_a_while_and_then_rests(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # A ring marching forever repaints the whole map every frame: on a big map that is
    # every participant's page busy all the time (issue 20). It draws the eye, then stops.
    seed(live_server, board, [
        {"id": "intake", "text": "Intake", "wait_minutes": 1 * DAY, "process_minutes": 60},
        {"id": "build", "text": "Build", "wait_minutes": 3 * DAY, "process_minutes": 2 * DAY},
    ])  # fmt: skip
    page = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(page)
    expect(constraint_on(page)).to_have_attribute("data-constraint", "build")
    timing = page.evaluate(
        "() => document.querySelector('.ring-step').getAnimations()"
        ".map((a) => a.effect.getComputedTiming())"
        ".map((t) => ({iterations: t.iterations, duration: t.duration}))"
    )
    assert len(timing) == 1
    assert timing[0]["iterations"] is not None and timing[0]["iterations"] <= 5
    assert timing[0]["iterations"] * timing[0]["duration"] <= 10_000


def test_a_flow_arrow_switched_to_rework_forward_is_called_out(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Switched to Rework, a forward arrow quietly cut the flow: lead time halved and
    # "6 steps need data", with nothing to say why.
    steps = [{"id": i, "kind": "step", "x": x, "y": 100, "text": i.title(), "wait_minutes": 60,
              "process_minutes": 30} for i, x in (("plan", 0), ("build", 320), ("ship", 640))]  # fmt: skip
    arrows = [{"id": c, "kind": "connector", "source": a, "target": b}
              for c, a, b in (("f1", "plan", "build"), ("f2", "build", "ship"))]  # fmt: skip
    seed_elements(live_server, board, *steps, *arrows)
    page = open_page(board_url(board, "facilitator"))
    wait_connected(page)
    click_arrow(page, "Arrow: Plan → Build")
    page.get_by_role("button", name="Arrow kind: Rework").click()
    warning = page.locator("[data-rework-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("points forward")
    page.get_by_role("button", name="Arrow kind: Flow").click()
    expect(warning).to_have_count(0)
