"""Properties the metrics and durations keep on any board, checked with hypothesis."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.durations import (
    MAX_YEARS,
    ROUND_TRIP_MINUTES,
    ROUND_TRIP_SHARE,
    WEEKS_PER_YEAR,
    format_duration,
    parse_duration,
)
from app.domain.elements import (
    Board,
    Calendar,
    Connector,
    ConnectorKind,
    Element,
    Inventory,
    Note,
    Step,
)
from app.domain.metrics import Metrics, compute_metrics

# Enough cases to find the corners, few enough that these files run in seconds.
FEW = settings(max_examples=120, deadline=None)
MANY = settings(max_examples=300, deadline=None)

Figures = tuple[float | None, float | None, float | None]
# Mostly flow, so random boards have paths worth checking.
KINDS: tuple[ConnectorKind, ...] = ("flow", "flow", "flow", "rework", "info")

minutes = st.none() | st.integers(0, 5000).map(float) | st.floats(0, 50_000)
pcas = st.none() | st.integers(0, 100).map(float) | st.floats(0, 100)
figures = st.tuples(minutes, minutes, pcas)
calendars = st.builds(
    Calendar,
    hours_per_day=st.integers(1, 24).map(float) | st.floats(1, 24),
    days_per_week=st.integers(1, 7).map(float) | st.floats(1, 7),
)


def lead(f: Figures) -> float:
    return (f[0] or 0.0) + (f[1] or 0.0)


def chain(
    figs: Sequence[Figures],
    xs: Sequence[float] | None = None,
    *,
    connected: bool = True,
    ids: Sequence[str] | None = None,
) -> Board:
    xs = xs if xs is not None else [i * 200.0 for i in range(len(figs))]
    ids = ids if ids is not None else [f"s{i}" for i in range(len(figs))]
    elements: list[Element] = [
        Step(id=sid, x=x, text=f"Step {sid}", wait_minutes=w, process_minutes=p, pca=c)
        for sid, (w, p, c), x in zip(ids, figs, xs, strict=True)
    ]
    if connected:
        elements += [
            Connector(id=f"c{i}", source=ids[i - 1], target=ids[i]) for i in range(1, len(figs))
        ]
    return Board(id="b", elements={e.id: e for e in elements})


def check_invariants(m: Metrics, b: Board) -> None:
    assert m.lead_time_minutes >= m.process_time_minutes >= 0
    # No lead time, no activity ratio: None rather than a made-up 0.
    assert (m.activity_ratio is None) == (m.lead_time_minutes == 0)
    assert m.activity_ratio is None or 0.0 <= m.activity_ratio <= 1.0
    assert 0.0 <= m.rolled_pca <= 100.0
    assert m.expected_lead_time_minutes >= m.lead_time_minutes
    assert m.work_content_minutes >= m.process_time_minutes
    # Rework repeats work as well as waiting: never less, and never more than it adds in all.
    added_work = m.expected_work_content_minutes - m.work_content_minutes
    assert -1e-6 <= added_work <= m.expected_lead_time_minutes - m.lead_time_minutes + 1e-6
    assert (m.expected_activity_ratio is None) == (m.expected_lead_time_minutes == 0)
    assert m.expected_activity_ratio is None or 0.0 <= m.expected_activity_ratio <= 1.0 + 1e-9
    assert len(set(m.path)) == len(m.path)
    assert [s.id for s in m.steps] == list(m.path)
    assert math.isclose(sum(s.lead_minutes for s in m.steps), m.lead_time_minutes, abs_tol=1e-6)
    if m.constraint is not None:
        assert m.constraint.id in m.path
        assert 0.0 <= m.constraint.share <= 1.0 + 1e-9  # 0 only for a subnormal wait
    for cycle in m.cycles:
        assert cycle and all(isinstance(b.elements[sid], Step) for sid in cycle)
    out = m.to_json()
    assert out["lead_time_minutes"] >= out["process_time_minutes"]
    assert all(d for d in out["display"].values())


# --- Chains ----------------------------------------------------------------------------------


@FEW
@given(st.lists(figures, max_size=12), st.booleans())
def test_a_chain_keeps_every_invariant(figs: list[Figures], connected: bool) -> None:
    b = chain(figs, connected=connected)
    check_invariants(compute_metrics(b), b)


@FEW
@given(st.lists(figures, min_size=1, max_size=12), st.booleans())
def test_a_chains_lead_time_is_the_plain_sum(figs: list[Figures], connected: bool) -> None:
    m = compute_metrics(chain(figs, connected=connected))
    assert math.isclose(m.lead_time_minutes, sum(lead(f) for f in figs), rel_tol=1e-12)
    assert math.isclose(m.process_time_minutes, sum(f[1] or 0.0 for f in figs), rel_tol=1e-12)
    assert len(m.path) == len(figs)


@FEW
@given(st.lists(figures, min_size=2, max_size=10), st.data())
def test_connectors_override_x_order(figs: list[Figures], data: st.DataObject) -> None:
    xs = data.draw(st.permutations([i * 200.0 for i in range(len(figs))]))
    ordered = compute_metrics(chain(figs)).to_json()
    shuffled = compute_metrics(chain(figs, xs)).to_json()
    assert shuffled == ordered


@FEW
@given(
    st.lists(figures, min_size=1, max_size=10),
    st.data(),
    st.sampled_from([None, 100.0]),
    st.booleans(),
)
def test_a_step_with_no_times_changes_no_total(
    figs: list[Figures], data: st.DataObject, pca: float | None, connected: bool
) -> None:
    at = data.draw(st.integers(0, len(figs)))
    ids = [f"s{i}" for i in range(len(figs))]
    before = compute_metrics(chain(figs, connected=connected, ids=ids))
    after = compute_metrics(
        chain(
            [*figs[:at], (0.0, 0.0, pca), *figs[at:]],
            connected=connected,
            ids=[*ids[:at], "zero", *ids[at:]],
        )
    )
    assert after.lead_time_minutes == before.lead_time_minutes
    assert after.process_time_minutes == before.process_time_minutes
    assert after.rolled_pca == before.rolled_pca
    assert after.expected_lead_time_minutes == before.expected_lead_time_minutes
    assert len(after.path) == len(before.path) + 1
    assert (after.constraint is None) == (before.constraint is None)
    if after.constraint and before.constraint:
        assert after.constraint.reason == before.constraint.reason


# --- Any graph -------------------------------------------------------------------------------


@st.composite
def random_boards(draw: st.DrawFn) -> Board:
    """Steps, inventory and notes joined by any connectors: loops, self-loops, junk."""
    elements: list[Element] = []
    for i in range(draw(st.integers(0, 9))):
        w, p, c = draw(figures)
        x, y = draw(st.integers(0, 4)) * 100.0, draw(st.integers(0, 2)) * 100.0
        elements.append(Step(id=f"s{i}", x=x, y=y, wait_minutes=w, process_minutes=p, pca=c))
    for i in range(draw(st.integers(0, 3))):
        count = draw(st.none() | st.integers(0, 50))
        elements.append(Inventory(id=f"q{i}", x=draw(st.integers(-1, 5)) * 100.0, count=count))
    if draw(st.booleans()):
        elements.append(Note(id="n", text="a note"))
    ids = [e.id for e in elements] + ["gone"]
    for i in range(draw(st.integers(0, 16))):
        kind = draw(st.sampled_from(KINDS))
        rate = draw(st.none() | st.floats(0, 0.95)) if kind == "rework" else None
        source, target = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        elements.append(
            Connector(id=f"c{i}", source=source, target=target, connector=kind, rework_rate=rate)
        )
    return Board(id="b", elements={e.id: e for e in elements})


@MANY
@given(random_boards())
def test_random_graphs_including_cycles_never_raise(b: Board) -> None:
    m = compute_metrics(b)
    check_invariants(m, b)
    steps = {s.id for s in b.steps()}
    assert set(m.path) <= steps
    uncounted = {e.id for e in b.elements.values() if isinstance(e, Inventory) and e.count is None}
    assert {x.id for x in m.missing} <= steps | uncounted
    assert {x.id for x in m.missing if x.lacks == ("count",)} == uncounted
    for row in m.steps:
        assert row.inventory is None or row.inventory >= 0
    if m.ordered_by == "position":
        assert list(m.path) == [s.id for s in sorted(b.steps(), key=lambda s: (s.x, s.y, s.id))]
        return
    pairs = _flow_pairs(b)
    assert pairs
    for a, z in zip(m.path, m.path[1:], strict=False):
        assert (a, z) in pairs  # the path walks along flow arrows
    joined = _reached(pairs, set(m.path))  # the path's chain, whichever way arrows point
    for x in m.missing:
        if x.id in steps:
            assert ("connection" in x.lacks) == (x.id not in joined)
    for sid in steps - joined:  # a step off the path's chain is never dropped silently
        assert any(x.id == sid and "connection" in x.lacks for x in m.missing)


def _reached(pairs: set[tuple[str, str]], start: set[str]) -> set[str]:
    """The steps joined to `start` by flow arrows, ignoring their direction."""
    seen, todo = set(start), list(start)
    while todo:
        node = todo.pop()
        for a, z in pairs:
            for other in (z,) if a == node else (a,) if z == node else ():
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return seen


def _flow_pairs(b: Board) -> set[tuple[str, str]]:
    """(step, step) pairs a flow arrow joins, directly or through inventory."""
    inventories = {e.id for e in b.elements.values() if isinstance(e, Inventory)}
    steps = {s.id for s in b.steps()}
    out: dict[str, list[str]] = {}
    for c in b.connectors():
        if c.connector == "flow":
            out.setdefault(c.source, []).append(c.target)
    pairs: set[tuple[str, str]] = set()
    for start in steps:
        todo, seen = list(out.get(start, [])), set()
        while todo:
            node = todo.pop()
            if node in steps:
                pairs.add((start, node))
            elif node in inventories and node not in seen:
                seen.add(node)
                todo.extend(out.get(node, []))
    return pairs


@FEW
@given(random_boards(), st.randoms(use_true_random=False))
def test_the_order_of_elements_on_the_board_does_not_change_the_metrics(
    b: Board, rnd: random.Random
) -> None:
    items = list(b.elements.items())
    rnd.shuffle(items)
    shuffled = dataclasses.replace(b, elements=dict(items))
    assert compute_metrics(shuffled).to_json() == compute_metrics(b).to_json()


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[Figures], list[tuple[int, int]]]:
    n = draw(st.integers(1, 7))
    figs = draw(st.lists(figures, min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return figs, edges


@MANY
@given(dags(), st.data())
def test_lead_time_is_the_longest_route_through_parallel_branches(
    dag: tuple[list[Figures], list[tuple[int, int]]], data: st.DataObject
) -> None:
    figs, edges = dag
    xs = data.draw(st.lists(st.integers(0, 5).map(float), min_size=len(figs), max_size=len(figs)))
    elements: list[Element] = [
        Step(id=f"s{i}", x=x, wait_minutes=w, process_minutes=p, pca=c)
        for i, ((w, p, c), x) in enumerate(zip(figs, xs, strict=True))
    ]
    elements += [Connector(id=f"c{i}-{j}", source=f"s{i}", target=f"s{j}") for i, j in edges]
    m = compute_metrics(Board(id="b", elements={e.id: e for e in elements}))
    if not edges:
        assert math.isclose(m.lead_time_minutes, sum(lead(f) for f in figs), rel_tol=1e-12)
        return
    succ: dict[int, list[int]] = {}
    for i, j in edges:
        succ.setdefault(i, []).append(j)

    def longest(i: int) -> float:
        return lead(figs[i]) + max((longest(j) for j in succ.get(i, [])), default=0.0)

    joined = {i for e in edges for i in e}
    assert math.isclose(m.lead_time_minutes, max(longest(i) for i in joined), abs_tol=1e-6)
    on_path = [int(sid[1:]) for sid in m.path]
    assert all(b in succ.get(a, []) for a, b in zip(on_path, on_path[1:], strict=False))
    assert math.isclose(
        m.process_time_minutes, sum(figs[i][1] or 0.0 for i in on_path), abs_tol=1e-6
    )


# --- Durations -------------------------------------------------------------------------------


@MANY
@given(st.data(), calendars)
def test_parse_of_format_is_within_the_round_trip_tolerance(
    data: st.DataObject, calendar: Calendar
) -> None:
    # Minus half a tenth of a day: rounding up to the next tenth must stay parseable.
    limit = MAX_YEARS * WEEKS_PER_YEAR * calendar.minutes_per_week - calendar.minutes_per_day / 20
    m = data.draw(st.floats(0, limit) | st.integers(0, 5 * 24 * 60).map(float))
    shown = format_duration(m, calendar)
    back = parse_duration(shown, calendar)
    assert abs(back - m) <= max(ROUND_TRIP_MINUTES, ROUND_TRIP_SHARE * m) + 1e-9 * m, shown


@MANY
@given(
    st.dictionaries(
        st.sampled_from(["w", "d", "h", "m"]),
        st.integers(0, 99) | st.floats(0, 99).map(lambda v: round(v, 2)),
        min_size=1,
    ),
    st.sampled_from(["", " ", ", ", " + "]),
    st.booleans(),
    calendars,
)
def test_parse_reads_any_mix_of_units_in_any_order(
    parts: dict[str, float], separator: str, upper: bool, calendar: Calendar
) -> None:
    scale = {"w": calendar.minutes_per_week, "d": calendar.minutes_per_day, "h": 60.0, "m": 1.0}
    text = separator.join(f"{value:g}{unit}" for unit, value in parts.items())
    text = text.upper() if upper else text
    expected = sum(value * scale[unit] for unit, value in parts.items())
    assert math.isclose(parse_duration(text, calendar), expected, rel_tol=1e-12, abs_tol=1e-9)


# --- Rework ----------------------------------------------------------------------------------


@FEW
@given(
    st.lists(figures, min_size=1, max_size=8),
    st.data(),
    st.floats(0, 0.9),
    st.floats(0, 0.9),
)
def test_a_loop_round_the_whole_chain_repeats_the_loop_inside_it(
    figs: list[tuple[float | None, float | None, float | None]],
    data: st.DataObject,
    inner_rate: float,
    outer_rate: float,
) -> None:
    b = chain(figs)
    ids = [f"s{i}" for i in range(len(figs))]
    start = data.draw(st.integers(0, len(figs) - 1))
    end = data.draw(st.integers(start, len(figs) - 1))
    loops = [
        Connector(
            id="inner",
            source=ids[end],
            target=ids[start],
            connector="rework",
            rework_rate=inner_rate,
        ),
        Connector(
            id="outer", source=ids[-1], target=ids[0], connector="rework", rework_rate=outer_rate
        ),
    ]
    m = compute_metrics(dataclasses.replace(b, elements=b.elements | {c.id: c for c in loops}))
    leads = [(w or 0.0) + (p or 0.0) for w, p, _ in figs]
    inner_trip = math.fsum(leads[start : end + 1]) / (1 - inner_rate)
    # One trip round the chain takes the inner loop's expected time; 1 / (1 - r) trips.
    expected = (math.fsum(leads) - math.fsum(leads[start : end + 1]) + inner_trip) / (
        1 - outer_rate
    )
    assert math.isclose(m.expected_lead_time_minutes, expected, rel_tol=1e-9, abs_tol=1e-6)
