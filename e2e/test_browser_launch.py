"""The Chromium the tests and the browser benchmark drive runs our pages and little else.

Headless Chromium 156 is the whole browser: every new window (each test's context)
also loaded the address bar's popup pages (chrome://omnibox-popup.top-chrome/ and its
AI-mode page) in a renderer of their own, ~300 ms of CPU on a two-core machine, in the
middle of the page load being timed or tested (e2e/utils/browser.py QUIET_FEATURES).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser

from e2e.utils.browser import (
    DISABLE_FEATURES,
    QUIET_FEATURES,
    command_line,
    disabled_features,
    system_chromium,
)

pytestmark = pytest.mark.skipif(
    system_chromium() is None, reason="Playwright's own headless shell has no windows"
)


def test_a_new_window_opens_no_browser_pages_of_its_own(browser: Browser) -> None:
    cdp = browser.new_browser_cdp_session()
    context = browser.new_context()
    try:
        context.new_page().goto("about:blank")
        deadline = time.monotonic() + 1.5  # the popups loaded just after the window opened
        while time.monotonic() < deadline:
            targets = cdp.send("Target.getTargets")["targetInfos"]
            browsers_own = [
                t["url"] for t in targets if t["type"] != "page" or t["url"].startswith("chrome:")
            ]
            assert browsers_own == []
            time.sleep(0.1)
    finally:
        context.close()
        cdp.detach()


def test_the_features_playwright_turns_off_stay_off(browser: Browser) -> None:
    # Chromium obeys the last --disable-features only: ours must carry Playwright's too.
    lists = [arg.removeprefix(DISABLE_FEATURES).split(",") for arg in command_line(browser)
             if arg.startswith(DISABLE_FEATURES)]  # fmt: skip
    assert len(lists) == 2  # Playwright's, then ours
    obeyed = disabled_features(browser)
    assert obeyed == lists[-1]
    assert set(lists[0]) <= set(obeyed)
    assert {"PaintHolding", *QUIET_FEATURES} <= set(obeyed)
