"""One peer's live session on a board: its hello and join, each message, its leave.

The same session runs over either transport (asgi.py, uvicorn_line.py): the
adapter feeds it frames and ends it, the session decides what each frame means.
Each frame is parsed, charged to the connection's budget
(ratelimit.ConnectionLimits) and handed to the room. An `ops` frame the parser
refuses is still answered op by op when it reads as JSON after all: a client keeps
an op until its cid is answered, and a refusal naming no cid left it waiting for
ever. The session counts itself in `stats.connections` from `open` until `end`,
and `end` runs once, however the connection ends.

    session = Session(socket, rooms, admission, board_id, link, on_end=closed)
    if await session.open(frames):   # waits for hello, joins the board
        for raw in frames: session.handle(raw)
    session.end()
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from app.api.limits import Admission
from app.api.ratelimit import (
    LINK_OPS_REFUSED,
    LIVE_REFUSED,
    OPS_REFUSED,
    ConnectionLimits,
    TokenBucket,
)
from app.domain.names import GUEST
from app.hub.frames import Outbound
from app.hub.identity import client_of, ephemeral
from app.hub.plan import Peer
from app.hub.room import Room
from app.hub.rooms import Rooms
from app.hub.stats import Stats
from app.protocol import (
    MAX_FRAME_BYTES,
    MAX_OPS_PER_MESSAGE,
    METRICS_PATCH,
    PROTOCOL_VERSION,
    Cursor,
    Drag,
    Hello,
    Malformed,
    OpsMessage,
    Ping,
    View,
    error,
    parse_client_message,
)
from app.store.repository import Link

Message = Hello | OpsMessage | Drag | Cursor | Ping | View

# Close codes: policy violation; protocol error; try again later.
REFUSED = 1008
PROTOCOL_ERROR = 1002
TRY_AGAIN = 1013
# How long a join waits for its room to read the op log (a client ahead of this process).
CATCH_UP_SECONDS = 5.0
# How long an open socket may take to say hello (Settings.hello_timeout says why).
HELLO_SECONDS = 10.0
# Bytes of refused ops frames read again a second to answer their ops by cid. The
# strict parser stops at the first fault; the second reading reads everything, so a
# flood of broken frames gets one frame (256 KiB) a second of it, and past that the
# plain refusal without a cid (the browser gives such an op up after a few tries).
REREAD_BYTES_PER_SECOND = float(MAX_FRAME_BYTES)
REREAD_BYTES_BURST = 4.0 * MAX_FRAME_BYTES
# What a person is told about an op whose text holds half of a UTF-16 pair (a broken
# emoji from a bad paste): JavaScript strings allow it, JSON and the database do not.
BROKEN_TEXT = "the text holds a broken character (half of an emoji?)"
# After refusing ops for the rate, the connection's next ops are refused too for this long:
# the browser sends again no sooner than 0.8 s later (net/outbox.js RETRY_START_MS, less
# its jitter), in order, so what it had in flight behind the refused ones waits for them.
HOLD_AFTER_REFUSAL = 0.5
# A refused message is answered op by op up to this many ops (twice what a message may
# hold: a client that sent too many still learns which); past it, one refusal.
ANSWERED_OPS = 2 * MAX_OPS_PER_MESSAGE


class SessionSocket(Protocol):
    """A PeerSocket (hub/ports.py) that also says how many frames wait on our side."""

    def send(self, frame: Outbound) -> None: ...

    def close(self, code: int, reason: str) -> None: ...

    @property
    def backlog(self) -> int: ...


class Session:
    """One connection's session; see the module docstring."""

    __slots__ = (
        "_admission", "_board_id", "_ended", "_held_until", "_hello_seconds", "_link", "_on_end",
        "_reread", "_rooms", "_stats",
        "limits", "peer", "room", "socket",
    )  # fmt: skip

    def __init__(
        self,
        socket: SessionSocket,
        rooms: Rooms,
        admission: Admission,
        board_id: str,
        link: Link,
        on_end: Callable[[], None],
        hello_seconds: float = HELLO_SECONDS,
    ) -> None:
        self.socket = socket
        self._hello_seconds = hello_seconds
        self.limits = ConnectionLimits()
        self._reread = TokenBucket(REREAD_BYTES_PER_SECOND, REREAD_BYTES_BURST)
        self._held_until = 0.0  # monotonic time: no ops taken before it (see `_refuse`)
        self.room: Room | None = None
        self.peer: Peer | None = None
        self._rooms = rooms
        self._stats: Stats = rooms.stats
        self._admission = admission
        self._board_id = board_id
        self._link = link
        self._on_end = on_end
        self._ended = True  # until open: nothing to undo

    async def open(self, frames: AsyncIterator[str | bytes]) -> bool:
        """Wait for the hello among `frames` (within `hello_seconds`), then join the board;
        False if it ended first."""
        self._ended = False
        self._stats.connections += 1
        try:
            async with asyncio.timeout(self._hello_seconds):
                hello = await self._await_hello(frames)
        except TimeoutError:
            self.socket.close(REFUSED, f"no hello within {self._hello_seconds:g} s")
            return False
        return hello is not None and await self._join(hello)

    def end(self) -> None:
        """Leave the board and stop counting; once, however the connection ended."""
        if self._ended:
            self._on_end()
            return
        self._ended = True
        self._stats.connections -= 1
        if self.room is not None and self.peer is not None:
            self.room.leave(self.peer)
        self._on_end()

    async def _await_hello(self, frames: AsyncIterator[str | bytes]) -> Hello | None:
        socket = self.socket
        async for raw in frames:
            message = self._parse(raw)
            if message is None:
                continue
            if not isinstance(message, Hello):
                socket.send(_error("hello_first", "send hello before anything else"))
                continue
            if message.protocol != PROTOCOL_VERSION:
                socket.send(_error("malformed", f"protocol {message.protocol} is not spoken here"))
                socket.close(PROTOCOL_ERROR, "protocol version; reload the page")
                return None
            return message
        return None

    async def _join(self, hello: Hello) -> bool:
        rooms, board_id = self._rooms, self._board_id
        room = await rooms.get(board_id)
        if room is not None and hello.since is not None and hello.since > room.seq:
            # The client saw a later board on another process: this one catches up first.
            try:
                async with asyncio.timeout(CATCH_UP_SECONDS):
                    caught_up = await room.caught_up()
            except TimeoutError:
                caught_up = False
            if not caught_up:
                self.socket.close(TRY_AGAIN, "this server is catching up; reconnect in a moment")
                return False
            room = await rooms.get(board_id)  # the same room, unless it was unloaded
        if room is None:
            self.socket.close(REFUSED, "no such board")
            return False
        link = self._link
        peer = Peer(
            id="", name=hello.name, role=link.role, socket=self.socket,
            client=client_of(hello.key) if hello.key else ephemeral(), link=link.token_hash,
            patches=METRICS_PATCH in hello.features,
            address=getattr(self._on_end, "address", ""),  # the admission's ticket says it
            guest=hello.guest or hello.name == GUEST,
        )  # fmt: skip
        # No await between get and join: the room stays loaded.
        room.join(peer, hello.since, hello.since_cid)
        self.room, self.peer = room, peer
        return True

    def handle(self, raw: str | bytes) -> None:
        """One message from a peer that has joined (the hot path: no await, no task)."""
        message = self._parse(raw)
        if message is None:
            return
        room, peer = self.room, self.peer
        assert room is not None and peer is not None
        if isinstance(message, OpsMessage):
            self._submit(room, peer, message)
        elif isinstance(message, Drag | Cursor) and peer.role == "viewer":
            return  # viewers watch; their pointer is not broadcast
        elif isinstance(message, Drag):
            room.drag(peer, [(m.id, m.x, m.y) for m in message.moves])
        elif isinstance(message, Cursor):
            room.cursor(peer, message.x, message.y)
        elif isinstance(message, View):
            room.view(peer, message.x, message.y, message.w, message.h)
        elif isinstance(message, Ping):
            self.socket.send(Outbound({"type": "pong", "t": message.t}))
        else:
            self.socket.send(_error("malformed", "hello was already sent"))

    def _parse(self, raw: str | bytes) -> Message | None:
        """The message, or None when it was malformed or over the live budget (answered here)."""
        limits = self.limits
        try:
            message = parse_client_message(raw)
        except Malformed as bad:
            if self._answer_unread_ops(raw, bad):
                return None
            if limits.allow_live():
                self.socket.send(_error(bad.code, bad.reason))
            else:
                self._notice()
            return None
        if not isinstance(message, OpsMessage) and not limits.allow_live():
            self._notice()
            return None
        return message

    def _notice(self) -> None:
        if self.limits.live_notice:
            self.socket.send(_error("rate_limited", LIVE_REFUSED))

    def _submit(self, room: Room, peer: Peer, message: OpsMessage) -> None:
        socket = self.socket
        missing = next((i for i, op in enumerate(message.ops) if op.cid is None), None)
        if missing is not None:
            reason = f"ops.{missing}.cid: every operation needs a cid"
            socket.send(_error("malformed", reason))
            unapplied = f"{reason}; this message was not applied"
            for op in message.ops:  # none of them was applied: their sender may be waiting
                if op.cid is not None:
                    socket.send(_error("malformed", unapplied, op.cid))
        elif not self._may_send(len(message.ops)):
            # Each comes back by its cid; the client keeps it and sends it again later.
            self._refuse([op.cid for op in message.ops], OPS_REFUSED)
        else:
            self._admit(room, peer, message)

    def _may_send(self, count: int) -> bool:
        """Whether `count` ops fit this connection's budget, and no refusal for the rate is
        still being held (see `_refuse`)."""
        return time.monotonic() >= self._held_until and self.limits.allow_ops(count)

    def _refuse(self, cids: list[str | None], reason: str) -> None:
        """Refused for the rate: each op by its cid, and the connection's next ops for
        HOLD_AFTER_REFUSAL too. The budgets count ops, so a smaller message sent right after
        a refused one could fit and be applied first, and the refused ones, sent again,
        would then overwrite it: an edit made later would lose to one made before."""
        self._held_until = time.monotonic() + HOLD_AFTER_REFUSAL
        for cid in cids:
            self.socket.send(_error("rate_limited", reason, cid))

    def _admit(self, room: Room, peer: Peer, message: OpsMessage) -> None:
        """Ops this connection may send: the link's budget (all its sessions), then the room."""
        if self._admission.ops_wait(peer.link, len(message.ops), self._on_end):
            self._refuse([op.cid for op in message.ops], LINK_OPS_REFUSED)
        else:
            room.submit(peer, message.ops)

    def _answer_unread_ops(self, raw: str | bytes, bad: Malformed) -> bool:
        """An `ops` frame the parser refused, read again leniently (Python's json takes a
        lone surrogate): True when each of its ops was answered by cid. An op that cannot
        be read on its own is refused; the others go on as a message of their own. When
        no op is at fault (too many ops, a stray field), every op is refused with `bad`."""
        room, peer = self.room, self.peer
        if room is None or peer is None or not self._reread.take(len(raw), time.monotonic()):
            return False
        ops = _lenient_ops(raw)
        # More ops than a client could have meant to send get the one refusal without a
        # cid (a frame of 20,000 bare cids drew 20,000 answers); each re-read costs the
        # connection's live budget, as any refused frame does.
        if ops is None or len(ops) > ANSWERED_OPS or not self.limits.allow_live():
            return False
        socket = self.socket
        if not self._may_send(len(ops)):
            self._refuse([op["cid"] for op in ops], OPS_REFUSED)
            return True
        faults, rest = _sort_out(ops, bad)
        for op, fault in zip(ops, faults, strict=True):
            if fault is not None:
                socket.send(_error(fault.code, fault.reason, op["cid"]))
        if rest is not None:
            self._admit(room, peer, rest)
        return True


def _sort_out(
    ops: list[dict[str, Any]], bad: Malformed
) -> tuple[list[Malformed | None], OpsMessage | None]:
    """Each op's fault (None: it reads on its own), and the ops without one as a message.
    When no op is at fault, the message is: every op has its fault, `bad`."""
    if len(ops) > MAX_OPS_PER_MESSAGE:
        reason = f"ops: at most {MAX_OPS_PER_MESSAGE} operations a message"
        return [Malformed("too_large", reason)] * len(ops), None
    faults = [_unreadable(op, i) for i, op in enumerate(ops)]
    readable = [op for op, fault in zip(ops, faults, strict=True) if fault is None]
    rest = _reparse(readable) if 0 < len(readable) < len(ops) else None
    if readable and rest is None:  # the message was at fault, not one of its ops
        return [bad] * len(ops), None
    return faults, rest


def _lenient_ops(raw: str | bytes) -> list[dict[str, Any]] | None:
    """The ops of an `ops` frame read by Python's json module, if each has a usable cid."""
    if len(raw) > MAX_FRAME_BYTES:
        return None
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON even so (UnicodeDecodeError is a ValueError)
        return None
    if not isinstance(message, dict) or message.get("type") != "ops":
        return None
    ops = message.get("ops")
    if not isinstance(ops, list) or not ops:
        return None
    usable = all(
        isinstance(op, dict) and isinstance(op.get("cid"), str) and 0 < len(op["cid"]) <= 64
        for op in ops
    )
    return ops if usable else None


def _unreadable(op: dict[str, Any], index: int) -> Malformed | None:
    """Why this op, alone in a message, is refused by the parser; None if it is not."""
    try:
        json.dumps(op, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return Malformed("malformed", BROKEN_TEXT)
    except (ValueError, RecursionError):
        return Malformed("malformed", "this edit could not be read")
    try:
        parse_client_message(json.dumps({"type": "ops", "ops": [op]}))
    except Malformed as bad:
        return Malformed(bad.code, bad.reason.replace("ops.0.", f"ops.{index}.", 1))
    return None


def _reparse(ops: list[dict[str, Any]]) -> OpsMessage | None:
    """The readable ops as a message of their own; None when it is refused all the same."""
    try:
        message = parse_client_message(json.dumps({"type": "ops", "ops": ops}))
    except Malformed:
        return None
    return message if isinstance(message, OpsMessage) else None


def _error(code: str, reason: str, cid: str | None = None) -> Outbound:
    return Outbound(error(code, reason, cid))
