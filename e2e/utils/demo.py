"""The worked example of DESIGN section 2 as a board on a live server (through the import API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page

from app.domain.demo import demo_board
from app.domain.metrics import compute_metrics
from app.export.json import export_document
from e2e.utils.board import wait_connected
from e2e.utils.seed import publish
from tests.support.live import Server


def demo_on(server: Server) -> dict[str, Any]:
    """A new board holding the demo map; its links and tokens, as `Server.create_board` gives."""
    sample = demo_board()
    document = export_document(sample, compute_metrics(sample))
    answer = httpx.post(f"{server.url}/api/boards/import", json=document, timeout=10)
    answer.raise_for_status()
    created: dict[str, Any] = answer.json()
    created["tokens"] = {role: link.split("token=")[1] for role, link in created["links"].items()}
    return created


def open_demo(
    server: Server, open_page: Callable[..., Page], size: tuple[int, int], published: bool = False
) -> tuple[dict[str, Any], Page]:
    """A new demo board and its facilitator's page on a screen of `size`, connected; with a
    version published first if `published` (the top bar's name then shares its card with a badge)."""
    board = demo_on(server)
    if published:
        publish(server, board)
    page = open_page(board["links"]["facilitator"], viewport={"width": size[0], "height": size[1]})
    wait_connected(page)
    return board, page
