"""Teams and step owners: what a board op and a step edit may say, and what survives a
round trip through the snapshot and the op log."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.elements import Board, Team
from app.domain.operations import Create, Rejection, SetBoard, Update, apply, apply_many
from app.domain.replay import replay
from app.domain.serialize import board_from_json, board_to_json

DEV = {"id": "t-dev", "name": "Development", "color": "blue"}
QA = {"id": "t-qa", "name": "QA", "color": "#10b981"}


def board_with(*ops: Any) -> Board:
    board, results = apply_many(Board(id="b"), list(ops))
    assert not any(isinstance(r, Rejection) for r in results), results
    return board


def rejection(board: Board, op: Any) -> str:
    _, result = apply(board, op)
    assert isinstance(result, Rejection), f"expected a rejection, got {result}"
    return result.reason


def teamed() -> Board:
    return board_with(
        SetBoard({"teams": [DEV, QA]}),
        Create({"id": "s1", "kind": "step", "text": "Build", "x": 0, "owner": "t-dev"}),
        Create({"id": "s2", "kind": "step", "text": "Code review", "x": 200, "owner": "t-dev"}),
        Create({"id": "s3", "kind": "step", "text": "Test", "x": 400, "owner": "t-qa"}),
    )


def test_teams_are_set_as_a_whole_list_and_read_back_as_teams() -> None:
    board = teamed()
    assert board.teams == (Team("t-dev", "Development", "blue"), Team("t-qa", "QA", "#10b981"))
    assert board.elements["s1"].owner == "t-dev"  # type: ignore[union-attr]


def test_the_board_entry_carries_the_teams_as_json() -> None:
    _, entry = apply(Board(id="b"), SetBoard({"teams": [DEV], "swimlanes": True}))
    assert entry == {"op": "board", "set": {"teams": [DEV], "swimlanes": True}}


def test_an_owner_that_is_no_team_is_refused_naming_the_teams() -> None:
    reason = rejection(teamed(), Update("s1", {"owner": "t-x"}))
    assert reason == "owner 't-x' is not one of this map's teams (Development, QA)"


def test_an_owner_on_a_map_without_teams_is_refused() -> None:
    board = board_with(Create({"id": "s1", "kind": "step"}))
    assert "not one of this map's teams" in rejection(board, Update("s1", {"owner": "t-dev"}))
    assert "not one of this map's teams" in rejection(
        board, Create({"id": "s2", "kind": "step", "owner": "t-dev"})
    )


def test_an_owner_must_look_like_an_id() -> None:
    reason = rejection(teamed(), Update("s1", {"owner": "not an id!"}))
    assert reason.startswith("owner must be a team's id")


def test_an_owner_can_be_cleared() -> None:
    board, entry = apply(teamed(), Update("s1", {"owner": None}))
    assert not isinstance(entry, Rejection)
    assert board.elements["s1"].owner is None  # type: ignore[union-attr]


def test_dropping_a_team_that_still_owns_steps_is_refused_naming_them() -> None:
    reason = rejection(teamed(), SetBoard({"teams": [QA]}))
    assert reason == "Development still owns Build, Code review: give them another owner first"


def test_one_batch_clears_the_owners_then_drops_the_team() -> None:
    board, results = apply_many(
        teamed(),
        [
            Update("s1", {"owner": None}),
            Update("s2", {"owner": "t-qa"}),
            SetBoard({"teams": [QA]}),
        ],
    )
    assert not any(isinstance(r, Rejection) for r in results)
    assert [t.id for t in board.teams] == ["t-qa"]


def test_the_batch_in_the_other_order_refuses_the_drop_and_keeps_the_team() -> None:
    _, results = apply_many(teamed(), [SetBoard({"teams": [QA]}), Update("s1", {"owner": None})])
    assert isinstance(results[0], Rejection)


def test_a_team_added_earlier_in_the_batch_can_own_a_step() -> None:
    board = board_with(
        SetBoard({"teams": [DEV]}), Create({"id": "s1", "kind": "step", "owner": "t-dev"})
    )
    assert board.elements["s1"].owner == "t-dev"  # type: ignore[union-attr]


def test_renaming_and_recolouring_a_team_keeps_its_steps() -> None:
    renamed = {"id": "t-dev", "name": "Engineering", "color": "purple"}
    board, entry = apply(teamed(), SetBoard({"teams": [renamed, QA]}))
    assert not isinstance(entry, Rejection)
    assert board.teams[0].name == "Engineering"


@pytest.mark.parametrize(
    ("teams", "why"),
    [
        ("Dev", "must be a list of teams"),
        ([{"id": "t", "name": "  ", "color": "blue"}], "team 1 needs a name"),
        ([{"id": "t", "name": "x" * 61, "color": "blue"}], "too long"),
        ([{"id": "t", "name": "Dev", "color": "mauve"}], "team 1: color must be a palette"),
        ([{"id": "t x", "name": "Dev", "color": "blue"}], "team 1: id must be 1 to 64"),
        ([DEV, {**QA, "id": "t-dev"}], "two teams with the id 't-dev'"),
        ([DEV, {**QA, "name": "development"}], "two teams called 'development'"),
        ([{**DEV, "lead": "Ada"}], "unknown field 'lead'"),
        ([{"id": f"t{i}", "name": f"T{i}", "color": "red"} for i in range(25)], "at most 24"),
    ],
)
def test_a_bad_list_of_teams_is_refused_with_the_reason(teams: Any, why: str) -> None:
    reason = rejection(Board(id="b"), SetBoard({"teams": teams}))
    assert reason.startswith("teams ") and why in reason


def test_swimlanes_is_a_flag() -> None:
    assert rejection(Board(id="b"), SetBoard({"swimlanes": "yes"})) == (
        "swimlanes must be true or false"
    )


def test_teams_owners_and_swimlanes_survive_the_snapshot_and_the_op_log() -> None:
    entries: list[dict[str, Any]] = []
    board = Board(id="b")
    for op in (
        SetBoard({"teams": [DEV, QA], "swimlanes": True}),
        Create({"id": "s1", "kind": "step", "owner": "t-qa"}),
        Update("s1", {"owner": "t-dev"}),
    ):
        board, entry = apply(board, op)
        assert not isinstance(entry, Rejection)
        entries.append(entry)
    replayed = replay(Board(id="b"), entries)
    assert replayed == board
    snap = board_to_json(board)
    assert snap["board"]["teams"] == [DEV, QA] and snap["board"]["swimlanes"] is True
    assert board_from_json(snap["board"], snap["elements"]) == board
