"""The order a person reads a map in: column by column from the left, each top to bottom.

Boxes dragged into a column by hand never line up to the pixel. Sorted by x alone, two
steps stacked in one column with x a few pixels apart read bottom first, or zigzag
between rows (Tab went 1, 3, 2 down a column). So a box whose left edge is within
`COLUMN_SLACK` of a column's leftmost box is in that column; the column reads top to
bottom (then left to right, then by id, so every peer sees one order). A box further
right starts the next column, measured from it: a slow diagonal drift does not chain a
whole map into one column.

frontend/js/model/reading-order.js says the same (Tab walks the map in this order);
tests/fixtures/reading_order/cases.json holds both to it.

    >>> boxes = [("a", 100, 300), ("b", 103, 100), ("c", 400, 200)]
    >>> [b[0] for b in reading_order(boxes, lambda b: (b[1], b[2], b[0]))]
    ['b', 'a', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

# Canvas pixels. A step is 168 wide and a gap between columns rarely under 60: boxes a hand
# put "in line" are within a few pixels, a deliberate stagger is half a box. 40 tells them apart.
COLUMN_SLACK = 40.0

T = TypeVar("T")

# A box's (x, y, id): where it stands, and its id to break ties.
Place = Callable[[T], tuple[float, float, str]]


def reading_order(items: Iterable[T], place: Place[T]) -> list[T]:
    """`items` in reading order: columns left to right (COLUMN_SLACK), each top to bottom."""
    keyed = sorted(((place(item), item) for item in items), key=lambda pair: pair[0])
    ranked: list[tuple[tuple[int, float, float, str], T]] = []
    column, anchor = -1, 0.0
    for (x, y, ident), item in keyed:
        if column < 0 or x - anchor > COLUMN_SLACK:
            column, anchor = column + 1, x
        ranked.append(((column, y, x, ident), item))
    ranked.sort(key=lambda pair: pair[0])
    return [item for _, item in ranked]
