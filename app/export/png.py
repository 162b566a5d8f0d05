"""The map as a PNG: the SVG picture, rasterised by resvg with the export's own font.

resvg (the `resvg-py` wheel) renders without any system library and, told to
skip the system's fonts, with exactly the Vera files the layout measured
against, so the picture is the same on every machine; letters Vera lacks (other
scripts than Latin) come from the system's DejaVu or Noto where it has them.

The scale is `SCALE` (sharp on a projector and in print), reduced for huge
boards so that neither side exceeds `MAX_SIDE` pixels nor the picture
`MAX_PIXELS`: a stray note a million units away makes a small picture, not an
out-of-memory server. resvg holds Python's lock while it renders, so it renders in a
child process (raster.py), never on the server's interpreter.

    >>> png_scale(2000, 800)
    2.0
    >>> png_scale(1_000_000, 800) < 0.02
    True
"""

from __future__ import annotations

import math

from app.domain.elements import Board
from app.domain.metrics import Metrics
from app.export import raster
from app.export.fonts import FAMILY, FONT_FILES, fallback_files
from app.export.svg import board_svg, svg_size

# Pixels per canvas unit: twice the screen's, crisp when zoomed in or printed at A3.
SCALE = 2.0
# No side longer than this, and no more pixels than this (about 160 MB of RGBA).
MAX_SIDE = 16_000
MAX_PIXELS = 40_000_000


def png_scale(width: float, height: float) -> float:
    """Pixels per unit for a picture of `width` x `height` units, within the limits."""
    w, h = max(width, 1.0), max(height, 1.0)
    # One row of rounding (MAX_SIDE pixels) is kept in hand: see png_size.
    budget = MAX_PIXELS - MAX_SIDE
    return min(SCALE, MAX_SIDE / w, MAX_SIDE / h, math.sqrt(budget / (w * h)))


def png_size(document: str) -> tuple[int, int]:
    """The pixel size `svg_to_png` gives this SVG.

    resvg is given the width (rounded down); it scales the height to match and
    rounds that up, which can add at most one row.
    """
    width, height = svg_size(document)
    k = png_scale(width, height)
    # The epsilon keeps 1200 * 2.0 at 2400 when the float product lands a hair under.
    pixels_wide = max(1, math.floor(width * k + 1e-6))
    return pixels_wide, max(1, math.ceil(height * pixels_wide / max(width, 1.0) - 1e-6))


def svg_to_png(document: str) -> bytes:
    """Rasterise an SVG from `board_svg` (the export's own font; other scripts' letters
    from the system's DejaVu or Noto, fonts.py FALLBACK_NAMES)."""
    pixels_wide, _ = png_size(document)
    fonts = [str(path) for path in (*FONT_FILES.values(), *fallback_files())]
    return raster.render(document, width=pixels_wide, font_files=fonts, family=FAMILY)


def board_png(board: Board, metrics: Metrics) -> bytes:
    """The map as a PNG image."""
    return svg_to_png(board_svg(board, metrics))
