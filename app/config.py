"""Settings: the one place that reads the environment (FLOWMAP_*)."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Flowmap's configuration, from FLOWMAP_* environment variables or the command line.

    >>> Settings(database_url="sqlite:///:memory:").is_sqlite
    True
    """

    model_config = SettingsConfigDict(env_prefix="FLOWMAP_", extra="ignore")

    database_url: str = "sqlite:///./flowmap.db"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    # The address people reach this server at, for the links it hands out
    # (e.g. https://flowmap.example.com). Unset: taken from each request.
    public_url: str | None = None
    # Extra origins allowed to open websockets; the server's own origin always is.
    allowed_origins: list[str] = []
    # Addresses of the reverse proxies whose X-Forwarded-For / -Proto are believed (e.g.
    # ["10.0.0.5"], or ["*"] when only the proxy can reach this server). Empty: none, not
    # even loopback, so a client cannot pick the address its guesses count against.
    trusted_proxies: list[str] = []
    # SQLite's synchronous pragma. NORMAL (with WAL) keeps every acknowledged edit
    # through a process crash; FULL also through power loss, at some cost per commit.
    sqlite_synchronous: Literal["OFF", "NORMAL", "FULL", "EXTRA"] = "NORMAL"
    # Seconds a board with nobody on it stays in memory before it is unloaded.
    room_idle_seconds: float = 60.0
    # With Redis: while it is unreachable, each open board re-reads the op log this
    # often (seconds), so peers on other processes still see edits, only later.
    resync_seconds: float = 2.0
    # Wrong link tokens: an address may try GUESS_BURST (30), then earns one more try
    # every 1 / guess_per_second seconds; meanwhile even a right token is refused.
    guess_per_second: float = Field(default=0.5, gt=0)
    # ---- limits a deployment needs (SECURITY.md says what each holds off) ----
    # A private deployment: creating or importing a board needs this key
    # (X-Flowmap-Create-Key, or the home page asks for it once).
    create_key: str | None = None
    # Boards one address may create or import: a burst, then one every 1/rate seconds.
    boards_burst: float = Field(default=30, gt=0)
    boards_per_second: float = Field(default=1 / 3, gt=0)
    # Operations one link may have applied a second, its websockets and HTTP calls together
    # (a whole workshop shares the participant link; each connection also has its own 50/s).
    link_ops_per_second: float = Field(default=300, gt=0)
    link_ops_burst: float = Field(default=3000, gt=0)
    # Websockets: open at once per address and per board; joins per address a second.
    connections_per_address: int = Field(default=500, gt=0)
    peers_per_board: int = Field(default=1000, gt=0)
    joins_per_second: float = Field(default=20, gt=0)
    joins_burst: float = Field(default=200, gt=0)
    # Seconds a client has to send a request's line and headers, then its body; a slower
    # one (slowloris) is disconnected (api/deadlines.py).
    header_timeout: float = Field(default=10, gt=0)
    # Seconds a websocket has, once open, to say hello (a page says it as the socket opens);
    # a silent one is closed: it held a connection slot unseen by anyone, and as it was on
    # no board yet, revoking its link left it open to join with later.
    hello_timeout: float = Field(default=10, gt=0)
    body_timeout: float = Field(default=60, gt=0)
    # Seconds a PNG or PDF export may render before it is stopped and its askers told why
    # (api/renders.py RENDER_SECONDS says why this long).
    render_seconds: float = Field(default=120, gt=0)
    # Request bodies: most routes, and an import of a whole board.
    body_bytes: int = Field(default=1024 * 1024, gt=0)
    import_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    # An event log: a tracker's whole export (api/events.py).
    event_log_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    log_level: str = "info"
    # Websocket keepalive: a ping every so many seconds; a peer that has not answered
    # within the timeout is dropped, so a dead laptop leaves the board within ~20 s.
    ws_ping_interval: float = 10.0
    ws_ping_timeout: float = 10.0
    # Serve joined websocket sessions straight on the connection (transport/uvicorn_line.py); false
    # runs them through ASGI like any other app, at several times the CPU per edit.
    direct_websockets: bool = True

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
