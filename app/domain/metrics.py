"""The numbers a value-stream map computes about itself.

`compute_metrics` is a pure function of a board's elements and calendar: lead
time along the path (the critical path when flow branches), process time on
that path, work content, activity ratio, rolled %C/A, the expected lead time
with rework, the constraint and what data is missing. Incomplete data never
breaks it: a missing wait or process time counts as 0 and a missing %C/A as
100 %, and `missing` says which step lacks which figure.

    >>> from app.domain.elements import Board, Step
    >>> a = Step(id="a", x=0, wait_minutes=480, process_minutes=60)
    >>> b = Step(id="b", x=200, wait_minutes=960, process_minutes=120, pca=50)
    >>> m = compute_metrics(Board(id="demo", elements={"a": a, "b": b}))
    >>> m.lead_time_minutes, m.process_time_minutes, m.rolled_pca, m.constraint.id
    (1620.0, 180.0, 50.0, 'b')

`Metrics.to_json()` gives the shape of DESIGN section 4; it rounds ratios to
drop float noise (activity ratio and shares to 4 decimals, rolled %C/A to 2,
minutes to 3), while the dataclass keeps full precision.

Over 300 lines on purpose: `Metrics` and its JSON are the public contract of DESIGN
section 4; the parts that compute stand in their own modules (flow_path, constraint,
handoffs, walk, demand, queues).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from app.domain import estimates, measured
from app.domain.constraint import Constraint, PathStep, constraint
from app.domain.demand import NO_DEMAND, Demand, demand_json, read_demand
from app.domain.durations import format_duration
from app.domain.elements import Board, Calendar, Step
from app.domain.fields import MAX_MINUTES
from app.domain.flow_path import FlowOrder, OrderedBy, order_steps, split_board
from app.domain.handoffs import (
    NO_HANDOFFS,
    Handoffs,
    TeamFigures,
    find_handoffs,
    handoffs_json,
    teams_json,
)
from app.domain.missing import (
    NO_COUNT,
    NOT_CONNECTED,
    STEP_FIGURES,
    Figures,
    Missing,
    missing,
    uncounted,
)
from app.domain.queues import Queues
from app.domain.rework import Ignored, Rework, rework_loops
from app.domain.walk import ExampleWalk, walk_path

__all__ = [
    "NOT_CONNECTED",
    "NO_COUNT",
    "STEP_FIGURES",
    "Constraint",
    "Ignored",
    "Metrics",
    "Missing",
    "PathStep",
    "Rework",
    "compute_metrics",
]

# How a figure that cannot be worked out yet reads (no lead time: no activity ratio).
NOT_KNOWN = "—"
# A step's `basis`: which of its figures the metrics used (DESIGN 4).
ESTIMATES, MEASURED = "estimates", "measured"
# to_json rounding: enough digits for any chart, none of the float noise.
_RATIO_DIGITS, _PCA_DIGITS, _MINUTE_DIGITS = 4, 2, 3
_RATIO_SCALE = 10**_RATIO_DIGITS


@dataclass(frozen=True, slots=True)
class Metrics:
    """What `compute_metrics` found; `to_json()` is the public shape."""

    lead_time_minutes: float
    expected_lead_time_minutes: float
    process_time_minutes: float
    work_content_minutes: float
    # None without a lead time: there is no flow to be efficient.
    activity_ratio: float | None
    rolled_pca: float
    path: tuple[str, ...]
    steps: tuple[PathStep, ...]
    constraint: Constraint | None
    missing: tuple[Missing, ...]
    ordered_by: OrderedBy
    cycles: tuple[tuple[str, ...], ...]
    rework: tuple[Rework, ...]
    ignored: tuple[Ignored, ...]
    calendar: Calendar
    example: ExampleWalk | None = None
    # With rework: the process time the loops repeat on average, added to the work content,
    # and (process time + that) / expected lead time; None without a lead time.
    expected_work_content_minutes: float = 0.0
    expected_activity_ratio: float | None = None
    # Figures taken from the median of participants' estimates, per step id.
    estimated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    spreads: Mapping[str, Mapping[str, estimates.Spread]] = field(default_factory=dict)
    # Customer demand (items per working day) and what it tells; see demand.py.
    demand_per_day: float | None = None
    demand: Demand = NO_DEMAND
    # The event log's measurements (measured.py's summary) and whether the figures above
    # used their medians ("measured") or the map's own ("estimates").
    figures_from: str = "estimates"
    measured: Mapping[str, Any] | None = None
    # Where work passes between teams, and each team's figures (handoffs.py).
    handoffs: Handoffs = NO_HANDOFFS
    teams: tuple[TeamFigures, ...] = ()
    # Steps on the path with a %C/A: with none, rolled %C/A is a 100 % nobody gave.
    rated_steps: int = 0

    def display(self) -> dict[str, str]:
        """The headline numbers as people read them, in the board's calendar.

        >>> from app.domain.demo import demo_board
        >>> compute_metrics(demo_board()).display()["lead_time"]
        '24.9d'
        """
        cal = self.calendar
        # Without a lead time there is no flow to be efficient: "0.0%" would be a figure
        # nobody measured. Rolled %C/A needs no times, only a %C/A somewhere on the path.
        timed = self.lead_time_minutes > 0

        def time(minutes: float) -> str:
            return format_duration(minutes, cal) if timed or minutes > 0 else NOT_KNOWN

        rolled = f"{self.rolled_pca:.1f}%" if self.rated_steps else NOT_KNOWN

        return {
            "lead_time": time(self.lead_time_minutes),
            "expected_lead_time": time(self.expected_lead_time_minutes),
            "process_time": time(self.process_time_minutes),
            "work_content": time(self.work_content_minutes),
            "activity_ratio": _percent(self.activity_ratio),
            "expected_work_content": time(self.expected_work_content_minutes),
            "expected_activity_ratio": _percent(self.expected_activity_ratio),
            "rolled_pca": rolled,
        } | self._example_display() | self._takt_display() | self._measured_display()

    def _measured_display(self) -> dict[str, str]:
        lead = self.measured.get("lead_time") if self.measured else None
        if not lead:
            return {}
        return {"measured_lead_time": format_duration(float(lead["median"]), self.calendar)}

    def _takt_display(self) -> dict[str, str]:
        takt = self.demand.takt_minutes
        return {} if takt is None else {"takt_time": format_duration(takt, self.calendar)}

    def _example_display(self) -> dict[str, str]:
        walk = self.example
        if walk is None:
            return {}
        cal = self.calendar
        return {
            "example_lead_time": format_duration(walk.lead_time_minutes, cal),
            "example_process_time": format_duration(walk.process_time_minutes, cal),
            "example_activity_ratio": f"{walk.activity_ratio * 100:.1f}%",
        }

    def to_json(self) -> dict[str, Any]:
        """The metrics message body (DESIGN section 4, plus extras).

        >>> compute_metrics(Board(id="b")).to_json()["constraint"] is None
        True
        """
        c = self.constraint
        return {
            "lead_time_minutes": _minutes(self.lead_time_minutes),
            "expected_lead_time_minutes": _minutes(self.expected_lead_time_minutes),
            "process_time_minutes": _minutes(self.process_time_minutes),
            "work_content_minutes": _minutes(self.work_content_minutes),
            "expected_work_content_minutes": _minutes(self.expected_work_content_minutes),
            "activity_ratio": _ratio(self.activity_ratio),
            "expected_activity_ratio": _ratio(self.expected_activity_ratio),
            "rolled_pca": round(self.rolled_pca, _PCA_DIGITS),
            "path": list(self.path),
            "steps": _measured_rows(
                _steps_json(self.steps, self.example), self.measured, self.figures_from
            ),
            "constraint": None
            if c is None
            else {
                "id": c.id,
                "text": c.text,
                "wait_minutes": _minutes(c.wait_minutes),
                "share": round(c.share, _RATIO_DIGITS),
                "reason": c.reason,
                "tied_with": [{"id": id_, "text": text} for id_, text in c.tied_with],
            },
            "missing": [{"id": m.id, "text": m.text, "lacks": list(m.lacks)} for m in self.missing],
            "ordered_by": self.ordered_by,
            "cycles": [list(cycle) for cycle in self.cycles],
            "rework": [
                r._replace(added_minutes=_minutes(r.added_minutes))._asdict() for r in self.rework
            ],
            "ignored": [i._asdict() for i in self.ignored],
            "example": _example_json(self.example),
            "estimated": [
                {"id": sid, "fields": list(fields)} for sid, fields in self.estimated.items()
            ],
            "estimates": {
                sid: {f: sp._asdict() for f, sp in by_field.items()}
                for sid, by_field in self.spreads.items()
            },
            **demand_json(self.demand, self.demand_per_day, self.calendar),
            "figures_from": self.figures_from,
            "measured": self.measured,
            "measured_lead_time": measured.lead_time_json(self.measured),
            "handoffs": handoffs_json(self.handoffs, self.calendar),
            "teams": teams_json(self.teams),
            "display": self.display(),
        }


def _minutes(value: float) -> float:
    return round(value, _MINUTE_DIGITS)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, _RATIO_DIGITS)


def _percent(ratio: float | None) -> str:
    return NOT_KNOWN if ratio is None else f"{ratio * 100:.1f}%"


def _example_json(walk: ExampleWalk | None) -> dict[str, Any] | None:
    if walk is None:
        return None
    return {
        "lead_time_minutes": _minutes(walk.lead_time_minutes),
        "process_time_minutes": _minutes(walk.process_time_minutes),
        "activity_ratio": round(walk.activity_ratio, _RATIO_DIGITS),
        "measured_steps": walk.measured_steps,
        "complete": walk.complete,
        "problems": [p._asdict() for p in walk.problems],
    }


def _steps_json(rows: tuple[PathStep, ...], walk: ExampleWalk | None) -> list[dict[str, Any]]:
    # One comprehension with the fields unpacked: this runs per step, per broadcast.
    # round(x, 4) goes through decimal strings; round(x * 10^4) / 10^4 is several times faster.
    scale = _RATIO_SCALE
    if walk is not None:
        out = _steps_json(rows, None)
        for row, actual in zip(out, walk.steps, strict=True):
            row["actual_wait_minutes"] = _maybe_minutes(actual.wait_minutes)
            row["actual_process_minutes"] = _maybe_minutes(actual.process_minutes)
        return out
    return [
        {
            "id": sid,
            "text": text,
            "wait_minutes": wait,
            "process_minutes": process,
            "pca": pca,
            "lead_minutes": lead,
            "lead_share": round(share * scale) / scale,
            "inventory": inventory,
            "actual_wait_minutes": None,
            "actual_process_minutes": None,
            "measured": None,
            "basis": ESTIMATES,
        }
        for sid, text, wait, process, pca, lead, share, inventory, _counted in rows
    ]


def _measured_rows(
    rows: list[dict[str, Any]], summary: Mapping[str, Any] | None, figures_from: str
) -> list[dict[str, Any]]:
    """With an event log's measurements, each row with its step's measurement, whether its
    figures came from it (`basis`), and the flat medians and n of before; without, the rows
    as they are: a board with no log pays nothing here, per step or per broadcast."""
    if summary:
        by_step = summary.get("steps") or {}
        in_use = figures_from == MEASURED
        for row in rows:
            found = by_step.get(row["id"])
            wait, process, n = measured.step_figures(summary, row["id"])
            row.update(
                measured_wait_minutes=wait,
                measured_process_minutes=process,
                measured_n=n,
                measured=measured.step_json(found),
                basis=MEASURED if in_use and measured.settles(found) else ESTIMATES,
            )
    return rows


def _maybe_minutes(value: float | None) -> float | None:
    return None if value is None else _minutes(value)


def _figures(steps: list[Step]) -> tuple[list[Figures], list[float]]:
    """Each step's safe figures and lead time (wait + process, missing as 0), by index."""
    figures: list[Figures] = []
    leads: list[float] = []
    top = float(MAX_MINUTES)  # a local float: the comparisons below run per step, per edit
    for s in steps:
        wait, process, pca = s.wait_minutes, s.process_minutes, s.pca
        # Validation keeps NaN, infinity, negatives and absurd sizes out; if one
        # slips in, it must read as missing rather than poison every sum.
        if wait is not None and not 0.0 <= wait <= top:
            wait = None
        if process is not None and not 0.0 <= process <= top:
            process = None
        if pca is not None and not 0.0 <= pca <= 100.0:
            pca = None
        figures.append((wait, process, pca))
        leads.append((wait or 0.0) + (process or 0.0))
    return figures, leads


def compute_metrics(board: Board) -> Metrics:
    """Every metric of `board`; linear in its size, cheap enough to run after every edit.

    >>> compute_metrics(Board(id="b")).lead_time_minutes
    0.0
    """
    parts = split_board(board)
    gathered = estimates.gather(board)
    steps = parts.steps
    if board.measured is not None and board.figures_from == "measured":
        # Before the estimates: a measured figure is settled, so no estimate replaces it.
        steps = measured.settle(steps, board.measured)
    settled, estimated = estimates.settle(steps, gathered)
    figures, leads = _figures(settled)
    order = order_steps(parts, leads)
    # fsum is exactly rounded, so a sum over more steps is never smaller: the lead
    # time never falls below the process time, nor work content below it, by an ulp.
    lead_time = math.fsum(map(leads.__getitem__, order.path))
    on_path = list(map(figures.__getitem__, order.path))
    process_time = math.fsum([p for _, p, _ in on_path if p])
    rates = [c / 100.0 for _, _, c in on_path if c is not None]
    rolled = math.prod(rates)
    rows = _rows(parts.steps, order, figures, leads, lead_time)
    work = [f[1] or 0.0 for f in figures]
    rework, ignored, added_work = rework_loops(parts, order, leads, work)
    expected = math.fsum([lead_time, *(r.added_minutes for r in rework)])
    work_content = math.fsum(work)
    handoffs, teams = find_handoffs(board, parts, order, rows, lead_time)
    return Metrics(
        lead_time_minutes=lead_time,
        expected_lead_time_minutes=expected,
        process_time_minutes=process_time,
        work_content_minutes=work_content,
        # Process time is part of lead time, so this stays within 0..1.
        activity_ratio=process_time / lead_time if lead_time > 0 else None,
        expected_work_content_minutes=math.fsum([work_content, added_work]),
        # A loop's extra process time is part of its extra lead time: within 0..1 too.
        expected_activity_ratio=_share(math.fsum([process_time, added_work]), expected),
        rolled_pca=rolled * 100.0,
        path=tuple(map(itemgetter(0), rows)),  # each row's id
        steps=rows,
        constraint=constraint(rows, lead_time, board),
        missing=missing(parts.steps, order, figures) + uncounted(parts.inventories),
        ordered_by=order.ordered_by,
        cycles=order.cycles,
        rework=rework,
        ignored=tuple(sorted([*(Ignored(cid, why) for cid, why in order.ignored), *ignored])),
        calendar=board.calendar,
        example=walk_path([parts.steps[i] for i in order.path], board.calendar),
        estimated=estimated,
        spreads=estimates.spreads(gathered) if gathered else {},
        demand_per_day=board.demand_per_day,
        demand=read_demand(
            board.demand_per_day,
            board.calendar,
            parts.inventories,
            parts.steps,
            [f[0] for f in figures],
            order.inventory_before,
        ),  # fmt: skip
        figures_from=board.figures_from,
        measured=board.measured,
        handoffs=handoffs,
        teams=teams,
        rated_steps=len(rates),
    )


def _rows(
    steps: list[Step],
    order: FlowOrder,
    figures: list[Figures],
    leads: list[float],
    lead_time: float,
) -> tuple[PathStep, ...]:
    before = order.inventory_before
    counted = before.counted if isinstance(before, Queues) else {}
    # With no lead time every share is 0, which dividing by infinity gives.
    total = lead_time if lead_time > 0 else math.inf
    make = PathStep._make  # skips NamedTuple's keyword handling: it is per step, per edit
    rows: list[PathStep] = []
    for i in order.path:
        s = steps[i]
        queue = (before.get(i), counted.get(i, 0))
        rows.append(make((s.id, s.text, *figures[i], leads[i], leads[i] / total, *queue)))
    return tuple(rows)
