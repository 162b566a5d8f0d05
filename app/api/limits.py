"""The limits a real deployment needs, in one place: who may make boards, how fast, how big.

Every participant may be hostile or buggy, and a link is shared by a whole
workshop, so each limit is the server's own count, never a client's word:

- boards created or imported per address (a token bucket) and, for a private
  deployment, a creation key;
- request bodies: `BodyLimit` refuses an over-long body with 413 before or while
  it is read, on every route;
- operations per link, its websockets and HTTP calls together, beside each
  connection's own budget (ratelimit.ConnectionLimits), shared fairly (`FairLinks`);
- websockets open per address and per board, and joins per address a second.

A refusal is a 413 or 429 with a reason and, where waiting helps, Retry-After.
"""

from __future__ import annotations

import hmac
import math
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.ratelimit import (
    GUESS_CLIENTS,
    Clock,
    KeyedBuckets,
    TokenBucket,
    client_key,
    retry_seconds,
)
from app.config import Settings

# Routes whose body is a whole board (an import) rather than an edit or a form.
_BIG_BODIES = ("/api/boards/import",)
# Routes whose body is an event log (api/events.py): a tracker's whole export.
_EVENT_LOGS = "/events"
_WITH_BODIES = ("POST", "PUT", "PATCH")
# A link's fair slices (FairLinks): each sender's use is averaged over about this many
# seconds, and it may spend this many seconds of its slice at once. Alone on an address
# beside a flood from one other, a sender has half the default link's 300 a second: 750
# operations at once, so a paste or a tidy of a few hundred passes. All the slices
# together add at most the link's rate (and, once, this many seconds of it) to what the
# bucket lets through.
FAIR_SECONDS = 5.0
# A connection that has not sent an edit through the link for this long no longer counts
# among those sharing it, and its slice goes back to them; checked once a SWEEP_SECONDS.
ACTIVE_SECONDS = 10.0
# Big bodies (a board's import, up to 16 MB; an event log, up to 20 MB) one address may
# have under way at once: each is read whole before its route can refuse it, and thirty
# at once from one address held them all in memory. A facilitator imports a board or
# previews then measures a log, one or two at a time; an address's logs are measured
# one at a time with four more waiting (api/events.py LOGS_WAITING), and so it may have
# five under way; the rest come back in a few seconds.
BIG_BODIES_AT_ONCE = 5
BIG_RETRY_SECONDS = 5
SWEEP_SECONDS = 1.0


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
    clock: Clock = time.monotonic
    creations: KeyedBuckets = field(init=False)
    joins: KeyedBuckets = field(init=False)
    link_ops: FairLinks = field(init=False)
    open_by_address: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        s = self.settings
        self.creations = KeyedBuckets(s.boards_per_second, s.boards_burst)
        self.joins = KeyedBuckets(s.joins_per_second, s.joins_burst)
        self.link_ops = FairLinks(s.link_ops_per_second, s.link_ops_burst, clock=self.clock)

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

    def ops_wait(
        self, link: str, count: int, sender: Callable[[], None] | str | None = None
    ) -> float:
        """0.0 if the link may have `count` more operations applied now, else seconds to wait.

        `sender` is the connection's ticket (what `opened` returned, the session's
        `on_end`) or, for an HTTP call, the caller's address: either gets its fair slice
        of the link (FairLinks). Anything else is served first come, first served.
        """
        if isinstance(sender, str):
            return self.link_ops.take(link, count, address=sender)
        return self.link_ops.take(link, count, sender if isinstance(sender, Share) else None)

    def may_connect(self, address: str) -> None:
        """Raise TooMany if the address has too many websockets open or joins too fast."""
        if self.open_by_address[address] >= self.settings.connections_per_address:
            raise TooMany(f"at most {self.settings.connections_per_address} live connections "
                          "from one address", 5)  # fmt: skip
        wait = self.joins.take(address)
        if wait:
            raise TooMany("your address opens connections too fast", wait)

    def opened(self, address: str) -> Ticket:
        """Count a websocket open; returns its ticket, to call when it ends (once is enough)."""
        self.open_by_address[address] += 1
        return Ticket(address, self.open_by_address)


class Share:
    """Who sends edits through a link, as its fair share counts them: a connection, or an
    address's HTTP calls. `used` is the operations charged lately (decaying with a time
    constant of FAIR_SECONDS), as of `at`; `budget` is the link it is counted on."""

    __slots__ = ("address", "at", "budget", "used")

    def __init__(self, address: str) -> None:
        self.address = address
        self.used = 0.0
        self.at = 0.0
        self.budget: LinkBudget | None = None


class Ticket(Share):
    """A websocket's place in the limits: calling it releases its count (once is enough).

        ticket = admission.opened(address)
        admission.ops_wait(link, 3, ticket)   # its fair share of the link
        ticket()                              # it ended
    """

    __slots__ = ("_counts", "_done")

    def __init__(self, address: str, counts: Counter[str]) -> None:
        super().__init__(address)
        self._counts = counts
        self._done = False

    def __call__(self) -> None:
        if not self._done:
            self._done = True
            self._counts[self.address] -= 1
            if self._counts[self.address] <= 0:
                del self._counts[self.address]


class LinkBudget:
    """One link's token bucket, and who has been sending through it lately, by address."""

    __slots__ = ("bucket", "callers", "senders", "swept")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.bucket = TokenBucket(rate, burst)
        self.senders: dict[str, set[Share]] = {}
        self.callers: dict[str, Share] = {}  # each address's HTTP calls, as one sender
        self.swept = now

    def count(self, share: Share) -> None:
        share.budget = self
        self.senders.setdefault(share.address, set()).add(share)

    def sweep(self, now: float) -> None:
        """Forget who has sent nothing for ACTIVE_SECONDS: their slices go to the others."""
        self.swept = now
        quiet = now - ACTIVE_SECONDS
        for address, shares in list(self.senders.items()):
            for share in [s for s in shares if s.at < quiet]:
                shares.discard(share)
                share.budget = None
                if self.callers.get(address) is share:
                    del self.callers[address]
            if not shares:
                del self.senders[address]


class FairLinks:
    """Each link's edit budget: a token bucket, first come first served while it lasts;
    when it is short, a sender that has used less than its slice lately still gets through.

    A slice is the link's rate split evenly among the addresses sending through it lately,
    and an address's part evenly among its connections (its HTTP calls are one). So a
    participant flooding the shared link cannot refuse anyone else's edits: more sockets
    only split its own address's part finer, and an identity it makes up (a hello's key,
    X-Flowmap-Key) is no sender at all. The link lets through at most about twice its
    rate: the bucket's, and the slices' (which never add up to more than the rate).

        links = FairLinks(rate=300, burst=3000)
        links.take(link, 3, ticket)   # 0.0: taken; else the seconds to wait
    """

    def __init__(
        self, rate: float, burst: float, keys: int = GUESS_CLIENTS, clock: Clock = time.monotonic
    ) -> None:
        self._rate, self._burst, self._keys, self._clock = rate, burst, keys, clock
        self._links: OrderedDict[str, LinkBudget] = OrderedDict()

    def take(
        self, link: str, count: int, share: Share | None = None, address: str | None = None
    ) -> float:
        """Charge `count` operations to the link for `share` (or the HTTP caller at `address`;
        neither: first come, first served): 0.0 if taken, else the seconds to wait."""
        now = self._clock()
        budget = self._budget(link, now)
        bucket = budget.bucket
        if address is not None:
            share = budget.callers.get(address)
            if share is None:
                share = budget.callers[address] = Share(address)
        if share is None:
            return 0.0 if bucket.take(count, now) else max(bucket.wait(count, now), 1e-3)
        used = share.used
        if used and now > share.at:
            used *= math.exp((share.at - now) / FAIR_SECONDS)
        share.at = max(share.at, now)
        if share.budget is not budget:
            budget.count(share)
        if now - budget.swept >= SWEEP_SECONDS:
            budget.sweep(now)
        if bucket.take(count, now):
            share.used = used + count
            return 0.0
        senders = budget.senders
        if used + count <= self._rate * FAIR_SECONDS / len(senders) / len(senders[share.address]):
            bucket.spend(count, now)  # the bucket pays what it has: the first come get less
            share.used = used + count
            return 0.0
        share.used = used
        return max(bucket.wait(count, now), 1e-3)

    def _budget(self, link: str, now: float) -> LinkBudget:
        budget = self._links.get(link)
        if budget is None:
            budget = self._links[link] = LinkBudget(self._rate, self._burst, now)
            if len(self._links) > self._keys:
                self._links.popitem(last=False)
        self._links.move_to_end(link)
        return budget


class BodyLimit:
    """413 for a request body over the limit: at once from Content-Length, or as it streams;
    429 for a big body (an import, an event log) from an address with BIG_BODIES_AT_ONCE
    of them under way, its bytes dropped as they arrive: none of it is held."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.small, self.big = settings.body_bytes, settings.import_body_bytes
        self.logs = settings.event_log_bytes
        self._big_under_way: Counter[str] = Counter()  # address -> big bodies under way

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        log = path.endswith(_EVENT_LOGS) and path.startswith("/api/boards/")
        big = path.endswith(_BIG_BODIES) or log
        limit = self.logs if log else self.big if big else self.small
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        if not big or scope.get("method") not in _WITH_BODIES:
            await self._counted(scope, receive, send, limit)
            return
        client = scope.get("client")
        address = client_key(client[0] if client else None)
        if self._big_under_way[address] >= BIG_BODIES_AT_ONCE:
            # Read to its end and dropped as it comes (nothing of it held), then the 429: a
            # client still sending would see its connection cut instead of the answer.
            await _drained(receive, limit)
            await _too_many_big()(scope, receive, send)
            return
        self._big_under_way[address] += 1
        try:
            await self._counted(scope, receive, send, limit)
        finally:
            self._big_under_way[address] -= 1
            if not self._big_under_way[address]:
                del self._big_under_way[address]

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
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


async def _drained(receive: Receive, limit: int) -> None:
    """Read a request's body to its end, keeping none of it (at most `limit` bytes)."""
    seen = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if seen > limit or not message.get("more_body", False):
            return


def _too_many_big() -> JSONResponse:
    reason = f"at most {BIG_BODIES_AT_ONCE} imports or event logs at once from one address"
    return JSONResponse({"detail": f"{reason}; try again in {BIG_RETRY_SECONDS} s"}, 429,
                        {"Retry-After": str(BIG_RETRY_SECONDS)})  # fmt: skip


def _too_large_reason(limit: int) -> str:
    return f"the request body is over this route's limit of {limit:,} bytes"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": _too_large_reason(limit)}, 413, {"Connection": "close"})
