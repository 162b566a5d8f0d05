"""The order in which work flows through a board's steps: the path the metrics read.

A board without flow connectors between steps reads left to right. Once a flow
connector joins two steps, the path follows the connectors: inventory in a
chain is transparent (Step A -> Inventory -> Step B is the edge A -> B), loops
of flow connectors are cut where they close, and the path is the longest
route by step lead time (the critical path).

The metrics run after every edit, so this is written for speed: linear in the
size of the board, iterative (no recursion to exhaust on thousands of steps),
and on list indices rather than ids. A step's index is its place in reading
order, which also makes it the tie-breaker.

    >>> from app.domain.elements import Board, Connector, Step
    >>> a, b = Step(id="a", x=300), Step(id="b", x=0)
    >>> c = Connector(id="c", source="a", target="b")
    >>> parts = split_board(Board(id="x", elements={"a": a, "b": b, "c": c}))
    >>> [parts.steps[i].id for i in order_steps(parts, [2.0, 1.0]).path]
    ['a', 'b']

Over 300 lines on purpose: finding the path is one algorithm (split the board, order
the steps, pick the path), and its parts only make sense read together.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal, NamedTuple, TypeVar

from app.domain import queues
from app.domain.elements import Board, Connector, Inventory, Step
from app.domain.reading_order import reading_order

OrderedBy = Literal["connectors", "position"]

# A loop report is for people; past this many, more of them only add noise.
MAX_CYCLES_REPORTED = 20

# Left to right; y then id break ties so every peer sees the same order.
READING_KEY = attrgetter("x", "y", "id")

T = TypeVar("T")


def off_path(
    steps: Iterable[T], path: Collection[str], place: Callable[[T], tuple[float, float, str]]
) -> list[T]:
    """The steps not on `path`, in reading order (domain/reading_order.py: columns, each top
    to bottom, as Tab walks the page): the one order every list of steps off the flow uses
    (the metrics' `missing` and team lists, the CSV, the PDF's steps table, the validation
    page). `place` reads a step's (x, y, id): `step_place` for a Step, `frame_place` for a
    step as JSON.

        >>> [s.id for s in off_path([Step(id="b", x=300), Step(id="a", y=5)], (), step_place)]
        ['a', 'b']
        >>> [s.id for s in off_path([Step(id="b", x=2), Step(id="a", y=200)], (), step_place)]
        ['b', 'a']
    """
    on = set(path)
    return reading_order((s for s in steps if place(s)[2] not in on), place)


def step_place(step: Step) -> tuple[float, float, str]:
    """A step's place (x, y, id), for `off_path`."""
    return step.x, step.y, step.id


def frame_place(step: Mapping[str, object]) -> tuple[float, float, str]:
    """A JSON step's place (x, y, id; a missing place reads as 0), for `off_path`."""
    x, y = step.get("x"), step.get("y")
    return (
        float(x) if isinstance(x, int | float) else 0.0,
        float(y) if isinstance(y, int | float) else 0.0,
        str(step["id"]),
    )


class BoardParts(NamedTuple):
    """A board's elements sorted by what the metrics do with them, in one pass."""

    steps: list[Step]  # in reading order: a step's index is its rank
    step_index: dict[str, int]  # step id -> index in `steps`
    inventories: dict[str, Inventory]
    flows: list[Connector]
    reworks: list[Connector]


@dataclass(frozen=True, slots=True)
class FlowOrder:
    """The path (step indices) and what was learnt finding it.

    `unconnected`: steps left off because no flow connector joins them to the
    flow the path runs along (no arrow at all, or a separate chain of their
    own); `flow`: each step's successors by flow, loops cut; `inventory_before`:
    items queued before a step (by index), None when an inventory queued there
    has no count yet (unknown, not 0);
    `cycles`: loops of flow connectors (step ids) cut to find the path;
    `ignored`: (connector id, reason) pairs.
    """

    path: tuple[int, ...]
    ordered_by: OrderedBy
    unconnected: frozenset[int]
    cycles: tuple[tuple[str, ...], ...]
    inventory_before: Mapping[int, int | None]
    ignored: tuple[tuple[str, str], ...]
    flow: Sequence[Sequence[int]] = ()


def split_board(board: Board) -> BoardParts:
    """Steps (in reading order), inventory, flow and rework connectors of `board`."""
    steps: list[Step] = []
    inventories: dict[str, Inventory] = {}
    flows: list[Connector] = []
    reworks: list[Connector] = []
    for e in board.elements.values():
        # type() rather than isinstance: elements are final classes and this runs per edit.
        if type(e) is Step:
            steps.append(e)
        elif type(e) is Connector:
            if e.connector == "flow":
                flows.append(e)
            elif e.connector == "rework":
                reworks.append(e)
        elif type(e) is Inventory:
            inventories[e.id] = e
    steps.sort(key=READING_KEY)
    step_index = {s.id: i for i, s in enumerate(steps)}
    return BoardParts(steps, step_index, inventories, flows, reworks)


def order_steps(parts: BoardParts, leads: Sequence[float]) -> FlowOrder:
    """The path through a board, given each step's lead time (wait + process) by index.

    >>> order_steps(split_board(Board(id="empty")), []).path
    ()
    """
    steps = parts.steps
    succ, from_inventory, ignored = step_edges(parts)
    preds = count_predecessors(succ)
    nodes = [i for i, targets in enumerate(succ) if targets or preds[i]]
    if not nodes:
        before = queues.by_row(steps, parts.inventories)
        return FlowOrder(tuple(range(len(steps))), "position", frozenset(), (), before, ignored)
    cycles: tuple[tuple[str, ...], ...] = ()
    path = _critical_path(succ, nodes, preds, leads)
    if path is None:
        cycles = _cut_cycles(succ, nodes, steps)
        path = _critical_path(succ, nodes, count_predecessors(succ), leads) or ()
    before = queues.by_arrow(from_inventory, parts.inventories, parts.step_index)
    queues.add_loose(before, steps, parts.inventories, parts.flows)
    # A chain is all path: only a board with more steps joined looks for a second chain.
    joined = nodes if len(nodes) == len(path) else _joined(succ, path)
    unconnected = frozenset(range(len(steps))).difference(joined)
    return FlowOrder(path, "connectors", unconnected, cycles, before, ignored, succ)


def _joined(succ: list[list[int]], path: Sequence[int]) -> set[int]:
    """The steps flow arrows join to the path, whichever way the arrows point."""
    preds: list[list[int]] = [[] for _ in succ]
    for source, targets in enumerate(succ):
        for target in targets:
            preds[target].append(source)
    seen = set(path)
    todo = list(path)
    while todo:
        node = todo.pop()
        for others in (succ[node], preds[node]):
            for other in others:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return seen


class FlowGraph(NamedTuple):
    """Which step flows into which (through inventory), loops cut; for laying the map out."""

    succ: list[list[int]]
    connected: frozenset[int]
    # Each inventory's step downstream (by flow arrow), when it has one.
    inventory_into: Mapping[str, int]


def flow_graph(parts: BoardParts) -> FlowGraph:
    """The acyclic flow between the board's steps, by index into `parts.steps`."""
    succ, from_inventory, _ = step_edges(parts)
    preds = count_predecessors(succ)
    nodes = [i for i, targets in enumerate(succ) if targets or preds[i]]
    if nodes:
        _cut_cycles(succ, nodes, parts.steps)
    into: dict[str, int] = {}
    for inventory_id, targets in from_inventory.items():
        for target in targets:
            if target in parts.step_index:
                into.setdefault(inventory_id, parts.step_index[target])
    return FlowGraph(succ, frozenset(nodes), into)


def step_edges(
    parts: BoardParts,
) -> tuple[list[list[int]], dict[str, list[str]], tuple[tuple[str, str], ...]]:
    """Each step's successors by flow (looking through inventory), each at most once.

    Also returns the arrows out of each inventory, and the flow arrows that join
    anything but steps and inventory, with why they do not count.
    """
    index, inventories = parts.step_index, parts.inventories
    succ: list[list[int]] = [[] for _ in parts.steps]
    into_inventory: dict[int, list[str]] = {}
    from_inventory: dict[str, list[str]] = {}
    ignored: list[tuple[str, str]] = []
    crowded: list[int] = []  # steps with more than one arrow out, maybe to the same step
    for c in parts.flows:
        source, target = index.get(c.source), index.get(c.target)
        if source is not None and target is not None:
            targets = succ[source]
            if targets:
                crowded.append(source)
            targets.append(target)
        elif source is not None and c.target in inventories:
            into_inventory.setdefault(source, []).append(c.target)
        elif c.source in inventories and (target is not None or c.target in inventories):
            from_inventory.setdefault(c.source, []).append(c.target)
        else:
            ignored.append((c.id, "a flow arrow counts only between steps and inventory"))
    for source, waiting in into_inventory.items():
        found = _through_inventory(from_inventory, waiting, inventories)
        succ[source].extend(index[step_id] for step_id in found)
        crowded.append(source)
    for source in set(crowded):
        succ[source] = list(dict.fromkeys(succ[source]))  # two arrows, one edge
    return succ, from_inventory, tuple(ignored)


def count_predecessors(succ: list[list[int]]) -> list[int]:
    preds = [0] * len(succ)
    for targets in succ:
        for target in targets:
            preds[target] += 1
    return preds


def _through_inventory(
    from_inventory: Mapping[str, list[str]],
    queues: list[str],
    inventories: Mapping[str, Inventory],
) -> list[str]:
    """The steps that inventory `queues` pass work on to, through any more inventory."""
    found: list[str] = []
    seen: set[str] = set()
    todo = list(queues)
    while todo:
        node = todo.pop()
        if node not in inventories:
            found.append(node)
        elif node not in seen:
            seen.add(node)
            todo.extend(from_inventory.get(node, ()))
    return found


def _critical_path(
    succ: list[list[int]], nodes: list[int], waiting: list[int], leads: Sequence[float]
) -> tuple[int, ...] | None:
    """The longest route by lead time through `succ`, or None when flow loops.

    `waiting` counts each step's predecessors; it is used up. Steps are visited
    in a topological order (Kahn's algorithm). Ties go to the route with more
    steps (so a step with no times still sits on the path), then to the earlier
    step in reading order, so the answer does not depend on the visiting order.
    """
    ready = [i for i in nodes if not waiting[i]]
    dist = [0.0] * len(succ)  # lead time up to and including the step
    hops = [0] * len(succ)  # steps on that route
    prev = [-1] * len(succ)
    ends: list[int] = []
    while ready:
        node = ready.pop()
        before = prev[node]
        if before < 0:
            d, h = leads[node], 1
        else:
            d, h = dist[before] + leads[node], hops[before] + 1
        dist[node], hops[node] = d, h
        targets = succ[node]
        if not targets:
            # The best route ends at a step with no successor: anything after adds a step.
            ends.append(node)
        for t in targets:
            other = prev[t]
            if other < 0 or (d, h, -node) > (dist[other], hops[other], -other):
                prev[t] = node
            waiting[t] -= 1
            if not waiting[t]:
                ready.append(t)
    if any(waiting):  # steps on a loop never become ready
        return None
    path = [max(ends, key=lambda i: (dist[i], hops[i], -i))]
    while prev[path[-1]] >= 0:
        path.append(prev[path[-1]])
    path.reverse()
    return tuple(path)


def _cut_cycles(
    succ: list[list[int]], nodes: list[int], steps: Sequence[Step]
) -> tuple[tuple[str, ...], ...]:
    """Remove from `succ` the edges that close a loop; return the loops they closed.

    An iterative depth-first search from the sources, then every other step,
    in reading order: an edge back to a step still on the search stack closes
    a loop and is dropped, so the same board always loses the same edges.
    """
    has_pred = {t for targets in succ for t in targets}
    roots = [n for n in nodes if n not in has_pred] + nodes
    done = [False] * len(succ)
    cycles: list[tuple[str, ...]] = []
    for root in roots:
        if done[root]:
            continue
        stack, where = [root], {root: 0}
        todo = [iter(sorted(succ[root]))]
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                node = stack.pop()
                done[node] = True
                del where[node]
                todo.pop()
            elif nxt in where:
                succ[stack[-1]].remove(nxt)
                if len(cycles) < MAX_CYCLES_REPORTED:
                    cycles.append(tuple(steps[i].id for i in stack[where[nxt] :]))
            elif not done[nxt]:
                where[nxt] = len(stack)
                stack.append(nxt)
                todo.append(iter(sorted(succ[nxt])))
    return tuple(cycles)

