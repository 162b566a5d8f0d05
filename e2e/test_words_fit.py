"""Words on the map's boxes: a name wraps between its words, never letter by letter, and stays
inside its box, on a phone as on a wall, in presentation view as on the canvas. A word too long
for its box even at the smallest size is cut with "…" (its box's tooltip says it whole)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.utils.board import wait_view_settled
from e2e.utils.demo import open_demo
from e2e.utils.seed import apply_ops, seed, stored
from tests.support.live import Server

LONG_NAME = "Wait for the security team to sign off the change and for the release board to meet"
LONG_QUEUE = "tickets waiting for the weekly change advisory board and its sign-off"

# For each box's words (`words` inside `box`, drawn as its `.body` where it has one): each word
# broken over two lines, and each line of words that shows outside its box. Lines a line clamp hides (outside the words' own clipped
# box) do not show.
WORDS_IN_BOXES = """
([words, box]) => {
  const broken = [], outside = [];
  for (const el of document.querySelectorAll(words)) {
    const owner = el.closest(box);
    const frame = (owner.querySelector(':scope > .body') ?? owner).getBoundingClientRect();
    const clip = el.getBoundingClientRect();
    if (!clip.width) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0.5
          && r.bottom > clip.top + 1 && r.top < clip.bottom - 1);
        if (new Set(rects.map((r) => Math.round(r.top))).size > 1) broken.push(m[0]);
        for (const r of rects) {
          if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.bottom > frame.bottom + 0.5) {
            outside.push(`${m[0]} ${r.left.toFixed(1)}-${r.right.toFixed(1)} in ${frame.left.toFixed(1)}-${frame.right.toFixed(1)}`);
          }
        }
      }
    }
  }
  return { broken, outside };
}
"""


def demo_with_a_long_name(
    server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> Page:
    """The demo board with one more step at the end of its row, named at length."""
    board, page = open_demo(server, open_page, size)
    last = page.evaluate(
        "() => window.flowmap.elements().filter((e) => e.kind === 'step').sort((a, b) => b.x - a.x)[0]"
    )
    seed(server, board, {"id": "long", "kind": "step", "x": last["x"] + 312, "y": last["y"],
                         "w": last["w"], "h": last["h"], "text": LONG_NAME})  # fmt: skip
    expect(page.get_by_label(f"Step: {LONG_NAME}", exact=True)).to_have_count(1)
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    return page


@pytest.mark.parametrize("size", [(320, 640), (390, 844), (683, 768), (1024, 768), (1440, 900)])
def test_in_presentation_view_a_cards_words_wrap_whole_and_stay_on_it(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # On a phone the cards read "Refi / ne / requ / est", 'Wait 2' ran onto the next card, and
    # a long name ran down the map under the Flow panel.
    page = demo_with_a_long_name(live_server, open_page, size)
    page.keyboard.press("p")
    expect(page.locator(".far-card")).to_have_count(7)
    page.wait_for_timeout(100)
    page.screenshot(path=f"e2e/artifacts/far-words-{size[0]}.png")
    found = page.evaluate(WORDS_IN_BOXES, [".far-card > *", ".far-card"])
    assert not found["broken"] and not found["outside"], found


@pytest.mark.parametrize("size", [(320, 640), (390, 844), (683, 768), (1024, 768), (1440, 900)])
def test_on_the_canvas_a_steps_name_wraps_whole_and_stays_in_its_box_at_every_zoom(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_with_a_long_name(live_server, open_page, size)
    for zoom_in in (0, 2, 4):  # the fit's zoom, then closer
        for _ in range(zoom_in):
            page.locator('[data-action="zoom-in"]').click()
        wait_view_settled(page)
        found = page.evaluate(WORDS_IN_BOXES, [".el-step .label-text", ".el-step"])
        assert not found["broken"] and not found["outside"], (zoom_in, found)


def test_in_presentation_view_a_card_whose_name_is_shown_short_carries_it_whole_as_its_title(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # A name cut with "…" or stopped at three lines on a phone's card had nowhere to be read
    # whole in presentation view: the card had no tooltip, whatever the docs said.
    page = demo_with_a_long_name(live_server, open_page, (390, 844))
    page.keyboard.press("p")
    expect(page.locator(".far-card")).to_have_count(7)
    expect(page.locator('.far-card[data-step="long"]')).to_have_attribute("title", LONG_NAME)
    whole = page.locator(".far-card", has_text="Design")
    expect(whole).to_have_count(1)
    assert whole.get_attribute("title") is None  # shown whole: nothing more to say


SELECTED = re.compile(r"\bis-selected\b")
# The tooltip the browser shows for what is under (x, y): the nearest `title` attribute, or an
# SVG element's <title> child, on the way up from the element hit there (none: null).
TOOLTIP_AT = """([x, y]) => {
  for (let el = document.elementFromPoint(x, y); el; el = el.parentElement) {
    if (el instanceof HTMLElement && el.title) return el.title;
    const title = el.querySelector(':scope > title');
    if (title?.textContent) return title.textContent;
  }
  return null;
}"""


def below_the_step(page: Page, step_id: str, name: str) -> tuple[float, float]:
    """A point on the step's presentation card under the step's own box: the card stands
    larger than its step (at the fit of a phone three times its height)."""
    card = page.locator(f'.far-card[data-step="{step_id}"]').bounding_box()
    body = page.get_by_label(f"Step: {name}", exact=True).locator(".body").bounding_box()
    assert card is not None and body is not None
    bottom = card["y"] + card["height"]
    assert bottom > body["y"] + body["height"] + 12, (card, body)
    return card["x"] + card["width"] / 2, (body["y"] + body["height"] + bottom) / 2


def test_in_presentation_view_a_cut_card_reads_whole_under_the_mouse_and_handles_as_its_step(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # The card let the pointer through to the step under it: its title never showed on
    # hover, and a press on the card beyond the step's own box drew a selection box.
    page = demo_with_a_long_name(live_server, open_page, (1280, 720))
    page.keyboard.press("p")
    card = page.locator('.far-card[data-step="long"]')
    expect(card).to_have_attribute("title", LONG_NAME)
    x, y = below_the_step(page, "long", LONG_NAME)
    assert page.evaluate(TOOLTIP_AT, [x, y]) == LONG_NAME
    before = stored(page, "long")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y + 30, steps=4)
    page.mouse.move(x + 40, y + 60, steps=4)
    page.mouse.up()
    page.wait_for_function(
        "(y) => window.flowmap.elements().find((e) => e.id === 'long').y > y + 20", arg=before["y"]
    )
    expect(page.locator("#inspect-text")).to_have_value(LONG_NAME)
    expect(card).to_have_class(SELECTED)


def test_in_presentation_view_a_tap_on_a_cut_card_opens_its_step_named_whole(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # A phone has no hover: a tap on the card beyond its step's own box (most of the card
    # there) selected nothing, and the whole name could not be read.
    def touch_page(url: str, **kwargs: Any) -> Page:
        return open_page(url, touch=True, **kwargs)

    page = demo_with_a_long_name(live_server, touch_page, (390, 844))
    page.locator('[data-action="far-view"]').click()
    expect(page.locator('.far-card[data-step="long"]')).to_have_attribute("title", LONG_NAME)
    x, y = below_the_step(page, "long", LONG_NAME)
    page.touchscreen.tap(x, y)
    expect(page.locator("#inspect-text")).to_have_value(LONG_NAME)
    expect(page.locator('.far-card[data-step="long"]')).to_have_class(SELECTED)
    # The panel heads it with the whole name, in view.
    expect(page.locator("#inspect-text")).to_be_in_viewport()


@pytest.mark.parametrize("size", [(683, 768), (1280, 720)])
def test_in_presentation_view_the_map_fitted_holds_every_card_whole(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # A card is wider than its step (into the room beside it), and fitting the map fitted
    # the steps: the last card, its name cut already, ran off the screen's edge.
    page = demo_with_a_long_name(live_server, open_page, size)
    page.keyboard.press("p")
    expect(page.locator(".far-card")).to_have_count(7)
    for _ in range(2):  # the Flow panel opened, then folded again: each fits the map again
        page.locator('#totals [data-action="toggle-totals"]').click()
        wait_view_settled(page)
        cards = page.evaluate(
            "() => [...document.querySelectorAll('.far-card')].map((c) => c.getBoundingClientRect())"
            ".map((r) => [r.left, r.right])"
        )
        assert all(0 <= left and right <= size[0] for left, right in cards), cards


# Each step's and inventory's label: its text, whether the page cut it short (its line clamp
# hides lines), and the tooltip its box carries ('' for none).
LABELS = """() => [...document.querySelectorAll('.el-step, .el-inventory')].map((g) => {
  const span = g.querySelector('.label-text');
  return {id: g.dataset.id, text: span.textContent, clamped: span.scrollHeight > span.clientHeight + 1,
          title: g.querySelector(':scope > title')?.textContent ?? ''};
})"""


def test_on_the_canvas_a_label_cut_short_says_its_whole_text_on_hover(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # A step's long name ended in "…" on the canvas, and an inventory's label after two lines,
    # with no tooltip: the whole name could only be read in the side panel.
    board, page = open_demo(live_server, open_page, (1440, 900))
    elements = page.evaluate("() => window.flowmap.elements()")
    last = max((e for e in elements if e["kind"] == "step"), key=lambda e: e["x"])
    queue = next(e for e in elements if e["kind"] == "inventory")
    seed(live_server, board, {"id": "long", "kind": "step", "x": last["x"] + 312, "y": last["y"],
                              "w": last["w"], "h": last["h"], "text": LONG_NAME})  # fmt: skip
    apply_ops(live_server, board, {"op": "update", "id": queue["id"], "set": {"text": LONG_QUEUE}})
    expect(page.locator('[data-id="long"] > title')).to_have_text(LONG_NAME)
    expect(page.locator(f'[data-id="{queue["id"]}"] > title')).to_have_text(LONG_QUEUE)
    labels = page.evaluate(LABELS)
    assert len(labels) == len(elements) - sum(e["kind"] not in ("step", "inventory") for e in elements) + 1
    for label in labels:  # a tooltip where the page cuts the words short, and only there
        assert label["title"] == (label["text"] if label["clamped"] else ""), label
    assert sum(label["clamped"] for label in labels) == 2, labels
    # Named short again, the step shows its whole name and says nothing more on hover.
    apply_ops(live_server, board, {"op": "update", "id": "long", "set": {"text": "Sign-off"}})
    expect(page.locator('[data-id="long"] .label-text')).to_have_text("Sign-off")
    expect(page.locator('[data-id="long"] > title')).to_have_text("")


DEMO_NAMES = ["Refine request", "Design", "Build", "Code review", "Staging test", "Release"]
FAR_CARDS = """() => [...document.querySelectorAll('.far-card')].map((card) => {
  const r = card.getBoundingClientRect();
  return {name: card.querySelector('.far-name').textContent, font: getComputedStyle(card).fontSize,
          top: r.top, h: r.height};
}).sort((a, b) => a.top - b.top)"""
CHIPS = """() => [...document.querySelectorAll('.far-queue')].map((chip) => {
  const r = chip.getBoundingClientRect();
  return {text: chip.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


@pytest.mark.parametrize("size", [(390, 844), (683, 768), (1440, 900)])
def test_in_presentation_view_a_rows_cards_share_one_size_and_show_names_that_fit_whole(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # On a phone each card chose its own size ('Build' a size larger than 'Design' beside it) and
    # 'Refine reque…', 'Stagi… test', 'Relea…' were cut though each word fitted at the size chosen.
    _, page = open_demo(live_server, open_page, size)
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    page.keyboard.press("p")
    expect(page.locator(".far-card")).to_have_count(len(DEMO_NAMES))
    page.wait_for_timeout(100)
    page.screenshot(path=f"e2e/artifacts/far-row-{size[0]}.png")
    cards = page.evaluate(FAR_CARDS)
    assert sorted(card["name"] for card in cards) == sorted(DEMO_NAMES), cards
    assert len({card["font"] for card in cards}) == 1, cards
    assert max(card["h"] for card in cards) - min(card["h"] for card in cards) < 1, "one even band"
    found = page.evaluate(WORDS_IN_BOXES, [".far-card > *", ".far-card"])
    assert not found["broken"] and not found["outside"], found
    chips = page.evaluate(CHIPS)
    for a in chips:  # no chip on another, nor touching it
        for b in chips:
            apart = a["right"] + 2 <= b["left"] or b["right"] + 2 <= a["left"]
            assert a is b or apart or a["bottom"] <= b["top"] or b["bottom"] <= a["top"], (a, b)
