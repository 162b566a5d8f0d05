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


def launch(playwright: Playwright) -> Browser:
    options: dict[str, Any] = {"headless": True}
    executable = system_chromium()
    if executable:
        options |= {"executable_path": executable, "args": SYSTEM_CHROMIUM_FLAGS}
    return playwright.chromium.launch(**options)
