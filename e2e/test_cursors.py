"""Others' pointers: they glide from message to message and end where the hand stopped.

The server sends pointers 30 times a second, and fewer (down to 8) while it is
busy; the page glides each pointer over the gap between its messages rather than
jumping, and a pointer that stops ends exactly where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.utils.board import board_url, wait_connected
from tests.support.live import Server

# Where the pointer's tip is, relative to the layer the pointers are drawn on.
POINTER_AT = """() => {
  const layer = document.querySelector('#cursors').getBoundingClientRect();
  const r = document.querySelector('.peer-cursor').getBoundingClientRect();
  return {x: r.x - layer.x, y: r.y - layer.y};
}"""
LAYER_AT = "() => { const r = document.querySelector('#cursors').getBoundingClientRect(); return [r.x, r.y]; }"


def test_a_pointer_glides_and_ends_where_the_hand_stopped(
    live_server: Server, open_page: Callable[..., Page]
) -> None:
    board = live_server.create_board("Pointers")
    host = open_page(board_url(board, "facilitator"), name="Fran")
    guest = open_page(board_url(board, "participant"), name="Gus")
    wait_connected(host)
    wait_connected(guest)
    assert host.evaluate("() => window.flowmap.visible()") == guest.evaluate(
        "() => window.flowmap.visible()"
    ), "both see the same part of the board, so a pointer is at the same place on both"
    guest.mouse.move(300, 300)
    for i in range(1, 21):  # a hand moving for a third of a second
        guest.mouse.move(300 + i * 15, 300 + i * 5)
        guest.wait_for_timeout(16)
    expect(host.locator(".peer-cursor.is-gliding")).to_be_visible()
    glide = host.evaluate(
        "() => getComputedStyle(document.querySelector('.peer-cursor')).getPropertyValue('--glide')"
    )
    assert 0 < float(glide.strip().removesuffix("ms")) <= 125, glide
    gx, gy = guest.evaluate(LAYER_AT)
    host.wait_for_function(
        f"""() => {{ const p = ({POINTER_AT})();
            return Math.abs(p.x - {600 - gx}) <= 1 && Math.abs(p.y - {400 - gy}) <= 1; }}""",
        timeout=5000,
    )
