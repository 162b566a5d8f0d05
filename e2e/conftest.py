"""End-to-end fixtures: one live server and one Chromium for the session; pages per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from e2e.utils.browser import launch
from tests.support.live import Server

ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("e2e-server")
    srv = Server(f"sqlite:///{folder / 'flowmap.db'}", folder / "server.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in its own browser context (its own storage: another person)."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def opener(
        url: str,
        name: str | None = "Tester",
        viewport: dict[str, int] | None = None,
        touch: bool = False,
    ) -> Page:
        """`touch`: a touch screen (a phone's taps), besides the mouse."""
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 800}, has_touch=touch
        )
        if name is not None:
            context.add_init_script(f"localStorage.setItem('flowmap.name', {name!r})")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def board(live_server: Server) -> dict[str, Any]:
    return live_server.create_board("E2E board")
