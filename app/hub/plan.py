"""A batch of operations sorted out before it is applied: duplicates, refusals, authors.

The room takes whatever queued while it was committing and hands it here:
`Plan.make` drops re-sent operations (by cid), refuses what the sender's role
may not do (a viewer anything, a participant the frame or anything while the
facilitator has paused editing), and lines up the rest with who sent each, for
the domain to apply and stamp. After the commit, `Plan.reply` tells each sender
about its refusals and duplicates and resolves HTTP callers. Who sends them is
here too: a `Peer` (one connection) and its `Submission` (operations in order).

    plan = Plan.make(known_cids, batch, board)
    board, outcomes = apply_many(board, plan.domain_ops, actors=plan.actors)
    stored = plan.entries(outcomes, first_seq=seq + 1)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.actor import Actor, stamp_now
from app.domain.elements import Board
from app.domain.operations import Rejection
from app.hub.frames import Outbound
from app.hub.identity import cid_prefix
from app.hub.ports import PeerSocket, StoredOp
from app.protocol import BoardOp, Op, TeamOp, error, to_domain

_NOT_YOURS = "an operation id (cid) must begin with your client id: {prefix}"
# The server itself, acting on the board: publishing and validation set its `state`, an
# event log's import its `measured` summary, which no link's role may set (see _forbidden).
SERVER_ROLE = "server"
# The `by` of an entry applied over HTTP (docs/protocol.md: the contract, kept as is).
API_BY = "api"
# What people read instead (api_client_name): the link's role, as a participant says it.
API_CLIENT_NAMES = {
    "facilitator": "the facilitator's API client",
    "participant": "a participant's API client",
    SERVER_ROLE: "Flowmap",
}


@dataclass(eq=False)
class Peer:
    """One connection on the board."""

    id: str
    name: str
    role: str
    socket: PeerSocket
    color: str = ""
    # This browser's own id (from hello), kept across reconnects; the peer id is not.
    client: str = ""
    # The link the peer came in with (its token's hash): revoking it closes this session.
    link: str = ""
    # Takes metrics as patches against the ones before (its hello said "metrics-patch").
    patches: bool = False
    # When it joined (wall clock): orders the presence list when it merges other processes'.
    joined: float = 0.0
    # Where it connects from (api/limits.py's key of its address): live drags are shared
    # per address first when a frame is full (hub/transient.py).
    address: str = ""
    # Joined without a name ("Just look"): the room names it (hub/guests.py).
    guest: bool = False

    def info(self) -> dict[str, str]:
        return {
            "peer": self.id, "name": self.name, "color": self.color, "role": self.role,
            "client": self.client,
        }  # fmt: skip

    def actor(self, at: str, clock: float | None = None) -> Actor:
        client = self.client or self.id
        return Actor(name=self.name, client=client, role=self.role, at=at, clock=clock)


@dataclass(eq=False)
class Submission:
    """Operations from one sender, in order; `done` gets HTTP callers their results.

    `client` is the sender's identity as the server established it (hub/identity.py):
    its cids must begin with it, so nobody can spend another sender's operation ids.
    """

    author: Peer | None
    role: str
    ops: Sequence[Op]
    done: asyncio.Future[list[dict[str, Any]]] | None = None
    client: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    arrived: float = field(default_factory=time.perf_counter)


class Plan:
    """One batch sorted out: duplicates, forbidden ops, and the ops to apply."""

    def __init__(self, batch: list[Submission]) -> None:
        self.batch = batch
        self.domain_ops: list[Any] = []
        self.actors: list[Actor | None] = []  # who sent each domain op (None: the HTTP API)
        # Per submission, per op: ("apply", index) | ("dup", cid) | ("forbidden", reason)
        self.slots: list[list[tuple[str, Any, str | None]]] = []
        self.applied: list[dict[str, Any] | Rejection] = []
        self.seq_of: dict[int, int] = {}  # domain op index -> the seq it was stored at

    @classmethod
    def make(cls, known_cids: dict[str, int], batch: list[Submission], board: Board) -> Plan:
        plan = cls(batch)
        seen: set[str] = set()
        clock = time.time()
        at = stamp_now(lambda: clock)
        for sub in batch:
            role = sub.role
            author = sub.author
            actor = author.actor(at, clock) if author else _api_actor(role, sub.client, at, clock)
            prefix = cid_prefix(sub.client)
            slots: list[tuple[str, Any, str | None]] = []
            for op in sub.ops:
                if op.cid is not None and (not sub.client or not op.cid.startswith(prefix)):
                    slots.append(("forbidden", _NOT_YOURS.format(prefix=prefix), op.cid))
                    continue
                if op.cid is not None and (op.cid in known_cids or op.cid in seen):
                    slots.append(("dup", op.cid, op.cid))
                    continue
                reason = _forbidden(role, op, board.locked)
                if reason:
                    slots.append(("forbidden", reason, op.cid))
                    continue
                if op.cid is not None:
                    seen.add(op.cid)
                slots.append(("apply", len(plan.domain_ops), op.cid))
                plan.domain_ops.append(to_domain(op))
                plan.actors.append(actor)
            plan.slots.append(slots)
        return plan

    def entries(self, outcomes: list[Any], first_seq: int) -> list[StoredOp]:
        self.applied = outcomes
        stored: list[StoredOp] = []
        for sub, slots in zip(self.batch, self.slots, strict=True):
            by, name = (
                (sub.author.id, sub.author.name)
                if sub.author
                else (API_BY, api_client_name(sub.role))
            )
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
        """Tell each sender about its rejected and duplicate ops; resolve HTTP callers.

        The same cid twice in one batch (two tabs sending a shared unsent edit at once) gets
        the first one's answer twice: refused, the second sender hears so too, or it would
        wait for an answer that never comes."""
        refused: dict[str, str] = {}  # cid -> why, for a cid refused earlier in this batch
        for sub, slots in zip(self.batch, self.slots, strict=True):
            for kind, value, cid in slots:
                result = self._result(kind, value, cid, cids)
                if kind == "dup" and cid in refused:
                    result = {"cid": cid, "error": refused[cid]}
                elif kind == "apply" and cid is not None and "error" in result:
                    refused[cid] = result["error"]
                sub.results.append(result)
                if sub.author is None:
                    continue
                if "error" in result:
                    code = "forbidden" if kind == "forbidden" else "rejected"
                    sub.author.socket.send(Outbound(error(code, result["error"], cid)))
                elif kind == "dup" and cid in cids:
                    ack = {"type": "ack", "cid": cid, "seq": cids[cid], "duplicate": True}
                    sub.author.socket.send(Outbound(ack))
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


def _forbidden(role: str, op: Op, locked: bool) -> str | None:
    if role == SERVER_ROLE:
        return None
    if isinstance(op, BoardOp) and "state" in op.set:
        return "the board's state follows its versions: publish one, or have it validated"
    if isinstance(op, BoardOp) and op.set.get("measured") is not None:
        return "measurements come only from an event log's import (null clears them)"
    if role == "viewer":
        return "viewers cannot change the board"
    if isinstance(op, BoardOp) and role != "facilitator":
        return "only the facilitator can change the map's frame"
    if isinstance(op, TeamOp) and role != "facilitator":
        return "only the facilitator can change the map's teams"
    if paused_for(role, locked):
        return "the facilitator has paused editing for now"
    return None


def paused_for(role: str, locked: bool) -> bool:
    """Whether the facilitator's pause (the board's `locked`) stops this role's edits and drags."""
    return locked and role not in ("facilitator", SERVER_ROLE)


def api_client_name(role: str) -> str:
    """Who people read as the author of an HTTP edit: the link's role, said as an API
    client ("Set by the facilitator's API client"), never the bare `by` value "api"."""
    return API_CLIENT_NAMES.get(role, "an API client")


def _api_actor(role: str, client: str, at: str, clock: float) -> Actor:
    """Scripts over HTTP: they act in their link's role, named after it (api_client_name)."""
    return Actor(name=api_client_name(role), client=client or API_BY, role=role, at=at,
                 clock=clock)  # fmt: skip
