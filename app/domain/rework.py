"""Rework loops: what sending work round again adds to the expected lead time.

A `rework` connector from step B back to step A with rate r says a share r of
items go round A..B again, so on average the trip A..B is made 1 / (1 - r)
times: the expected lead time gains LT(A..B) * r / (1 - r), where LT(A..B) is
the lead time of the path from A to B inclusive. A loop that cannot count
(no rate yet, off the path, pointing forward) is reported with the reason.

    >>> from app.domain.elements import Board, Connector, Step
    >>> from app.domain.flow_path import split_board
    >>> a, b = Step(id="a", x=0, wait_minutes=30), Step(id="b", x=200, wait_minutes=60)
    >>> back = Connector(id="r", source="b", target="a", connector="rework", rework_rate=0.25)
    >>> parts = split_board(Board(id="x", elements={"a": a, "b": b, "r": back}))
    >>> rework_loops(parts, (0, 1), [30.0, 60.0])[0][0].added_minutes
    30.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import NamedTuple

from app.domain.elements import Connector
from app.domain.flow_path import BoardParts


class Rework(NamedTuple):
    """A rework loop that counted: from `source` (later) back to `target` (earlier)."""

    id: str
    source: str
    target: str
    rate: float
    added_minutes: float


class Ignored(NamedTuple):
    """A connector the metrics could not use, and why (for the facilitator)."""

    id: str
    reason: str


def rework_loops(
    parts: BoardParts, path: Sequence[int], leads: Sequence[float]
) -> tuple[tuple[Rework, ...], tuple[Ignored, ...]]:
    """The loops that add to the expected lead time, and those that cannot, by id.

    `path` holds step indices into `parts.steps`, `leads` each step's lead time
    by index. A may equal B (a step that redoes itself). Loops simply add up,
    even when they overlap.
    """
    if not parts.reworks:
        return (), ()
    where = dict(zip(path, range(len(path)), strict=True))  # step index -> place on the path
    # reach[k]: lead time of the first k steps on the path.
    reach = list(accumulate(map(leads.__getitem__, path), initial=0.0))
    counted: list[Rework] = []
    ignored: list[Ignored] = []
    for c in parts.reworks:
        why = _problem(c, parts, where)
        if why:
            ignored.append(Ignored(c.id, why))
            continue
        rate = float(c.rework_rate or 0.0)
        late, early = where[parts.step_index[c.source]], where[parts.step_index[c.target]]
        span = reach[late + 1] - reach[early]
        counted.append(Rework(c.id, c.source, c.target, rate, span * rate / (1.0 - rate)))
    # By id, so the answer does not depend on the order the board keeps its elements in.
    return tuple(sorted(counted)), tuple(sorted(ignored))


def _problem(c: Connector, parts: BoardParts, where: Mapping[int, int]) -> str:
    """Why rework connector `c` cannot count ("" when it can)."""
    late, early = parts.step_index.get(c.source), parts.step_index.get(c.target)
    if late is None or early is None:
        return "a rework arrow counts only from one step back to another"
    steps = parts.steps
    loop = (
        f"rework from {label(steps[late].text, c.source)}"
        f" back to {label(steps[early].text, c.target)}"
    )
    rate = c.rework_rate
    if rate is None:
        return f"{loop} has no rework rate yet, so it adds nothing"
    if not 0.0 <= rate < 1.0:
        return f"{loop} needs a rework rate from 0 up to (not including) 1"
    if late not in where or early not in where:
        return f"{loop} is not on the path, so it adds nothing"
    if where[early] > where[late]:
        return f"{loop} points forward; rework goes from a later step back to an earlier one"
    return ""


def label(text: str, step_id: str) -> str:
    """A step's name for a one-line message: its text on one line, or its id.

    >>> label("Staging\\n test", "s1"), label("", "s1")
    ('Staging test', 's1')
    """
    return " ".join(text.split()) or step_id
