"""The board page shows hostile text as text: no element, attribute or script is built from it.

Every payload of the XSS corpus (tests/support/xss.py) goes on the board as a
step, a note and an arrow label, as the board's title and as a participant's
display name. In a real Chromium the page then renders all of it, and:

- the DOM holds no element the page did not build itself (no script, img,
  iframe, object, embed, style, foreignObject-escape...), no `on*` attribute
  anywhere, and no `javascript:` URL;
- no payload ran (`window.__xss` unset), no dialog opened, the
  Content-Security-Policy reported no blocked inline script or handler, and
  the page fetched nothing from anywhere but its own server;
- each text shows literally: the labels' text is exactly the payload, the
  heading and the tab's title are the board's title, the presence chip names
  the person as they typed their name.

The page is compared with itself on a board of plain text: the same elements,
the same attribute names. Anything more was built from the payloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from playwright.sync_api import Dialog, Page

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server
from tests.support.xss import XSS_CORPUS

# Collects what the page would rather not tell us: CSP violations (a blocked inline
# script or handler means one was built) and any payload that ran.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + (e.sample || '')));
"""
WHOLE_MAP = {"width": 1920, "height": 1600}
# The page's shape (how many of each element, which attributes) and what it shows.
SCAN = """() => {
  const all = [...document.querySelectorAll('*')];
  const tags = {};
  // A label cut short carries its whole text as a tooltip (an SVG <title>, set as text):
  // long payloads are cut where plain words are not, so those are checked on their own.
  const tips = all.filter((el) => el.tagName === 'title' && el.closest('svg'));
  for (const el of all) if (!tips.includes(el)) tags[el.tagName] = (tags[el.tagName] || 0) + 1;
  const attributes = [...new Set(all.flatMap((el) => [...el.attributes].map((a) => a.name)))].sort();
  const urls = all.flatMap((el) => [...el.attributes]
    .filter((a) => /^\\s*(javascript|vbscript):/i.test(a.value)
                   || (/^\\s*data:/i.test(a.value) && !el.matches('link[rel=icon]')))
    .map((a) => `${el.tagName} ${a.name}=${a.value.slice(0, 40)}`));
  return {
    tags, attributes, urls,
    tips: tips.map((t) => ({text: t.textContent, children: t.childElementCount})),
    ran: window.__xss ?? null,
    csp: window.__csp,
    labels: [...document.querySelectorAll('.label-text')].map((s) => s.textContent),
    arrows: [...document.querySelectorAll('.connector-label')].map((t) => t.textContent),
    heading: document.querySelector('#board-title').textContent,
    title: document.title,
    people: [...document.querySelectorAll('#presence [aria-label]')].map((e) => e.getAttribute('aria-label')),
  };
}"""


def _board(server: Server, title: str, texts: list[str]) -> dict[str, Any]:
    """A board with a step, a note and an arrow per text, laid out in a grid."""
    board = server.create_board(title)
    ops: list[dict[str, Any]] = []
    for i, payload in enumerate(texts):
        x = 240 * (i % 5)
        y = 420 * (i // 5)
        ops += [
            {"op": "create", "element": {"id": f"s{i}", "kind": "step", "text": payload, "x": x, "y": y}},
            {"op": "create", "element": {"id": f"n{i}", "kind": "note", "text": payload, "x": x, "y": y + 200}},
            {"op": "create", "element": {"id": f"c{i}", "kind": "connector", "source": f"s{i}",
                                         "target": f"n{i}", "text": payload}},
        ]  # fmt: skip
    answer = httpx.post(f"{server.url}/api/boards/{board['id']}/ops",
                        params={"token": board["tokens"]["facilitator"]}, json={"ops": ops}, timeout=30)  # fmt: skip
    answer.raise_for_status()
    assert all(r["error"] is None for r in answer.json()["results"])
    return board


@dataclass
class Rendered:
    """What a board page held once it drew everything, and what it did on the way."""

    found: dict[str, Any]
    dialogs: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)


def _render(open_page: Callable[..., Page], board: dict[str, Any], name: str, count: int) -> Rendered:
    """Open the board as a participant called `name` and scan it once it drew everything."""
    # The whole map fits at a zoom its words are drawn at (far out they are not built, render.js
    # TEXTLESS_BELOW): the long payloads grow their notes past what 1280x800 shows at 20 %.
    page = open_page(board_url(board, "participant"), name=name, viewport=WHOLE_MAP)
    seen = Rendered(found={})
    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen.fetched.append(request.url))
    page.on("websocket", lambda ws: seen.fetched.append(ws.url))
    page.add_init_script(WATCH)
    page.reload()  # now with the watcher in place before any of the page's scripts
    wait_connected(page)
    page.wait_for_function("(n) => window.flowmap.elements().length === n", arg=3 * count)
    page.wait_for_function("(n) => document.querySelectorAll('.label-text').length >= n", arg=2 * count)
    seen.found = page.evaluate(SCAN)
    return seen


def test_hostile_text_renders_as_text_and_builds_nothing(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    count = len(XSS_CORPUS)
    plain = [f"plain text {i}" for i in range(count)]
    baseline = _render(open_page, _board(live_server, "Plain board", plain), "Plain name", count).found
    title, name = XSS_CORPUS[0], XSS_CORPUS[1][:60]
    hostile = _render(open_page, _board(live_server, title, XSS_CORPUS), name, count)
    found = hostile.found

    assert found["tags"] == baseline["tags"], "elements built from text (or missing)"
    # Tooltips of labels cut short: each a payload whole, as text, with nothing built in it.
    assert found["tips"] and all(t["children"] == 0 for t in found["tips"]), found["tips"]
    assert {t["text"] for t in found["tips"]} <= {*XSS_CORPUS, ""}, found["tips"]
    assert found["attributes"] == baseline["attributes"], "attributes built from text"
    assert found["urls"] == [], f"script URLs built from text: {found['urls']}"
    assert found["ran"] is None and hostile.dialogs == [] and found["csp"] == [], found
    ours = (live_server.url, live_server.url.replace("http:", "ws:"), "data:", "blob:")
    assert hostile.fetched and all(url.startswith(ours) for url in hostile.fetched), hostile.fetched
    for payload in XSS_CORPUS:
        assert found["labels"].count(payload) == 2, f"not shown literally: {payload!r}"
        assert payload in found["arrows"]
    assert found["heading"] == title and found["title"].startswith(title)
    assert any(label.startswith(name) for label in found["people"]), found["people"]
