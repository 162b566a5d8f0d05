"""Arrows in the exported picture keep off the lines an event log adds under a step's
figures ("measured 3.5d, n=42"), as they keep off the figures: a step's footprint is what
is drawn under it, those lines included (fit.reach, routes.footprint_of), the canvas's
rule (frontend/js/model/boxes.js footprintOf, held to the same numbers by
tests/fixtures/lanes)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from app.domain.elements import Board, Calendar, Connector, Element, Step
from app.domain.metrics import compute_metrics
from app.export.layout import Rect
from app.export.routes import footprint_of
from app.export.svg import board_svg
from tests.fixtures.lanes.generate import FIXTURE
from tests.unit.test_export_routes import connector_paths, data_boxes, path_points

# s1's wait and process time measured: a line each under its figures in a 168 px box, more
# than the room (22) a rework loop leaves under the lowest data box between its ends.
LOG = {"steps": {
    "s1": {"wait": {"n": 42, "median": 1680, "p85": 2900}, "process": {"n": 42, "median": 90, "p85": 200}},
}}  # fmt: skip


def measured_board(*elements: Element, log: dict[str, Any] | None = None) -> Board:
    return Board(id="b", elements={e.id: e for e in elements}, measured=LOG if log is None else log)


def picture(board: Board) -> ET.Element:
    return ET.fromstring(board_svg(board, compute_metrics(board)).encode())


def crossings(d: str, boxes: list[Rect]) -> list[tuple[float, float]]:
    """The points of an arrow's path that lie inside a data box (its measured lines included)."""
    return [
        (p.x, p.y)
        for p in path_points(d)
        for b in boxes
        if b.x < p.x < b.right and b.y < p.y < b.bottom
    ]


def row(*ids: str) -> list[Step]:
    return [Step(id=sid, x=i * 312, y=0, text=sid, wait_minutes=60) for i, sid in enumerate(ids)]


def test_a_rework_loop_in_the_picture_runs_under_the_measured_lines_of_a_step_between() -> None:
    s0, s1, s2 = row("s0", "s1", "s2")
    back = Connector(id="r", source="s2", target="s0", connector="rework", rework_rate=0.2)
    root = picture(measured_board(s0, s1, s2, back))
    [d] = connector_paths(root, "rework")
    boxes = data_boxes(root)
    assert max(b.bottom for b in boxes) == 96 + 8 + 63 + 34, "s1's box holds its two lines"
    assert crossings(d, boxes) == []


def test_a_loop_of_a_measured_step_onto_itself_leaves_under_its_measured_lines() -> None:
    [s1] = row("s1")
    loop = Connector(id="r", source="s1", target="s1", connector="rework", rework_rate=0.1)
    root = picture(measured_board(s1, loop))
    [d] = connector_paths(root, "rework")
    assert crossings(d, data_boxes(root)) == []


def test_an_information_arrow_from_a_measured_step_to_one_below_leaves_under_its_lines() -> None:
    [s1] = row("s1")
    below = Step(id="u", x=0, y=520, text="u")
    info = Connector(id="i", source="s1", target="u", connector="info")
    root = picture(measured_board(s1, below, info))
    [d] = connector_paths(root, "info")
    assert crossings(d, data_boxes(root)) == []


def test_the_exports_footprint_of_a_step_is_the_canvas_one_in_the_golden_cases() -> None:
    # Waste chips aside (the export measures their words with its font, the canvas estimates):
    # the box, its figures and the measured lines under them reach as far on both.
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    compared = 0
    for case in cases:
        days = Calendar(**case["calendar"]) if case.get("calendar") else Calendar()
        steps = [
            Step(id=e["id"], x=e["x"], y=e["y"], w=e["w"], h=e["h"], people=e.get("people"))
            for e in case["elements"]
            if not e.get("waste")
        ]
        board = Board(
            id="b", elements={s.id: s for s in steps}, measured=case.get("measured"), calendar=days
        )
        for s in steps:
            assert footprint_of(s, board).h == case["footprints"][s.id], (case["name"], s.id)
            compared += 1
    assert compared >= 20
