"""Fixtures: a live server per module, a fresh board per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.live import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    srv = Server(f"sqlite:///{folder / 'flowmap.db'}", folder / "server.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def board(server: Server) -> dict[str, Any]:
    return server.create_board()
