"""Customer demand: the facilitator sets it in Map settings; everyone reads the takt time
and the steps whose wait disagrees with their queue in the Flow panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

DAY = 480


def test_a_demand_set_in_map_settings_shows_takt_time_and_flags_a_step_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "b", "kind": "step", "x": 80, "y": 200, "text": "Build", "wait_minutes": 0, "process_minutes": 60}},
        {"op": "create", "element": {"id": "q", "kind": "inventory", "x": 290, "y": 220, "count": 12}},
        {"op": "create", "element": {"id": "p", "kind": "step", "x": 400, "y": 200, "text": "Pack", "wait_minutes": DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "bq", "kind": "connector", "source": "b", "target": "q"}},
        {"op": "create", "element": {"id": "qp", "kind": "connector", "source": "q", "target": "p"}},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(fay)
    wait_connected(bob)
    expect(bob.locator('[data-metric="lead_time"]')).to_have_text("1.3d")
    expect(bob.locator('[data-metric="takt_time"]')).to_have_count(0)

    fay.get_by_role("button", name="Map settings").click()
    demand = fay.get_by_label("Customer demand (items per working day)")
    demand.fill("0")
    demand.press("Enter")
    expect(fay.get_by_role("alert").filter(has_text="from 0.01")).to_be_visible()
    demand.fill("4")
    demand.press("Enter")
    fay.locator("#map-panel").screenshot(path="e2e/artifacts/demand-map-settings.png")

    expect(bob.locator('[data-metric="takt_time"]')).to_have_text("2h")
    flag = bob.get_by_role("button", name="Pack: waits 1d, its queue of 12 implies 3d at 4 a day")
    expect(flag).to_be_visible()
    bob.locator("#totals").screenshot(path="e2e/artifacts/demand-flow-panel.png")
    flag.click()
    bob.wait_for_function("() => window.flowmap.selection().join() === 'p'")

    # Cleared, the map has no demand again: no takt time, no flags.
    demand.fill("")
    demand.press("Enter")
    expect(bob.locator('[data-metric="takt_time"]')).to_have_count(0)
    expect(flag).to_have_count(0)
