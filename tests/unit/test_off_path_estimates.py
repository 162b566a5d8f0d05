"""A step off the path whose figures are only participants' estimates reads the same in
the CSV and the PDF's steps table: the estimates' median, marked as one ("~1d")."""

from __future__ import annotations

import csv
import dataclasses
import io

from app.domain.elements import Board, Connector, Element, Estimate, Step
from app.domain.metrics import compute_metrics
from app.export.csv import board_csv
from app.export.report import step_table


def board() -> Board:
    elements: list[Element] = [
        Step(id="a", x=0, text="Build", wait_minutes=60, process_minutes=60),
        Step(id="b", x=300, text="Test", wait_minutes=60, process_minutes=60),
        Connector(id="f", source="a", target="b"),
        Step(id="c", x=600, y=300, text="Hotfix"),  # off the path, estimated only
        Estimate(id="e1", target="c", field="wait_minutes", minutes=240),
        Estimate(id="e2", target="c", field="wait_minutes", minutes=720),
        Estimate(id="e3", target="c", field="process_minutes", minutes=30),
    ]
    return Board(id="x", elements={e.id: e for e in elements})


def test_an_estimated_step_off_the_path_reads_its_median_in_the_csv_and_the_pdf() -> None:
    b = board()
    metrics = compute_metrics(b)
    assert "c" not in metrics.path
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(board_csv(b, metrics).lstrip("\ufeff")))}
    assert (rows["c"]["wait"], rows["c"]["process"], rows["c"]["lead"]) == ("1d", "30m", "1.1d")
    _, table = step_table(b, metrics)
    [hotfix] = [row for row in table if row[1].startswith("Hotfix")]
    assert hotfix[2:5] == ["~1d", "~30m", "1.1d"]


def test_a_measured_step_off_the_path_reads_its_measured_median_when_the_map_uses_them() -> None:
    # With figures_from "measured" the metrics take every measured step's medians, on
    # the path or off it (the work content counts them): so do the CSV and the PDF.
    summary = {"steps": {"c": {"wait": {"n": 2, "median": 960.0, "p85": 1200.0}}}}
    b = dataclasses.replace(board(), measured=summary, figures_from="measured")
    metrics = compute_metrics(b)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(board_csv(b, metrics).lstrip("\ufeff")))}
    assert (rows["c"]["wait"], rows["c"]["process"]) == ("2d", "30m")
    _, table = step_table(b, metrics)
    [hotfix] = [row for row in table if row[1].startswith("Hotfix")]
    assert hotfix[2:5] == ["2d", "~30m", "2.1d"]
