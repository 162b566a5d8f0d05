"""The map's pages of the PDF report: the picture at a readable size, page by page.

map_pages.py decides the scale and the cuts; this draws them. Each page's part
of the picture is the SVG export rendered by resvg (png.py) and placed at that
scale, so the smallest text on paper is at least `map_pages.MIN_TEXT_PT`. When
the map takes several parts, each (as many to a page as fit) comes under a line
that names the steps it shows ("Map, part 2 of 3 · steps 4–6 of 8: 4 Build › 5
Code review › 6 Staging test"; the typeface has no arrow), or for a part with
none in it (the ladder, notes) the steps it lies under ("· under steps 4–6 of
8"), so the flow can be followed from page to page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph

from app.domain.elements import Board, Experiment, Inventory, Note, Step
from app.domain.lanes import lane_bands
from app.domain.metrics import Metrics
from app.domain.rework import label
from app.domain.wording import whole_percent
from app.export.fit import reach
from app.export.fonts import text_width, wrap
from app.export.layout import Rect, edges, path_ends, rect_of
from app.export.map_pages import Plan, inside, plan_pages
from app.export.png import svg_to_png
from app.export.routes import arrows, board_ladder
from app.export.svg import MARGIN, Picture, board_picture
from app.export.svg_lanes import name_box
from app.export.svg_overlays import BADGE_ROOM, RING_PAD, badge_width
from app.export.svg_shapes import (
    CONNECTOR_LABEL_SIZE,
    CONNECTOR_LABEL_W,
    CONNECTOR_LINE,
    INVENTORY_LABEL_W,
)
from app.export.svg_steps import measured_room
from app.export.svg_teams import CHIP_H, CHIP_TEXT, MARK_SIZE, MARK_WEIGHT, TAG_GAP, TAG_H, TAG_PAD

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


def plan_map(board: Board, metrics: Metrics, width: float, room: tuple[float, float]) -> MapParts:
    """The map in pages `width` pt wide: whether it fits in the first page's `room[0]` pt
    (under the report's head), else its parts, each page `room[1]` pt tall. A part is
    printed for a step, a queue, a note or card, a label or the ladder in it (map_pages):
    paper with nothing on it but bits of arrows is left out."""
    # The report's own head says it; its lists give every note and card whole.
    picture = board_picture(board, metrics, header=False, in_full=False)
    whole = _trimmed(picture.box)
    width -= FRAME_PAD
    room = (room[0] - FRAME_PAD, room[1] - FRAME_PAD)
    boxes = cut_boxes(picture.drawn, metrics)
    if picture.drawn.swimlanes:  # each lane's name: every lane is named on some page
        boxes += [name_box(band) for band in lane_bands(picture.drawn)]
    # The totals are kept whole as a step is.
    steps = step_boxes(picture.drawn, metrics) + _totals(picture.drawn, metrics)
    band = ladder_band(picture.drawn, metrics)
    loose = handoff_chips(picture.drawn, metrics) + _blank_notes(picture.drawn)
    smallest = picture.smallest_text()

    def plan(height: float) -> Plan:
        return plan_pages(whole, boxes, smallest=smallest, width=width, height=height,
                          steps=steps, bands=band, loose=loose)  # fmt: skip

    first = plan(room[0])
    if first.tiles == (whole,):
        return MapParts(picture, whole, True, first, [whole])
    pages = plan(room[1] - CAPTION_ROOM)
    return MapParts(picture, whole, False, pages, list(pages.tiles))


def map_flowables(
    board: Board, metrics: Metrics, width: float, room: tuple[float, float], caption: Caption
) -> tuple[bool, list[Flowable]]:
    """The map's flowables (plan_map): one picture, else its parts (as many to a page as
    fit), each under a caption naming its steps; and whether it goes on the first page."""
    if not board.elements:  # nothing to draw: the step table says so (no blank box)
        return True, []
    parts = plan_map(board, metrics, width, room)
    picture, plan = parts.picture, parts.plan
    if len(parts.tiles) == 1 and parts.tiles[0] == parts.whole:
        return parts.on_first, [_image(picture, plan, parts.whole)]
    names = _step_names(picture.drawn, metrics)
    out: list[Flowable] = []
    style = caption("").style
    for i, tile in enumerate(parts.tiles):
        line = _caption(i, len(parts.tiles), *_about(tile, names), len(names))
        # One line, as CAPTION_ROOM keeps for it: a caption wrapping onto three pushed its
        # part to the next page and left a page holding the caption alone.
        line = _one_line(line, width - FRAME_PAD, style.fontName, style.fontSize)
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


def _image(picture: Picture, plan: Plan, window: Rect) -> Image:
    png = svg_to_png(picture.document(window))
    return Image(io.BytesIO(png), width=window.w * plan.scale, height=window.h * plan.scale)


def step_boxes(drawn: Board, metrics: Metrics | None = None) -> list[Rect]:
    """Each step as drawn: its owner's tag above it, its figures box and waste chips below
    (with `metrics`, the measured lines under its figures too)."""
    above = TAG_GAP + TAG_H  # room for the tag, owned or not: a cut there would graze it

    def below(s: Step) -> float:
        return reach(s) + (0.0 if metrics is None else measured_room(s, metrics))

    return [Rect(s.x, s.y - above, s.w, above + below(s)) for s in drawn.steps()]


def cut_boxes(drawn: Board, metrics: Metrics) -> list[Rect]:
    """What a page cut should not go through, steps aside: notes and cards, queues with
    their labels, arrows' labels, the frame's pills and the constraint's ring and badge."""
    out = []
    for el in drawn.elements.values():
        if (isinstance(el, Note) and el.text.strip()) or isinstance(el, Experiment):
            out.append(Rect(el.x, el.y, el.w, reach(el)))
        elif isinstance(el, Inventory):
            wide = max(el.w, INVENTORY_LABEL_W) if el.text.strip() else el.w
            out.append(Rect(el.x + (el.w - wide) / 2, el.y, wide, reach(el)))
    out += _arrow_marks(drawn)
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


def _arrow_marks(drawn: Board) -> list[Rect]:
    """Arrows' labels (a rework loop's rate), written at their middle."""
    out = []
    for c, path in arrows(drawn):
        rate = "" if c.rework_rate is None else whole_percent(c.rework_rate)
        words = " · ".join(part for part in (c.text.strip(), rate) if part)
        if words:
            out.append(_label_box(words, path.mid.x, path.mid.y, below=c.connector == "rework"))
    return out


def _blank_notes(drawn: Board) -> list[Rect]:
    """Stickies left empty: not cut through, but no part is printed for one alone."""
    return [
        Rect(el.x, el.y, el.w, reach(el))
        for el in drawn.elements.values()
        if isinstance(el, Note) and not el.text.strip()
    ]


def handoff_chips(drawn: Board, metrics: Metrics) -> list[Rect]:
    """The "handoff" chips (svg_teams) mid-arrow, on each flow arrow into a step that gets
    work from another team. A cut should not go through one, but a part is not printed
    for one alone: halfway down a long arrow between two teams' rows, it is in the paper
    left out between them (each step's owner tag and the Teams table still say it)."""
    if not drawn.teams:
        return []
    given = {target for _, target in metrics.handoffs.edges}
    w = text_width(CHIP_TEXT, MARK_SIZE, MARK_WEIGHT) + 2 * TAG_PAD
    out = []
    for c, path in arrows(drawn):
        if c.connector == "flow" and c.target in given:
            y = path.mid.y + 4 if c.text.strip() else path.mid.y - CHIP_H / 2
            out.append(Rect(path.mid.x - w / 2, y, w, CHIP_H))
    return out


def _label_box(words: str, x: float, y: float, *, below: bool) -> Rect:
    """Where svg_shapes.draw_connector writes an arrow's label at its middle (x, y): under
    a rework loop, above any other arrow."""
    lines = wrap(words, CONNECTOR_LABEL_W, CONNECTOR_LABEL_SIZE, 500)
    tall = (len(lines) - 1) * CONNECTOR_LINE
    first = y + 14 if below else y - 6 - tall
    half = max(text_width(line, CONNECTOR_LABEL_SIZE, 500) for line in lines) / 2
    return Rect(x - half, first - 12, 2 * half, tall + 16)


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


def _about(tile: Rect, names: list[tuple[str, float, float]]) -> tuple[str, list[str]]:
    """The steps a part shows; for a part with none (the ladder, notes), the steps of its
    column and whether it is "under" or "above" them, or in a column with no step (the
    ladder's totals past the last), the step it comes "after": so it says where it belongs."""
    shown = inside(tile, names)
    if shown:
        return "", shown
    column = [(name, y) for name, x, y in names if tile.x <= x < tile.right]
    if not column:
        before = [name for name, x, _ in names if x < tile.x]
        return "after ", before[-1:]
    steps_y = sum(y for _, y in column) / len(column)
    return ("under " if tile.y + tile.h / 2 > steps_y else "above "), [n for n, _ in column]


def _one_line(line: str, width: float, font: str, size: float) -> str:
    """`line`, cut short with "…" where it would run past `width` points."""
    if stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line + "…", font, size) > width:
        line = line[: max(0, len(line) - max(1, len(line) // 20))]
    return line.rstrip(" ›·,:") + "…"


def _caption(index: int, parts: int, where: str, steps: list[str], total: int) -> str:
    head = f"Map, part {index + 1} of {parts}"
    if not steps:
        return head
    numbers = [int(name.split(" ", 1)[0]) for name in steps]
    if len(numbers) == 1:
        which = f"step {numbers[0]}"
    elif numbers == list(range(numbers[0], numbers[-1] + 1)):
        which = f"steps {numbers[0]}–{numbers[-1]}"
    else:  # a step of the run is on another part (a row above or below)
        which = "steps " + ", ".join(map(str, numbers))
    if where:
        return f"{head} · {where}{which} of {total}"
    return f"{head} · {which} of {total}: {' › '.join(steps)}"
