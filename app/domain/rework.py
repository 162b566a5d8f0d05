"""Rework loops: what sending work round again adds to the expected lead time.

A `rework` connector from step B back to step A with rate r says a share r of
items go round A..B again, so on average the trip A..B is made 1 / (1 - r)
times: the expected lead time gains LT(A..B) * r / (1 - r), where LT(A..B) is
the lead time of the route from A to B inclusive (B may be on a side branch),
with what the loops inside it add: an outer trip repeats the inner loops too.
The process time goes round as well, so the expected work content gains
PT(A..B) * r / (1 - r) the same way. A loop that cannot count (no rate yet,
off the flow, pointing forward) is reported with the reason.

    >>> from app.domain.elements import Board, Connector, Step
    >>> from app.domain.flow_path import order_steps, split_board
    >>> a, b = Step(id="a", x=0, wait_minutes=30), Step(id="b", x=200, wait_minutes=60)
    >>> back = Connector(id="r", source="b", target="a", connector="rework", rework_rate=0.25)
    >>> parts = split_board(Board(id="x", elements={"a": a, "b": b, "r": back}))
    >>> order = order_steps(parts, [30.0, 60.0])
    >>> rework_loops(parts, order, [30.0, 60.0], [0.0, 0.0]).counted[0].added_minutes
    30.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from app.domain.elements import Connector
from app.domain.fields import MAX_REWORK_RATE
from app.domain.flow_path import BoardParts, FlowOrder

# A loop is counted as taken back at most this often: 99 extra trips on average, what
# the fields take (fields.py). A board stored before they refused more still counts so.
MAX_COUNTED_RATE = MAX_REWORK_RATE
# And what one loop adds is at most this many minutes (about 8 million years of working
# days): however many loops are nested, every figure stays a finite number.
MAX_ADDED_MINUTES = 1e12


class Rework(NamedTuple):
    """A rework loop that counted: from `source` (later) back to `target` (earlier)."""

    id: str
    source: str
    target: str
    rate: float
    added_minutes: float


class Ignored(NamedTuple):
    """A connector the metrics could not use, and why (for the facilitator)."""

    id: str
    reason: str


class Loops(NamedTuple):
    """What the rework arrows add: the loops that count, those that cannot, and the work."""

    counted: tuple[Rework, ...]
    ignored: tuple[Ignored, ...]
    # The process time the expected extra trips add, over all loops (minutes).
    added_work_minutes: float


class LoopRoute(NamedTuple):
    """A loop that counts: the steps its items go round again, A (first) to B (last), by index."""

    connector: Connector
    route: tuple[int, ...]
    rate: float


def rework_loops(
    parts: BoardParts, order: FlowOrder, leads: Sequence[float], work: Sequence[float]
) -> Loops:
    """The loops that add to the expected lead time, and those that cannot, by id.

    `leads` and `work` hold each step's lead and process time by index into
    `parts.steps`. A may equal B (a step that redoes itself); B may sit on a
    side branch that A's flow reaches. A loop inside another compounds: each
    trip round the outer loop repeats the inner one's expected time. Loops that
    only overlap simply add up.
    """
    if not parts.reworks:
        return Loops((), (), 0.0)
    loops, ignored = loop_routes(parts, order, leads)
    counted, added_work = _compound(loops, leads, work)
    # By id, so the answer does not depend on the order the board keeps its elements in.
    return Loops(tuple(sorted(counted)), tuple(sorted(ignored)), added_work)


def loop_routes(
    parts: BoardParts, order: FlowOrder, leads: Sequence[float]
) -> tuple[list[LoopRoute], list[Ignored]]:
    """The rework loops that count, with their routes, and those that cannot, with why.

    Also what the forecast (forecast.py) sends round again, trial by trial.
    """
    loops: list[LoopRoute] = []
    ignored: list[Ignored] = []
    for c in parts.reworks:
        route = _problem(c, parts, order) or _route(parts, order, leads, c)
        if isinstance(route, str):
            ignored.append(Ignored(c.id, route))
        else:
            loops.append(LoopRoute(c, route, min(float(c.rework_rate or 0.0), MAX_COUNTED_RATE)))
    return loops, ignored


def inner_first(loops: Sequence[LoopRoute]) -> list[tuple[int, tuple[int, ...]]]:
    """Each loop (by index into `loops`) with the loops directly inside it, inner loops first.

    A loop's trip takes its own route's time plus what the loops nested in it add
    (those whose steps it all goes round again); a loop with the same steps as
    another counts as nested in it when its id comes first, so two loops on one
    route compound: 1 / ((1 - r1)(1 - r2)) trips, as two independent chances.

    >>> a = Connector(id="a", source="s", target="s")
    >>> inner_first([LoopRoute(a, (0, 1, 2), 0.1), LoopRoute(a, (1,), 0.1)])
    [(1, ()), (0, (1,))]
    """
    found: list[tuple[int, tuple[int, ...]]] = []
    # The loops no loop found so far goes round, with their routes.
    outermost: list[tuple[int, frozenset[int]]] = []
    ranked = sorted(range(len(loops)), key=lambda i: (len(loops[i].route), loops[i].connector.id))
    for i in ranked:
        route = frozenset(loops[i].route)
        inner = tuple(j for j, r in outermost if r <= route)
        outermost = [(j, r) for j, r in outermost if not r <= route]
        outermost.append((i, route))
        found.append((i, inner))
    return found


def _compound(
    loops: list[LoopRoute], leads: Sequence[float], work: Sequence[float]
) -> tuple[list[Rework], float]:
    """Each loop's added lead time, inner loops first, and the process time they all add."""
    counted: list[Rework] = []
    added_lead: dict[int, float] = {}
    added_work: dict[int, float] = {}
    for i, inner in inner_first(loops):
        loop = loops[i]
        repeat = loop.rate / (1.0 - loop.rate)  # the expected extra trips round the loop
        lead = math.fsum(
            [math.fsum(map(leads.__getitem__, loop.route))] + [added_lead[j] for j in inner]
        )
        trip = math.fsum(
            [math.fsum(map(work.__getitem__, loop.route))] + [added_work[j] for j in inner]
        )
        added_lead[i] = min(lead * repeat, MAX_ADDED_MINUTES)
        added_work[i] = min(trip * repeat, MAX_ADDED_MINUTES)
        c = loop.connector
        counted.append(Rework(c.id, c.source, c.target, loop.rate, added_lead[i]))
    # Each loop adds its own extra trips once; the outer ones carry the inner ones' repeats.
    return counted, math.fsum(added_work.values())


def _problem(c: Connector, parts: BoardParts, order: FlowOrder) -> str:
    """Why rework connector `c` cannot count, before looking for its route ("" when it may)."""
    late, early = parts.step_index.get(c.source), parts.step_index.get(c.target)
    if late is None or early is None:
        return "a rework arrow counts only from one step back to another"
    rate = c.rework_rate
    if rate is None:
        return f"{_loop(c, parts)} has no rework rate yet, so it adds nothing"
    if not 0.0 <= rate < 1.0:
        return f"{_loop(c, parts)} needs a rework rate from 0 up to (not including) 1"
    if late in order.unconnected or early in order.unconnected:
        return f"{_loop(c, parts)} is not on the flow of the path, so it adds nothing"
    return ""


def _route(
    parts: BoardParts, order: FlowOrder, leads: Sequence[float], c: Connector
) -> tuple[int, ...] | str:
    """The steps items go round again, A (the target) to B (the source), or why there is none.

    On the path it is the stretch of path between them; from a side branch, the
    longest route by flow from A to B (as the path is the longest route overall).
    """
    late, early = parts.step_index[c.source], parts.step_index[c.target]
    path = order.path
    where = {late: -1, early: -1}
    for place, i in enumerate(path):
        if i in where:
            where[i] = place
    if where[late] >= 0 and where[early] >= 0:
        if where[early] <= where[late]:
            return path[where[early] : where[late] + 1]
    else:
        found = longest_route(order.flow, leads, early, late)
        if found is not None:
            return found
        if longest_route(order.flow, leads, late, early) is None:
            return f"{_loop(c, parts)} joins branches that do not follow one another"
    return f"{_loop(c, parts)} points forward; rework goes from a later step back to an earlier one"


def longest_route(
    flow: Sequence[Sequence[int]], leads: Sequence[float], start: int, end: int
) -> tuple[int, ...] | None:
    """The route from `start` to `end` along `flow` (acyclic) with the most lead time, or None.

    >>> longest_route([[1, 2], [2], []], [1.0, 1.0, 1.0], 0, 2)
    (0, 1, 2)
    >>> longest_route([[1], []], [1.0, 1.0], 1, 0) is None
    True
    """
    if start == end:
        return (start,)
    reached, todo = {start}, [start]
    while todo:
        for t in flow[todo.pop()]:
            if t not in reached:
                reached.add(t)
                todo.append(t)
    if end not in reached:
        return None
    waiting = dict.fromkeys(reached, 0)
    for n in reached:
        for t in flow[n]:
            waiting[t] += 1
    # Lead time up to and including each step, and then steps: (lead, hops) compared.
    best, prev, ready = {start: (leads[start], 1)}, {start: -1}, [start]
    while ready:  # Kahn's order over the steps `start` reaches
        n = ready.pop()
        lead, hops = best[n]
        for t in flow[n]:
            mine = (lead + leads[t], hops + 1)
            if t not in best or mine > best[t]:
                best[t], prev[t] = mine, n
            waiting[t] -= 1
            if not waiting[t]:
                ready.append(t)
    route = [end]
    while prev[route[-1]] >= 0:
        route.append(prev[route[-1]])
    return tuple(reversed(route))


def _loop(c: Connector, parts: BoardParts) -> str:
    steps, index = parts.steps, parts.step_index
    late, early = steps[index[c.source]], steps[index[c.target]]
    return f"rework from {label(late.text, late.id)} back to {label(early.text, early.id)}"


def label(text: str, step_id: str) -> str:
    """A step's name for a one-line message: its text on one line, or its id.

    >>> label("Staging\\n test", "s1"), label("", "s1")
    ('Staging test', 's1')
    """
    return " ".join(text.split()) or step_id
