"""The map's reading order against the golden cases the page's Tab also reads
(frontend/tests/reading-order.test.js): one rule on both sides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.elements import Step
from app.domain.flow_path import frame_place, off_path, step_place
from app.domain.reading_order import COLUMN_SLACK, reading_order

FIXTURE = Path(__file__).parents[1] / "fixtures" / "reading_order" / "cases.json"
CASES: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_and_the_code_agree_on_the_slack() -> None:
    assert CASES["slack"] == COLUMN_SLACK


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_steps_off_the_flow_are_listed_in_the_order_a_person_reads_the_map(
    case: dict[str, Any],
) -> None:
    # As the validation page lists them (steps as JSON) and the exports do (Step objects).
    frames = [{"kind": "step", **box} for box in case["boxes"]]
    assert [f["id"] for f in off_path(frames, (), frame_place)] == case["order"]
    steps = [Step(id=b["id"], x=b.get("x", 0.0), y=b.get("y", 0.0)) for b in case["boxes"]]
    assert [s.id for s in off_path(steps, (), step_place)] == case["order"]


def test_a_step_on_the_path_is_not_listed_and_does_not_move_the_others() -> None:
    case = CASES["cases"][0]
    frames = [{"kind": "step", **box} for box in case["boxes"]]
    assert [f["id"] for f in off_path(frames, {"b"}, frame_place)] == ["a", "c", "d", "e"]


def test_the_order_does_not_depend_on_the_order_given() -> None:
    boxes = [("a", 100.0, 100.0), ("b", 103.0, 300.0), ("c", 98.0, 500.0), ("d", 400.0, 0.0)]
    for turn in range(len(boxes)):
        given = boxes[turn:] + boxes[:turn]
        order = reading_order(given, lambda b: (b[1], b[2], b[0]))
        assert [b[0] for b in order] == ["a", "b", "c", "d"]
