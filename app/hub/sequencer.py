"""The sequencer: one board's operations, batched, committed, then sent, in one order.

Operations from every peer (and from the HTTP endpoint) queue up; a turn takes
whatever has queued as a batch, plans it (plan.py), applies it to the board,
commits it in one transaction, and only then sends it (timeline.py). What
arrives while a commit is in flight forms the next batch (group commit), so a
busy board costs one commit and one frame per peer per batch, not per edit.

Where the sequencer is (`Phase`):

    IDLE ──submit/receive──▶ SCHEDULED ──turn──▶ IDLE       (all committed NOW)
                                          └────▶ PUMPING ──drained──▶ IDLE

A turn runs soon (call_soon), not at once, so whatever else arrives in this
turn of the loop joins the batch. In the turn, received entries that follow on
are applied and batches are committed without awaiting, as long as the store
can (SQLite in this process). Anything that needs an await (a store that waits,
a gap to read from the log, a lost race) goes to the pump task, which keeps the
board until the queue, the inbox and the log are drained.

How one batch is committed (`Commit`): NOW in a turn; in the pump OPTIMISTIC,
naming the seq it expects, then LOCKED (the board row locked in the database)
once it has lost the race OPTIMISTIC_ATTEMPTS times. Every mode plans with
`prepare` and ends in `_committed`.

    sequencer = Sequencer(timeline, store, stats)
    sequencer.enqueue(Submission(peer, peer.role, ops))
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.elements import Board
from app.domain.operations import apply_many
from app.domain.replay import replay
from app.hub.frames import Outbound
from app.hub.plan import Plan, Submission
from app.hub.ports import BoardStore, DuplicateCid, SeqConflict, StoredOp
from app.hub.remote import RemoteSync
from app.hub.stats import Stats
from app.hub.timeline import Timeline
from app.protocol import error

log = logging.getLogger(__name__)

# Commit attempts for one batch (a lost race, or a re-sent op the room had forgotten).
COMMIT_ATTEMPTS = 5
# Races lost to other processes before the room commits with the board row locked: a
# busy process can otherwise win every time, starving the other one's peers.
OPTIMISTIC_ATTEMPTS = 2
# What an HTTP caller hears when storing its batch failed (the log has the error itself): the
# driver's own text repeats the statement and its parameters, which is to say other people's
# edits, at any length.
SAVE_FAILED = "the board could not be saved just now; nothing was applied — try again"


Frame = dict[str, Any] | None  # the board's own fields a batch sets, if any


class Unavailable(Exception):
    """The board's operations could not be stored; nothing was applied."""


class Phase(enum.Enum):
    IDLE = "idle"  # nothing queued, nothing in flight
    SCHEDULED = "scheduled"  # a turn is due: what arrives until then joins its batch
    PUMPING = "pumping"  # the pump task has the board: it awaits the store between batches


class Commit(enum.Enum):
    NOW = "now"  # store.commit_now, inside the turn: no await (if it cannot, the pump's turn)
    OPTIMISTIC = "optimistic"  # await store.commit naming the seq it expects; may lose a race
    LOCKED = "locked"  # await store.commit_exclusive: planned after the others, row locked


@dataclass(slots=True)
class Prepared:
    """A batch planned and applied to a board, not yet committed."""

    plan: Plan
    board: Board
    stored: list[StoredOp]


def prepare(cids: dict[str, int], batch: list[Submission], board: Board, seq: int) -> Prepared:
    """Plan the batch against the board at `seq` and apply it (pure: no I/O, no room)."""
    plan = Plan.make(cids, batch, board)
    new_board, outcomes = apply_many(board, plan.domain_ops, actors=plan.actors)
    return Prepared(plan, new_board, plan.entries(outcomes, first_seq=seq + 1))


def unplannable(
    cids: dict[str, int], batch: list[Submission], board: Board, seq: int
) -> list[Submission]:
    """The submissions that make `prepare` raise, each planned on the board as the ones
    before it that did not left it (pure; run only once a batch has failed)."""
    broken: list[Submission] = []
    for sub in batch:
        try:
            prepared = prepare(cids, [sub], board, seq)
        except Exception:  # whatever it raises, it is this sender's ops that raise it
            broken.append(sub)
            continue
        board, seq = prepared.board, seq + len(prepared.stored)
        cids = cids | {op.cid: op.seq for op in prepared.stored if op.cid is not None}
    return broken


class Sequencer:
    """The single writer of one board in this process; see the module docstring."""

    def __init__(
        self, timeline: Timeline, store: BoardStore, stats: Stats, remote: RemoteSync | None = None
    ) -> None:
        self.phase = Phase.IDLE
        self._timeline = timeline
        self._store = store
        self._stats = stats
        self.remote = remote or RemoteSync(timeline, store, stats, self.wake)
        self._queue: list[Submission] = []
        self._pump: asyncio.Task[None] | None = None
        self._in_flight: list[Submission] = []  # the pump's batch, for close to answer
        self._closed = False

    @property
    def settled(self) -> bool:
        """Nothing queued or in flight: every batch so far is committed and sent."""
        return not self._queue and self.phase is Phase.IDLE

    def enqueue(self, submission: Submission) -> Submission:
        """Queue operations; they are applied, committed and broadcast in arrival order."""
        self._queue.append(submission)
        if self.phase is Phase.IDLE:
            self.wake()
        return submission

    def wake(self) -> None:
        """IDLE -> SCHEDULED: a turn soon, not now; what else arrives meanwhile joins it."""
        if self.phase is Phase.IDLE and not self._closed:
            self.phase = Phase.SCHEDULED
            asyncio.get_running_loop().call_soon(self._turn)

    def _turn(self) -> None:
        """SCHEDULED -> IDLE, or -> PUMPING when something must be awaited."""
        if self.phase is not Phase.SCHEDULED:
            return  # the pump took the board meanwhile, or the room closed
        self.phase = Phase.IDLE  # a wake from inside the turn schedules another turn
        remote = self.remote
        if remote.inbox and not remote.stale and not remote.apply_inbox():
            remote.stale = True  # a gap: the pump reads the log
        while self._queue and not remote.pending:
            batch, self._queue = self._queue, []
            try:
                if self._commit_now(batch):
                    continue
            except Exception as err:  # the room must outlive any one batch
                self._failed(batch, err)
                continue
            self._queue[:0] = batch  # the pump takes it from here, first
            break
        if self._queue or remote.pending:
            self.phase = Phase.PUMPING
            self._pump = asyncio.get_running_loop().create_task(self._run())

    def _commit_now(self, batch: list[Submission]) -> bool:
        """Commit.NOW: False, having changed nothing, if the store would have to wait
        (or the race for the board needs sorting out: the pump's retries do that)."""
        timeline = self._timeline
        prepared = prepare(timeline.cids, batch, timeline.board, timeline.seq)
        if prepared.stored:
            frame = Plan.frame(prepared.stored)
            try:
                if not self._store.commit_now(
                    timeline.board_id, timeline.seq, prepared.stored, frame
                ):
                    return False
            except (DuplicateCid, SeqConflict):
                return False
        self._committed(batch, prepared)
        return True

    async def _run(self) -> None:
        """The pump: PUMPING until the queue, the inbox and the log are drained."""
        remote = self.remote
        try:
            while self._queue or remote.pending:
                if remote.pending:  # others' entries first: they hold lower seqs
                    await remote.sync()
                if not self._queue:
                    continue
                batch, self._queue = self._queue, []
                self._in_flight = batch
                try:
                    await self._process(batch)
                except Exception as err:  # the room must outlive any one batch
                    self._failed(batch, err)
                self._in_flight = []
        finally:
            self._pump = None
            self.phase = Phase.IDLE

    async def _process(self, batch: list[Submission]) -> None:
        """OPTIMISTIC, then LOCKED after losing the race OPTIMISTIC_ATTEMPTS times."""
        conflicts = 0
        for _attempt in range(COMMIT_ATTEMPTS):
            mode = Commit.OPTIMISTIC if conflicts < OPTIMISTIC_ATTEMPTS else Commit.LOCKED
            try:
                await self._commit(batch, mode)
                return
            except DuplicateCid:
                cids = [op.cid for s in batch for op in s.ops if op.cid is not None]
                found = await self._store.find_cids(self._timeline.board_id, cids)
                self._timeline.cids.update(found)
            except SeqConflict:
                conflicts += 1
                self._stats.seq_conflicts += 1
                await self.remote.after_lost_race()
        raise Unavailable("the board changed under us too often; try again")

    async def _commit(self, batch: list[Submission], mode: Commit) -> None:
        timeline = self._timeline
        if mode is Commit.LOCKED:
            prepared = await self._commit_locked(batch)
        else:
            prepared = prepare(timeline.cids, batch, timeline.board, timeline.seq)
            if prepared.stored:
                frame = Plan.frame(prepared.stored)
                await self._store.commit(timeline.board_id, timeline.seq, prepared.stored, frame)
        self._committed(batch, prepared)

    async def _commit_locked(self, batch: list[Submission]) -> Prepared:
        """Commit.LOCKED: plan with the board locked in the database, after what others added."""
        timeline = self._timeline
        board, seq, cids = timeline.board, timeline.seq, dict(timeline.cids)
        planned: list[Prepared] = []

        def plan_after(missed: list[dict[str, Any]]) -> tuple[list[StoredOp], Frame]:
            # On the database thread: pure, from copies of the room's state.
            known = cids | {e["cid"]: e["seq"] for e in missed if e.get("cid") is not None}
            prepared = prepare(known, batch, replay(board, missed), seq + len(missed))
            planned[:] = [prepared]
            return prepared.stored, Plan.frame(prepared.stored)

        missed = await self._store.commit_exclusive(timeline.board_id, seq, plan_after)
        self._stats.locked_commits += 1
        if missed:
            self._stats.gap_fills += 1
            timeline.apply_remote(missed)  # our peers get them first: seq order
        return planned[0]

    def _committed(self, batch: list[Submission], prepared: Prepared) -> None:
        """The batch is durable (or had nothing to store): update, tell everyone, answer."""
        stored, plan = prepared.stored, prepared.plan
        if stored:
            try:
                self._timeline.advance(prepared.board, stored)
            except Exception:  # stored all the same: never answered as "could not save"
                log.exception("board %s: seq %d stored; telling the peers failed",
                              self._timeline.board_id, stored[-1].seq)  # fmt: skip
                self._stats.errors += 1
        plan.reply(self._timeline.cids)
        stats = self._stats
        stats.ops_applied += len(stored)
        stats.ops_rejected += len(plan.domain_ops) - len(stored)
        if stored:
            stats.observe_batch(time.perf_counter() - batch[0].arrived)

    def _failed(self, batch: list[Submission], err: Exception) -> None:
        """A batch that raised: its senders are failed, but when some of them broke its
        planning (ops the domain trips over), only they are; the others go round again
        first, as they arrived (one sender's bug cut off every peer whose edit shared it)."""
        log.error("board %s: batch failed", self._timeline.board_id, exc_info=err)
        self._stats.errors += 1
        timeline = self._timeline
        broken = unplannable(timeline.cids, batch, timeline.board, timeline.seq)
        if broken and len(broken) < len(batch):
            self._fail(broken, err)
            self._queue[:0] = [sub for sub in batch if sub not in broken]
            return
        self._fail(batch, err)

    def _fail(self, batch: Sequence[Submission], err: Exception) -> None:
        """Nothing in the batch was stored: tell senders; their clients keep the ops and resend."""
        for sub in batch:
            if sub.done is not None and not sub.done.done():
                said = err if isinstance(err, Unavailable) else Unavailable(SAVE_FAILED)
                sub.done.set_exception(said)
            elif sub.author is not None:
                sub.author.socket.send(Outbound(error("unavailable", "could not save; retrying")))
                sub.author.socket.close(1011, "could not save; reconnect and resend")

    async def close(self) -> None:
        """No more turns; the pump is cancelled and awaited, and what it had not
        committed is answered as a failed batch (its clients resend elsewhere)."""
        self._closed = True
        pump = self._pump
        if pump is not None:
            pump.cancel()
            await asyncio.wait({pump})  # its own cancellation is not ours: not raised here
        left, self._queue = self._in_flight + self._queue, []
        self._in_flight = []
        self.phase = Phase.IDLE
        self.remote.close()
        if left:
            self._fail(left, Unavailable("the board was closed on this server"))
