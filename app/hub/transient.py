"""The transient feed: cursors, drags and views, coalesced into one frame a tick.

None of it is stored or ordered: only the latest position per peer (and per
dragged element) since the last tick goes out, in one `transient` frame to
everyone, so a peer moving its mouse costs at most ~30 frames a second however
often it reports.

    feed = TransientFeed(presence.broadcast)
    feed.cursor("p1", 10.0, 20.0)
    feed.drag("p1", [("s1", 5.0, 5.0)], board.elements)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Container, Sequence
from typing import Any

from app.hub.frames import Outbound

# Live cursors and drags go out at most this often (~30 per second): smooth, and bounded.
TRANSIENT_INTERVAL = 1 / 30


class TransientFeed:
    """The latest cursor, drags and view of each peer, sent together once a tick."""

    def __init__(self, broadcast: Callable[[Outbound], None]) -> None:
        self._broadcast = broadcast
        self._cursors: dict[str, tuple[float | None, float | None]] = {}
        self._drags: dict[str, dict[str, tuple[float, float]]] = {}
        self._views: dict[str, tuple[float, float, float, float]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def cursor(self, peer_id: str, x: float | None, y: float | None) -> None:
        self._cursors[peer_id] = (x, y)
        self._schedule()

    def view(self, peer_id: str, x: float, y: float, w: float, h: float) -> None:
        """What the peer sees, for anyone following them (the latest per tick)."""
        self._views[peer_id] = (x, y, w, h)
        self._schedule()

    def drag(
        self, peer_id: str, moves: Sequence[tuple[str, float, float]], elements: Container[str]
    ) -> None:
        """Moves of elements on the board (`elements`); moves of others are dropped."""
        mine = self._drags.setdefault(peer_id, {})
        for element_id, x, y in moves:
            if element_id in elements:
                mine[element_id] = (x, y)
        self._schedule()

    def forget(self, peer_id: str) -> None:
        """The peer left: nothing of its goes out any more."""
        self._cursors.pop(peer_id, None)
        self._drags.pop(peer_id, None)
        self._views.pop(peer_id, None)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _schedule(self) -> None:
        if self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(TRANSIENT_INTERVAL, self._flush)

    def _flush(self) -> None:
        self._timer = None
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
