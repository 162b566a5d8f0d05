"""What the canvas draws around the elements: the frame and the constraint.

The frame is the header above the map (title, scope, who is who, and in an
export the constraint in one line) and the trigger and delivered-value pills at
the ends of the flow; the constraint is ringed in red with its queue and named
in a badge above it (frontend/js/canvas/frame-layer.js and metrics-layer.js).
The lead-time ladder is in svg_ladder.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from app.domain.elements import Board, Element, Inventory, Step
from app.domain.metrics import Metrics
from app.domain.wording import whole_percent
from app.export.fonts import one_line, text_width, wrap
from app.export.layout import (
    EDGE_CAPTION_H,
    EDGE_LINE,
    EDGE_SIZE,
    Edge,
    Rect,
    border_point,
    edge_lines,
    queue_before,
    rect_of,
)
from app.export.svg_shapes import (
    INVENTORY_LABEL_SIZE,
    INVENTORY_LABEL_W,
    inventory_reach,
)
from app.export.svgkit import (
    CONSTRAINT,
    INK,
    INK_MUTED,
    Bounds,
    add,
    num,
    text_lines,
)

# The header (frame-layout.js): its gap to the map, and the narrowest it may be.
HEADER_GAP, HEADER_MIN_W = 40.0, 480.0
# (size, line height, weight, italic, ink) of the header's lines.
TITLE = (28.0, 32.2, 700, False, INK)
SCOPE = (16.0, 21.6, 400, True, INK_MUTED)
PEOPLE = (13.5, 18.2, 400, False, INK_MUTED)
REASON = (13.5, 18.2, 600, False, CONSTRAINT)
HEADER_LINE_GAP = 4.0
# The constraint's ring stands off the step; the queue's ring takes in the count and label:
# at least the room the canvas gives them (metrics-layer.js, two lines of label under the
# count), more when the label wraps onto more lines or is wider than the triangle.
RING_PAD, QUEUE_COUNT_ROOM = 12.0, 52.0
BADGE_HEIGHT = 26.0
# How far above the constraint step its ring and badge reach.
BADGE_ROOM = RING_PAD + BADGE_HEIGHT + 6.0


def draw_header(
    parent: ET.Element,
    board: Board,
    metrics: Metrics,
    left: float,
    right: float,
    bottom: float,
    bounds: Bounds,
) -> None:
    """Title, scope, customer and owner, and the constraint, stacked up from `bottom`."""
    people = "   ·   ".join(
        f"{label}: {' '.join(value.split())}"
        for label, value in (("Customer", board.customer), ("Value-stream owner", board.owner))
        if value.strip()
    )
    reason = f"Constraint — {metrics.constraint.reason}" if metrics.constraint else ""
    lines = [(board.title, TITLE), (board.scope, SCOPE), (people, PEOPLE), (reason, REASON)]
    width = max(right - left, HEADER_MIN_W)
    # A long title or scope wraps onto more lines across the map's width: none is cut.
    shown = [
        (wrap(one_line(text), width, style[0], style[2], italic=style[3]), style)
        for text, style in lines
        if text.strip()
    ]
    if not shown:
        return
    height = sum(len(rows) * style[1] for rows, style in shown)
    height += HEADER_LINE_GAP * (len(shown) - 1)
    y = bottom - height
    g = add(parent, "g", {"class": "frame-header"})
    used = 0.0
    for rows, (size, line_h, weight, italic, ink) in shown:
        attrs: dict[str, str | float] = {"fill": ink, "font-weight": weight}
        if italic:
            attrs["font-style"] = "italic"
        text_lines(g, rows, left, y, size, line_h, attrs)
        used = max([used, *(text_width(row, size, weight, italic) for row in rows)])
        y += len(rows) * line_h + HEADER_LINE_GAP
    bounds.add(Rect(left, bottom - height, used, height))


def draw_edges(
    parent: ET.Element, found: list[Edge], ends: tuple[Rect, Rect], bounds: Bounds
) -> None:
    """The trigger and delivered-value pills, joined to the flow by dotted arrows."""
    first, last = ends
    g = add(parent, "g", {"class": "frame-edges"})
    for edge in found:
        box = edge.box
        start, end = (box, first) if not edge.delivery else (last, box)
        a, b = border_point(start, end.center), border_point(end, start.center)
        add(
            g,
            "path",
            {
                "d": f"M {num(a.x)} {num(a.y)} L {num(b.x)} {num(b.y)}",
                "fill": "none",
                "stroke": "#6b7280",
                "stroke-width": 1.75,
                "stroke-dasharray": "2 4",
                "marker-end": "url(#arrow-flow)",
            },
        )
        fill, stroke = ("#f0fdf4", "#16a34a") if edge.delivery else ("#f8fafc", "#94a3b8")
        add(
            g,
            "rect",
            {
                "class": "edge",
                "x": box.x + 1,
                "y": box.y + 1,
                "width": box.w - 2,
                "height": box.h - 2,
                "rx": 35,
                "fill": fill,
                "stroke": stroke,
                "stroke-width": 2,
            },
        )
        lines = edge_lines(edge.text)
        block = EDGE_CAPTION_H + len(lines) * EDGE_LINE
        top = box.y + (box.h - block) / 2
        cx = box.x + box.w / 2
        text_lines(
            g,
            [edge.caption.upper()],
            cx,
            top,
            10.5,
            12.6,
            {
                "text-anchor": "middle",
                "font-weight": 600,
                "letter-spacing": 0.63,
                "fill": INK_MUTED,
            },
        )
        text_lines(
            g,
            lines,
            cx,
            top + EDGE_CAPTION_H,
            EDGE_SIZE,
            EDGE_LINE,
            {"text-anchor": "middle", "font-weight": 500, "fill": INK},
        )
        bounds.add(box)


def draw_constraint(
    under: ET.Element,
    over: ET.Element,
    step: Step,
    elements: Mapping[str, Element],
    share: float,
    bounds: Bounds,
) -> None:
    """The dashed red ring round the constraint and its queue, and the badge above it."""
    ring = add(under, "g", {"class": "constraint-ring"})
    ringed: list[Rect] = [rect_of(step), *(queue_box(q) for q in queue_before(step, elements))]
    for i, r in enumerate(ringed):
        box = Rect(r.x - RING_PAD, r.y - RING_PAD, r.w + 2 * RING_PAD, r.h + 2 * RING_PAD)
        add(
            ring,
            "rect",
            {
                "x": box.x,
                "y": box.y,
                "width": box.w,
                "height": box.h,
                "rx": 18,
                "fill": CONSTRAINT,
                "fill-opacity": 0.07,
                "stroke": CONSTRAINT,
                "stroke-width": 2 if i else 2.5,
                "stroke-dasharray": "9 6",
            },
        )
        bounds.add(box)
    r = rect_of(step)
    text = badge_text(share)
    w = badge_width(share)
    x, y = r.x + r.w / 2 - w / 2, r.y - BADGE_ROOM
    badge = add(over, "g", {"class": "badge", "transform": f"translate({num(x)} {num(y)})"})
    add(
        badge,
        "rect",
        {"width": w, "height": BADGE_HEIGHT, "rx": BADGE_HEIGHT / 2, "fill": CONSTRAINT},
    )
    add(
        badge,
        "text",
        {
            "x": w / 2,
            "y": BADGE_HEIGHT / 2 + 4,
            "text-anchor": "middle",
            "font-size": 12,
            "font-weight": 700,
            "fill": "#ffffff",
        },
        text=text,
    )
    bounds.add(Rect(x, y, w, BADGE_HEIGHT))


def queue_box(inv: Inventory) -> Rect:
    """What a queue's drawing covers (svg_shapes.draw_inventory): its triangle, and under it
    the count and the whole label, centred, as wide and as deep as the label wraps.

    >>> short = Inventory(id="q", x=0, y=0, text="Orders", count=3)
    >>> queue_box(short) == Rect(0, 0, 72, 64 + QUEUE_COUNT_ROOM)
    True
    >>> long = Inventory(id="q", x=0, y=0, text="Quotes awaiting approval from the VP " * 2)
    >>> box = queue_box(long)
    >>> box.x < 0 and box.w > 72 and box.h > 64 + QUEUE_COUNT_ROOM
    True
    """
    r = rect_of(inv)
    lines = wrap(inv.text, INVENTORY_LABEL_W, INVENTORY_LABEL_SIZE) if inv.text.strip() else []
    w = max([r.w, *(text_width(line, INVENTORY_LABEL_SIZE) for line in lines)])
    below = max(QUEUE_COUNT_ROOM, inventory_reach(inv) - r.h)
    return Rect(r.x + (r.w - w) / 2, r.y, w, r.h + below)


def badge_text(share: float) -> str:
    """The badge's percent is the step's wait and work; the reason gives the wait's own."""
    return f"Constraint · wait + work {whole_percent(share)} of lead time"


def badge_width(share: float) -> float:
    """How wide the constraint's badge is drawn, centred over its step."""
    return text_width(badge_text(share), 12, 700) + 24
