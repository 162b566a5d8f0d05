"""What if on the constraint: try a change in the side panel, then make it an experiment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

DAY = 480


def test_cutting_the_constraints_wait_names_the_next_one_and_becomes_an_experiment(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "r", "kind": "step", "x": 80, "y": 200, "text": "Code review", "wait_minutes": 3 * DAY, "process_minutes": DAY}},
        {"op": "create", "element": {"id": "s", "kind": "step", "x": 380, "y": 200, "text": "Staging test", "wait_minutes": 4 * DAY, "process_minutes": DAY}},
        {"op": "create", "element": {"id": "rs", "kind": "connector", "source": "r", "target": "s"}},
    ])  # fmt: skip
    page = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(page)
    page.locator('[data-id="s"]').click()
    panel = page.locator("#inspector")
    panel.get_by_role("button", name="Cut this wait by 50 %").click()
    answer = panel.locator(".whatif-answer")
    expect(answer.locator('[data-figure="lead_time"]')).to_have_text("Lead time 9d → 7d (−2d)")
    expect(answer.locator("[data-next-constraint]")).to_have_text(
        "then Code review becomes the constraint"
    )
    panel.locator(".inspector-whatif").screenshot(path="e2e/artifacts/what-if-panel.png")
    # The map itself is not edited: Staging test still waits 4d.
    wait = page.evaluate("() => window.flowmap.elements().find(e => e.id === 's').wait_minutes")
    assert wait == 4 * DAY

    answer.get_by_role("button", name="Make it an experiment").click()
    card = page.get_by_label("Experiment: cutting the wait before Staging test by 50 %")
    expect(card).to_contain_text(
        "We believe that by cutting the wait before Staging test by 50 % we will reduce lead time"
        " from 9d to 7d."
    )
    # The new card's panel opens from its top, not scrolled to where the step's what-if was.
    expect(panel.get_by_label("The change we try")).to_be_in_viewport()
    page.screenshot(path="e2e/artifacts/what-if-experiment.png")


def test_an_answer_goes_once_the_map_changes_under_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s", "kind": "step", "x": 380, "y": 200, "text": "Build", "wait_minutes": 4 * DAY, "process_minutes": DAY, "people": 2}},
    ])  # fmt: skip
    page = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(page)
    page.locator('[data-id="s"]').click()
    panel = page.locator("#inspector")
    panel.get_by_role("button", name="Add a person").click()
    lead = panel.locator('.whatif-answer [data-figure="lead_time"]')
    expect(lead).to_have_text("Lead time 5d → 4.7d (−2.7h)")
    # Someone retypes the wait: the answer was about the old map, so it goes.
    live_server.post_ops(board, [{"op": "update", "id": "s", "set": {"wait_minutes": DAY}}])
    expect(lead).to_have_count(0)
    panel.get_by_role("button", name="Add a person").click()
    expect(lead).to_have_text("Lead time 2d → 1.7d (−2.7h)")
