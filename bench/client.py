"""One bench client: a real websocket speaking Flowmap's protocol, checking what it receives.

Every edit carries its send time in its `cid` (`<client id>:<tag>.<n>.<monotonic µs>`);
every drag carries it in `x` (milliseconds, modulo DRAG_MODULO_US). The
monotonic clock is the machine's, so a receiver in any process on this machine
turns an entry into a latency: edit-to-peer for others' edits, edit-to-ack for
its own (the echo of its own op in `ops` is its acknowledgement). Each client
also checks that board sequence numbers arrive one by one, in order.

    client = BenchClient(url, tag="0c7", tally=tally)
    await client.join(since=None)
    client.edit("s3", {"text": "Build"})
"""

from __future__ import annotations

import asyncio
import secrets
import time
from array import array
from dataclasses import dataclass, field
from typing import Any, cast

import orjson

from app.hub.identity import cid_prefix, client_of
from bench.wire import Wire, open_wire

# A drag's x holds its send time in ms modulo this many µs: under the protocol's
# 1,000,000 limit on x, and a 1,000 s wrap is far longer than any latency.
DRAG_MODULO_US = 1_000_000_000
# Frames the clients do not need are recognised by their first bytes and not
# parsed: Flowmap (and the relays) put `type` first. Anything else is parsed.
HEAD_BYTES = 24
SKIPPED_TYPES = (b'"presence"', b'"metrics"', b'"pong"')
# Flowmap's frames are at most 256 KiB each way; a welcome with a big snapshot is the largest.
MAX_FRAME = 4 * 1024 * 1024
ERROR_SAMPLES = 5
# Decoded frames kept for the other clients that receive the same bytes (the cache is
# emptied when full: a tick's frame reaches every peer within a few loop iterations).
DECODED_KEPT = 256
# A welcome slower than this means the server is stuck, not busy.
WELCOME_SECONDS = 60


def now_us() -> int:
    return time.monotonic_ns() // 1000


# An op log entry as the clients need it: (seq, tag of the client that sent it or "",
# its send time in µs or 0 for an unmeasured one).
Entry = tuple[int, str, int]


@dataclass(slots=True)
class Ops:
    """An `ops` frame, decoded once for every client that receives the same bytes."""

    entries: list[Entry]
    first: int
    last: int
    contiguous: bool  # each entry's seq is the one before's plus one


@dataclass(slots=True)
class Drags:
    """A `transient` frame: (peer, the drag's send time in µs modulo DRAG_MODULO_US) a move."""

    moves: list[tuple[str, int]]


SKIP = object()  # a frame no client needs (presence, metrics, pong)
Decoded = Ops | Drags | dict[str, Any] | object


def ops_of(entries: list[dict[str, Any]]) -> Ops:
    parsed = []
    for entry in entries:
        # <client id>:<tag>.<n>.<µs>: the tag says who sent it, the µs when.
        tag, dot, rest = (entry.get("cid") or "").rpartition(":")[2].partition(".")
        stamp = rest.rpartition(".")[2]
        parsed.append((entry["seq"], tag if dot else "", int(stamp) if stamp.isdigit() else 0))
    seqs = [entry[0] for entry in parsed]
    contiguous = all(b == a + 1 for a, b in zip(seqs, seqs[1:], strict=False))
    return Ops(parsed, seqs[0] if seqs else 0, seqs[-1] if seqs else 0, contiguous)


def decode(data: bytes) -> Decoded:
    """What a frame means to a client; the same bytes reach every peer, so this runs once."""
    head = data[:HEAD_BYTES]
    if any(kind in head for kind in SKIPPED_TYPES):
        return SKIP
    message = orjson.loads(data)
    kind = message.get("type")
    if kind == "ops":
        return ops_of(message["ops"])
    if kind == "transient":
        moves = [
            (drag["peer"], round(move["x"] * 1000)) for drag in message["drags"]
            for move in drag["moves"]
        ]  # fmt: skip
        return Drags(moves)
    return cast(dict[str, Any], message)


@dataclass
class Window:
    """Latencies count only for edits and drags sent inside [start, end)."""

    start: int = 0
    end: int = 1 << 62

    def __contains__(self, sent_us: int) -> bool:
        return self.start <= sent_us < self.end


@dataclass
class Tally:
    """What all the clients of one run saw, merged as it happens (one event loop)."""

    window: Window = field(default_factory=Window)
    peer_us: array[int] = field(default_factory=lambda: array("q"))  # edit -> another client
    cross_us: array[int] = field(default_factory=lambda: array("q"))  # ... on another process
    ack_us: array[int] = field(default_factory=lambda: array("q"))  # edit -> its sender
    drag_us: array[int] = field(default_factory=lambda: array("q"))  # drag -> another client
    send_lag_us: array[int] = field(default_factory=lambda: array("q"))  # late Poisson sends
    edits_in_window: int = 0
    gaps: int = 0  # sequence numbers a client never got (counted when a later one came)
    out_of_order: int = 0  # an entry at or below what the client already had
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    disconnects: int = 0
    frames: int = 0
    snapshots: int = 0  # welcomes that carried a snapshot rather than missed entries
    decoded: dict[bytes, Decoded] = field(default_factory=dict)


# What the browser's hello asks for (frontend/js/protocol.js): metrics as patches.
FEATURES = ["metrics-patch"]


class BenchClient:
    def __init__(
        self, url: str, tag: str, tally: Tally, *, endpoint: int = 0, records_drags: bool = True
    ) -> None:
        self.url = url
        self.tag = tag  # unique in the run; its first character is the server endpoint
        # The identity a browser holds (app/hub/identity.py): cids begin with its client id.
        self.key = secrets.token_urlsafe(16)
        self.prefix = f"{cid_prefix(client_of(self.key))}{tag}."
        self.endpoint = str(endpoint)
        self.tally = tally
        self.records_drags = records_drags
        self.ws: Wire | None = None
        self.peer_id = ""
        self.seq = 0
        self.counter = 0
        self.pending = 0  # edits sent and not yet seen back
        self.catch_up_to: int | None = None  # W5: when seq reaches this, note the time
        self.caught_up_us: int | None = None
        self._welcome: asyncio.Future[dict[str, Any]] | None = None
        self._since: int | None = None
        self._closing = False

    async def join(self, since: int | None = None, name: str | None = None) -> dict[str, Any]:
        """Connect, say hello, apply the welcome; from then on every frame is read as it comes."""
        self._closing = False
        self._since = since
        self._welcome = asyncio.get_running_loop().create_future()
        hello = {"type": "hello", "protocol": 1, "name": name or self.tag, "since": since,
                 "features": FEATURES, "key": self.key}  # fmt: skip
        async with asyncio.timeout(WELCOME_SECONDS):
            self.ws = await open_wire(self.url, self._on_message, self._on_lost, max_size=MAX_FRAME)
            self.ws.send_text(orjson.dumps(hello))
            return await self._welcome

    def _apply_welcome(self, welcome: dict[str, Any]) -> None:
        """Called as the welcome arrives, so the frames right behind it find the seq it set."""
        self.peer_id = welcome["you"]["peer"]
        if welcome["missed"] is None:
            self.tally.snapshots += self._since is not None
            self.seq = welcome["seq"]
        else:
            self._on_ops(ops_of(welcome["missed"]), now_us())
            if self.seq != welcome["seq"]:  # the welcome promised entries it did not carry
                self.tally.gaps += abs(welcome["seq"] - self.seq)
                self.seq = welcome["seq"]
        self._note_catch_up()

    def edit(self, element_id: str, fields: dict[str, Any], op: str = "update") -> None:
        """Send one operation stamped with the time now (open loop: never waits for the ack)."""
        assert self.ws is not None
        self.counter += 1
        sent = now_us()
        if sent in self.tally.window:
            self.tally.edits_in_window += 1
        cid = f"{self.prefix}{self.counter}.{sent}"
        body = {"cid": cid, "op": op, "id": element_id, "set": fields}
        self.pending += 1
        self.ws.send_text(orjson.dumps({"type": "ops", "ops": [body]}))

    def send_ops(self, ops: list[dict[str, Any]]) -> None:
        """Unmeasured operations (board setup); their cids carry a zero timestamp."""
        assert self.ws is not None
        stamped = []
        for op in ops:
            self.counter += 1
            stamped.append({"cid": f"{self.prefix}{self.counter}.0", **op})
        self.pending += len(stamped)
        self.ws.send_text(orjson.dumps({"type": "ops", "ops": stamped}))

    def drag(self, element_id: str, y: float) -> None:
        assert self.ws is not None
        x = (now_us() % DRAG_MODULO_US) / 1000
        moves = [{"id": element_id, "x": x, "y": y}]
        self.ws.send_text(orjson.dumps({"type": "drag", "moves": moves}))

    def cursor(self, x: float, y: float) -> None:
        """Where this client's pointer is on the canvas (a transient message: not measured)."""
        assert self.ws is not None
        self.ws.send_text(orjson.dumps({"type": "cursor", "x": x, "y": y}))

    async def close(self) -> None:
        """Close normally; what this client has seen stays (seq) for a later `join(since=...)`."""
        self._closing = True
        if self.ws is not None:
            await self.ws.close()
        self.ws = None

    def _on_message(self, data: bytes) -> None:
        waiting = self._welcome
        if waiting is None or waiting.done():
            self._on_frame(data)
            return
        head = data[:HEAD_BYTES]
        if b'"welcome"' in head:
            welcome = orjson.loads(data)
            self._apply_welcome(welcome)
            waiting.set_result(welcome)
        elif b'"error"' in head:
            waiting.set_exception(ConnectionError(f"refused: {data[:300].decode()}"))
        # anything else before the welcome (others' presence) is not this client's yet

    def _on_lost(self) -> None:
        if self._welcome is not None and not self._welcome.done():
            self._welcome.set_exception(ConnectionError("closed before the welcome"))
            return
        elif not self._closing:
            self.tally.disconnects += 1

    def _on_frame(self, data: bytes) -> None:
        tally = self.tally
        tally.frames += 1
        frame = tally.decoded.get(data)
        if frame is None:
            frame = decode(data)
            if len(tally.decoded) >= DECODED_KEPT:
                tally.decoded.clear()
            tally.decoded[data] = frame
        kind = type(frame)
        if kind is Ops:
            self._on_ops(cast(Ops, frame), now_us())
        elif kind is Drags:
            if self.records_drags:
                self._on_drags(cast(Drags, frame), now_us())
        elif frame is not SKIP:
            self._on_other(cast(dict[str, Any], frame), data)

    def _on_other(self, message: dict[str, Any], data: bytes) -> None:
        kind = message.get("type")
        if kind == "ack":  # a re-sent op that was already applied
            self.pending -= 1
        elif kind == "error":
            self.tally.errors += 1
            if (message.get("cid") or "").startswith(self.prefix):
                self.pending -= 1  # answered (refused): the drain need not wait for it
            if len(self.tally.error_samples) < ERROR_SAMPLES:
                self.tally.error_samples.append(data.decode()[:300])

    def _on_ops(self, ops: Ops, now: int) -> None:
        if ops.contiguous and ops.first == self.seq + 1:
            self.seq = ops.last
            accepted = ops.entries
        else:
            accepted = self._in_order(ops.entries)
        tally = self.tally
        start, end = tally.window.start, tally.window.end
        tag, endpoint = self.tag, self.endpoint
        for _, sender, sent in accepted:
            if sender == tag:
                self.pending -= 1
                if sent and start <= sent < end:
                    tally.ack_us.append(now - sent)
            elif sent and start <= sent < end:
                if sender[0] != endpoint:
                    tally.cross_us.append(now - sent)
                else:
                    tally.peer_us.append(now - sent)
        self._note_catch_up()

    def _in_order(self, entries: list[Entry]) -> list[Entry]:
        """The entries that come after what this client has, counting gaps and repeats."""
        tally = self.tally
        accepted = []
        for entry in entries:
            seq = entry[0]
            if seq != self.seq + 1:
                if seq <= self.seq:
                    tally.out_of_order += 1
                    continue
                tally.gaps += seq - self.seq - 1
            self.seq = seq
            accepted.append(entry)
        return accepted

    def _on_drags(self, drags: Drags, now: int) -> None:
        tally = self.tally
        start, end = tally.window.start, tally.window.end
        me = self.peer_id
        for peer, x_us in drags.moves:
            if peer != me:
                latency = (now - x_us) % DRAG_MODULO_US
                if start <= now - latency < end:
                    tally.drag_us.append(latency)

    def _note_catch_up(self) -> None:
        if self.catch_up_to is not None and self.caught_up_us is None:
            if self.seq >= self.catch_up_to:
                self.caught_up_us = now_us()
