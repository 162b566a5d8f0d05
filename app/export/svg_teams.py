"""Who owns each step and where the work changes hands, on the exported map as on
the canvas (frontend/js/canvas/owner-marks.js): a tag over each owned step with
its team's colour and name, and a "handoff" chip on each arrow where the work
passes to another team (metrics' `handoffs.edges`). With a queue between the two
steps, the chip sits on the arrow from the queue into the step that gets the work.

    >>> from app.domain.elements import Board, Connector, Step, Team
    >>> from app.domain.metrics import compute_metrics
    >>> from app.export.routes import arrows
    >>> a, b = Step(id="a", owner="dev"), Step(id="b", x=300, owner="qa")
    >>> board = Board(id="x", teams=(Team("dev", "Development"), Team("qa", "QA")),
    ...     elements={"a": a, "b": b, "ab": Connector(id="ab", source="a", target="b")})
    >>> root = ET.Element("g")
    >>> draw_team_marks(root, board, compute_metrics(board), arrows(board), Bounds())
    >>> [t.text for t in root.iter("text")]
    ['Development', 'QA', 'handoff']
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from app.domain.elements import Board, Connector, Element, Inventory, Step
from app.domain.metrics import Metrics
from app.export.fonts import text_width
from app.export.layout import Rect
from app.export.routes import ArrowPath
from app.export.svgkit import INK, SURFACE, Bounds, add, swatch

# The canvas's sizes (owner-marks.js): a tag 15 high, 2 above its step, padded 6 with
# room for its colour dot; a chip 16 high; both in 10.5 px semibold.
TAG_H, TAG_GAP, TAG_PAD, DOT_ROOM = 15.0, 2.0, 6.0, 12.0
CHIP_H = 16.0
MARK_SIZE, MARK_WEIGHT = 10.5, 600
CHIP_TEXT = "handoff"
# frontend/css/teams.css .handoff-chip: dark orange on a pale one, ringed in the canvas's --danger.
HANDOFF_INK, HANDOFF_FILL, HANDOFF_BORDER = "#9a3412", "#fff7ed", "#c2410c"


def draw_team_marks(
    parent: ET.Element,
    board: Board,
    metrics: Metrics,
    paths: Iterable[tuple[Connector, ArrowPath]],
    bounds: Bounds,
) -> None:
    """The owner tags and handoff chips into a "team-marks" group under `parent`."""
    if not board.teams:
        return
    layer = add(parent, "g", {"class": "team-marks"})
    teams = {t.id: t for t in board.teams}
    for step in board.steps():
        team = teams.get(step.owner or "")
        if team is not None:
            _tag(layer, step, team.name, team.color, bounds)
    routed = {c.id: (c, path) for c, path in paths}
    for source, target in metrics.handoffs.edges:
        found = _carrier(source, target, board.elements, routed)
        if found is not None:
            _chip(layer, *found, bounds)


def fit_name(name: str, room: float) -> str:
    """A team name cut with an ellipsis to fit `room` units ("Development" → "Develo…")."""
    if text_width(name, MARK_SIZE, MARK_WEIGHT) <= room:
        return name
    cut = name
    while cut and text_width(cut.rstrip() + "…", MARK_SIZE, MARK_WEIGHT) > room:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _tag(layer: ET.Element, step: Step, name: str, color: str, bounds: Bounds) -> None:
    room = max(DOT_ROOM + 2 * TAG_PAD, step.w)
    text = fit_name(name, room - DOT_ROOM - 2 * TAG_PAD)
    w = min(room, DOT_ROOM + 2 * TAG_PAD + text_width(text, MARK_SIZE, MARK_WEIGHT))
    box = Rect(step.x, step.y - TAG_GAP - TAG_H, w, TAG_H)
    s = swatch(color, "grey")
    g = add(layer, "g", {"class": "owner-tag", "data-owner-of": step.id})
    add(g, "title", text=f"Owner: {name}")
    add(g, "rect", {"x": box.x, "y": box.y, "width": box.w, "height": TAG_H,
                    "rx": TAG_H / 2, "fill": SURFACE, "stroke": s.border})  # fmt: skip
    add(g, "circle", {"cx": box.x + TAG_PAD + 4, "cy": box.y + TAG_H / 2, "r": 4,
                      "fill": s.fill, "stroke": s.border})  # fmt: skip
    at = {"x": box.x + TAG_PAD + DOT_ROOM, "y": box.y + TAG_H / 2 + 3.5}
    add(g, "text", {**at, "font-size": MARK_SIZE, "font-weight": MARK_WEIGHT, "fill": INK}, text)
    bounds.add(box)


def _carrier(
    source: str,
    target: str,
    elements: Mapping[str, Element],
    routed: Mapping[str, tuple[Connector, ArrowPath]],
) -> tuple[Connector, ArrowPath] | None:
    """The flow arrow from `source` to `target`, or from a queue between them into `target`."""
    flows = [(c, p) for c, p in routed.values() if c.connector == "flow"]
    for c, path in flows:
        if c.source == source and c.target == target:
            return c, path
    for c, path in flows:
        queue = elements.get(c.source)
        fed = any(d.source == source and d.target == c.source for d, _ in flows)
        if c.target == target and isinstance(queue, Inventory) and fed:
            return c, path
    return None


def _chip(layer: ET.Element, arrow: Connector, path: ArrowPath, bounds: Bounds) -> None:
    w = text_width(CHIP_TEXT, MARK_SIZE, MARK_WEIGHT) + 2 * TAG_PAD
    # An arrow's own label sits just above its middle: the chip goes under it then.
    y = path.mid.y + 4 if arrow.text.strip() else path.mid.y - CHIP_H / 2
    box = Rect(path.mid.x - w / 2, y, w, CHIP_H)
    g = add(layer, "g", {"class": "handoff-chip", "data-handoff": arrow.id})
    add(g, "rect", {"x": box.x, "y": box.y, "width": w, "height": CHIP_H, "rx": CHIP_H / 2,
                    "fill": HANDOFF_FILL, "stroke": HANDOFF_BORDER})  # fmt: skip
    add(g, "text", {"x": path.mid.x, "y": box.y + CHIP_H / 2 + 3.5, "text-anchor": "middle",
                    "font-size": MARK_SIZE, "font-weight": MARK_WEIGHT,
                    "fill": HANDOFF_INK}, CHIP_TEXT)  # fmt: skip
    bounds.add(box)
