"""Fixtures: a live server per module (SQLite, and PostgreSQL when reachable), a board per test.

A module can also run its tests against a server whose websocket sessions go
through ASGI (what any ASGI server other than `flowmap serve` gives) by
overriding `server` with `params=WITH_ASGI` (tests/support/servers.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.live import Server
from tests.support.servers import DATABASES, running_server


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(request.param, tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture
def board(server: Server) -> dict[str, Any]:
    return server.create_board()
