"""Inventory, notes and arrows in SVG, as the canvas draws them (frontend/js/canvas/shapes.js).

Inventory is the classic triangle with its count and label; notes have a folded
corner (a hypothesis a dashed edge and a question mark, a kaizen burst a jagged
outline); arrows curve between the facing sides. Each function adds the drawn
box to `bounds`. Steps are in svg_steps.py.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.domain.elements import Inventory, Note
from app.export.fonts import text_width, wrap
from app.export.layout import Curve, Rect, rect_of
from app.export.svgkit import (
    INK,
    INK_MUTED,
    PAD_X,
    PAD_Y,
    PAPER,
    Bounds,
    add,
    box_label,
    group,
    label_height,
    num,
    swatch,
    text_lines,
)

# A note's folded corner, and where a hypothesis's caption starts.
NOTE_FOLD = 18.0
# An inventory's label: two lines of 12 px, no wider than the gap between two steps.
INVENTORY_LABEL_W, INVENTORY_LABEL_SIZE, INVENTORY_LABEL_LINE = 136.0, 12.0, 15.6
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
# Arrows: colour and dashes per kind (board.css).
ARROW_STYLE: Mapping[str, dict[str, str | float]] = {
    "flow": {"stroke": "#6b7280", "stroke-width": 1.75},
    "rework": {"stroke": "#d2553f", "stroke-width": 1.75, "stroke-dasharray": "7 5"},
    "info": {"stroke": "#64748b", "stroke-width": 2.0, "stroke-dasharray": "0.5 5"},
}
# Arrow labels longer than this wrap onto further lines (12 px on 15 px lines).
CONNECTOR_LABEL_W = 240.0
CONNECTOR_LABEL_SIZE, CONNECTOR_LINE = 12.0, 15.0

NOTE_CAPTIONS: Mapping[str, str] = {"hypothesis": "Hypothesis"}


def draw_inventory(parent: ET.Element, inv: Inventory, bounds: Bounds) -> None:
    r = rect_of(inv)
    s = swatch(inv.color, "orange")
    w, h = r.w, r.h
    g = group(parent, "inventory", r.x, r.y, inv.id)
    add(
        g,
        "path",
        {
            "d": f"M {num(w / 2)} 2 L {num(w - 2)} {num(h - 2)} L 2 {num(h - 2)} Z",
            "fill": s.fill,
            "stroke": s.border,
            "stroke-linejoin": "round",
            "filter": "url(#shadow)",
        },
    )
    add(
        g,
        "text",
        {
            "x": w / 2,
            "y": h * 0.78,
            "text-anchor": "middle",
            "font-size": 22,
            "font-weight": 700,
            "fill": INK,
        },
        text="I",
    )
    count = "" if inv.count is None else str(inv.count)
    if count:
        add(
            g,
            "text",
            {
                "x": w / 2,
                "y": h + 16,
                "text-anchor": "middle",
                "font-size": 13,
                "font-weight": 600,
                "fill": INK,
            },
            text=count,
        )
    top = _label_top(inv)
    lines = _inventory_lines(inv)
    text_lines(
        g,
        lines,
        w / 2,
        top,
        INVENTORY_LABEL_SIZE,
        INVENTORY_LABEL_LINE,
        {"text-anchor": "middle", "fill": INK_MUTED},
    )
    label_w = min(
        INVENTORY_LABEL_W, max((text_width(x, INVENTORY_LABEL_SIZE) for x in lines), default=0)
    )
    left = r.x + min(0.0, (w - label_w) / 2)
    bounds.add(Rect(left, r.y, max(w, label_w), top + len(lines) * INVENTORY_LABEL_LINE))


def _label_top(inv: Inventory) -> float:
    """Where an inventory's label starts, under the triangle and its count."""
    return inv.h + (22 if inv.count is not None else 6)


def _inventory_lines(inv: Inventory) -> list[str]:
    return wrap(inv.text, INVENTORY_LABEL_W, INVENTORY_LABEL_SIZE) if inv.text.strip() else []


def inventory_reach(inv: Inventory) -> float:
    """How far below its top an inventory's drawing reaches, its count and label included."""
    lines = _inventory_lines(inv)
    return _label_top(inv) + len(lines) * INVENTORY_LABEL_LINE if lines else inv.h


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


def draw_note(parent: ET.Element, note: Note, bounds: Bounds) -> None:
    r = rect_of(note)
    s = swatch(note.color, "pink")
    w, h = r.w, r.h
    g = group(parent, "note", r.x, r.y, note.id)
    bounds.add(r)
    if note.variant == "kaizen":
        add(
            g,
            "path",
            {
                "d": burst_path(w, h),
                "fill": s.fill,
                "stroke": s.border,
                "stroke-width": 1.8,
                "filter": "url(#shadow)",
            },
        )
        size, weight = BURST_LABEL
        box_label(g, note.text, _text_box(note, w, h), size=size, weight=weight)
        return
    f = _fold(w, h)
    outline = (
        f"M 6 0 H {num(w - 6)} Q {num(w)} 0 {num(w)} 6 V {num(h - f)} L {num(w - f)} {num(h)} "
        f"H 6 Q 0 {num(h)} 0 {num(h - 6)} V 6 Q 0 0 6 0 Z"
    )
    body: dict[str, str | float] = {
        "d": outline,
        "fill": s.fill,
        "stroke": s.border,
        "filter": "url(#shadow)",
    }
    if note.variant == "hypothesis":
        body |= {"stroke-width": 1.6, "stroke-dasharray": "6 4"}
    add(g, "path", body)
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
    box_label(g, note.text, _text_box(note, w, h), size=size, weight=weight, center=False)


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


def draw_connector(parent: ET.Element, curve: Curve, kind: str, label: str, bounds: Bounds) -> None:
    d = (
        f"M {num(curve.start.x)} {num(curve.start.y)} C {num(curve.c1.x)} {num(curve.c1.y)}, "
        f"{num(curve.c2.x)} {num(curve.c2.y)}, {num(curve.end.x)} {num(curve.end.y)}"
    )
    style = ARROW_STYLE.get(kind, ARROW_STYLE["flow"])
    add(
        parent,
        "path",
        {
            "class": f"connector {kind}",
            "d": d,
            "fill": "none",
            "stroke-linecap": "round",
            "marker-end": f"url(#arrow-{kind})",
            **style,
        },
    )
    bounds.add(curve.box())
    if not label:
        return
    lines = wrap(label, CONNECTOR_LABEL_W, CONNECTOR_LABEL_SIZE, 500)
    # The label sits above a forward arrow and below a rework loop, growing away from it.
    baseline = curve.mid.y + (14 if kind == "rework" else -6)
    first = baseline if kind == "rework" else baseline - (len(lines) - 1) * CONNECTOR_LINE
    for i, line in enumerate(lines):
        add(
            parent,
            "text",
            {
                "x": curve.mid.x,
                "y": first + i * CONNECTOR_LINE,
                "text-anchor": "middle",
                "font-size": CONNECTOR_LABEL_SIZE,
                "font-weight": 500,
                "fill": "#374151",
                "stroke": PAPER,
                "stroke-width": 4,
                "stroke-linejoin": "round",
                "paint-order": "stroke",
            },
            text=line,
        )
    half = max(text_width(line, CONNECTOR_LABEL_SIZE, 500) for line in lines) / 2
    height = (len(lines) - 1) * CONNECTOR_LINE + 16
    bounds.add(Rect(curve.mid.x - half, first - 12, 2 * half, height))
