"""The small interfaces the hub talks through: a peer's socket, the board store, the broker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.domain.elements import Board
from app.hub.frames import Outbound


class PeerSocket(Protocol):
    """Where a room sends one peer's frames. `send` never blocks: it queues or writes."""

    def send(self, frame: Outbound) -> None: ...

    def close(self, code: int, reason: str) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredOp:
    seq: int
    cid: str | None
    author: str
    entry: dict[str, Any]  # the full entry as broadcast: seq, cid, by, name, op...


@dataclass(slots=True)
class LoadedBoard:
    board: Board
    seq: int
    # cid -> seq of recent operations, so a re-sent operation is applied once.
    recent_cids: dict[str, int] = field(default_factory=dict)
    # The last operation entries, oldest first, for catching reconnecting clients up.
    recent_entries: list[dict[str, Any]] = field(default_factory=list)


class SeqConflict(Exception):
    """Another process committed to this board first; reload and try again."""


class DuplicateCid(Exception):
    """An operation id is already in the log (a re-send the room did not know of)."""


# Given the entries committed since the room's seq, the room's ops to store after them
# and the frame fields they set (see BoardStore.commit_exclusive).
Planner = Callable[[list[dict[str, Any]]], tuple[Sequence[StoredOp], dict[str, Any] | None]]


class BoardStore(Protocol):
    async def load(self, board_id: str) -> LoadedBoard | None: ...

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        """Store ops atomically, moving the board's seq from expected_seq to the last op's."""

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        """`commit`, done before returning, if it can be done without waiting (on I/O, a
        lock, a thread); False, having done nothing, if not. Raises as `commit` does."""

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        """Commit with the board locked: `plan` sees what others committed after expected_seq.

        For a room that keeps losing the race for a busy board to other processes:
        nobody commits in between, so it cannot lose again. `plan` runs on the
        database's thread while the lock is held: it must be pure and quick.
        Returns the entries `plan` was shown.
        """

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]: ...

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]: ...

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None: ...

    async def revoked(self, links: Sequence[str]) -> set[str]:
        """Which of these links (token hashes) no longer open their board."""
        ...

    async def exists(self, board_id: str) -> bool:
        """Whether the board is still there (it is gone once its facilitator deletes it)."""
        ...


# What a broker hands the hub: a board id and entries another process committed, in seq order.
Deliver = Callable[[str, list[dict[str, Any]]], None]
# What a broker hands the hub from a board's live channel: the board id, the sending
# process's origin, and its message (presence or transient: hub/live_link.py says which).
DeliverLive = Callable[[str, str, dict[str, Any]], None]


class Broker(Protocol):
    """Fan-out of committed operation entries between the server processes holding a board.

    The database orders each board; the broker only carries what was committed,
    at most once and possibly late, so receivers check the sequence numbers and
    fill any gap from the op log.

        await broker.start(deliver=rooms.deliver, reconnected=rooms.reconnected,
                           live=rooms.deliver_live)
        await broker.subscribe("b1")
        broker.publish("b1", entries)      # after the commit; never blocks
        broker.publish_live("b1", {"kind": "alive", "v": 3})   # now or never

    Besides entries, a shared broker carries each board's live messages (who is
    connected where, cursors, drags, views): ephemeral, so they are sent at once
    or dropped, never queued or retried, and stamped with the sender's `origin`.
    """

    @property
    def shared(self) -> bool:
        """True when other processes may commit to the same boards (so rooms must listen)."""

    @property
    def healthy(self) -> bool:
        """False while messages may be getting lost: rooms then poll the op log."""

    @property
    def origin(self) -> str:
        """This process's name on the broker (a few hex digits, random at start): live
        messages carry it, and this process's peer ids end with it when shared."""

    async def start(
        self, deliver: Deliver, reconnected: Callable[[], None], live: DeliverLive | None = None
    ) -> None:
        """Begin delivering; `reconnected` is called after every (re)connection, and `live`
        gets other processes' live messages for subscribed boards."""

    async def subscribe(self, board_id: str) -> None:
        """Receive the board's entries and live messages from now on (returns once the
        broker confirmed)."""

    async def unsubscribe(self, board_id: str) -> None: ...

    def publish(self, board_id: str, entries: Sequence[dict[str, Any]]) -> None:
        """Queue committed entries for the other processes; never blocks, never raises."""

    def publish_live(self, board_id: str, message: dict[str, Any]) -> None:
        """Send a live message to the other processes now, or drop it (not connected);
        never queued, never blocks, never raises. Only rooms of a shared broker call it."""

    async def check(self) -> str | None:
        """None when the broker answers; otherwise why not (for /healthz)."""

    async def close(self) -> None: ...
