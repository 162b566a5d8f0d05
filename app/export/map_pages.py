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
# Cutting through a step costs as much as cutting through this many notes or labels.
STEP_WEIGHT = 10.0


@dataclass(frozen=True, slots=True)
class Plan:
    """The scale (pt per canvas unit) and the windows of the picture, one per page, in order."""

    scale: float
    tiles: tuple[Rect, ...]


def plan_pages(
    picture: Rect,
    boxes: Iterable[Rect],
    *,
    smallest: float,
    width: float,
    height: float,
    steps: Iterable[Rect] = (),
    bands: Iterable[Rect] = (),
) -> Plan:
    """Windows of `picture` (canvas units) for pages `width` x `height` pt.

    `boxes` are what a cut should not go through, `steps` what it should go
    through least of all; `bands` what only a cut across (between rows of pages)
    should not go through, like the lead-time ladder that runs the whole width of
    the map. `smallest` is the smallest text size in the picture (canvas units).
    """
    fit = min(width / picture.w, height / picture.h, MAX_SCALE)
    # A hair over the least, so the rounding of pixels never takes the text under it.
    least = MIN_TEXT_PT / smallest + SCALE_HEADROOM
    if fit >= least:
        return Plan(fit, (picture,))
    scale = least
    weighed = [(b, 1.0) for b in boxes] + [(b, STEP_WEIGHT) for b in steps]
    across = [(b.x, b.right, w) for b, w in weighed]
    down = [(b.y, b.bottom, w) for b, w in [*weighed, *((b, 1.0) for b in bands)]]
    columns = _cuts(picture.x, picture.right, width / scale, across)
    rows = _cuts(picture.y, picture.bottom, height / scale, down)
    tiles = tuple(Rect(x0, y0, x1 - x0, y1 - y0) for x0, x1 in columns for y0, y1 in rows)
    return Plan(scale, tiles)


def _cuts(
    start: float, end: float, span: float, spans: list[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    """[start, end) cut into windows no longer than `span`.

    Each cut goes where it crosses the least (weighed) of `spans`, and of equally
    good places the furthest on: just before a box where there is room, else in a
    gap, else through the lightest boxes.
    """
    out = []
    x0 = start
    while end - x0 > span:
        low, limit = x0 + span * MIN_FILL, x0 + span
        places = [limit] + [p for a, b, _ in spans for p in (a - CUT_INSET, a - 1, b + 1)]
        places = [p for p in places if low < p <= limit]
        cut = min(places, key=lambda p: (_crossed(p, spans), -p))
        out.append((x0, cut))
        x0 = cut
    out.append((x0, end))
    return out


def _crossed(place: float, spans: list[tuple[float, float, float]]) -> float:
    """The weight of the spans a cut at `place` goes through."""
    return sum(w for a, b, w in spans if a < place < b)


def inside(tile: Rect, points: Iterable[tuple[str, float, float]]) -> list[str]:
    """The names whose point (a step's centre) falls in the tile, in the order given."""
    return [name for name, x, y in points if tile.x <= x < tile.right and tile.y <= y < tile.bottom]
