"""Tidying the map after the workshop: a preview, then one change everyone sees and one undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_tidy_previews_applies_for_everyone_and_undoes_in_one_step(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    scattered = [
        {"id": "a", "kind": "step", "x": 40, "y": 60, "text": "Request", "wait_minutes": 480},
        {"id": "b", "kind": "step", "x": 520, "y": 330, "text": "Build", "wait_minutes": 960},
        {"id": "c", "kind": "step", "x": 260, "y": -140, "text": "Release", "wait_minutes": 120},
        {"id": "q", "kind": "inventory", "x": 900, "y": 500, "count": 7},
        {"id": "blank", "kind": "note", "x": 700, "y": -200, "text": ""},
        {"id": "h", "kind": "note", "x": -300, "y": 400, "text": "Too many handoffs", "variant": "hypothesis"},
    ]
    arrows = [("a", "b"), ("b", "q"), ("q", "c")]
    ops = [{"op": "create", "element": e} for e in scattered] + [
        {"op": "create", "element": {"kind": "connector", "id": f"{s}-{t}", "source": s, "target": t}}
        for s, t in arrows
    ]
    live_server.post_ops(board, ops)
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    before = {
        e["id"]: (e["x"], e["y"]) for e in ada.evaluate("window.flowmap.elements()") if "x" in e
    }

    fay.get_by_role("button", name="Tidy up the map").click()
    bar = fay.get_by_role("region", name="Tidy up preview")
    expect(bar).to_contain_text("removes 1 empty note")
    expect(fay.locator(".tidy-ghost").first).to_be_visible()
    fay.screenshot(path=str(ARTIFACTS / "tidy-preview.png"))
    # Nothing has moved yet: it is a preview.
    assert ada.evaluate("window.flowmap.elements().length") == len(scattered) + len(arrows)
    bar.get_by_role("button", name="Apply").click()

    ada.wait_for_function(
        "() => { const s = window.flowmap.elements().filter(e => e.kind === 'step'); "
        "return new Set(s.map(e => e.y)).size === 1 && !window.flowmap.elements().some(e => e.id === 'blank'); }"
    )
    steps = {e["id"]: e for e in ada.evaluate("window.flowmap.elements()") if e["kind"] == "step"}
    assert steps["a"]["x"] < steps["b"]["x"] < steps["c"]["x"]  # flow order, left to right
    fay.screenshot(path=str(ARTIFACTS / "tidy-applied.png"))

    fay.keyboard.press("Control+z")  # one undo takes the whole tidy back
    ada.wait_for_function(
        "([b]) => window.flowmap.elements().every(e => !(e.id in b) || (e.x === b[e.id][0] && e.y === b[e.id][1]))"
        " && window.flowmap.elements().some(e => e.id === 'blank')",
        arg=[before],
    )
