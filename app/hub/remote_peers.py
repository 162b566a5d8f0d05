"""Who is on the board in other processes, as they last said, until they stop saying it.

Each process is the one authority on its own peers (hub/live_link.py says how it
tells the others). This table is what one room has heard: per process (by its
broker origin), the version of its list, its peers, and the moment after which
they are presumed gone because the process has not been heard from. No I/O and no
clock of its own: the caller passes the loop's time.

A process can only speak for peers whose ids end with its own origin
(`p3@1f2e3d4c`): anything else in its list is dropped, so no process can add,
move or remove a peer of another, this one's included.

    table = RemotePeers()
    table.update("1f2e3d4c", 1, parse_peers("1f2e3d4c", raw), deadline=now + LIVE_TTL)
    table.listing()        # [(joined, {"peer": "p3@1f2e3d4c", "name": ..., ...})]
    table.expire(now)      # the ids of peers whose process went quiet
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# A view as the transient feed keeps it: x, y, w, h in canvas coordinates.
ViewBox = tuple[float, float, float, float]

ROLES = frozenset({"facilitator", "participant", "viewer"})
# Generous bounds on what another process may tell us (its peers were checked there).
MAX_TEXT = 200
MAX_PEERS = 10_000


def namespaced(local_id: str, origin: str) -> str:
    """A peer id that says which process holds the peer."""
    return f"{local_id}@{origin}"


@dataclass(frozen=True, slots=True)
class RemotePeer:
    """One peer another process holds, as it described it."""

    id: str
    name: str
    color: str
    role: str
    client: str
    joined: float  # wall-clock seconds: sorts everyone by arrival, whichever process
    view: ViewBox | None = None

    def info(self) -> dict[str, str]:
        return {
            "peer": self.id, "name": self.name, "color": self.color, "role": self.role,
            "client": self.client,
        }  # fmt: skip


@dataclass(slots=True)
class _Process:
    version: int
    deadline: float
    peers: list[RemotePeer] = field(default_factory=list)


class RemotePeers:
    """Other processes' peers on one board, each process's list replaced whole."""

    def __init__(self) -> None:
        self._processes: dict[str, _Process] = {}

    def __bool__(self) -> bool:
        return bool(self._processes)

    def update(
        self, origin: str, version: int, peers: list[RemotePeer], deadline: float
    ) -> set[str]:
        """The process's whole list, as of `version`; the ids that left it. An empty list
        forgets the process (its last peer left, or it is closing the board)."""
        before = self.ids(origin)
        if peers:
            self._processes[origin] = _Process(version, deadline, peers)
        else:
            self._processes.pop(origin, None)
        return before - {p.id for p in peers}

    def same(self, origin: str, peers: list[RemotePeer]) -> bool:
        """Whether the process's list would read the same to our peers (views aside)."""
        process = self._processes.get(origin)
        held = [] if process is None else process.peers
        return [p.info() for p in held] == [p.info() for p in peers]

    def alive(self, origin: str, version: int, deadline: float) -> bool:
        """A heartbeat: True (and its peers live on) if it is at the version we hold;
        False when we missed a change of its list and should ask for it again."""
        process = self._processes.get(origin)
        if process is None or process.version != version:
            return False
        process.deadline = deadline
        return True

    def expire(self, now: float) -> set[str]:
        """Forget the processes not heard from by their deadline; the ids of their peers."""
        gone = [origin for origin, p in self._processes.items() if p.deadline <= now]
        ids: set[str] = set()
        for origin in gone:
            ids |= self.ids(origin)
            del self._processes[origin]
        return ids

    def ids(self, origin: str) -> set[str]:
        process = self._processes.get(origin)
        return set() if process is None else {p.id for p in process.peers}

    def peers(self) -> Iterable[RemotePeer]:
        for process in self._processes.values():
            yield from process.peers

    def listing(self) -> list[tuple[float, dict[str, str]]]:
        """Every remote peer's presence entry, with when it joined (to merge in order)."""
        return [(p.joined, p.info()) for p in self.peers()]

    def colors(self, below: str | None = None) -> set[str]:
        """The colours remote peers wear; with `below`, only those of processes whose
        origin sorts before it (they keep a colour two processes gave out at once)."""
        return {
            p.color
            for origin, process in self._processes.items()
            if below is None or origin < below
            for p in process.peers
        }


def parse_peers(origin: str, raw: Any) -> list[RemotePeer]:
    """The peers in a process's `peers` message that it may speak for; the rest dropped.
    Raises TypeError or ValueError for a message of the wrong shape."""
    if not isinstance(raw, list) or len(raw) > MAX_PEERS:
        raise ValueError("peers: not a list")
    tail = "@" + origin
    found: list[RemotePeer] = []
    for item in raw:
        peer = _peer(item)
        if peer.id.endswith(tail) and peer.role in ROLES:
            found.append(peer)
    return found


def parse_view(raw: Any) -> ViewBox | None:
    if raw is None:
        return None
    x, y, w, h = (finite_number(v) for v in raw)
    return (x, y, w, h)


def _peer(item: Any) -> RemotePeer:
    if not isinstance(item, dict):
        raise TypeError("a peer is an object")
    texts = [item[k] for k in ("peer", "name", "color", "role", "client")]
    if not all(isinstance(t, str) and len(t) <= MAX_TEXT for t in texts):
        raise ValueError("a peer's fields are short strings")
    peer_id, name, color, role, client = texts
    joined = finite_number(item.get("at", 0.0))
    return RemotePeer(peer_id, name, color, role, client, joined, parse_view(item.get("view")))


def finite_number(value: Any) -> float:
    """`value` as a float; ValueError unless it is a finite JSON number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return float(value)
