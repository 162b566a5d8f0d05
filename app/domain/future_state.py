"""A future-state map started from a current-state one: its title and what it starts with.

The future state is where the team redesigns the flow, so it starts from the map's
shapes with the same ids (they match up in the comparison), under a title of its
own, and without what only the current state measured: the example walk's
timestamps belong to the item that was walked through today's flow. Each step starts
with the figures the current map's metrics use, so the two compare equal until the
redesign changes something: a figure settled from participants' estimates, or taken
from the event log on a map that uses its measurements, becomes the step's own (the
estimates and the log stay with the current state).

    >>> future_title("Feature delivery, current state")
    'Feature delivery, future state'
    >>> future_title("Order to cash")
    'Order to cash (future state)'
"""

from __future__ import annotations

import re

from app.domain import estimates, measured
from app.domain.elements import SHAPE_KINDS, Board, Element, Step, evolve

# Titles are at most this long (fields.py's frame limit).
TITLE_LIMIT = 200
SUFFIX = " (future state)"
# "current state" as people write it in a title: "Current State", "current-state", "(as-is)".
_CURRENT = re.compile(r"\b(current|as[\s-]?is)([\s-]+state)?\b", re.IGNORECASE)
_FUTURE_WORDS = {"current": "future", "as-is": "to-be", "as is": "to be", "asis": "to-be"}
_WALK_FIELDS = ("walk_ready", "walk_start", "walk_end")
_FIGURES = ("wait", "process")


def future_title(title: str) -> str:
    """The title with "current state" said as "future state", or else the suffix added."""
    base = title.strip() or "Map"
    found = _CURRENT.search(base)
    if found is None:
        return base[: TITLE_LIMIT - len(SUFFIX)] + SUFFIX
    word = found.group(1)
    future = _FUTURE_WORDS.get(word.lower(), "future")
    if word[:1].isupper():
        future = future[:1].upper() + future[1:]
    renamed = base[: found.start(1)] + future + base[found.end(1) :]
    return renamed[:TITLE_LIMIT]


def future_elements(board: Board) -> list[Element]:
    """The shapes the future state starts with: steps keep the figures the metrics use,
    not the example walk."""
    in_use = _figures_in_use(board)
    kept: list[Element] = []
    for element in board.elements.values():
        if element.kind not in SHAPE_KINDS:
            continue
        if isinstance(element, Step):
            changes: dict[str, object] = {}
            if any(getattr(element, f) for f in _WALK_FIELDS):
                changes |= dict.fromkeys(_WALK_FIELDS)
            used = in_use[element.id]
            for figure in _FIGURES:
                minutes = getattr(used, f"{figure}_minutes")
                if minutes != getattr(element, f"{figure}_minutes"):
                    # What was typed said the old figure, not this one.
                    changes |= {f"{figure}_minutes": minutes, f"{figure}_text": None}
            element = evolve(element, changes) if changes else element
        kept.append(element)
    return kept


def _figures_in_use(board: Board) -> dict[str, Step]:
    """Each step with the figures compute_metrics takes for it (measured, else estimated)."""
    steps = [e for e in board.elements.values() if isinstance(e, Step)]
    if board.measured is not None and board.figures_from == "measured":
        steps = measured.settle(steps, board.measured)
    settled, _ = estimates.settle(steps, estimates.gather(board))
    return {s.id: s for s in settled}
