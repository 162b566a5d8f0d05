"""A BoardStore in memory: for unit tests of the room, and a reference for the contract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.elements import Board
from app.domain.replay import replay
from app.hub.ports import DuplicateCid, LoadedBoard, Planner, SeqConflict, StoredOp


class MemoryBoardStore:
    """Keeps each board's base and op log in dicts; `fail_next` simulates a database outage.

    store = MemoryBoardStore(); store.add(Board(id="b1"))
    """

    def __init__(self, immediate: bool = False) -> None:
        # immediate: commit_now commits (as SQLite does on the server's own thread).
        self.immediate = immediate
        self.bases: dict[str, Board] = {}
        self.logs: dict[str, list[StoredOp]] = {}
        self.commits = 0
        self.fail_next: Exception | None = None
        self.revoked_links: set[str] = set()

    def add(self, board: Board) -> None:
        self.bases[board.id] = board
        self.logs[board.id] = []

    def seq(self, board_id: str) -> int:
        log = self.logs[board_id]
        return log[-1].seq if log else 0

    def board(self, board_id: str) -> Board:
        return replay(self.bases[board_id], [op.entry for op in self.logs[board_id]])

    async def load(self, board_id: str) -> LoadedBoard | None:
        if board_id not in self.bases:
            return None
        log = self.logs[board_id]
        cids = {op.cid: op.seq for op in log if op.cid is not None}
        return LoadedBoard(self.board(board_id), self.seq(board_id), cids, [op.entry for op in log])

    async def commit(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> None:
        self._commit(board_id, expected_seq, ops)

    def commit_now(
        self,
        board_id: str,
        expected_seq: int,
        ops: Sequence[StoredOp],
        frame: dict[str, Any] | None,
    ) -> bool:
        if self.immediate:
            self._commit(board_id, expected_seq, ops)
        return self.immediate

    def _commit(self, board_id: str, expected_seq: int, ops: Sequence[StoredOp]) -> None:
        if self.fail_next is not None:
            err, self.fail_next = self.fail_next, None
            raise err
        if self.seq(board_id) != expected_seq:
            raise SeqConflict(board_id)
        known = {op.cid for op in self.logs[board_id]}
        if any(op.cid is not None and op.cid in known for op in ops):
            raise DuplicateCid(board_id)
        self.logs[board_id].extend(ops)
        self.commits += 1

    async def commit_exclusive(
        self, board_id: str, expected_seq: int, plan: Planner
    ) -> list[dict[str, Any]]:
        missed = [op.entry for op in self.logs[board_id] if op.seq > expected_seq]
        ops, frame = plan(missed)
        if ops:
            await self.commit(board_id, self.seq(board_id), ops, frame)
        return missed

    async def ops_since(self, board_id: str, since: int, limit: int) -> list[dict[str, Any]]:
        return [op.entry for op in self.logs[board_id] if op.seq > since][:limit]

    async def find_cids(self, board_id: str, cids: Sequence[str]) -> dict[str, int]:
        wanted = set(cids)
        return {op.cid: op.seq for op in self.logs[board_id] if op.cid in wanted}

    async def snapshot(self, board_id: str, seq: int, board: Board) -> None:
        return None

    async def revoked(self, links: Sequence[str]) -> set[str]:
        """Links revoked through `revoke` (tests)."""
        return set(links) & self.revoked_links

    async def exists(self, board_id: str) -> bool:
        return board_id in self.bases

    def revoke(self, link: str) -> None:
        self.revoked_links.add(link)
