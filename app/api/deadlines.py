"""Deadlines for reading a request: a slow client cannot hold a connection open for ever.

Uvicorn reads a request's head and body for as long as the client keeps sending,
however slowly: 1,500 "slowloris" sockets sending a header line every 10 seconds
were all held open. `RequestDeadlines` is uvicorn's httptools protocol with two
deadlines: the request line and headers must arrive within `header_timeout`
seconds of the connection opening (or of the next request starting, on a kept-
alive connection), and the body within `body_timeout` seconds of the headers.
A client past a deadline is disconnected. The app's own time (a long export)
does not count, nor does a websocket once upgraded.

    uvicorn.run(app, http=request_deadlines(settings))   # what `flowmap serve` does

Behind a reverse proxy its own settings do the same (docs/deploy.md): nginx's
`client_header_timeout` and `client_body_timeout`, HAProxy's `timeout http-request`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.config import Settings


class RequestDeadlines(HttpToolsProtocol):
    """Uvicorn's HTTP protocol (httptools), plus a header and a body deadline."""

    header_timeout = 10.0
    body_timeout = 60.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # the next request on a kept-alive connection
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.body_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def handle_websocket_upgrade(self) -> None:
        self._disarm()
        super().handle_websocket_upgrade()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def request_deadlines(settings: Settings) -> type[RequestDeadlines]:
    """The protocol class with the settings' deadlines."""
    attributes: dict[str, Any] = {
        "header_timeout": settings.header_timeout,
        "body_timeout": settings.body_timeout,
    }
    return type("ConfiguredRequestDeadlines", (RequestDeadlines,), attributes)
