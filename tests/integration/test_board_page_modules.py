"""The board page preloads its whole module graph, and static files are revalidated,
never run stale (issue 20: a cold load of a big board)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from app.frontend import frontend_dir, module_graph
from tests.support.live import Server


def preloads(server: Server, board: dict[str, Any]) -> list[str]:
    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]})
    page.raise_for_status()
    return re.findall(r'<link rel="modulepreload" href="([^"]+)">', page.text)


def test_the_board_page_preloads_every_module_it_imports(server: Server, board: dict) -> None:
    listed = preloads(server, board)
    assert listed == [f"/static/{m}" for m in module_graph(frontend_dir(), "js/main.js")]
    assert "/static/js/canvas/render.js" in listed
    for href in listed:  # none missing on the server
        assert httpx.get(f"{server.url}{href}").status_code == 200, href


def test_static_files_are_checked_again_before_a_cached_copy_is_used(
    server: Server, board: dict
) -> None:
    first = httpx.get(f"{server.url}/static/js/main.js")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-cache"
    again = httpx.get(
        f"{server.url}/static/js/main.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
