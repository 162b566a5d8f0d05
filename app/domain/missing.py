"""What a map still lacks: figures a step has not been given, a connection, an item count.

>>> from app.domain.elements import Inventory
>>> uncounted({"q": Inventory(id="q", text="WIP")})
(Missing(id='q', text='WIP', lacks=('count',)),)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from app.domain.elements import Inventory, Step
from app.domain.flow_path import FlowOrder, step_place
from app.domain.reading_order import reading_order

# The figures a step can lack, in the order `missing` lists them.
STEP_FIGURES = ("wait_minutes", "process_minutes", "pca")
# What `missing` says about a step left off the path for want of a flow connector.
NOT_CONNECTED = "connection"
# What `missing` says about an inventory with no item count: unknown, not 0.
NO_COUNT = "count"
# A step's wait, process time and %C/A, None where missing (or impossible).
Figures = tuple[float | None, float | None, float | None]


class Missing(NamedTuple):
    """A step lacking figures (STEP_FIGURES names) or a connection (NOT_CONNECTED),
    or an inventory lacking its count (NO_COUNT)."""

    id: str
    text: str
    lacks: tuple[str, ...]


def uncounted(inventories: Mapping[str, Inventory]) -> tuple[Missing, ...]:
    """Inventory with no item count, in reading order: the queue is unknown, not empty."""
    blank = reading_order((i for i in inventories.values() if i.count is None), _place)
    return tuple(Missing(i.id, i.text, (NO_COUNT,)) for i in blank)


def _place(item: Inventory) -> tuple[float, float, str]:
    return item.x, item.y, item.id


def missing(
    steps: Sequence[Step], order: FlowOrder, figures: Sequence[Figures]
) -> tuple[Missing, ...]:
    """Per step lacking anything, path first and the rest in reading order
    (domain/reading_order.py, as flow_path.off_path lists them)."""
    indices = list(order.path)
    if len(indices) < len(steps):
        on_path = set(indices)
        rest = (i for i in range(len(steps)) if i not in on_path)
        indices.extend(reading_order(rest, lambda i: step_place(steps[i])))
    unconnected = order.unconnected
    out: list[Missing] = []
    for i in indices:
        f = figures[i]
        if None not in f and i not in unconnected:
            continue
        lacks = [name for name, v in zip(STEP_FIGURES, f, strict=True) if v is None]
        if i in unconnected:
            lacks.append(NOT_CONNECTED)
        out.append(Missing(steps[i].id, steps[i].text, tuple(lacks)))
    return tuple(out)
