"""Who applies an operation: the person behind a connection, and when.

The room builds one per batch from the connection's hello and the server's
clock; the domain stamps authors and provenance from it, so a client can never
claim to be someone else or to have written at another time.

    >>> Actor(name="Ada", client="c-1", role="participant", at="2026-11-23T09:00:00Z").can_moderate
    False
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

ROLES = ("facilitator", "participant", "viewer")


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    name: str
    # Stable for one browser across reconnects (the hello's `client`), unlike the peer id.
    client: str
    role: str
    # ISO 8601 UTC, to the second: when the server applied the batch.
    at: str
    # The same moment to the microsecond (Unix seconds), where a second is too coarse: a
    # countdown started now ends `timer_seconds` from here, not from the second's start.
    clock: float | None = None

    @property
    def can_moderate(self) -> bool:
        """Facilitators run votes and tidy others' comments."""
        return self.role == "facilitator"


def utc_stamp(moment: datetime) -> str:
    """The `at` of an actor: '2026-11-23T09:00:00Z'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp_now(clock: Callable[[], float] = time.time) -> str:
    """utc_stamp of the present, formatted once per second (a busy board stamps every batch).

    >>> stamp_now(lambda: 0.5)
    '1970-01-01T00:00:00Z'
    """
    second = int(clock())
    return _stamp_of_second(second)


@lru_cache(maxsize=4)
def _stamp_of_second(second: int) -> str:
    return utc_stamp(datetime.fromtimestamp(second, UTC))


def precise_stamp(clock: float) -> str:
    """A moment to the millisecond, for what clients count down against.

    >>> precise_stamp(1764840000.1239)
    '2025-12-04T09:20:00.123Z'
    """
    moment = datetime.fromtimestamp(clock, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def parse_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
