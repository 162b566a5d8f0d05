"""The map's pages of the PDF report: the picture at a readable size, page by page.

map_pages.py decides the scale and the cuts; this draws them. Each page's part
of the picture is the SVG export rendered by resvg (png.py) and placed at that
scale, so the smallest text on paper is at least `map_pages.MIN_TEXT_PT`. When
the map takes several parts, each (one or two to a page) comes under a line that
names the steps it shows ("Map, part 2 of 3 · steps 4–6 of 8: 4 Build › 5 Code
review › 6 Staging test"; the typeface has no arrow), so the flow can be followed from page to page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph

from app.domain.elements import Board, Experiment, Inventory, Note
from app.domain.metrics import Metrics
from app.domain.rework import label
from app.export.fit import reach
from app.export.layout import Rect, edges, path_ends, rect_of
from app.export.map_pages import Plan, inside, plan_pages
from app.export.png import svg_to_png
from app.export.routes import arrows, board_ladder
from app.export.svg import MARGIN, Picture, board_picture
from app.export.svg_overlays import BADGE_ROOM, RING_PAD, badge_width
from app.export.svg_shapes import INVENTORY_LABEL_W

# Room a page's caption line takes above its part of the map, in points.
CAPTION_ROOM = 22.0
# The page has its own white margin: the picture keeps this much of its paper round the map.
PAPER_MARGIN = 16.0
# Between two parts of the map on one page, in points.
PART_GAP = 14.0
# reportlab's frames pad their content by 6 pt on each side.
FRAME_PAD = 12.0
# The ladder's totals stand right of its end: about this wide and tall, in canvas units.
TOTALS_W, TOTALS_H = 240.0, 150.0
# The ladder's labels (and an example walk's actuals) above its upper rung; its footnote below.
LADDER_ABOVE, LADDER_BELOW = 44.0, 72.0

Caption = Callable[[str], Paragraph]


@dataclass(frozen=True)
class MapParts:
    """How the map goes on paper: in one picture on the first page (`on_first`), or
    `tiles` of `plan` (a single tile: a page of its own; more: one part each)."""

    picture: Picture
    whole: Rect
    on_first: bool
    plan: Plan
    tiles: list[Rect]


def plan_map(
    board: Board, metrics: Metrics, width: float, room: tuple[float, float]
) -> MapParts:
    """The map in pages `width` pt wide: whether it fits in the first page's `room[0]` pt
    (under the report's head), else its parts, each page `room[1]` pt tall. A part with
    nothing drawn in it (paper between a far-off note and the map) is left out."""
    picture = board_picture(board, metrics, header=False)  # the report's own head says it
    whole = _trimmed(picture.box)
    width -= FRAME_PAD
    room = (room[0] - FRAME_PAD, room[1] - FRAME_PAD)
    boxes = cut_boxes(picture.drawn, metrics)
    steps = [Rect(s.x, s.y, s.w, reach(s)) for s in picture.drawn.steps()]
    steps += _totals(picture.drawn, metrics)  # as bad to cut as a step
    band = ladder_band(picture.drawn, metrics)
    smallest = picture.smallest_text()
    first = plan_pages(
        whole, boxes, smallest=smallest, width=width, height=room[0], steps=steps, bands=band
    )
    if len(first.tiles) == 1:
        return MapParts(picture, whole, True, first, [whole])
    plan = plan_pages(
        whole,
        boxes,
        smallest=smallest,
        width=width,
        height=room[1] - CAPTION_ROOM,
        steps=steps,
        bands=band,
    )
    drawn = [*boxes, *steps, *band, *(path.box for _, path in arrows(picture.drawn))]
    tiles = [t for t in plan.tiles if any(_meets(t, b) for b in drawn)] or list(plan.tiles)
    return MapParts(picture, whole, False, plan, tiles)


def map_flowables(
    board: Board, metrics: Metrics, width: float, room: tuple[float, float], caption: Caption
) -> tuple[bool, list[Flowable]]:
    """The map's flowables (plan_map): one picture, else one part per page, under a
    caption naming the steps it shows; and whether it goes on the first page."""
    parts = plan_map(board, metrics, width, room)
    picture, plan = parts.picture, parts.plan
    if len(parts.tiles) == 1 and parts.tiles[0] == parts.whole:
        return parts.on_first, [_image(picture, plan, parts.whole)]
    names = _step_names(picture.drawn, metrics)
    out: list[Flowable] = []
    for i, tile in enumerate(parts.tiles):
        line = _caption(i, len(parts.tiles), inside(tile, names), len(names))
        # Parts short enough share a page; the gap above one goes at the top of a page.
        said = caption(line)
        said.style = ParagraphStyle(
            f"part-{i}", parent=said.style, spaceBefore=PART_GAP if i else 0.0
        )
        out.append(KeepTogether([said, _image(picture, plan, tile)]))
    return False, out


def _trimmed(box: Rect) -> Rect:
    """The picture with a paper margin of PAPER_MARGIN instead of the SVG's wider one."""
    cut = MARGIN - PAPER_MARGIN
    return Rect(box.x + cut, box.y + cut, box.w - 2 * cut, box.h - 2 * cut)


def _meets(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _image(picture: Picture, plan: Plan, window: Rect) -> Image:
    png = svg_to_png(picture.document(window))
    return Image(io.BytesIO(png), width=window.w * plan.scale, height=window.h * plan.scale)


def cut_boxes(drawn: Board, metrics: Metrics) -> list[Rect]:
    """What a page cut should not go through, steps aside: notes and cards, queues with
    their labels, the frame's pills and the constraint's ring and badge."""
    out = []
    for el in drawn.elements.values():
        if isinstance(el, Note | Experiment):
            out.append(Rect(el.x, el.y, el.w, reach(el)))
        elif isinstance(el, Inventory):
            wide = max(el.w, INVENTORY_LABEL_W) if el.text.strip() else el.w
            out.append(Rect(el.x + (el.w - wide) / 2, el.y, wide, reach(el)))
    steps = {s.id: s for s in drawn.steps()}
    ends = path_ends(metrics, steps)
    if ends:
        out += [e.box for e in edges(drawn.trigger, drawn.delivery, ends)]
    constraint = steps.get(metrics.constraint.id) if metrics.constraint else None
    if constraint is not None and metrics.constraint is not None:
        r = rect_of(constraint)
        half = max(r.w / 2 + RING_PAD, badge_width(metrics.constraint.share) / 2)
        top = r.y - BADGE_ROOM
        out.append(Rect(r.center.x - half, top, 2 * half, reach(constraint) + r.y - top))
    return out


def _totals(drawn: Board, metrics: Metrics) -> list[Rect]:
    """The totals at the ladder's right end."""
    ladder = board_ladder(drawn, metrics)
    if ladder is None:
        return []
    return [Rect(ladder.x1, ladder.top - LADDER_ABOVE, TOTALS_W, TOTALS_H)]


def ladder_band(drawn: Board, metrics: Metrics) -> list[Rect]:
    """The lead-time ladder with its labels and footnote: a row of pages must not cut it."""
    ladder = board_ladder(drawn, metrics)
    if ladder is None:
        return []
    top, bottom = ladder.top - LADDER_ABOVE, ladder.bottom + LADDER_BELOW
    return [Rect(ladder.x0, top, ladder.x1 - ladder.x0 + TOTALS_W, bottom - top)]


def _step_names(drawn: Board, metrics: Metrics) -> list[tuple[str, float, float]]:
    """'3 Build' and its centre, for every step on the path in flow order."""
    steps = {s.id: s for s in drawn.steps()}
    on_path = [steps[i] for i in metrics.path if i in steps]
    return [(f"{n} {label(s.text, s.id)}", *rect_of(s).center) for n, s in enumerate(on_path, 1)]


def _caption(index: int, parts: int, shown: list[str], total: int) -> str:
    head = f"Map, part {index + 1} of {parts}"
    if not shown:
        return head
    first, last = shown[0].split(" ", 1)[0], shown[-1].split(" ", 1)[0]
    which = f"step {first}" if first == last else f"steps {first}–{last}"
    return f"{head} · {which} of {total}: {' › '.join(shown)}"
