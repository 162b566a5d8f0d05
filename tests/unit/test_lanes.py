"""Swimlane bands (app/domain/lanes.py), and the golden cases the browser's
port is held to (tests/fixtures/lanes, frontend/tests/lanes.test.js)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.elements import Board, Calendar, Note, Step
from app.domain.lanes import (
    DATA_GAP,
    LANE_LABEL_W,
    LANE_PAD,
    Band,
    bands_for,
    footprint,
    lane_bands,
    lane_order,
)
from app.domain.tidy import ROW_PITCH, tidy
from app.domain.tidy_lanes import LANE_GAP, lane_offsets
from app.export import svg_steps
from app.export.fit import fitted
from tests.fixtures.lanes.generate import FIXTURE, build, render
from tests.support.lanes import TEAMS, owned_board

# At least this many, so an accidentally emptied fixture cannot pass.
MIN_CASES = 10


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def test_the_lane_fixture_file_is_what_the_generator_writes_today(cases: dict[str, Any]) -> None:
    assert len(cases["cases"]) >= MIN_CASES
    assert FIXTURE.read_text(encoding="utf-8") == render(build()), (
        "tests/fixtures/lanes/cases.json is stale: run .venv/bin/python tests/fixtures/lanes/generate.py"
    )


def test_every_fixture_case_has_its_bands_through_the_board(cases: dict[str, Any]) -> None:
    for case in cases["cases"]:
        steps = [
            Step(**{k: (tuple(v) if k == "waste" else v) for k, v in e.items()
                    if k in ("id", "x", "y", "w", "h", "people", "waste")})
            for e in case["elements"]
        ]  # fmt: skip
        owners = {e["id"]: e["owner"] for e in case["elements"]}
        board = owned_board(steps, owners, case["teams"])
        if case.get("measured"):
            calendar = Calendar(**case["calendar"])
            board = dataclasses.replace(board, measured=case["measured"], calendar=calendar)
        got = [dataclasses.asdict(b) for b in lane_bands(board)]
        assert got == case["bands"], case["name"]


def test_three_teams_stack_in_board_order_with_unassigned_last() -> None:
    steps = [Step(id="a", x=0, y=0), Step(id="b", x=312, y=264), Step(id="c", x=624, y=528),
             Step(id="d", x=936, y=792)]  # fmt: skip
    board = owned_board(steps, {"a": "t-qa", "b": "t-dev", "c": "t-ops"}, TEAMS)
    bands = lane_bands(board)
    assert [b.name for b in bands] == ["Development", "QA", "Operations", "Unassigned"]
    assert [b.id for b in bands] == ["t-dev", "t-qa", "t-ops", ""]
    assert lane_order(board) == ["t-dev", "t-qa", "t-ops", ""]
    assert bands[-1].color == "grey"
    # Every band runs the map's whole width, the label column left of every step.
    assert len({(b.x, b.w) for b in bands}) == 1
    assert bands[0].x + LANE_LABEL_W < 0 and bands[0].x + bands[0].w == 936 + 168 + LANE_PAD


def test_a_map_without_owners_has_no_lanes() -> None:
    board = owned_board([Step(id="a"), Step(id="b", x=400)], {}, TEAMS)
    assert lane_bands(board) == [] and lane_order(board) == []


boxes = st.builds(
    Step,
    id=st.uuids().map(str),
    x=st.floats(-5000, 5000),
    y=st.floats(-5000, 5000),
    w=st.floats(40, 400),
    h=st.floats(40, 300),
    people=st.none() | st.integers(1, 9),
    waste=st.lists(st.sampled_from(["waiting", "motion", "defects", "extra-processing"]),
                   max_size=4, unique=True).map(tuple),
)  # fmt: skip


@given(st.lists(st.tuples(boxes, st.sampled_from(["t-dev", "t-qa", None])), min_size=1, max_size=8))
def test_each_band_covers_its_own_steps_and_their_data_boxes(
    owned: list[tuple[Step, str | None]],
) -> None:
    steps = [s for s, _ in owned]
    owners = {s.id: o for s, o in owned if o}
    bands = {b.id: b for b in bands_for(steps, TEAMS, owners)}
    if not owners:
        assert bands == {}
        return
    for step, owner in owned:
        band: Band = bands[owner or ""]
        assert band.x + LANE_LABEL_W < step.x and step.x + step.w < band.x + band.w
        assert band.y < step.y and step.y + footprint(step) < band.bottom


# Step names from a reviewer's quote-to-cash map: long, mixed scripts, emoji.
NAMES = [
    "Log request in CRM with all the partner portal metadata, attachments, customer hierarchy, "
    "region, incoterms and the sales rep who owns the account relationship (if any) — check "
    "duplicates first!!",
    "Redline negotiation with the customer's procurement department, which usually takes several "
    "rounds because their template conflicts with ours on liability caps, IP ownership and "
    "payment terms 😩😩",
    "审批流程（财务、法务、销售总监三方会签，通常需要等待每个人的空闲时间，周末不处理）",
    "Step 35 with 😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😝😜🤪🤨🧐🤓😎🥸🤩🥳",
    "מסירה ללקוח ואישור קבלה בכתב",
    "Discount > 15% → VP",
]


def exported(step: Step) -> Step:
    """The step as the exports draw it (fit.py): its own box, a long name cut short."""
    drawn = fitted(Board(id="b", elements={step.id: step})).elements[step.id]
    assert isinstance(drawn, Step)
    return drawn


def as_exported(step: Step) -> float:
    """How far below its top the exports draw a step: its box, then its figures and chips."""
    return svg_steps.footprint(exported(step))


@pytest.mark.parametrize("name", NAMES)
def test_a_long_name_is_drawn_in_the_box_the_board_gives_its_step(name: str) -> None:
    step = Step(id="s", text=name)
    assert exported(step).h == step.h
    assert as_exported(step) == footprint(step)


def test_a_lane_tidy_keeps_no_room_for_a_long_name_it_cuts_short() -> None:
    # The exports once grew a step for its name, and lanes kept room for that; now a
    # name is cut with "…" in its box everywhere, so it takes no more room than "Sign".
    lanes, owners = ["t-dev", "t-qa"], {"a": "t-dev", "b": "t-qa"}
    long, short = Step(id="a", text=NAMES[1], waste=("waiting",)), Step(id="b", text="Sign")
    named = lane_offsets([long, short], {0: 0, 1: 0}, frozenset(), lanes, owners, ROW_PITCH)
    plain = dataclasses.replace(long, text="Log")
    unnamed = lane_offsets([plain, short], {0: 0, 1: 0}, frozenset(), lanes, owners, ROW_PITCH)
    assert named == unnamed
    # The QA lane starts below the Development lane's band round the step, and a gap.
    assert named[1] - named[0] >= as_exported(long) + 2 * LANE_PAD + LANE_GAP


def test_tidy_starts_the_notes_where_a_short_name_would_let_them() -> None:
    def notes_top(name: str) -> float:
        board = Board(id="b", elements={
            "s": Step(id="s", text=name), "n": Note(id="n", x=0, y=900, text="Why here?"),
        })  # fmt: skip
        [y] = [op.set["y"] for op in tidy(board).ops if op.id == "n"]
        return float(y)

    assert notes_top(NAMES[0]) == notes_top("Log")


# An event log measured both of a's times: two lines under its figures in a 168 px box.
LOG = {"steps": {"a": {"wait": {"n": 42, "median": 1680, "p85": 2900},
                       "process": {"n": 42, "median": 90, "p85": 200}}}}  # fmt: skip


def test_a_band_holds_the_measured_lines_under_its_steps_figures() -> None:
    board = owned_board([Step(id="a"), Step(id="b", x=312)], {"a": "t-dev", "b": "t-dev"}, TEAMS)
    [plain] = lane_bands(board)
    [band] = lane_bands(dataclasses.replace(board, measured=LOG))
    # The figures' box: its padding, three rows, and two measured lines of 17 px.
    drawn = 96 + DATA_GAP + 2 * 6 + (3 + 2) * 17
    assert band.bottom == drawn + LANE_PAD and band.h == plain.h + 34


def test_a_lane_tidy_stacks_the_lanes_clear_of_the_measured_lines() -> None:
    # Narrow steps: each measured line takes two lines, four in all under a's figures, and
    # the Development band is taller than a row of the tidy map.
    a, b = Step(id="a", w=100, text="Build"), Step(id="b", x=312, w=100, text="Test")
    board = dataclasses.replace(
        owned_board([a, b], {"a": "t-dev", "b": "t-qa"}, TEAMS), measured=LOG
    )
    moved = {op.id: op.set for op in tidy(board).ops}
    ya, yb = (moved.get(s.id, {}).get("y", s.y) for s in (a, b))
    drawn_bottom = ya + 96 + DATA_GAP + 2 * 6 + (3 + 4) * 17
    assert drawn_bottom + LANE_PAD + LANE_GAP <= yb - LANE_PAD
