"""Helpers for driving a board page: its URL, waiting for the connection, where things are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect


def board_url(board: dict[str, Any], role: str) -> str:
    return str(board["links"][role])


def wait_connected(page: Page, timeout: float = 10000) -> None:
    """The sync pill says Connected: the welcome arrived and nothing is waiting to be saved."""
    expect(page.locator("#status")).to_have_attribute("data-status", "connected", timeout=timeout)


def fay_and_bob(
    open_page: Callable[..., Page], board: dict[str, Any], viewport: dict[str, int] | None = None
) -> tuple[Page, Page]:
    """The facilitator Fay and the participant Bob on `board`, each in a page of their own,
    both connected."""
    fay = open_page(board_url(board, "facilitator"), name="Fay", viewport=viewport)
    bob = open_page(board_url(board, "participant"), name="Bob", viewport=viewport)
    wait_connected(fay)
    wait_connected(bob)
    return fay, bob


def element_box(page: Page, label: str) -> dict[str, float]:
    box = page.get_by_label(label, exact=True).bounding_box()
    assert box is not None, f"{label} is not on screen"
    return box  # type: ignore[return-value]


def select_step(page: Page, name: str) -> None:
    """Click the step named `name` and wait until the side panel is its panel.

    The panel follows the selection on the next frame: acting on it sooner
    edits the step selected before, which a test must never do by luck.
    """
    page.get_by_label(f"Step: {name}", exact=True).click()
    expect(page.locator("#inspect-text")).to_have_value(name)


def click_arrow(page: Page, label: str) -> None:
    """Click the middle of the arrow named `label` once it is drawn there.

    An arrow's box is a line (zero height when it runs straight), so Playwright
    calls it invisible and a forced click at its box's centre can land beside it:
    an arrow moves aside when another one lands between the same two steps. The
    point is the middle of its path, taken when that point is on the arrow.
    """
    point = page.wait_for_function(
        """(label) => {
            const arrow = [...document.querySelectorAll('[data-kind="connector"]')]
                .find((g) => g.getAttribute('aria-label') === label);
            const path = arrow?.querySelector('.hit');
            const m = path?.getScreenCTM();
            if (!path || !m) return null;
            const p = path.getPointAtLength(path.getTotalLength() / 2);
            const x = p.x * m.a + p.y * m.c + m.e;
            const y = p.x * m.b + p.y * m.d + m.f;
            return document.elementFromPoint(x, y)?.closest('[data-kind="connector"]') === arrow ? {x, y} : null;
        }""",
        arg=label,
    ).json_value()
    page.mouse.click(point["x"], point["y"])


def step_at(page: Page, text: str) -> dict[str, float]:
    """The stored canvas position of the step with this text, from the page's own model."""
    found: dict[str, float] = page.evaluate(
        "(t) => { const e = window.flowmap.elements().find(e => e.text === t); "
        "return {x: e.x, y: e.y}; }",
        text,
    )
    return found


def wait_view_settled(page: Page) -> None:
    """The view has stopped moving: a fit or a reveal animates for a moment."""
    page.wait_for_function(
        "() => new Promise((done) => { const a = JSON.stringify(window.flowmap.visible());"
        " setTimeout(() => done(JSON.stringify(window.flowmap.visible()) === a), 300); })"
    )


def start_future_state(facilitator: Page) -> Page:
    """Start a future-state map from Map settings; the new tab, connected."""
    facilitator.get_by_role("button", name="Map settings").click()
    with facilitator.context.expect_page() as opened:
        facilitator.get_by_role("button", name="Start a future-state map").click()
    future = opened.value
    wait_connected(future)
    return future
