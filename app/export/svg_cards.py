"""An experiment card in SVG, as the canvas draws it (frontend/js/canvas/shapes.js).

A white card with a coloured band that says "Experiment · Running", and under
it the hypothesis in words ("We believe that by ... we will reduce lead time
from 24.9d to 15d by 2027-03-01.") with the result once reviewed. Like a note,
the card keeps its width and grows downward until all of its text fits, as far as
the room below it allows (fit.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.domain.elements import Calendar, Experiment
from app.export.experiments import card_text, status_name
from app.export.layout import Rect, rect_of
from app.export.svgkit import (
    INK,
    Bounds,
    add,
    box_label,
    group,
    label_height,
    shaded,
    swatch,
)

# The band across the top that names the card and its status (shapes.js).
BAND_H = 26.0
# The card's text: 14 px regular, as a note's.
CARD_SIZE, CARD_WEIGHT = 14.0, 400


def experiment_height(card: Experiment, calendar: Calendar) -> float:
    """How tall the card is drawn: its own height, or taller when its text needs more room."""
    needed = BAND_H + label_height(
        card_text(card, calendar), card.w, size=CARD_SIZE, weight=CARD_WEIGHT
    )
    return max(card.h, needed)


def draw_experiment(
    parent: ET.Element,
    card: Experiment,
    calendar: Calendar,
    bounds: Bounds,
    mark: str | None = None,
) -> None:
    """`mark`: what a card cut short ends with after its "…" (see svgkit.box_label)."""
    r = rect_of(card)
    s = swatch(card.color, "green")
    g = group(parent, "experiment", r.x, r.y, card.id)
    shaded(
        g, "rect", {"fill": "#ffffff", "stroke": s.border}, {"width": r.w, "height": r.h, "rx": 10}
    )
    # The band's lower corners are square: a rounded rect clipped by a plain one under it.
    add(g, "rect", {"width": r.w, "height": BAND_H, "rx": 10, "fill": s.fill})
    add(g, "rect", {"y": BAND_H / 2, "width": r.w, "height": BAND_H / 2, "fill": s.fill})
    add(
        g,
        "text",
        {
            "x": 12,
            "y": 17,
            "font-size": 10.5,
            "font-weight": 600,
            "letter-spacing": 0.63,
            "fill": INK,
            "fill-opacity": 0.7,
        },
        text=f"Experiment · {status_name(card)}".upper(),
    )
    box = Rect(0, BAND_H, r.w, r.h - BAND_H)
    box_label(
        g,
        card_text(card, calendar),
        box,
        size=CARD_SIZE,
        weight=CARD_WEIGHT,
        center=False,
        mark=mark,
    )
    bounds.add(r)
