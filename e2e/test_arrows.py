"""Arrows that can be told apart: rework loops under the data boxes, back arrows beside forward ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

HOUR = 60


def steps(server: Server, board: dict[str, Any], *arrows: dict[str, Any]) -> None:
    seed(
        server, board,
        *[
            {"id": f"s{i}", "kind": "step", "x": 200 + 312 * i, "y": 300, "text": name,
             "wait_minutes": 8 * HOUR, "process_minutes": 2 * HOUR, "pca": 90, "people": 2,
             "waste": ["defects", "waiting"] if i == 1 else []}
            for i, name in enumerate(["Refine", "Build", "Test"])
        ],
        *arrows,
    )  # fmt: skip


def flow_with_rework(server: Server, board: dict[str, Any], rate: float | None = None) -> None:
    """Refine -> Build -> Test, and a rework arrow from Test back to Refine."""
    steps(
        server, board,
        {"id": "f01", "kind": "connector", "source": "s0", "target": "s1"},
        {"id": "f12", "kind": "connector", "source": "s1", "target": "s2"},
        {"id": "r20", "kind": "connector", "source": "s2", "target": "s0", "connector": "rework",
         "rework_rate": rate},
    )  # fmt: skip


def two_participants(board: dict[str, Any], open_page: Callable[..., Page]) -> tuple[Page, Page]:
    """Ada's and Bob's pages on the board, both connected."""
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    for page in (ada, bob):
        wait_connected(page)
    return ada, bob


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_a_rework_loop_shows_its_rate_and_arrowhead_below_the_data_boxes(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    flow_with_rework(live_server, board, 0.2)
    page = open_page(board_url(board, "participant"), viewport={"width": 1600, "height": 900})
    wait_connected(page)
    label = page.locator('[data-id="r20"] .connector-label')
    expect(label).to_have_text("20%")
    page.screenshot(path="e2e/artifacts/rework.png")
    label_box = label.bounding_box()
    assert label_box is not None
    figures = page.locator(".data-slot").all()
    assert len(figures) == 3
    for slot in figures:
        box = slot.bounding_box()
        assert box is not None
        assert not overlap(label_box, box), (label_box, box)
    # Nothing drawn over the label or the arrow's tip: what is at each point is the arrow itself.
    seen = page.evaluate(
        """() => {
          const g = document.querySelector('[data-id="r20"]');
          const line = g.querySelector('.line');
          const at = (p) => {
            const m = line.getScreenCTM();
            const s = new DOMPoint(p.x, p.y).matrixTransform(m);
            return document.elementFromPoint(s.x, s.y)?.closest('[data-id]')?.getAttribute('data-id') ?? null;
          };
          const length = line.getTotalLength();
          const label = g.querySelector('.connector-label').getBoundingClientRect();
          const onLabel = document.elementFromPoint(label.x + label.width / 2, label.y + label.height / 2);
          return {
            tip: at(line.getPointAtLength(length - 4)),
            middle: at(line.getPointAtLength(length / 2)),
            label: onLabel?.closest('[data-id]')?.getAttribute('data-id') ?? null,
          };
        }"""
    )
    assert seen["tip"] == "r20" and seen["middle"] == "r20", seen
    assert seen["label"] in (None, "r20"), seen  # the label takes no clicks: the canvas is under it
    # The ladder starts under the loop and its label.
    rung = page.locator("g.ladder").bounding_box()
    assert rung is not None and rung["y"] >= label_box["y"] + label_box["height"], (rung, label_box)


def test_a_back_arrow_lies_beside_the_forward_one_and_each_can_be_clicked(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    steps(
        live_server, board,
        {"id": "fwd", "kind": "connector", "source": "s0", "target": "s1"},
        {"id": "back", "kind": "connector", "source": "s1", "target": "s0"},
    )  # fmt: skip
    page = open_page(board_url(board, "participant"), viewport={"width": 1600, "height": 900})
    wait_connected(page)
    middles = page.evaluate(
        """() => Object.fromEntries(['fwd', 'back'].map((id) => {
          const line = document.querySelector(`[data-id="${id}"] .line`);
          const p = line.getPointAtLength(line.getTotalLength() / 2);
          const s = new DOMPoint(p.x, p.y).matrixTransform(line.getScreenCTM());
          return [id, {x: s.x, y: s.y}];
        }))"""
    )
    page.screenshot(path="e2e/artifacts/back-arrow.png")
    assert abs(middles["fwd"]["y"] - middles["back"]["y"]) >= 14, middles
    for arrow in ("fwd", "back"):
        page.mouse.click(middles[arrow]["x"], middles[arrow]["y"])
        expect(page.locator(f'[data-id="{arrow}"]')).to_have_attribute("aria-pressed", "true")


def test_the_keyboard_reaches_a_steps_arrows_and_deletes_one_for_everyone(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Tab visits boxes only; from a step, A walks its arrows (out first, then in).
    flow_with_rework(live_server, board)
    ada, bob = two_participants(board, open_page)
    focused = "document.activeElement.getAttribute('aria-label')"
    for _ in range(20):
        ada.keyboard.press("Tab")
        if ada.evaluate(focused) == "Step: Build":
            break
    assert ada.evaluate(focused) == "Step: Build"
    walked = []
    for _ in range(3):
        before = ada.evaluate("document.activeElement.getAttribute('data-id')")
        ada.keyboard.press("a")
        # Focus follows the selection once the arrow is drawn selected (the next frame).
        ada.wait_for_function(
            "(before) => { const id = document.activeElement?.getAttribute('data-id');"
            " return id !== before && document.activeElement.classList.contains('el-connector')"
            " && window.flowmap.selection().join() === id; }",
            arg=before,
        )
        walked.append(ada.evaluate(focused))
    assert walked == ["Arrow: Build → Test", "Arrow: Refine → Build", "Arrow: Build → Test"]
    ada.keyboard.press("Shift+A")
    expect(ada.locator(":focus")).to_have_attribute("aria-label", "Step: Build")
    # From an arrow, Tab goes on from the step the walk started at (it went back to the
    # map's first box: the arrows come first in the page).
    ada.keyboard.press("a")
    expect(ada.locator(":focus")).to_have_attribute("data-id", "f12")
    ada.keyboard.press("Tab")
    expect(ada.locator(":focus")).to_have_attribute("aria-label", "Step: Test")
    ada.keyboard.press("Shift+Tab")
    expect(ada.locator(":focus")).to_have_attribute("aria-label", "Step: Build")
    # From the step again, A starts at its first arrow; Del deletes it for everyone.
    ada.keyboard.press("a")
    expect(ada.locator(":focus")).to_have_attribute("data-id", "f12")
    ada.keyboard.press("Delete")
    expect(bob.locator('[data-id="f12"]')).to_have_count(0)
    expect(bob.locator('[data-id="f01"]')).to_have_count(1)


def test_deleting_a_step_in_the_flow_keeps_the_flow_joined_for_everyone_and_undo_restores_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Deleting Build took its arrows with it: Refine dropped off the path, and on a
    # future-state map the lead time read as cut by a third.
    flow_with_rework(live_server, board)
    ada, bob = two_participants(board, open_page)
    flows = (
        "() => window.flowmap.elements().filter((e) => e.kind === 'connector'"
        " && (e.connector ?? 'flow') === 'flow').map((e) => `${e.source}>${e.target}`).sort()"
    )
    ada.locator('[data-id="s1"] .body').click()
    expect(ada.locator('[data-id="s1"]')).to_have_attribute("aria-pressed", "true")
    ada.keyboard.press("Delete")
    for page in (ada, bob):
        expect(page.locator('[data-id="s1"]')).to_have_count(0)
        page.wait_for_function(f"() => ({flows})().join() === 's0>s2'")
    expect(bob.locator("[data-metric=lead_time]")).to_have_text("2.5d")  # Refine and Test: 10h each
    ada.keyboard.press("Control+z")
    for page in (ada, bob):
        expect(page.locator('[data-id="s1"]')).to_have_count(1)
        page.wait_for_function(f"() => ({flows})().join() === 's0>s1,s1>s2'")


def test_a_refused_delete_leaves_no_bridging_arrow_beside_the_step(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # While a vote is open a participant may not delete a step (a click places a dot; the
    # keyboard still reaches it): the arrow sent to bridge it must not stay beside it.
    flow_with_rework(live_server, board)
    seed(live_server, board, {"id": "v1", "kind": "vote", "text": "Which first?", "dots": 3})
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    ada.locator("svg.canvas").focus()
    for _ in range(8):
        ada.keyboard.press("Tab")
        if ada.evaluate("document.activeElement.getAttribute('aria-label')") == "Step: Build":
            break
    ada.keyboard.press("Delete")
    expect(ada.get_by_text("a dot vote is open")).to_be_visible()
    expect(ada.locator('[data-id="s1"]')).to_have_count(1)
    ada.wait_for_function(
        "() => window.flowmap.pendingCount === 0 && window.flowmap.elements().filter((e) =>"
        " e.kind === 'connector' && (e.connector ?? 'flow') === 'flow').length === 2"
    )


def test_a_step_can_send_part_of_its_own_work_back_to_itself(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    steps(
        live_server, board,
        {"id": "f01", "kind": "connector", "source": "s0", "target": "s1"},
        {"id": "f12", "kind": "connector", "source": "s1", "target": "s2"},
    )  # fmt: skip
    page = open_page(board_url(board, "participant"), viewport={"width": 1600, "height": 900})
    wait_connected(page)
    wait_view_settled(page)
    select_step(page, "Test")
    page.locator("#inspector").screenshot(path="e2e/artifacts/rework-itself-panel.png")
    page.get_by_role("button", name="Rework within this step").click()
    # The new loop is selected, its rate asked for; half of Test's work is done twice.
    rate = page.get_by_label("Rework rate")
    rate.fill("50%")
    rate.press("Enter")
    wait_connected(page)
    loops = page.evaluate(
        "() => window.flowmap.elements().filter((e) => e.kind === 'connector'"
        " && e.connector === 'rework')"
    )
    assert [(e["source"], e["target"], e["rework_rate"]) for e in loops] == [("s2", "s2", 0.5)]
    # Test's lead time (8h + 2h) once more, on average: the expected lead time shows it.
    metrics = httpx.get(
        f"{live_server.url}/api/boards/{board['id']}/metrics",
        headers={"Authorization": f"Bearer {board['tokens']['viewer']}"},
        timeout=10,
    ).json()
    assert metrics["expected_lead_time_minutes"] == metrics["lead_time_minutes"] + 10 * HOUR
    # Drawn as a loop under Test that can be seen and clicked, its rate beside it.
    loop_id = loops[0]["id"]
    expect(page.locator(f'[data-id="{loop_id}"] .connector-label')).to_have_text("50%")
    line = page.locator(f'[data-id="{loop_id}"] .line').bounding_box()
    assert line is not None and line["width"] > 20 and line["height"] > 10, line
    # It stays rework: Flow and Information cannot make a step's loop onto itself.
    expect(page.get_by_role("button", name="Arrow kind: Flow")).to_be_disabled()
    page.screenshot(path="e2e/artifacts/rework-itself.png")
