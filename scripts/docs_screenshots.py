"""Take the screenshots in docs/ from a live Flowmap: `.venv/bin/python scripts/docs_screenshots.py`
(FLOWMAP_SHOTS_DIR=/tmp/shots writes them elsewhere, to look at without changing docs/).

Starts `flowmap serve` on a scratch SQLite database, imports the demo map, lets a
crowd of twelve join it, and photographs the pages in a real Chromium at the
window sizes facilitators use. Look at every picture before committing it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from e2e.utils.board import board_url, wait_connected, wait_view_settled  # noqa: E402
from e2e.utils.browser import launch  # noqa: E402
from e2e.utils.crowd import Crowd  # noqa: E402
from e2e.utils.demo import demo_on  # noqa: E402
from tests.support.live import Server  # noqa: E402

DOCS = Path(os.environ.get("FLOWMAP_SHOTS_DIR", ROOT / "docs"))
# What a workshop adds to the demo map by the end: a rework loop, a kaizen burst, an
# experiment card, a comment note and a comment thread (placed clear of the map).
WORKSHOP = [
    {"op": "create", "element": {"id": "rework", "kind": "connector", "connector": "rework",
                                 "source": "demo-review", "target": "demo-build", "rework_rate": 0.2}},
    {"op": "create", "element": {"id": "burst", "kind": "note", "variant": "kaizen", "x": 1016, "y": -60,
                                 "text": "Book staging per team: drop the wait by half"}},
    {"op": "create", "element": {"id": "idea", "kind": "note", "variant": "comment", "x": 80, "y": -60,
                                 "text": "Most requests arrive without acceptance criteria"}},
    {"op": "create", "element": {"id": "card", "kind": "experiment", "x": 1600, "y": -130,
                                 "text": "a staging environment per team", "metric": "lead_time",
                                 "baseline": 11940, "target": 9000, "review": "2027-03-01"}},
    {"op": "create", "element": {"id": "talk", "kind": "comment", "target": "demo-staging",
                                 "text": "Could we test in production behind a flag?"}},
]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        server = Server(f"sqlite:///{scratch}/docs.db", Path(scratch) / "server.log")
        server.start()
        try:
            board = demo_on(server)
            server.post_ops(board, WORKSHOP)
            with sync_playwright() as playwright, Crowd(server, board, 12):
                browser = launch(playwright)
                shoot(browser, server, board)
                browser.close()
        finally:
            server.stop()


def open_as(browser, url: str, width: int, height: int, name: str = "Fran Facilitator") -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.add_init_script(f"localStorage.setItem('flowmap.name', {name!r})")
    page = context.new_page()
    page.goto(url)
    wait_connected(page)
    wait_view_settled(page)
    return page


def shoot(browser, server: Server, board: dict) -> None:  # type: ignore[no-untyped-def, type-arg]
    home = open_home(browser, server)
    home.screenshot(path=str(DOCS / "home.png"))
    page = open_as(browser, board_url(board, "facilitator"), 1440, 900)
    page.locator('[data-action="zoom-reset"]').click()
    wait_view_settled(page)
    page.screenshot(path=str(DOCS / "workshop-100.png"))
    page.locator('[data-action="zoom-fit"]').click()
    wait_view_settled(page)
    page.screenshot(path=str(DOCS / "workshop-fit.png"))
    half = open_as(browser, board_url(board, "facilitator"), 1024, 768)
    half.locator("#more-tools").click()
    half.screenshot(path=str(DOCS / "half-screen.png"))
    half.keyboard.press("Escape")
    half.keyboard.press("p")
    wait_view_settled(half)
    half.screenshot(path=str(DOCS / "presentation.png"))


def open_home(browser, server: Server) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_load_state("networkidle")
    return page


if __name__ == "__main__":
    main()
