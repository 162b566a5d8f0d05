"""resvg's renders, run in child processes: never on the server's own interpreter.

resvg (`resvg_py`) holds Python's global interpreter lock for the whole of a
render: 0.75 s for the demo map, tens of seconds for a big one. Run in a worker
thread of the server, it stopped the event loop that long, and every board's
edits, cursors and keepalives with it. So each render goes to a child process,
started the first time one is asked for and kept for the next; the thread that
asks (an export's worker thread) waits for the picture, the event loop does not.

An export can be stopped (api/renders.py): past its time, or when nobody waits for
it any more. Its renders run under a `Job`; stopping the job kills the child that is
rendering for it (a resvg render cannot be interrupted any other way) and refuses
the job's later renders, so the export ends at once and its slot is free.

This module imports nothing but resvg at the top, so a child that imports it to
run `rasterise` starts in a few tens of milliseconds.

    png = render(svg_string, width=2400, font_files=[...], family="Bitstream Vera Sans")
    with running(Job(seconds=120)):   # what an export's thread does around its renders
        ...
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from multiprocessing.connection import Connection
from typing import Any

# Children kept idle between renders, as many as renders run at once (api/renders.py
# RENDERS_AT_ONCE): the next export starts at once, with no child to spawn.
WORKERS = 2
# A child renders this many pictures, then a fresh one takes its place: resvg's memory
# after a huge map goes back to the system with the process.
RENDERS_PER_CHILD = 20

# Spawned, not forked: the server's threads and event loop stay out of the child.
_spawn = multiprocessing.get_context("spawn")
_lock = threading.Lock()
_idle: list[Child] = []
_live: set[Child] = set()


class Stopped(Exception):
    """A render stopped before it finished; its message says why (its job's reason)."""


class Child:
    """One renderer process: runs one call at a time, and can be killed from any thread."""

    def __init__(self) -> None:
        self._conn, theirs = _spawn.Pipe()
        self.process = _spawn.Process(target=_serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()
        self.renders = 0

    def call(
        self, work: Callable[..., bytes], args: tuple[Any, ...], seconds: float | None
    ) -> tuple[bool, Any]:
        """`work(*args)` in the child: (True, its bytes) or (False, the exception it raised);
        TimeoutError after `seconds`, EOFError if the child died."""
        self.renders += 1
        self._conn.send((work, args))
        if not self._conn.poll(seconds):
            raise TimeoutError
        reply: tuple[bool, Any] = self._conn.recv()
        return reply

    def kill(self) -> None:
        """Stop it now, whatever it is doing (safe from another thread: the one waiting on
        it sees the pipe close)."""
        self.process.kill()

    def close(self) -> None:
        self.kill()
        self.process.join(5)
        self._conn.close()


def _serve(conn: Connection) -> None:
    """The child's loop: a call in, its result (or its exception) out, until the pipe closes."""
    while True:
        try:
            work, args = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[bool, Any] = (True, work(*args))
        except Exception as err:  # the asker raises it
            reply = (False, err)
        conn.send(reply)


class Job:
    """One export's renders: a time limit, and a way to stop them from another thread.

        job = Job(seconds=120)
        job.stop("nobody waits for this export any more")   # kills its child, if rendering
    """

    def __init__(self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self.deadline = None if seconds is None else clock() + seconds
        self.reason: str | None = None
        self._lock = threading.Lock()
        self._child: Child | None = None

    def left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - self._clock())

    def stop(self, reason: str) -> None:
        """Stop the job's renders: the one running now (its child killed) and any later."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            if self._child is not None:
                self._child.kill()

    def timed_out(self) -> None:
        self.stop(f"this export took over {self.seconds:g} s and was stopped")

    def _use(self, child: Child | None) -> None:
        with self._lock:
            if child is not None and self.reason is not None:
                raise Stopped(self.reason)
            self._child = child


_job: ContextVar[Job | None] = ContextVar("raster_job", default=None)


@contextmanager
def running(job: Job) -> Iterator[Job]:
    """Renders asked for inside (in this thread) belong to `job`."""
    token = _job.set(job)
    try:
        yield job
    finally:
        _job.reset(token)


def carry_on() -> None:
    """Where an export's own drawing (Python in the export's thread, not a child) can stop:
    Stopped once its job is stopped or past its time. An SVG is drawn element by element
    here, with no child to kill: without this, a hostile map's drawing ran on minutes past
    the export's time, holding a render slot (and the interpreter's lock, in turns)."""
    job = _job.get()
    if job is None:
        return
    if job.reason is None and job.deadline is not None and job.left() == 0.0:
        job.timed_out()
    if job.reason is not None:
        raise Stopped(job.reason)


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


def render(document: str, *, width: int, font_files: Sequence[str], family: str) -> bytes:
    """Render in a child process; the calling thread waits, other threads run on.

    A child that died by itself (the kernel's out-of-memory killer, on a huge map) is
    replaced and the render tried once more in a fresh one. Under a `Job`, Stopped is
    raised once the job is stopped or past its time.
    """
    return run(rasterise, document, width, tuple(font_files), family)


def run(work: Callable[..., bytes], *args: Any) -> bytes:
    """`work(*args)` (a module-level function) in a child, as `render` runs a picture."""
    job = _job.get() or Job()
    for attempt in (1, 2):
        child = _take()
        try:
            job._use(child)
        except Stopped:
            _give(child)
            raise
        try:
            ok, done = child.call(work, args, job.left())
        except TimeoutError:
            job.timed_out()
            _drop(child)
            raise Stopped(job.reason) from None
        except (EOFError, OSError):
            _drop(child)
            if job.reason is not None:
                raise Stopped(job.reason) from None
            if attempt == 2:
                raise
            continue
        finally:
            job._use(None)
        # Failed or not, the child is well: the error is the render's (a picture resvg
        # cannot draw), raised here once the child is given back, not taken for a dead one.
        _give(child)
        if not ok:
            raise done
        assert isinstance(done, bytes)
        return done
    raise AssertionError("unreachable")


def _take() -> Child:
    with _lock:
        if _idle:
            return _idle.pop()
    child = Child()
    with _lock:
        _live.add(child)
    return child


def _give(child: Child) -> None:
    """Keep an idle child for the next render, unless it has done its share."""
    with _lock:
        if child in _live and child.renders < RENDERS_PER_CHILD and len(_idle) < WORKERS:
            _idle.append(child)
            return
    _drop(child)


def _drop(child: Child) -> None:
    with _lock:
        _live.discard(child)
    child.close()


def children() -> list[int]:
    """The process ids of the renderers alive now (running or idle)."""
    with _lock:
        return [c.process.pid for c in _live if c.process.pid is not None and c.process.is_alive()]


def shut_down() -> None:
    """Stop the children (the server's shutdown; a later render starts new ones)."""
    with _lock:
        gone = list(_live)
        _live.clear()
        _idle.clear()
    for child in gone:
        child.close()
