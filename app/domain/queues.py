"""Inventory: how many items queue before each step, by the arrows or where the triangle stands.

An inventory a flow arrow leads out of queues before the step the arrow reaches.
An inventory no flow arrow touches is read as on a paper map: the queue before
the nearest step to its right in the same row (the triangle drawn in the gap
before a box), whether that step is on the path or on a side branch. A count
nobody has written yet is unknown, so the queue it joins is unknown (None).

    >>> from app.domain.elements import Inventory, Step
    >>> steps = [Step(id="a", x=0), Step(id="b", x=300), Step(id="c", x=300, y=300)]
    >>> by_row(steps, {"q": Inventory(id="q", x=200, y=300, count=4)})
    {2: 4}
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence

from app.domain.elements import Connector, Inventory, Step


class Queues(dict[int, int | None]):
    """Items queued before each step (by index); None where a count is not known yet.

    `counted` keeps the items that are counted, for every step with a queue: a queue
    with one uncounted triangle is unknown, yet holds at least those (the constraint's
    tie-break reads them: an empty triangle drawn must never lower a step's rank).
    """

    __slots__ = ("counted",)

    def __init__(self) -> None:
        super().__init__()
        self.counted: dict[int, int] = {}


def add(before: Queues, step: int, count: int | None) -> None:
    """Add `count` items to the queue before `step`: an unknown count makes the sum unknown."""
    had = before.get(step, 0)
    before[step] = None if had is None or count is None else had + count
    before.counted[step] = before.counted.get(step, 0) + (count or 0)


def by_arrow(
    from_inventory: Mapping[str, list[str]],
    inventories: Mapping[str, Inventory],
    step_index: Mapping[str, int],
) -> Queues:
    """Items queued before each step: inventory that flows straight into it."""
    before = Queues()
    for inventory_id, targets in from_inventory.items():
        count = inventories[inventory_id].count
        for target in targets:
            step = step_index.get(target)
            if step is not None:
                add(before, step, count)
    return before


def add_loose(
    before: Queues,
    steps: Sequence[Step],
    inventories: Mapping[str, Inventory],
    flows: Iterable[Connector],
) -> None:
    """Inventory no flow arrow touches, on a map read by its arrows: by where it stands."""
    if not inventories:
        return
    touched = {end for c in flows for end in (c.source, c.target) if end in inventories}
    loose = {i: inv for i, inv in inventories.items() if i not in touched}
    for at, count in by_row(steps, loose).items():
        add(before, at, count)


def by_row(steps: Sequence[Step], inventories: Mapping[str, Inventory]) -> Queues:
    """Items queued before each step, by index into `steps`, read by position.

    An inventory belongs to the step with the nearest centre at or right of its own
    centre among the steps its box shares a row with (their heights overlap), so a
    triangle in front of a side branch's step is that step's queue, not the one of
    the step above it. An inventory with no step to its right in its row is nobody's.
    """
    before = Queues()
    if not steps or not inventories:
        return before
    # Steps by centre, so the nearest one to an inventory's right is found by bisection.
    order = sorted(range(len(steps)), key=lambda i: (steps[i].x + steps[i].w / 2, i))
    centres = [steps[i].x + steps[i].w / 2 for i in order]
    for inventory in inventories.values():
        top, bottom = inventory.y, inventory.y + inventory.h
        at = bisect_left(centres, inventory.x + inventory.w / 2)
        # Walk right until a step shares the row: usually the first one tried.
        for i in order[at:]:
            s = steps[i]
            if s.y < bottom and top < s.y + s.h:
                add(before, i, inventory.count)
                break
    return before
