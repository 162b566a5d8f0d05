"""Launch Chromium for the end-to-end tests: the system's if there is one, else Playwright's."""

from __future__ import annotations

import os
import shutil
from typing import Any

from playwright.sync_api import Browser, Playwright

# Debian's chromium, run as root in a sandbox with no network but loopback:
# no sandbox, no GPU, and none of the background calls home that would be refused.
SYSTEM_CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def system_chromium() -> str | None:
    """The path of a Chromium on this machine (FLOWMAP_CHROMIUM overrides), or None."""
    explicit = os.environ.get("FLOWMAP_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# Features of the browser that cost the tests and the benchmark and serve nobody: since
# Chromium 156 every new window (each test's context) loads the address bar's popup pages
# (chrome://omnibox-popup.top-chrome/ and its AI-mode page) in a renderer of their own,
# ~300 ms of CPU on a two-core machine, in the middle of the page load being timed.
QUIET_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
DISABLE_FEATURES = "--disable-features="


def launch(playwright: Playwright) -> Browser:
    executable = system_chromium()
    if not executable:  # Playwright's own headless shell: no windows, no address bar
        return playwright.chromium.launch(headless=True)
    options: dict[str, Any] = {"headless": True, "executable_path": executable}
    # Chromium obeys only the last --disable-features it is given, and Playwright gives its
    # own list first (PaintHolding, calls home...): ours repeats Playwright's, as this
    # Playwright launches it, and adds QUIET_FEATURES.
    first = playwright.chromium.launch(**options, args=SYSTEM_CHROMIUM_FLAGS)
    try:
        disabled = disabled_features(first)
    finally:
        first.close()
    features = ",".join(dict.fromkeys([*disabled, *QUIET_FEATURES]))
    return playwright.chromium.launch(
        **options, args=[*SYSTEM_CHROMIUM_FLAGS, DISABLE_FEATURES + features]
    )


def command_line(browser: Browser) -> list[str]:
    """The switches `browser` runs with, as chrome://version shows them."""
    page = browser.new_page()
    try:
        page.goto("chrome://version")
        return page.locator("#command_line").inner_text().split()
    finally:
        page.close()


def disabled_features(browser: Browser) -> list[str]:
    """The features `browser` runs without: its last --disable-features, the one it obeys."""
    lists = [
        arg.removeprefix(DISABLE_FEATURES)
        for arg in command_line(browser)
        if arg.startswith(DISABLE_FEATURES)
    ]
    return [name for name in lists[-1].split(",") if name] if lists else []
