"""One board's live session, as a facade over its named parts.

    presence.py   who is here: peer ids, colours, coalesced `presence` frames
    transient.py  cursors, drags and views: latest per peer, one frame a tick
    sequencer.py  operations batched, committed and sent in one order (Phase, Commit)
    remote.py     what other processes committed: the inbox, gaps read from the op log
    timeline.py   the board and its seq as this room has it; `ops` frames; snapshots
    live_link.py  with other processes on the board: their peers (remote_peers.py),
                  cursors, drags and views merged into ours, and ours told to them

The room itself only wires them together and is what the API and `Rooms` hold.
It knows no sockets beyond the `PeerSocket` port.

    room = Room("b1", loaded, store, metrics=compute, broker=broker)
    room.join(peer, since=None)          # queues `welcome` on peer.socket
    room.submit(peer, [UpdateOp(...)])   # later: `ops` to everyone
    room.receive(entries)                # another process committed these
    room.hear(origin, message)           # another process's presence, cursors, drags
    await room.close()                   # every task it started has ended
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from app.domain import secrecy
from app.domain.actor import precise_stamp
from app.domain.elements import Board
from app.domain.serialize import board_to_json
from app.hub.forecast_feed import Forecaster, ForecastFeed
from app.hub.frames import Outbound
from app.hub.guests import GuestNames
from app.hub.live_link import LiveLink
from app.hub.metrics_feed import METRICS_INTERVAL, Metrics, MetricsFeed
from app.hub.plan import SERVER_ROLE, Peer, Submission, paused_for
from app.hub.ports import BoardStore, Broker, LoadedBoard
from app.hub.presence import (
    LINK_REVOKED,
    PEER_COLORS,
    PRESENCE_BYTES_PER_SECOND,
    PRESENCE_INTERVAL,
    Presence,
)
from app.hub.remote_peers import RemotePeers
from app.hub.sequencer import Sequencer, Unavailable
from app.hub.stats import Stats
from app.hub.timeline import CATCHUP_LIMIT, SNAPSHOT_EVERY, Timeline
from app.hub.transient import TRANSIENT_INTERVAL, TransientFeed
from app.protocol import PROTOCOL_VERSION, Op

__all__ = [
    "CATCHUP_LIMIT", "LINK_REVOKED", "METRICS_INTERVAL", "PEER_COLORS",
    "PRESENCE_BYTES_PER_SECOND", "PRESENCE_INTERVAL", "SERVER_ROLE", "SNAPSHOT_EVERY",
    "TRANSIENT_INTERVAL", "Peer", "Room", "Submission", "Unavailable",
]  # fmt: skip


class Room:
    """One board's peers and operations; see the module docstring for its parts."""

    def __init__(
        self,
        board_id: str,
        loaded: LoadedBoard,
        store: BoardStore,
        metrics: Metrics,
        stats: Stats | None = None,
        broker: Broker | None = None,
        forecast: Forecaster | None = None,
    ) -> None:
        self.board_id = board_id
        self.stats = stats = stats or Stats()
        # Other processes hold peers of this board only with a shared broker; alone, the
        # room neither says nor hears anything live, and its paths are as they always were.
        shared = broker if broker is not None and broker.shared else None
        others = RemotePeers() if shared is not None else None
        self._presence = presence = Presence(
            shared.origin if shared is not None else "",
            others.listing if others is not None else None,
        )
        self.peers: dict[str, Peer] = presence.peers  # this process's own
        self._guests = GuestNames()

        def state() -> tuple[Board, int, Any]:
            return timeline.board, timeline.seq, presence.peers.values()

        self._metrics = MetricsFeed(metrics, loaded.board, state, stats)
        self._forecast = ForecastFeed(forecast or _no_forecast, state)
        timeline = Timeline(board_id, loaded, store, stats, self._metrics, self._forecast, broker)
        self._timeline = timeline
        self._transient = transient = TransientFeed(presence.broadcast)
        self._sequencer = Sequencer(timeline, store, stats)
        self._remote = self._sequencer.remote
        self._link: LiveLink | None = None
        if shared is not None and others is not None:
            self._link = LiveLink(
                board_id, shared, presence, transient, others, lambda: timeline.board.elements
            )
            transient.publish = self._link.published

    @property
    def board(self) -> Board:
        return self._timeline.board

    @property
    def seq(self) -> int:
        return self._timeline.seq

    @property
    def _inbox(self) -> list[dict[str, Any]]:
        # Read by tests/unit/test_broker.py, written before the parts had names.
        return self._remote.inbox

    @property
    def settled(self) -> bool:
        """Nothing queued or in flight: every batch so far is committed and sent."""
        return self._sequencer.settled

    @property
    def idle(self) -> bool:
        return not self.peers and self._sequencer.settled

    # ---- peers -----------------------------------------------------------------

    def join(self, peer: Peer, since: int | None, since_cid: str | None = None) -> None:
        """Add a peer and queue its welcome: a snapshot, or the operations it missed (when
        the entry at `since` is the one it applied: its cid is `since_cid`)."""
        # First, before the peer is among those who get the metrics frame this may send:
        self._metrics.now()  # the welcome's metrics are the board's as of its seq
        self._forecast.prime()  # the first forecast follows the welcome: it is not held up
        link = self._link
        if peer.guest:  # before it is among the present: its own old name is not taken
            peer.name = self._guests.name(peer.client, self._presence.listing())
        self._presence.add(peer, link.colors() if link is not None else ())
        timeline = self._timeline
        missed = timeline.missed_since(since, since_cid)
        # An open vote's dots are sealed for all but their authors (domain/secrecy.py): the
        # entries a peer missed hold them whole (even if the vote was removed since), and
        # one that saw dots sealed before a vote closed needs them whole now. Either way, a
        # snapshot as this peer may see it.
        secret = secrecy.secret_dots(timeline.board)
        if missed and (secret or (since is not None and timeline.sealed_since(since))):
            missed = None
        snapshot = None
        if missed is None:
            snapshot = secrecy.seal_snapshot(board_to_json(timeline.board), secret, peer.client)
        welcome = {
            "type": "welcome",
            "protocol": PROTOCOL_VERSION,
            "you": peer.info(),
            "seq": timeline.seq,
            "snapshot": snapshot,
            "missed": missed,
            "peers": self._presence.listing(),
            "metrics": self._metrics.current,
            "forecast": self._forecast.current,
            "now": precise_stamp(time.time()),  # to the millisecond: countdowns agree
            "last_cid": timeline.last_cid,
        }
        peer.socket.send(Outbound(welcome))
        views = self._transient.views_now()
        if views is not None:  # where everyone looks: following someone works at once
            peer.socket.send(views)
        self._presence.announce()
        if link is not None:
            link.changed()

    def leave(self, peer: Peer) -> None:
        if self._presence.remove(peer):
            self._transient.forget(peer.id)
            self._presence.announce()
            if self._link is not None:
                self._link.changed()

    def close_revoked(self, links: set[str], reason: str) -> int:
        """Close the sessions that came in with any of these (now revoked) links."""
        return self._presence.close_revoked(links, reason)

    # ---- transient: cursors, drags, views -----------------------------------------

    def cursor(self, peer: Peer, x: float | None, y: float | None) -> None:
        self._transient.cursor(peer.id, x, y)

    def view(self, peer: Peer, x: float, y: float, w: float, h: float) -> None:
        """What the peer sees, for anyone following them (the latest per flush)."""
        self._transient.view(peer.id, x, y, w, h)

    def drag(self, peer: Peer, moves: Sequence[tuple[str, float, float]]) -> None:
        """A peer's boxes on the move; not while the facilitator has paused editing (the
        drop would be refused: nobody should see the boxes go anywhere meanwhile)."""
        board = self._timeline.board
        if paused_for(peer.role, board.locked):
            return
        self._transient.drag(peer.id, moves, board.elements, peer.address)

    # ---- operations ---------------------------------------------------------------

    def submit(self, peer: Peer, ops: Sequence[Op]) -> Submission:
        """Queue operations; they are applied, committed and broadcast in arrival order."""
        return self._sequencer.enqueue(Submission(peer, peer.role, ops, client=peer.client))

    async def submit_and_wait(
        self, ops: Sequence[Op], role: str, client: str
    ) -> list[dict[str, Any]]:
        """For the HTTP endpoint: queue, then wait until committed; per-op results."""
        done: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._sequencer.enqueue(Submission(None, role, ops, done, client))
        return await done

    # ---- what other processes committed -------------------------------------------

    def receive(self, entries: Sequence[dict[str, Any]]) -> None:
        """Entries another process committed (from the broker): applied in seq order, soon."""
        self._remote.receive(entries)

    def resync(self) -> None:
        """Check the op log for anything missed (the broker reconnected, or may have lost some)."""
        self._remote.resync()

    def subscribed(self) -> None:
        """The broker delivers this board now (first, or after a reconnection): read the op
        log for what may have been missed; ask the other processes who is on the board."""
        self._remote.resync()
        if self._link is not None:
            self._link.subscribed()

    def hear(self, origin: str, message: dict[str, Any]) -> None:
        """A live message from another process (its peers, their cursors, drags and views)."""
        if self._link is not None:
            self._link.hear(origin, message)

    async def caught_up(self) -> bool:
        """Read the op log for what other processes committed; True once this room has.

        For a client that has seen a later seq than this room (it was connected to
        another process): it must never be welcomed to an older board than it saw.
        """
        return await self._remote.caught_up()

    # ---- reading, saving, closing -----------------------------------------------------

    @property
    def metrics(self) -> dict[str, Any]:
        """The board's metrics now (a recompute that was waiting happens here)."""
        self._metrics.now()
        return self._metrics.current

    async def forecast(self) -> dict[str, Any] | None:
        """The board's lead-time forecast now (computed in a worker thread if it is due)."""
        return await self._forecast.latest()

    async def save_snapshot(self) -> None:
        await self._timeline.save_snapshot()

    def unload(self) -> None:
        """The room is being dropped: no more forecasts for it (`close` does all the rest)."""
        self._forecast.close()

    async def close(self) -> None:
        """Stop every timer and task the room started, and wait for them to end."""
        if self._link is not None:
            self._link.close()
        self._presence.close()
        self._transient.close()
        self._metrics.close()
        self._forecast.close()
        await self._sequencer.close()
        await self._forecast.closed()
        await self._timeline.close()


def _no_forecast(board: Board) -> None:
    return None
