"""One team at a time: the `team` op adds, changes or removes a single team and leaves
the others as they stand, so two facilitators editing the list at once both keep
their change (two whole lists would keep only the later one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.elements import Board
from app.domain.operations import Create, Rejection, SetBoard, SetTeam, apply
from app.domain.serialize import teams_to_json
from tests.unit.test_team_rules import board_with, rejection

DEV = {"id": "t-dev", "name": "Development", "color": "blue"}
QA = {"id": "t-qa", "name": "QA", "color": "green"}


def names(board: Board) -> list[str]:
    return [t.name for t in board.teams]


def test_two_teams_added_from_the_same_list_are_both_kept() -> None:
    # Ada and Fay both saw [Development] and each added one team.
    base = board_with(SetBoard({"teams": [DEV]}))
    board = board_with(
        SetBoard({"teams": [DEV]}),
        SetTeam("t-qa", {"name": "QA", "color": "green"}),
        SetTeam("t-ops", {"name": "Operations"}),
    )
    assert base.teams != board.teams
    assert names(board) == ["Development", "QA", "Operations"]
    assert board.teams[2].color == "grey"  # a team without a colour gets the default


def test_a_change_and_an_add_made_at_once_are_both_kept() -> None:
    board = board_with(
        SetBoard({"teams": [DEV]}),
        SetTeam("t-dev", {"name": "Engineering"}),
        SetTeam("t-qa", {"name": "QA"}),
    )
    assert names(board) == ["Engineering", "QA"]
    assert board.teams[0].color == "blue"  # a rename keeps the colour


def test_the_entry_is_the_whole_new_list_so_every_peer_ends_up_alike() -> None:
    _, entry = apply(
        board_with(SetBoard({"teams": [DEV]})), SetTeam("t-qa", {"name": "QA", "color": "green"})
    )
    assert entry == {"op": "board", "set": {"teams": [DEV, QA]}}


def test_a_removed_team_goes_and_the_others_stay_in_order() -> None:
    ops = {"id": "t-ops", "name": "Operations", "color": "red"}
    board = board_with(SetBoard({"teams": [DEV, QA, ops]}), SetTeam("t-qa", remove=True))
    assert names(board) == ["Development", "Operations"]


def test_at_puts_a_team_back_where_it_was() -> None:
    board = board_with(
        SetBoard({"teams": [DEV, QA]}),
        SetTeam("t-dev", remove=True),
        SetTeam("t-dev", {"name": "Development", "color": "blue"}, at=0),
    )
    assert names(board) == ["Development", "QA"]
    moved = board_with(SetBoard({"teams": [DEV, QA]}), SetTeam("t-qa", {"name": "QA"}, at=0))
    assert names(moved) == ["QA", "Development"]
    far = board_with(SetBoard({"teams": [DEV]}), SetTeam("t-qa", {"name": "QA"}, at=20))
    assert names(far) == ["Development", "QA"]


def test_a_team_that_still_owns_steps_cannot_be_removed() -> None:
    board = board_with(
        SetBoard({"teams": [DEV, QA]}),
        Create({"id": "s1", "kind": "step", "text": "Build", "owner": "t-dev"}),
    )
    reason = rejection(board, SetTeam("t-dev", remove=True))
    assert reason == "Development still owns Build: give it another owner first"


@pytest.mark.parametrize(
    ("op", "why"),
    [
        (SetTeam("t-x", remove=True), "no team with id 't-x'"),
        (SetTeam("t-dev", {"name": "x"}, remove=True), "either sets a team's fields or removes"),
        (SetTeam("t-dev"), "needs 'set' with the team's name or color"),
        (SetTeam("t-dev", {}), "needs 'set' with the team's name or color"),
        (SetTeam("t-dev", {"owner": "x"}), "unknown team field 'owner'"),
        (SetTeam("t-new", {"color": "red"}), "a new team needs a name"),
        (SetTeam("t-new", {"name": "development"}), "two teams called 'development'"),
        (SetTeam("t-dev", {"name": "  "}), "name"),
        # Names that draw nothing, or pass for another team's, as display names are refused.
        (SetTeam("t-dev", {"name": "\u3164"}), "a name needs a letter or a digit others can see"),
        (SetTeam("t-dev", {"name": "\u200b\u2800"}), "a name needs a letter or a digit"),
        (SetTeam("t-new", {"name": "Develop\u200bment"}), "two teams called 'Development'"),
        (SetTeam("t-dev", {"color": "chartreuse-ish"}), "color"),
        (SetTeam("not an id!", {"name": "Ops"}), "id"),
    ],
)
def test_a_bad_team_op_is_refused_with_the_reason(op: SetTeam, why: str) -> None:
    board = board_with(SetBoard({"teams": [DEV]}))
    assert why in rejection(board, op)


def test_the_map_keeps_at_most_its_teams() -> None:
    many = [{"id": f"t-{i}", "name": f"Team {i}"} for i in range(24)]
    board = board_with(SetBoard({"teams": many}))
    assert "at most 24" in rejection(board, SetTeam("t-more", {"name": "One more"}))


GOLDEN = Path(__file__).parents[1] / "fixtures" / "teams" / "team_ops.json"


@pytest.mark.parametrize(
    "case", json.loads(GOLDEN.read_text())["cases"], ids=lambda case: case["name"]
)
def test_the_golden_cases_the_browser_also_follows(case: dict[str, Any]) -> None:
    board = board_with(SetBoard({"teams": case["before"]}))
    op = case["op"]
    after, result = apply(
        board, SetTeam(op["id"], op.get("set"), op.get("remove", False), op.get("at"))
    )
    if case["after"] is None:
        assert isinstance(result, Rejection)
    else:
        assert result == {"op": "board", "set": {"teams": case["after"]}}
        assert teams_to_json(after.teams) == case["after"]


def test_a_team_name_is_kept_as_everyone_will_see_it() -> None:
    """Invisible characters out and runs of spaces made one, as a display name is: a lane's
    or an owner chip's name reads as the team's name, not as a look-alike of another."""
    board = board_with(SetBoard({"teams": [DEV]}))
    board = apply(board, SetTeam("t-ops", {"name": " Op\u200bs   and\u202e run "}))[0]
    assert [t.name for t in board.teams] == ["Development", "Ops and run"]
