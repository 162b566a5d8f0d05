"""Inventory and arrows in SVG, as the canvas draws them (frontend/js/canvas/shapes.js).

Inventory is the classic triangle with its count and label; arrows follow
their routes (routes.py), their labels wrapped, never cut. Each function adds
the drawn box to `bounds`. Steps are in svg_steps.py, notes in svg_notes.py,
experiment cards in svg_cards.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Protocol

from app.domain.elements import Inventory
from app.export.fonts import text_width, wrap
from app.export.layout import Point, Rect, rect_of
from app.export.svgkit import (
    INK,
    INK_MUTED,
    PAPER,
    Bounds,
    add,
    group,
    num,
    shaded,
    swatch,
    text_lines,
)

# An inventory's label: two lines of 12 px, no wider than the gap between two steps.
INVENTORY_LABEL_W, INVENTORY_LABEL_SIZE, INVENTORY_LABEL_LINE = 136.0, 12.0, 15.6
# Arrows: colour and dashes per kind (frontend/css/canvas.css).
ARROW_STYLE: Mapping[str, dict[str, str | float]] = {
    "flow": {"stroke": "#6b7280", "stroke-width": 1.75},
    "rework": {"stroke": "#d2553f", "stroke-width": 1.75, "stroke-dasharray": "7 5"},
    "info": {"stroke": "#64748b", "stroke-width": 2.0, "stroke-dasharray": "0.5 5"},
}
# Arrow labels longer than this wrap onto further lines (12 px on 15 px lines).
CONNECTOR_LABEL_W = 240.0
CONNECTOR_LABEL_SIZE, CONNECTOR_LINE = 12.0, 15.0


def draw_inventory(parent: ET.Element, inv: Inventory, bounds: Bounds) -> None:
    r = rect_of(inv)
    s = swatch(inv.color, "orange")
    w, h = r.w, r.h
    g = group(parent, "inventory", r.x, r.y, inv.id)
    triangle = f"M {num(w / 2)} 2 L {num(w - 2)} {num(h - 2)} L 2 {num(h - 2)} Z"
    paint = {"fill": s.fill, "stroke": s.border, "stroke-linejoin": "round"}
    shaded(g, "path", paint, {"d": triangle})
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


class Drawn(Protocol):
    """An arrow's route (routes.ArrowPath): its path, where its label goes, a box it stays in."""

    @property
    def d(self) -> str: ...
    @property
    def mid(self) -> Point: ...
    @property
    def box(self) -> Rect: ...


def draw_connector(parent: ET.Element, arrow: Drawn, kind: str, label: str, bounds: Bounds) -> None:
    style = ARROW_STYLE.get(kind, ARROW_STYLE["flow"])
    add(
        parent,
        "path",
        {
            "class": f"connector {kind}",
            "d": arrow.d,
            "fill": "none",
            "stroke-linecap": "round",
            "marker-end": f"url(#arrow-{kind})",
            **style,
        },
    )
    bounds.add(arrow.box)
    if not label:
        return
    lines = wrap(label, CONNECTOR_LABEL_W, CONNECTOR_LABEL_SIZE, 500)
    # The label sits above a forward arrow and below a rework loop, growing away from it.
    baseline = arrow.mid.y + (14 if kind == "rework" else -6)
    first = baseline if kind == "rework" else baseline - (len(lines) - 1) * CONNECTOR_LINE
    for i, line in enumerate(lines):
        add(
            parent,
            "text",
            {
                "x": arrow.mid.x,
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
    bounds.add(Rect(arrow.mid.x - half, first - 12, 2 * half, height))
