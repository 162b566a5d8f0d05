"""Two or more real Chromium pages on one board, through the real server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, element_box, step_at, wait_connected
from e2e.utils.seed import seed
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_one_adds_and_drags_a_step_the_other_sees_it_move_and_land(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    ada.get_by_role("button", name="Add step").click()
    ada.get_by_role("textbox", name="Step text").fill("Build")
    ada.keyboard.press("Enter")
    on_bob = bob.get_by_label("Step: Build")
    expect(on_bob).to_be_visible()
    start = element_box(bob, "Step: Build")
    made_at = step_at(ada, "Build")

    box = element_box(ada, "Step: Build")
    ada.mouse.move(box["x"] + 30, box["y"] + 30)
    ada.mouse.down()
    for i in range(1, 11):
        ada.mouse.move(box["x"] + 30 + 25 * i, box["y"] + 30 + 12 * i)
        ada.wait_for_timeout(40)
    # Still holding the mouse: Bob already sees the step on its way.
    bob.wait_for_function(
        "([x]) => { const r = document.querySelector('[aria-label=\"Step: Build\"]')"
        ".getBoundingClientRect(); return r.x > x + 100; }",
        arg=[start["x"]],
    )
    ada.mouse.up()

    expect(ada.locator("#status")).to_have_attribute("data-status", "connected")
    landed = step_at(ada, "Build")
    bob.wait_for_function(
        "([x, y]) => window.flowmap.elements().some(e => e.text === 'Build' && e.x === x && e.y === y)",
        arg=[landed["x"], landed["y"]],
    )
    state = httpx.get(f"{live_server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
    stored = next(e for e in state["elements"] if e["text"] == "Build")
    assert (stored["x"], stored["y"]) == (landed["x"], landed["y"])
    zoom = ada.evaluate("window.flowmap.zoom")
    assert abs((stored["x"] - made_at["x"]) * zoom - 250) < 30  # it moved as far as the mouse
    assert abs((stored["y"] - made_at["y"]) * zoom - 120) < 30

    bob.reload()
    wait_connected(bob)
    expect(bob.get_by_label("Step: Build")).to_be_visible()
    assert step_at(bob, "Build") == landed
    ARTIFACTS.mkdir(exist_ok=True)
    bob.screenshot(path=ARTIFACTS / "two-people.png")


def test_an_arrow_joins_two_steps_and_follows_them(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    httpx.post(
        f"{live_server.url}/api/boards/{board['id']}/ops",
        params={"token": board["tokens"]["facilitator"]},
        json={"ops": [
            {"op": "create", "element": {"id": "s-plan", "kind": "step", "text": "Plan", "x": 100, "y": 200}},
            {"op": "create", "element": {"id": "s-do", "kind": "step", "text": "Do", "x": 420, "y": 200}},
        ]},
    ).raise_for_status()  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    plan = element_box(ada, "Step: Plan")
    ada.mouse.move(plan["x"] + plan["width"] / 2, plan["y"] + plan["height"] / 2)
    handle = ada.get_by_role("button", name="Draw an arrow from Plan")
    expect(handle).to_be_visible()
    hb = handle.bounding_box()
    assert hb is not None
    do = element_box(ada, "Step: Do")
    ada.mouse.move(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
    ada.mouse.down()
    for i in range(1, 9):
        ada.mouse.move(hb["x"] + (do["x"] + 40 - hb["x"]) * i / 8, do["y"] + do["height"] / 2)
    ada.mouse.up()

    bob.wait_for_function(
        "() => window.flowmap.elements().some(e => e.kind === 'connector' "
        "&& e.source === 's-plan' && e.target === 's-do' && e.connector === 'flow')"
    )
    arrow = bob.locator('[data-kind="connector"]')
    expect(arrow).to_have_count(1)
    before = arrow.bounding_box()
    httpx.post(
        f"{live_server.url}/api/boards/{board['id']}/ops",
        params={"token": board["tokens"]["facilitator"]},
        json={"ops": [{"op": "update", "id": "s-do", "set": {"y": 420}}]},
    ).raise_for_status()
    bob.wait_for_function("() => window.flowmap.elements().find(e => e.id === 's-do').y === 420")
    after = arrow.bounding_box()
    assert before is not None and after is not None
    assert after["height"] > before["height"] + 100  # the arrow bent down to follow the step


def test_a_viewer_watches_live_and_cannot_edit(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    viewer = open_page(board_url(board, "viewer"), name="Vic")
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    wait_connected(viewer)
    wait_connected(ada)
    expect(viewer.get_by_text("View only").first).to_be_visible()
    expect(viewer.get_by_role("button", name="Add step")).to_be_hidden()

    ada.get_by_role("button", name="Add step").click()
    ada.get_by_role("textbox", name="Step text").fill("Seen live")
    ada.keyboard.press("Enter")
    expect(viewer.get_by_label("Step: Seen live")).to_be_visible()

    viewer.locator("#stage").dblclick(position={"x": 300, "y": 300})
    viewer.keyboard.press("n")
    box = element_box(viewer, "Step: Seen live")
    viewer.mouse.move(box["x"] + 20, box["y"] + 20)
    viewer.mouse.down()
    viewer.mouse.move(box["x"] + 220, box["y"] + 220)
    viewer.mouse.up()
    viewer.wait_for_timeout(300)
    state = httpx.get(f"{live_server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
    assert [e["text"] for e in state["elements"]] == ["Seen live"]
    assert state["seq"] == 2  # Ada's create and her text; nothing from the viewer


def test_a_newcomer_is_asked_their_name_once_and_others_see_it(
    board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    wait_connected(ada)
    newcomer = open_page(board_url(board, "participant"), name=None)
    dialog = newcomer.get_by_role("dialog", name="What should we call you?")
    expect(dialog).to_be_visible()
    newcomer.get_by_label("Your name").fill("Grace Hopper")
    newcomer.get_by_role("button", name="Join board").click()
    wait_connected(newcomer)
    ada.wait_for_function("() => window.flowmap.peers().some(p => p.name === 'Grace Hopper')")
    expect(ada.get_by_role("list", name="People on this board")).to_contain_text("G")
    newcomer.reload()
    wait_connected(newcomer)
    expect(newcomer.get_by_role("dialog", name="What should we call you?")).to_be_hidden()


def test_edits_made_while_the_server_is_down_arrive_when_it_returns(
    tmp_path: Path, open_page: Callable[..., Page]
) -> None:
    server = Server(f"sqlite:///{tmp_path / 'lid.db'}", tmp_path / "lid.log")
    server.start()
    try:
        board = server.create_board("Lid")
        httpx.post(
            f"{server.url}/api/boards/{board['id']}/ops",
            params={"token": board["tokens"]["facilitator"]},
            json={"ops": [{"op": "create", "element": {"id": "s-1", "kind": "step", "text": "Before", "x": 200, "y": 200}}]},
        ).raise_for_status()  # fmt: skip
        ada = open_page(f"{server.url}/b/{board['id']}?token={board['tokens']['participant']}", name="Ada")
        bob = open_page(f"{server.url}/b/{board['id']}?token={board['tokens']['participant']}", name="Bob")
        wait_connected(ada)
        wait_connected(bob)

        server.kill()  # the lid closes, the network drops, the server restarts: all the same here
        expect(ada.locator("#status")).to_have_attribute("data-status", "reconnecting", timeout=15000)
        ada.get_by_label("Step: Before").dblclick()
        editor = ada.get_by_role("textbox", name="Step text")
        editor.fill("Typed while offline")
        ada.keyboard.press("Enter")
        expect(ada.get_by_label("Step: Typed while offline")).to_be_visible()
        assert ada.evaluate("window.flowmap.pendingCount") >= 1

        server.start()
        wait_connected(ada, timeout=20000)
        wait_connected(bob, timeout=20000)
        expect(bob.get_by_label("Step: Typed while offline")).to_be_visible()
        ada.wait_for_function("() => window.flowmap.pendingCount === 0")
        state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                          params={"token": board["tokens"]["viewer"]}).json()  # fmt: skip
        assert [e["text"] for e in state["elements"]] == ["Typed while offline"]
        assert state["seq"] == 2  # sent once, applied once
    finally:
        server.stop()


@pytest.mark.parametrize("role", ["participant", "viewer"])
def test_a_newcomer_sees_the_map_while_asked_their_name(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], role: str
) -> None:
    # The name is asked before the page joins (the hello carries it; no one is on the
    # board nameless), but the map is there behind the question, read over HTTP, with its
    # Flow panel (it was empty) and a status that says it has not joined (it said "Connecting…").
    seed(
        live_server, board,
        {"id": "s1", "kind": "step", "text": "Refine", "x": 200, "y": 300, "wait_minutes": 480, "process_minutes": 240},
        {"id": "s2", "kind": "step", "text": "Build", "x": 512, "y": 300, "wait_minutes": 480, "process_minutes": 240},
        {"id": "f12", "kind": "connector", "source": "s1", "target": "s2"},
    )  # fmt: skip
    newcomer = open_page(board_url(board, role), name=None)
    dialog = newcomer.get_by_role("dialog", name="What should we call you?")
    expect(dialog).to_be_visible()
    asked = dialog.bounding_box()
    for name in ("Refine", "Build"):
        step = newcomer.get_by_label(f"Step: {name}", exact=True)
        expect(step).to_be_in_viewport()
        seen = step.bounding_box()
        assert asked is not None and seen is not None
        assert seen["y"] >= asked["y"] + asked["height"], (name, seen, asked)  # not under it
    expect(newcomer.locator("#totals [data-metric=lead_time]")).to_have_text("3d")
    expect(newcomer.locator("#status")).to_have_attribute("data-status", "unjoined")
    expect(newcomer.locator("#status")).to_have_text("Not joined yet")
    newcomer.screenshot(path="e2e/artifacts/name-over-the-map.png")
    newcomer.get_by_label("Your name").fill("Grace Hopper")
    newcomer.get_by_role("button", name="Join board").click()
    wait_connected(newcomer)
    expect(newcomer.locator("#status")).to_have_text("Connected")
    expect(newcomer.locator("#totals [data-metric=lead_time]")).to_have_text("3d")
    # The welcome's board replaces what was shown: each element once, nothing pending.
    ids = newcomer.evaluate("() => window.flowmap.elements().map((e) => e.id).sort()")
    assert ids == ["f12", "s1", "s2"]
    expect(newcomer.get_by_label("Step: Build", exact=True)).to_be_visible()


def test_a_viewer_may_just_look_without_giving_a_name(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    wait_connected(ada)
    viewer = open_page(board_url(board, "viewer"), name=None)
    dialog = viewer.get_by_role("dialog", name="What should we call you?")
    expect(dialog).to_be_visible()
    dialog.screenshot(path="e2e/artifacts/name-or-just-look.png")
    viewer.get_by_role("button", name="Just look").click()
    wait_connected(viewer)
    # The server still hears a name in the hello: the others see a guest watching.
    ada.wait_for_function("() => window.flowmap.peers().some((p) => p.name === 'Guest')")
    seed(live_server, board, {"id": "s1", "kind": "step", "text": "Seen live", "x": 200, "y": 300})
    expect(viewer.get_by_label("Step: Seen live", exact=True)).to_be_visible()
    # Nothing kept: the next visit asks again, and a name can still be given from the chip.
    assert viewer.evaluate("() => localStorage.getItem('flowmap.name')") is None


def test_a_participant_is_asked_for_a_name_with_no_way_round_it(
    board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    page = open_page(board_url(board, "participant"), name=None)
    expect(page.get_by_role("dialog", name="What should we call you?")).to_be_visible()
    expect(page.get_by_role("button", name="Just look")).to_be_hidden()
    expect(page.get_by_role("button", name="Cancel")).to_be_hidden()
