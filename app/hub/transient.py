"""The transient feed: cursors, drags and views, coalesced into one frame a tick.

None of it is stored or ordered: only the latest position per peer (and per
dragged element) since the last tick goes out, in one `transient` frame to
everyone, so a peer moving its mouse costs at most ~30 frames a second however
often it reports. Every board's feed keeps the same process-wide pace
(hub/pacing.py): when the event loop falls behind, the ticks stretch to as few
as 8 a second, so pointers thin out instead of edits waiting behind them. The
frame is marked `droppable`: a peer whose connection is already behind skips it.

A tick's frame carries at most FRAME_MOVES drag moves, whoever drags and from however
many sockets: one participant's 30 sockets dragging 200 boxes each made one frame of
6,000 moves, 85 MB/s to 20 peers, and every peer's pings and edits waited behind it.
The moves are shared max-min fairly, first among the addresses dragging (one person's
many sockets take no more than another person's one), then among each address's
peers: a peer dragging less than an even share sends all of it, the others split the
rest, and a peer over its share sends its boxes in turn, a slice a tick, so each still
moves on everyone's screen, only less often.

Each peer's latest view is also kept after its tick (`last_views`), so that a
peer who joins while someone stands still can follow them at once (`views_now`).
With other processes on the board, each tick's frame also goes to `publish`
(hub/live_link.py sends on what its own peers did), and what their peers did
comes in through the same methods, to go out in this process's next tick.

    feed = TransientFeed(presence.broadcast)
    feed.cursor("p1", 10.0, 20.0)
    feed.drag("p1", [("s1", 5.0, 5.0)], board.elements)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Any

from app.hub.frames import Outbound
from app.hub.pacing import FASTEST, TransientPace

# Live cursors and drags go out at most this often (~30 per second): smooth, and bounded.
TRANSIENT_INTERVAL = FASTEST
# The pace every board's feed keeps in this process: the event loop's lag is everyone's.
PACE = TransientPace()
# Drag moves in one tick's frame, from all the peers dragging together: one person's whole
# live selection (200, the most the browser sends) and a handful each for a few more. At
# ~45 bytes a move, ~13 KB a frame: ~400 KB/s to each peer at 30 ticks a second.
FRAME_MOVES = 300

# Where a tick's message also goes (besides this process's peers): told before it is sent.
Publish = Callable[[dict[str, Any]], None]


class TransientFeed:
    """The latest cursor, drags and view of each peer, sent together once a tick."""

    def __init__(
        self,
        broadcast: Callable[[Outbound], None],
        publish: Publish | None = None,
        pace: TransientPace = PACE,
    ) -> None:
        self._broadcast = broadcast
        self.publish = publish
        self._pace = pace
        # Each peer's latest view, kept after its tick: for whoever joins and follows.
        self.last_views: dict[str, tuple[float, float, float, float]] = {}
        # Each peer's latest pointer, kept after its tick: for a peer that skipped some.
        self.last_cursors: dict[str, tuple[float | None, float | None]] = {}
        self._cursors: dict[str, tuple[float | None, float | None]] = {}
        self._drags: dict[str, dict[str, tuple[float, float]]] = {}
        self._views: dict[str, tuple[float, float, float, float]] = {}
        # Where each peer over its share last tick takes up its boxes again this tick, and
        # where the odd moves of an uneven split start: so nobody is always the one cut.
        self._resume: dict[str, int] = {}
        # Where each round of odd moves goes on from: the addresses' (None), each address's.
        self._turns: dict[str | None, int] = {}
        # Where each dragging peer connects from: the frame is shared per address first, so
        # one person's many sockets take no more of it than another person's one.
        self._addresses: dict[str, str] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._due = 0.0  # when the timer's tick should fire (loop time)

    def cursor(self, peer_id: str, x: float | None, y: float | None) -> None:
        self._cursors[peer_id] = self.last_cursors[peer_id] = (x, y)
        self._schedule()

    def view(self, peer_id: str, x: float, y: float, w: float, h: float) -> None:
        """What the peer sees, for anyone following them (the latest per tick)."""
        self._views[peer_id] = self.last_views[peer_id] = (x, y, w, h)
        self._schedule()

    def drag(
        self,
        peer_id: str,
        moves: Sequence[tuple[str, float, float]],
        elements: Container[str],
        address: str = "",
    ) -> None:
        """Moves of elements on the board (`elements`); moves of others are dropped.
        `address`: where the peer connects from (its share of a full frame is its address's)."""
        self._addresses[peer_id] = address
        mine = self._drags.setdefault(peer_id, {})
        for element_id, x, y in moves:
            if element_id in elements:
                mine[element_id] = (x, y)
        self._schedule()

    def forget(self, peer_id: str) -> None:
        """The peer left: nothing of its goes out any more."""
        self._cursors.pop(peer_id, None)
        self._drags.pop(peer_id, None)
        self._resume.pop(peer_id, None)
        self._addresses.pop(peer_id, None)
        self._views.pop(peer_id, None)
        self.last_views.pop(peer_id, None)
        self.last_cursors.pop(peer_id, None)

    def views_now(self) -> Outbound | None:
        """Where everyone looks, for a peer who just joined (None when nobody said)."""
        if not self.last_views:
            return None
        views = [{"peer": p, "x": x, "y": y, "w": w, "h": h}
                 for p, (x, y, w, h) in self.last_views.items()]  # fmt: skip
        return Outbound({"type": "transient", "cursors": [], "drags": [], "views": views})

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _schedule(self) -> None:
        if self._timer is None:
            loop = asyncio.get_running_loop()
            delay = self._pace.next_delay()
            self._due = loop.time() + delay
            self._timer = loop.call_later(delay, self._flush)

    def _flush(self) -> None:
        self._timer = None
        self._pace.observe(max(0.0, asyncio.get_running_loop().time() - self._due))
        cursors = [{"peer": p, "x": x, "y": y} for p, (x, y) in self._cursors.items()]
        drags = self._capped_drags()
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
            if self.publish is not None:
                self.publish(message)
            self._broadcast(Outbound(message, droppable=True, whole=self._whole(drags)))

    def _capped_drags(self) -> list[dict[str, Any]]:
        """This tick's drags, FRAME_MOVES moves at most; a peer over its share sends the
        next of its boxes after those it sent last tick."""
        sizes = {p: len(moves) for p, moves in self._drags.items() if moves}
        shares = self._shares(sizes) if sum(sizes.values()) > FRAME_MOVES else sizes
        resume: dict[str, int] = {}
        drags = []
        for peer, share in shares.items():
            moves = self._drags[peer]
            chosen: Iterable[tuple[str, tuple[float, float]]] = moves.items()
            if share < len(moves):
                start = self._resume.get(peer, 0) % len(moves)
                resume[peer] = start + share
                if not share:
                    continue
                ordered = list(chosen)
                chosen = (ordered[start:] + ordered[:start])[:share]
            out = [{"id": i, "x": x, "y": y} for i, (x, y) in chosen]
            drags.append({"peer": peer, "moves": out})
        self._resume = resume
        return drags

    def _shares(self, sizes: dict[str, int]) -> dict[str, int]:
        """Fair shares of FRAME_MOVES: first among the addresses dragging, then among each
        address's peers (one person's many sockets take no more than another's one)."""
        by_address: dict[str, dict[str, int]] = {}
        for peer, size in sizes.items():
            by_address.setdefault(self._addresses.get(peer, ""), {})[peer] = size
        totals = {a: sum(peers.values()) for a, peers in by_address.items()}
        # Only the rounds of those dragging now are kept: an address gone leaves none behind.
        self._turns = {k: v for k, v in self._turns.items() if k is None or k in by_address}
        shares: dict[str, int] = {}
        for address, share in self._fair(totals, FRAME_MOVES, None).items():
            shares |= self._fair(by_address[address], share, address)
        return shares

    def _fair(self, sizes: dict[str, int], left: int, turn: str | None) -> dict[str, int]:
        """Max-min fair shares of `left`: whoever has less than an even share of what is
        left gets it all; the rest split what remains, the odd ones going round (`turn`
        names whose round: the addresses', or one address's peers')."""
        shares = dict(sizes)
        smallest_first = sorted(sizes, key=sizes.__getitem__)
        for k, key in enumerate(smallest_first):
            if sizes[key] * (len(smallest_first) - k) > left:
                over = set(smallest_first[k:])
                cut = [p for p in sizes if p in over]  # in the order they began to drag
                even, odd = divmod(left, len(cut))
                start = self._turns.get(turn, 0) % len(cut)
                for j in range(len(cut)):
                    shares[cut[(start + j) % len(cut)]] = even + (j < odd)
                self._turns[turn] = start + odd
                break
            left -= sizes[key]
        return shares

    def _whole(self, drags: list[dict[str, Any]]) -> Callable[[], Outbound]:
        """This tick's frame for a peer that skipped earlier ones: every pointer and view."""
        cursors_now, views_now = dict(self.last_cursors), dict(self.last_views)

        def build() -> Outbound:
            cursors = [{"peer": p, "x": x, "y": y} for p, (x, y) in cursors_now.items()]
            views = [{"peer": p, "x": x, "y": y, "w": w, "h": h}
                     for p, (x, y, w, h) in views_now.items()]  # fmt: skip
            message = {"type": "transient", "cursors": cursors, "drags": drags, "views": views}
            return Outbound(message, droppable=True)

        return build
