"""resvg's renders, run in child processes: never on the server's own interpreter.

resvg (`resvg_py`) holds Python's global interpreter lock for the whole of a
render: 0.75 s for the demo map, tens of seconds for a big one. Run in a worker
thread of the server, it stopped the event loop that long, and every board's
edits, cursors and keepalives with it. So each render goes to a process of a
small pool, started the first time one is asked for; the thread that asks (an
export's worker thread) waits for the picture, the event loop does not.

This module imports nothing but resvg at the top, so a child that imports it to
run `rasterise` starts in a few tens of milliseconds.

    png = render(svg_string, width=2400, font_files=[...], family="Bitstream Vera Sans")
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

# Renders at once, as many as the export routes allow (api/renders.py RENDERS_AT_ONCE).
WORKERS = 2
# A child renders this many pictures, then a fresh one takes its place: resvg's memory
# after a huge map goes back to the system with the process.
RENDERS_PER_CHILD = 20

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def rasterise(
    document: str, width: int, font_files: Sequence[str], family: str
) -> bytes:
    """The PNG of `document`, `width` pixels wide (in the child)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=document,
            width=width,
            skip_system_fonts=True,
            font_files=list(font_files),
            font_family=family,
            sans_serif_family=family,
        )
    )


def _renderer() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # Spawned, not forked: the server's threads and event loop stay out of the child.
            _pool = ProcessPoolExecutor(
                WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=RENDERS_PER_CHILD,
            )
        return _pool


def render(document: str, *, width: int, font_files: Sequence[str], family: str) -> bytes:
    """Render in a child process; the calling thread waits, other threads run on.

    A child that died (the kernel's out-of-memory killer, on a huge map) breaks its pool
    for good: the pool is then replaced and the render tried once more in a fresh one.
    """
    fonts = tuple(font_files)
    pool = _renderer()
    try:
        return pool.submit(rasterise, document, width, fonts, family).result()
    except BrokenProcessPool:
        _replace(pool)
    return _renderer().submit(rasterise, document, width, fonts, family).result()


def _replace(broken: ProcessPoolExecutor) -> None:
    """Drop a broken pool (once, whichever thread notices first)."""
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def shut_down() -> None:
    """Stop the children (the server's shutdown; a later render starts new ones)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
