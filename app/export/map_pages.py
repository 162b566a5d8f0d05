"""How the map is cut into pages for paper: a scale where its smallest text is readable,
and cuts between steps, so each page holds whole steps in flow order.

Pure geometry (no PDF here; pdf_map.py draws the plan). At A4 landscape the
whole of a long map shrinks to ~4 pt text; instead the map is drawn at the
largest scale that fits one page, but never below `MIN_TEXT_PT` for its
smallest text: a longer map goes on over several pages, cut in the gaps
between steps (never through a box, when a gap exists), and each page says
which steps of the flow it shows.

    >>> plan = plan_pages(Rect(0, 0, 1900, 400), [], smallest=10, width=700, height=400)
    >>> plan.scale, [round(t.w) for t in plan.tiles]
    (0.702, [997, 903])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.export.layout import Rect

# The smallest text on paper a person reads at arm's length, in points.
MIN_TEXT_PT = 7.0
SCALE_HEADROOM = 0.002
# A small map is drawn no larger than this (pt per canvas unit): 14 px names at 14 pt.
MAX_SCALE = 1.0
# A cut keeps this many units clear of the box after it (a gap's wait label sits mid-gap).
CUT_INSET = 8.0
# A page is filled at least this much before a cut is looked for (no slivers of a page).
MIN_FILL = 0.4


@dataclass(frozen=True, slots=True)
class Plan:
    """The scale (pt per canvas unit) and the windows of the picture, one per page, in order."""

    scale: float
    tiles: tuple[Rect, ...]


def plan_pages(
    picture: Rect, boxes: Iterable[Rect], *, smallest: float, width: float, height: float
) -> Plan:
    """Windows of `picture` (canvas units) for pages `width` x `height` pt.

    `boxes` are what a cut should not go through; `smallest` is the smallest text
    size in the picture (canvas units).
    """
    fit = min(width / picture.w, height / picture.h, MAX_SCALE)
    # A hair over the least, so the rounding of pixels never takes the text under it.
    least = MIN_TEXT_PT / smallest + SCALE_HEADROOM
    if fit >= least:
        return Plan(fit, (picture,))
    scale = least
    boxes = list(boxes)
    across = _gaps(picture.x, picture.right, [(b.x, b.right) for b in boxes])
    down = _gaps(picture.y, picture.bottom, [(b.y, b.bottom) for b in boxes])
    columns = _cuts(picture.x, picture.right, width / scale, across)
    rows = _cuts(picture.y, picture.bottom, height / scale, down)
    tiles = tuple(Rect(x0, y0, x1 - x0, y1 - y0) for x0, x1 in columns for y0, y1 in rows)
    return Plan(scale, tiles)


def _gaps(
    start: float, end: float, spans: Iterable[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The stretches between `start` and `end` that no span covers, in order."""
    gaps, reach = [], start
    for low, high in sorted(spans):
        if low > reach:
            gaps.append((reach, low))
        reach = max(reach, high)
    if reach < end:
        gaps.append((reach, end))
    return gaps


def _cuts(
    start: float, end: float, span: float, gaps: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """[start, end) cut into windows no longer than `span`, each ending in a gap in reach."""
    out = []
    x0 = start
    while end - x0 > span:
        limit = x0 + span
        fits = [g for g in gaps if x0 + span * MIN_FILL < g[1] and g[0] < limit]
        if fits:
            left, right = fits[-1]
            # Just before the next box; the gap that runs to the end needs no room kept.
            cut = limit if right >= end else min(limit, max(left, right - CUT_INSET))
        else:
            cut = limit  # nothing but boxes in reach: cut through one
        if cut <= x0:
            cut = limit
        out.append((x0, cut))
        x0 = cut
    out.append((x0, end))
    return out


def _even(start: float, end: float, span: float) -> list[tuple[float, float]]:
    """[y0, y1) bands of at most `span`, of equal height."""
    count = max(1, -int(-(end - start) // span))
    step = (end - start) / count
    return [(start + i * step, start + (i + 1) * step) for i in range(count)]


def inside(tile: Rect, points: Iterable[tuple[str, float, float]]) -> list[str]:
    """The names whose point (a step's centre) falls in the tile, in the order given."""
    return [name for name, x, y in points if tile.x <= x < tile.right and tile.y <= y < tile.bottom]
