"""Measured flow from an event log: the facilitator imports one through Map settings, and
everyone sees the measured figures beside the estimates, on the canvas and in the Flow panel."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

SAMPLE = Path(__file__).parent.parent / "docs" / "sample-event-log.csv"
DAY = 480
STEP_GAP = 260


def log_step_names(path: Path) -> list[str]:
    """The sample log's steps, in the order they first appear (its step column, any case)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    column = next(name for name in rows[0] if name.strip().lower() == "step")
    return list(dict.fromkeys(row[column] for row in rows))


def test_an_imported_event_log_shows_measured_figures_beside_the_estimates_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    names = log_step_names(SAMPLE)
    # The map names all but the last of the log's steps, the first in another case.
    mapped = names[:-1]
    ops: list[dict[str, Any]] = []
    for i, name in enumerate(mapped):
        text = name.upper() if i == 0 else name
        step = {"id": f"s{i}", "kind": "step", "x": 80 + i * STEP_GAP, "y": 200, "text": text}
        ops.append({"op": "create", "element": step | {"wait_minutes": DAY, "process_minutes": 60}})
        if i:
            arrow = {"id": f"a{i}", "kind": "connector", "source": f"s{i - 1}", "target": f"s{i}"}
            ops.append({"op": "create", "element": arrow})
    live_server.post_ops(board, ops)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(fay)
    wait_connected(bob)
    expect(bob.locator(".data-measured")).to_have_count(0)

    fay.get_by_role("button", name="Map settings").click()
    panel = fay.locator("#map-panel")
    expect(panel.get_by_role("radio", name="Measurements")).to_be_disabled()
    with fay.expect_file_chooser() as chooser:
        panel.get_by_role("button", name="Import event log…").click()
    chooser.value.set_files(str(SAMPLE))
    dialog = fay.get_by_role("dialog", name="Import an event log")
    expect(dialog.locator('[data-events="summary"]').first).to_contain_text("items")
    expect(dialog.get_by_label(names[0])).to_have_value("s0")
    expect(dialog.get_by_text("matched ignoring case")).to_be_visible()
    unmatched = "1 log step matches no step on the map: pick one or ignore it"
    expect(dialog.locator('[data-events="unmatched"]')).to_have_text(unmatched)
    dialog.screenshot(path="e2e/artifacts/event-log-dialog.png")
    dialog.get_by_role("button", name="Import").click()
    expect(dialog).to_be_hidden()

    # Bob sees each step's measurement beside its estimate, and where it came from.
    first = bob.locator('[data-id="s0"] [data-measured="wait_minutes"]')
    expect(first).to_contain_text("measured ")
    expect(first).to_contain_text(", n=")
    estimate = bob.locator('[data-id="s0"] [data-field="wait_minutes"] .data-value')
    expect(estimate).to_have_text("est. 1d")
    flow = bob.locator('[data-metric="measured"]')
    expect(flow).to_contain_text("from sample-event-log.csv")
    expect(bob.locator('[data-metric="unmatched"]')).to_contain_text(names[-1])
    bob.locator("#totals").screenshot(path="e2e/artifacts/event-log-flow-panel.png")

    # The facilitator switches the totals to the measurements; everyone's panel says so.
    measurements = panel.get_by_role("radio", name="Measurements")
    expect(measurements).to_be_enabled()
    measurements.check()
    expect(flow).to_contain_text("The totals use the measured figures")

    # Removed, the measurements go for everyone.
    panel.get_by_role("button", name="Remove measurements…").click()
    confirm = fay.get_by_role("dialog", name="Remove the measurements?")
    confirm.get_by_role("button", name="Remove").click()
    expect(bob.locator(".data-measured")).to_have_count(0)
    expect(flow).to_have_count(0)


def test_a_log_with_bad_rows_lists_them_in_the_dialog_and_changes_nothing(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], tmp_path: Path
) -> None:
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": "s0", "kind": "step", "x": 80, "y": 200, "text": "Build", "wait_minutes": DAY}},
    ])  # fmt: skip
    bad = tmp_path / "bad-log.csv"
    bad.write_text(
        "item,step,arrived,started,finished\n"
        "1,Build,2026-11-02T09:00,2026-11-02T10:00,2026-11-02T12:00\n"
        "2,Build,2026-11-04T09:00,2026-11-03T10:00,2026-11-04T12:00\n",
        encoding="utf-8",
    )
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    wait_connected(fay)
    fay.get_by_role("button", name="Map settings").click()
    with fay.expect_file_chooser() as chooser:
        fay.locator("#map-panel").get_by_role("button", name="Import event log…").click()
    chooser.value.set_files(str(bad))
    dialog = fay.get_by_role("dialog", name="Import an event log")
    errors = dialog.locator('[data-events="errors"]')
    expect(errors).to_contain_text("row 2")
    expect(dialog.get_by_role("button", name="Import")).to_have_count(0)
    fay.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(fay.locator(".data-measured")).to_have_count(0)
    expect(fay.locator("#map-panel [data-measured-source]")).to_contain_text("No measurements yet")
