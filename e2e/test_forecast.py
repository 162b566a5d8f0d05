"""The lead-time forecast: a range typed on one page spreads the forecast on every page alike;
a what-if says what a change does to it and can start a future-state map with the change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected
from tests.support.live import Server

DAY = 480
PERCENTILES = ("forecast_p50", "forecast_p85", "forecast_p95")


def figures(page: Page) -> list[str]:
    return [page.locator(f'[data-metric="{key}"]').inner_text() for key in PERCENTILES]


def test_a_typed_range_gives_everyone_the_same_forecast_and_a_what_if_moves_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 80, "y": 200, "text": "Build", "wait_minutes": DAY, "process_minutes": DAY}},
        {"op": "create", "element": {"id": "r", "kind": "step", "x": 380, "y": 200, "text": "Code review", "wait_minutes": 2 * DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "d", "kind": "step", "x": 680, "y": 200, "text": "Deploy", "wait_minutes": DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "br", "kind": "connector", "source": "b", "target": "r"}},
        {"op": "create", "element": {"id": "rd", "kind": "connector", "source": "r", "target": "d"}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport={"width": 1280, "height": 800})
    bob = open_page(board_url(board, "participant"), name="Bob", viewport={"width": 1024, "height": 768})
    wait_connected(fay)
    wait_connected(bob)
    # Fixed figures: no spread yet, and the panel says how to get one.
    expect(bob.locator('[data-forecast="flat"]')).to_contain_text("No spread yet")

    bob.get_by_label("Step: Code review").locator('[data-field="wait_minutes"]').dblclick()
    wait = bob.get_by_label("Wait before it")
    wait.fill("1d - 8d")
    wait.press("Enter")
    # The range shows as typed (tidied) on the canvas, for Fay too.
    expect(fay.locator('[data-id="r"] [data-field="wait_minutes"]')).to_contain_text("1d-8d")

    for page in (fay, bob):
        expect(page.locator('[data-metric="forecast_p85"]')).to_be_visible()
        expect(page.locator('[data-metric="measure_next"]')).to_contain_text("Code review")
    assert figures(fay) == figures(bob)  # seeded by the map: the same on every screen
    p50, p85, p95 = (float(f.removesuffix("d")) for f in figures(fay))
    # Wait 1d..8d (likely 4.5d) + 4.3d fixed: the spread lies between the ends.
    assert 5.3 < p50 < p85 < p95 < 12.3, (p50, p85, p95)
    panel = fay.locator('[data-metric="forecast"]')
    expect(panel.locator(".forecast-bar").first).to_be_visible()
    fay.locator("#totals").screenshot(path="e2e/artifacts/forecast-flow-panel.png")

    # The API and the screens agree: GET .../metrics carries the same forecast.
    token = board["tokens"]["viewer"]
    url = f"{live_server.url}/api/boards/{board['id']}/metrics"
    metrics = httpx.get(url, params={"token": token}).json()
    assert metrics["forecast"]["display"]["p85"] == figures(fay)[1]

    select_step(fay, "Code review")
    inspector = fay.locator("#inspector")
    inspector.get_by_role("button", name="Cut this wait by 50 %").click()
    line = inspector.locator('.whatif-answer [data-figure="forecast"]')
    expect(line).to_contain_text(f"Forecast, 85 % done within {figures(fay)[1]} →")
    fay.locator(".inspector-whatif").screenshot(path="e2e/artifacts/what-if-forecast.png")
    with fay.context.expect_page() as opened:
        inspector.get_by_role("button", name="Start a future-state map with this").click()
    future = opened.value
    wait_connected(future)
    expect(future.locator("#board-title")).to_contain_text("(future state)")
    # The future state starts with the change made: Code review waits half as long,
    # still as a range, so its forecast keeps the spread.
    expect(future.locator('[data-id="r"] [data-field="wait_minutes"]')).to_contain_text("4h-4d")
    expect(future.locator('[data-metric="forecast_p85"]')).to_be_visible()
