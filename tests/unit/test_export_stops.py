"""An export's own drawing stops with its job: past its time, or once nobody waits for it.

The PNG and PDF renders run in child processes that a stopped job kills (raster.py); an
SVG is drawn in Python in the export's thread, element by element, and stops there."""

from __future__ import annotations

import pytest

from app.domain.demo import demo_board
from app.domain.metrics import compute_metrics
from app.export import raster
from app.export.svg import board_svg


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_svg_past_its_exports_time_stops_saying_so() -> None:
    board = demo_board()
    metrics = compute_metrics(board)
    clock = Clock()
    job = raster.Job(seconds=120, clock=clock)
    clock.now += 121
    with raster.running(job), pytest.raises(raster.Stopped, match="took over 120 s"):
        board_svg(board, metrics)
    assert job.reason is not None


def test_an_svg_nobody_waits_for_stops_and_one_in_time_is_drawn_whole() -> None:
    board = demo_board()
    metrics = compute_metrics(board)
    gone = raster.Job(seconds=120)
    gone.stop("nobody waits for this export any more")
    with raster.running(gone), pytest.raises(raster.Stopped, match="nobody waits"):
        board_svg(board, metrics)

    with raster.running(raster.Job(seconds=120)):
        drawn = board_svg(board, metrics)
    assert drawn == board_svg(board, metrics)  # outside any job: the same picture
    assert drawn.count("<g") > len(board.elements)
