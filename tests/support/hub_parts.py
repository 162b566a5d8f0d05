"""A timeline, sequencer and remote sync over an in-memory store, for the hub's unit tests.

parts = await Parts.make()          # board "b" with one step, s0
parts.sequencer.enqueue(parts.submission("Ada", [update("a:1", "s0", x=1)]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.elements import Board, Step
from app.hub.forecast_feed import ForecastFeed
from app.hub.metrics_feed import MetricsFeed
from app.hub.plan import Peer, Submission
from app.hub.remote import RemoteSync
from app.hub.sequencer import Sequencer
from app.hub.stats import Stats
from app.hub.timeline import Timeline
from app.protocol import Op
from app.store.memory import MemoryBoardStore
from tests.support.fake_socket import FakeSocket


def count_elements(board: Board) -> dict[str, Any]:
    return {"elements": len(board.elements)}


@dataclass
class Parts:
    store: MemoryBoardStore
    stats: Stats
    timeline: Timeline
    sequencer: Sequencer
    remote: RemoteSync
    peers: dict[str, Peer]

    @classmethod
    async def make(cls, store: MemoryBoardStore | None = None) -> Parts:
        store = store or MemoryBoardStore()
        if "b" not in store.bases:
            store.add(Board(id="b", elements={"s0": Step(id="s0", text="Start")}))
        loaded = await store.load("b")
        assert loaded is not None
        stats = Stats()
        peers: dict[str, Peer] = {}

        def state() -> tuple[Board, int, Any]:
            return timeline.board, timeline.seq, peers.values()

        metrics = MetricsFeed(count_elements, loaded.board, state, stats)
        timeline = Timeline("b", loaded, store, stats, metrics, ForecastFeed(_none, state))
        sequencer = Sequencer(timeline, store, stats)
        return cls(store, stats, timeline, sequencer, sequencer.remote, peers)

    def peer(self, name: str) -> tuple[Peer, FakeSocket]:
        """A peer on the board that gets every frame (its welcome: the board's seq now)."""
        socket = FakeSocket(closable=True)
        socket.seq = self.timeline.seq
        peer = Peer(id=f"p-{name}", name=name, role="participant", socket=socket)
        peer.client = name[:1].lower()
        self.peers[peer.id] = peer
        return peer, socket

    def submission(self, peer: Peer, ops: Sequence[Op]) -> Submission:
        return Submission(peer, peer.role, ops, client=peer.client)


def _none(board: Board) -> None:
    return None
