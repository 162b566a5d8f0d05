"""One bench client: a real websocket speaking Flowmap's protocol, checking what it receives.

Every edit carries its send time in its `cid` (`<tag>.<n>.<monotonic µs>`);
every drag carries it in `x` (milliseconds, modulo DRAG_MODULO_US). The
monotonic clock is the machine's, so a receiver in any process on this machine
turns an entry into a latency: edit-to-peer for others' edits, edit-to-ack for
its own (the echo of its own op in `ops` is its acknowledgement). Each client
also checks that board sequence numbers arrive one by one, in order.

    client = BenchClient(url, tag="0c7", tally=tally)
    await client.join(since=None)
    await client.edit("s3", {"text": "Build"})
"""

from __future__ import annotations

import asyncio
import time
from array import array
from dataclasses import dataclass, field
from typing import Any

import orjson

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
# A welcome slower than this means the server is stuck, not busy.
WELCOME_SECONDS = 60


def now_us() -> int:
    return time.monotonic_ns() // 1000


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


# What the browser's hello asks for (frontend/js/protocol.js): metrics as patches.
FEATURES = ["metrics-patch"]


class BenchClient:
    def __init__(
        self, url: str, tag: str, tally: Tally, *, endpoint: int = 0, records_drags: bool = True
    ) -> None:
        self.url = url
        self.tag = tag  # unique in the run; its first character is the server endpoint
        self.prefix = tag + "."
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
                 "features": FEATURES}  # fmt: skip
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
            self._on_ops(welcome["missed"], now_us())
            if self.seq != welcome["seq"]:  # the welcome promised entries it did not carry
                self.tally.gaps += abs(welcome["seq"] - self.seq)
                self.seq = welcome["seq"]
        self._note_catch_up()

    async def edit(self, element_id: str, fields: dict[str, Any], op: str = "update") -> None:
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

    async def send_ops(self, ops: list[dict[str, Any]]) -> None:
        """Unmeasured operations (board setup); their cids carry a zero timestamp."""
        assert self.ws is not None
        stamped = []
        for op in ops:
            self.counter += 1
            stamped.append({"cid": f"{self.prefix}{self.counter}.0", **op})
        self.pending += len(stamped)
        self.ws.send_text(orjson.dumps({"type": "ops", "ops": stamped}))

    async def drag(self, element_id: str, y: float) -> None:
        assert self.ws is not None
        x = (now_us() % DRAG_MODULO_US) / 1000
        moves = [{"id": element_id, "x": x, "y": y}]
        self.ws.send_text(orjson.dumps({"type": "drag", "moves": moves}))

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
        self.tally.frames += 1
        head = data[:HEAD_BYTES]
        if any(kind in head for kind in SKIPPED_TYPES):
            return
        if b'"transient"' in head and not self.records_drags:
            return
        message = orjson.loads(data)
        kind = message.get("type")
        if kind == "ops":
            self._on_ops(message["ops"], now_us())
        elif kind == "transient":
            self._on_drags(message["drags"], now_us())
        elif kind == "ack":  # a re-sent op that was already applied
            self.pending -= 1
        elif kind == "error":
            self.tally.errors += 1
            if (message.get("cid") or "").startswith(self.prefix):
                self.pending -= 1  # answered (refused): the drain need not wait for it
            if len(self.tally.error_samples) < ERROR_SAMPLES:
                self.tally.error_samples.append(data.decode()[:300])

    def _on_ops(self, entries: list[dict[str, Any]], now: int) -> None:
        tally = self.tally
        for entry in entries:
            seq = entry["seq"]
            if seq != self.seq + 1:
                if seq <= self.seq:
                    tally.out_of_order += 1
                    continue
                tally.gaps += seq - self.seq - 1
            self.seq = seq
            cid = entry.get("cid") or ""
            mine = cid.startswith(self.prefix)
            if mine:
                self.pending -= 1
            stamp = cid.rpartition(".")[2]
            if not stamp.isdigit() or stamp == "0":
                continue
            sent = int(stamp)
            if sent not in tally.window:
                continue
            if mine:
                tally.ack_us.append(now - sent)
            elif cid[0] != self.endpoint:
                tally.cross_us.append(now - sent)
            else:
                tally.peer_us.append(now - sent)
        self._note_catch_up()

    def _on_drags(self, drags: list[dict[str, Any]], now: int) -> None:
        tally = self.tally
        for drag in drags:
            if drag["peer"] == self.peer_id:
                continue
            for move in drag["moves"]:
                latency = (now - round(move["x"] * 1000)) % DRAG_MODULO_US
                if now - latency in tally.window:
                    tally.drag_us.append(latency)

    def _note_catch_up(self) -> None:
        if self.catch_up_to is not None and self.caught_up_us is None:
            if self.seq >= self.catch_up_to:
                self.caught_up_us = now_us()
