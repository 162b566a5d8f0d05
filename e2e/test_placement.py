"""New elements find room of their own: never on top of another, notes off the map, the next step beside."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from e2e.utils.seed import seed
from tests.support.live import Server

HOUR = 60


def three_steps(server: Server, board: dict[str, Any]) -> None:
    steps = [
        {"id": f"s{i}", "kind": "step", "x": 200 + 312 * i, "y": 300, "text": name,
         "wait_minutes": 8 * HOUR, "process_minutes": 2 * HOUR, "pca": 90}
        for i, name in enumerate(["Refine", "Build", "Release"])
    ]  # fmt: skip
    arrows = [
        {"id": "c01", "kind": "connector", "source": "s0", "target": "s1"},
        {"id": "c12", "kind": "connector", "source": "s1", "target": "s2"},
    ]
    seed(server, board, *steps, *arrows)


def screen_boxes(page: Page, ids: list[str]) -> dict[str, dict[str, float]]:
    """Each element as drawn on screen, with what hangs under it (a step's data box)."""
    boxes: dict[str, dict[str, float]] = page.evaluate(
        """(ids) => Object.fromEntries(ids.map((id) => {
             const r = document.querySelector(`[data-id="${id}"]`).getBoundingClientRect();
             return [id, {x: r.x, y: r.y, w: r.width, h: r.height}];
           }))""",
        ids,
    )
    return boxes


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def ids_of(page: Page, kind: str) -> list[str]:
    found: list[str] = page.evaluate(
        "(k) => window.flowmap.elements().filter((e) => e.kind === k).map((e) => e.id)", kind
    )
    return found


def test_three_notes_added_in_a_row_land_apart_and_off_the_map(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    three_steps(live_server, board)
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    expect(page.get_by_label("Step: Release")).to_be_visible()
    for n in range(3):
        page.get_by_role("button", name="Add note").click()
        editor = page.get_by_role("textbox", name="Note text")
        expect(editor).to_be_focused()
        editor.fill(f"Note {n}")
        editor.press("Enter")
        expect(page.get_by_label(f"Comment note: Note {n}")).to_be_visible()
    page.get_by_role("button", name="Add experiment").click()
    page.keyboard.press("Escape")
    wait_connected(page)
    notes = ids_of(page, "note") + ids_of(page, "experiment")
    assert len(notes) == 4
    boxes = screen_boxes(page, ["s0", "s1", "s2", *notes])
    page.screenshot(path="e2e/artifacts/placement.png")
    for i, a in enumerate(notes):
        for b in ["s0", "s1", "s2", *notes[i + 1 :]]:
            assert not overlap(boxes[a], boxes[b]), (a, b, boxes)


def test_add_next_step_by_key_and_by_button_joins_it_with_an_arrow(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    three_steps(live_server, board)
    page = open_page(board_url(board, "participant"), viewport={"width": 1600, "height": 900})
    wait_connected(page)
    page.screenshot(path="e2e/artifacts/next-step-before.png")
    page.locator('[data-id="s2"] .body').click()
    page.keyboard.press("Shift+N")
    editor = page.get_by_role("textbox", name="Step text")
    expect(editor).to_be_focused()
    editor.fill("Monitor")
    editor.press("Enter")
    monitor = page.get_by_label("Step: Monitor")
    expect(monitor).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Arrow: Release → Monitor")).to_have_count(1)
    # From the middle of the flow the next free spot is past the end: nothing moves, nothing overlaps.
    page.locator('[data-id="s1"] .body').click()
    page.get_by_role("button", name="Add next step").click()
    editor = page.get_by_role("textbox", name="Step text")
    expect(editor).to_be_focused()
    editor.fill("Hotfix")
    editor.press("Enter")
    expect(page.get_by_label("Arrow: Build → Hotfix")).to_have_count(1)
    wait_connected(page)
    page.screenshot(path="e2e/artifacts/next-step-after.png")
    steps = ids_of(page, "step")
    assert len(steps) == 5
    boxes = screen_boxes(page, steps)
    for i, a in enumerate(steps):
        for b in steps[i + 1 :]:
            assert not overlap(boxes[a], boxes[b]), (a, b, boxes)
    rows = page.evaluate(
        "() => window.flowmap.elements().filter((e) => e.kind === 'step').map((e) => e.y)"
    )
    assert set(rows) == {300}
    # The new step and its arrow were one action: two undos (its name, then it) take both away.
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    expect(page.get_by_label("Arrow: Build → Hotfix")).to_have_count(0)
    expect(page.locator('[data-kind="step"]')).to_have_count(4)
    expect(page.locator('[data-kind="connector"]')).to_have_count(3)
