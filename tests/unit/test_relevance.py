"""Which batches can skip the metrics recompute: never one that changes a number."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.elements import Board, Connector, Inventory, Note, Step
from app.domain.metrics import compute_metrics
from app.domain.operations import Create, Delete, Rejection, SetBoard, Update, apply_many
from app.domain.relevance import may_change_metrics


def board() -> Board:
    els = [
        Step(id="a", x=0, wait_minutes=60, process_minutes=30, text="A"),
        Step(id="b", x=300, wait_minutes=120, process_minutes=10, text="B"),
        Inventory(id="i", x=200, count=3),
        Note(id="n", text="idea"),
    ]
    return Board(id="b", elements={e.id: e for e in els})


def with_arrow() -> Board:
    b = board()
    return Board(id="b", elements={**b.elements, "ab": Connector(id="ab", source="a", target="b")})


@pytest.mark.parametrize(
    ("op", "arrows", "changes"),
    [
        (Update("a", {"color": "blue"}), False, False),
        (Update("a", {"text": "Build"}), False, True),  # names are in the metrics
        (Update("a", {"x": 900}), False, True),  # read left to right: order can change
        # With arrows, a step's place counts only for a loose queue's (i): before which
        # step it stands. See the joined queue below, where position does not matter.
        (Update("a", {"x": 900}), True, True),
        (Update("i", {"x": 900}), True, True),
        (Update("n", {"x": 900}), True, False),
        (Update("i", {"count": 9}), True, True),
        (Update("n", {"text": "other"}), False, False),
        (Update("ab", {"connector": "rework"}), True, True),
        (Update("ab", {"text": "push"}), True, False),
        (Create({"kind": "note", "id": "n2"}), False, False),
        (Create({"kind": "step", "id": "s9"}), False, True),
        (Delete("n"), False, False),
        (Delete("a"), True, True),
        (SetBoard({"title": "New"}), False, False),
        (SetBoard({"hours_per_day": 7.5}), False, True),
        (SetBoard({"demand_per_day": 4}), False, True),  # takt time and implied waits
        (SetBoard({"figures_from": "measured"}), False, True),  # measured medians, if any
        (SetBoard({"measured": None}), True, True),  # the metrics carry the measurements
        (SetBoard({"teams": []}), True, True),  # handoffs and the per-team figures
        (SetBoard({"swimlanes": True}), False, False),  # lanes are drawn, nothing computed
    ],
)
def test_a_batch_skips_the_recompute_only_when_no_number_can_move(
    op: Any, arrows: bool, changes: bool
) -> None:
    before = with_arrow() if arrows else board()
    after, results = apply_many(before, [op])
    entries = [r for r in results if not isinstance(r, Rejection)]
    assert entries, results
    ordered_by = compute_metrics(before).ordered_by
    assert may_change_metrics(before, entries, ordered_by) is changes


def with_joined_queue() -> Board:
    """a -> i -> b by flow arrows: the queue is i's by its arrows, wherever it stands."""
    b = board()
    arrows = [
        Connector(id="ai", source="a", target="i"),
        Connector(id="ib", source="i", target="b"),
    ]
    return Board(id="b", elements={**b.elements, **{c.id: c for c in arrows}})


@pytest.mark.parametrize(("moved", "x"), [("a", 250), ("b", 2000), ("i", 2000), ("n", 2000)])
def test_with_every_queue_on_an_arrow_moving_anything_leaves_the_metrics(
    moved: str, x: float
) -> None:
    # Moved anywhere that keeps the steps' reading order (a stays left of b): past one
    # another, steps change the order ties and loops are read in, which is recomputed.
    before = with_joined_queue()
    after, results = apply_many(before, [Update(moved, {"x": x, "y": -50})])
    entries = [r for r in results if not isinstance(r, Rejection)]
    metrics = compute_metrics(before)
    assert metrics.ordered_by == "connectors" and metrics.steps[1].inventory == 3
    assert may_change_metrics(before, entries, metrics.ordered_by) is False
    assert compute_metrics(after).to_json() == metrics.to_json()


def with_a_loop() -> Board:
    """a -> b -> a, and i (no count yet) after b: the loop is cut where the reading order
    starts it, and an uncounted queue is named in `missing` by its label."""
    b = board()
    i = Inventory(id="i", x=200, text="Ready", count=None)
    arrows = [
        Connector(id="ab", source="a", target="b"),
        Connector(id="ba", source="b", target="a"),
        Connector(id="bi", source="b", target="i"),
    ]
    return Board(id="b", elements={**b.elements, "i": i, **{c.id: c for c in arrows}})


def with_even_branches() -> Board:
    """a -> b and a -> c with the same lead time: the branch first in reading order is the path."""
    kept = {k: v for k, v in board().elements.items() if k != "i"}  # no loose queue
    c = Step(id="c", x=300, y=200, wait_minutes=120, process_minutes=10, text="C")
    arrows = [
        Connector(id="ab", source="a", target="b"),
        Connector(id="ac", source="a", target="c"),
    ]
    return Board(id="b", elements={**kept, "c": c, **{x.id: x for x in arrows}})


@pytest.mark.parametrize(
    ("start", "op"),
    [
        (with_a_loop, Update("b", {"x": -400})),  # the loop now starts at b: path b, a
        (with_even_branches, Update("c", {"y": -200})),  # c now reads before b: path a, c
        (with_a_loop, Update("i", {"text": "Waiting"})),  # the queue is named in `missing`
    ],
)
def test_with_arrows_a_move_or_a_label_that_changes_the_metrics_is_recomputed(
    start: Any, op: Any
) -> None:
    before = start()
    after, results = apply_many(before, [op])
    old = compute_metrics(before)
    assert compute_metrics(after).to_json() != old.to_json()
    assert old.ordered_by == "connectors"
    assert may_change_metrics(before, [r for r in results if not isinstance(r, Rejection)],
                              old.ordered_by)  # fmt: skip


def test_with_arrows_a_move_that_keeps_the_reading_order_needs_no_recompute() -> None:
    before = with_a_loop()
    after, results = apply_many(before, [Update("b", {"x": 250, "y": 40})])
    old = compute_metrics(before)
    assert may_change_metrics(before, results, old.ordered_by) is False  # type: ignore[arg-type]
    assert compute_metrics(after).to_json() == old.to_json()


ops = st.one_of(
    st.builds(lambda i, x: Update(i, {"x": x}), st.sampled_from("abcin"), st.integers(-500, 900)),
    st.builds(lambda i, y: Update(i, {"y": y}), st.sampled_from("abcin"), st.integers(-300, 300)),
    st.builds(
        lambda i, c: Update(i, {"color": c}),
        st.sampled_from("abin"),
        st.sampled_from(["red", "blue"]),
    ),
    st.builds(
        lambda i, t: Update(i, {"text": t}), st.sampled_from("abin"), st.sampled_from(["x", "y"])
    ),
    st.builds(lambda n: Update("i", {"count": n}), st.integers(0, 9)),
    st.builds(lambda w: Update("a", {"wait_minutes": w}), st.integers(0, 900)),
    st.just(Create({"kind": "connector", "id": "ab2", "source": "a", "target": "b"})),
    st.just(Delete("n")),
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([board, with_arrow, with_joined_queue, with_a_loop, with_even_branches]),
    st.lists(ops, min_size=1, max_size=4),
)
def test_whenever_the_check_says_no_change_the_metrics_are_indeed_the_same(
    start: Any, batch: list[Any]
) -> None:
    before = start()
    after, results = apply_many(before, batch)
    entries = [r for r in results if not isinstance(r, Rejection)]
    old = compute_metrics(before)
    if not may_change_metrics(before, entries, old.ordered_by):
        assert compute_metrics(after).to_json() == old.to_json()


def a_line(n: int, missing: frozenset[int] = frozenset(), through: int | None = None) -> Board:
    """s0 -> s1 -> ... by flow arrows (the arrow into s{through} through a counted queue),
    the steps in `missing` without their figures: every step on one line."""
    elements: dict[str, Any] = {}
    for i in range(n):
        figures = {} if i in missing else {"wait_minutes": 60 * (i % 3 + 1), "process_minutes": 15}
        elements[f"s{i}"] = Step(id=f"s{i}", x=200 * i, text=f"S{i}", **figures)
    for i in range(1, n):
        if i == through:
            elements["q"] = Inventory(id="q", x=200 * i - 100, count=4)
            elements["in"] = Connector(id="in", source=f"s{i - 1}", target="q")
            elements["out"] = Connector(id="out", source="q", target=f"s{i}")
        else:
            elements[f"c{i}"] = Connector(id=f"c{i}", source=f"s{i - 1}", target=f"s{i}")
    return Board(id="b", elements=elements)


def test_on_one_line_of_arrows_a_step_moved_past_others_needs_no_recompute() -> None:
    # The path is the line whichever way its steps stand: W3's boards are such lines, and
    # four edits in ten there are moves (each a whole recompute and patch, for nothing).
    before = a_line(5)
    after, results = apply_many(before, [Update("s1", {"x": 2000, "y": -300})])
    old = compute_metrics(before)
    assert compute_metrics(after).to_json() == old.to_json()
    assert may_change_metrics(before, results, old.ordered_by) is False  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 6),
    st.frozensets(st.integers(0, 5), max_size=3),
    st.one_of(st.none(), st.integers(1, 5)),
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(-500, 1500), st.integers(-300, 300)),
        min_size=1, max_size=4,
    ),
)
def test_on_one_line_whenever_a_move_is_said_to_change_nothing_it_does(
    n: int, missing: frozenset[int], through: int | None, moves: list[tuple[int, int, int]]
) -> None:
    before = a_line(n, missing, through if through is not None and through < n else None)
    batch = [Update(f"s{i % n}", {"x": x, "y": y}) for i, x, y in moves]
    after, results = apply_many(before, batch)
    old = compute_metrics(before)
    if not may_change_metrics(before, results, old.ordered_by):  # type: ignore[arg-type]
        assert compute_metrics(after).to_json() == old.to_json()
