"""A map with an event log: its picture (SVG, PNG, the PDF's map) shows each measured
figure as the canvas does (frontend/js/canvas/data-box.js): the step's own figure as
"est. 1d" and under it the log's median, "measured 1.5d, n=2", emphasised when the two
are more than a quarter apart; the ladder runs below those lines (model/ladder.js), and
a swimlane's band holds them (domain/lanes.py, model/lanes.js)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from app.domain.elements import Board, Step, Team
from app.domain.lanes import LANE_PAD
from app.domain.metrics import compute_metrics
from app.domain.operations import SetBoard, apply
from app.export.fit import fitted
from app.export.formats import render
from app.export.pdf_map import plan_map, step_boxes
from app.export.routes import board_ladder
from app.export.svg import board_svg
from app.export.svg_steps import MEASURED_GAP
from tests.unit.test_export_grounded import ranged_board
from tests.unit.test_measured_board import _summary

SVG = "{http://www.w3.org/2000/svg}"
AT = datetime(2026, 12, 3, tzinfo=UTC)


def measured_board(figures_from: str = "measured") -> Board:
    change = SetBoard({"measured": _summary(), "figures_from": figures_from})
    return apply(ranged_board(), change)[0]


def svg_root(board: Board) -> ET.Element:
    return ET.fromstring(board_svg(board, compute_metrics(board)).split("\n", 1)[1])


def step_texts(root: ET.Element, step_id: str) -> list[ET.Element]:
    [g] = [g for g in root.iter(f"{SVG}g") if g.get("data-id") == step_id]
    return list(g.iter(f"{SVG}text"))


def said(texts: list[ET.Element]) -> str:
    return " ".join(" ".join("".join(t.itertext()) for t in texts).split())


def test_the_picture_shows_each_measured_figure_under_its_estimate_as_the_canvas_does() -> None:
    # Build: estimated 1d of wait and 1h of work; the log measured 1.5d and 4h (n=2).
    texts = step_texts(svg_root(measured_board()), "s1")
    assert "Wait est. 1d measured 1.5d, n=2 Process est. 1h measured 4h, n=2" in said(texts)
    lines = [t for t in texts if "".join(t.itertext()).startswith("measured")]
    # Both more than a quarter from the estimate: emphasised, as the canvas's .is-gap.
    assert [t.get("fill") for t in lines] == [MEASURED_GAP, MEASURED_GAP]


def test_the_picture_shows_the_measurement_while_the_map_still_uses_its_estimates() -> None:
    # The canvas shows the log's medians beside the estimates whichever the metrics use.
    texts = step_texts(svg_root(measured_board("estimates")), "s1")
    assert "Wait est. 1d measured 1.5d, n=2" in said(texts)


def test_a_map_without_a_log_shows_its_figures_plain() -> None:
    text = said(step_texts(svg_root(ranged_board()), "s1"))
    assert "Wait 1d Process 1h" in text and "est." not in text and "measured" not in text


def test_the_ladder_runs_below_the_measured_lines() -> None:
    plain, measured = ranged_board(), measured_board()
    without = board_ladder(fitted(plain), compute_metrics(plain))
    with_log = board_ladder(fitted(measured), compute_metrics(measured))
    assert without is not None and with_log is not None
    assert with_log.top > without.top
    root = svg_root(measured)
    lowest = max(
        float(t.get("y", "0")) + float(g.get("transform", "translate(0 0)").split()[1][:-1])
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "data-box"
        for t in g.iter(f"{SVG}text")
    )
    assert lowest < with_log.top


def test_the_pdf_map_shows_the_measured_figures_too() -> None:
    # The PDF prints its map as a picture (pdf_map.plan_map): the one it draws is this.
    board = measured_board()
    parts = plan_map(board, compute_metrics(board), 800.0, (500.0, 560.0))
    document = parts.picture.document()
    assert "measured 1.5d, n=2" in document and "measured 4h, n=2" in document
    # A page cut keeps clear of the measured lines, as of the rest of a step's figures.
    [build] = [r for r in step_boxes(parts.picture.drawn, compute_metrics(board)) if r.x == 0]
    assert build.bottom > step_boxes(parts.picture.drawn)[0].bottom
    assert render(board, "pdf", at=AT).content.startswith(b"%PDF")


def shift(el: ET.Element) -> float:
    """How far down an element's own transform moves it ("translate(x y)")."""
    found = re.fullmatch(r"translate\(\S+ (\S+)\)", el.get("transform", "translate(0 0)"))
    return float(found.group(1)) if found else 0.0


def test_a_lane_band_holds_the_measured_lines_under_its_steps() -> None:
    # Build's two measured lines (34 px) are more than the band's padding (24 px): they
    # used to run out of the band, which counted the figures' rows only.
    board = measured_board()
    owned = {k: dataclasses.replace(e, owner="t-dev") if isinstance(e, Step) else e
             for k, e in board.elements.items()}  # fmt: skip
    board = dataclasses.replace(
        board, elements=owned, teams=(Team("t-dev", "Development", "blue"),), swimlanes=True
    )
    root = svg_root(board)
    [lane] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]
    band = lane.find(f"{SVG}rect")
    assert band is not None
    band_bottom = float(band.get("y", "0")) + float(band.get("height", "0"))
    [step] = [g for g in root.iter(f"{SVG}g") if g.get("data-id") == "s1"]
    [box] = [g for g in step.iter(f"{SVG}g") if g.get("class") == "data-box"]
    rect = box.find(f"{SVG}rect")
    assert rect is not None
    assert "measured 1.5d, n=2" in said(list(box.iter(f"{SVG}text")))
    box_bottom = shift(step) + shift(box) + float(rect.get("height", "0"))
    assert box_bottom + LANE_PAD <= band_bottom
