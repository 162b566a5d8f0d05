"""The forecast's trials, all at once: numpy arrays with one column per trial.

Why numpy in the pure core: the forecast runs 10,000 trials through every step of
the flow, and the issue's budget is 50 ms of one core for a 50-step map. A Python
loop over trials takes seconds; the same walk over arrays, one row per step, takes
milliseconds. numpy is computation only (no I/O), so the domain stays pure.

The walk: in topological order each step finishes at the latest finish among the
steps flowing into it, plus its own wait and process time in that trial; the lead
time is the latest finish of all. Parallel branches so take their maximum per
trial. A rework loop from B back to A adds, at B, K extra trips round A..B, where
K is geometric (P(K >= k) = rate^k, so K averages rate / (1 - rate)) and one trip
takes the loop's steps' times in that trial plus what the loops inside it add
(rework.py's definitions, so the mean agrees with the expected lead time). Every
repeat in a trial takes that trial's trip time: the same people, the same queue.

    >>> import numpy as np
    >>> net = Net(order=(0, 1), preds=((), (0,)), ends=(1,), loops=())
    >>> walk(net, np.array([[1.0, 2.0], [10.0, 20.0]]), np.zeros((0, 2))).tolist()
    [11.0, 22.0]
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from app.domain.flow_path import FlowOrder
from app.domain.forecast_figures import QUANTILES, Figure
from app.domain.rework import MAX_ADDED_MINUTES, LoopRoute, inner_first

Array = npt.NDArray[np.float64]


class Loop(NamedTuple):
    """A rework loop as the walk repeats it: its steps, its last step, rate, loops inside."""

    route: tuple[int, ...]
    end: int
    rate: float
    inner: tuple[int, ...]  # indices into Net.loops, each earlier in that tuple


class Net(NamedTuple):
    """The flow the trials walk, by step index: loops cut, inner rework loops first."""

    order: tuple[int, ...]  # the steps on the flow, in topological order
    preds: tuple[tuple[int, ...], ...]  # per step index: the steps flowing into it
    ends: tuple[int, ...]  # steps no flow leaves: the lead time is their latest finish
    loops: tuple[Loop, ...]


def flow_net(order: FlowOrder, loops: Sequence[LoopRoute], steps: int) -> Net:
    """The net of a board's flow (flow_path.order_steps) and its counted rework loops."""
    if order.ordered_by == "position":  # no flow arrows: the steps in reading order
        path = order.path
        chain: list[tuple[int, ...]] = [()] * steps
        for before, after in zip(path, path[1:], strict=False):
            chain[after] = (before,)
        return Net(path, tuple(chain), path[-1:], _loops(loops))
    nodes = sorted(set(range(steps)).difference(order.unconnected))
    into: list[list[int]] = [[] for _ in range(steps)]
    for n in nodes:
        for t in order.flow[n]:
            into[t].append(n)
    waiting = {n: len(into[n]) for n in nodes}
    ready = [n for n in nodes if not waiting[n]]
    heapq.heapify(ready)
    topo: list[int] = []
    while ready:  # Kahn's order, earliest in reading order first: the same on every peer
        n = heapq.heappop(ready)
        topo.append(n)
        for t in order.flow[n]:
            waiting[t] -= 1
            if not waiting[t]:
                heapq.heappush(ready, t)
    ends = tuple(n for n in topo if not order.flow[n])
    return Net(tuple(topo), tuple(map(tuple, into)), ends, _loops(loops))


def _loops(loops: Sequence[LoopRoute]) -> tuple[Loop, ...]:
    ranked = inner_first(loops)
    place = {i: k for k, (i, _) in enumerate(ranked)}
    return tuple(
        Loop(loops[i].route, loops[i].route[-1], loops[i].rate, tuple(place[j] for j in inner))
        for i, inner in ranked
    )


def draw_durations(
    figures: Sequence[tuple[Figure, Figure]], on_flow: Sequence[int], uniforms: Array
) -> Array:
    """Each step's wait + process time per trial: rows by step index, one column a trial.

    `uniforms` holds one row of U(0, 1) per spread figure of the steps `on_flow`,
    taken in that order, wait before process (`spread_figures`).
    """
    trials = uniforms.shape[1]
    durations = np.zeros((len(figures), trials))
    spread = spread_figures(figures, on_flow)
    drawn: dict[tuple[int, int], Array] = {}
    measured = sum(f.source == "measured" for _, _, f in spread)
    cut = len(spread) - measured  # triangles first, then measured (spread_figures)
    # Slices of `uniforms` are views; a list of rows would copy them.
    for first, end, draw in ((0, cut, _triangular), (cut, len(spread), _inverse_cdf)):
        if end > first:
            values = draw([f for _, _, f in spread[first:end]], uniforms[first:end])
            for (i, which, _), row in zip(spread[first:end], values, strict=True):
                drawn[i, which] = row
    for i in on_flow:
        wait = drawn.get((i, 0), figures[i][0].likely)
        process = drawn.get((i, 1), figures[i][1].likely)
        np.add(wait, process, out=durations[i])
    return durations


def spread_figures(
    figures: Sequence[tuple[Figure, Figure]], on_flow: Sequence[int]
) -> list[tuple[int, int, Figure]]:
    """The figures trials draw differently: (step, 0 for wait or 1 for process, figure).

    Triangles first, then measured distributions: one row of uniforms each, in this order.
    """
    found = [(i, which, f) for i in on_flow for which, f in enumerate(figures[i]) if f.spread]
    return sorted(found, key=lambda item: item[2].source == "measured")


def _triangular(figures: Sequence[Figure], u: Array) -> Array:
    """The triangular distribution's inverse CDF at `u`, one row per figure.

    Written into two buffers with `out=`: fresh temporaries of this size cost
    more in page faults than the arithmetic does.
    """
    low = np.array([f.low for f in figures])[:, None]
    likely = np.array([f.likely for f in figures])[:, None]
    high = np.array([f.high for f in figures])[:, None]
    width = high - low  # > 0: only spread figures come here
    left_of_peak = np.less(u, (likely - low) / width)
    out: Array = np.multiply(u, width * (likely - low))
    np.sqrt(out, out=out)
    out += low
    right = np.subtract(1.0, u)
    right *= width * (high - likely)
    np.sqrt(right, out=right)
    np.subtract(high, right, out=right)
    np.copyto(out, right, where=~left_of_peak)
    return out


def _inverse_cdf(figures: Sequence[Figure], u: Array) -> Array:
    """A measured distribution at `u`: linear between its 0th, 10th, ..., 100th percentiles."""
    points = np.array([f.quantiles for f in figures])
    steps = QUANTILES - 1
    where = u * steps
    below = np.minimum(where.astype(np.intp), steps - 1)
    rows = np.arange(len(figures))[:, None]
    low, high = points[rows, below], points[rows, below + 1]
    out: Array = low + (where - below) * (high - low)
    return out


def draw_repeats(loops: Sequence[Loop], uniforms: Array) -> Array:
    """Each loop's extra trips per trial: geometric, P(K >= k) = rate^k, from U(0, 1) rows."""
    repeats = np.zeros_like(uniforms)
    for k, loop in enumerate(loops):
        if loop.rate > 0.0:
            repeats[k] = np.floor(np.log1p(-uniforms[k]) / math.log(loop.rate))
    return repeats


def walk(
    net: Net,
    durations: Array,
    repeats: Array,
    pinned: Mapping[int, tuple[int, float]] | None = None,
) -> Array:
    """The lead time of each trial: the latest finish over the flow, rework included.

    With `pinned` ({step: (row, minutes)}) it walks one row of trials per pinned
    step, that step taking the given minutes in every trial and the others their
    draws (common random numbers): how much that step's spread moves the answer.
    """
    trials = durations.shape[1]
    shape = (trials,) if pinned is None else (len(pinned), trials)
    pins = pinned or {}
    at_end = _rework(net, durations, repeats, pins, shape)
    left = [0] * len(net.preds)  # successors still to read each finish
    for i in net.order:
        for p in net.preds[i]:
            left[p] += 1
    finish: dict[int, Array] = {}
    lead = np.zeros(shape)
    for i in net.order:
        start = _latest([finish[p] for p in net.preds[i]], shape)
        done = start + durations[i]
        if i in pins:
            row, minutes = pins[i]
            done[row] = start[row] + minutes
        for extra in at_end.get(i, ()):
            done += extra
        for p in net.preds[i]:
            left[p] -= 1
            if not left[p]:
                del finish[p]  # read by every successor: free it
        if left[i]:
            finish[i] = done
        else:
            np.maximum(lead, done, out=lead)
    return lead


def _latest(finishes: list[Array], shape: tuple[int, ...]) -> Array:
    """The latest of `finishes` per trial; a lone one is returned as it is (never written to)."""
    if not finishes:
        return np.zeros(shape)
    if len(finishes) == 1:
        return finishes[0]
    latest = np.maximum(finishes[0], finishes[1])
    for other in finishes[2:]:
        np.maximum(latest, other, out=latest)
    return latest


def _rework(
    net: Net,
    durations: Array,
    repeats: Array,
    pins: Mapping[int, tuple[int, float]],
    shape: tuple[int, ...],
) -> dict[int, list[Array]]:
    """What each loop adds per trial, by the step it ends at; inner loops first."""
    added: list[Array] = []
    at_end: dict[int, list[Array]] = {}
    for k, loop in enumerate(net.loops):
        trip = np.broadcast_to(durations[list(loop.route)].sum(axis=0), shape).copy()
        for i in loop.route:
            if i in pins:
                row, minutes = pins[i]
                trip[row] += minutes - durations[i]
        for j in loop.inner:
            trip += added[j]
        extra = np.minimum(repeats[k] * trip, MAX_ADDED_MINUTES)
        added.append(extra)
        at_end.setdefault(loop.end, []).append(extra)
    return at_end
