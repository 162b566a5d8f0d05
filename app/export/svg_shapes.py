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
# Arrows: colour and dashes per kind (board.css).
ARROW_STYLE: Mapping[str, dict[str, str | float]] = {
    "flow": {"stroke": "#6b7280", "stroke-width": 1.75},
    "rework": {"stroke": "#d2553f", "stroke-width": 1.75, "stroke-dasharray": "7 5"},
    "info": {"stroke": "#64748b", "stroke-width": 2.0, "stroke-dasharray": "0.5 5"},
}
# Arrow labels longer than this are cut with an ellipsis.
CONNECTOR_LABEL_W = 240.0

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
    top = h + (22 if count else 6)
    lines = (
        wrap(inv.text, INVENTORY_LABEL_W, INVENTORY_LABEL_SIZE, max_lines=2)
        if inv.text.strip()
        else []
    )
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
        bw, bh = w * BURST_INNER * BURST_TEXT_W, h * BURST_INNER * BURST_TEXT_H
        inner = Rect(
            (w - bw) / 2 - PAD_X + 4,
            (h - bh) / 2 - PAD_Y + 2,
            bw + 2 * PAD_X - 8,
            bh + 2 * PAD_Y - 4,
        )
        box_label(g, note.text, inner, size=13, weight=600)
        return
    f = min(NOTE_FOLD, w / 3, h / 3)
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
    top = 0.0
    if caption:
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
        top = 22.0
    box_label(g, note.text, Rect(0, top, w - f / 2, h - top - f / 2), weight=400, center=False)


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
    y = curve.mid.y + (14 if kind == "rework" else -6)
    shown = wrap(" ".join(label.split()), CONNECTOR_LABEL_W, 12, 500, max_lines=1)[0]
    add(
        parent,
        "text",
        {
            "x": curve.mid.x,
            "y": y,
            "text-anchor": "middle",
            "font-size": 12,
            "font-weight": 500,
            "fill": "#374151",
            "stroke": PAPER,
            "stroke-width": 4,
            "stroke-linejoin": "round",
            "paint-order": "stroke",
        },
        text=shown,
    )
    half = text_width(shown, 12, 500) / 2
    bounds.add(Rect(curve.mid.x - half, y - 12, 2 * half, 16))
