"""One board's live session: its peers, the order of its operations, catch-up.

Operations from every peer (and from the HTTP endpoint) queue up; one task
takes whatever has queued as a batch, validates and applies it against the
board (domain.operations.apply_many), commits it in one transaction, and only
then sends it: one `ops` frame, the same bytes for every peer. Operations that
arrive while a commit is in flight form the next batch (group commit), so a
busy board costs one commit and one frame per peer per batch, not per edit.

With several server processes, the database still orders the board (a commit
names the seq it expects). After its commit a room hands the entries to the
Broker for the other processes; entries they committed come back through
`receive`, and the same task applies them in seq order between its own
batches. A gap, a lost race for the board (SeqConflict) or a `resync` is
filled from the op log, so local peers always get every seq, in order.

    room = Room("b1", loaded, store, metrics=compute, broker=broker)
    room.join(peer, since=None)          # queues `welcome` on peer.socket
    room.submit(peer, [UpdateOp(...)])   # later: `ops` to everyone
    room.receive(entries)                # another process committed these
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import orjson

from app.domain.actor import stamp_now
from app.domain.elements import Board
from app.domain.operations import apply_many
from app.domain.relevance import may_change_metrics
from app.domain.replay import replay
from app.domain.serialize import board_to_json
from app.hub.forecast_feed import Forecaster, ForecastFeed
from app.hub.frames import Outbound
from app.hub.metrics_feed import METRICS_INTERVAL, Metrics, MetricsFeed
from app.hub.plan import SERVER_ROLE, Peer, Plan, Submission
from app.hub.ports import (
    BoardStore,
    Broker,
    DuplicateCid,
    LoadedBoard,
    SeqConflict,
    StoredOp,
)
from app.hub.recent import RecentLog
from app.hub.stats import Stats
from app.protocol import PROTOCOL_VERSION, Op, error

__all__ = ["METRICS_INTERVAL", "SERVER_ROLE", "Peer", "Room", "Submission", "Unavailable"]

log = logging.getLogger(__name__)

# Presence goes out at most this often while people join or leave in a burst.
PRESENCE_INTERVAL = 0.1
# Each presence frame lists everyone and goes to everyone: its cost grows with the square
# of the board. Past this many bytes a second (all peers together) frames are spaced out,
# so one connection joining and leaving in a loop cannot make the server send gigabytes
# to a big board (1,000 peers: ~110 KB a frame, one every ~26 s; 30 peers: 10 a second).
PRESENCE_BYTES_PER_SECOND = 4 * 1024 * 1024
# Catch-up replays at most this many missed operations; further behind, a snapshot is smaller.
CATCHUP_LIMIT = 1000
# Live cursors and drags go out at most this often (~30 per second): smooth, and bounded.
TRANSIENT_INTERVAL = 1 / 30
# A snapshot every so many operations keeps loading a board a short replay.
SNAPSHOT_EVERY = 500
# Operations read from the op log per query when filling a gap.
LOG_PAGE = 500
# Commit attempts for one batch (a lost race, or a re-sent op the room had forgotten).
COMMIT_ATTEMPTS = 5
# Races lost to other processes before the room commits with the board row locked: a
# busy process can otherwise win every time, starving the other one's peers.
OPTIMISTIC_ATTEMPTS = 2
# Seconds before trying again to read the log after the database failed us.
RESYNC_RETRY = 1.0
# Websocket close code for a session whose link was revoked (4000-4999: the application's).
LINK_REVOKED = 4403
# Distinct, readable colours for people's cursors and presence chips.
PEER_COLORS = (
    "#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2",
    "#ca8a04", "#dc2626", "#4f46e5", "#059669", "#c026d3", "#475569",
)  # fmt: skip

Frame = dict[str, Any] | None  # the board's own fields a batch sets, if any


class Unavailable(Exception):
    """The board's operations could not be stored; nothing was applied."""


class Room:
    def __init__(
        self,
        board_id: str,
        loaded: LoadedBoard,
        store: BoardStore,
        metrics: Metrics,
        stats: Stats | None = None,
        broker: Broker | None = None,
        forecast: Forecaster | None = None,
    ) -> None:
        self.board_id = board_id
        self.stats = stats or Stats()
        self.board = loaded.board
        self.seq = loaded.seq
        self.peers: dict[str, Peer] = {}
        self._store = store
        self._broker = broker
        self._feed = MetricsFeed(
            metrics, self.board, lambda: (self.board, self.seq, self.peers.values()), self.stats
        )
        self._forecast = ForecastFeed(
            forecast or _no_forecast, lambda: (self.board, self.seq, self.peers.values())
        )
        self._cids: dict[str, int] = dict(loaded.recent_cids)
        self._recent = RecentLog(CATCHUP_LIMIT, loaded.recent_entries)
        self._snapshot_seq = loaded.seq
        self._queue: list[Submission] = []
        self._inbox: list[dict[str, Any]] = []  # entries other processes committed
        self._stale = False  # the op log may hold entries this room has not seen
        # Joins waiting for the room to read the op log (caught_up): True once it has.
        self._catching_up: list[asyncio.Future[bool]] = []
        self._pump: asyncio.Task[None] | None = None
        self._kicked = False  # a _kick is scheduled
        self._cursors: dict[str, tuple[float | None, float | None]] = {}
        self._drags: dict[str, dict[str, tuple[float, float]]] = {}
        self._views: dict[str, tuple[float, float, float, float]] = {}
        self._last_presence = float("-inf")
        self._presence_gap = PRESENCE_INTERVAL  # grows with what the last frame cost to send
        self._presence_timer: asyncio.TimerHandle | None = None
        self._flush: asyncio.TimerHandle | None = None
        self._next_peer = 0

    # ---- peers ---------------------------------------------------------------

    def join(self, peer: Peer, since: int | None) -> None:
        """Add a peer and queue its welcome: a snapshot, or the operations it missed."""
        self._next_peer += 1
        peer.id = f"p{self._next_peer}"
        used = {p.color for p in self.peers.values()}
        peer.color = next((c for c in PEER_COLORS if c not in used), PEER_COLORS[0])
        self._feed.now()  # the welcome's metrics are the board's as of its seq
        self._forecast.prime()  # the first forecast follows the welcome: it is not held up
        self.peers[peer.id] = peer
        missed = self._missed_since(since)
        peer.socket.send(
            Outbound(
                {
                    "type": "welcome",
                    "protocol": PROTOCOL_VERSION,
                    "you": peer.info(),
                    "seq": self.seq,
                    "snapshot": board_to_json(self.board) if missed is None else None,
                    "missed": missed,
                    "peers": [p.info() for p in self.peers.values()],
                    "metrics": self._feed.current,
                    "forecast": self._forecast.current,
                    "now": stamp_now(),
                }
            )
        )
        self._send_presence()

    def _missed_since(self, since: int | None) -> list[orjson.Fragment] | None:
        if since is None or since > self.seq:
            return None
        if since == self.seq:
            return []
        oldest = self._recent.oldest
        if since + 1 < (self.seq + 1 if oldest is None else oldest):
            return None
        return self._recent.since(since)

    def leave(self, peer: Peer) -> None:
        if self.peers.pop(peer.id, None) is None:
            return
        self._cursors.pop(peer.id, None)
        self._drags.pop(peer.id, None)
        self._views.pop(peer.id, None)
        self._send_presence()

    def _send_presence(self) -> None:
        """Who is here, to everyone: at once, or, while people keep arriving, once a tick.

        Each presence frame lists everyone, so 500 people joining one by one would
        send everyone 500 ever longer lists; coalesced, it is a few dozen.
        """
        loop = asyncio.get_running_loop()
        wait = self._last_presence + self._presence_gap - loop.time()
        if wait <= 0:
            self._presence_now()
        elif self._presence_timer is None:
            self._presence_timer = loop.call_later(wait, self._presence_now)

    def _presence_now(self) -> None:
        self._presence_timer = None
        self._last_presence = asyncio.get_running_loop().time()
        frame = Outbound({"type": "presence", "peers": [p.info() for p in self.peers.values()]})
        sent = frame.size * len(self.peers)
        self._presence_gap = max(PRESENCE_INTERVAL, sent / PRESENCE_BYTES_PER_SECOND)
        self._broadcast(frame)

    def _broadcast(self, frame: Outbound) -> None:
        for peer in list(self.peers.values()):
            peer.socket.send(frame)

    @property
    def settled(self) -> bool:
        """Nothing queued or in flight: every batch so far is committed and sent."""
        return not self._queue and self._pump is None and not self._kicked

    @property
    def idle(self) -> bool:
        return not self.peers and self.settled

    # ---- transient: cursors and drags -----------------------------------------

    def cursor(self, peer: Peer, x: float | None, y: float | None) -> None:
        self._cursors[peer.id] = (x, y)
        self._schedule_flush()

    def view(self, peer: Peer, x: float, y: float, w: float, h: float) -> None:
        """What the peer sees, for anyone following them (the latest per flush)."""
        self._views[peer.id] = (x, y, w, h)
        self._schedule_flush()

    def close_revoked(self, links: set[str], reason: str) -> int:
        """Close the sessions that came in with any of these (now revoked) links."""
        gone = [p for p in self.peers.values() if p.link and p.link in links]
        for peer in gone:
            peer.socket.close(LINK_REVOKED, reason)
        return len(gone)

    def drag(self, peer: Peer, moves: Sequence[tuple[str, float, float]]) -> None:
        mine = self._drags.setdefault(peer.id, {})
        for element_id, x, y in moves:
            if element_id in self.board.elements:
                mine[element_id] = (x, y)
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(TRANSIENT_INTERVAL, self._flush_transient)

    def _flush_transient(self) -> None:
        self._flush = None
        cursors = [{"peer": p, "x": x, "y": y} for p, (x, y) in self._cursors.items()]
        drags = [
            {"peer": p, "moves": [{"id": i, "x": x, "y": y} for i, (x, y) in moves.items()]}
            for p, moves in self._drags.items()
            if moves
        ]
        views = [
            {"peer": p, "x": x, "y": y, "w": w, "h": h} for p, (x, y, w, h) in self._views.items()
        ]
        self._cursors.clear()
        self._drags.clear()
        self._views.clear()
        if cursors or drags or views:
            message: dict[str, Any] = {"type": "transient", "cursors": cursors, "drags": drags}
            if views:
                message["views"] = views
            self._broadcast(Outbound(message))

    # ---- operations ------------------------------------------------------------

    def submit(self, peer: Peer, ops: Sequence[Op]) -> Submission:
        """Queue operations; they are applied, committed and broadcast in arrival order."""
        return self._enqueue(Submission(peer, peer.role, ops, client=peer.client))

    def _enqueue(self, submission: Submission) -> Submission:
        self._queue.append(submission)
        self._wake()
        return submission

    def _wake(self) -> None:
        # Soon, not now: whatever else arrived in this turn of the loop joins the batch.
        if self._pump is None and not self._kicked:
            self._kicked = True
            asyncio.get_running_loop().call_soon(self._kick)

    def _kick(self) -> None:
        """Process what queued: right here while the store commits without waiting
        (SQLite on this process), else in the pump task, which may await. Entries
        from other processes that follow on are applied right here too."""
        self._kicked = False
        if self._pump is None and self._inbox and not self._stale and not self._apply_inbox():
            self._stale = True  # a gap: the pump reads the log
        while self._pump is None and self._queue and not (self._inbox or self._stale):
            batch, self._queue = self._queue, []
            try:
                if self._commit_now(batch):
                    continue
            except Exception as err:  # the room must outlive any one batch
                log.exception("board %s: batch failed", self.board_id)
                self.stats.errors += 1
                self._fail(batch, err)
                continue
            self._queue[:0] = batch  # the pump takes it from here, first
            break
        if self._pump is None and (self._queue or self._inbox or self._stale):
            self._pump = asyncio.get_running_loop().create_task(self._run())

    def _commit_now(self, batch: list[Submission]) -> bool:
        """Plan, commit and send a batch without awaiting; False if the store cannot
        commit it that way now (or the race for the board needs sorting out)."""
        plan = Plan.make(self._cids, batch, self.board)
        new_board, outcomes = apply_many(self.board, plan.domain_ops, actors=plan.actors)
        stored = plan.entries(outcomes, first_seq=self.seq + 1)
        if stored:
            try:
                if not self._store.commit_now(self.board_id, self.seq, stored, plan.frame(stored)):
                    return False
            except (DuplicateCid, SeqConflict):  # the pump's retries deal with these
                return False
        self._committed(batch, plan, new_board, stored)
        return True

    async def submit_and_wait(
        self, ops: Sequence[Op], role: str, client: str
    ) -> list[dict[str, Any]]:
        """For the HTTP endpoint: queue, then wait until committed; per-op results."""
        done: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._enqueue(Submission(None, role, ops, done, client))
        return await done

    async def _run(self) -> None:
        try:
            while self._queue or self._inbox or self._stale:
                if self._inbox or self._stale:  # others' entries first: they hold lower seqs
                    await self._sync()
                if not self._queue:
                    continue
                batch, self._queue = self._queue, []
                try:
                    await self._process(batch)
                except Exception as err:  # the room must outlive any one batch
                    log.exception("board %s: batch failed", self.board_id)
                    self.stats.errors += 1
                    self._fail(batch, err)
        finally:
            self._pump = None

    async def _process(self, batch: list[Submission]) -> None:
        conflicts = 0
        for _attempt in range(COMMIT_ATTEMPTS):
            try:
                if conflicts < OPTIMISTIC_ATTEMPTS:
                    await self._apply_and_commit(batch)
                else:
                    await self._commit_exclusive(batch)
                return
            except DuplicateCid:
                cids = [op.cid for s in batch for op in s.ops if op.cid is not None]
                self._cids.update(await self._store.find_cids(self.board_id, cids))
            except SeqConflict:
                conflicts += 1
                self.stats.seq_conflicts += 1
                await asyncio.sleep(0)  # the winner's entries may be arriving from the broker
                if not (self._inbox and self._apply_inbox()):
                    await self._fill_from_log()
        raise Unavailable("the board changed under us too often; try again")

    async def _apply_and_commit(self, batch: list[Submission]) -> None:
        plan = Plan.make(self._cids, batch, self.board)
        new_board, outcomes = apply_many(self.board, plan.domain_ops, actors=plan.actors)
        stored = plan.entries(outcomes, first_seq=self.seq + 1)
        if stored:
            await self._store.commit(self.board_id, self.seq, stored, plan.frame(stored))
        self._committed(batch, plan, new_board, stored)

    async def _commit_exclusive(self, batch: list[Submission]) -> None:
        """Plan the batch with the board locked in the database, after whatever others added."""
        board, seq, cids = self.board, self.seq, dict(self._cids)
        planned: list[tuple[Plan, Board, list[StoredOp]]] = []

        def plan_after(missed: list[dict[str, Any]]) -> tuple[list[StoredOp], Frame]:
            # On the database thread: pure, from copies of the room's state.
            known = cids | {e["cid"]: e["seq"] for e in missed if e.get("cid") is not None}
            base = replay(board, missed)
            plan = Plan.make(known, batch, base)
            new_board, outcomes = apply_many(base, plan.domain_ops, actors=plan.actors)
            stored = plan.entries(outcomes, first_seq=seq + len(missed) + 1)
            planned[:] = [(plan, new_board, stored)]
            return stored, plan.frame(stored)

        missed = await self._store.commit_exclusive(self.board_id, seq, plan_after)
        self.stats.locked_commits += 1
        if missed:
            self.stats.gap_fills += 1
            self._apply_remote(missed)  # our peers get them first: seq order
        self._committed(batch, *planned[0])

    def _committed(
        self, batch: list[Submission], plan: Plan, new_board: Board, stored: list[StoredOp]
    ) -> None:
        """The batch is durable (or had nothing to store): update, tell everyone, answer."""
        before = self.board
        entries = [op.entry for op in stored]
        if stored:
            self.board, self.seq = new_board, stored[-1].seq
            blobs = self._recent.extend(entries)
            for op in stored:
                if op.cid is not None:
                    self._cids[op.cid] = op.seq
            if self._broker is not None:  # first: it is written to Redis at once
                self._broker.publish(self.board_id, entries)
            self._send_entries(before, entries, blobs)
        plan.reply(self._cids)
        self.stats.ops_applied += len(stored)
        self.stats.ops_rejected += len(plan.domain_ops) - len(stored)
        if stored:
            self.stats.observe_batch(time.perf_counter() - batch[0].arrived)
            self._snapshot_now_and_then()

    # ---- what other processes committed ------------------------------------------

    def receive(self, entries: Sequence[dict[str, Any]]) -> None:
        """Entries another process committed (from the broker): applied in seq order, soon."""
        self._inbox.extend(entries)
        self._wake()

    def resync(self) -> None:
        """Check the op log for anything missed (the broker reconnected, or may have lost some)."""
        self._stale = True
        self._wake()

    async def caught_up(self) -> bool:
        """Read the op log for what other processes committed; True once this room has.

        For a client that has seen a later seq than this room (it was connected to
        another process): it must never be welcomed to an older board than it saw.
        """
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._catching_up.append(done)
        self.resync()
        return await asyncio.shield(done)  # a caller that gives up leaves the read to finish

    def _apply_inbox(self) -> bool:
        """Apply the received entries that follow on; False if one is missing before the
        rest (those after it are left to the log), or they could not be applied."""
        inbox, self._inbox = self._inbox, []
        try:
            return not self._apply_following(inbox)
        except Exception:
            log.exception("board %s: received entries did not apply", self.board_id)
            self.stats.errors += 1
            return False

    async def _sync(self) -> None:
        """Apply received entries that follow on; read the log for a gap or when stale."""
        inbox, self._inbox = self._inbox, []
        stale, self._stale = self._stale, False
        waiting, self._catching_up = self._catching_up, []
        read = False
        try:
            if self._apply_following(inbox) or stale:
                await self._fill_from_log()
            read = True
        except Exception:  # the database may be down: the room stays usable and tries again
            log.exception("board %s: could not catch up from the op log", self.board_id)
            self.stats.errors += 1
            asyncio.get_running_loop().call_later(RESYNC_RETRY, self.resync)
        finally:
            for done in waiting:
                if not done.done():
                    done.set_result(read)

    def _apply_following(self, inbox: list[dict[str, Any]]) -> bool:
        """Apply the entries that continue from self.seq; True if one is missing before the rest."""
        following: list[dict[str, Any]] = []
        gap = False
        for entry in sorted(inbox, key=_seq_of):
            expected = self.seq + len(following) + 1
            if entry["seq"] == expected:
                following.append(entry)
            elif entry["seq"] > expected:
                gap = True  # one went missing on the way: the log has it
                break
        if following:
            self._apply_remote(following)
        return gap

    async def _fill_from_log(self) -> None:
        """Apply every entry committed after ours, page by page, straight from the op log."""
        while True:
            page = await self._store.ops_since(self.board_id, self.seq, LOG_PAGE)
            fresh = [e for e in page if e["seq"] > self.seq]
            if fresh:
                self.stats.gap_fills += 1
                self._apply_remote(fresh)
            if len(page) < LOG_PAGE:
                return

    def _apply_remote(self, entries: list[dict[str, Any]]) -> None:
        """Entries committed elsewhere, contiguous from self.seq + 1: apply, then tell our peers."""
        if [e["seq"] for e in entries] != list(range(self.seq + 1, self.seq + 1 + len(entries))):
            raise RuntimeError(f"board {self.board_id}: entries out of order after {self.seq}")
        before = self.board
        self.board = replay(self.board, entries)
        self.seq = entries[-1]["seq"]
        blobs = self._recent.extend(entries)
        for entry in entries:
            if entry.get("cid") is not None:
                self._cids[entry["cid"]] = entry["seq"]
        self._send_entries(before, entries, blobs)
        self.stats.remote_ops += len(entries)
        self._snapshot_now_and_then()

    def _send_entries(
        self, before: Board, entries: list[dict[str, Any]], blobs: list[bytes]
    ) -> None:
        """Applied entries to every peer, with the metrics they changed: one write per peer.
        `blobs`: the entries' JSON, as the recent log keeps them."""
        ops = RecentLog.ops_frame(blobs)
        # Moves, colours, notes, comments and dots leave every number as it was: most of
        # a workshop's traffic then costs no recompute (domain/relevance.py says when).
        changed = may_change_metrics(before, entries, self._feed.ordered_by)
        if not changed:
            self.stats.metrics_skipped += 1
        else:
            self._forecast.due()
        self._feed.send(ops, changed)

    def _snapshot_now_and_then(self) -> None:
        if self.seq - self._snapshot_seq >= SNAPSHOT_EVERY:
            self._snapshot_seq = self.seq
            asyncio.get_running_loop().create_task(self.save_snapshot())

    async def save_snapshot(self) -> None:
        board, seq = self.board, self.seq
        try:
            await self._store.snapshot(self.board_id, seq, board)
        except Exception:
            log.exception(
                "board %s: snapshot at %d failed (the op log still has it)", self.board_id, seq
            )

    def _fail(self, batch: list[Submission], err: Exception) -> None:
        """Nothing in the batch was stored: tell senders; their clients keep the ops and resend."""
        for sub in batch:
            if sub.done is not None and not sub.done.done():
                sub.done.set_exception(Unavailable(str(err)))
            elif sub.author is not None:
                sub.author.socket.send(Outbound(error("unavailable", "could not save; retrying")))
                sub.author.socket.close(1011, "could not save; reconnect and resend")

    @property
    def metrics(self) -> dict[str, Any]:
        """The board's metrics now (a recompute that was waiting happens here)."""
        self._feed.now()
        return self._feed.current

    async def forecast(self) -> dict[str, Any] | None:
        """The board's lead-time forecast now (computed in a worker thread if it is due)."""
        return await self._forecast.latest()

    def unload(self) -> None:
        """The room is being dropped: no more forecasts for it."""
        self._forecast.close()


def _no_forecast(board: Board) -> None:
    return None


def _seq_of(entry: dict[str, Any]) -> int:
    seq: int = entry["seq"]
    return seq
