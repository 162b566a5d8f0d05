"""Fixtures: a live server per module (SQLite, and PostgreSQL when reachable), a board per test.

A module can also run its tests against a server whose websocket sessions go
through ASGI (what any ASGI server other than `flowmap serve` gives), with one line:

    SERVERS = WITH_ASGI   # tests/support/servers.py; DATABASES when not said
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.live import Server
from tests.support.servers import DATABASES, running_server


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test that uses `server` runs once per kind of server its module names (a
    module with a `server` fixture of its own makes its servers itself)."""
    if "server" in metafunc.fixturenames and not hasattr(metafunc.module, "server"):
        kinds = getattr(metafunc.module, "SERVERS", DATABASES)
        metafunc.parametrize("server", kinds, indirect=True, scope="module")


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with running_server(request.param, tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture
def board(server: Server) -> dict[str, Any]:
    return server.create_board()
