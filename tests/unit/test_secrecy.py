"""An open dot vote's secret (domain/secrecy.py): where dots are, until the vote closes."""

from __future__ import annotations

from app.domain.elements import Board, Dot, Step, Vote
from app.domain.secrecy import (
    closed_votes,
    may_have_hidden,
    may_hide,
    revealed,
    seal_entries,
    seal_snapshot,
    secret_dots,
    without_secret_dots,
)
from app.domain.serialize import board_to_json, element_to_json

ADA, BOB = "c-ada", "c-bob"


def board(open_vote: bool = True) -> Board:
    elements = [
        Step(id="s1", text="Build"), Step(id="s2", text="Ship"),
        Vote(id="v1", text="Which first?", open=open_vote), Vote(id="v0", text="Old", open=False),
        Dot(id="d1", vote="v1", target="s2", author="Ada", author_id=ADA),
        Dot(id="d2", vote="v1", target="s1", author="Bob", author_id=BOB),
        Dot(id="d0", vote="v0", target="s1", author="Bob", author_id=BOB),
    ]  # fmt: skip
    return Board(id="b", elements={e.id: e for e in elements})


def test_the_dots_of_open_votes_are_secret_each_with_its_author() -> None:
    assert secret_dots(board()) == {"d1": ADA, "d2": BOB}
    assert secret_dots(board(open_vote=False)) == {}


def test_entries_placing_dots_are_sealed_for_all_but_their_author() -> None:
    entries = [{"op": "create", "seq": 9, "element": element_to_json(board().elements["d1"])},
               {"op": "update", "seq": 10, "id": "s1", "set": {"x": 5}}]  # fmt: skip
    assert may_hide(entries)
    secret = secret_dots(board())
    assert seal_entries(entries, secret, ADA) is None  # nothing hidden from Ada
    sealed = seal_entries(entries, secret, BOB)
    assert sealed is not None and sealed[0]["element"]["target"] is None
    assert sealed[0]["element"]["author_id"] == ADA and sealed[1] == entries[1]
    assert entries[0]["element"]["target"] == "s2", "the entries themselves are left whole"
    assert not may_hide(entries[1:])


def test_a_snapshot_seals_others_dots_and_an_onlooker_sees_none_placed() -> None:
    snapshot = board_to_json(board())
    by_id = lambda s: {e["id"]: e for e in s["elements"]}  # noqa: E731
    for_ada = by_id(seal_snapshot(snapshot, secret_dots(board()), ADA))
    assert (for_ada["d1"]["target"], for_ada["d2"]["target"], for_ada["d0"]["target"]) == ("s2", None, "s1")
    onlooker = by_id(seal_snapshot(snapshot, secret_dots(board()), None))
    assert onlooker["d1"]["target"] is None and onlooker["d2"]["target"] is None


def test_closing_a_vote_reveals_its_dots_and_an_export_leaves_open_ones_out() -> None:
    entries = [{"op": "update", "seq": 11, "id": "v1", "set": {"open": False}}]
    assert closed_votes(entries, board()) == {"v1"}
    assert closed_votes(entries, board(open_vote=False)) == set()  # closed already
    assert [e["id"] for e in revealed(board(open_vote=False), {"v1"})] == ["d1", "d2"]
    assert set(without_secret_dots(board()).elements) == {"s1", "s2", "v1", "v0", "d0"}


def test_a_delete_hides_nothing_and_only_a_kept_one_from_before_may_have() -> None:
    # A delete no longer takes an open vote's dots (collab.attached_to): none needs sealing,
    # and the hub's per-edit path looks no further at it.
    step = [{"op": "delete", "seq": 12, "id": "s1", "removed": ["s1", "a1"]}]
    assert not may_hide(step) and seal_entries(step, secret_dots(board()), ADA) is None
    # A server before this one took them, naming them to their authors alone: a peer that
    # missed such a kept entry gets a snapshot (hub/timeline.py sealed_seq).
    assert may_have_hidden(step[0])
    assert not may_have_hidden({"op": "delete", "seq": 13, "id": "d2", "removed": ["d2"]})
    assert may_have_hidden({"op": "update", "seq": 14, "id": "v1", "set": {"open": False}})
