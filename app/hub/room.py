"""One board's live session: its peers, the order of its operations, catch-up.

Operations from every peer (and from the HTTP endpoint) queue up; one task
takes whatever has queued as a batch, validates and applies it against the
board (domain.operations.apply_many), commits it in one transaction, and only
then sends it: one `ops` frame, the same bytes for every peer. Operations that
arrive while a commit is in flight form the next batch (group commit), so a
busy board costs one commit and one frame per peer per batch, not per edit.

    room = Room("b1", loaded, store, metrics=compute)
    room.join(peer, since=None)          # queues `welcome` on peer.socket
    room.submit(peer, [UpdateOp(...)])   # later: `ops` to everyone
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from app.domain.elements import Board
from app.domain.operations import Rejection, apply_many
from app.domain.serialize import board_to_json
from app.hub.ports import BoardStore, DuplicateCid, LoadedBoard, PeerSocket, SeqConflict, StoredOp
from app.hub.stats import Stats
from app.protocol import PROTOCOL_VERSION, BoardOp, Op, error, to_domain

log = logging.getLogger(__name__)

# Catch-up replays at most this many missed operations; further behind, a snapshot is smaller.
CATCHUP_LIMIT = 1000
# Live cursors and drags go out at most this often (~30 per second): smooth, and bounded.
TRANSIENT_INTERVAL = 1 / 30
# A snapshot every so many operations keeps loading a board a short replay.
SNAPSHOT_EVERY = 500
# Distinct, readable colours for people's cursors and presence chips.
PEER_COLORS = (
    "#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2",
    "#ca8a04", "#dc2626", "#4f46e5", "#059669", "#c026d3", "#475569",
)  # fmt: skip

Metrics = Callable[[Board], dict[str, Any]]


def _dumps(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()


@dataclass(eq=False)
class Peer:
    """One connection on the board."""

    id: str
    name: str
    role: str
    socket: PeerSocket
    color: str = ""

    def info(self) -> dict[str, str]:
        return {"peer": self.id, "name": self.name, "color": self.color, "role": self.role}


@dataclass(eq=False)
class Submission:
    """Operations from one sender, in order; `done` gets HTTP callers their results."""

    author: Peer | None
    role: str
    ops: Sequence[Op]
    done: asyncio.Future[list[dict[str, Any]]] | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    arrived: float = field(default_factory=time.perf_counter)


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
    ) -> None:
        self.board_id = board_id
        self.stats = stats or Stats()
        self.board = loaded.board
        self.seq = loaded.seq
        self.peers: dict[str, Peer] = {}
        self._store = store
        self._metrics_fn = metrics
        self._metrics = metrics(self.board)
        self._cids: dict[str, int] = dict(loaded.recent_cids)
        self._recent: deque[dict[str, Any]] = deque(loaded.recent_entries, maxlen=CATCHUP_LIMIT)
        self._snapshot_seq = loaded.seq
        self._queue: list[Submission] = []
        self._pump: asyncio.Task[None] | None = None
        self._cursors: dict[str, tuple[float | None, float | None]] = {}
        self._drags: dict[str, dict[str, tuple[float, float]]] = {}
        self._flush: asyncio.TimerHandle | None = None
        self._next_peer = 0

    # ---- peers ---------------------------------------------------------------

    def join(self, peer: Peer, since: int | None) -> None:
        """Add a peer and queue its welcome: a snapshot, or the operations it missed."""
        self._next_peer += 1
        peer.id = f"p{self._next_peer}"
        used = {p.color for p in self.peers.values()}
        peer.color = next((c for c in PEER_COLORS if c not in used), PEER_COLORS[0])
        self.peers[peer.id] = peer
        missed = self._missed_since(since)
        peer.socket.send(
            _dumps(
                {
                    "type": "welcome",
                    "protocol": PROTOCOL_VERSION,
                    "you": peer.info(),
                    "seq": self.seq,
                    "snapshot": board_to_json(self.board) if missed is None else None,
                    "missed": missed,
                    "peers": [p.info() for p in self.peers.values()],
                    "metrics": self._metrics,
                }
            )
        )
        self._send_presence()

    def _missed_since(self, since: int | None) -> list[dict[str, Any]] | None:
        if since is None or since > self.seq:
            return None
        if since == self.seq:
            return []
        oldest = self._recent[0]["seq"] if self._recent else self.seq + 1
        if since + 1 < oldest:
            return None
        return [e for e in self._recent if e["seq"] > since]

    def leave(self, peer: Peer) -> None:
        if self.peers.pop(peer.id, None) is None:
            return
        self._cursors.pop(peer.id, None)
        self._drags.pop(peer.id, None)
        self._send_presence()

    def _send_presence(self) -> None:
        self._broadcast({"type": "presence", "peers": [p.info() for p in self.peers.values()]})

    def _broadcast(self, message: dict[str, Any]) -> None:
        frame = _dumps(message)
        for peer in list(self.peers.values()):
            peer.socket.send(frame)

    @property
    def idle(self) -> bool:
        return not self.peers and not self._queue and self._pump is None

    # ---- transient: cursors and drags -----------------------------------------

    def cursor(self, peer: Peer, x: float | None, y: float | None) -> None:
        self._cursors[peer.id] = (x, y)
        self._schedule_flush()

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
        self._cursors.clear()
        self._drags.clear()
        if cursors or drags:
            self._broadcast({"type": "transient", "cursors": cursors, "drags": drags})

    # ---- operations ------------------------------------------------------------

    def submit(self, peer: Peer, ops: Sequence[Op]) -> Submission:
        """Queue operations; they are applied, committed and broadcast in arrival order."""
        return self._enqueue(Submission(peer, peer.role, ops))

    def _enqueue(self, submission: Submission) -> Submission:
        self._queue.append(submission)
        if self._pump is None:
            self._pump = asyncio.get_running_loop().create_task(self._run())
        return submission

    async def submit_and_wait(self, ops: Sequence[Op], role: str) -> list[dict[str, Any]]:
        """For the HTTP endpoint: queue, then wait until committed; per-op results."""
        done: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._enqueue(Submission(None, role, ops, done))
        return await done

    async def _run(self) -> None:
        try:
            while self._queue:
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
        for _attempt in range(3):
            try:
                await self._apply_and_commit(batch)
                return
            except DuplicateCid:
                cids = [op.cid for s in batch for op in s.ops if op.cid is not None]
                self._cids.update(await self._store.find_cids(self.board_id, cids))
            except SeqConflict:
                await self._reload()
        raise Unavailable("the board changed under us too often; try again")

    async def _reload(self) -> None:
        loaded = await self._store.load(self.board_id)
        if loaded is not None:
            self.board, self.seq = loaded.board, loaded.seq
            self._cids.update(loaded.recent_cids)
            last = self._recent[-1]["seq"] if self._recent else 0
            self._recent.extend(e for e in loaded.recent_entries if e["seq"] > last)

    async def _apply_and_commit(self, batch: list[Submission]) -> None:
        plan = _Plan.make(self._cids, batch)
        new_board, outcomes = apply_many(self.board, plan.domain_ops)
        stored = plan.entries(outcomes, first_seq=self.seq + 1)
        if stored:
            await self._store.commit(self.board_id, self.seq, stored, plan.frame(stored))
            self.board, self.seq = new_board, stored[-1].seq
            for op in stored:
                self._recent.append(op.entry)
                if op.cid is not None:
                    self._cids[op.cid] = op.seq
            self._broadcast({"type": "ops", "ops": [op.entry for op in stored]})
        plan.reply(self._cids)
        self.stats.ops_applied += len(stored)
        self.stats.ops_rejected += len(plan.domain_ops) - len(stored)
        if stored:
            self.stats.observe_batch(time.perf_counter() - batch[0].arrived)
            self._after_commit()

    def _after_commit(self) -> None:
        metrics = self._metrics_fn(self.board)
        if metrics != self._metrics:
            self._metrics = metrics
            self._broadcast({"type": "metrics", "seq": self.seq, "metrics": metrics})
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
                sub.author.socket.send(_dumps(error("unavailable", "could not save; retrying")))
                sub.author.socket.close(1011, "could not save; reconnect and resend")

    @property
    def metrics(self) -> dict[str, Any]:
        return self._metrics


class _Plan:
    """One batch sorted out: duplicates, forbidden ops, and the ops to apply."""

    def __init__(self, batch: list[Submission]) -> None:
        self.batch = batch
        self.domain_ops: list[Any] = []
        # Per submission, per op: ("apply", index) | ("dup", cid) | ("forbidden", reason)
        self.slots: list[list[tuple[str, Any, str | None]]] = []
        self.applied: list[dict[str, Any] | Rejection] = []
        self.seq_of: dict[int, int] = {}  # domain op index -> the seq it was stored at

    @classmethod
    def make(cls, known_cids: dict[str, int], batch: list[Submission]) -> _Plan:
        plan = cls(batch)
        seen: set[str] = set()
        for sub in batch:
            role = sub.role
            slots: list[tuple[str, Any, str | None]] = []
            for op in sub.ops:
                if op.cid is not None and (op.cid in known_cids or op.cid in seen):
                    slots.append(("dup", op.cid, op.cid))
                    continue
                reason = _forbidden(role, op)
                if reason:
                    slots.append(("forbidden", reason, op.cid))
                    continue
                if op.cid is not None:
                    seen.add(op.cid)
                slots.append(("apply", len(plan.domain_ops), op.cid))
                plan.domain_ops.append(to_domain(op))
            plan.slots.append(slots)
        return plan

    def entries(self, outcomes: list[Any], first_seq: int) -> list[StoredOp]:
        self.applied = outcomes
        stored: list[StoredOp] = []
        for sub, slots in zip(self.batch, self.slots, strict=True):
            by, name = (sub.author.id, sub.author.name) if sub.author else ("api", "api")
            for kind, index, cid in slots:
                if kind != "apply" or isinstance(outcomes[index], Rejection):
                    continue
                seq = first_seq + len(stored)
                self.seq_of[index] = seq
                entry = {"seq": seq, "cid": cid, "by": by, "name": name, **outcomes[index]}
                stored.append(StoredOp(seq, cid, name, entry))
        return stored

    @staticmethod
    def frame(stored: list[StoredOp]) -> dict[str, Any] | None:
        frame: dict[str, Any] = {}
        for op in stored:
            if op.entry["op"] == "board":
                frame.update(op.entry["set"])
        return frame or None

    def reply(self, cids: dict[str, int]) -> None:
        """Tell each sender about its rejected and duplicate ops; resolve HTTP callers."""
        for sub, slots in zip(self.batch, self.slots, strict=True):
            for kind, value, cid in slots:
                result = self._result(kind, value, cid, cids)
                sub.results.append(result)
                if sub.author is None:
                    continue
                if "error" in result:
                    code = "forbidden" if kind == "forbidden" else "rejected"
                    sub.author.socket.send(_dumps(error(code, result["error"], cid)))
                elif kind == "dup" and cid in cids:
                    ack = {"type": "ack", "cid": cid, "seq": cids[cid], "duplicate": True}
                    sub.author.socket.send(_dumps(ack))
            if sub.done is not None and not sub.done.done():
                sub.done.set_result(sub.results)

    def _result(
        self, kind: str, value: Any, cid: str | None, cids: dict[str, int]
    ) -> dict[str, Any]:
        if kind == "forbidden":
            return {"cid": cid, "error": value}
        if kind == "dup":
            return {"cid": cid, "seq": cids.get(value)}
        outcome = self.applied[value]
        if isinstance(outcome, Rejection):
            return {"cid": cid, "error": outcome.reason}
        return {"cid": cid, "seq": self.seq_of[value]}


def _forbidden(role: str, op: Op) -> str | None:
    if role == "viewer":
        return "viewers cannot change the board"
    if isinstance(op, BoardOp) and role != "facilitator":
        return "only the facilitator can change the map's frame"
    return None
