"""A step's settled figures, told once (app/domain/settled.py): the CSV and the PDF's
table (app/export/report.py, on the metrics object) and the validation review
(app/domain/validation.py, on the metrics' JSON) read the same wait and process time
for every step off the flow."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from app.domain.elements import Board, Connector, Element, Estimate, Step
from app.domain.metrics import compute_metrics
from app.domain.serialize import board_to_json
from app.domain.settled import settled_times
from app.domain.validation import steps_in_order
from app.export.report import settled_figures

LOG = {"steps": {
    "m": {"wait": {"n": 3, "median": 960, "p85": 1200}, "process": None},
    "both": {"wait": {"n": 2, "median": 30.5, "p85": 40}, "process": {"n": 2, "median": 7, "p85": 9}},
    "a": {"wait": {"n": 4, "median": 100, "p85": 100}},
}}  # fmt: skip


def test_the_log_wins_where_the_map_uses_it_then_the_own_figure_then_the_estimates() -> None:
    medians = {"wait_minutes": 480.0, "process_minutes": 45.0}
    assert settled_times("m", 30.0, None, measured=LOG, medians=medians) == (960.0, 45.0)
    assert settled_times("m", 30.0, None, measured=None, medians=medians) == (30.0, 45.0)
    assert settled_times("x", None, 5.0, measured=LOG, medians={}) == (None, 5.0)
    assert settled_times("both", None, None, measured=LOG, medians=medians) == (30.5, 7.0)


def board(figures_from: str) -> Board:
    elements: list[Element] = [
        Step(id="a", x=0, y=0, text="Build", wait_minutes=60, process_minutes=60),
        Step(id="b", x=300, y=0, text="Test", wait_minutes=60, process_minutes=60),
        Connector(id="f", source="a", target="b"),
        Step(id="m", x=40, y=400, text="Measured", wait_minutes=30, process_minutes=5),
        Step(id="both", x=340, y=400, text="Both measured"),
        Step(id="est", x=640, y=400, text="Estimated", process_minutes=20),
        Step(id="bare", x=940, y=400, text="Nothing known"),
        Estimate(id="e1", target="est", field="wait_minutes", minutes=240),
        Estimate(id="e2", target="est", field="wait_minutes", minutes=720),
        Estimate(id="e3", target="m", field="process_minutes", minutes=99),
        Estimate(id="e4", target="bare", field="process_minutes", minutes=15),
    ]
    return Board(id="x", elements={e.id: e for e in elements}, measured=LOG,
                 figures_from=figures_from)  # fmt: skip


@pytest.mark.parametrize("figures_from", ["estimates", "measured"])
def test_the_exports_and_the_review_settle_every_step_off_the_flow_alike(figures_from: str) -> None:
    b = board(figures_from)
    metrics = compute_metrics(b)
    review: dict[str, Any] = {
        r["id"]: (r["wait_minutes"], r["process_minutes"])
        for r in steps_in_order(board_to_json(b), metrics.to_json())
        if not r["on_path"]
    }
    exported = {s.id: settled_figures(s, metrics) for s in b.steps() if s.id not in metrics.path}
    assert review == exported
    assert set(review) == {"m", "both", "est", "bare"}
    # The review filled in what it settled, and nothing else changed.
    assert review["est"] == (480.0, 20) and review["bare"] == (None, 15.0)
    assert review["m"] == ((960.0, 5) if figures_from == "measured" else (30, 5))


def test_the_review_keeps_a_step_it_settles_nothing_for_as_it_was() -> None:
    b = dataclasses.replace(board("estimates"), measured=None)
    rows = steps_in_order(board_to_json(b), compute_metrics(b).to_json())
    assert [r for r in rows if r["id"] == "m"][0]["wait_minutes"] == 30
