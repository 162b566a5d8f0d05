"""Rate limits: one connection's edits and live messages, and wrong link guesses per address.

A token bucket holds up to `burst` tokens and gains `rate` tokens a second; an
action takes tokens or is refused. Bursts (a paste, a multi-select drop) pass,
a steady flood does not. Time is passed in, so tests need no sleeping.

    bucket = TokenBucket(rate=50, burst=600)
    bucket.take(3, now=time.monotonic())   # True while the budget lasts
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

# Operations one connection may send. A paste or an aligned multi-selection sends a
# few hundred at once (the burst); one person editing stays far below the rate.
OPS_PER_SECOND = 50.0
OPS_BURST = 600.0
# Drags (the browser sends ~30 a second), cursors (~20 a second), pings and stray
# frames: room for drag and cursor at up to 60 Hz each, and no more.
LIVE_PER_SECOND = 120.0
LIVE_BURST = 240.0
# While live messages are being dropped, say so at most once a second, so a flood
# never earns a flood of error frames back.
LIVE_NOTICE_SECONDS = 1.0
# Wrong link tokens one address may try: a few mistyped links, never a search of the
# 2^192 token space. Once spent, one more try every 2 seconds.
GUESS_BURST = 30.0
GUESS_PER_SECOND = 0.5
# Addresses remembered at once; the least recently seen is forgotten first, so an
# attacker with many addresses cannot grow the server's memory.
GUESS_CLIENTS = 10_000
# IPv6 hands a whole /64 to one customer: count guesses per /64, not per address.
IPV6_PREFIX = 64

Clock = Callable[[], float]


@dataclass(slots=True)
class TokenBucket:
    """`burst` tokens at most, `rate` more each second."""

    rate: float
    burst: float
    tokens: float = field(init=False)
    stamp: float | None = None

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def _refill(self, now: float) -> None:
        if self.stamp is not None and now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        if self.stamp is None or now > self.stamp:
            self.stamp = now

    def take(self, cost: float, now: float) -> bool:
        """Take `cost` tokens if there are that many; False (and nothing taken) if not."""
        self._refill(now)
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def spend(self, cost: float, now: float) -> None:
        """Take `cost` tokens, or all there are: a failure always counts."""
        self._refill(now)
        self.tokens = max(0.0, self.tokens - cost)

    def wait(self, cost: float, now: float) -> float:
        """Seconds until `cost` tokens are there (0 when they are now)."""
        self._refill(now)
        return max(0.0, (cost - self.tokens) / self.rate)


class ConnectionLimits:
    """The budgets of one websocket: operations, and live messages (drags, cursors, pings).

    Dropped live messages are answered by one notice a second at most.

        limits = ConnectionLimits()
        limits.allow_ops(len(message.ops))   # False: reject these ops, with a reason
    """

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._ops = TokenBucket(OPS_PER_SECOND, OPS_BURST)
        self._live = TokenBucket(LIVE_PER_SECOND, LIVE_BURST)
        self._noticed_at: float | None = None
        # Set by allow_live: this message was dropped and it is time to say why.
        self.live_notice = False

    def allow_ops(self, count: int) -> bool:
        return self._ops.take(count, self._clock())

    def allow_live(self) -> bool:
        now = self._clock()
        allowed = self._live.take(1, now)
        last = self._noticed_at
        self.live_notice = not allowed and (last is None or now - last >= LIVE_NOTICE_SECONDS)
        if self.live_notice:
            self._noticed_at = now
        return allowed


OPS_REFUSED = (
    f"too many edits: at most {OPS_PER_SECOND:g} operations a second "
    f"(bursts of {OPS_BURST:g}); this one was not saved"
)
LINK_OPS_REFUSED = "too many edits through this link; it was not saved"
LIVE_REFUSED = (
    f"too many live messages: at most {LIVE_PER_SECOND:g} drags, cursors and pings a second; "
    "the extra ones were dropped"
)


def client_key(host: str | None) -> str:
    """Who a guess counts against: the address, or its /64 for IPv6."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


class KeyedBuckets:
    """A token bucket per key (an address, a link), the least recently used forgotten first.

        creations = KeyedBuckets(rate=1 / 3, burst=30)
        wait = creations.take("203.0.113.7")   # 0.0: taken; else seconds until there is one
    """

    def __init__(
        self, rate: float, burst: float, keys: int = GUESS_CLIENTS, clock: Clock = time.monotonic
    ) -> None:
        self._rate, self._burst, self._keys, self._clock = rate, burst, keys, clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def _bucket(self, key: str) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self._rate, self._burst)
            if len(self._buckets) > self._keys:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        return bucket

    def take(self, key: str, cost: float = 1) -> float:
        """Take `cost` from the key's bucket: 0.0 if taken, else the seconds to wait."""
        bucket = self._bucket(key)
        now = self._clock()
        return 0.0 if bucket.take(cost, now) else max(bucket.wait(cost, now), 1e-3)

    def spend(self, key: str, cost: float = 1) -> None:
        """Take `cost`, or all there is: a failure always counts."""
        self._bucket(key).spend(cost, self._clock())

    def wait(self, key: str, cost: float = 1) -> float:
        """Seconds until the key has `cost` (0 when it has it now); takes nothing."""
        bucket = self._buckets.get(key)
        return 0.0 if bucket is None else bucket.wait(cost, self._clock())

    def __len__(self) -> int:
        return len(self._buckets)


class GuessLimiter:
    """Counts wrong link tokens per client; once a client's budget is spent, it must wait.

    Only wrong tokens are refused while it waits (api/deps.py `checked_link`): a
    right one from the same address still opens its board.

        guesses = GuessLimiter()
        ... on a wrong token: wait = guesses.retry_after(client); guesses.failed(client)
        if wait > 0: refuse with 429 and Retry-After
    """

    def __init__(
        self,
        burst: float = GUESS_BURST,
        per_second: float = GUESS_PER_SECOND,
        clients: int = GUESS_CLIENTS,
        clock: Clock = time.monotonic,
    ) -> None:
        self._buckets = KeyedBuckets(per_second, burst, clients, clock)

    def retry_after(self, client: str) -> float:
        """Seconds until this client's next wrong token goes unpunished (0: now)."""
        return self._buckets.wait(client)

    def failed(self, client: str) -> None:
        self._buckets.spend(client)

    def wrong(self, client: str) -> float:
        """Count a wrong token; the seconds the client was already over its budget (0: not)."""
        wait = self.retry_after(client)
        self.failed(client)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


def retry_seconds(wait: float) -> int:
    """A Retry-After value: whole seconds, at least 1."""
    return max(1, math.ceil(wait))
