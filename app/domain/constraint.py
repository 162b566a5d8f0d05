"""The constraint: the step on the path where work piles up, and why, in people's words.

    >>> row = PathStep("s", "Test", 480.0, 60.0, None, 540.0, 1.0, None, 0)
    >>> constraint((row,), 540.0, Board(id="b")).reason
    'Test: work waits 1d for 1h of work — 100% of lead time'
"""

from __future__ import annotations

from typing import NamedTuple

from app.domain.durations import shown_duration
from app.domain.elements import Board
from app.domain.rework import label
from app.domain.wording import whole_percent


class PathStep(NamedTuple):
    """One step on the path; None where the step lacks the figure."""

    id: str
    text: str
    wait_minutes: float | None
    process_minutes: float | None
    pca: float | None
    lead_minutes: float
    lead_share: float
    inventory: int | None
    # The items counted in that queue: all of them, or those known when a count is missing.
    counted: int = 0

    @property
    def timed(self) -> bool:
        """Whether the step has a wait or a work time: without either, no lead time yet."""
        return self.wait_minutes is not None or self.process_minutes is not None


class Constraint(NamedTuple):
    """The step where work piles up; `share` is its lead time over the whole (0-1)."""

    id: str
    text: str
    wait_minutes: float
    share: float
    reason: str
    # Other steps on the path with the same longest wait: a tie the panel names.
    tied_with: tuple[tuple[str, str], ...] = ()


def constraint(rows: tuple[PathStep, ...], lead_time: float, board: Board) -> Constraint | None:
    """The step with the longest wait before it; ties: more inventory, more process, earlier.

    Its reason quotes the step's figures as its data box shows them (as typed, if typed),
    and names the handoff when the work came to it from another team.
    """
    longest = max((r.wait_minutes or 0.0 for r in rows), default=0.0)
    if longest <= 0:
        return None
    tied = sorted(((i, r) for i, r in enumerate(rows) if r.wait_minutes == longest), key=_pile_up)
    at, top = tied[-1]
    share = top.lead_minutes / lead_time
    cal, step = board.calendar, board.elements.get(top.id)
    work = (
        f" for {shown_duration(top.process_minutes, getattr(step, 'process_text', None), cal)}"
        " of work"
        if top.process_minutes is not None
        else "; its process time is not set yet"
    )
    waits = shown_duration(longest, getattr(step, "wait_text", None), cal)
    handoff = _handoff(rows[at - 1], top, board) if at > 0 and board.teams else ""
    # The step's share (its wait and its work), after both, as DESIGN's example words it.
    said = f"work waits {waits}{handoff}{work} — {whole_percent(share)} of lead time"
    reason = f"{label(top.text, top.id)}: {said}"
    others = tuple((r.id, r.text) for _, r in reversed(tied[:-1]))
    if others:
        names = ", ".join(label(text, id_) for id_, text in others)
        reason += f". Tied on the wait with {names}: {_tie_breaker(tied[-1], tied[-2])}"
    return Constraint(top.id, top.text, longest, share, reason, others)


def _handoff(before: PathStep, step: PathStep, board: Board) -> str:
    """The words for a handoff into `step` (" after Build hands it from Development to QA")
    when the path's arrow into it joins steps of two teams (handoffs.py); else ""."""
    names = {t.id: t.name for t in board.teams}
    giver = names.get(getattr(board.elements.get(before.id), "owner", None) or "")
    taker = names.get(getattr(board.elements.get(step.id), "owner", None) or "")
    if giver is None or taker is None or giver == taker:
        return ""
    return f" after {label(before.text, before.id)} hands it from {giver} to {taker}"


def _tie_breaker(top: tuple[int, PathStep], runner_up: tuple[int, PathStep]) -> str:
    """Why `top` won a tie on the wait, in the order `_pile_up` decides it."""
    (_, a), (_, b) = top, runner_up
    if a.counted != b.counted:
        return "more items wait before this one"
    if (a.process_minutes or 0.0) != (b.process_minutes or 0.0):
        return "this one takes longer to do"
    return "this one comes first in the flow"


def _pile_up(indexed: tuple[int, PathStep]) -> tuple[float, int, float, int]:
    """How badly work piles up before a step: wait, then inventory, then process, then earlier."""
    i, row = indexed
    return (row.wait_minutes or 0.0, row.counted, row.process_minutes or 0.0, -i)
