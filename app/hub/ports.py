"""The small interfaces the room talks through: a peer's socket and the board store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.domain.elements import Board


class PeerSocket(Protocol):
    """Where a room sends one peer's frames. `send` never blocks: it queues."""

    def send(self, frame: str) -> None: ...

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

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]: ...

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]: ...

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None: ...
