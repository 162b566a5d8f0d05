"""A PNG or PDF export never stops the server's other work while resvg renders.

resvg holds Python's global interpreter lock for a whole render, so a render in a
worker thread stopped the event loop as long (0.75 s for the demo map; a big map,
tens of seconds, every board on the server frozen). Renders now run in child
processes (app/export/raster.py): the thread that asks waits, the others run on.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from app.domain.demo import demo_board
from app.domain.metrics import compute_metrics
from app.export import raster
from app.export.png import board_png, svg_to_png
from app.export.svg import board_svg


def test_the_rest_of_the_process_runs_while_a_picture_is_rendered() -> None:
    board = demo_board()
    document = board_svg(board, compute_metrics(board))
    board_png(board, compute_metrics(board))  # the first render starts the children
    longest = 0.0
    rendering = threading.Event()
    done = threading.Event()

    def render() -> None:
        rendering.set()
        for _ in range(3):
            svg_to_png(document)
        done.set()

    started = time.perf_counter()
    worker = threading.Thread(target=render)
    worker.start()
    rendering.wait()
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    took = time.perf_counter() - started
    # Three renders took `took`; with the lock held by resvg the longest pause was one
    # whole render (a third of it). Off the interpreter, pauses are the scheduler's.
    assert longest < took / 10, (longest, took)


def test_a_picture_rendered_aside_is_a_png_and_the_renderers_stop_with_the_server() -> None:
    board = demo_board()
    png = board_png(board, compute_metrics(board))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    raster.shut_down()
    assert board_png(board, compute_metrics(board))[:8] == b"\x89PNG\r\n\x1a\n"  # starts anew


def test_a_renderer_that_died_is_replaced_and_the_next_export_works() -> None:
    # One child killed (as the out-of-memory killer would) broke the pool: every PNG and
    # PDF export failed until the server restarted.
    board = demo_board()
    metrics = compute_metrics(board)
    board_png(board, metrics)
    killed = raster.children()
    assert killed
    for pid in killed:  # the children kept for the next render
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert board_png(board, metrics)[:8] == b"\x89PNG\r\n\x1a\n"
    assert not set(raster.children()) & set(killed)


def test_a_render_that_fails_gives_its_child_back_for_the_next() -> None:
    # The child's own error (a picture resvg cannot draw, a font file gone) is the
    # render's, not the child's: the child lives on for the next render. Raised past
    # `run` without being given back, each failure left a child process running idle
    # for the rest of the server's life; an OSError was taken for a dead child, killed
    # and tried again in a fresh one.
    raster.shut_down()
    raster.run(bytes, 1)  # a child started
    before = raster.children()
    for _ in range(4):
        with pytest.raises(ValueError):
            raster.run(int, "not a number")
        with pytest.raises(FileNotFoundError):
            raster.run(open, "/nonexistent/font.ttf")
    assert raster.children() == before
    assert raster.run(bytes, 2) == b"\0\0"
    raster.shut_down()
