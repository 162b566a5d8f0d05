"""Notes and experiment cards are boxes like any other: they move, nudge, resize and show all their words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from e2e.utils.seed import seed, stored
from tests.support.live import Server

LONG = (
    "Release approvals wait for the weekly change board, so a fix that is ready on Monday "
    "ships the following Thursday; ask whether low-risk changes could be pre-approved instead ok"
)



def drag(page: Page, start: tuple[float, float], dx: float, dy: float) -> None:
    """Press at `start` and move by (dx, dy) in two legs, as a hand does, then let go."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + dx / 2, start[1] + dy / 2, steps=4)
    page.mouse.move(start[0] + dx, start[1] + dy, steps=4)
    page.mouse.up()

def test_a_long_note_shows_every_word_on_the_canvas(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    assert len(LONG) >= 170
    seed(live_server, board, {"id": "n1", "kind": "note", "x": 100, "y": 100, "text": LONG})
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    note = page.locator('[data-id="n1"]')
    expect(note).to_contain_text("instead ok")
    # Every line of the text is inside the note's body: nothing clipped, no "…".
    fits = page.evaluate(
        """() => {
          const g = document.querySelector('[data-id="n1"]');
          const text = g.querySelector('.label-text').getBoundingClientRect();
          const box = g.querySelector('.label-box').getBoundingClientRect();
          const body = g.querySelector('.body').getBoundingClientRect();
          const span = g.querySelector('.label-text');
          return {text: text.bottom, box: box.bottom, body: body.bottom, clamp: span.style.webkitLineClamp,
                  hidden: span.scrollHeight - span.clientHeight};
        }"""
    )
    page.screenshot(path="e2e/artifacts/long-note.png")
    assert fits["text"] <= fits["box"] + 0.5 and fits["box"] <= fits["body"] + 0.5, fits
    assert fits["clamp"] in ("", "none") and fits["hidden"] <= 1, fits


def wait_for(page: Page, element_id: str, expression: str) -> None:
    """Wait until the page's model holds the element with `expression` (JS, on `e`) true."""
    page.wait_for_function(
        f"() => {{ const e = window.flowmap.elements().find((e) => e.id === {element_id!r}); return e && ({expression}); }}"
    )


def test_an_experiment_card_drags_and_nudges_like_a_note(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server,
        board,
        {"id": "e1", "kind": "experiment", "x": 300, "y": 200, "text": "smaller batches"},
    )
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    card = page.locator('[data-id="e1"]')
    box = card.bounding_box()
    assert box is not None
    before = stored(page, "e1")
    zoom = page.evaluate("() => window.flowmap.zoom")
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    drag(page, start, 120, 60)
    x, y = before["x"] + round(120 / zoom), before["y"] + round(60 / zoom)
    wait_for(page, "e1", f"Math.abs(e.x - {x}) <= 1 && Math.abs(e.y - {y}) <= 1")
    wait_connected(page)
    moved = stored(page, "e1")
    expect(card).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    wait_for(page, "e1", f"e.x === {moved['x'] + 8} && e.y === {moved['y'] + 80}")
    wait_connected(page)
    # Enter and a double-click open what the card says, as they do a step's name.
    change = page.get_by_label("The change we try")
    page.keyboard.press("Enter")
    expect(change).to_be_focused()
    change.press("Escape")
    expect(change).not_to_be_focused()
    card.dblclick()
    expect(change).to_be_focused()


def test_a_resized_note_has_its_new_size_on_another_page(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server,
        board,
        {"id": "n1", "kind": "note", "x": 300, "y": 200, "text": "Who signs this off?"},
    )
    ada = open_page(board_url(board, "participant"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    wait_connected(ada)
    wait_connected(bob)
    ada.locator('[data-id="n1"]').click()
    handle = ada.locator('[data-handle="resize"]')
    expect(handle).to_be_visible()
    hb = handle.bounding_box()
    assert hb is not None
    zoom = ada.evaluate("() => window.flowmap.zoom")
    corner = (hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
    drag(ada, corner, 100, 80)
    w, h = 168 + round(100 / zoom), 120 + round(80 / zoom)
    wait_for(bob, "n1", f"Math.abs(e.w - {w}) <= 1 && Math.abs(e.h - {h}) <= 1")
    drawn = bob.locator('[data-id="n1"] .body').bounding_box()
    assert drawn is not None
    bob_zoom = bob.evaluate("() => window.flowmap.zoom")
    # Its stroke adds about a screen pixel a side.
    assert abs(drawn["width"] / bob_zoom - w) <= 2 + 2 / bob_zoom, (drawn, bob_zoom)
    # One undo puts the size back.
    ada.keyboard.press("Control+z")
    wait_for(bob, "n1", "e.w === 168 && e.h === 120")


def test_a_notes_side_panel_shows_its_text_and_edits_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server,
        board,
        {"id": "k1", "kind": "note", "variant": "kaizen", "x": 300, "y": 200, "text": LONG},
    )
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    page.locator('[data-id="k1"]').click()
    text = page.locator("#inspector").get_by_label("Text", exact=True)
    expect(text).to_have_value(LONG)
    text.fill("Pre-approve low-risk changes")
    text.press("Enter")
    expect(page.get_by_label("Kaizen burst note: Pre-approve low-risk changes")).to_be_visible()


def test_a_box_shows_its_outline_when_hovered_selected_or_reached_with_the_keyboard(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The outline is built the first time it shows (canvas/shapes.js outline): it must show then.
    seed(
        live_server,
        board,
        {"id": "s1", "kind": "step", "x": 100, "y": 100, "text": "Build"},
        {"id": "n1", "kind": "note", "x": 400, "y": 100, "text": "Why two approvals?"},
    )
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    assert page.locator(".el .outline").count() == 0, "none built before anything is shown"

    def outline_of(element_id: str) -> dict[str, Any]:
        return page.evaluate(
            """(id) => {
              const g = document.querySelector(`[data-id="${id}"]`);
              const o = g.querySelector('.outline');
              if (!o) return null;
              const [ob, bb] = [o.getBoundingClientRect(), g.querySelector('.body').getBoundingClientRect()];
              return {visible: getComputedStyle(o).visibility === 'visible', last: g.lastElementChild === o,
                      around: ob.left < bb.left && ob.right > bb.right && ob.top < bb.top && ob.bottom > bb.bottom};
            }""",
            element_id,
        )

    page.locator('[data-id="s1"] .body').hover()
    page.wait_for_function("() => document.querySelector('[data-id=\"s1\"] .outline')")
    assert outline_of("s1") == {"visible": True, "last": True, "around": True}
    page.mouse.move(5, 5)
    page.locator('[data-id="n1"]').focus()
    page.keyboard.press("Shift+Tab")  # the keyboard, so :focus-visible holds
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelector('[data-id=\"n1\"] .outline')")
    assert outline_of("n1") == {"visible": True, "last": True, "around": True}


def test_boxes_at_rest_stand_on_a_plain_shade_and_a_dragged_one_is_lifted(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # A CSS filter on every box was one more effect for the compositor per box: zooming
    # out of a 3,000-element map spent 80-100 ms a frame on them (issue 20). A box at rest
    # stands on a copy of its outline a little lower; only a box in a hand has a filter.
    seed(
        live_server,
        board,
        {"id": "s1", "kind": "step", "x": 80, "y": 120, "text": "Build"},
        {"id": "n1", "kind": "note", "x": 320, "y": 120, "text": "why so slow?"},
        {"id": "k1", "kind": "note", "variant": "kaizen", "x": 520, "y": 120, "text": "halve it"},
        {"id": "i1", "kind": "inventory", "x": 80, "y": 380, "count": 4},
        {"id": "e1", "kind": "experiment", "x": 320, "y": 380, "text": "smaller batches"},
    )
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    ids = ["s1", "n1", "k1", "i1", "e1"]
    for element_id in ids:
        expect(page.locator(f'[data-id="{element_id}"] .shade')).to_have_count(1)
    measure = """(ids) => ids.map((id) => {
        const g = document.querySelector(`[data-id="${id}"]`);
        const [shade, body] = [g.querySelector('.shade'), g.querySelector('.body')];
        const [s, b] = [shade.getBBox(), body.getBBox()];
        return {id, under: shade.compareDocumentPosition(body) === Node.DOCUMENT_POSITION_FOLLOWING,
                dy: s.y - b.y, dw: s.width - b.width, dh: s.height - b.height,
                shade: getComputedStyle(shade).visibility,
                filters: [...g.querySelectorAll('*')].filter((n) => getComputedStyle(n).filter !== 'none').length};
    })"""
    for box in page.evaluate(measure, ids):
        assert box["under"] and box["shade"] == "visible" and box["filters"] == 0, box
        assert abs(box["dy"] - 2) < 0.2 and abs(box["dw"]) < 0.2 and abs(box["dh"]) < 0.2, box

    # In a hand: lifted, with a real shadow, and no shade left behind on the canvas.
    target = page.locator('[data-id="s1"] .body').bounding_box()
    assert target is not None
    page.mouse.move(target["x"] + 40, target["y"] + 20)
    page.mouse.down()
    page.mouse.move(target["x"] + 90, target["y"] + 60, steps=4)
    expect(page.locator('[data-id="s1"]')).to_have_class(re.compile(r"\bis-dragging\b"))
    lifted = page.evaluate(
        """() => { const g = document.querySelector('[data-id="s1"]');
          return [getComputedStyle(g.querySelector('.body')).filter,
                  getComputedStyle(g.querySelector('.shade')).visibility]; }"""
    )
    assert "drop-shadow" in lifted[0] and lifted[1] == "hidden", lifted
    page.mouse.up()


def test_typing_a_long_note_the_field_grows_with_it_and_hides_no_line(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The field stayed the note's size and scrolled: the first lines of a long note went
    # out of sight while it was typed.
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    page.get_by_role("button", name="Add note").click()
    editor = page.get_by_role("textbox", name="Note text")
    expect(editor).to_be_focused()
    before = editor.bounding_box()
    editor.press_sequentially(LONG[:150], delay=0)
    sizes = editor.evaluate("(f) => ({scroll: f.scrollHeight, client: f.clientHeight, top: f.scrollTop})")
    after = editor.bounding_box()
    assert before and after and after["height"] > before["height"] * 1.3, (before, after)
    assert sizes["top"] == 0 and sizes["scroll"] <= sizes["client"] + 1, sizes
    editor.press("Enter")
    expect(page.get_by_label(re.compile("Comment note: Release approvals"))).to_be_visible()


def test_a_long_note_grows_only_into_free_room_and_never_over_the_step_below(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    # The note's stored box ends at y=220; the step below starts at y=300: its text needs ~190
    # more, which would run it over the step and its figures. It grows to the step's gap, no more,
    # says "…" where it stops, and shows its whole text on hover (and in its side panel).
    seed(
        live_server,
        board,
        {"id": "s1", "kind": "step", "x": 100, "y": 300, "text": "Staging test"},
        {"id": "n1", "kind": "note", "x": 100, "y": 100, "w": 168, "text": LONG},
    )
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    expect(page.locator('[data-id="n1"]')).to_contain_text("instead ok")
    page.screenshot(path="e2e/artifacts/long-note-over-step.png")
    boxes = page.evaluate(
        """() => {
          const box = (sel) => document.querySelector(sel).getBoundingClientRect();
          const span = document.querySelector('[data-id="n1"] .label-text');
          return {note: box('[data-id="n1"] .body').bottom, label: box('[data-id="n1"] .label-box').bottom,
                  text: span.getBoundingClientRect().bottom, step: box('[data-id="s1"] .body').top,
                  clamped: span.scrollHeight > span.clientHeight + 1,
                  title: document.querySelector('[data-id="n1"] title')?.textContent ?? ''};
        }"""
    )
    assert boxes["note"] < boxes["step"] and boxes["label"] < boxes["step"], boxes
    assert boxes["text"] < boxes["step"], boxes
    assert boxes["clamped"] and boxes["title"] == LONG, boxes


# Every node of the map's boxes at rest whose own opacity or filter is not plain: each such
# is one more effect for the compositor to lay out whenever the page changes (issue 20: a
# 3,000-element map with people moving). Outlines show only when hovered or selected.
EFFECTS = """() => [...document.querySelectorAll('svg.canvas .el, svg.canvas .el *')]
  .filter((n) => !n.closest('.outline'))
  .filter((n) => { const s = getComputedStyle(n); return s.opacity !== '1' || s.filter !== 'none'; })
  .map((n) => `${n.closest('.el').dataset.id} ${n.getAttribute('class')}`)"""


def test_boxes_at_rest_carry_no_effect_of_their_own(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    seed(
        live_server, board,
        {"id": "s1", "kind": "step", "x": 0, "y": 0, "text": "Build", "wait_minutes": 60},
        {"id": "s2", "kind": "step", "x": 300, "y": 0, "text": "Test", "process_minutes": 30},
        {"id": "i1", "kind": "inventory", "x": 200, "y": 20, "count": 4},
        {"id": "n1", "kind": "note", "x": 0, "y": 260, "text": "A plain note"},
        {"id": "n2", "kind": "note", "x": 260, "y": 260, "text": "Is it?", "variant": "hypothesis"},
        {"id": "n3", "kind": "note", "x": 520, "y": 260, "text": "Fix it", "variant": "kaizen"},
        {"id": "c1", "kind": "connector", "source": "s1", "target": "s2"},
    )  # fmt: skip
    page = open_page(board_url(board, "participant"))
    wait_connected(page)
    expect(page.locator('[data-id="n2"]')).to_contain_text("Is it?")
    assert page.locator("svg.canvas .el").count() == 7
    assert page.evaluate(EFFECTS) == []
