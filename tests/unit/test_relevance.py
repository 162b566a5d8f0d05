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
        (Update("a", {"x": 900}), True, False),  # with arrows, position does not matter
        (Update("i", {"x": 900}), True, False),
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


ops = st.one_of(
    st.builds(lambda i, x: Update(i, {"x": x}), st.sampled_from("abin"), st.integers(-500, 900)),
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
@given(st.booleans(), st.lists(ops, min_size=1, max_size=4))
def test_whenever_the_check_says_no_change_the_metrics_are_indeed_the_same(
    arrows: bool, batch: list[Any]
) -> None:
    before = with_arrow() if arrows else board()
    after, results = apply_many(before, batch)
    entries = [r for r in results if not isinstance(r, Rejection)]
    old = compute_metrics(before)
    if not may_change_metrics(before, entries, old.ordered_by):
        assert compute_metrics(after).to_json() == old.to_json()
