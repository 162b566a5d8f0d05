"""Measured flow: an event log's rows turned into each map step's real wait and process times.

Per map step, every visit of an item gives a wait (arrived to started; with no
arrival given, from when the item finished whatever it did before, whichever
step that was) and a process time (started to finished), in WORKING minutes of
the board's calendar (walk.working_minutes), like every figure on the map. Each
is summed up as n, median, 85th percentile and eleven quantiles (0th, 10th, ...
100th) for the forecast to sample. Besides: rework (visits beyond an item's first
to a step), each item's whole lead time, and the hidden queue: time between
finishing one step and arriving at the next that no step on the map accounts for.

    >>> from app.domain.elements import Calendar
    >>> from app.domain.event_log import read_log
    >>> rows = read_log(b"item,step,arrived,started,finished\\n"
    ...     b"A,Build,2026-11-02T09:00,2026-11-02T10:00,2026-11-02T12:00\\n"
    ...     b"A,Test,,2026-11-03T09:00,2026-11-03T10:00\\n")
    >>> m = measure(rows, {"Build": "s1", "Test": "s2"}, Calendar(), mapped_lead_minutes=0.0)
    >>> m["steps"]["s2"]["wait"]["median"], m["steps"]["s1"]["process"]["median"]
    (300.0, 120.0)
    >>> m["lead_time"]["median"]   # Monday 9:00 to Tuesday 10:00: 8h + 1h of working time
    540.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from app.domain import log_time
from app.domain.durations import format_duration
from app.domain.elements import Board, Calendar, Step, evolve
from app.domain.event_log import EventRow
from app.domain.log_time import Timed
from app.domain.measured_shape import MAX_NAMES
from app.domain.walk import working_minutes

# Measured lead time this many times the map's, with the hidden queue a MATERIAL_SHARE
# of the difference, and the map is missing a queue people should look for.
FLAG_RATIO = 1.5
MATERIAL_SHARE = 0.25
# The distribution each figure keeps: 0th, 10th, ... 100th percentile.
QUANTILES = tuple(i / 10 for i in range(11))
# Minutes keep 3 decimals, as in the metrics; a rework rate 4.
MINUTE_DIGITS, RATE_DIGITS = 3, 4
# Any Monday: working time counted from it (walk.py counts from a Monday too).
_EPOCH = datetime(2000, 1, 3)
_ONE_DAY = timedelta(days=1)

Summary = dict[str, Any]


def stats(values: Sequence[float]) -> dict[str, Any] | None:
    """n, median, 85th percentile and QUANTILES of `values` (linear between ranks); None if empty.

    >>> stats([4.0, 1.0, 2.0, 3.0])["median"], stats([])
    (2.5, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    last = len(ordered) - 1

    def at(q: float) -> float:
        place = q * last
        low = math.floor(place)
        high = min(low + 1, last)
        value = ordered[low] + (ordered[high] - ordered[low]) * (place - low)
        return round(value, MINUTE_DIGITS)

    return {
        "n": len(ordered),
        "median": at(0.5),
        "p85": at(0.85),
        "quantiles": [at(q) for q in QUANTILES],
    }


def clock_of(calendar: Calendar) -> Callable[[datetime], float]:
    """Working minutes from a fixed Monday to a moment, as walk.working_minutes counts them.

    A log holds hundreds of thousands of moments but few distinct days and times
    of day: a moment's working time is its day's start (counted once per day) plus
    the time of day worked (counted once per time of day, the same on every worked
    day), three times faster than counting each moment whole.

    >>> clock = clock_of(Calendar())
    >>> clock(datetime(2000, 1, 4, 10, 30)) - clock(datetime(2000, 1, 3, 17, 0))
    90.0
    """
    days: dict[date, tuple[float, float]] = {}
    times: dict[time, float] = {}

    def clock(moment: datetime) -> float:
        day = moment.date()
        found = days.get(day)
        if found is None:
            midnight = datetime.combine(day, time())
            # What the day holds: a whole working day, part of one (a 4.5-day week's
            # Friday), or nothing (a day off, give or take the float rounding of weeks).
            holds = working_minutes(midnight, midnight + _ONE_DAY, calendar)
            found = days[day] = (working_minutes(_EPOCH, midnight, calendar), holds)
        if found[1] <= 1e-6:
            return found[0]
        of_day = moment.time()
        into = times.get(of_day)
        if into is None:
            into = times[of_day] = working_minutes(
                _EPOCH, datetime.combine(_EPOCH, of_day), calendar
            )
        return found[0] + min(into, found[1])

    return clock


def measure(
    rows: Sequence[EventRow],
    mapping: Mapping[str, str | None],
    calendar: Calendar,
    *,
    mapped_lead_minutes: float,
    source: Mapping[str, Any] | None = None,
) -> Summary:
    """The `measured` summary of a log; `mapping` takes log step names to map step ids.

    `mapped_lead_minutes` is the map's own lead time, to judge the hidden queue by.
    """
    clock = clock_of(calendar)
    waits: dict[str, list[float]] = {}
    processes: dict[str, list[float]] = {}
    visits: dict[str, dict[str, int]] = {}
    names: dict[str, list[str]] = {}
    leads: list[float] = []
    hidden: list[float] = []
    for step_name, step_id in mapping.items():
        if step_id is not None:
            names.setdefault(step_id, []).append(step_name)
    night = log_time.night_share(calendar)
    for item_rows in log_time.by_item(rows):
        previous_end: float | None = None
        first = math.inf
        last = -math.inf
        queued = 0.0
        for row in _visits(log_time.timed(item_rows, clock, night), mapping):
            started, finished, given = row.started, row.finished, row.arrived
            if given is not None and previous_end is not None and given > previous_end:
                queued += given - previous_end
            arrived = given if given is not None else previous_end
            step_id = mapping.get(row.step)
            if step_id is not None:
                if arrived is not None:
                    # Overlapping steps (work begun before the last one ended) wait nothing.
                    waits.setdefault(step_id, []).append(max(started - arrived, 0.0))
                # Work in the hour the clocks go back can finish "before" it started as written.
                processes.setdefault(step_id, []).append(max(finished - started, 0.0))
                per_item = visits.setdefault(step_id, {})
                per_item[row.item] = per_item.get(row.item, 0) + 1
            first = min(first, started if arrived is None else min(arrived, started))
            last = max(last, finished)
            previous_end = finished if previous_end is None else max(previous_end, finished)
        leads.append(last - first)
        hidden.append(queued)
    lead = stats(leads)
    return {
        "source": dict(source or {}),
        "steps": {
            sid: {
                "names": sorted(names.get(sid, [])),
                "wait": stats(waits.get(sid, [])),
                "process": stats(processes[sid]),
                "rework": _rework(visits[sid]),
            }
            for sid in processes
        },
        "lead_time": lead,
        "hidden_queue": hidden_queue(stats(hidden), lead, mapped_lead_minutes, calendar),
        "unmatched": sorted({r.step for r in rows if mapping.get(r.step) is None})[:MAX_NAMES],
    }


def _visits(item_rows: list[Timed], mapping: Mapping[str, str | None]) -> list[Timed]:
    """An item's rows with each run of log steps of other names that map to one map step
    (a tracker's "In review" then "Awaiting merge" for the map's Code review) made one
    visit, from the first one's arrival and start to the last one's finish: the map
    step was visited once, not reworked."""
    out: list[Timed] = []
    before: str | None = None  # the log name of the row before (a merged visit keeps its first)
    for row in item_rows:
        step_id = mapping.get(row.step)
        if (
            before is not None
            and step_id is not None
            and before != row.step
            and mapping.get(before) == step_id
        ):
            out[-1] = out[-1]._replace(finished=max(out[-1].finished, row.finished))
        else:
            out.append(row)
        before = row.step
    return out


def _rework(per_item: Mapping[str, int]) -> dict[str, Any]:
    """Items through the step, their returns to it, and returns per visit."""
    total = sum(per_item.values())
    returns = total - len(per_item)
    return {"items": len(per_item), "returns": returns, "rate": round(returns / total, RATE_DIGITS)}


def hidden_queue(
    hidden: Mapping[str, Any] | None,
    lead: Mapping[str, Any] | None,
    mapped_lead_minutes: float,
    calendar: Calendar,
) -> dict[str, Any]:
    """The median item's time between steps, and whether it explains a lead time the map misses.

    >>> h = hidden_queue({"median": 2880.0}, {"median": 14400.0}, 4800.0, Calendar())
    >>> h["flag"], h["text"]
    (True, 'Items wait 6d between steps that no one put on the map')
    """
    median = float(hidden["median"]) if hidden else 0.0
    measured = float(lead["median"]) if lead else 0.0
    gap = measured - mapped_lead_minutes
    flag = (
        mapped_lead_minutes > 0
        and measured > FLAG_RATIO * mapped_lead_minutes
        and median >= MATERIAL_SHARE * gap
    )
    text = ""
    if median > 0:
        waited = format_duration(median, calendar)
        text = f"Items wait {waited} between steps that no one put on the map"
    return {"median_minutes": round(median, MINUTE_DIGITS), "flag": flag, "text": text}


def settle(steps: list[Step], measured: Mapping[str, Any] | None) -> list[Step]:
    """The steps with each measured figure set to its median (figures_from "measured").

    >>> s = settle([Step(id="s1", wait_minutes=60.0)],
    ...            {"steps": {"s1": {"wait": None, "process": {"median": 90.0}}}})
    >>> s[0].wait_minutes, s[0].process_minutes
    (60.0, 90.0)
    """
    by_step = (measured or {}).get("steps") or {}
    if not by_step:
        return steps
    out: list[Step] = []
    for s in steps:
        found = by_step.get(s.id)
        if found:
            changes = {
                f"{name}_minutes": float(found[name]["median"])
                for name in ("wait", "process")
                if found.get(name)
            }
            s = evolve(s, changes)
        out.append(s)
    return out


def settles(found: Mapping[str, Any] | None) -> bool:
    """Whether a step's measurement replaces one of its figures, as `settle` uses it."""
    return found is not None and bool(found.get("wait") or found.get("process"))


def used_figure(board: Board, step_id: str, name: str) -> Mapping[str, Any] | None:
    """The measured distribution the metrics use for a step's `name` ("wait" or "process"),
    or None when they use the map's own figure (as compute_metrics calls `settle`)."""
    if board.measured is None or board.figures_from != "measured":
        return None
    found = (board.measured.get("steps") or {}).get(step_id)
    figure: Mapping[str, Any] | None = found.get(name) if found else None
    return figure or None


def scaled(
    summary: Mapping[str, Any], step_id: str, factors: Mapping[str, float], top: float
) -> Summary:
    """`summary` with a step's measured figures ("wait", "process") times their factors, at
    most `top`: a what-if on a board that uses them. The items' whole lead time stays as
    the log measured it; the step's n and rework are its visits', unchanged.

    >>> s = {"steps": {"s1": {"wait": {"n": 2, "median": 60.0, "p85": 90.0,
    ...                                "quantiles": [30.0] * 11}}}}
    >>> scaled(s, "s1", {"wait": 0.5}, 1e6)["steps"]["s1"]["wait"]["p85"]
    45.0
    """
    step = dict(summary["steps"][step_id])
    for name, factor in factors.items():
        figure = step[name]

        def times(v: float, factor: float = factor) -> float:
            return round(min(v * factor, top), MINUTE_DIGITS)

        step[name] = figure | {
            "median": times(figure["median"]),
            "p85": times(figure["p85"]),
            "quantiles": [times(q) for q in figure["quantiles"]],
        }
    return {**summary, "steps": {**summary["steps"], step_id: step}}


def step_json(found: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A step's measurement as a metrics row carries it (DESIGN 4's per step `measured`):
    n is its visits, null figures where the log has none; None without a measurement."""
    if not found:
        return None
    wait, process = found.get("wait"), found.get("process")
    rework = found.get("rework")
    return {
        "n": process["n"] if process else 0,
        "wait_median_minutes": wait["median"] if wait else None,
        "wait_p85_minutes": wait["p85"] if wait else None,
        "process_median_minutes": process["median"] if process else None,
        "process_p85_minutes": process["p85"] if process else None,
        "rework_rate": rework["rate"] if rework else None,
    }


def lead_time_json(measured: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The items' whole measured lead time, as the metrics carry it; None without a log."""
    lead = measured.get("lead_time") if measured else None
    if not lead:
        return None
    return {"n": lead["n"], "median_minutes": lead["median"], "p85_minutes": lead["p85"]}


def step_figures(measured: Mapping[str, Any] | None, step_id: str) -> tuple[Any, Any, Any]:
    """A step's measured wait and process medians and its n (visits), or Nones."""
    found = ((measured or {}).get("steps") or {}).get(step_id)
    if not found:
        return None, None, None
    wait, process = found.get("wait"), found.get("process")
    return (
        wait["median"] if wait else None,
        process["median"] if process else None,
        process["n"] if process else None,
    )
