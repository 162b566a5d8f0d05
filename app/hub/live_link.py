"""Presence and the transient feed across processes: one board's live state, shared.

Entries cross processes through the broker and the op log (remote.py). What is
here is ephemeral and authoritative per process, as tldraw's sync and Liveblocks
treat presence: each process alone speaks for its own peers; it says who they
are when that changes, and that it still holds them every LIVE_HEARTBEAT seconds.
The others merge what they hear into what they send their own peers, and forget a
process not heard from for LIVE_TTL seconds (it died, or Redis is away), so no
ghost stays. Only a room whose broker is shared has a link: one process alone
sends nothing, and its per-edit path is the same as without one.

On the board's live channel (Broker.publish_live), one process says:

    {"kind": "peers", "v": 7, "peers": [{"peer": "p3@1f2e3d4c", "name": "Ada",
      "color": "#2563eb", "role": "participant", "client": "c-…", "at": 1764840000.5,
      "view": [0, 0, 1200, 800]}]}      # its whole list, when it changes (coalesced)
    {"kind": "alive", "v": 7}            # every LIVE_HEARTBEAT seconds while it has peers
    {"kind": "ask", "of": "1f2e3d4c"}    # say your list again (`of` null: everyone)
    {"kind": "transient", "cursors": [...], "drags": [...], "views": [...]}  # at most 1 a tick

A receiver that hears `alive` at a version it does not hold asks that process
again, so a lost `peers` costs one heartbeat. A room asks everyone when its board
is subscribed and after every reconnection, so a process joining a busy board
learns who is there within a round trip. Colours: a peer gets one nobody on the
board wears; when two processes gave the same one at once, the process whose
origin sorts later gives its peer another (while the palette has one free).

    link = LiveLink("b1", broker, presence, feed, table, elements=lambda: board.elements)
    link.changed()                  # our peers joined or left: tell the others
    link.hear("1f2e3d4c", message)  # from the broker
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Container
from typing import Any

from app.hub.plan import Peer
from app.hub.ports import Broker
from app.hub.presence import PRESENCE_INTERVAL, Presence, free_color
from app.hub.remote_peers import RemotePeers, finite_number, parse_peers, parse_view
from app.hub.transient import TransientFeed

log = logging.getLogger(__name__)

# A process with peers on a board says so this often...
LIVE_HEARTBEAT = 2.0
# ...and is presumed gone, its peers with it, when not heard from for this long: three
# heartbeats lost or late (a busy loop, a Redis blip) before anyone vanishes by mistake.
LIVE_TTL = 7.0
# A list names everyone this process holds on the board (~200 bytes each): while people
# keep coming, lists are spaced out so that they cost Redis at most this many bytes a
# second per board (1,000 people: a list every ~0.8 s; 30: every PRESENCE_INTERVAL).
LIST_BYTES_PER_SECOND = 256 * 1024
RECORD_BYTES = 200


class LiveLink:
    """This room's side of the board's live channel; see the module docstring."""

    def __init__(
        self,
        board_id: str,
        broker: Broker,
        presence: Presence,
        feed: TransientFeed,
        others: RemotePeers,
        elements: Callable[[], Container[str]],
    ) -> None:
        self._board_id = board_id
        self._broker = broker
        self._origin = broker.origin
        self._presence = presence
        self._feed = feed
        self._others = others
        self._elements = elements
        self._version = 0  # of our list: a heartbeat names it, so a lost change shows
        self._said = False  # the others heard of peers of ours: they must hear of none
        self._last_said = float("-inf")
        self._gap = PRESENCE_INTERVAL  # before the next list: grows with the last one's size
        self._saying: asyncio.TimerHandle | None = None
        self._beat: asyncio.TimerHandle | None = None
        self._closed = False

    def colors(self) -> set[str]:
        """What other processes' peers wear: a new peer here gets something else."""
        return self._others.colors()

    # ---- ours, to the others ----------------------------------------------------

    def changed(self) -> None:
        """Our peers joined, left or changed colour: a new version of our list, said soon."""
        self._version += 1
        self._say()
        self._keep_beating()

    def subscribed(self) -> None:
        """The broker delivers the board now (again): ask who is elsewhere, say who is here."""
        self._publish({"kind": "ask", "of": None})
        if self._presence.peers:
            self._say()

    def published(self, message: dict[str, Any]) -> None:
        """A tick of the transient feed: what our own peers did goes to the others, if
        any other process has someone on the board. Routed by board id (deploy/), a
        board's people are all on one process, and its ticks (up to one a
        TRANSIENT_INTERVAL for each busy board) would go to Redis for nobody. A process
        whose first peer arrives says so (`peers`); the ticks cross from then on."""
        if not self._others:
            return
        mine = self._presence.peers
        cursors = [c for c in message["cursors"] if c["peer"] in mine]
        drags = [d for d in message["drags"] if d["peer"] in mine]
        views = [v for v in message.get("views", ()) if v["peer"] in mine]
        if cursors or drags or views:
            self._publish({"kind": "transient", "cursors": cursors, "drags": drags, "views": views})

    def _say(self) -> None:
        """Our whole list: now, or once the gap after the last one has passed."""
        if self._saying is not None or self._closed:
            return
        loop = asyncio.get_running_loop()
        wait = self._last_said + self._gap - loop.time()
        if wait <= 0:
            self._say_now()
        else:
            self._saying = loop.call_later(wait, self._say_now)

    def _say_now(self) -> None:
        self._saying = None
        self._last_said = asyncio.get_running_loop().time()
        peers = [self._record(p) for p in self._presence.peers.values()]
        self._gap = max(PRESENCE_INTERVAL, len(peers) * RECORD_BYTES / LIST_BYTES_PER_SECOND)
        if peers or self._said:
            self._said = bool(peers)
            self._publish({"kind": "peers", "v": self._version, "peers": peers})

    def _record(self, peer: Peer) -> dict[str, Any]:
        view = self._feed.last_views.get(peer.id)
        return {**peer.info(), "at": peer.joined, "view": list(view) if view else None}

    def _publish(self, message: dict[str, Any]) -> None:
        self._broker.publish_live(self._board_id, message)

    # ---- heartbeats and expiry ----------------------------------------------------

    def _keep_beating(self) -> None:
        if self._beat is None and not self._closed and (self._presence.peers or self._others):
            self._beat = asyncio.get_running_loop().call_later(LIVE_HEARTBEAT, self._tick)

    def _tick(self) -> None:
        self._beat = None
        if self._presence.peers:
            self._publish({"kind": "alive", "v": self._version})
        gone = self._others.expire(asyncio.get_running_loop().time())
        if gone:
            log.info("board %s: %d peers of a silent process expired", self._board_id, len(gone))
            self._forget(gone)
            self._presence.announce()
        self._keep_beating()

    # ---- theirs, from the broker ----------------------------------------------------

    def hear(self, origin: str, message: dict[str, Any]) -> None:
        """A live message another process published on the board's channel."""
        if self._closed or origin == self._origin:
            return
        try:
            kind = message.get("kind")
            if kind == "transient":
                self._heard_transient(origin, message)
            elif kind == "peers":
                self._heard_peers(origin, _version(message), message["peers"])
            elif kind == "alive":
                self._heard_alive(origin, _version(message))
            elif kind == "ask":
                if message.get("of") in (None, self._origin) and self._presence.peers:
                    self._say()
        except (AttributeError, KeyError, TypeError, ValueError) as err:  # not of our making
            log.debug("board %s: ignoring a live message from %s: %r", self._board_id, origin, err)

    def _heard_peers(self, origin: str, version: int, raw: Any) -> None:
        peers = parse_peers(origin, raw)
        same = self._others.same(origin, peers)
        now = asyncio.get_running_loop().time()
        self._forget(self._others.update(origin, version, peers, now + LIVE_TTL))
        for peer in peers:  # where they look, for whoever here follows them
            if peer.view is not None and peer.id not in self._feed.last_views:
                self._feed.view(peer.id, *peer.view)
        self._keep_beating()
        if not same:
            self._settle_colors()
            self._presence.announce()

    def _heard_alive(self, origin: str, version: int) -> None:
        deadline = asyncio.get_running_loop().time() + LIVE_TTL
        if not self._others.alive(origin, version, deadline):
            self._publish({"kind": "ask", "of": origin})  # we missed a change of its list

    def _heard_transient(self, origin: str, message: dict[str, Any]) -> None:
        known = self._others.ids(origin)
        if not known:
            return  # its peers are not announced yet (or expired): nothing to draw them by
        # All of it checked before any of it is used: a bad message changes nothing.
        cursors = [(c["peer"], _coord(c["x"]), _coord(c["y"])) for c in message["cursors"]]
        drags = [(d["peer"], [_move(m) for m in d["moves"]]) for d in message["drags"]]
        views = [(v["peer"], parse_view([v[k] for k in "xywh"])) for v in message["views"]]
        feed = self._feed
        for peer_id, x, y in cursors:
            if peer_id in known:
                feed.cursor(peer_id, x, y)
        elements = self._elements()
        for peer_id, moves in drags:
            if peer_id in known:
                feed.drag(peer_id, moves, elements)
        for peer_id, box in views:
            if peer_id in known and box is not None:
                feed.view(peer_id, *box)

    def _forget(self, peer_ids: set[str]) -> None:
        for peer_id in peer_ids:
            self._feed.forget(peer_id)

    def _settle_colors(self) -> None:
        """Give another colour to a peer of ours whose colour a process before us gave too."""
        earlier = self._others.colors(below=self._origin)
        if not earlier:
            return
        local = self._presence.peers.values()
        used = {p.color for p in local} | self._others.colors()
        moved = False
        for peer in local:
            if peer.color in earlier:
                color = free_color(used)
                if color in used:
                    break  # the palette is spent: people share colours then, as on one process
                peer.color = color
                used.add(color)
                moved = True
        if moved:
            self.changed()

    # ---- closing ---------------------------------------------------------------------

    def close(self) -> None:
        """The room is being dropped: the others hear we hold nobody; no more timers."""
        if self._said:
            self._version += 1
            self._publish({"kind": "peers", "v": self._version, "peers": []})
            self._said = False
        self._closed = True
        for timer in (self._saying, self._beat):
            if timer is not None:
                timer.cancel()
        self._saying = self._beat = None


def _version(message: dict[str, Any]) -> int:
    version = message["v"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise TypeError("v: not an integer")
    return version


def _coord(value: Any) -> float | None:
    return None if value is None else finite_number(value)


def _move(move: Any) -> tuple[str, float, float]:
    return str(move["id"]), finite_number(move["x"]), finite_number(move["y"])
