"""The limits a real deployment needs, in one place: who may make boards, how fast, how big.

Every participant may be hostile or buggy, and a link is shared by a whole
workshop, so each limit is the server's own count, never a client's word:

- boards created or imported per address (a token bucket) and, for a private
  deployment, a creation key;
- request bodies: `BodyLimit` refuses an over-long body with 413 before or while
  it is read, on every route;
- operations per link, its websockets and HTTP calls together, beside each
  connection's own budget (ratelimit.ConnectionLimits);
- websockets open per address and per board, and joins per address a second.

A refusal is a 413 or 429 with a reason and, where waiting helps, Retry-After.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.ratelimit import KeyedBuckets, retry_seconds
from app.config import Settings

# Routes whose body is a whole board (an import) rather than an edit or a form.
_BIG_BODIES = ("/api/boards/import",)
# Routes whose body is an event log (api/events.py): a tracker's whole export.
_EVENT_LOGS = "/events"


class TooMany(HTTPException):
    """429 with Retry-After: a budget is spent for now."""

    def __init__(self, reason: str, wait: float) -> None:
        seconds = retry_seconds(wait)
        super().__init__(429, f"{reason}; try again in {seconds} s", {"Retry-After": str(seconds)})
        self.retry_after = seconds


@dataclass
class Admission:
    """The counters behind the limits, made once per process from the settings."""

    settings: Settings
    creations: KeyedBuckets = field(init=False)
    joins: KeyedBuckets = field(init=False)
    link_ops: KeyedBuckets = field(init=False)
    open_by_address: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        s = self.settings
        self.creations = KeyedBuckets(s.boards_per_second, s.boards_burst)
        self.joins = KeyedBuckets(s.joins_per_second, s.joins_burst)
        self.link_ops = KeyedBuckets(s.link_ops_per_second, s.link_ops_burst)

    def may_create(self, address: str, key: str | None) -> None:
        """Raise 403 without the deployment's creation key, 429 past the address's budget."""
        wanted = self.settings.create_key
        if wanted and not (key and hmac.compare_digest(key.encode(), wanted.encode())):
            raise HTTPException(403, "this Flowmap needs its creation key to make boards "
                                "(X-Flowmap-Create-Key)")  # fmt: skip
        self.count_board(address)

    def count_board(self, address: str) -> None:
        """One more board made by the address (a creation, an import, a future state)."""
        wait = self.creations.take(address)
        if wait:
            raise TooMany("too many boards made from your address", wait)

    def ops_wait(self, link: str, count: int) -> float:
        """0.0 if the link may have `count` more operations applied now, else seconds to wait."""
        return self.link_ops.take(link, count)

    def may_connect(self, address: str) -> None:
        """Raise TooMany if the address has too many websockets open or joins too fast."""
        if self.open_by_address[address] >= self.settings.connections_per_address:
            raise TooMany(f"at most {self.settings.connections_per_address} live connections "
                          "from one address", 5)  # fmt: skip
        wait = self.joins.take(address)
        if wait:
            raise TooMany("your address opens connections too fast", wait)

    def opened(self, address: str) -> Callable[[], None]:
        """Count a websocket open; returns what to call when it ends (once is enough)."""
        self.open_by_address[address] += 1
        done = False

        def closed() -> None:
            nonlocal done
            if not done:
                done = True
                self.open_by_address[address] -= 1
                if self.open_by_address[address] <= 0:
                    del self.open_by_address[address]

        return closed


class BodyLimit:
    """413 for a request body over the limit: at once from Content-Length, or as it streams."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.small, self.big = settings.body_bytes, settings.import_body_bytes
        self.logs = settings.event_log_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.big if path.endswith(_BIG_BODIES) else self.small
        if path.endswith(_EVENT_LOGS) and path.startswith("/api/boards/"):
            limit = self.logs
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_large_reason(limit))
            return message

        await self.app(scope, counted, send)


def _too_large_reason(limit: int) -> str:
    return f"the request body is over this route's limit of {limit:,} bytes"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": _too_large_reason(limit)}, 413, {"Connection": "close"})
