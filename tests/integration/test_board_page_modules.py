"""The board page preloads its whole module graph, and static files are revalidated,
never run stale (issue 20: a cold load of a big board)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from app.api.pages import EARLY_ENTRY
from app.frontend import frontend_dir, module_graph
from tests.support.live import Server


def preloads(server: Server, board: dict[str, Any]) -> list[str]:
    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]})
    page.raise_for_status()
    return re.findall(r'<link rel="modulepreload" href="([^"]+)">', page.text)


def test_the_board_page_preloads_every_module_it_imports(server: Server, board: dict) -> None:
    listed = preloads(server, board)
    graph = module_graph(frontend_dir(), "js/main.js")
    assert sorted(listed) == sorted(f"/static/{m}" for m in graph) and len(listed) == len(graph)
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


def test_the_early_socket_and_what_it_imports_are_asked_for_first_and_run_on_their_own(
    server: Server, board: dict
) -> None:
    listed = preloads(server, board)
    early = [f"/static/{m}" for m in (EARLY_ENTRY, *module_graph(frontend_dir(), EARLY_ENTRY))]
    assert listed[: len(early)] == early
    assert len(early) <= 5, "the early socket waits for every module it imports: keep them few"
    page = httpx.get(f"{server.url}/b/{board['id']}", params={"token": board["tokens"]["viewer"]})
    assert f'<script type="module" async src="/static/{EARLY_ENTRY}"></script>' in page.text
