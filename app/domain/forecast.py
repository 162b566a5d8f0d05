"""How long an item may take, from how sure people are of each figure: the forecast.

The map's lead time adds one figure per step. When some figures are ranges
("2d-5d"), participants' differing estimates, or measured distributions
(forecast_figures.py), the lead time is a spread too. `compute_forecast` draws
every figure `trials` times and walks each draw through the same flow the
metrics read (flow_path.py), parallel branches taking their maximum and rework
loops going round a random number of times (forecast_sim.py). It reports the
50th, 85th and 95th percentile ("85 % of items within 26d"), the mean, the
deterministic lead time (every figure at its likely value, rework aside: the
metrics' lead time), a histogram, which figures are ranged, and which steps to
measure next: those whose spread widens the 85th percentile most.

The random numbers come from a hash of the inputs, so the same map gives the
same forecast on every call and on every machine.

Over 300 lines on purpose: planning the walk (`_plan`: certain or drawn), the
trials, the measure-next ranking and the forecast's JSON are one computation;
the drawing and walking themselves are forecast_sim.py's.

    >>> from app.domain.elements import Board, Step
    >>> a = Step(id="a", x=0, wait_minutes=1680, wait_text="2d-5d", process_minutes=480)
    >>> b = Step(id="b", x=200, wait_minutes=960, process_minutes=480)
    >>> f = compute_forecast(Board(id="demo", elements={"a": a, "b": b}))
    >>> f.deterministic_minutes, f.p50_minutes < f.p85_minutes < f.p95_minutes
    (3600.0, True)
    >>> f.to_json()["measure_next"][0]["id"], f.to_json()["display"]["p50"]
    ('a', '7.5d')
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from app.domain.durations import format_duration
from app.domain.elements import Board, Calendar, Step
from app.domain.flow_path import order_steps, split_board
from app.domain.forecast_figures import FIELDS, Figure, Source, step_figures
from app.domain.forecast_sim import (
    Array,
    Net,
    draw_durations,
    draw_repeats,
    flow_net,
    spread_figures,
    walk,
)
from app.domain.rework import loop_routes

# Enough trials that the 95th percentile moves by well under 1 % between maps that
# differ in one unrelated figure; the budget is 50 ms for this on 50 steps.
TRIALS = 10_000
# Ranking the steps to measure next compares the 85th percentile with each step's
# figures pinned to their likely value, on the first trials of the same draws:
# common random numbers keep the comparison steady with far fewer trials.
RANKING_TRIALS = 2_000
PERCENTILES = (50.0, 85.0, 95.0)
# The 85th percentile a ranking compares, smoothed over the 80th to 90th: on the
# ranking's trials this halves the noise of a single percentile's difference.
RANKING_BAND = tuple(float(q) for q in range(80, 91))
HISTOGRAM_BINS = 20
# The seed's size: 48 bits, so JavaScript reads it exactly.
_SEED_BYTES = 6
_MINUTE_DIGITS, _SHARE_DIGITS = 3, 4


class Ranged(NamedTuple):
    """A figure the trials draw from a spread: which step, which field, low to high."""

    id: str
    text: str
    field: str
    low: float
    likely: float
    high: float
    source: Source


class MeasureNext(NamedTuple):
    """A step whose spread widens the 85th percentile: by how much, and its share of all."""

    id: str
    text: str
    p85_cut_minutes: float
    share: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """What `compute_forecast` found; `to_json()` is the public shape."""

    trials: int
    seed: int
    p50_minutes: float
    p85_minutes: float
    p95_minutes: float
    mean_minutes: float
    deterministic_minutes: float
    edges_minutes: tuple[float, ...]
    counts: tuple[int, ...]
    ranged: tuple[Ranged, ...]
    measure_next: tuple[MeasureNext, ...]
    calendar: Calendar

    def display(self) -> dict[str, str]:
        """The percentiles as people read them, in the board's calendar."""
        cal = self.calendar
        return {
            "p50": format_duration(self.p50_minutes, cal),
            "p85": format_duration(self.p85_minutes, cal),
            "p95": format_duration(self.p95_minutes, cal),
        }

    def to_json(self) -> dict[str, Any]:
        """The forecast's wire shape (metrics JSON `forecast`, the `forecast` message)."""
        return {
            "trials": self.trials,
            "seed": self.seed,
            "p50_minutes": _minutes(self.p50_minutes),
            "p85_minutes": _minutes(self.p85_minutes),
            "p95_minutes": _minutes(self.p95_minutes),
            "mean_minutes": _minutes(self.mean_minutes),
            "deterministic_minutes": _minutes(self.deterministic_minutes),
            "histogram": {
                "edges_minutes": [_minutes(e) for e in self.edges_minutes],
                "counts": list(self.counts),
            },
            "ranged": [
                r._replace(
                    low=_minutes(r.low), likely=_minutes(r.likely), high=_minutes(r.high)
                )._asdict()
                for r in self.ranged
            ],
            "measure_next": [
                m._replace(p85_cut_minutes=_minutes(m.p85_cut_minutes))._asdict()
                for m in self.measure_next
            ],
            "display": self.display(),
        }


def _minutes(value: float) -> float:
    return round(float(value), _MINUTE_DIGITS)


# A forecast holds arrays of steps × trials draws: at TRIALS, about a quarter of a MB a
# step (over 500 MB at 2,000 steps, asked for by any link). Past STEP_TRIALS a long map
# draws fewer trials, never fewer than MIN_TRIALS: its percentiles a little noisier, its
# memory near a 200-step map's.
STEP_TRIALS = 200 * TRIALS
MIN_TRIALS = 1_000


def trials_for(steps: int) -> int:
    """The trials a map of `steps` steps draws.

    >>> trials_for(24), trials_for(400), trials_for(2_000), trials_for(50_000)
    (10000, 5000, 1000, 1000)
    """
    return max(MIN_TRIALS, min(TRIALS, STEP_TRIALS // max(steps, 1)))


def compute_forecast(board: Board, *, trials: int | None = None) -> Forecast | None:
    """The spread of `board`'s lead time over `trials` draws (by default as many as its
    size allows, trials_for); None without any lead time."""
    if trials is not None and trials < 1:
        raise ValueError(f"a forecast needs at least one trial, not {trials}")
    plan = _plan(board)
    if isinstance(plan, _Drawn):
        return _drawn(board, plan, trials_for(len(plan.steps)) if trials is None else trials)
    if plan is None:
        return None
    return _certain(board, plan.figures, plan.net, TRIALS if trials is None else trials, 0)


def certain_forecast_json(board: Board) -> tuple[bool, dict[str, Any] | None]:
    """(True, forecast_json(board)) when the map has nothing to draw: no range, no spread
    of estimates, no rework loop (or no lead time at all). Then the forecast is the lead
    time itself, a few hundred microseconds: cheap enough to compute where it is needed,
    without a worker thread. (False, None) when it takes the trials.

    >>> certain_forecast_json(Board(id="b"))
    (True, None)
    """
    plan = _plan(board)
    if isinstance(plan, _Drawn):
        return False, None
    if plan is None:
        return True, None
    return True, _certain(board, plan.figures, plan.net, TRIALS, 0).to_json()


class _Drawn(NamedTuple):
    """What the trials of a map with something that varies start from."""

    steps: Sequence[Step]
    figures: Sequence[tuple[Figure, Figure]]
    net: Net
    spread: list[tuple[int, int, Figure]]


class _Certain(NamedTuple):
    """A map where nothing varies: every trial would be its lead time."""

    figures: Sequence[tuple[Figure, Figure]]
    net: Net


def _plan(board: Board) -> _Drawn | _Certain | None:
    """The flow and figures the forecast walks; None without any lead time."""
    parts = split_board(board)
    figures = step_figures(board, parts.steps)
    leads = [wait.likely + process.likely for wait, process in figures]
    order = order_steps(parts, leads)
    loops = loop_routes(parts, order, leads)[0] if parts.reworks else []
    net = flow_net(order, loops, len(parts.steps))
    if not any(f.high > 0 for i in net.order for f in figures[i]):
        return None
    spread = spread_figures(figures, net.order)
    if not spread and not net.loops:
        # Nothing varies: every trial would be the lead time, whatever the seed (0: none
        # was needed). Most maps are this until someone types a range, and the room
        # recomputes it after edits of a figure.
        return _Certain(figures, net)
    return _Drawn(parts.steps, figures, net, spread)


def _drawn(board: Board, plan: _Drawn, trials: int) -> Forecast:
    """The forecast from `trials` draws of every figure that varies."""
    steps, figures, net, spread = plan
    seed = forecast_seed(steps, figures, net, trials)
    rng = np.random.Generator(np.random.PCG64(seed))
    durations = draw_durations(figures, net.order, rng.random((len(spread), trials)))
    repeats = draw_repeats(net.loops, rng.random((len(net.loops), trials)))
    lead = walk(net, durations, repeats)
    likely = np.array([[w.likely + p.likely] for w, p in figures]).reshape(len(figures), 1)
    deterministic = float(walk(net, likely, np.zeros((len(net.loops), 1)))[0])
    p50, p85, p95 = (float(p) for p in np.percentile(lead, PERCENTILES))
    counts, edges = np.histogram(lead, bins=HISTOGRAM_BINS)
    return Forecast(
        trials=trials,
        seed=seed,
        p50_minutes=p50,
        p85_minutes=p85,
        p95_minutes=p95,
        mean_minutes=float(lead.mean()),
        deterministic_minutes=deterministic,
        edges_minutes=tuple(float(e) for e in edges),
        counts=tuple(int(c) for c in counts),
        ranged=tuple(
            Ranged(steps[i].id, steps[i].text, FIELDS[which], f.low, f.likely, f.high, f.source)
            for i, which, f in sorted(spread, key=lambda item: item[:2])  # reading order
        ),
        measure_next=_measure_next(net, steps, figures, durations, repeats, lead),
        calendar=board.calendar,
    )


def _certain(
    board: Board, figures: Sequence[tuple[Figure, Figure]], net: Net, trials: int, seed: int
) -> Forecast:
    """The forecast of a map with no spread: what the trials would all say, without them."""
    likely = np.array([[w.likely + p.likely] for w, p in figures]).reshape(len(figures), 1)
    lead = float(walk(net, likely, np.zeros((0, 1)))[0])
    # As numpy's histogram bins one value: a unit around it, all of it in the middle bin.
    edges = [lead - 0.5 + i / HISTOGRAM_BINS for i in range(HISTOGRAM_BINS + 1)]
    counts = [trials if i == HISTOGRAM_BINS // 2 else 0 for i in range(HISTOGRAM_BINS)]
    return Forecast(
        trials=trials,
        seed=seed,
        p50_minutes=lead,
        p85_minutes=lead,
        p95_minutes=lead,
        mean_minutes=lead,
        deterministic_minutes=lead,
        edges_minutes=tuple(edges),
        counts=tuple(counts),
        ranged=(),
        measure_next=(),
        calendar=board.calendar,
    )


def _measure_next(
    net: Net,
    steps: Sequence[Step],
    figures: Sequence[tuple[Figure, Figure]],
    durations: Array,
    repeats: Array,
    lead: Array,
) -> tuple[MeasureNext, ...]:
    """The steps whose spread widens the 85th percentile, most first.

    Each such step's figures pinned to their likely value, on the same draws for
    every other step: the 85th percentile it brings down (RANKING_BAND) is what
    measuring it (and finding the likely value right) would take off the forecast.
    """
    uncertain = [i for i in net.order if figures[i][0].spread or figures[i][1].spread]
    if not uncertain:
        return ()
    first = min(RANKING_TRIALS, durations.shape[1])
    pinned = {
        i: (row, figures[i][0].likely + figures[i][1].likely) for row, i in enumerate(uncertain)
    }
    pinned_leads = walk(net, durations[:, :first], repeats[:, :first], pinned)
    base = np.percentile(lead[:first], RANKING_BAND)
    cuts = (base - np.percentile(pinned_leads, RANKING_BAND, axis=1).T).mean(axis=1)
    found = [(float(cut), i) for cut, i in zip(cuts, uncertain, strict=True)]
    found = [(cut, i) for cut, i in found if _minutes(cut) > 0]
    total = sum(cut for cut, _ in found)
    found.sort(key=lambda item: (-item[0], item[1]))
    return tuple(
        MeasureNext(steps[i].id, steps[i].text, cut, round(cut / total, _SHARE_DIGITS))
        for cut, i in found
    )


def forecast_seed(
    steps: Sequence[Step], figures: Sequence[tuple[Figure, Figure]], net: Net, trials: int
) -> int:
    """A stable hash of everything the draws depend on: the same map, the same seed.

    >>> from app.domain.forecast_sim import Net
    >>> forecast_seed([], [], Net((), (), (), ()), 10)
    17086543422313
    """
    ids = [s.id for s in steps]
    inputs = {
        "trials": trials,
        "steps": [[ids[i], [ids[p] for p in net.preds[i]], *figures[i]] for i in net.order],
        "loops": [[[ids[i] for i in loop.route], loop.rate, loop.inner] for loop in net.loops],
    }
    text = json.dumps(inputs, separators=(",", ":"), allow_nan=False)
    digest = hashlib.blake2b(text.encode(), digest_size=_SEED_BYTES).digest()
    return int.from_bytes(digest, "big")


def forecast_json(board: Board) -> dict[str, Any] | None:
    """The forecast's JSON (docs/protocol.md), or None: what peers, routes and exports carry."""
    forecast = compute_forecast(board)
    return None if forecast is None else forecast.to_json()
