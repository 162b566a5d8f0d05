"""A peer's drag is drawn in the SVG over the map while it lasts (the map itself untouched), then back in it where it landed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from e2e.utils.board import board_url, element_box, step_at, wait_connected, wait_view_settled
from e2e.utils.seed import seed
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"
# Whether step b is drawn in the SVG over the map.
B_UP = "() => document.querySelector('[data-id=\"b\"]').ownerSVGElement.classList.contains('canvas-live')"

# Which layer a node is in, and its place among its layer's nodes.
WHERE = """(id) => {
  const g = document.querySelector(`[data-id="${id}"]`);
  const svg = g.ownerSVGElement;
  return {live: svg.classList.contains('canvas-live'), index: [...g.parentNode.children].indexOf(g)};
}"""


def ada_and_bob(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page], *names: str
) -> tuple[Page, Page]:
    """Steps in a row, each joined to the next by an arrow (ids a, b, c... and "ab" for the
    arrow from a to b), and two pages on them."""
    ids = [chr(ord("a") + n) for n in range(len(names))]
    steps = [
        {"id": i, "kind": "step", "x": 400 * n, "y": 0, "text": name}
        for n, (i, name) in enumerate(zip(ids, names, strict=True))
    ]
    arrows = [
        {"id": a + b, "kind": "connector", "source": a, "target": b}
        for a, b in zip(ids, ids[1:], strict=False)
    ]
    seed(live_server, board, *steps, *arrows)
    ada = open_page(board_url(board, "facilitator"), name="Ada")
    bob = open_page(board_url(board, "participant"), name="Bob")
    for page in (ada, bob):
        wait_connected(page)
        wait_view_settled(page)
    return ada, bob


def bob_sees_beta_land(ada: Page, bob: Page) -> dict[str, Any]:
    """Where Ada dropped Beta, once Bob has it there, back in the map."""
    landed = step_at(ada, "Beta")
    bob.wait_for_function(
        "([x, y]) => window.flowmap.elements().some(e => e.text === 'Beta' && e.x === x && e.y === y)",
        arg=[landed["x"], landed["y"]],
    )
    bob.wait_for_function(f"() => !({B_UP})()")
    return landed


def test_a_step_a_peer_drags_moves_over_the_map_and_lands_back_in_it(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    ada, bob = ada_and_bob(live_server, board, open_page, "Alpha", "Beta", "Gamma")
    before = {i: bob.evaluate(WHERE, i) for i in ("a", "b", "c", "ab", "bc")}
    assert not any(w["live"] for w in before.values())
    # Every change to the map's own SVG from here on (a change there repaints the whole map).
    bob.evaluate("""() => { window.mapChanges = [];
      new MutationObserver((ms) => window.mapChanges.push(...ms.map((m) => m.target.getAttribute?.('class') ?? '#text')))
        .observe(document.querySelector('svg.canvas'), {subtree: true, attributes: true, childList: true, characterData: true}); }""")

    box = element_box(ada, "Step: Beta")
    ada.mouse.move(box["x"] + 20, box["y"] + 20)
    ada.mouse.down()
    for i in range(1, 11):
        ada.mouse.move(box["x"] + 20 + 6 * i, box["y"] + 20 + 10 * i)
        ada.wait_for_timeout(40)
    bob.wait_for_function(B_UP)
    bob.evaluate("() => { window.mapChanges = []; }")  # it went up: the map changed once
    for i in range(11, 21):
        ada.mouse.move(box["x"] + 20 + 6 * i, box["y"] + 20 + 10 * i)
        ada.wait_for_timeout(40)

    # Ten frames of the drag: the map untouched.
    assert bob.evaluate("() => window.mapChanges") == []
    during = {i: bob.evaluate(WHERE, i) for i in ("a", "b", "c", "ab", "bc")}
    assert [i for i, w in during.items() if w["live"]] == ["b", "ab", "bc"]
    ARTIFACTS.mkdir(exist_ok=True)
    bob.screenshot(path=ARTIFACTS / "remote-drag-layer.png")
    ada.mouse.up()

    landed = bob_sees_beta_land(ada, bob)
    assert {i: bob.evaluate(WHERE, i) for i in before} == before
    assert step_at(bob, "Beta") == landed


# Counts reads of the page's layout made while an animation frame's callbacks run: one there,
# after the frame's drawing changed the map, makes the browser lay out the whole page at once
# (and again at the frame's end).
COUNT_LAYOUT_READS = """() => {
  window.layoutReads = []; window.framesRun = 0;
  let inFrame = false;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (fn) => raf((t) => {
    inFrame = true; window.framesRun += 1;
    try { fn(t); } finally { inFrame = false; }
  });
  const spy = (proto, name) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    const wrap = (f) => function (...args) {
      if (inFrame) window.layoutReads.push(`${name} ${new Error().stack.split('\\n')[2]?.trim()}`);
      return f.apply(this, args);
    };
    if (typeof d.value === 'function') Object.defineProperty(proto, name, {...d, value: wrap(d.value)});
    else Object.defineProperty(proto, name, {...d, get: wrap(d.get)});
  };
  spy(Element.prototype, 'getBoundingClientRect');
  spy(Element.prototype, 'getClientRects');
  for (const n of ['offsetWidth', 'offsetHeight', 'offsetTop', 'offsetLeft']) spy(HTMLElement.prototype, n);
  for (const n of ['clientWidth', 'clientHeight']) spy(Element.prototype, n);
}"""


def test_a_page_watching_a_peer_drag_reads_no_layout_while_it_draws(
    live_server: Server, board: dict[str, Any], open_page: Callable[..., Page]
) -> None:
    """Issue 20's idle page: while others move, each frame only draws; what it tells the
    peers of its own view (which needs the panels' places) is read once the frame is drawn."""
    ada, bob = ada_and_bob(live_server, board, open_page, "Alpha", "Beta")
    bob.evaluate(COUNT_LAYOUT_READS)

    box = element_box(ada, "Step: Beta")
    ada.mouse.move(box["x"] + 20, box["y"] + 20)
    ada.mouse.down()
    for i in range(1, 16):
        ada.mouse.move(box["x"] + 20 + 6 * i, box["y"] + 20 + 8 * i)
        ada.wait_for_timeout(40)
    bob.wait_for_function(B_UP)
    ada.mouse.up()
    bob_sees_beta_land(ada, bob)

    assert bob.evaluate("() => window.framesRun") >= 5
    assert bob.evaluate("() => window.layoutReads") == []
