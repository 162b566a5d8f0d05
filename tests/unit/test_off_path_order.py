"""Steps off the flow path read in one order everywhere: the map's reading order
(domain/reading_order.py: columns, each top to bottom, as Tab walks the page), in the
metrics' `missing`, the CSV, the PDF's steps table and the validation page's list alike."""

from __future__ import annotations

import csv
import io

from app.domain.elements import Board, Connector, Element, Step
from app.domain.metrics import compute_metrics
from app.domain.serialize import board_to_json
from app.domain.validation import steps_in_order
from app.export.csv import board_csv
from app.export.report import step_rows

OFF_IN_READING_ORDER = ["high-left", "low-left", "right"]


def board(low_left_x: float = 40) -> Board:
    # Inserted in an order that is none of the candidate sorts, so no sort wins by accident:
    # by y then x it would be right, high-left, low-left; by x alone low-left, high-left.
    elements: list[Element] = [
        Step(id="a", x=0, y=0, text="Build", wait_minutes=60, process_minutes=60),
        Step(id="b", x=300, y=0, text="Test", wait_minutes=60, process_minutes=60),
        Connector(id="f", source="a", target="b"),
        Step(id="right", x=500, y=20, text="Right"),
        Step(id="low-left", x=low_left_x, y=400, text="Low left"),
        Step(id="high-left", x=40, y=200, text="High left"),
    ]
    return Board(id="x", elements={e.id: e for e in elements})


def test_the_metrics_list_steps_off_the_path_in_reading_order() -> None:
    metrics = compute_metrics(board())
    off = [m.id for m in metrics.missing if m.id not in metrics.path]
    assert off == OFF_IN_READING_ORDER


def test_the_csv_lists_steps_off_the_path_in_reading_order() -> None:
    b = board()
    text = board_csv(b, compute_metrics(b)).lstrip("\ufeff")
    rows = [r["id"] for r in csv.DictReader(io.StringIO(text)) if r["on_path"] == "no"]
    assert rows == OFF_IN_READING_ORDER


def test_the_pdf_steps_table_lists_steps_off_the_path_in_reading_order() -> None:
    b = board()
    names = {s.text: s.id for s in b.steps()}
    rows = [r[1].removesuffix("  [off the path]") for r in step_rows(b, compute_metrics(b))]
    assert [names[n] for n in rows if n in names and names[n] not in ("a", "b")] == (
        OFF_IN_READING_ORDER
    )


def test_the_validation_page_lists_steps_off_the_path_in_reading_order() -> None:
    b = board()
    rows = steps_in_order(board_to_json(b), compute_metrics(b).to_json())
    assert [r["id"] for r in rows if not r["on_path"]] == OFF_IN_READING_ORDER


def test_a_column_drawn_by_hand_is_read_top_to_bottom_everywhere() -> None:
    # The lower step a few pixels left of the upper: by x alone it came first (Tab and the
    # lists zigzagged up and down the column).
    b = board(low_left_x=36)
    metrics = compute_metrics(b)
    assert [m.id for m in metrics.missing if m.id not in metrics.path] == OFF_IN_READING_ORDER
    text = board_csv(b, metrics).lstrip("\ufeff")
    rows = [r["id"] for r in csv.DictReader(io.StringIO(text)) if r["on_path"] == "no"]
    assert rows == OFF_IN_READING_ORDER
    page = steps_in_order(board_to_json(b), metrics.to_json())
    assert [r["id"] for r in page if not r["on_path"]] == OFF_IN_READING_ORDER
