"""The board as a room has it: board and seq, recent entries, cids seen, snapshots.

A board moves on two ways, and both come through here: a batch this room
committed (`advance`, from the sequencer) and entries another process committed
(`apply_remote`, from remote sync). Either way every peer gets one `ops` frame
(the same bytes for all, but for an open vote's dots, sealed for all but their
author: domain/secrecy.py) with the metrics it changed, and every SNAPSHOT_EVERY
operations a snapshot is saved by a task this timeline owns and awaits on close.

    timeline = Timeline("b1", loaded, store, stats, metrics_feed, forecast_feed)
    timeline.advance(new_board, stored)   # committed here
    timeline.apply_remote(entries)        # committed elsewhere, following on from seq
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson

from app.domain import secrecy
from app.domain.elements import Board
from app.domain.relevance import may_change_metrics
from app.domain.replay import replay
from app.hub.forecast_feed import ForecastFeed
from app.hub.metrics_feed import Heads, MetricsFeed
from app.hub.plan import Peer
from app.hub.ports import BoardStore, Broker, LoadedBoard, StoredOp
from app.hub.recent import RecentLog
from app.hub.stats import Stats

log = logging.getLogger(__name__)

# Catch-up replays at most this many missed operations; further behind, a snapshot is smaller.
CATCHUP_LIMIT = 1000
# A snapshot every so many operations keeps loading a board a short replay.
SNAPSHOT_EVERY = 500


class Timeline:
    """One board's state in this process and the peers' view of it, seq by seq."""

    def __init__(
        self,
        board_id: str,
        loaded: LoadedBoard,
        store: BoardStore,
        stats: Stats,
        metrics: MetricsFeed,
        forecast: ForecastFeed,
        broker: Broker | None = None,
    ) -> None:
        self.board_id = board_id
        self.board = loaded.board
        self.seq = loaded.seq
        self.cids: dict[str, int] = dict(loaded.recent_cids)  # cid -> seq, to apply a resend once
        self._recent = RecentLog(CATCHUP_LIMIT, loaded.recent_entries)
        self._store = store
        self._stats = stats
        self._metrics = metrics
        self._forecast = forecast
        self._broker = broker
        self._snapshot_seq = loaded.seq
        self._snapshots: set[asyncio.Task[None]] = set()
        # The last seq whose entries went out sealed for some peers (they are kept whole): a
        # peer that missed it is caught up by a snapshot. What went before this process
        # loaded the board is not known: any entry that might have is counted.
        self.sealed_seq = max(
            (e["seq"] for e in loaded.recent_entries if secrecy.may_have_hidden(e)), default=0
        )

    def missed_since(
        self, since: int | None, since_cid: str | None = None
    ) -> list[orjson.Fragment] | None:
        """The entries after `since`, for a welcome; None when a snapshot must do.

        `since_cid`: the cid of the entry the client applied at `since`. When the entry
        kept here has another, this history is not the one the client saw (the server
        was restored from a backup, or lost its last commits): the entries after it
        would leave the client showing what the server no longer has.
        """
        if since is None or since > self.seq:
            return None
        if since_cid is not None:
            kept, cid = self._recent.cid_at(since)
            if kept and cid != since_cid:
                return None
        if since == self.seq:
            return []
        oldest = self._recent.oldest
        if since + 1 < (self.seq + 1 if oldest is None else oldest):
            return None
        return self._recent.since(since)

    @property
    def last_cid(self) -> str | None:
        """The cid of the entry at `seq`, if it is kept and has one (the welcome says it)."""
        return self._recent.cid_at(self.seq)[1]

    def sealed_since(self, since: int) -> bool:
        """Whether entries after `since` went out sealed (or revealed a vote): a peer that
        missed them needs a snapshot as it may see it, not the entries as they are kept."""
        return since < self.sealed_seq

    def advance(self, new_board: Board, stored: list[StoredOp]) -> None:
        """This room committed `stored` (not empty): take them on, publish, tell the peers."""
        before = self.board
        entries = [op.entry for op in stored]
        self.board, self.seq = new_board, stored[-1].seq
        blobs = self._recent.extend(entries)
        cids = self.cids
        for op in stored:
            if op.cid is not None:
                cids[op.cid] = op.seq
        if self._broker is not None:  # first: it is written to Redis at once
            self._broker.publish(self.board_id, entries)
        self._send(before, entries, blobs)
        self._snapshot_now_and_then()

    def apply_remote(self, entries: list[dict[str, Any]]) -> None:
        """Entries committed elsewhere, contiguous from seq + 1: apply, then tell our peers."""
        if [e["seq"] for e in entries] != list(range(self.seq + 1, self.seq + 1 + len(entries))):
            raise RuntimeError(f"board {self.board_id}: entries out of order after {self.seq}")
        before = self.board
        self.board = replay(self.board, entries)
        self.seq = entries[-1]["seq"]
        blobs = self._recent.extend(entries)
        for entry in entries:
            if entry.get("cid") is not None:
                self.cids[entry["cid"]] = entry["seq"]
        self._send(before, entries, blobs)
        self._stats.remote_ops += len(entries)
        self._snapshot_now_and_then()

    def _send(self, before: Board, entries: list[dict[str, Any]], blobs: list[bytes]) -> None:
        """Applied entries to every peer, with the metrics they changed: one write per peer.
        `blobs`: the entries' JSON, as the recent log keeps them."""
        ops = RecentLog.ops_frame(blobs)
        # Moves, colours, notes, comments and dots leave every number as it was: most of
        # a workshop's traffic then costs no recompute (domain/relevance.py says when).
        changed = may_change_metrics(before, entries, self._metrics.ordered_by)
        if not changed:
            self._stats.metrics_skipped += 1
        else:
            self._forecast.due()
        heads = self._sealed(before, entries, ops) if secrecy.may_hide(entries) else None
        self._metrics.send(ops, changed, heads)

    def _sealed(self, before: Board, entries: list[dict[str, Any]], ops: bytes) -> Heads | None:
        """What each peer gets when an open vote's dots are among `entries` (placed: sealed
        for all but their authors) or a vote closed (its dots revealed to all)."""
        # Before as well as after, and what this batch placed in votes open before it: a dot
        # placed and its vote removed (or the dot taken back) in one batch is on neither.
        secret = {
            **secrecy.placed_in(entries, secrecy.open_votes(before)),
            **secrecy.secret_dots(before),
            **secrecy.secret_dots(self.board),
        }
        touched = secrecy.sealed_in(entries, secret)
        closed = secrecy.closed_votes(entries, before)
        if not touched and not closed:
            return None
        self.sealed_seq = self.seq
        reveal: tuple[bytes, ...] = ()
        if closed:
            dots = secrecy.revealed(self.board, closed)
            message = {"type": "reveal", "elements": dots, "votes": sorted(closed)}
            reveal = (orjson.dumps(message),)
        heads: dict[tuple[str, ...], tuple[bytes, ...]] = {}

        def head(peer: Peer) -> tuple[bytes, ...]:
            own = tuple(sorted(d for d in touched if secret[d] == peer.client))
            found = heads.get(own)
            if found is None:
                sealed = secrecy.seal_entries(entries, secret, peer.client) if touched else None
                frame = ops if sealed is None else orjson.dumps({"type": "ops", "ops": sealed})
                found = heads[own] = (frame, *reveal)
            return found

        return head

    def _snapshot_now_and_then(self) -> None:
        if self.seq - self._snapshot_seq >= SNAPSHOT_EVERY:
            self._snapshot_seq = self.seq
            task = asyncio.get_running_loop().create_task(self.save_snapshot())
            self._snapshots.add(task)
            task.add_done_callback(self._snapshots.discard)

    async def save_snapshot(self) -> None:
        board, seq = self.board, self.seq
        try:
            await self._store.snapshot(self.board_id, seq, board)
        except Exception:
            log.exception(
                "board %s: snapshot at %d failed (the op log still has it)", self.board_id, seq
            )

    async def close(self) -> None:
        """Let the snapshots under way finish (each catches its own failure)."""
        while self._snapshots:
            await asyncio.gather(*self._snapshots)
