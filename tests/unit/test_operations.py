"""The domain's operation rules: what is accepted, what is rejected and why, and replay."""

from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import pytest

from app.domain.elements import Board, Connector, Step
from app.domain.operations import (
    MAX_ELEMENTS,
    Create,
    Delete,
    Rejection,
    SetBoard,
    Update,
    apply,
    apply_many,
)
from app.domain.replay import replay
from app.domain.serialize import board_from_json, board_to_json


def board_with(*ops: object) -> Board:
    board, results = apply_many(Board(id="b"), list(ops))  # type: ignore[arg-type]
    assert not any(isinstance(r, Rejection) for r in results), results
    return board


def rejection(board: Board, op: object) -> str:
    _, result = apply(board, op)  # type: ignore[arg-type]
    assert isinstance(result, Rejection), f"expected a rejection, got {result}"
    return result.reason


def step(i: str, **fields: object) -> Create:
    return Create({"id": i, "kind": "step", **fields})


def flow(i: str, a: str, b: str) -> Create:
    return Create({"id": i, "kind": "connector", "source": a, "target": b})


def test_create_fills_defaults_and_returns_the_whole_element() -> None:
    board, entry = apply(Board(id="b"), step("s1", text="Build", x=10))
    assert not isinstance(entry, Rejection)
    assert entry["element"] == {
        "kind": "step", "id": "s1", "x": 10.0, "y": 0.0, "w": 168.0, "h": 96.0,
        "text": "Build", "color": "yellow", "wait_minutes": None, "process_minutes": None,
        "wait_text": None, "process_text": None,
        "pca": None, "people": None, "waste": [],
        "walk_ready": None, "walk_start": None, "walk_end": None, "owner": None,
        "provenance": {},
    }  # fmt: skip
    assert board.elements["s1"] == Step(id="s1", text="Build", x=10.0)


def test_a_rejected_operation_leaves_the_board_unchanged() -> None:
    board = board_with(step("s1"))
    after, result = apply(board, Update("s1", {"pca": 101}))
    assert isinstance(result, Rejection)
    assert after is board


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"wait_minutes": -5}, "wait_minutes cannot be negative"),
        ({"process_minutes": "2h"}, "process_minutes must be a number or null"),
        ({"pca": 120}, "pca must be between 0 and 100"),
        ({"pca": -1}, "pca must be between 0 and 100"),
        ({"pca": True}, "pca must be a number or null"),
        ({"x": math.inf}, "x must be a finite number"),
        ({"x": math.nan}, "x must be a finite number"),
        # Integers past any float (the websocket's JSON keeps them whole): no OverflowError.
        ({"x": 10**400}, "x must be -1e+06 or more, at most 1e+06"),
        ({"wait_minutes": -(10**400)}, "wait_minutes cannot be negative"),
        ({"pca": 10**400}, "pca must be between 0 and 100"),
        ({"w": 2}, "w must be 8 or more"),
        ({"text": "x" * 2001}, "text is too long (2001 characters; at most 2000)"),
        ({"text": 7}, "text must be text"),
        ({"color": "chartreuse"}, "color must be a palette colour"),
        ({"waste": ["waiting", "boredom"]}, "waste has an unknown tag 'boredom'"),
        ({"waste": ["waiting", "waiting"]}, "waste lists a tag twice"),
        ({"people": 1.5}, "people must be a whole number or null"),
        ({"colour": "red"}, "unknown field 'colour' for a step"),
        ({"count": 3}, "unknown field 'count' for a step"),
    ],
)
def test_bad_step_fields_are_rejected_with_a_reason(fields: dict[str, object], reason: str) -> None:
    assert rejection(Board(id="b"), step("s1", **fields)).startswith(reason)
    existing = board_with(step("s1"))
    assert rejection(existing, Update("s1", fields)).startswith(reason)


def test_good_values_at_the_edges_are_accepted() -> None:
    board = board_with(
        step("s1", pca=0, wait_minutes=0, process_minutes=0.5, people=3, color="#AABBCC"),
        step("s2", pca=100, waste=["waiting", "defects"]),
    )
    assert board.elements["s1"].pca == 0.0  # type: ignore[union-attr]
    assert board.elements["s2"].waste == ("waiting", "defects")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("element", "reason"),
    [
        ({"id": "n1", "kind": "sticker"}, "element kind must be one of"),
        ({"kind": "note"}, "element id must be 1 to 64"),
        ({"id": "has space", "kind": "note"}, "element id must be 1 to 64"),
        ({"id": "x" * 65, "kind": "note"}, "element id must be 1 to 64"),
        ({"id": "n1", "kind": "note", "variant": "rant"}, "variant must be one of"),
        ({"id": "i1", "kind": "inventory", "count": -3}, "count cannot be negative"),
    ],
)
def test_bad_creates_are_rejected(element: dict[str, object], reason: str) -> None:
    assert rejection(Board(id="b"), Create(element)).startswith(reason)


def test_ids_are_unique_on_a_board() -> None:
    board = board_with(step("s1"))
    assert rejection(board, step("s1")) == "an element with id 's1' already exists"


def rework(i: str, a: str, b: str, rate: float | None = 0.2) -> Create:
    return Create(
        {"id": i, "kind": "connector", "source": a, "target": b, "connector": "rework",
         "rework_rate": rate}
    )  # fmt: skip


def test_a_step_may_send_part_of_its_own_work_back_to_itself() -> None:
    # DESIGN 2: rework from B back to A adds LT(A..B) * r / (1 - r); with A = B that is the
    # step's own lead time, which app/domain/rework.py counts as a loop of one step.
    board = board_with(step("a"), rework("r", "a", "a"))
    loop = board.elements["r"]
    assert isinstance(loop, Connector) and (loop.source, loop.target) == ("a", "a")


def test_only_a_step_can_redo_itself() -> None:
    board = board_with(step("a"), Create({"id": "n", "kind": "note"}))
    assert rejection(board, rework("r", "n", "n")) == (
        "a rework arrow goes back to a step — a note cannot send work back to itself"
    )


def test_a_loop_onto_one_step_stays_rework() -> None:
    board = board_with(step("a"), step("b"), rework("r", "a", "a"), rework("r2", "b", "a"))
    assert rejection(board, Update("r", {"connector": "flow"})).startswith(
        "only a rework arrow may go from a step back to itself"
    )
    assert rejection(board, Update("r2", {"connector": "info", "source": "a"})).startswith(
        "only a rework arrow may go from a step back to itself"
    )
    _, moved = apply(board, Update("r2", {"source": "a"}))
    assert not isinstance(moved, Rejection), moved


def test_connectors_must_join_two_existing_different_notes() -> None:
    board = board_with(step("a"), step("b"), flow("c1", "a", "b"))
    assert rejection(board, flow("c2", "a", "ghost")) == (
        "a connector cannot join 'ghost': no such element"
    )
    assert rejection(board, flow("c2", "a", "a")) == (
        "only a rework arrow may go from a step back to itself — a flow or information arrow"
        " joins two different elements"
    )
    assert rejection(board, flow("c2", "a", "c1")).startswith("a connector must join two notes")
    assert rejection(board, Create({"id": "c3", "kind": "connector", "source": "a"})) == (
        "a connector needs a source and a target"
    )
    assert rejection(board, Update("c1", {"target": "nowhere"})).startswith(
        "a connector cannot join 'nowhere'"
    )
    assert rejection(board, Create({"id": "c4", "kind": "connector", "source": "a",
                                    "target": "b", "rework_rate": 1})).startswith(
        "rework_rate must be at most 0.99"
    )  # fmt: skip


def test_a_rework_rate_is_taken_only_as_far_as_the_metrics_count_it() -> None:
    # Past 0.99 (99 extra trips on average) the metrics would count 0.99: refused instead,
    # so a rate the board holds is always the rate its figures use.
    board = board_with(step("a"), step("b"))
    rate = {"id": "r", "kind": "connector", "source": "b", "target": "a", "connector": "rework"}
    assert rejection(board, Create({**rate, "rework_rate": 0.995})) == (
        "rework_rate must be at most 0.99: 99 in 100 items going round again is as much"
        " rework as a map can count"
    )
    board, _ = apply(board, Create({**rate, "rework_rate": 0.99}))
    assert board.elements["r"].rework_rate == 0.99  # type: ignore[union-attr]


def test_update_changes_only_the_fields_it_names() -> None:
    board = board_with(step("s1", text="Build", x=5, pca=80))
    board, entry = apply(board, Update("s1", {"x": 40}))
    assert entry == {"op": "update", "id": "s1", "set": {"x": 40.0}}
    assert board.elements["s1"] == Step(id="s1", text="Build", x=40.0, pca=80.0)


def test_id_and_kind_never_change_and_an_update_needs_fields() -> None:
    board = board_with(step("s1"))
    assert (
        rejection(board, Update("s1", {"kind": "note"})) == "an element's id and kind cannot change"
    )
    assert rejection(board, Update("s1", {})) == "update needs at least one field in 'set'"


def test_updating_a_deleted_element_is_rejected_so_deletes_win() -> None:
    board = board_with(step("s1"), Delete("s1"))
    assert rejection(board, Update("s1", {"x": 1})).startswith("no element with id 's1'")


def test_deleting_a_step_removes_its_connectors() -> None:
    board = board_with(step("a"), step("b"), step("c"), flow("ab", "a", "b"), flow("bc", "b", "c"))
    board, entry = apply(board, Delete("b"))
    assert entry == {"op": "delete", "id": "b", "removed": ["b", "ab", "bc"]}
    assert set(board.elements) == {"a", "c"}


def test_a_batch_sees_its_own_earlier_operations() -> None:
    board, results = apply_many(
        Board(id="b"), [step("a"), step("b"), flow("c", "a", "b"), Update("a", {"text": "A"})]
    )
    assert not any(isinstance(r, Rejection) for r in results)
    assert isinstance(board.elements["c"], Connector)


def test_a_rejection_in_a_batch_does_not_stop_the_rest() -> None:
    board, results = apply_many(Board(id="b"), [step("a"), step("a"), step("b")])
    assert [isinstance(r, Rejection) for r in results] == [False, True, False]
    assert set(board.elements) == {"a", "b"}


def test_the_board_is_full_at_its_limit() -> None:
    board, _ = apply_many(Board(id="b"), [Create({"id": f"n{i}", "kind": "note"})
                                          for i in range(MAX_ELEMENTS)])  # fmt: skip
    assert len(board.elements) == MAX_ELEMENTS
    assert rejection(board, step("one-more")) == f"the board is full ({MAX_ELEMENTS} elements)"


def test_set_board_changes_the_frame_and_calendar() -> None:
    board, entry = apply(Board(id="b"), SetBoard({"title": "Delivery", "hours_per_day": 7.5}))
    assert entry == {"op": "board", "set": {"title": "Delivery", "hours_per_day": 7.5}}
    assert board.title == "Delivery" and board.calendar.hours_per_day == 7.5
    assert rejection(board, SetBoard({"days_per_week": 8})).startswith("days_per_week must be")
    assert rejection(board, SetBoard({"colour": "x"})) == "unknown board field 'colour'"


def test_replaying_the_entries_rebuilds_the_same_board() -> None:
    ops = [
        step("a", text="Plan"), step("b"), flow("ab", "a", "b"),
        Update("b", {"text": "Do", "waste": ["waiting"]}), SetBoard({"title": "T", "days_per_week": 4}),
        Create({"id": "n", "kind": "note", "text": "why?"}), Delete("a"),
    ]  # fmt: skip
    board = Board(id="b")
    entries = []
    for op in ops:
        board, entry = apply(board, op)
        assert not isinstance(entry, Rejection)
        entries.append(entry)
    assert replay(Board(id="b"), entries) == board


def test_a_board_survives_a_round_trip_through_json() -> None:
    board = board_with(step("a", waste=["motion"], pca=50), Create({"id": "i", "kind": "inventory",
                                                                   "count": 4}))  # fmt: skip
    data = board_to_json(board)
    assert board_from_json(data["board"], data["elements"]) == board


def test_the_domain_imports_the_standard_library_only() -> None:
    # numpy too: the forecast's 10,000 trials need arrays (app/domain/forecast_sim.py).
    # It is computation, no I/O, so the core stays pure.
    allowed_prefixes = ("app.domain", "__future__", "numpy")
    domain = Path(__file__).resolve().parents[2] / "app" / "domain"
    paths = sorted(domain.glob("*.py"))
    assert len(paths) > 10, f"found no domain modules in {domain}"
    for path in paths:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert name.startswith(allowed_prefixes) or top in _stdlib(), f"{path}: {name}"


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names)


def test_evolve_is_replace_for_every_element_kind_and_the_board() -> None:
    import dataclasses

    from app.domain.elements import ELEMENT_TYPES, Board, Calendar, evolve

    for kind, cls in [*ELEMENT_TYPES.items(), ("board", Board)]:
        assert not hasattr(cls, "__post_init__"), f"{kind}: evolve skips __post_init__"
        fields = dataclasses.fields(cls)
        required = {f.name: f"x-{f.name}" for f in fields if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING}  # fmt: skip
        value = cls(**required)
        for f in fields:
            new_value: Any = Calendar(hours_per_day=7) if f.name == "calendar" else object()
            want = dataclasses.replace(value, **{f.name: new_value})
            got = evolve(value, {f.name: new_value})
            assert type(got) is cls and got == want, (kind, f.name)
            assert getattr(value, f.name) is not new_value, "the original is left alone"
        with pytest.raises(TypeError):
            evolve(value, {"no_such_field": 1})


def test_a_connector_joins_boxes_only_never_a_comment_estimate_vote_or_dot() -> None:
    # Such arrows were accepted; the board's own JSON export then could not be imported.
    board = board_with(
        step("a"), Create({"id": "x", "kind": "experiment", "text": "Pair on reviews"}),
        Create({"id": "n", "kind": "note", "text": "Why?"}),
        Create({"id": "c", "kind": "comment", "target": "a", "text": "Why a week?"}),
        Create({"id": "e", "kind": "estimate", "target": "a", "field": "wait_minutes", "minutes": 60}),
        Create({"id": "v", "kind": "vote", "text": "First?", "dots": 1}),
        Create({"id": "d", "kind": "dot", "vote": "v", "target": "a"}),
    )  # fmt: skip
    for end in ("c", "e", "v", "d"):
        assert rejection(board, flow("bad", "a", end)).startswith("a connector joins steps"), end
        assert rejection(board, flow("bad", end, "a")).startswith("a connector joins steps"), end
    for end in ("x", "n"):
        board, entry = apply(board, flow(f"to-{end}", "a", end))
        assert not isinstance(entry, Rejection) and entry["op"] == "create"


def test_an_element_made_to_replace_others_is_made_only_once_they_are_gone() -> None:
    # The editor bridges a deleted step with an arrow; when the delete was refused, the
    # arrow was drawn all the same, beside the step it was to replace.
    board = board_with(step("a"), step("b", x=300), step("c", x=600))
    arrow = {"id": "ac", "kind": "connector", "source": "a", "target": "c"}
    kept, results = apply_many(board, [Create(arrow, replaces=("b",))])
    assert results == [Rejection("it stands for 'b', which is still on the board")]
    assert "ac" not in kept.elements
    done, results = apply_many(board, [Delete("b"), Create(arrow, replaces=("b",))])
    assert not any(isinstance(r, Rejection) for r in results)
    assert "ac" in done.elements and "b" not in done.elements
