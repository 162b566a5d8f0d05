"""Customer demand and Little's law: takt time, and inventory read as time.

With a demand of `d` items per working day, the takt time is the working day
divided by `d`, and a queue of `n` items takes `n / d` working days to drain:
the wait it implies. A step whose wait (typed, or the median of the estimates)
differs from its queue's implied wait by more than `FLAG_RATIO` either way is
flagged for the group to discuss. Without a demand there is none of this.

    >>> from app.domain.elements import Calendar
    >>> takt_minutes(4.0, Calendar())   # an 8-hour day, 4 items a day
    120.0
    >>> implied_minutes(12, 4.0, Calendar())   # 3 working days
    1440.0
    >>> disagrees(480.0, 1440.0), disagrees(960.0, 1440.0)
    (True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from app.domain.durations import format_duration
from app.domain.elements import Calendar, Inventory, Step

# A wait within half to twice what its queue implies is close enough for a map made
# of estimates; beyond that the figures contradict each other (issue 18, section 4).
FLAG_RATIO = 2.0
# Minutes in the metrics JSON keep 3 decimals, as metrics.py rounds every duration.
MINUTE_DIGITS = 3


class Flag(NamedTuple):
    """A step whose wait disagrees with its queue's implied wait."""

    id: str
    text: str
    wait_minutes: float
    implied_minutes: float
    queue: int


class Demand(NamedTuple):
    """What a demand tells: takt time, each inventory's implied wait, the flags."""

    takt_minutes: float | None
    # Per inventory id: its count as working time at the demand; None without a count.
    implied: Mapping[str, float | None]
    flags: tuple[Flag, ...]


NO_DEMAND = Demand(None, {}, ())


def takt_minutes(demand: float, calendar: Calendar) -> float:
    """Working minutes per item the customer asks for."""
    return calendar.minutes_per_day / demand


def implied_minutes(count: int, demand: float, calendar: Calendar) -> float:
    """How long `count` queued items take to drain at the demand, in working minutes."""
    return count / demand * calendar.minutes_per_day


def disagrees(wait: float, implied: float) -> bool:
    """More than FLAG_RATIO apart either way (a wait of 0 against a queue is, too)."""
    return max(wait, implied) > FLAG_RATIO * min(wait, implied)


def read_demand(
    demand: float | None,
    calendar: Calendar,
    inventories: Mapping[str, Inventory],
    steps: Sequence[Step],
    waits: Sequence[float | None],
    queues: Mapping[int, int | None],
) -> Demand:
    """Takt, implied waits and flags; `waits` and `queues` are by index into `steps`."""
    if demand is None or demand <= 0:
        return NO_DEMAND
    implied = {
        i: None if inv.count is None else implied_minutes(inv.count, demand, calendar)
        for i, inv in inventories.items()
    }
    flags: list[Flag] = []
    for at, count in sorted(queues.items()):
        wait = waits[at]
        if count is None or wait is None:
            continue  # an unknown figure is listed as missing, not argued with
        queue_wait = implied_minutes(count, demand, calendar)
        if disagrees(wait, queue_wait):
            s = steps[at]
            flags.append(Flag(s.id, s.text, wait, queue_wait, count))
    return Demand(takt_minutes(demand, calendar), implied, tuple(flags))


def flag_sentence(flag: Flag, demand: float, calendar: Calendar) -> str:
    """How the Flow panel says it: "Pack: waits 1d, its queue of 12 implies 3d at 4 a day"."""
    name = flag.text.strip() or "A step"
    wait = format_duration(flag.wait_minutes, calendar)
    implied = format_duration(flag.implied_minutes, calendar)
    return f"{name}: waits {wait}, its queue of {flag.queue} implies {implied} at {demand:g} a day"


def demand_json(found: Demand, demand: float | None, calendar: Calendar) -> dict[str, object]:
    """The metrics' demand fields: all null or empty without a demand."""

    def minutes(value: float | None) -> float | None:
        return None if value is None else round(value, MINUTE_DIGITS)

    return {
        "takt_time_minutes": minutes(found.takt_minutes),
        "inventory_implied_minutes": {i: minutes(m) for i, m in found.implied.items()},
        "demand_flags": [
            {
                "id": f.id,
                "text": f.text,
                "wait_minutes": minutes(f.wait_minutes),
                "implied_minutes": minutes(f.implied_minutes),
                "queue": f.queue,
                "said": flag_sentence(f, demand or 0.0, calendar),
            }
            for f in found.flags
        ],
    }
