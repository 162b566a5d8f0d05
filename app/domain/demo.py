"""The demo board: the worked example of DESIGN section 2, ready to open.

Six steps of feature delivery, left to right and joined by flow arrows, with
inventory triangles in the gaps (under the arrows, as on a paper map, leaving
room for each step's data box beneath it), and a hypothesis about the
constraint (Staging test) above it. `flowmap demo` stores it.

    >>> from app.domain.metrics import compute_metrics
    >>> compute_metrics(demo_board()).lead_time_minutes
    11940.0
"""

from __future__ import annotations

from app.domain.elements import Board, Calendar, Connector, Element, Inventory, Note, Step

# Layout of the canvas: where the row of steps sits and how far apart the boxes are.
# The gap between two boxes (pitch - width) holds an inventory triangle and its label.
_LEFT, _PITCH, _TOP = 80.0, 312.0, 160.0
_STEP_W, _STEP_H = 168.0, 96.0
_INVENTORY_W, _INVENTORY_H = 72.0, 64.0
_NOTE_H = 120.0
# Space between the row of steps and what sits above or below it.
_GAP = 24.0
# The hypothesis sits above the constraint, clear of the badge the canvas draws there.
_BADGE_CLEARANCE = 64.0
# An inventory triangle's top stays this far below the arrow through the gap.
_ARROW_CLEARANCE = 10.0

_HOUR, _DAY = 60.0, 480.0  # the demo's calendar has 8-hour working days

# (id suffix, text, wait, process, %C/A, waste tags)
_STEPS: tuple[tuple[str, str, float, float, float, tuple[str, ...]], ...] = (
    ("refine", "Refine request", 3 * _DAY, 4 * _HOUR, 70.0, ("waiting",)),
    ("design", "Design", 2 * _DAY, 1 * _DAY, 85.0, ()),
    ("build", "Build", 1 * _DAY, 3 * _DAY, 90.0, ("defects",)),
    ("review", "Code review", 2 * _DAY, 2 * _HOUR, 80.0, ("waiting",)),
    ("staging", "Staging test", 8 * _DAY, 1 * _DAY, 95.0, ("waiting", "inventory")),
    ("release", "Release", 3 * _DAY, 1 * _HOUR, 100.0, ()),
)
# Items queued before a step (by index in _STEPS); Staging test has the biggest pile.
_QUEUES: tuple[tuple[int, int, str], ...] = (
    (1, 4, "Waiting for design"),
    (3, 5, "Pull requests open"),
    (4, 12, "Ready for test"),
    (5, 3, "Waiting for release window"),
)


def demo_board(board_id: str = "demo") -> Board:
    """The worked example as a board; every element id starts with "demo-".

    >>> sorted(e.kind for e in demo_board().elements.values()).count("step")
    6
    """
    elements: list[Element] = []
    for i, (suffix, text, wait, process, pca, waste) in enumerate(_STEPS):
        elements.append(
            Step(
                id=f"demo-{suffix}",
                x=_LEFT + i * _PITCH,
                y=_TOP,
                w=_STEP_W,
                h=_STEP_H,
                text=text,
                wait_minutes=wait,
                process_minutes=process,
                pca=pca,
                waste=waste,
            )
        )
        if i > 0:
            elements.append(
                Connector(
                    id=f"demo-c{i}", source=f"demo-{_STEPS[i - 1][0]}", target=f"demo-{suffix}"
                )
            )
    for before, count, text in _QUEUES:
        # Centred in the gap between the step and the one before it, under the arrow.
        centre = _LEFT + before * _PITCH - (_PITCH - _STEP_W) / 2
        elements.append(
            Inventory(
                id=f"demo-inv-{_STEPS[before][0]}",
                x=centre - _INVENTORY_W / 2,
                y=_TOP + _STEP_H / 2 + _ARROW_CLEARANCE,
                w=_INVENTORY_W,
                h=_INVENTORY_H,
                text=text,
                count=count,
            )
        )
    elements.append(
        Note(
            id="demo-hypothesis",
            x=_LEFT + 4 * _PITCH,
            y=_TOP - _NOTE_H - _BADGE_CLEARANCE,
            h=_NOTE_H,
            text="Test environments are shared and booked up",
            variant="hypothesis",
        )
    )
    return Board(
        id=board_id,
        title="Feature delivery",
        scope="From feature request submitted to feature live in production",
        customer="Product manager",
        trigger="Feature request submitted",
        delivery="Feature live in production",
        owner="Head of Engineering",
        calendar=Calendar(hours_per_day=8.0, days_per_week=5.0),
        elements={e.id: e for e in elements},
    )
