"""Fan-out lag: how long another process's committed batch took to reach this one.

The publishing process stamps each Redis message with its wall clock; the
receiving one subtracts that from its own when the message is handed to the
board's room, which applies it on its next turn of the event loop (a busy loop
delays that turn and the reading of the message alike, so the figure shows it).
Two clocks are involved: on one host they agree; across hosts NTP keeps them
close (typically well under a millisecond on one network), and a negative
difference (the receiver's clock behind) counts as 0.

The figures are over the last minute only, so /healthz and /metrics say how
the fan-out is doing now, not how it did at start-up:

    lag = LagWindow()
    lag.observe(0.0012)
    lag.summary()   # LagSummary(samples=1, p50=0.0012, p99=0.0012, max=0.0012)
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# The window the quantiles are taken over: long enough for a p99 to mean something on
# a quiet workshop, short enough that an incident ends in the figures a minute after it does.
WINDOW_SECONDS = 60.0
# At most this many samples are kept: a busy process keeps its latest ones (about 370 KB
# when full, measured), sorted once per /healthz or scrape (about 0.3 ms).
MAX_SAMPLES = 4096


@dataclass(frozen=True, slots=True)
class LagSummary:
    """Quantiles of the lag over the window, in seconds."""

    samples: int
    p50: float
    p99: float
    max: float

    def to_json(self) -> dict[str, float | int]:
        """Milliseconds, as an operator reads them in /healthz."""
        return {
            "samples": self.samples,
            "p50_ms": round(self.p50 * 1000, 3),
            "p99_ms": round(self.p99 * 1000, 3),
            "max_ms": round(self.max * 1000, 3),
        }


class LagWindow:
    """The lags of the last WINDOW_SECONDS, and the totals since start (for Prometheus)."""

    def __init__(
        self,
        window: float = WINDOW_SECONDS,
        limit: int = MAX_SAMPLES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window
        self._clock = clock
        self._samples: deque[tuple[float, float]] = deque(maxlen=limit)  # (when, lag)
        self.count = 0  # every lag observed since start
        self.total = 0.0  # their sum, seconds

    def observe(self, seconds: float) -> None:
        lag = max(seconds, 0.0)  # the receiver's clock a little behind the sender's
        self._samples.append((self._clock(), lag))
        self.count += 1
        self.total += lag

    def summary(self) -> LagSummary | None:
        """The window's quantiles (nearest rank); None when nothing arrived in it."""
        horizon = self._clock() - self._window
        while self._samples and self._samples[0][0] < horizon:
            self._samples.popleft()
        if not self._samples:
            return None
        lags = sorted(lag for _, lag in self._samples)
        return LagSummary(len(lags), _rank(lags, 0.5), _rank(lags, 0.99), lags[-1])

    def prometheus(self, name: str = "flowmap_fanout_lag_seconds") -> list[str]:
        """A Prometheus summary: the window's quantiles (NaN when empty), the totals."""
        found = self.summary()
        p50, p99 = ("NaN", "NaN") if found is None else (f"{found.p50:.6f}", f"{found.p99:.6f}")
        return [
            f"# HELP {name} publish on another process to arrival here, last {self._window:g} s",
            f"# TYPE {name} summary",
            f'{name}{{quantile="0.5"}} {p50}',
            f'{name}{{quantile="0.99"}} {p99}',
            f"{name}_sum {self.total:.6f}",
            f"{name}_count {self.count}",
        ]


def _rank(ordered: list[float], q: float) -> float:
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]
