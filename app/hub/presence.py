"""Who is on the board: each peer's id and colour, and `presence` frames to everyone.

Each presence frame lists everyone and goes to everyone, so its cost grows with
the square of the board. Frames are coalesced while people keep arriving, and
spaced out further when the last one was big (PRESENCE_BYTES_PER_SECOND).

When other processes hold peers of the board too (hub/live_link.py), the ids given
here end with this process's origin (`p3@1f2e3d4c`) so that they are unique on the
board, and the frames list the others' peers as well, everyone in order of arrival.

    presence = Presence()
    presence.add(peer)         # gives it an id and a free colour
    presence.announce()        # now, or once the interval has passed
    presence.broadcast(frame)  # any frame, to every peer
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection

from app.hub.frames import Outbound
from app.hub.plan import Peer

# Other processes' peers on the board, each with when it joined (RemotePeers.listing).
Others = Callable[[], list[tuple[float, dict[str, str]]]]

# Presence goes out at most this often while people join or leave in a burst.
PRESENCE_INTERVAL = 0.1
# Each presence frame lists everyone and goes to everyone: its cost grows with the square
# of the board. Past this many bytes a second (all peers together) frames are spaced out,
# so one connection joining and leaving in a loop cannot make the server send gigabytes
# to a big board (1,000 peers: ~110 KB a frame, one every ~26 s; 30 peers: 10 a second).
PRESENCE_BYTES_PER_SECOND = 4 * 1024 * 1024
# Websocket close code for a session whose link was revoked (4000-4999: the application's).
LINK_REVOKED = 4403
# Distinct, readable colours for people's cursors and presence chips.
PEER_COLORS = (
    "#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2",
    "#ca8a04", "#dc2626", "#4f46e5", "#059669", "#c026d3", "#475569",
)  # fmt: skip


class Presence:
    """The board's peers by id, and the coalesced `presence` frames that list them.

    `origin` (this process's, when others share the board) ends every id given here;
    `others` lists the other processes' peers for the frames.
    """

    def __init__(self, origin: str = "", others: Others | None = None) -> None:
        self.peers: dict[str, Peer] = {}
        self._tail = f"@{origin}" if origin else ""
        self._others = others
        self._next_peer = 0
        self._last = float("-inf")
        self._gap = PRESENCE_INTERVAL  # grows with what the last frame cost to send
        self._timer: asyncio.TimerHandle | None = None

    def add(self, peer: Peer, taken: Collection[str] = ()) -> None:
        """Give the peer this board's next id and a colour nobody here (nor in `taken`:
        other processes' peers) has yet."""
        self._next_peer += 1
        peer.id = f"p{self._next_peer}{self._tail}"
        peer.joined = time.time()
        peer.color = free_color({p.color for p in self.peers.values()}.union(taken))
        self.peers[peer.id] = peer

    def listing(self) -> list[dict[str, str]]:
        """Everyone on the board, as `presence` and `welcome` list them: in order of arrival."""
        mine = [p.info() for p in self.peers.values()]
        theirs = self._others() if self._others is not None else None
        if not theirs:
            return mine
        everyone = [(p.joined, info) for p, info in zip(self.peers.values(), mine, strict=True)]
        everyone += theirs
        everyone.sort(key=lambda joined_info: joined_info[0])
        return [info for _, info in everyone]

    def remove(self, peer: Peer) -> bool:
        """False if the peer had already gone."""
        return self.peers.pop(peer.id, None) is not None

    def announce(self) -> None:
        """Who is here, to everyone: at once, or, while people keep arriving, once a tick.

        Each presence frame lists everyone, so 500 people joining one by one would
        send everyone 500 ever longer lists; coalesced, it is a few dozen.
        """
        loop = asyncio.get_running_loop()
        wait = self._last + self._gap - loop.time()
        if wait <= 0:
            self._send()
        elif self._timer is None:
            self._timer = loop.call_later(wait, self._send)

    def _send(self) -> None:
        self._timer = None
        self._last = asyncio.get_running_loop().time()
        frame = Outbound({"type": "presence", "peers": self.listing()})
        self._gap = max(PRESENCE_INTERVAL, frame.size * len(self.peers) / PRESENCE_BYTES_PER_SECOND)
        self.broadcast(frame)

    def broadcast(self, frame: Outbound) -> None:
        for peer in list(self.peers.values()):
            peer.socket.send(frame)

    def close_revoked(self, links: set[str], reason: str) -> int:
        """Close the sessions that came in with any of these (now revoked) links; how many."""
        gone = [p for p in self.peers.values() if p.link and p.link in links]
        for peer in gone:
            peer.socket.close(LINK_REVOKED, reason)
        return len(gone)

    def close(self) -> None:
        """No more presence frames (the room is being dropped)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def free_color(used: Collection[str]) -> str:
    """The first colour of the palette not in `used` (the first of all when none is left)."""
    return next((c for c in PEER_COLORS if c not in used), PEER_COLORS[0])
