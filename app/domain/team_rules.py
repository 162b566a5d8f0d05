"""The rules that keep step owners and the map's teams in step with each other.

A step's `owner` names one of the board's teams, or nobody. So an owner that is
no team is refused, and so is a list of teams that drops one some step still
names: the steps must be given another owner (or none) first. The canvas does
both in one batch, in that order, which is one change to undo.

    >>> from app.domain.elements import Step, Team
    >>> dev, qa = Team("t-dev", "Development"), Team("t-qa", "QA")
    >>> unknown_owner("t-x", (dev, qa))
    "owner 't-x' is not one of this map's teams (Development, QA)"
    >>> build = Step(id="s1", text="Build", owner="t-dev")
    >>> still_owned((dev, qa), (qa,), {"s1": build})
    'Development still owns Build: give it another owner first'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from app.domain.echo import excerpt
from app.domain.elements import Element, Step, Team
from app.domain.rework import label

# A refusal names this many steps, then says how many more: enough to find them all.
NAMED_STEPS = 5


def unknown_owner(owner: str | None, teams: Sequence[Team]) -> str | None:
    """Why `owner` cannot own a step on a map with `teams`, or None when it can."""
    if owner is None or any(t.id == owner for t in teams):
        return None
    names = ", ".join(t.name for t in teams) if teams else "it has none yet"
    return f"owner {excerpt(owner)} is not one of this map's teams ({names})"


def still_owned(
    before: Sequence[Team], after: Sequence[Team], elements: Mapping[str, Element]
) -> str | None:
    """Why the teams cannot go from `before` to `after` (a dropped team still owns steps)."""
    kept = {t.id for t in after}
    dropped = {t.id: t for t in before if t.id not in kept}
    if not dropped:
        return None
    owned: dict[str, list[Step]] = {}
    for e in elements.values():
        if type(e) is Step and e.owner in dropped:
            owned.setdefault(e.owner, []).append(e)
    reasons = [
        _owns(dropped[team_id].name, steps)
        for team_id, steps in sorted(owned.items(), key=lambda kv: list(dropped).index(kv[0]))
    ]
    return "; ".join(reasons) or None


def _owns(team: str, steps: Iterable[Step]) -> str:
    ordered = sorted(steps, key=lambda s: (s.x, s.y, s.id))
    names = [label(s.text, s.id) for s in ordered[:NAMED_STEPS]]
    more = len(ordered) - NAMED_STEPS
    listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
    pronoun = "it" if len(ordered) == 1 else "them"
    return f"{team} still owns {listed}: give {pronoun} another owner first"
