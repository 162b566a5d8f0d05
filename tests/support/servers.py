"""Live servers by kind: SQLite or PostgreSQL, with sessions on the connection or through ASGI.

    with running_server("sqlite-asgi", folder) as server: ...

`-asgi` sets FLOWMAP_DIRECT_WEBSOCKETS=false: websocket sessions then run
through ASGI, as under any ASGI server other than `flowmap serve`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.databases import database_url
from tests.support.live import Server

DATABASES = ["sqlite", "postgresql"]
# The databases, plus SQLite with websocket sessions served through ASGI.
WITH_ASGI = [*DATABASES, "sqlite-asgi"]


@contextmanager
def running_server(
    kind: str, folder: Path, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """A server of `kind` ("sqlite", "postgresql", "sqlite-asgi"...), with `env` set besides."""
    database, _, mode = kind.partition("-")
    env = {**(env or {}), **({"FLOWMAP_DIRECT_WEBSOCKETS": "false"} if mode == "asgi" else {})}
    with database_url(database, folder) as url:
        srv = Server(url, folder / "server.log", env=env)
        srv.start()
        try:
            yield srv
        finally:
            srv.stop()
