"""The one duration rule reaches the exports (issue 17): a figure typed "1w" reads "1w"
in the picture, the PDF's table and the CSV; an empty map reads "—", not "0.0%"."""

from __future__ import annotations

import csv
import io

from app.domain.elements import Board, Step
from app.domain.metrics import compute_metrics
from app.export.csv import board_csv
from app.export.report import step_table, totals
from app.export.svg import board_svg

TYPED = Step(id="s1", text="Test", wait_minutes=2400, wait_text="1w", process_minutes=240)


def test_a_typed_figure_reads_as_typed_in_every_export() -> None:
    board = Board(id="b", title="Map", elements={"s1": TYPED})
    metrics = compute_metrics(board)
    assert ">1w<" in board_svg(board, metrics)
    _, rows = step_table(board, metrics)
    assert rows[0][2] == "1w"
    [row] = list(csv.DictReader(io.StringIO(board_csv(board, metrics))))
    assert (row["wait"], row["wait_minutes"]) == ("1w", "2400")


def test_an_empty_map_reads_a_dash_for_figures_without_a_lead_time() -> None:
    board = Board(id="b", title="Empty")
    metrics = compute_metrics(board)
    table = dict(totals(board, metrics))
    assert table["Activity ratio"] == table["Rolled %C/A"] == table["Lead time"] == "—"
    document = board_svg(board, metrics)
    assert "0.0%" not in document and "100.0%" not in document
