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
import logging
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from app.domain import patch
from app.domain.elements import Board
from app.hub.frames import Outbound
from app.hub.plan import Peer
from app.hub.stats import Stats

# Metrics are recomputed at most this often on a busy board (5 a second): an edit on a
# quiet board gets its metrics with it; on a busy one, one recompute covers the edits
# of its interval, and an edit's figures are at most INTERVAL + GRACE (250 ms) behind it.
# At 0.1 s a board at W3's pace (12 edits/s, 7 of them changing a number) recomputed 5.3
# times a second, and the recompute was a quarter of the event loop's CPU; at 0.2 s it is
# 3.8 times (-28 %), an edit's figures 104 ms behind it on average instead of 46 ms
# (simulated by bench/metrics_pace.py). A board at workshop pace is hardly affected:
# its edits come further apart than the interval, and each gets its metrics at once.
METRICS_INTERVAL = 0.2
# A waiting recompute goes out on its own this long after its interval ended, if no ops
# frame came by to carry it: on a busy board one always does.
METRICS_GRACE = 0.05

log = logging.getLogger(__name__)

Metrics = Callable[[Board], dict[str, Any]]
# What one peer is sent instead of the shared ops message (an open vote's dots sealed for
# it, domain/secrecy.py): its messages, each already encoded.
Heads = Callable[[Peer], tuple[bytes, ...]]
# The board as it is now, its seq, and who is on it.
State = Callable[[], tuple[Board, int, Iterable[Peer]]]


class MetricsFeed:
    def __init__(self, compute: Metrics, board: Board, state: State, stats: Stats) -> None:
        self._compute = compute
        self._state = state
        self._stats = stats
        self.current = self._first(board)  # what every peer holds
        self._due = False  # the board changed since `current` was computed
        self._at = float("-inf")  # loop time of the last recompute
        self._timer: asyncio.TimerHandle | None = None
        self._whole_size = 0  # bytes of the last whole `metrics` message encoded

    def _first(self, board: Board) -> dict[str, Any]:
        try:
            return self._compute(board)
        except Exception:  # the board still opens, without figures until they can be had
            log.exception("board metrics failed on loading the board")
            self._stats.errors += 1
            return {}

    @property
    def ordered_by(self) -> str:
        return str(self.current.get("ordered_by", ""))

    def send(self, ops: bytes, changed: bool, heads: Heads | None = None) -> None:
        """Send everyone `ops` (an encoded message), with the metrics if they are due now.

        `changed`: the batch may have changed a number. With a recompute already
        waiting, that recompute sees this batch too. `heads`: what each peer gets
        instead of `ops`, when not everyone may see the same.
        """
        self._due = self._due or changed
        if not self._due:
            self._send_ops(ops, heads)
            return
        loop = asyncio.get_running_loop()
        wait = self._at + METRICS_INTERVAL - loop.time()
        if wait <= 0:  # the metrics ride with these ops
            self._cancel_timer()
            self._recompute(ops, heads=heads)
            return
        if self._timer is None:
            self._timer = loop.call_later(wait + METRICS_GRACE, self._later)
        self._stats.metrics_deferred += 1
        self._send_ops(ops, heads)

    def _send_ops(self, ops: bytes, heads: Heads | None) -> None:
        if heads is None:
            self._broadcast(Outbound.encoded(ops))
            return
        frames: dict[tuple[bytes, ...], Outbound] = {}
        for peer in list(self._state()[2]):
            head = heads(peer)
            frame = frames.get(head)
            if frame is None:
                frame = frames[head] = Outbound.encoded(*head)
            peer.socket.send(frame)

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

    def _recompute(self, *head: bytes, heads: Heads | None = None) -> None:
        """Recompute and send everyone `head` (encoded messages; or each peer its
        `heads`), then the metrics if they changed: whole, or as a patch to peers that
        take patches."""
        self._due = False
        self._at = asyncio.get_running_loop().time()
        board, seq, peers = self._state()
        try:
            metrics = self._compute(board)
            changes = patch.diff(self.current, metrics)
        except Exception:
            # A board the metrics cannot be worked out for (a bug, or figures beyond reason)
            # must not stop its edits: they are stored already, and go out without new figures.
            log.exception("board metrics failed at seq %d; the edits go out without them", seq)
            self._stats.errors += 1
            if head:
                self._send_ops(head[0], heads)
            return
        if changes == []:  # nothing JSON could tell apart
            if head:
                self._send_ops(head[0], heads)
            return
        self.current = metrics
        by_head: dict[tuple[bytes, ...], _Frames] = {}
        for peer in list(peers):
            mine = head if heads is None else heads(peer)
            frames = by_head.get(mine)
            if frames is None:
                frames = by_head[mine] = _Frames(mine, metrics, seq, changes, self._whole_size)
            peer.socket.send(frames.patched() if peer.patches else frames.whole())
        for frames in by_head.values():
            self._whole_size = frames.whole_size or self._whole_size

    def _broadcast(self, frame: Outbound) -> None:
        for peer in list(self._state()[2]):
            peer.socket.send(frame)


class _Frames:
    """One recompute's frames, each encoded only if a peer needs it.

    Every browser takes patches: the whole document (5-6 KB for two dozen steps, 12
    µs to encode and copy into a frame) is encoded only for a peer that does not, or
    when the patch may not be the smaller. A patch under half the size of the last
    whole document encoded goes without the comparison: it is the smaller, unless the
    document has since shrunk by half, and even then it is larger by its paths at most
    (a patch holds new values of the document, each with its path).
    """

    __slots__ = ("_changes", "_head", "_last_size", "_metrics", "_patched", "_seq", "_whole")

    def __init__(
        self,
        head: tuple[bytes, ...],
        metrics: dict[str, Any],
        seq: int,
        changes: list[patch.Change] | None,
        last_size: int,
    ) -> None:
        self._head, self._metrics, self._seq, self._changes = head, metrics, seq, changes
        self._last_size = last_size
        self._whole: Outbound | None = None
        self._patched: Outbound | None = None

    @property
    def whole_size(self) -> int:
        """The whole `metrics` message's size, if it was encoded (else 0)."""
        return 0 if self._whole is None else self._whole.size - sum(map(len, self._head))

    def whole(self) -> Outbound:
        if self._whole is None:
            message = orjson.dumps({"type": "metrics", "seq": self._seq, "metrics": self._metrics})
            self._whole = Outbound.encoded(*self._head, message)
        return self._whole

    def patched(self) -> Outbound:
        """The patch, or the whole document when that is no smaller."""
        if self._patched is None:
            self._patched = self._smaller()
        return self._patched

    def _smaller(self) -> Outbound:
        if self._changes is None:  # the document's keys changed: no patch
            return self.whole()
        message = orjson.dumps({"type": "metrics", "seq": self._seq, "patch": self._changes})
        # Under half the last whole document, it is the smaller; else compare.
        if 2 * len(message) >= self._last_size:
            whole = self.whole()
            if len(message) >= self.whole_size:
                return whole
        return Outbound.encoded(*self._head, message)
