"""A future-state map started from a current-state one: its title and what it starts with.

The future state is where the team redesigns the flow, so it starts from the map's
shapes with the same ids (they match up in the comparison), under a title of its
own, and without what only the current state measured: the example walk's
timestamps belong to the item that was walked through today's flow.

    >>> future_title("Feature delivery, current state")
    'Feature delivery, future state'
    >>> future_title("Order to cash")
    'Order to cash (future state)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.elements import SHAPE_KINDS, Element, Step, evolve

# Titles are at most this long (fields.py's frame limit).
TITLE_LIMIT = 200
SUFFIX = " (future state)"
# "current state" as people write it in a title: "Current State", "current-state", "(as-is)".
_CURRENT = re.compile(r"\b(current|as[\s-]?is)([\s-]+state)?\b", re.IGNORECASE)
_FUTURE_WORDS = {"current": "future", "as-is": "to-be", "as is": "to be", "asis": "to-be"}
_WALK_FIELDS = ("walk_ready", "walk_start", "walk_end")


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


def future_elements(elements: Iterable[Element]) -> list[Element]:
    """The shapes the future state starts with: steps keep their figures, not the example walk."""
    kept: list[Element] = []
    for element in elements:
        if element.kind not in SHAPE_KINDS:
            continue
        if isinstance(element, Step) and any(getattr(element, f) for f in _WALK_FIELDS):
            element = evolve(element, dict.fromkeys(_WALK_FIELDS))
        kept.append(element)
    return kept
