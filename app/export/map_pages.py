"""How the map is cut into pages for paper: a scale where its smallest text is readable,
and cuts between steps, so each page holds whole steps in flow order.

Pure geometry (no PDF here; pdf_map.py draws the plan). At A4 landscape the
whole of a long map shrinks to ~4 pt text; instead the map is drawn at the
largest scale that fits one page, but never below `MIN_TEXT_PT` for its
smallest text: a longer map goes on over several pages, cut in the gaps
between steps (never through a box, when a gap exists), and each page says
which steps of the flow it shows.

The map is cut into columns first (the flow runs left to right), then each
column on its own into parts from top to bottom, by what is in that column
only: a map whose steps stand on several rows (teams' rows after Tidy up, a
staircase across the map) left a grid of pages with bare paper or a stray bit
of arrow in half its parts. A part is printed for something a reader needs
(the boxes given: steps, queues, notes, cards, the ladder); paper between
them with nothing but arrows across it is left out, and each part ends a
little after the last box in it, so short parts share a page.

    >>> plan = plan_pages(Rect(0, 0, 1900, 400), [Rect(40, 40, 1800, 100)], smallest=10,
    ...                   width=700, height=400)
    >>> plan.scale, [(round(t.x), round(t.w), t.y, t.h) for t in plan.tiles]
    (0.702, [(0, 997, 24.0, 132.0), (997, 903, 24.0, 132.0)])
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
# A column is this much of a page wide at least before a cut is looked for (no slivers).
MIN_FILL = 0.4
# Cutting through a step costs as much as cutting through this many notes or labels.
STEP_WEIGHT = 10.0
# Paper a part keeps above its first box and below its last (the picture's own margin).
PART_PAD = 16.0

Span = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Plan:
    """The scale (pt per canvas unit) and the windows of the picture, one per part, in order."""

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
    loose: Iterable[Rect] = (),
) -> Plan:
    """Windows of `picture` (canvas units) for pages `width` x `height` pt.

    `boxes` are what a cut should not go through, `steps` what it should go
    through least of all; `bands` what only a cut across (between parts of a
    column) should not go through, like the lead-time ladder that runs the whole
    width of the map; `loose` what no cut should go through either, but what no
    part is printed for, like a handoff chip halfway down a long arrow. `smallest`
    is the smallest text size in the picture (canvas units). A map that fits one
    page is one window, the whole picture; a bigger one is windows on all of these
    but the loose, in columns left to right and each column top to bottom.
    """
    fit = min(width / picture.w, height / picture.h, MAX_SCALE)
    # A hair over the least, so the rounding of pixels never takes the text under it.
    least = MIN_TEXT_PT / smallest + SCALE_HEADROOM
    if fit >= least:
        return Plan(fit, (picture,))
    scale = least
    # Each box with its weight and whether a part is printed for it.
    weighed = [(b, 1.0, True) for b in boxes] + [(b, STEP_WEIGHT, True) for b in steps]
    weighed += [(b, 1.0, False) for b in loose]
    across = [(b.x, b.right, w) for b, w, _ in weighed]
    tall = [*((b, 1.0, True) for b in bands), *weighed]
    tiles = []
    for x0, x1 in _cuts(picture.x, picture.right, width / scale, across):
        down = [(b.y, b.bottom, w, p) for b, w, p in tall if b.x < x1 and x0 < b.right]
        for y0, y1 in _parts(picture.y, picture.bottom, height / scale, down):
            tiles.append(Rect(x0, y0, x1 - x0, y1 - y0))
    return Plan(scale, tuple(tiles))


def _cuts(start: float, end: float, span: float, spans: list[Span]) -> list[tuple[float, float]]:
    """[start, end) cut into windows no longer than `span` (_cut)."""
    out = []
    x0 = start
    while end - x0 > span:
        cut = _cut(x0 + span * MIN_FILL, x0 + span, spans)
        out.append((x0, cut))
        x0 = cut
    out.append((x0, end))
    return out


def _parts(
    start: float, end: float, span: float, spans: list[tuple[float, float, float, bool]]
) -> list[tuple[float, float]]:
    """Windows of [start, end) no longer than `span` holding all of `spans` printed for
    (their last member true), cut as _cuts does; each starts PART_PAD before the first
    of those it holds and ends PART_PAD after its last (or at its cut), clear of the
    others, so the paper between them is in none."""
    held = [(a, b) for a, b, _, printed in spans if printed]
    weighed = [(a, b, w) for a, b, w, _ in spans]
    out = []
    x0 = start
    while ahead := [a for a, b in held if b > x0]:
        first = min(ahead)
        x0 = max(x0, _clear(first - PART_PAD, weighed, later=False))
        # A short part is no sliver of a page (parts share pages): a cut may come early,
        # anywhere past the first box, to stay out of a step.
        cut = end if end - x0 <= span else _cut(max(first, x0), x0 + span, weighed)
        last = max(b for a, b in held if a < cut and b > x0)
        out.append((x0, min(cut, _clear(last + PART_PAD, weighed, later=True))))
        x0 = cut
    return out


def _clear(place: float, spans: list[Span], *, later: bool) -> float:
    """`place`, or past the ends of the spans it would go through (later: after them)."""
    crossed = [(a, b) for a, b, _ in spans if a < place < b]
    if not crossed:
        return place
    return max(b for _, b in crossed) if later else min(a for a, _ in crossed)


def _cut(low: float, limit: float, spans: list[Span]) -> float:
    """Where a window ends, past `low` and at most at `limit`: where it crosses the least
    (weighed) of `spans`, and of equally good places the furthest on: just before a box
    where there is room, else in a gap, else through the lightest boxes."""
    places = [limit] + [p for a, b, _ in spans for p in (a - CUT_INSET, a - 1, b + 1)]
    places = [p for p in places if low < p <= limit]
    return min(places, key=lambda p: (_crossed(p, spans), -p))


def _crossed(place: float, spans: list[Span]) -> float:
    """The weight of the spans a cut at `place` goes through."""
    return sum(w for a, b, w in spans if a < place < b)


def inside(tile: Rect, points: Iterable[tuple[str, float, float]]) -> list[str]:
    """The names whose point (a step's centre) falls in the tile, in the order given."""
    return [name for name, x, y in points if tile.x <= x < tile.right and tile.y <= y < tile.bottom]
