"""How often cursors, drags and views go out: every 1/30 s, less often when the server is behind.

Presence is not latency-critical, edits are. With many boards on one process
(issue 20's W8: 200 workshops of 12, every pointer moving) the transient ticks
are most of the frames written, and an event loop busy writing them makes every
edit wait its turn. So the ticks tell a process-wide `TransientPace` how late
they fired (the event loop's lag, whatever caused it: our own work, the
database thread, another process on the core); when they are late on average
the interval stretches, up to SLOWEST, and pointers move in fewer, bigger steps
until the loop catches up, when the interval shrinks back to FASTEST.

Lateness alone misses one way edits wait: each edit's commit runs on the
database thread, which needs the GIL back after every SQLite call, and a loop
thread that is busy nearly all the time hands it over only every switch
interval (5 ms). So the pace also watches how busy the loop's own thread was
(its CPU time over the window's): past BUSY it stretches too, even with ticks
on time.

    pace = TransientPace()
    delay = pace.next_delay()       # when the next tick is due, jittered
    ...
    pace.observe(late)              # the tick fired `late` seconds after it was due

Pure: the clocks and the random source are given, so tests drive them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

# The tick's interval at ease (~30 frames a second: what the browser's pointer needs to look
# smooth) and at most (8 a second: still a pointer that follows a hand, in steps).
FASTEST = 1 / 30
SLOWEST = 1 / 8
# Lateness is judged over windows of at least this long...
WINDOW = 0.25
# ...and only a window with this many ticks may stretch the interval (one board's
# occasional slow tick is no sign of a loaded process).
MIN_TICKS = 16
# A window whose ticks fired this late on average stretches the interval by STRETCH;
# one under CAUGHT_UP shrinks it by RELAX. Quick to give way, slow to take back.
BEHIND = 0.008
CAUGHT_UP = 0.003
STRETCH = 1.5
RELAX = 1.15
# The share of a window the loop's thread was on a core past which it stretches, and
# under which it may relax.
BUSY = 0.75
AT_EASE = 0.6
# Each tick is due within ±JITTER of the interval: boards whose pointers started moving in
# the same loop iteration do not stay in step, all writing in the same instant.
JITTER = 0.2


class TransientPace:
    """The transient tick's interval, stretched while the event loop is behind."""

    __slots__ = (
        "_busy_since", "_clock", "_cpu", "_late_sum", "_random", "_since", "_ticks", "interval",
    )  # fmt: skip

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        cpu: Callable[[], float] = time.thread_time,
    ) -> None:
        """`cpu`: the CPU time of the thread that calls `observe` (the event loop's)."""
        self._clock = clock
        self._random = rand
        self._cpu = cpu
        self.reset()

    def reset(self) -> None:
        """At ease again, with a new window (a test that starts afresh)."""
        self.interval = FASTEST
        self._since = self._clock()
        self._busy_since = self._cpu()
        self._late_sum = 0.0
        self._ticks = 0

    def next_delay(self) -> float:
        """The delay until a tick that starts waiting now: the interval, give or take JITTER."""
        return self.interval * (1 + JITTER * (2 * self._random() - 1))

    def observe(self, late: float) -> None:
        """A tick fired `late` seconds after it was due; once a window, adjust the interval."""
        self._late_sum += late
        self._ticks += 1
        now = self._clock()
        if now - self._since < WINDOW:
            return
        mean = self._late_sum / self._ticks
        cpu = self._cpu()
        busy = (cpu - self._busy_since) / (now - self._since)
        if self._ticks >= MIN_TICKS and (mean > BEHIND or busy > BUSY):
            self.interval = min(SLOWEST, self.interval * STRETCH)
        elif mean < CAUGHT_UP and busy < AT_EASE:
            self.interval = max(FASTEST, self.interval / RELAX)
        self._since, self._busy_since, self._late_sum, self._ticks = now, cpu, 0.0, 0
