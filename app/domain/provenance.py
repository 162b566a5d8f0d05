"""Where each number on the map came from: who set it, when, and how.

A facilitator asked "where does this 8d come from?" must have the answer. The
server stamps a figure's provenance whenever an operation sets it: the person
(from the connection, not from the client's say-so), the time, and how the
value was arrived at: typed in, settled from the participants' estimates, or
measured on the example walk.

    >>> from app.domain.actor import Actor
    >>> ada = Actor(name="Ada", client="c1", role="participant", at="2026-11-23T09:00:00Z")
    >>> stamp((), {"wait_minutes": 480, "text": "Build"}, ada, "typed")
    (('wait_minutes', 'Ada', '2026-11-23T09:00:00Z', 'typed'),)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.actor import Actor
from app.domain.elements import NUMBER_FIELDS, Provenance

# How a figure was arrived at.
SOURCES = ("typed", "estimate", "measured")


def stamp(
    current: Provenance, values: Mapping[str, Any], actor: Actor | None, source: str
) -> Provenance | None:
    """The provenance after `values` were set; None when no figure changed (or no actor)."""
    touched = [f for f in NUMBER_FIELDS if f in values]
    if actor is None or not touched:
        return None
    kept = tuple(p for p in current if p[0] not in touched)
    # A figure cleared back to "not known" has no provenance left to show.
    added = tuple((f, actor.name, actor.at, source) for f in touched if values[f] is not None)
    return kept + added


def to_json(provenance: Provenance) -> dict[str, dict[str, str]]:
    """{"wait_minutes": {"by": "Ada", "at": "...", "source": "typed"}, ...}"""
    return {f: {"by": by, "at": at, "source": how} for f, by, at, how in provenance}


def from_json(data: Mapping[str, Mapping[str, str]]) -> Provenance:
    return tuple((f, p["by"], p["at"], p["source"]) for f, p in data.items())
