"""Fixtures: a live server per module (SQLite, and PostgreSQL when reachable), a board per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.databases import database_url
from tests.support.live import Server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    with database_url(request.param, folder) as url:
        srv = Server(url, folder / "server.log")
        srv.start()
        yield srv
        srv.stop()


@pytest.fixture
def board(server: Server) -> dict[str, Any]:
    return server.create_board()
