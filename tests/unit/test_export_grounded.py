"""Grounded numbers in the exports: the forecast and the measurements in CSV, JSON and PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from pypdf import PdfReader

from app.domain.elements import Board, Connector, Step, evolve
from app.domain.forecast import forecast_json
from app.domain.metrics import compute_metrics
from app.domain.operations import SetBoard, apply
from app.export.csv import unescape_cell
from app.export.formats import render
from tests.unit.test_measured_board import _summary

DAY = 480.0
AT = datetime(2026, 12, 3, tzinfo=UTC)


def ranged_board() -> Board:
    steps = [
        Step(id="s1", x=0, text="Build", wait_minutes=DAY, process_minutes=60.0),
        Step(id="s2", x=300, text="Test", wait_minutes=1680.0, wait_text="2d-5d",
             process_minutes=60.0),
    ]  # fmt: skip
    arrow = Connector(id="c", source="s1", target="s2")
    return Board(id="b", title="Ranged", elements={e.id: e for e in [*steps, arrow]})


def rows(board: Board) -> dict[str, dict[str, str]]:
    text = render(board, "csv", at=AT).content.decode("utf-8-sig")
    return {
        r["id"]: {k: unescape_cell(v) for k, v in r.items()}
        for r in csv.DictReader(io.StringIO(text))
    }


def test_the_csv_gives_each_ranged_figure_its_low_high_and_where_to_measure() -> None:
    table = rows(ranged_board())
    test, build = table["s2"], table["s1"]
    assert (test["wait_low_minutes"], test["wait_high_minutes"]) == ("960", "2400")
    assert test["spread_from"] == "typed"
    assert float(test["p85_cut_minutes"]) > 0
    assert build["wait_low_minutes"] == build["p85_cut_minutes"] == ""  # a fixed figure


def test_the_csv_gives_each_measured_step_its_medians_and_n() -> None:
    table = rows(apply(ranged_board(), SetBoard({"measured": _summary()}))[0])
    assert table["s1"]["measured_n"] == "2"
    assert float(table["s1"]["measured_process_minutes"]) == 240.0
    assert rows(ranged_board())["s1"]["measured_n"] == ""


def test_the_json_export_carries_the_forecast_every_screen_shows() -> None:
    board = ranged_board()
    exported = json.loads(render(board, "json", at=AT).content)
    assert exported["forecast"] == forecast_json(board)
    assert exported["forecast"]["p50_minutes"] < exported["forecast"]["p95_minutes"]
    assert exported["metrics"] == compute_metrics(board).to_json()


def test_the_pdf_has_a_forecast_page_with_the_percentiles_and_where_to_measure() -> None:
    board = ranged_board()
    shown = forecast_json(board)
    assert shown is not None
    pdf = PdfReader(io.BytesIO(render(board, "pdf", at=AT).content))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Lead-time forecast" in text
    assert f"85% of items done within {shown['display']['p85']}" in text
    assert "Measure here next" in text and "Figures with a spread" in text


def test_a_map_without_a_lead_time_has_no_forecast_page() -> None:
    board = Board(id="b", elements={"s": Step(id="s", text="Build")})
    pdf = PdfReader(io.BytesIO(render(board, "pdf", at=AT).content))
    assert "Lead-time forecast" not in " ".join(p.extract_text() for p in pdf.pages)


def test_the_reports_totals_name_the_takt_time_the_queues_to_discuss_and_the_measurements() -> None:
    from app.domain.elements import Inventory
    from app.export.report import totals

    board = ranged_board()
    queue = Inventory(id="q", x=200, y=0, count=40)  # 10d of demand before Test's 3.5d wait
    board = evolve(board, {"demand_per_day": 4.0, "elements": {**board.elements, "q": queue}})
    rows = dict(totals(board, compute_metrics(board)))
    assert rows["Takt time"] == "2h (customer demand 4 a day)"
    assert "Test" in rows["Queue to discuss"] and "40" in rows["Queue to discuss"]
    assert "Measured" not in rows

    measured = apply(board, SetBoard({"measured": _summary(), "figures_from": "measured"}))[0]
    said = dict(totals(measured, compute_metrics(measured)))["Measured"]
    assert said.startswith("from log.csv, 2 items, 2026-11-02 to 2026-11-06; lead time ")
    assert said.endswith("The figures above use measured.")
