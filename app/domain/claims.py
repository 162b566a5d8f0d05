"""Where a figure says it came from must be so: a client cannot just claim it.

A step's wait or work time is typed in, settled from the participants'
estimates (their median), or taken from the example walk (its actual times).
Provenance records which, and the map shows it (an estimated figure in italics,
a measured one marked). A client that said "estimate" or "measured" for a
figure it made up was believed. Now such a figure must be what the estimates'
median, or the walk, gives for that step as the board stands.

    check_claim(board, step, {"wait_minutes": 480.0}, "estimate")   # None, or why not
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

from app.domain import estimates
from app.domain.elements import Board, Element, Step

# The figures a source other than typing can give, and how it is named in a refusal.
CLAIMED = frozenset({"wait_minutes", "process_minutes"})
_FROM = {"estimate": "the estimates' median", "measured": "the example walk"}
# Minutes the same but for rounding: the metrics send them to three decimals, and the page
# settles a figure with the number it was sent.
_SAME = 1e-3


def check_claim(
    board: Board, element: Element, values: Mapping[str, Any], source: str
) -> str | None:
    """None when `values` may be set with `source` on `element` in `board`; else why not."""
    if source not in _FROM:
        return None  # typed: whatever a person types is theirs
    where = _FROM[source]
    if not isinstance(element, Step):
        return f"only a step's figures can come from {where}"
    claimed = {k: v for k, v in values.items() if k in CLAIMED}
    if not claimed:
        return f"only a wait or a work time can come from {where}"
    found = _estimated(board, element) if source == "estimate" else _walked(board, element)
    for name, value in claimed.items():
        expected = found.get(name)
        if expected is None or value is None or abs(float(value) - expected) > _SAME:
            return f"{name} is not what {where} gives for this step"
    return None


def _estimated(board: Board, step: Step) -> dict[str, float]:
    given = estimates.gather(board).get(step.id, {})
    return {name: float(statistics.median(values)) for name, values in given.items() if values}


def _walked(board: Board, step: Step) -> dict[str, float]:
    from app.domain.metrics import compute_metrics  # the metrics use the operations' modules

    example = compute_metrics(board).example
    found = next((s for s in example.steps if s.id == step.id), None) if example else None
    if found is None:
        return {}
    pairs = (("wait_minutes", found.wait_minutes), ("process_minutes", found.process_minutes))
    return {name: float(v) for name, v in pairs if v is not None}
