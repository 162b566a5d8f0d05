"""Future state: the facilitator starts one, redesigns a step, and sees the deltas live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, start_future_state, wait_connected, wait_view_settled
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
DAY = 480


def test_a_future_state_map_shows_its_totals_beside_the_current_ones(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "a", "kind": "step", "text": "Build", "wait_minutes": DAY, "process_minutes": DAY}},
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 320, "text": "Test", "wait_minutes": 8 * DAY, "process_minutes": DAY}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    future = start_future_state(fay)
    expect(future.locator("#board-title")).to_contain_text("(future state)")
    future.get_by_label("Step: Test").locator('[data-field="wait_minutes"]').dblclick()
    wait = future.get_by_label("Wait before it")
    wait.fill("2d")
    wait.press("Enter")
    expect(future.locator('[data-was="lead_time"]')).to_contain_text("11d")
    expect(future.locator('[data-metric="lead_time"]')).to_contain_text("5d")  # computed: days, never weeks
    expect(future.locator('[data-delta="lead_time"]')).to_have_text(" −6d")
    expect(future.locator('[data-delta="lead_time"]')).to_have_class("delta is-better")
    future.screenshot(path=str(ARTIFACTS / "future-state.png"))


def test_a_future_state_is_its_own_map(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Its own title, none of today's example walk, rework compared, the map clear of the panel."""
    live_server.post_ops(board, [
        {"op": "board", "set": {"title": "Feature delivery, current state", "scope": "From request to release"}},
        {"op": "create", "element": {"id": "a", "kind": "step", "text": "Build", "wait_minutes": DAY,
                                     "process_minutes": DAY, "walk_start": "2026-12-01T09:00",
                                     "walk_end": "2026-12-01T17:00"}},
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 320, "text": "Test", "wait_minutes": 8 * DAY,
                                     "process_minutes": DAY}},
        {"op": "create", "element": {"id": "ab", "kind": "connector", "source": "a", "target": "b"}},
        {"op": "create", "element": {"id": "ba", "kind": "connector", "source": "b", "target": "a",
                                     "connector": "rework", "rework_rate": 0.5}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport={"width": 1280, "height": 720})
    wait_connected(fay)
    future = start_future_state(fay)
    expect(future.locator("#board-title")).to_have_text("Feature delivery, future state")
    walked = future.evaluate("() => window.flowmap.elements().find((e) => e.id === 'a')")
    assert not any(walked.get(f) for f in ("walk_ready", "walk_start", "walk_end")), walked
    # The redesign takes the rework loop out: the with-rework lead time is compared too.
    expect(future.locator('[data-was="expected_lead_time"]')).to_be_visible()
    future_board = {"id": future.evaluate("() => document.body.dataset.boardId"),
                    "tokens": {"facilitator": future.url.split("token=")[1]}}  # fmt: skip
    live_server.post_ops(future_board, [{"op": "delete", "id": "ba"}])
    expect(future.locator('[data-delta="expected_lead_time"]')).to_have_class("delta is-better")
    # The widened comparison panel leaves the map's title in view.
    wait_view_settled(future)
    panel = future.locator("#totals").bounding_box()
    title = future.locator(".frame-header-box").bounding_box()
    assert panel and title and panel["x"] + panel["width"] <= title["x"], (panel, title)
    future.screenshot(path=str(ARTIFACTS / "future-state-own-map.png"))
