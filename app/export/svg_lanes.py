"""Swimlanes in SVG, behind the map: a tinted band per team, its name at the left.

The bands are app/domain/lanes.py's (the canvas draws the same ones from
frontend/js/model/lanes.js): one per team that owns a step, in the board's
order, and "Unassigned" for the steps nobody owns. The name sits in the band's
label column, wrapped, big enough to read from the back of the room; a band
is see-through, so two lanes overlapping (a step dragged out of its lane) show.

    >>> import xml.etree.ElementTree as ET
    >>> from app.domain.lanes import Band
    >>> root = ET.Element("g")
    >>> bounds = Bounds()
    >>> draw_lanes(root, [Band("t-qa", "QA", "green", -456, -24, 960, 215)], bounds)
    >>> [t.text for t in root.iter("text")], bounds.rect(0).x
    (['QA'], -456)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from app.domain.lanes import LANE_LABEL_W, Band
from app.export.fonts import wrap
from app.export.layout import Rect
from app.export.svgkit import INK, Bounds, add, swatch, text_lines

# The lane's name: larger than a step's label, so it reads as a heading.
NAME_SIZE, NAME_LINE, NAME_PAD = 16.0, 20.8, 14.0
# How strongly the team colour tints the band and its label column.
BAND_TINT, LABEL_TINT = 0.28, 0.75


def name_box(band: Band) -> Rect:
    """Where a lane's name is drawn in its label column (a PDF part is printed for it)."""
    lines = wrap(band.name, LANE_LABEL_W - 2 * NAME_PAD, NAME_SIZE, 700)
    top = band.y + max(NAME_PAD, (band.h - len(lines) * NAME_LINE) / 2)
    return Rect(band.x, top - NAME_PAD, LANE_LABEL_W, len(lines) * NAME_LINE + 2 * NAME_PAD)


def draw_lanes(parent: ET.Element, bands: Sequence[Band], bounds: Bounds) -> None:
    """Each band, its label column and its name, into a "lanes" group under `parent`."""
    if not bands:
        return
    layer = add(parent, "g", {"class": "lanes"})
    for band in bands:
        s = swatch(band.color, "grey")
        g = add(layer, "g", {"class": "lane", "data-team": band.id})
        box = {"x": band.x, "y": band.y, "height": band.h, "rx": 6}
        add(g, "rect", {**box, "width": band.w, "fill": s.fill, "fill-opacity": BAND_TINT,
                        "stroke": s.border, "stroke-opacity": 0.7})  # fmt: skip
        add(g, "rect", {**box, "width": LANE_LABEL_W, "fill": s.fill, "fill-opacity": LABEL_TINT,
                        "stroke": s.border, "stroke-opacity": 0.7})  # fmt: skip
        lines = wrap(band.name, LANE_LABEL_W - 2 * NAME_PAD, NAME_SIZE, 700)
        top = band.y + max(NAME_PAD, (band.h - len(lines) * NAME_LINE) / 2)
        attrs: dict[str, str | float] = {"fill": INK, "font-weight": 700}
        text_lines(g, lines, band.x + NAME_PAD, top, NAME_SIZE, NAME_LINE, attrs)
        bounds.add(Rect(band.x, band.y, band.w, max(band.h, len(lines) * NAME_LINE + 2 * NAME_PAD)))
