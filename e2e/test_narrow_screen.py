"""Little room: a phone, or a window beside the video call. Under 720 px the panels sit at
the bottom of the screen (panels.css), and the map is fitted into what they leave free, not
under them; at any size the selection's tools stay clear of the panels."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, select_step, wait_connected, wait_view_settled
from e2e.utils.demo import open_demo
from e2e.utils.seed import apply_ops, seed
from tests.support.live import Server

# Every step's box on screen, and the top of each panel that is showing.
LAYOUT = """
() => ({
  steps: [...document.querySelectorAll('.layer-elements > g.el-step .body')]
    .map((b) => b.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right })),
  toolbar: document.getElementById('toolbar').getBoundingClientRect().bottom,
  panels: ['totals', 'inspector', 'map-panel'].map((id) => document.getElementById(id))
    .filter((p) => !p.hidden).map((p) => p.getBoundingClientRect().top),
})
"""


def demo_page(
    server: Server, open_page: Callable[..., Page], size: tuple[int, int], published: bool = False
) -> Page:
    """The facilitator's page of a new demo board (utils/demo.py open_demo)."""
    return open_demo(server, open_page, size, published)[1]


@pytest.mark.parametrize("size", [(640, 720), (390, 844)])
def test_the_whole_map_is_fitted_above_the_panels_at_the_bottom(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_page(live_server, open_page, size)
    wait_view_settled(page)
    layout = page.evaluate(LAYOUT)
    assert layout["panels"], "the totals panel shows"
    free_bottom = min(layout["panels"])
    assert len(layout["steps"]) == 6
    for box in layout["steps"]:
        assert layout["toolbar"] <= box["top"] and box["bottom"] <= free_bottom, (box, layout)
        assert 0 <= box["left"] and box["right"] <= size[0], (box, layout)


CHROME = """
() => {
  const box = (selector) => { const r = document.querySelector(selector).getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const title = document.getElementById('board-title');
  return { title: [title.scrollWidth, title.clientWidth], status: box('#status'),
           zoom: box('.zoom-controls'), totals: box('#totals'),
           words: [document.querySelector('#status .status-text').scrollWidth,
                   document.querySelector('#status .status-text').clientWidth] };
}
"""


@pytest.mark.parametrize("size", [(1024, 768), (800, 600), (640, 720), (390, 844)])
def test_the_boards_name_shows_whole_and_the_status_keeps_clear_of_the_zoom(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_page(live_server, open_page, size, published=True)  # "Feature delivery", Published
    expect(page.locator(".state-badge")).to_have_text("Published")
    chrome = page.evaluate(CHROME)
    scroll, client = chrome["title"]
    assert client > 0 and scroll <= client, f"the name is cut: {chrome['title']}"
    status, zoom = chrome["status"], chrome["zoom"]
    assert status["right"] <= zoom["left"] or status["bottom"] <= zoom["top"], chrome
    assert 0 <= status["left"] and status["right"] <= size[0], chrome
    # A state people must read shows its words whole, clear of the zoom and the panels.
    page.evaluate("""() => { const pill = document.getElementById('status');
        pill.dataset.status = 'reconnecting'; pill.querySelector('.status-text').textContent = 'Reconnecting…'; }""")
    chrome = page.evaluate(CHROME)
    status, zoom, totals = chrome["status"], chrome["zoom"], chrome["totals"]
    assert chrome["words"][0] <= chrome["words"][1] and chrome["words"][1] > 50, chrome
    assert status["right"] <= zoom["left"] or status["bottom"] <= zoom["top"], chrome
    assert status["bottom"] <= totals["top"] or status["top"] >= totals["bottom"], chrome
    assert 0 <= status["left"] and status["right"] <= size[0], chrome


# Each of the selection bar's buttons that shows, and what is on top at its centre.
BAR_BUTTONS = """
() => [...document.querySelectorAll('.context-bar button')].filter((b) => b.offsetParent !== null)
  .map((b) => { const r = b.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { name: b.getAttribute('aria-label'), clear: b.contains(top), left: r.left, right: r.right }; })
"""


@pytest.mark.parametrize("size", [(1024, 768), (800, 600), (640, 720), (390, 844)])
def test_the_selections_tools_are_never_under_a_panel(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_page(live_server, open_page, size)
    for name in ("Build", "Code review"):  # the later, the nearer the side panel
        select_step(page, name)
        wait_view_settled(page)
        page.wait_for_function("() => !document.querySelector('.context-bar').hidden")
        buttons = page.evaluate(BAR_BUTTONS)
        assert buttons and all(b["clear"] for b in buttons), (
            name,
            [b for b in buttons if not b["clear"]],
        )


def bottom_edge_shade(page: Page, selector: str) -> float:
    """How much darker than white the panel is drawn at its bottom edge (0: not at all), in a
    patch of its inner padding on the left, where no text goes and no scroll bar is."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    clip = {"x": box["x"] + 6, "y": box["y"] + box["height"] - 7, "width": 4, "height": 4}
    picture = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L")
    darkest, _ = picture.getextrema()
    return 255 - float(darkest)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(800, 768), (900, 700)])
def test_the_selections_tools_keep_off_the_side_panel_being_typed_in(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # With the Flow panel at the left and the step's panel at the right, the room between
    # them is narrower than the bar: it was centred on the step, over the panel's fields.
    page = demo_page(live_server, open_page, size)
    for name in ("Build", "Design"):
        select_step(page, name)
        wait_view_settled(page)
        page.wait_for_function("() => !document.querySelector('.context-bar').hidden")
        page.screenshot(path=f"e2e/artifacts/context-bar-{size[0]}-{name.split()[0]}.png")
        bar = page.locator(".context-bar").bounding_box()
        panel = page.locator("#inspector").bounding_box()
        assert bar and panel and bar["x"] + bar["width"] <= panel["x"], (name, bar, panel)


@pytest.mark.parametrize(("panel", "size"), [("#inspector", (800, 600)), ("#totals", (800, 420))])
def test_a_panel_that_scrolls_shows_there_is_more_below(
    live_server: Server, open_page: Callable[..., Page], panel: str, size: tuple[int, int]
) -> None:
    # At 800x600 the panels' last lines were cut at their bottom edge, through a line of text,
    # with nothing to say that they scroll.
    page = demo_page(live_server, open_page, size)
    if panel == "#totals":  # a short screen opens it folded to its headlines
        page.locator('#totals [data-action="toggle-totals"]').click()
    select_step(page, "Build")
    wait_view_settled(page)
    more = "(p) => p.scrollHeight > p.clientHeight + 20"
    page.wait_for_function(f"() => ({more})(document.querySelector({panel!r}))")
    assert bottom_edge_shade(page, panel) >= 12, "a shadow along the bottom: more below"
    page.locator(panel).evaluate("(p) => { p.scrollTop = p.scrollHeight; }")
    page.wait_for_timeout(100)
    assert bottom_edge_shade(page, panel) <= 3, "at the end: no shadow"


# The session bar's box and its items' words, and every box it must keep off.
SESSION = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const shown = (el) => el && !el.hidden && el.getBoundingClientRect().width > 0;
  const others = [...document.querySelectorAll('.topbar > *'), ...['totals', 'inspector', 'map-panel']
    .map((id) => document.getElementById(id))].filter(shown);
  const bar = document.getElementById('session-bar');
  return { bar: box(bar), others: others.map((el) => ({ id: el.id || el.className, ...box(el) })),
           cut: [...bar.querySelectorAll('.session-item')].filter((i) => i.scrollWidth > i.clientWidth + 1).length };
}
"""


def apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768), (800, 600), (390, 844)])
def test_the_countdown_keeps_off_the_panels_and_the_top_bar_and_shows_its_label_whole(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # At 800x600 the timer sat on the Flow panel over the lead time, on a phone over the
    # people and the tool bar; a long label was cut off mid-word.
    board, page = open_demo(live_server, open_page, size)
    label = "Add the wait times for your own steps on the map, please, then vote for one"
    apply_ops(live_server, board, {"op": "board", "set": {"timer_seconds": 600, "timer_label": label}})
    expect(page.locator("#session-bar")).to_contain_text(label)
    for step in ((), ("Build",)):
        for name in step:
            select_step(page, name)
        page.wait_for_timeout(100)  # the panel's ResizeObserver, then the bar's placing
        layout = page.evaluate(SESSION)
        bar = layout["bar"]
        assert layout["cut"] == 0, layout
        assert 0 <= bar["left"] and bar["right"] <= size[0], layout
        for other in layout["others"]:
            assert apart(bar, other), (other, bar)


# For each selector: the width its words take, and the width of its box (fractions of pixels).
WORDS_AND_BOX = """(selectors) => selectors.map((selector) => {
  const el = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(el);
  const style = getComputedStyle(el);
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return [range.getBoundingClientRect().width, el.getBoundingClientRect().width - padding];
})"""


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (800, 600)])
def test_the_boards_name_keeps_its_room_when_the_map_changed_since_it_was_published(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # "Published · changed since" took the name's room: "Featur…" even at 1366 px. The
    # badge now gives up its "changed since" first, down to its state's word.
    board, page = open_demo(live_server, open_page, size, published=True)
    seed(live_server, board, {"id": "later", "kind": "note", "x": 40, "y": 40, "text": "Later"})
    badge = page.locator("#state-badge")
    expect(badge).to_have_text("Published · changed since", timeout=10_000)
    page.wait_for_timeout(100)  # the tool bar's refit
    room = page.evaluate(WORDS_AND_BOX, ["#board-title", "#state-badge .state-label"])
    for words, box in room:
        # To the fraction of a pixel: 0.05 px short shows "Feature delive…".
        assert box > 0 and words <= box + 0.01, f"cut: {room}"
    assert "changed since it was published" in (badge.get_attribute("title") or "")


FLOATING = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { id: el.id || el.className, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const vote = document.getElementById('vote-panel');
  const others = [...document.querySelectorAll('.zoom-controls, .status-pill, #inspector')]
    .filter((el) => !el.hidden && el.getBoundingClientRect().width);
  const on = (r) => { const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    return document.elementFromPoint(x, y)?.closest('#vote-panel') !== null; };
  return { vote: box(vote), others: others.map(box), readable: [...vote.querySelectorAll('li, p')]
    .map((el) => el.getBoundingClientRect()).filter((r) => r.width).every(on) };
}
"""


@pytest.mark.parametrize("size", [(1024, 768), (800, 768), (683, 768), (390, 844)])
def test_the_dot_vote_and_its_results_keep_clear_of_the_zoom_and_status_controls(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # On half a laptop screen and a phone, the vote's progress and results rows were under
    # the zoom controls and the status dot; beside an open side panel, over its fields.
    board, page = open_demo(live_server, open_page, size)
    if size[0] > 720:
        select_step(page, "Build")  # the side panel open at the right
    steps = page.evaluate("() => window.flowmap.elements().filter((e) => e.kind === 'step').map((e) => e.id)")
    apply_ops(live_server, board, {"op": "create", "element": {"id": "v1", "kind": "vote", "text": "Which problem should we attack first?", "dots": 3}})
    expect(page.locator("#vote-panel")).to_be_visible()
    for state in ("open", "results"):
        layout = page.evaluate(FLOATING)
        for other in layout["others"]:
            assert apart(layout["vote"], other), (state, other, layout["vote"])
        assert layout["readable"], (state, layout)
        if state == "open":
            apply_ops(live_server, board, *[
                {"op": "create", "element": {"id": f"d{i}", "kind": "dot", "vote": "v1", "target": steps[i]}}
                for i in range(3)
            ], {"op": "update", "id": "v1", "set": {"open": False}})  # fmt: skip
            expect(page.locator("#vote-panel li")).to_have_count(3)
    page.screenshot(path=f"e2e/artifacts/vote-results-{size[0]}.png")


def test_on_a_phone_a_tap_on_the_countdown_reaches_the_map_under_it(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # The timer's card, a long label wrapped over the map, took the taps meant for a step.
    board, page = open_demo(live_server, open_page, (390, 844))
    label = "Add the wait times for your own steps, please — take the median if you disagree"
    apply_ops(live_server, board, {"op": "board", "set": {"timer_seconds": 600, "timer_label": label}})
    item = page.locator("#session-bar .session-item").first
    expect(item).to_contain_text(label)
    box = item.bounding_box()
    assert box is not None
    under = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('svg.canvas') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert under, "a tap on the countdown goes to the map"


# Scrolled to its end, where the panel's words and controls end, and where the vote's card begins.
PANEL_END = """
(id) => {
  const panel = document.getElementById(id);
  panel.scrollTop = panel.scrollHeight;
  const bottoms = [...panel.querySelectorAll('*')]
    .map((el) => el.getBoundingClientRect()).filter((r) => r.width && r.height).map((r) => r.bottom);
  return { end: Math.max(...bottoms), card: document.getElementById('vote-panel').getBoundingClientRect().top };
}
"""


@pytest.mark.parametrize("size", [(640, 720), (390, 844)])
@pytest.mark.parametrize("panel", ["inspector", "totals"])
def test_a_panel_at_the_bottom_scrolls_its_end_clear_of_the_dot_vote(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int], panel: str
) -> None:
    # Under 720 px the vote's card stands over the panels at the bottom: a step's comment box
    # and its Comment button, or the Flow panel's list of steps that need data, stayed under
    # the card however far the panel was scrolled, until the results were removed.
    board, page = open_demo(live_server, open_page, size)
    if panel == "inspector":
        select_step(page, "Build")
    apply_ops(live_server, board, {"op": "create", "element": {"id": "v1", "kind": "vote", "text": "Which problem should we attack first?", "dots": 3}})
    expect(page.locator("#vote-panel")).to_be_visible()
    page.wait_for_timeout(100)  # the card's ResizeObserver
    end = page.evaluate(PANEL_END, panel)
    assert end["end"] <= end["card"], end
    apply_ops(live_server, board, {"op": "update", "id": "v1", "set": {"open": False}})
    expect(page.locator("#vote-panel")).to_contain_text("No dots were placed")
    page.wait_for_timeout(100)
    end = page.evaluate(PANEL_END, panel)
    assert end["end"] <= end["card"], end


# The page's controls that show, each with its box, and every pair of them that overlaps.
CONTROLS = """
() => {
  const picks = ['.topbar > *', '#toolbar', '.presence', '.zoom-controls', '#status', '#totals', '#inspector',
    '#map-panel', '#session-bar > *'];
  const shown = [];
  for (const sel of picks) for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height && !el.closest('[hidden]') && !shown.some((s) => s.el === el)) shown.push({ sel, el, r });
  }
  const overlaps = [];
  for (const [i, a] of shown.entries()) for (const b of shown.slice(i + 1)) {
    if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 0 && h > 0) overlaps.push(`${a.sel} over ${b.sel} by ${w.toFixed(1)} x ${h.toFixed(1)}`);
  }
  const outside = shown.filter((s) => s.r.left < 0 || s.r.top < 0 || s.r.right > innerWidth || s.r.bottom > innerHeight)
    .map((s) => s.sel);
  const banner = document.querySelector('[data-session-item="following"] span')?.getBoundingClientRect();
  return { overlaps, outside, bannerLines: banner ? Math.round(banner.height / 16) : 0 };
}
"""


@pytest.mark.parametrize("width", [320, 360, 390, 414, 768, 1024, 1280, 1440])
def test_following_the_presenter_the_banner_and_every_control_keep_clear_of_each_other(
    live_server: Server, open_page: Callable[..., Page], width: int
) -> None:
    board, fay = open_demo(live_server, open_page, (1280, 800))
    ada = open_page(board["links"]["participant"], name="Ada",
                    viewport={"width": width, "height": 844 if width < 720 else 800})  # fmt: skip
    expect(ada.locator("#status")).to_have_attribute("data-status", "connected")
    fay.locator('[data-action="present"]').click()
    expect(ada.locator('[data-session-item="following"]')).to_contain_text("Following")
    wait_view_settled(ada)
    found = ada.evaluate(CONTROLS)
    if width == 390:
        ada.screenshot(path="e2e/artifacts/following-390.png")
    assert not found["overlaps"] and not found["outside"], found
    # "Following Tester" and its way out fit a line: the banner is not squeezed into half the screen.
    assert found["bannerLines"] == 1, found


# The map's steps on screen (their span across and their lowest bottom), the Flow panel's box,
# and what of each figure is on the page where a person can see it.
ROOM = """
() => {
  const steps = [...document.querySelectorAll('.layer-elements > g.el-step .body')].map((b) => b.getBoundingClientRect());
  const panel = document.getElementById('totals').getBoundingClientRect();
  const seen = (el) => el && el.getBoundingClientRect().height > 0 && !el.closest('[hidden]');
  return { left: Math.min(...steps.map((r) => r.left)), right: Math.max(...steps.map((r) => r.right)),
           top: Math.min(...steps.map((r) => r.top)), bottom: Math.max(...steps.map((r) => r.bottom)),
           panelTop: panel.top, panelBottom: panel.bottom, panelHeight: panel.height,
           summary: document.querySelector('#totals .totals-toggle').innerText,
           figures: ['lead_time', 'process_time', 'activity_ratio', 'rolled_pca', 'work_content', 'constraint']
             .filter((key) => seen(document.querySelector(`#totals [data-metric="${key}"]`))) };
}
"""
FIGURES = ["lead_time", "process_time", "activity_ratio", "rolled_pca", "work_content", "constraint"]


@pytest.mark.parametrize("size", [(683, 768), (720, 800), (390, 844), (320, 640), (1024, 600)])
def test_on_little_room_the_flow_panel_folds_to_its_headlines_and_the_map_takes_the_room(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # On half a laptop screen the open Flow panel took 40 % of the height and the demo map
    # opened at 10-26 %; at exactly 720 px it was fitted beside the panel, off the screen.
    page = demo_page(live_server, open_page, size)
    wait_view_settled(page)
    room = page.evaluate(ROOM)
    page.screenshot(path=f"e2e/artifacts/little-room-{size[0]}x{size[1]}.png")
    # A line or two (three on the narrowest phone): an eighth of the height at most.
    assert room["panelHeight"] <= max(64, 0.13 * size[1]), room
    for words in ("Lead time 24.9d", "Process 5.9d", "Activity 23.6%", "Staging test"):
        assert words in " ".join(room["summary"].split()), room["summary"]
    assert room["bottom"] <= room["panelTop"] or room["top"] >= room["panelBottom"], room
    # The map fills the width it is given (its height leaves room to spare on a wide map).
    assert room["right"] - room["left"] >= 0.6 * size[0], room
    # Every figure is one tap away.
    page.locator('#totals [data-action="toggle-totals"]').click()
    assert page.evaluate(ROOM)["figures"] == FIGURES


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)])
def test_with_room_to_spare_the_flow_panel_opens_with_every_figure(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_page(live_server, open_page, size)
    expect(page.locator('#totals [data-metric="rolled_pca"]')).to_be_visible()
    assert page.evaluate(ROOM)["figures"] == FIGURES


@pytest.mark.parametrize("size", [(320, 600), (360, 640), (390, 844), (414, 896), (683, 768), (720, 800),
                                  (768, 900), (800, 600), (1024, 600), (1024, 768), (1366, 768), (1440, 900)])  # fmt: skip
def test_the_facilitators_controls_keep_clear_of_each_other_at_every_size(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    page = demo_page(live_server, open_page, size)
    wait_view_settled(page)
    for state in ("first", "opened"):
        found = page.evaluate(CONTROLS)
        assert not found["overlaps"] and not found["outside"], (state, found)
        page.locator('#totals [data-action="toggle-totals"]').click()


# The far-out hint's box, and each control it covers.
HINT_OVER = """
() => {
  const toast = [...document.querySelectorAll('.toast')].find((t) => t.textContent.includes('too small to read'));
  if (!toast) return null;
  const t = toast.getBoundingClientRect();
  const picks = ['.topbar > *', '#toolbar', '.zoom-controls', '#status', '#totals', '#inspector', '#map-panel',
    '#session-bar > *'];
  const covered = [];
  for (const sel of picks) for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('[hidden]')) continue;
    const w = Math.min(t.right, r.right) - Math.max(t.left, r.left);
    const h = Math.min(t.bottom, r.bottom) - Math.max(t.top, r.top);
    if (w > 0 && h > 0) covered.push(`${sel} by ${w.toFixed(1)} x ${h.toFixed(1)}`);
  }
  return { covered, inside: t.left >= 0 && t.top >= 0 && t.right <= innerWidth && t.bottom <= innerHeight };
}
"""


@pytest.mark.parametrize("size", [(320, 640), (390, 844), (414, 896), (683, 768), (800, 600), (1024, 768),
                                  (1280, 800), (1440, 900)])  # fmt: skip
def test_the_far_out_hint_covers_no_control_and_goes_once_presentation_view_is_on(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # At 390x844 the hint lay over the folded Flow strip and the zoom, and stayed up in the
    # presentation view it had just pointed to; at 1024 px it sat on the zoom.
    board = live_server.create_board("Long line")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"Step {i + 1}", "x": 312 * i, "y": 100}}
        for i in range(30)
    ])  # fmt: skip
    page = open_page(board_url(board, "facilitator"), viewport={"width": size[0], "height": size[1]})
    wait_connected(page)
    wait_view_settled(page)
    page.locator('[data-action="zoom-fit"]').click()
    page.wait_for_function("() => window.flowmap.zoom < 0.2")
    wait_view_settled(page)
    found = page.evaluate(HINT_OVER)
    assert found is not None, "the map fits too far out to read here: the hint shows"
    assert not found["covered"] and found["inside"], found
    page.keyboard.press("p")
    expect(page.locator(".toast", has_text="too small to read")).to_have_count(0, timeout=1000)
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    expect(page.locator(".toast", has_text="too small to read")).to_have_count(0)


# Whether the far-out hint is up, inside the screen and over no control (HINT_OVER).
HINT_CLEAR = f"() => {{ const found = ({HINT_OVER.strip()})(); return found && !found.covered.length && found.inside; }}"


@pytest.mark.parametrize("size", [(390, 844), (683, 768), (1280, 720)])
def test_a_shown_toast_keeps_clear_of_the_controls_as_panels_open_fold_and_the_window_turns(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # The hint was placed clear of the controls when it showed, and stayed there: the Flow
    # panel opened over it on a phone, a step's panel opened beside or under it, a phone
    # turned sideways left it over the zoom.
    board = live_server.create_board("Long line")
    live_server.post_ops(board, [
        {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": f"Step {i + 1}", "x": 312 * i, "y": 100}}
        for i in range(30)
    ])  # fmt: skip
    page = open_page(
        board_url(board, "facilitator"), viewport={"width": size[0], "height": size[1]}
    )
    wait_connected(page)
    wait_view_settled(page)
    page.locator('[data-action="zoom-fit"]').click()
    page.wait_for_function(HINT_CLEAR, timeout=2000)
    # Opened on a phone, folded on a laptop.
    page.locator('#totals [data-action="toggle-totals"]').click()
    page.wait_for_function(HINT_CLEAR, timeout=2000)
    page.get_by_label("Step: Step 2", exact=True).click()  # its panel opens
    expect(page.locator("#inspector")).to_be_visible()
    page.wait_for_function(HINT_CLEAR, timeout=2000)
    page.set_viewport_size({"width": size[1], "height": size[0]})  # turned sideways
    page.wait_for_function(HINT_CLEAR, timeout=2000)


# The steps' span on screen, and the part of the screen the Flow panel leaves free around it.
FLOW_ROOM = """
() => {
  const steps = [...document.querySelectorAll('.layer-elements > g.el-step .body')].map((b) => b.getBoundingClientRect());
  const panel = document.getElementById('totals').getBoundingClientRect();
  return { left: Math.min(...steps.map((r) => r.left)), right: Math.max(...steps.map((r) => r.right)),
           top: Math.min(...steps.map((r) => r.top)), bottom: Math.max(...steps.map((r) => r.bottom)),
           panel: { left: panel.left, right: panel.right, top: panel.top, bottom: panel.bottom },
           zoom: window.flowmap.zoom };
}
"""


def clear_of(room: dict, width: int) -> bool:
    """The steps keep off the Flow panel, whichever side of them it is."""
    panel = room["panel"]
    return (room["bottom"] <= panel["top"] or room["top"] >= panel["bottom"]
            or room["right"] <= panel["left"] or room["left"] >= panel["right"]) and 0 <= room["left"] and room["right"] <= width  # fmt: skip


@pytest.mark.parametrize("size", [(390, 844), (320, 640), (1024, 600)])
def test_opening_or_folding_the_flow_panel_refits_a_map_nobody_moved(
    live_server: Server, open_page: Callable[..., Page], size: tuple[int, int]
) -> None:
    # Opened, the panel covered the map fitted above its strip; folded again, it left a gap.
    page = demo_page(live_server, open_page, size)
    wait_view_settled(page)
    toggle = page.locator('#totals [data-action="toggle-totals"]')
    fit = page.locator('[data-action="zoom-fit"]')
    folded = page.evaluate(FLOW_ROOM)
    for _ in ("open", "fold"):
        toggle.click()
        wait_view_settled(page)
        now = page.evaluate(FLOW_ROOM)
        assert clear_of(now, size[0]), now
        fit.click()  # what Zoom to fit makes of the room left
        wait_view_settled(page)
        fitted = page.evaluate(FLOW_ROOM)
        assert (now["zoom"], now["left"], now["top"]) == pytest.approx((fitted["zoom"], fitted["left"], fitted["top"]), abs=1), (now, fitted)
    assert page.evaluate(FLOW_ROOM)["zoom"] == pytest.approx(folded["zoom"])
    # Once the person has moved the view, it is theirs.
    page.locator('[data-action="zoom-in"]').click()
    wait_view_settled(page)
    moved = page.evaluate(FLOW_ROOM)
    toggle.click()
    wait_view_settled(page)
    kept = page.evaluate(FLOW_ROOM)
    assert (kept["zoom"], kept["left"], kept["top"]) == pytest.approx((moved["zoom"], moved["left"], moved["top"])), (moved, kept)


def test_a_phone_turned_sideways_refits_a_map_nobody_moved(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    # Turned from 390x844 to 844x390, the map stayed at the upright fit: small in the middle,
    # or cut off at the sides. A view still as the fit left it is fitted to the new screen.
    page = demo_page(live_server, open_page, (390, 844))
    wait_view_settled(page)
    upright = page.evaluate(FLOW_ROOM)
    page.set_viewport_size({"width": 844, "height": 390})
    page.wait_for_timeout(300)
    wait_view_settled(page)
    turned = page.evaluate(FLOW_ROOM)
    assert turned["zoom"] != pytest.approx(upright["zoom"]), (upright, turned)
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    fitted = page.evaluate(FLOW_ROOM)
    assert (turned["zoom"], turned["left"], turned["top"]) == pytest.approx(
        (fitted["zoom"], fitted["left"], fitted["top"]), abs=1), (turned, fitted)  # fmt: skip
    # A view the person zoomed stays theirs when the screen turns back.
    page.locator('[data-action="zoom-in"]').click()
    wait_view_settled(page)
    moved = page.evaluate("() => window.flowmap.zoom")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    wait_view_settled(page)
    assert page.evaluate("() => window.flowmap.zoom") == pytest.approx(moved)
