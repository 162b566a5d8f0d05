"""A board's metrics as its peers hold them: recomputed at most once an interval, and sent
whole, or as a patch to peers that take patches.

The room hands every applied batch's `ops` frame here with whether it may have
changed a number (domain/relevance.py). On a quiet board the metrics are
recomputed at once and go out in the same write as the ops; on a busy one a
change within METRICS_INTERVAL of the last recompute waits, and one recompute
covers everything that changed by then. It rides with the first ops frame after
the interval (no write of its own to every peer); only a board that went quiet
gets its metrics in a write of their own, METRICS_GRACE after the interval.

    feed = MetricsFeed(compute, board, state=lambda: (room.board, room.seq, peers))
    feed.current               # what every peer holds now (a welcome carries it)
    feed.send(ops, changed)    # the ops to everyone, with the metrics if they are due
    feed.now()                 # a waiting recompute, at once (before a welcome)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from app.domain import patch
from app.domain.elements import Board
from app.hub.frames import Outbound
from app.hub.plan import Peer
from app.hub.stats import Stats

# Metrics are recomputed at most this often on a busy board (10 a second): an edit on a
# quiet board gets its metrics with it; on a busy one, one recompute covers the edits
# of its interval, which no one can tell apart from live.
METRICS_INTERVAL = 0.1
# A waiting recompute goes out on its own this long after its interval ended, if no ops
# frame came by to carry it: on a busy board one always does.
METRICS_GRACE = 0.05

Metrics = Callable[[Board], dict[str, Any]]
# The board as it is now, its seq, and who is on it.
State = Callable[[], tuple[Board, int, Iterable[Peer]]]


class MetricsFeed:
    def __init__(self, compute: Metrics, board: Board, state: State, stats: Stats) -> None:
        self._compute = compute
        self._state = state
        self._stats = stats
        self.current = compute(board)  # what every peer holds
        self._due = False  # the board changed since `current` was computed
        self._at = float("-inf")  # loop time of the last recompute
        self._timer: asyncio.TimerHandle | None = None

    @property
    def ordered_by(self) -> str:
        return str(self.current.get("ordered_by", ""))

    def send(self, ops: bytes, changed: bool) -> None:
        """Send everyone `ops` (an encoded message), with the metrics if they are due now.

        `changed`: the batch may have changed a number. With a recompute already
        waiting, that recompute sees this batch too.
        """
        self._due = self._due or changed
        if not self._due:
            self._broadcast(Outbound.encoded(ops))
            return
        loop = asyncio.get_running_loop()
        wait = self._at + METRICS_INTERVAL - loop.time()
        if wait <= 0:  # the metrics ride with these ops
            self._cancel_timer()
            self._recompute(ops)
            return
        if self._timer is None:
            self._timer = loop.call_later(wait + METRICS_GRACE, self._later)
        self._stats.metrics_deferred += 1
        self._broadcast(Outbound.encoded(ops))

    def now(self) -> None:
        """Bring due metrics up to date at once (before a welcome, or for a reader)."""
        if self._due:
            self._cancel_timer()
            self._recompute()

    def close(self) -> None:
        """No metrics sent later (the room is being dropped)."""
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _later(self) -> None:
        self._timer = None
        if self._due:
            self._recompute()

    def _recompute(self, *head: bytes) -> None:
        """Recompute and send everyone `head` (encoded messages), then the metrics if
        they changed: whole, or as a patch to peers that take patches."""
        self._due = False
        self._at = asyncio.get_running_loop().time()
        board, seq, peers = self._state()
        metrics = self._compute(board)
        if metrics == self.current:
            if head:
                self._broadcast(Outbound.encoded(*head))
            return
        whole, patched = self._messages(metrics, seq)
        self.current = metrics
        frames = {False: Outbound.encoded(*head, whole), True: Outbound.encoded(*head, patched)}
        for peer in list(peers):
            peer.socket.send(frames[peer.patches])

    def _messages(self, metrics: dict[str, Any], seq: int) -> tuple[bytes, bytes]:
        """The new metrics whole, and for peers that take patches the smaller of that
        and a patch against the metrics they hold."""
        whole = orjson.dumps({"type": "metrics", "seq": seq, "metrics": metrics})
        changes = patch.diff(self.current, metrics)
        if changes is None:
            return whole, whole
        patched = orjson.dumps({"type": "metrics", "seq": seq, "patch": changes})
        return whole, patched if len(patched) < len(whole) else whole

    def _broadcast(self, frame: Outbound) -> None:
        for peer in list(self._state()[2]):
            peer.socket.send(frame)
