"""Metrics patches (app/domain/patch.py): a patch turns the old document into exactly
the new one, never touches its input, refuses what does not fit, and the golden
cases the browser's mirror is held to are what the Python makes today."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.metrics import compute_metrics
from app.domain.operations import Rejection, apply_many
from app.domain.patch import PatchError, apply, diff
from tests.fixtures.patch.generate import FIXTURE, build, render
from tests.unit.test_relevance import board, ops, with_arrow

# At least this many cases, so an emptied fixture cannot pass.
MIN_CASES = 15


def exact(document: Any) -> str:
    """JSON as it goes on the wire: 1, 1.0 and true are three different things."""
    return json.dumps(document, sort_keys=True)


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def test_the_golden_cases_are_what_the_generator_writes_today(cases: dict[str, Any]) -> None:
    assert FIXTURE.read_text(encoding="utf-8") == render(build()), (
        "regenerate: .venv/bin/python tests/fixtures/patch/generate.py"
    )
    assert len(cases["cases"]) >= MIN_CASES


def test_each_golden_patch_turns_before_into_exactly_after(cases: dict[str, Any]) -> None:
    for case in cases["cases"]:
        before_text = exact(case["before"])
        assert exact(apply(case["before"], case["patch"])) == exact(case["after"]), case["what"]
        assert exact(case["before"]) == before_text, f"{case['what']}: the input was changed"


def test_a_patch_is_much_smaller_than_the_metrics_for_the_edits_people_make(
    cases: dict[str, Any],
) -> None:
    renamed = next(c for c in cases["cases"] if c["what"] == "a step renamed")
    assert renamed["patch"] == [["steps", 2, "text", "Build and unit test"]]
    waited = next(c for c in cases["cases"] if c["what"].startswith("a wait changed"))
    assert len(exact(waited["patch"])) * 3 < len(exact(waited["after"]))


def test_unchanged_documents_make_an_empty_patch() -> None:
    metrics = compute_metrics(with_arrow()).to_json()
    assert diff(metrics, copy.deepcopy(metrics)) == []


def test_documents_with_other_top_level_keys_have_no_patch() -> None:
    assert diff({"a": 1}, {"a": 1, "b": 2}) is None
    assert diff({"a": 1, "b": 2}, {"a": 1}) is None


def test_a_value_of_another_json_type_is_set_even_when_python_calls_it_equal() -> None:
    assert diff({"a": 1}, {"a": 1.0}) == [["a", 1.0]]
    assert diff({"a": 1}, {"a": True}) == [["a", True]]
    assert diff({"a": [0]}, {"a": [False]}) == [["a", 0, False]]


def test_applying_copies_what_it_changes_and_shares_what_it_does_not() -> None:
    before = {"steps": [{"w": 1}, {"w": 2}], "other": {"k": [1]}}
    after = apply(before, [["steps", 1, "w", 3]])
    assert before == {"steps": [{"w": 1}, {"w": 2}], "other": {"k": [1]}}
    assert after["steps"] is not before["steps"] and after["steps"][1] is not before["steps"][1]
    assert after["steps"][0] is before["steps"][0]
    assert after["other"] is before["other"]


def test_a_value_set_by_one_change_is_copied_before_a_later_change_goes_into_it() -> None:
    value = {"k": 1}
    patch: list[Any] = [["a", value], ["a", "k", 2]]
    assert apply({"a": None}, patch) == {"a": {"k": 2}}
    assert value == {"k": 1}, "the patch's own value was changed"


def test_bad_patches_are_refused_and_leave_the_document_alone(cases: dict[str, Any]) -> None:
    assert len(cases["bad"]) >= 5
    for case in cases["bad"]:
        document_text = exact(case["document"])
        with pytest.raises(PatchError):
            apply(case["document"], case["patch"])
        assert exact(case["document"]) == document_text, case["what"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-5, 5, allow_nan=False)
    | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=12,
)  # fmt: skip
documents = st.dictionaries(st.sampled_from("abcd"), json_values, min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(documents, st.data())
def test_any_patch_turns_its_before_into_exactly_its_after(
    before: dict[str, Any], data: st.DataObject
) -> None:
    after = {key: data.draw(json_values | st.just(value)) for key, value in before.items()}
    patch = diff(before, after)
    assert patch is not None
    before_text = exact(before)
    assert exact(apply(before, patch)) == exact(after)
    assert exact(before) == before_text
    assert exact(json.loads(json.dumps(patch))) == exact(patch), "a patch is plain JSON"


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.lists(ops, min_size=1, max_size=6))
def test_patches_of_real_metrics_rebuild_them_edit_after_edit(
    arrows: bool, edits: list[Any]
) -> None:
    current = with_arrow() if arrows else board()
    held = compute_metrics(current).to_json()  # what a client holds after its welcome
    for edit in edits:
        current, results = apply_many(current, [edit])
        if isinstance(results[0], Rejection):
            continue
        fresh = compute_metrics(current).to_json()
        patch = diff(held, fresh)
        held = fresh if patch is None else apply(held, patch)
        assert exact(held) == exact(fresh)
