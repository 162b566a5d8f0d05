"""Notes in SVG, as the canvas draws them (frontend/js/canvas/shapes.js).

A note has a folded corner; a hypothesis a dashed edge, a question mark and its
caption; a kaizen burst a jagged outline with its text in the calm middle.
Each keeps the width the board gives it and grows downward until its text
fits (`note_height`), as far as the room below it allows (fit.py): one stopped
short ends its text in "…" and its mark, and the picture lists it whole.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.domain.elements import Note
from app.export.layout import Rect, rect_of
from app.export.svgkit import (
    PAD_X,
    PAD_Y,
    Attrs,
    Bounds,
    add,
    box_label,
    group,
    label_height,
    num,
    shaded,
    swatch,
)

# A note's folded corner, and where a hypothesis's caption starts.
NOTE_FOLD = 18.0
# The kaizen burst (shapes.js): spike spacing, valley depth, jitter, text box share.
BURST_SPIKE_SPACING, BURST_INNER = 26.0, 0.76
BURST_JITTER = (1.0, 0.94, 0.99, 0.9, 0.97, 0.92)
BURST_TEXT_W, BURST_TEXT_H = 0.92, 0.74
# A hypothesis's caption takes this much off the top of the note's text box.
CAPTION_ROOM = 22.0
# A kaizen burst's text is 13 px semibold (it shouts a little); a note's 14 px regular.
BURST_LABEL, NOTE_LABEL = (13.0, 600), (14.0, 400)
# Growing a note to fit its text settles within this many rounds (the fold can change once).
FIT_ROUNDS = 4
NOTE_CAPTIONS: Mapping[str, str] = {"hypothesis": "Hypothesis"}


def burst_path(w: float, h: float) -> str:
    """A jagged starburst filling a w x h box: a paper map's kaizen burst."""
    cx, cy = w / 2, h / 2
    spikes = max(8, round(math.pi * (w + h) / 2 / BURST_SPIKE_SPACING))
    points = []
    for i in range(spikes * 2):
        angle = math.pi * i / spikes - math.pi / 2
        r = BURST_JITTER[(i // 2) % len(BURST_JITTER)] if i % 2 == 0 else BURST_INNER
        points.append(f"{cx + math.cos(angle) * cx * r:.1f} {cy + math.sin(angle) * cy * r:.1f}")
    return "M " + " L ".join(points) + " Z"


def _fold(w: float, h: float) -> float:
    return min(NOTE_FOLD, w / 3, h / 3)


def _text_box(note: Note, w: float, h: float) -> Rect:
    """Where a note's text goes, in its own units: inside the burst, or under the caption."""
    if note.variant == "kaizen":
        bw, bh = w * BURST_INNER * BURST_TEXT_W, h * BURST_INNER * BURST_TEXT_H
        return Rect(
            (w - bw) / 2 - PAD_X + 4,
            (h - bh) / 2 - PAD_Y + 2,
            bw + 2 * PAD_X - 8,
            bh + 2 * PAD_Y - 4,
        )
    f = _fold(w, h)
    top = CAPTION_ROOM if note.variant in NOTE_CAPTIONS else 0.0
    return Rect(0, top, w - f / 2, h - top - f / 2)


def note_height(note: Note) -> float:
    """How tall `note` is drawn: its own height, or taller when its text needs more room.

    Its width stays as the board has it; the box grows downward until every line fits.
    """
    size, weight = BURST_LABEL if note.variant == "kaizen" else NOTE_LABEL
    # How much of a height change reaches the text box (a burst's text sits in its middle).
    share = BURST_INNER * BURST_TEXT_H if note.variant == "kaizen" else 1.0
    h = note.h
    for _ in range(FIT_ROUNDS):
        box = _text_box(note, note.w, h)
        short = label_height(note.text, box.w, size=size, weight=weight) - box.h
        if short <= 0:
            break
        h += short / share
    return h


def draw_note(parent: ET.Element, note: Note, bounds: Bounds, mark: str | None = None) -> None:
    """`mark`: what a note cut short ends with after its "…" (see svgkit.box_label)."""
    r = rect_of(note)
    s = swatch(note.color, "pink")
    w, h = r.w, r.h
    g = group(parent, "note", r.x, r.y, note.id)
    bounds.add(r)
    if note.variant == "kaizen":
        paint: Attrs = {"fill": s.fill, "stroke": s.border, "stroke-width": 1.8}
        shaded(g, "path", paint, {"d": burst_path(w, h)})
        size, weight = BURST_LABEL
        box_label(g, note.text, _text_box(note, w, h), size=size, weight=weight, mark=mark)
        return
    f = _fold(w, h)
    outline = (
        f"M 6 0 H {num(w - 6)} Q {num(w)} 0 {num(w)} 6 V {num(h - f)} L {num(w - f)} {num(h)} "
        f"H 6 Q 0 {num(h)} 0 {num(h - 6)} V 6 Q 0 0 6 0 Z"
    )
    body: dict[str, str | float] = {"fill": s.fill, "stroke": s.border}
    if note.variant == "hypothesis":
        body |= {"stroke-width": 1.6, "stroke-dasharray": "6 4"}
    shaded(g, "path", body, {"d": outline})
    add(
        g,
        "path",
        {
            "d": f"M {num(w)} {num(h - f)} L {num(w - f)} {num(h - f)} L {num(w - f)} {num(h)} Z",
            "fill": s.border,
            "fill-opacity": 0.45,
        },
    )
    caption = NOTE_CAPTIONS.get(note.variant, "")
    if caption:
        _caption(g, caption)
    size, weight = NOTE_LABEL
    box_label(
        g, note.text, _text_box(note, w, h), size=size, weight=weight, center=False, mark=mark
    )


def _caption(g: ET.Element, caption: str) -> None:
    """A hypothesis's question mark in a ring and its small-caps caption."""
    add(
        g,
        "circle",
        {"cx": 18, "cy": 16, "r": 7, "fill": "none", "stroke": "#4b5058", "stroke-width": 1.3},
    )
    add(
        g,
        "text",
        {
            "x": 18,
            "y": 19.5,
            "text-anchor": "middle",
            "font-size": 10,
            "font-weight": 700,
            "fill": "#4b5058",
        },
        text="?",
    )
    add(
        g,
        "text",
        {
            "x": 30,
            "y": 20,
            "font-size": 10.5,
            "font-weight": 600,
            "letter-spacing": 0.6,
            "fill": "#4b5058",
        },
        text=caption.upper(),
    )
