"""The rules of validating a published map: invitations, verdicts, sign-off, the board's state."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.elements import Calendar
from app.domain.validation import (
    Refused,
    Request,
    Verdict,
    board_state,
    check_verdict,
    invited_names,
    sign_off_refusal,
    steps_in_order,
    summarize,
    teams_in_review,
)

STEPS = ("s1", "s2", "s3")
CAL = Calendar(hours_per_day=8)


def request(number: int, invited: tuple[str, ...], signed: set[str]) -> Request:
    return Request(number=number, invited=invited, signed=frozenset(signed))


# ---- the board's state ----------------------------------------------------------------


def test_a_board_with_no_version_is_still_being_mapped() -> None:
    assert board_state(latest=None, request=None) == "mapping"


def test_a_published_version_nobody_was_asked_about_is_published() -> None:
    assert board_state(latest=1, request=None) == "published"


def test_validated_only_when_everyone_invited_signed_off_the_latest_version() -> None:
    both = ("Ada", "Bob")
    assert board_state(latest=2, request=request(2, both, set())) == "published"
    assert board_state(latest=2, request=request(2, both, {"Ada"})) == "published"
    assert board_state(latest=2, request=request(2, both, {"Ada", "Bob"})) == "validated"


def test_sign_offs_of_an_older_version_do_not_validate_the_latest() -> None:
    assert board_state(latest=3, request=request(2, ("Ada",), {"Ada"})) == "published"


def test_sign_offs_from_people_no_longer_invited_do_not_count_for_those_still_invited() -> None:
    assert board_state(latest=1, request=request(1, ("Ada", "Cy"), {"Ada", "Bob"})) == "published"


def test_a_request_with_nobody_invited_validates_nothing() -> None:
    assert board_state(latest=1, request=request(1, (), set())) == "published"


# ---- verdicts ------------------------------------------------------------------------------


def test_a_dispute_without_a_comment_is_refused() -> None:
    for comment in ("", "   ", None):
        with pytest.raises(Refused, match="a dispute needs a comment"):
            check_verdict(STEPS, {"step": "s1", "verdict": "dispute", "comment": comment}, CAL)


def test_a_dispute_with_a_comment_and_the_figure_believed_in_working_days() -> None:
    raw = {"step": "s2", "verdict": "dispute", "comment": " Waits longer ",
           "field": "wait_minutes", "figure": "3d"}  # fmt: skip
    assert check_verdict(STEPS, raw, CAL) == Verdict(
        "s2", "dispute", "Waits longer", "wait_minutes", 3 * 480.0, "3d"
    )


def test_a_percent_is_believed_with_or_without_its_sign() -> None:
    for typed in ("85", "85%", "85 %", "85,0"):
        raw = {"step": "s1", "verdict": "dispute", "comment": "x", "field": "pca", "figure": typed}
        assert check_verdict(STEPS, raw, CAL).proposed == 85.0
    with pytest.raises(Refused, match="between 0 and 100"):
        raw = {"step": "s1", "verdict": "dispute", "comment": "x", "field": "pca", "figure": "120"}
        check_verdict(STEPS, raw, CAL)


def test_a_figure_that_is_not_a_duration_says_what_to_type() -> None:
    raw = {"step": "s1", "verdict": "dispute", "comment": "x", "field": "process_minutes",
           "figure": "soon"}  # fmt: skip
    with pytest.raises(Refused, match="try 45m"):
        check_verdict(STEPS, raw, CAL)


def test_a_figure_needs_to_say_which_figure_it_is() -> None:
    raw = {"step": "s1", "verdict": "dispute", "comment": "x", "figure": "3d"}
    with pytest.raises(Refused) as refused:
        check_verdict(STEPS, raw, CAL)
    # In the page's words, never the fields' names (a participant read "wait_minutes").
    assert str(refused.value) == "say which figure you believe: the wait, the process time or the %C/A"


def test_an_agreement_carries_no_figure_and_needs_no_comment() -> None:
    assert check_verdict(STEPS, {"step": "s3", "verdict": "agree"}, CAL) == Verdict("s3", "agree")
    with pytest.raises(Refused, match="goes with a dispute"):
        check_verdict(STEPS, {"step": "s3", "verdict": "agree", "figure": "2d"}, CAL)


def test_a_verdict_on_a_step_the_version_does_not_have_is_refused() -> None:
    with pytest.raises(Refused, match="no step 'x9'"):
        check_verdict(STEPS, {"step": "x9", "verdict": "agree"}, CAL)
    with pytest.raises(Refused, match="verdict must be"):
        check_verdict(STEPS, {"step": "s1", "verdict": "maybe"}, CAL)


# ---- sign-off --------------------------------------------------------------------------------


def agreed(*steps: str) -> dict[str, Verdict]:
    return {s: Verdict(s, "agree") for s in steps}


def test_sign_off_needs_a_verdict_on_every_step() -> None:
    assert sign_off_refusal(STEPS, agreed("s1", "s2")) == "1 of 3 steps still need your verdict"
    assert sign_off_refusal(STEPS, agreed(*STEPS)) is None


def test_sign_off_is_refused_while_disputing_a_step() -> None:
    verdicts = agreed("s1", "s3") | {"s2": Verdict("s2", "dispute", "wrong")}
    refusal = sign_off_refusal(STEPS, verdicts)
    assert refusal is not None and refusal.startswith("you dispute 1 step:")


# ---- invitations -------------------------------------------------------------------------------


def test_invited_names_are_trimmed_and_kept_in_order() -> None:
    assert invited_names(["  Ada  Lovelace ", "Bob"]) == ("Ada Lovelace", "Bob")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ([], "at least one"),
        (["Ada", "ada"], "invited twice"),
        (["Ada", " "], "some text"),
        (["x" * 61], "too long"),
        ("Ada", "a list"),
        ([f"P{i}" for i in range(51)], "at most 50"),
    ],
)
def test_invitations_that_cannot_tell_people_apart_are_refused(raw: Any, why: str) -> None:
    with pytest.raises(Refused, match=why):
        invited_names(raw)


# The names a hello refuses (tests/unit/test_protocol.py): blank, invisible, drawing nothing.
@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u202e\u2066", "\u3164", "\u2800", "\u115f\u1160", "\uffa0", "\u034f",
     "\u0301\u0301", "\x00", "\x07\x1b"],
)  # fmt: skip
def test_an_invited_name_with_nothing_to_see_is_refused_as_a_display_name_is(name: str) -> None:
    # Such names were invited, listed and shown to everyone asked as a blank person.
    with pytest.raises(Refused, match="a letter or a digit"):
        invited_names(["Ada", name])


def test_an_invited_name_loses_invisible_characters_and_then_cannot_pass_for_another() -> None:
    # "Ada" and "Ada" with a zero-width space were two people who looked the same.
    assert invited_names([" \u202eFay\u200b  Lee ", "Bob\x00"]) == ("Fay Lee", "Bob")
    with pytest.raises(Refused, match="invited twice"):
        invited_names(["Ada", "A\u200bda"])


# ---- what the participant reviews, and what the facilitator sees -----------------------------


def test_steps_are_reviewed_in_flow_order_then_those_off_the_flow() -> None:
    board = {"elements": [
        {"id": "late", "kind": "step", "text": "Stray", "x": 10, "y": 400, "wait_minutes": 5},
        {"id": "b", "kind": "step", "text": "Second", "x": 0, "y": 0},
        {"id": "a", "kind": "step", "text": "First", "x": 500, "y": 0},
        {"id": "n", "kind": "note", "text": "not a step"},
    ]}  # fmt: skip
    metrics = {"steps": [
        {"id": "a", "text": "First", "wait_minutes": 60.0, "process_minutes": None, "pca": 90.0},
        {"id": "b", "text": "Second", "wait_minutes": 30.0, "process_minutes": 5.0, "pca": None},
    ]}  # fmt: skip
    rows = steps_in_order(board, metrics)
    assert [(r["id"], r["on_path"]) for r in rows] == [("a", True), ("b", True), ("late", False)]
    assert rows[0]["wait_minutes"] == 60.0 and rows[2]["wait_minutes"] == 5


def test_a_step_off_the_flow_with_only_estimates_is_reviewed_with_their_median() -> None:
    # As the CSV and the PDF's table read it, and as its figures would read on the flow.
    board = {"elements": [
        {"id": "a", "kind": "step", "text": "On", "x": 0, "y": 0, "wait_minutes": 60},
        {"id": "off", "kind": "step", "text": "Stray", "x": 10, "y": 400, "pca": 80},
    ]}  # fmt: skip
    median = {"count": 2, "low": 240.0, "high": 720.0, "median": 480.0}
    metrics = {
        "steps": [{"id": "a", "text": "On", "wait_minutes": 60.0, "process_minutes": None,
                   "pca": None}],
        "estimates": {"off": {"wait_minutes": median}},
    }  # fmt: skip
    off = steps_in_order(board, metrics)[1]
    assert (off["id"], off["wait_minutes"], off["process_minutes"], off["pca"]) == (
        "off", 480.0, None, 80,
    )  # fmt: skip


def test_a_step_off_the_flow_is_reviewed_with_its_measured_median_when_the_map_uses_them() -> None:
    board = {"elements": [
        {"id": "a", "kind": "step", "text": "On", "x": 0, "y": 0, "wait_minutes": 60},
        {"id": "off", "kind": "step", "text": "Stray", "x": 10, "y": 400, "wait_minutes": 30,
         "process_minutes": 5},
    ]}  # fmt: skip
    summary = {"steps": {"off": {"wait": {"n": 3, "median": 960.0, "p85": 1200.0}}}}
    metrics = {"steps": [], "measured": summary}
    assert steps_in_order(board, metrics | {"figures_from": "estimates"})[1]["wait_minutes"] == 30
    off = steps_in_order(board, metrics | {"figures_from": "measured"})[1]
    assert (off["wait_minutes"], off["process_minutes"]) == (960.0, 5)


def test_the_facilitator_sees_progress_per_person_and_each_dispute_with_its_reason() -> None:
    steps = [{"id": "s1", "text": "Plan"}, {"id": "s2", "text": "Ship"}]
    verdicts = {
        "Ada": {"s1": Verdict("s1", "dispute", "Takes longer", "wait_minutes", 1440.0, "3d")},
        "Bob": agreed("s1", "s2"),
    }
    summary = summarize(
        steps, ["Ada", "Bob"], verdicts, {"Ada": None, "Bob": "2026-11-24T10:00:00Z"}
    )
    assert summary["participants"] == [
        {"name": "Ada", "signed_off_at": None, "agreed": 0, "disputed": 1, "pending": 1},
        {"name": "Bob", "signed_off_at": "2026-11-24T10:00:00Z", "agreed": 2, "disputed": 0,
         "pending": 0},
    ]  # fmt: skip
    [dispute] = summary["disputes"]
    assert dispute["step"] == "s1" and dispute["text"] == "Plan"
    assert dispute["by"] == [{"name": "Ada", "step": "s1", "verdict": "dispute",
                              "comment": "Takes longer", "field": "wait_minutes",
                              "proposed": 1440.0, "figure": "3d"}]  # fmt: skip
    assert summary["all_signed_off"] is False


def test_the_review_groups_the_steps_by_team_in_board_order_unassigned_last() -> None:
    board = {
        "board": {
            "teams": [
                {"id": "t-dev", "name": "Development", "color": "blue"},
                {"id": "t-ops", "name": "Operations", "color": "purple"},  # owns nothing
                {"id": "t-qa", "name": "QA", "color": "green"},
            ]
        }
    }
    steps = [
        {"id": "a", "owner": "t-qa"},
        {"id": "b", "owner": "t-dev"},
        {"id": "c", "owner": None},
        {"id": "d", "owner": "t-dev"},
        {"id": "e", "owner": "t-gone"},  # names no team of this version: nobody's
    ]
    groups = teams_in_review(board, steps)
    assert [(g["name"], g["steps"]) for g in groups] == [
        ("Development", ["b", "d"]),
        ("QA", ["a"]),
        ("Unassigned", ["c", "e"]),
    ]
    assert groups[0]["color"] == "blue"


def test_a_map_without_owners_is_reviewed_as_one_list() -> None:
    board = {"board": {"teams": [{"id": "t-dev", "name": "Development", "color": "blue"}]}}
    assert teams_in_review(board, [{"id": "a", "owner": None}]) == []
    assert teams_in_review({"board": {}}, [{"id": "a"}]) == []


def test_each_step_under_review_says_its_owner() -> None:
    board = {"elements": [{"id": "s1", "kind": "step", "text": "Build", "owner": "t-dev"}]}
    metrics = {
        "steps": [
            {"id": "s1", "text": "Build", "wait_minutes": 60, "process_minutes": 30, "pca": None}
        ]
    }
    assert steps_in_order(board, metrics)[0]["owner"] == "t-dev"
