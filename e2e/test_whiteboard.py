"""Whiteboard basics in real Chromium pages: select many, move, align, snap, copy and paste,
undo next to someone else's edits, Escape, keyboard-only use and the legend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, element_box, wait_connected
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
MOD = "Control"  # Chromium on Linux; Cmd on a Mac does the same through metaKey


def seed(server: Server, board: dict[str, Any], elements: list[dict[str, Any]]) -> None:
    """Put elements on the board through the HTTP API, as if someone drew them earlier."""
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/ops",
        json={"ops": [{"op": "create", "element": e} for e in elements]},
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        timeout=10,
    )
    answer.raise_for_status()
    assert all(r["error"] is None for r in answer.json()["results"]), answer.json()


def stored(server: Server, board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The board's elements as the server keeps them, by id."""
    state = httpx.get(f"{server.url}/api/boards/{board['id']}",
                      params={"token": board["tokens"]["viewer"]}, timeout=10).json()  # fmt: skip
    return {e["id"]: e for e in state["elements"]}


def step(id_: str, text: str, x: int, y: int) -> dict[str, Any]:
    return {"id": id_, "kind": "step", "text": text, "x": x, "y": y}


def positions(page: Page, ids: list[str]) -> dict[str, list[float]]:
    """Where the page draws these elements right now (live drags included)."""
    found: dict[str, list[float]] = page.evaluate(
        "(ids) => Object.fromEntries(window.flowmap.elements()"
        ".filter(e => ids.includes(e.id)).map(e => [e.id, [e.x, e.y]]))",
        ids,
    )
    return found


def drag(page: Page, start: tuple[float, float], end: tuple[float, float], steps: int = 10,
         hold: Callable[[], None] | None = None) -> None:  # fmt: skip
    """Press at `start`, move to `end` in small steps, call `hold` (still pressed), release."""
    page.mouse.move(*start)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(
            start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps
        )
        page.wait_for_timeout(30)
    if hold:
        hold()
    page.mouse.up()


def middle(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def selection(page: Page) -> set[str]:
    return set(page.evaluate("window.flowmap.selection()"))


def test_a_box_selects_three_steps_and_dragging_one_moves_all_three_for_both(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [step("s-a", "Ask", 100, 200), step("s-b", "Build", 400, 260),
                              step("s-c", "Check", 700, 200), step("s-d", "Deploy", 100, 520)])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)
    ids = ["s-a", "s-b", "s-c"]
    before = stored(live_server, board)

    a = element_box(ada, "Step: Ask")
    c = element_box(ada, "Step: Check")
    drag(ada, (a["x"] - 20, a["y"] - 20), (c["x"] + c["width"] + 20, c["y"] + c["height"] + 80))
    assert selection(ada) == set(ids)  # Deploy, below the box, is left out
    expect(
        ada.get_by_role("toolbar", name="Selection").get_by_role("button", name="Align left")
    ).to_be_visible()

    def peer_sees_all_three_on_the_way() -> None:
        bob.wait_for_function(
            "(ids) => window.flowmap.elements().filter(e => ids.includes(e.id) && e.y > 300).length === 3",
            arg=ids,
        )

    drag(ada, middle(element_box(ada, "Step: Build")), (middle(element_box(ada, "Step: Build"))[0] + 40,
         middle(element_box(ada, "Step: Build"))[1] + 220), hold=peer_sees_all_three_on_the_way)  # fmt: skip
    wait_connected(ada)
    after = stored(live_server, board)
    moved = {i: (after[i]["x"] - before[i]["x"], after[i]["y"] - before[i]["y"]) for i in ids}
    assert len(set(moved.values())) == 1, moved  # one shift for all three
    dx, dy = moved["s-a"]
    assert dy > 150 and dx > 0
    assert (after["s-d"]["x"], after["s-d"]["y"]) == (100, 520)
    bob.wait_for_function(
        "([ids, dy]) => window.flowmap.elements().filter(e => ids.includes(e.id) && e.y - (e.id === 's-b' ? 260 : 200)"
        " === dy).length === 3",
        arg=[ids, dy],
    )


def test_align_left_lines_the_selection_up_for_both_and_one_undo_puts_it_back(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [step("s-1", "One", 80, 100), step("s-2", "Two", 260, 260),
                              step("s-3", "Three", 170, 420)])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    ada.locator("#stage").click(position={"x": 640, "y": 760})  # the canvas has the keyboard
    ada.keyboard.press(f"{MOD}+a")
    bar = ada.get_by_role("toolbar", name="Selection")
    bar.get_by_role("button", name="Align left").click()
    bob.wait_for_function("() => window.flowmap.elements().every(e => e.x === 80)")
    wait_connected(ada)
    after = stored(live_server, board)
    assert [after[i]["x"] for i in ("s-1", "s-2", "s-3")] == [80, 80, 80]
    assert [after[i]["y"] for i in ("s-1", "s-2", "s-3")] == [100, 260, 420]

    bar.get_by_role("button", name="Distribute vertically").click()  # already even: nothing to do
    ada.keyboard.press(f"{MOD}+z")  # one undo takes the whole alignment back
    bob.wait_for_function("() => window.flowmap.elements().map(e => e.x).join() === '80,260,170'")
    wait_connected(ada)
    assert [stored(live_server, board)[i]["x"] for i in ("s-1", "s-2", "s-3")] == [80, 260, 170]


def test_dragging_near_another_step_snaps_to_it_with_a_guide_and_alt_does_not(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [step("s-top", "Top", 100, 100), step("s-low", "Low", 400, 400)])
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    zoom = ada.evaluate("window.flowmap.zoom")
    top = element_box(ada, "Step: Top")
    low = element_box(ada, "Step: Low")
    # Bring Low's left edge to 3 px right of Top's: close enough to snap.
    start = middle(low)
    end = (start[0] - (low["x"] - top["x"]) + 3, start[1] - 60)

    def guide_is_showing() -> None:
        # Both 168 wide: left edges, centres and right edges all line up, one guide each.
        expect(ada.locator(".snap-guide[data-axis=x]")).to_have_count(3)
        ARTIFACTS.mkdir(exist_ok=True)
        ada.screenshot(path=str(ARTIFACTS / "whiteboard-snapping.png"))

    drag(ada, start, end, hold=guide_is_showing)
    expect(ada.locator(".snap-guide")).to_have_count(0)
    wait_connected(ada)
    assert stored(live_server, board)["s-low"]["x"] == 100

    # Alt held: it lands where the pointer puts it.
    low = element_box(ada, "Step: Low")
    start = middle(low)
    ada.keyboard.down("Alt")
    drag(ada, start, (start[0] + 4 * zoom, start[1] + 80))
    ada.keyboard.up("Alt")
    wait_connected(ada)
    assert stored(live_server, board)["s-low"]["x"] == 104


def test_copy_and_paste_duplicate_steps_with_their_arrow_here_and_on_another_board(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [
        step("s-plan", "Plan", 100, 200), step("s-do", "Do", 420, 200),
        {"id": "c-1", "kind": "connector", "source": "s-plan", "target": "s-do", "connector": "rework",
         "rework_rate": 0.25},
    ])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    ada.locator("#stage").click(position={"x": 640, "y": 700})
    ada.keyboard.press(f"{MOD}+a")
    ada.keyboard.press(f"{MOD}+c")
    ada.mouse.move(640, 600)  # paste lands at the pointer
    ada.keyboard.press(f"{MOD}+v")
    bob.wait_for_function("() => window.flowmap.elements().length === 6")
    wait_connected(ada)
    elements = stored(live_server, board)
    copies = {
        e["text"]: e
        for e in elements.values()
        if e["kind"] == "step" and e["id"] not in ("s-plan", "s-do")
    }
    assert set(copies) == {"Plan", "Do"}
    arrow = next(e for e in elements.values() if e["kind"] == "connector" and e["id"] != "c-1")
    assert (arrow["source"], arrow["target"]) == (copies["Plan"]["id"], copies["Do"]["id"])
    assert (arrow["connector"], arrow["rework_rate"]) == ("rework", 0.25)
    assert copies["Do"]["x"] - copies["Plan"]["x"] == 320  # the group keeps its shape
    assert selection(ada) == {copies["Plan"]["id"], copies["Do"]["id"]}

    ada.keyboard.press(f"{MOD}+z")  # the paste was one change
    bob.wait_for_function("() => window.flowmap.elements().length === 3")
    expect(ada.get_by_label("Step: Do")).to_have_count(1)  # Ada's canvas has drawn the undo too
    ada.get_by_label("Step: Do").click()
    ada.keyboard.press(f"{MOD}+d")
    bob.wait_for_function(
        "() => window.flowmap.elements().filter(e => e.text === 'Do').length === 2"
    )
    wait_connected(ada)
    twin = next(
        e for e in stored(live_server, board).values() if e["text"] == "Do" and e["id"] != "s-do"
    )
    assert (twin["x"], twin["y"]) == (444, 224)

    # The same person, another board in another tab: the system clipboard carries the copy there.
    other = live_server.create_board("Another board")
    tab = ada.context.new_page()
    tab.goto(board_url(other, "participant"))
    wait_connected(tab)
    tab.locator("#stage").click(position={"x": 640, "y": 500})
    tab.keyboard.press(f"{MOD}+v")
    tab.wait_for_function(
        "() => window.flowmap.elements().length === 3 && window.flowmap.pendingCount === 0"
    )
    pasted = stored(live_server, other)
    assert sorted(e["text"] for e in pasted.values() if e["kind"] == "step") == ["Do", "Plan"]
    assert [e["connector"] for e in pasted.values() if e["kind"] == "connector"] == ["rework"]


def test_undo_takes_back_only_my_own_change_while_someone_else_edits(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server, board, [step("s-mine", "Mine", 100, 200), step("s-theirs", "Theirs", 500, 200)]
    )
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)

    start = middle(element_box(ada, "Step: Mine"))
    drag(ada, start, (start[0], start[1] + 200))
    wait_connected(ada)
    moved_to = stored(live_server, board)["s-mine"]["y"]
    assert moved_to > 300

    bob.get_by_label("Step: Theirs").dblclick()
    bob.get_by_role("textbox", name="Step text").fill("Renamed by Bob")
    bob.keyboard.press("Enter")
    expect(ada.get_by_label("Step: Renamed by Bob")).to_be_visible()

    ada.keyboard.press(f"{MOD}+z")
    bob.wait_for_function("() => window.flowmap.elements().find(e => e.id === 's-mine').y === 200")
    wait_connected(ada)
    wait_connected(bob)
    after = stored(live_server, board)
    assert after["s-mine"]["y"] == 200
    assert after["s-theirs"]["text"] == "Renamed by Bob"  # Bob's edit stands

    bob.keyboard.press(f"{MOD}+z")  # and Bob's undo takes back his, not Ada's
    expect(ada.get_by_label("Step: Theirs")).to_be_visible()
    wait_connected(bob)
    after = stored(live_server, board)
    assert (after["s-theirs"]["text"], after["s-mine"]["y"]) == ("Theirs", 200)


def test_undo_leaves_a_field_someone_changed_since_as_they_set_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # Ada renamed a step, then Bob renamed it again; Ada's undo put her old name back over
    # Bob's, and his rename was gone without a word.
    seed(live_server, board, [step("s-1", "Build", 100, 200)])
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)
    ada.get_by_label("Step: Build").dblclick()
    ada.get_by_role("textbox", name="Step text").fill("Build it")
    ada.keyboard.press("Enter")
    expect(bob.get_by_label("Step: Build it")).to_be_visible()
    bob.get_by_label("Step: Build it").dblclick()
    bob.get_by_role("textbox", name="Step text").fill("Build and test it")
    bob.keyboard.press("Enter")
    expect(ada.get_by_label("Step: Build and test it")).to_be_visible()

    ada.keyboard.press("Escape")
    ada.keyboard.press(f"{MOD}+z")
    expect(ada.locator(".toast").last).to_contain_text("Someone changed that since")
    wait_connected(ada)
    wait_connected(bob)
    assert stored(live_server, board)["s-1"]["text"] == "Build and test it"  # Bob's stands
    expect(bob.get_by_label("Step: Build and test it")).to_be_visible()


def test_escape_cancels_a_selection_box_and_a_drag(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [step("s-1", "Stay", 100, 200), step("s-2", "Put", 400, 200)])
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    ada.get_by_label("Step: Put").click()

    def escape_while_drawing() -> None:
        assert selection(ada) == {"s-1", "s-2"}
        expect(ada.locator("[data-marquee]")).to_be_visible()
        ada.keyboard.press("Escape")

    box = element_box(ada, "Step: Stay")
    drag(
        ada,
        (box["x"] - 20, box["y"] - 20),
        (box["x"] + 600, box["y"] + 150),
        hold=escape_while_drawing,
    )
    assert selection(ada) == {"s-2"}  # the selection from before the box
    expect(ada.locator("[data-marquee]")).to_be_hidden()

    def escape_while_dragging() -> None:
        ada.wait_for_function("() => window.flowmap.elements().find(e => e.id === 's-2').y > 260")
        ada.keyboard.press("Escape")

    start = middle(element_box(ada, "Step: Put"))
    drag(ada, start, (start[0] + 50, start[1] + 150), hold=escape_while_dragging)
    assert positions(ada, ["s-2"]) == {"s-2": [400, 200]}
    ada.wait_for_timeout(300)  # nothing may be on its way to the server
    assert stored(live_server, board)["s-2"]["y"] == 200


def test_keyboard_alone_creates_names_moves_and_connects_a_step(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [step("s-left", "Left", 0, 0), step("s-right", "Right", 800, 0)])
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)

    ada.keyboard.press("n")
    ada.keyboard.type("Middle")
    ada.keyboard.press("Enter")
    expect(ada.get_by_label("Step: Middle")).to_be_visible()
    wait_connected(ada)
    made = next(e for e in stored(live_server, board).values() if e["text"] == "Middle")
    for _ in range(3):
        ada.keyboard.press("ArrowDown")
    ada.keyboard.press("c")
    ada.keyboard.press("ArrowRight")
    ada.keyboard.press("Enter")
    ada.wait_for_function("() => window.flowmap.elements().some(e => e.kind === 'connector')")
    wait_connected(ada)
    elements = stored(live_server, board)
    assert elements[made["id"]]["y"] == made["y"] + 24  # three nudges of 8
    arrows = [(e["source"], e["target"]) for e in elements.values() if e["kind"] == "connector"]
    assert arrows == [(made["id"], "s-right")]

    # Tab walks the notes; Enter renames the one it lands on.
    for _ in range(40):
        ada.keyboard.press("Tab")
        if ada.evaluate("document.activeElement.getAttribute('aria-label')") == "Step: Left":
            break
    assert selection(ada) == {"s-left"}
    ada.keyboard.press("Enter")
    ada.keyboard.type("Start")
    ada.keyboard.press("Enter")
    expect(ada.get_by_label("Step: Start")).to_be_visible()
    wait_connected(ada)
    assert stored(live_server, board)["s-left"]["text"] == "Start"

    unnamed = ada.evaluate(
        "() => [...document.querySelectorAll('button, [role=button]')].filter(b => b.getClientRects().length"
        " && !(b.getAttribute('aria-label') || b.textContent.trim())).map(b => b.outerHTML.slice(0, 80))"
    )
    assert unnamed == []


def test_note_kinds_look_different_and_the_legend_names_them(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(live_server, board, [
        step("s-1", "Staging test", 100, 100),
        {"id": "n-h", "kind": "note", "variant": "hypothesis", "text": "Tests wait for the weekly slot", "x": 320, "y": 60},
        {"id": "n-k", "kind": "note", "variant": "kaizen", "text": "Test on every merge", "x": 320, "y": 220,
         "color": "yellow"},
        {"id": "n-c", "kind": "note", "text": "Who owns staging?", "x": 520, "y": 140},
    ])  # fmt: skip
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(ada)
    expect(ada.get_by_label("Hypothesis note: Tests wait for the weekly slot")).to_have_attribute(
        "data-variant", "hypothesis"
    )
    expect(ada.get_by_label("Kaizen burst note: Test on every merge")).to_have_attribute(
        "data-variant", "kaizen"
    )
    expect(ada.get_by_label("Comment note: Who owns staging?")).to_have_attribute(
        "data-variant", "comment"
    )
    kaizen = (
        ada.get_by_label("Kaizen burst note: Test on every merge")
        .locator(".body")
        .get_attribute("d")
        or ""
    )
    assert kaizen.count("L") > 20  # jagged: many corners

    ada.get_by_role("button", name="Legend").click()
    legend = ada.get_by_role("dialog", name="Legend")
    expect(legend).to_be_visible()
    names = legend.locator(".legend-name")
    for name in (
        "Step",
        "Inventory",
        "Comment",
        "Hypothesis",
        "Kaizen burst",
        "Rework arrow",
        "Constraint",
    ):
        expect(names.filter(has_text=name).first).to_be_visible()
    expect(legend.locator(".legend-sample")).to_have_count(9)
    ARTIFACTS.mkdir(exist_ok=True)
    ada.screenshot(path=str(ARTIFACTS / "whiteboard-legend.png"))
    ada.keyboard.press("Escape")
    expect(legend).to_be_hidden()


def test_a_cut_takes_only_what_it_may_delete_so_a_paste_makes_no_second_copy(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """During a dot vote a participant cut a note and a step (the step is the facilitator's
    to delete then): the step stayed on the board and in the clipboard, and the paste made
    a second "Plan" beside it."""
    seed(live_server, board, [
        step("s-plan", "Plan", 100, 200),
        {"id": "n-1", "kind": "inventory", "x": 420, "y": 220, "count": 3},
    ])  # fmt: skip
    fay = open_page(board_url(board, "facilitator"), name="Fay")
    ada = open_page(board_url(board, "participant"), name="Ada")
    wait_connected(fay)
    wait_connected(ada)
    ada.locator("#stage").click(position={"x": 640, "y": 700})
    ada.keyboard.press(f"{MOD}+a")
    fay.get_by_role("button", name="Start a dot vote").click()
    fay.get_by_label("Question").fill("Which first?")
    fay.get_by_role("button", name="Start the vote").click()
    expect(ada.locator("[data-dots-left]")).to_be_visible()

    ada.keyboard.press(f"{MOD}+x")
    expect(ada.get_by_text("Not cut: a dot vote is open")).to_be_visible()
    fay.wait_for_function("() => window.flowmap.elements().length === 1")  # the queue went
    ada.mouse.move(640, 600)
    ada.keyboard.press(f"{MOD}+v")
    fay.wait_for_function("() => window.flowmap.elements().length === 2")
    wait_connected(ada)
    texts = sorted(e.get("text", "") for e in stored(live_server, board).values() if e["kind"] == "step")
    assert texts == ["Plan"]  # one Plan: the queue came back, not a second step
    kinds = sorted(e["kind"] for e in stored(live_server, board).values())
    assert kinds == ["inventory", "step", "vote"]
