"""Arrows and the ladder in the exported picture run as they do on the canvas (issue 17).

The geometry tests state the same numbers as frontend/tests/geometry.test.js
(and ladder.js's `ladderTop`); the picture tests read the SVG export itself:
a rework loop runs under the data boxes with its rate in the clear, a back
arrow has its own lane, and the ladder stays under the loop.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from app.domain.elements import Board, Connector, Element, Inventory, Step
from app.domain.metrics import compute_metrics
from app.export.fonts import text_width
from app.export.layout import Point, Rect, rect_of
from app.export.routes import (
    LANE_GAP,
    Route,
    connector_path,
    connector_room,
    footprint_of,
    ladder_top,
    lane_offsets,
)
from app.export.svg import board_svg
from app.export.svg_shapes import CONNECTOR_LABEL_SIZE

SVG = "{http://www.w3.org/2000/svg}"
# Points sampled along each piece of a path when looking for its lowest point.
SAMPLES = 24
WASTE = ("defects", "overproduction", "waiting", "motion")


def board_of(*elements: Element) -> Board:
    return Board(id="b", elements={e.id: e for e in elements})


# ---- the geometry, as geometry.test.js and ladder.js state it ---------------------------


def test_a_rework_loop_between_two_plain_steps_is_the_canvas_path() -> None:
    a, b = Step(id="s0", x=0, y=100), Step(id="s1", x=312, y=100)
    loop = Connector(id="r", source="s1", target="s0", connector="rework")
    route = connector_room(loop, b, a, [a, b])
    # A plain step's data box reaches 167 under its top (96 + 8 + 63), as on the canvas.
    assert route == Route(267, 267, 267)
    path = connector_path(rect_of(b), rect_of(a), "rework", route)
    assert path.d == "M 396 270 V 278 Q 396 292 382 292 H 98 Q 84 292 84 278 V 270"
    assert path.start == Point(396, 270) and path.end == Point(84, 270)
    assert path.mid == Point(240, 292)


def test_a_step_that_redoes_its_own_work_has_a_loop_that_can_be_seen() -> None:
    a = Step(id="s0", x=0, y=100)
    loop = Connector(id="r", source="s0", target="s0", connector="rework")
    path = connector_path(rect_of(a), rect_of(a), "rework", connector_room(loop, a, a, [a]))
    # Out of the right half, back into the left half, as a loop from a later step to an
    # earlier one runs right to left; the same path as the canvas draws (geometry.test.js).
    assert path.d == "M 126 270 V 278 Q 126 292 112 292 H 56 Q 42 292 42 278 V 270"
    assert path.end.x < rect_of(a).center.x < path.start.x


def test_a_rework_loop_runs_under_the_data_boxes_of_its_ends_and_every_step_between() -> None:
    steps = [Step(id=f"s{i}", x=i * 312, y=100, waste=WASTE if i == 1 else ()) for i in range(3)]
    loop = Connector(id="r", source="s2", target="s0", connector="rework")
    route = connector_room(loop, steps[2], steps[0], steps)
    path = connector_path(rect_of(steps[2]), rect_of(steps[0]), "rework", route)
    # The middle step's two rows of waste chips bring the floor to 307, as on the canvas.
    assert footprint_of(steps[1]).bottom == 307 > footprint_of(steps[0]).bottom
    assert path.d == "M 708 270 V 315 Q 708 329 694 329 H 98 Q 84 329 84 315 V 270"
    assert path.start.y > footprint_of(steps[2]).bottom
    assert path.end.y > footprint_of(steps[0]).bottom


def test_a_box_off_to_the_side_or_far_below_does_not_lower_the_loop() -> None:
    a, b = Step(id="a", x=0, y=100), Step(id="b", x=312, y=100)
    aside = Step(id="c", x=900, y=100, waste=WASTE)
    below = Inventory(id="q", x=200, y=600)
    loop = Connector(id="r", source="b", target="a", connector="rework")
    assert connector_room(loop, b, a, [a, b, aside, below]).floor == 267


def test_a_back_arrow_beside_a_forward_one_gets_the_other_lane_a_lone_arrow_none() -> None:
    a, b, c = Step(id="a", x=0, y=0), Step(id="b", x=400, y=0), Step(id="c", x=800, y=0)
    arrows = [
        Connector(id="ab", source="a", target="b"),
        Connector(id="ba", source="b", target="a"),
        Connector(id="bc", source="b", target="c"),
        Connector(id="cb", source="c", target="b", connector="rework"),
    ]
    lanes = lane_offsets([a, b, c, *arrows])
    assert lanes == {"ab": -10, "ba": -10}  # bc alone; a rework loop has its own route
    forward = connector_path(rect_of(a), rect_of(b), "flow", Route(lane=lanes["ab"]))
    back = connector_path(rect_of(b), rect_of(a), "flow", Route(lane=lanes["ba"]))
    assert forward.d == "M 168 38 C 260.8 38, 307.2 38, 400 38"
    assert back.d == "M 400 58 C 307.2 58, 260.8 58, 168 58"
    assert abs(forward.mid.y - back.mid.y) == LANE_GAP


def test_three_arrows_on_one_pair_are_spread_by_id_with_the_middle_one_centred() -> None:
    arrows = [
        Connector(id="x1", source="a", target="b"),
        Connector(id="x2", source="b", target="a"),
        Connector(id="x3", source="a", target="b", connector="info"),
    ]
    assert lane_offsets(arrows) == {"x1": -20, "x2": 0, "x3": 20}


def test_the_ladder_runs_under_the_steps_their_data_boxes_and_a_rework_loop() -> None:
    a, b = Step(id="a", x=0, y=0), Step(id="b", x=312, y=0)
    loop = Connector(id="r", source="b", target="a", connector="rework")
    assert ladder_top([a, b]) == 96 + 132  # under the steps
    assert ladder_top([a, b, loop]) == 167 + 74  # under the data boxes and the loop
    tall = Step(id="a", x=0, y=0, people=2, waste=WASTE)
    assert ladder_top([tall, b]) == 224 + 28  # under a data box with people and chips
    assert ladder_top([loop]) is None


def test_an_arrow_to_a_step_in_another_lane_meets_its_side_never_its_data_box() -> None:
    # Build and Deploy in one lane, Review in the lane below: the arrows run between
    # facing sides, not out of Build's bottom through its data box (geometry.test.js).
    build, review, deploy = (
        Step(id="b", x=0, y=100),
        Step(id="r", x=312, y=400),
        Step(id="d", x=624, y=100),
    )
    paths = {}
    for source, target in ((build, review), (review, deploy)):
        c = Connector(id=source.id + target.id, source=source.id, target=target.id)
        route = connector_room(c, source, target, [build, review, deploy])
        paths[c.id] = connector_path(rect_of(source), rect_of(target), "flow", route)
    assert paths["br"].d == "M 168 148 C 288 148, 192 448, 312 448"
    assert paths["rd"].d == "M 480 448 C 600 448, 504 148, 624 148"
    for path in paths.values():
        for step in (build, review, deploy):
            foot, box = footprint_of(step), rect_of(step)
            data = Rect(foot.x, box.bottom, foot.w, foot.bottom - box.bottom)
            inside = [
                p
                for p in path_points(path.d)
                if data.x < p.x < data.right and data.y < p.y < data.bottom
            ]
            assert not inside, (path.d, step.id)


def test_an_arrow_to_a_step_right_below_leaves_under_the_data_box() -> None:
    top, below = Step(id="t", x=0, y=100), Step(id="u", x=0, y=500)
    c = Connector(id="c", source="t", target="u")
    path = connector_path(
        rect_of(top), rect_of(below), "flow", connector_room(c, top, below, [top, below])
    )
    assert path.start == Point(84, 267)  # the bottom of its data box, not of the step
    assert path.end == Point(84, 500)


# ---- the picture -------------------------------------------------------------------------


def _translate(node: ET.Element) -> Point:
    found = re.match(r"translate\(([-\d.]+) ([-\d.]+)\)", node.get("transform", ""))
    return Point(float(found[1]), float(found[2])) if found else Point(0, 0)


def data_boxes(root: ET.Element) -> list[Rect]:
    """Every step's data box with its waste chips, where the picture draws it."""
    out = []
    for step in root.iter(f"{SVG}g"):
        if step.get("class") != "step":
            continue
        at = _translate(step)
        for box in step.iter(f"{SVG}g"):
            if box.get("class") != "data-box":
                continue
            down = _translate(box)
            bottom = down.y + float(box.find(f"{SVG}rect").get("height", "0"))  # type: ignore[union-attr]
            for chip in (g for g in box.iter(f"{SVG}g") if g.get("class") == "waste"):
                bottom = max(bottom, down.y + _translate(chip).y + 16)
            out.append(Rect(at.x, at.y + down.y, float(step[0].get("width", "0")), bottom - down.y))
    return out


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def path_points(d: str) -> list[Point]:
    """Points along an SVG path of absolute M, L, H, V, Q and C commands."""
    out: list[Point] = []
    here = Point(0, 0)
    for op, args in re.findall(r"([MLHVQC])([^MLHVQC]*)", d):
        n = _numbers(args)
        if op in "ML":
            here = Point(n[0], n[1])
            out.append(here)
            continue
        if op in "HV":
            end = Point(n[0], here.y) if op == "H" else Point(here.x, n[0])
            out += [_lerp(here, end, i / SAMPLES) for i in range(1, SAMPLES + 1)]
            here = end
            continue
        points = [here, *(Point(n[i], n[i + 1]) for i in range(0, len(n), 2))]
        out += [_bezier(points, i / SAMPLES) for i in range(1, SAMPLES + 1)]
        here = points[-1]
    return out


def _lerp(a: Point, b: Point, t: float) -> Point:
    return Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)


def _bezier(points: list[Point], t: float) -> Point:
    while len(points) > 1:
        points = [_lerp(p, q, t) for p, q in zip(points, points[1:], strict=False)]
    return points[0]


def connector_paths(root: ET.Element, kind: str) -> list[str]:
    return [
        p.get("d", "") for p in root.iter(f"{SVG}path") if p.get("class") == f"connector {kind}"
    ]


def label_box(root: ET.Element, text: str) -> Rect:
    """Where an arrow's label is drawn (its ink, from the baseline up to the cap height)."""
    node = next(t for t in root.iter(f"{SVG}text") if t.text == text)
    w = text_width(text, CONNECTOR_LABEL_SIZE, 500)
    x, y = float(node.get("x", "0")), float(node.get("y", "0"))
    return Rect(x - w / 2, y - CONNECTOR_LABEL_SIZE, w, CONNECTOR_LABEL_SIZE + 3)


def overlaps(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def two_steps(*arrows: Connector, waste: tuple[str, ...] = ()) -> ET.Element:
    steps = [
        Step(
            id="s1",
            x=0,
            y=0,
            text="Build",
            wait_minutes=60,
            process_minutes=30,
            pca=90,
            people=2 if waste else None,
            waste=waste,
        ),
        Step(id="s2", x=312, y=0, text="Test", wait_minutes=120, process_minutes=60, pca=80),
    ]
    board = board_of(*steps, Connector(id="f", source="s1", target="s2"), *arrows)
    return ET.fromstring(board_svg(board, compute_metrics(board)).encode())


REWORK = Connector(id="r", source="s2", target="s1", connector="rework", rework_rate=0.2)


def test_a_rework_loop_in_the_picture_runs_below_both_data_boxes_its_rate_in_the_clear() -> None:
    root = two_steps(REWORK)
    boxes = data_boxes(root)
    assert len(boxes) == 2
    [loop] = connector_paths(root, "rework")
    lowest = max(p.y for p in path_points(loop))
    assert all(lowest > box.bottom for box in boxes), (lowest, boxes)
    rate = label_box(root, "20%")
    assert not any(overlaps(rate, box) for box in boxes), (rate, boxes)
    # It leaves and enters under the data boxes: no part of it is hidden under one.
    assert not any(
        box.x < p.x < box.right and box.y < p.y < box.bottom + 3
        for p in path_points(loop)
        for box in boxes
    )


def _middle(d: str) -> list[Point]:
    """The middle half of a path's points: its ends may meet others' at a box's side."""
    points = path_points(d)
    return points[len(points) // 4 : 3 * len(points) // 4]


def test_a_back_arrow_in_the_picture_does_not_lie_on_the_forward_one() -> None:
    root = two_steps(Connector(id="g", source="s2", target="s1"))
    forward, back = connector_paths(root, "flow")
    apart = min(math.dist(p, q) for p in _middle(forward) for q in _middle(back))
    assert apart >= LANE_GAP * 0.9, apart


def ladder_top_in(root: ET.Element) -> float:
    ladder = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ladder")
    return _numbers(ladder[0].get("d", ""))[1]


def test_the_ladder_in_the_picture_runs_below_the_rework_loop_and_its_rate() -> None:
    # A tall data box (people and two rows of chips) takes the loop below the steps' + 132.
    root = two_steps(REWORK, waste=WASTE)
    [loop] = connector_paths(root, "rework")
    lowest = max(p.y for p in path_points(loop))
    top = ladder_top_in(root)
    assert top > label_box(root, "20%").bottom > lowest
    # The ladder's wait labels stand above its upper rung: they too clear the rate.
    ladder = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ladder")
    waits = [float(t.get("y", "0")) for t in ladder.iter(f"{SVG}text")]
    above = [y for y in waits if y < top]
    assert above and all(y - 13 > label_box(root, "20%").bottom for y in above), above
