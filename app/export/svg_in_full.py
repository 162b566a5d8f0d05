"""The words the map itself cuts short, in full, under the picture.

A note or experiment card grows only into the free room below it, as on the canvas
(fit.py): where a box under it leaves less room than its text needs, its text ends in
"…" and a number. So does a step's name longer than its box holds (the canvas cuts it
the same way, its box kept as stored). A wall has no hover and no side panel, so the
picture lists each such text whole under the map, by its number, in the order the map
reads (top to bottom, left to right). The PDF does not need this: its report lists every note and
card whole (lists.py), and every step's name in its steps table.

    >>> from app.domain.elements import Board, Note, Step
    >>> long = Note(id="n", x=0, y=0, text="word " * 60)
    >>> board = Board(id="b", elements={"n": long, "s": Step(id="s", x=0, y=240)})
    >>> from app.export.fit import fitted
    >>> marks(fitted(board))
    {'n': ' (1)'}
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.domain.elements import Board, Experiment, Note, Step
from app.export.experiments import card_text
from app.export.fit import cut_short
from app.export.fonts import wrap
from app.export.layout import Rect
from app.export.svgkit import INK, INK_MUTED, LINE_SPACING, Bounds, add, text_lines

# What each kind of box is called in the list.
KINDS: Mapping[str, str] = {"hypothesis": "Hypothesis", "kaizen": "Kaizen burst", "comment": "Note"}
HEADING = "Cut short on the map, in full"
# Under the drawing by this much; lines this wide at most (a paragraph, not a banner).
GAP, WIDTH, MIN_WIDTH = 40.0, 900.0, 480.0
HEADING_SIZE, ENTRY_SIZE = 12.0, 13.0


def marks(drawn: Board) -> dict[str, str]:
    """The mark after the "…" of each box drawn short of its text: ' (1)', ' (2)', ..."""
    short = [e for e in drawn.elements.values() if cut_short(e, drawn.calendar)]
    short.sort(key=lambda e: (e.y, e.x))  # type: ignore[union-attr]
    return {e.id: f" ({i})" for i, e in enumerate(short, start=1)}


def draw_in_full(
    parent: ET.Element, drawn: Board, marked: Mapping[str, str], bounds: Bounds
) -> None:
    """Each marked box's whole text under everything drawn so far, by its mark."""
    if not marked or bounds.empty:
        return
    r = bounds.rect(0)
    width = max(MIN_WIDTH, min(WIDTH, r.w))
    g = add(parent, "g", {"class": "in-full"})
    top = r.bottom + GAP
    text_lines(g, [HEADING.upper()], r.x, top, HEADING_SIZE, HEADING_SIZE * LINE_SPACING,
               {"fill": INK_MUTED, "font-weight": 600, "letter-spacing": 0.6})  # fmt: skip
    y = top + HEADING_SIZE * LINE_SPACING + 6
    line_h = ENTRY_SIZE * LINE_SPACING
    for element_id, mark in marked.items():
        el = drawn.elements[element_id]
        if isinstance(el, Experiment):
            said = f"Experiment: {card_text(el, drawn.calendar)}"
        elif isinstance(el, Step):
            said = f"Step: {el.text}"
        else:
            assert isinstance(el, Note)
            said = f"{KINDS.get(el.variant, 'Note')}: {el.text}"
        lines = wrap(f"{mark.strip()} {' '.join(said.split())}", width, ENTRY_SIZE)
        text_lines(g, lines, r.x, y, ENTRY_SIZE, line_h, {"fill": INK})
        y += len(lines) * line_h + 4
    bounds.add(Rect(r.x, top, width, y - top))
