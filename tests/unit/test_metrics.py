"""Metrics on worked examples, each checked by hand (8-hour days, 5-day weeks)."""

from __future__ import annotations

import dataclasses
import math
import time

import pytest

from app.domain.demo import demo_board
from app.domain.elements import Board, Calendar, Connector, Element, Inventory, Note, Step
from app.domain.metrics import Metrics, Missing, compute_metrics
from app.domain.rework import MAX_ADDED_MINUTES, MAX_COUNTED_RATE
from app.main import metrics_json

DAY, HOUR = 480.0, 60.0

METRIC_KEYS = {
    "lead_time_minutes",
    "expected_lead_time_minutes",
    "process_time_minutes",
    "work_content_minutes",
    "expected_work_content_minutes",
    "activity_ratio",
    "expected_activity_ratio",
    "rolled_pca",
    "path",
    "steps",
    "constraint",
    "missing",
    "ordered_by",
    "cycles",
    "rework",
    "ignored",
    "example",
    "estimated",
    "estimates",
    "takt_time_minutes",
    "inventory_implied_minutes",
    "demand_flags",
    "figures_from",
    "measured",
    "measured_lead_time",
    "handoffs",
    "teams",
    "display",
}


def step(
    sid: str,
    x: float = 0.0,
    wait: float | None = None,
    process: float | None = None,
    pca: float | None = None,
    *,
    y: float = 0.0,
    text: str | None = None,
) -> Step:
    return Step(
        id=sid,
        x=x,
        y=y,
        text=sid.title() if text is None else text,
        wait_minutes=wait,
        process_minutes=process,
        pca=pca,
    )


def flow(source: str, target: str) -> Connector:
    return Connector(id=f"{source}-{target}", source=source, target=target)


def rework(source: str, target: str, rate: float | None) -> Connector:
    return Connector(
        id=f"r-{source}-{target}",
        source=source,
        target=target,
        connector="rework",
        rework_rate=rate,
    )


def board(*elements: Element, calendar: Calendar | None = None) -> Board:
    return Board(id="b", calendar=calendar or Calendar(), elements={e.id: e for e in elements})


def without_connectors(b: Board) -> Board:
    kept = {k: e for k, e in b.elements.items() if not isinstance(e, Connector)}
    return dataclasses.replace(b, elements=kept)


def metrics(*elements: Element) -> Metrics:
    return compute_metrics(board(*elements))


# --- The worked example of DESIGN section 2 -------------------------------------------------

DEMO_PATH = [
    "demo-refine",
    "demo-design",
    "demo-build",
    "demo-review",
    "demo-staging",
    "demo-release",
]
# DESIGN section 2's worked example, word for word: the share is the step's (wait + work).
STAGING_REASON = "Staging test: work waits 8d for 1d of work — 36% of lead time"


@pytest.mark.parametrize("ordered_by", ["connectors", "position"])
def test_demo_board_gives_the_numbers_of_the_design(ordered_by: str) -> None:
    b = demo_board() if ordered_by == "connectors" else without_connectors(demo_board())
    m = compute_metrics(b)
    assert m.ordered_by == ordered_by
    assert list(m.path) == DEMO_PATH
    # 3d+4h, 2d+1d, 1d+3d, 2d+2h, 8d+1d, 3d+1h = 19d of waits + 5d 7h of work = 24.875d.
    assert m.lead_time_minutes == 11_940
    assert m.lead_time_minutes / DAY == 24.875
    assert m.process_time_minutes == 2_820
    assert m.work_content_minutes == 2_820
    assert m.expected_lead_time_minutes == 11_940
    assert m.activity_ratio == pytest.approx(2820 / 11940)
    assert round(m.activity_ratio * 100, 1) == 23.6
    # 0.70 * 0.85 * 0.90 * 0.80 * 0.95 * 1.00 = 0.406980
    assert m.rolled_pca == pytest.approx(40.698)
    assert round(m.rolled_pca, 1) == 40.7
    assert m.constraint is not None
    assert m.constraint.id == "demo-staging"
    assert m.constraint.wait_minutes == 8 * DAY
    assert m.constraint.share == pytest.approx(4320 / 11940)
    assert m.constraint.reason == STAGING_REASON
    assert m.missing == ()
    assert m.cycles == ()


def test_demo_board_json_has_the_contract_names_and_readable_numbers() -> None:
    out = compute_metrics(demo_board()).to_json()
    assert set(out) == METRIC_KEYS
    assert out["activity_ratio"] == 0.2362
    assert out["rolled_pca"] == 40.7
    assert out["path"] == DEMO_PATH
    assert out["constraint"] == {
        "id": "demo-staging",
        "text": "Staging test",
        "wait_minutes": 3840.0,
        "share": 0.3618,
        "reason": STAGING_REASON,
        "tied_with": [],
    }
    assert out["display"] == {
        "lead_time": "24.9d",
        "expected_lead_time": "24.9d",
        "process_time": "5.9d",
        "work_content": "5.9d",
        "activity_ratio": "23.6%",
        "expected_work_content": "5.9d",
        "expected_activity_ratio": "23.6%",
        "rolled_pca": "40.7%",
    }
    first = out["steps"][0]
    assert set(first) == {
        "id",
        "text",
        "wait_minutes",
        "process_minutes",
        "pca",
        "lead_minutes",
        "lead_share",
        "inventory",
        "actual_wait_minutes",
        "actual_process_minutes",
        "measured",
        "basis",
    }  # the flat measured_* keys come only with an event log's measurements (test_measured_board)
    assert first["lead_minutes"] == 1680
    assert first["lead_share"] == 0.1407
    assert sum(s["lead_minutes"] for s in out["steps"]) == out["lead_time_minutes"]


def test_demo_board_is_the_worked_example_laid_out_left_to_right() -> None:
    b = demo_board("abc")
    assert b.id == "abc"
    assert (b.title, b.owner, b.customer) == (
        "Feature delivery",
        "Head of Engineering",
        "Product manager",
    )
    assert b.scope == "From feature request submitted to feature live in production"
    assert (b.trigger, b.delivery) == ("Feature request submitted", "Feature live in production")
    steps = b.steps()
    assert [s.id for s in steps] == DEMO_PATH
    # One row, left to right, each gap wide enough for an inventory triangle and its label.
    assert len({s.y for s in steps}) == 1
    gaps = [b.x - (a.x + a.w) for a, b in zip(steps, steps[1:], strict=False)]
    assert min(gaps) >= 136
    for inv in (e for e in b.elements.values() if isinstance(e, Inventory)):
        left = max(s.x + s.w for s in steps if s.x < inv.x)
        right = min(s.x for s in steps if s.x > inv.x)
        assert left < inv.x and inv.x + inv.w < right, f"{inv.id} sits in a gap"
    assert [(c.id, c.source, c.target) for c in b.connectors()] == [
        (f"demo-c{i}", DEMO_PATH[i - 1], DEMO_PATH[i]) for i in range(1, 6)
    ]
    notes = [e for e in b.elements.values() if isinstance(e, Note)]
    assert [(n.text, n.variant) for n in notes] == [
        ("Test environments are shared and booked up", "hypothesis")
    ]
    staging = b.elements["demo-staging"]
    assert isinstance(staging, Step)
    assert notes[0].x == staging.x and notes[0].y + notes[0].h < staging.y


@pytest.mark.parametrize("arrows", [True, False])
def test_demo_board_queues_the_most_items_before_staging_test(arrows: bool) -> None:
    board = demo_board() if arrows else without_connectors(demo_board())
    m = compute_metrics(board)
    assert m.ordered_by == ("connectors" if arrows else "position")
    inventory = {s.id: s.inventory for s in m.steps}
    assert inventory == {
        "demo-refine": None, "demo-design": 4, "demo-build": None, "demo-review": 5,
        "demo-staging": 12, "demo-release": 3,
    }  # fmt: skip


# --- Order -----------------------------------------------------------------------------------


def test_lead_time_of_a_chain_is_the_plain_sum() -> None:
    m = metrics(step("a", 0, 60, 30), step("b", 200, 120, 45), step("c", 400, 10, 5))
    assert m.lead_time_minutes == 90 + 165 + 15
    assert m.process_time_minutes == 80
    assert m.ordered_by == "position"


def test_a_board_without_flow_connectors_reads_left_to_right() -> None:
    m = metrics(step("c", 400), step("a", 0), step("b", 200))
    assert m.path == ("a", "b", "c")


def test_steps_at_the_same_x_read_top_to_bottom_then_by_id() -> None:
    m = metrics(step("low", 0, y=300), step("high", 0, y=10), step("b", 0, y=10))
    assert m.path == ("b", "high", "low")


def test_flow_connectors_override_left_to_right() -> None:
    m = metrics(
        step("a", 500, 10), step("b", 0, 20), step("c", 250, 30), flow("a", "b"), flow("b", "c")
    )
    assert m.ordered_by == "connectors"
    assert m.path == ("a", "b", "c")


def test_a_step_no_flow_connector_touches_is_left_off_the_path_and_named() -> None:
    m = metrics(
        step("a", 0, 60, 60, 90),
        step("b", 200, 60, 60, 90),
        step("lost", 100, 999, 999, 90),
        flow("a", "b"),
    )
    assert m.path == ("a", "b")
    assert m.lead_time_minutes == 240
    assert m.work_content_minutes == 60 + 60 + 999  # every step's process time
    assert [(x.id, x.lacks) for x in m.missing] == [("lost", ("connection",))]


def test_info_and_rework_connectors_alone_leave_the_board_read_by_position() -> None:
    info = Connector(id="i", source="b", target="a", connector="info")
    m = metrics(step("a", 0, 1), step("b", 200, 2), info, rework("b", "a", 0.1))
    assert m.ordered_by == "position"
    assert m.path == ("a", "b")


def test_notes_are_ignored_and_a_flow_arrow_to_a_note_is_reported() -> None:
    m = metrics(
        step("a", 0, 10),
        step("b", 200, 20),
        Note(id="n", x=100, text="why?"),
        flow("a", "n"),
    )
    assert m.ordered_by == "position"
    assert m.path == ("a", "b")
    assert [i.id for i in m.ignored] == ["a-n"]


# --- Inventory -------------------------------------------------------------------------------


def test_inventory_in_a_flow_chain_is_transparent() -> None:
    queue = Inventory(id="q", x=100, count=7)
    through = metrics(
        step("a", 500, 60, 60), queue, step("b", 0, 120, 60), flow("a", "q"), flow("q", "b")
    )
    direct = metrics(step("a", 500, 60, 60), step("b", 0, 120, 60), flow("a", "b"))
    assert through.path == direct.path == ("a", "b")
    assert through.lead_time_minutes == direct.lead_time_minutes == 300
    assert [s.inventory for s in through.steps] == [None, 7]


def test_inventory_chains_and_splits_are_looked_through() -> None:
    m = metrics(
        step("a", 0, 10),
        Inventory(id="q1", x=100, count=1),
        Inventory(id="q2", x=150, count=2),
        step("b", 300, 20),
        step("c", 300, 5, y=200),
        flow("a", "q1"),
        flow("q1", "q2"),
        flow("q2", "b"),
        flow("q2", "c"),
    )
    assert m.path == ("a", "b")
    assert m.missing[-1].id == "c" and "connection" not in m.missing[-1].lacks
    assert m.steps[1].inventory == 2  # only the queue that flows straight into b


def test_an_inventory_with_no_count_is_unknown_and_listed_as_missing() -> None:
    # Two queues flow into b, one not counted yet: b's queue is unknown, not 3.
    m = metrics(
        step("a", 0, 10, 1, 100),
        Inventory(id="counted", x=100, count=3),
        Inventory(id="blank", x=150, y=80, text="WIP"),
        step("b", 300, 20, 1, 100),
        flow("a", "counted"),
        flow("a", "blank"),
        flow("counted", "b"),
        flow("blank", "b"),
    )
    assert [s.inventory for s in m.steps] == [None, None]
    assert m.missing == (Missing("blank", "WIP", ("count",)),)
    by_position = metrics(step("a", 0, 10), Inventory(id="gap", x=200), step("b", 300, 20))
    assert [s.inventory for s in by_position.steps] == [None, None]
    assert by_position.to_json()["missing"][-1] == {"id": "gap", "text": "", "lacks": ["count"]}


def test_a_loop_of_inventory_does_not_hang() -> None:
    m = metrics(
        step("a", 0, 10),
        Inventory(id="q1", count=1),
        Inventory(id="q2", count=2),
        step("b", 300, 20),
        flow("a", "q1"),
        flow("q1", "q2"),
        flow("q2", "q1"),
        flow("q2", "b"),
    )
    assert m.path == ("a", "b")


def test_on_a_board_read_by_position_inventory_queues_before_the_next_step() -> None:
    m = metrics(
        Inventory(id="first", x=-100, w=72, count=1),
        step("a", 0, 10),
        Inventory(id="between", x=200, w=72, count=5),
        step("b", 300, 20),
        Inventory(id="after", x=900, w=72, count=9),
    )
    assert [s.inventory for s in m.steps] == [1, 5]


def test_on_a_map_read_by_arrows_a_loose_queue_counts_for_the_step_it_stands_before() -> None:
    m = metrics(
        step("a", 0, 10),
        Inventory(id="loose", x=200, w=72, count=5),  # in the gap before b, no arrow
        step("b", 300, 20),
        Inventory(id="joined", x=-400, w=72, count=2),  # far left, but its arrow goes to c
        step("c", 600, 30),
        Inventory(id="after", x=900, w=72, count=9),  # after the last step: nobody's
        step("off", 120, 5, y=400),  # on no arrow: left off the path, takes no queue
        flow("a", "b"),
        flow("b", "joined"),
        flow("joined", "c"),
    )
    assert m.ordered_by == "connectors" and m.path == ("a", "b", "c")
    assert [s.inventory for s in m.steps] == [None, 5, 2]


def test_a_loose_queue_before_a_side_branch_step_is_that_steps_not_the_paths() -> None:
    # a -> b -> d is the path; a -> c -> d runs below it. The triangle stands before c,
    # in c's row: it is c's queue. Credited to b (above it) it would flip the constraint.
    m = metrics(
        step("a", 0, 10, 10),
        step("b", 300, 100, 50),
        step("c", 300, 10, 10, y=200),
        step("d", 600, 100, 60),
        Inventory(id="q", x=200, y=220, w=72, count=9),
        flow("a", "b"),
        flow("a", "c"),
        flow("b", "d"),
        flow("c", "d"),
    )
    assert m.path == ("a", "b", "d")
    assert [s.inventory for s in m.steps] == [None, None, None]
    # b and d wait as long; with no queue before either, d's longer work decides.
    assert m.constraint is not None and m.constraint.id == "d"


def test_on_a_board_read_by_position_a_queue_belongs_to_the_next_step_in_its_row() -> None:
    m = metrics(
        step("a", 0, 10),
        step("b", 300, 20),
        Inventory(id="low", x=100, y=300, w=72, count=4),  # b is nearer, but in another row
        step("c", 400, 30, y=300),
    )
    assert [(s.id, s.inventory) for s in m.steps] == [("a", None), ("b", None), ("c", 4)]


def test_steps_in_a_second_disconnected_chain_are_named_in_missing() -> None:
    m = metrics(
        step("a", 0, 60, 60, 100),
        step("b", 300, 60, 60, 100),
        step("x", 0, 10, 10, 100, y=400),
        step("y", 300, 10, 10, 100, y=400),
        flow("a", "b"),
        flow("x", "y"),  # a chain of its own: the path cannot reach it
    )
    assert m.path == ("a", "b")
    assert m.missing == (Missing("x", "X", ("connection",)), Missing("y", "Y", ("connection",)))


# --- Parallel branches -----------------------------------------------------------------------


def test_parallel_branches_take_the_longest_route_as_the_lead_time() -> None:
    # a (2h) -> b (10h) -> d (1h) and a -> c (1.5h) -> d: the critical path is a, b, d.
    m = metrics(
        step("a", 0, 60, 60, 90),
        step("b", 200, 480, 120, 50, y=-100),
        step("c", 200, 60, 30, 10, y=100),
        step("d", 400, 0, 60, 100),
        flow("a", "b"),
        flow("a", "c"),
        flow("b", "d"),
        flow("c", "d"),
    )
    assert m.path == ("a", "b", "d")
    assert m.lead_time_minutes == 120 + 600 + 60
    assert m.process_time_minutes == 60 + 120 + 60
    assert m.work_content_minutes == 60 + 120 + 30 + 60
    assert m.rolled_pca == pytest.approx(0.9 * 0.5 * 1.0 * 100)
    assert m.activity_ratio == pytest.approx(240 / 780)
    assert m.missing == ()


def test_the_critical_path_is_the_longest_in_time_not_in_steps() -> None:
    # a -> b1 -> b2 -> b3 -> z takes 3h in between; a -> c -> z takes 1d.
    m = metrics(
        step("a", 0, 0, 60),
        step("b1", 100, 30, 30, y=-100),
        step("b2", 200, 30, 30, y=-100),
        step("b3", 300, 30, 30, y=-100),
        step("c", 200, 400, 80, y=100),
        step("z", 400, 0, 60),
        flow("a", "b1"),
        flow("b1", "b2"),
        flow("b2", "b3"),
        flow("b3", "z"),
        flow("a", "c"),
        flow("c", "z"),
    )
    assert m.path == ("a", "c", "z")
    assert m.lead_time_minutes == 60 + 480 + 60


def test_equal_branches_tie_on_the_one_with_more_steps_then_reading_order() -> None:
    m = metrics(
        step("a", 0, 0, 60),
        step("upper", 200, 30, 30, y=-100),
        step("lower", 200, 30, 30, y=100),
        step("z", 400, 0, 60),
        flow("a", "lower"),
        flow("a", "upper"),
        flow("upper", "z"),
        flow("lower", "z"),
    )
    assert m.path == ("a", "upper", "z")


def test_separate_flows_report_the_longer_one() -> None:
    m = metrics(
        step("a", 0, 10),
        step("b", 100, 10),
        step("c", 0, 100, y=300),
        step("d", 100, 100, y=300),
        flow("a", "b"),
        flow("c", "d"),
    )
    assert m.path == ("c", "d")
    assert m.lead_time_minutes == 200


# --- Rework ----------------------------------------------------------------------------------


def rework_chain(*extra: Element) -> Metrics:
    return metrics(
        step("a", 0, 60, 60),
        step("b", 200, 240, 120),
        step("c", 400, 480, 60),
        step("d", 600, 0, 30),
        flow("a", "b"),
        flow("b", "c"),
        flow("c", "d"),
        *extra,
    )


def test_rework_adds_the_expected_extra_trips_round_the_loop() -> None:
    # LT(b..c) = 360 + 540 = 900; a quarter go round again: 900 * 0.25 / 0.75 = 300.
    m = rework_chain(rework("c", "b", 0.25))
    assert m.lead_time_minutes == 1050
    assert m.expected_lead_time_minutes == pytest.approx(1350)
    assert [(r.source, r.target, r.rate) for r in m.rework] == [("c", "b", 0.25)]
    assert m.rework[0].added_minutes == pytest.approx(300)
    assert m.to_json()["display"]["expected_lead_time"] == "2.8d"


def test_a_step_that_redoes_itself_is_a_rework_loop_of_one_step() -> None:
    m = rework_chain(rework("b", "b", 0.5))
    assert m.expected_lead_time_minutes == pytest.approx(1050 + 360)


def test_nested_rework_loops_compound() -> None:
    # b..c adds 300 (above). Each trip round a..d repeats b..c's expected 900 + 300, so
    # a..d takes 1050 + 300 = 1350 a trip, and half go round again: 1350 more.
    m = rework_chain(rework("c", "b", 0.25), rework("d", "a", 0.5))
    assert [r.added_minutes for r in m.rework] == pytest.approx([300, 1350])  # by id
    assert m.expected_lead_time_minutes == pytest.approx(1050 + 300 + 1350)
    # The process time goes round too: b..c's 180 * 1/3 = 60; a..d's (270 + 60) * 1 = 330.
    assert m.expected_work_content_minutes == pytest.approx(270 + 60 + 330)
    assert m.expected_activity_ratio == pytest.approx((270 + 60 + 330) / 2700)
    out = m.to_json()
    assert (out["expected_work_content_minutes"], out["expected_activity_ratio"]) == (660, 0.2444)
    assert out["display"]["expected_activity_ratio"] == "24.4%"


def test_rework_loops_that_only_overlap_add_up() -> None:
    # b..c and c..d share c, but neither goes round the other: 300 + (540 + 30) * 1.
    m = rework_chain(rework("c", "b", 0.25), rework("d", "c", 0.5))
    assert m.expected_lead_time_minutes == pytest.approx(1050 + 300 + 570)


def test_two_loops_round_the_same_steps_compound() -> None:
    # 1 / ((1 - 0.5)(1 - 0.5)) = 4 trips round b..c's 900: 2,700 more.
    m = rework_chain(
        rework("c", "b", 0.5),
        Connector(id="again", source="c", target="b", connector="rework", rework_rate=0.5),
    )
    assert m.expected_lead_time_minutes == pytest.approx(1050 + 2700)


def test_rework_from_a_side_branch_back_to_the_path_counts() -> None:
    m = metrics(
        step("a", 0, 60, 60),
        step("b", 300, 600, 60),
        step("side", 300, 30, 30, y=300),
        step("d", 600, 0, 30),
        flow("a", "b"),
        flow("a", "side"),
        flow("b", "d"),
        flow("side", "d"),
        rework("side", "a", 0.5),  # a..side is 120 + 60: half go round once more
    )
    assert m.path == ("a", "b", "d") and m.ignored == ()
    assert m.expected_lead_time_minutes == pytest.approx(m.lead_time_minutes + 180)
    assert m.expected_work_content_minutes == pytest.approx(180 + 90)


def test_rework_between_branches_that_do_not_follow_one_another_is_ignored() -> None:
    m = metrics(
        step("a", 0, 60, 60),
        step("b", 300, 600, 60),
        step("side", 300, 30, 30, y=300),
        flow("a", "b"),
        flow("a", "side"),
        rework("side", "b", 0.5),
    )
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert m.ignored[0].reason == (
        "rework from Side back to B joins branches that do not follow one another"
    )


def test_rework_without_a_rate_adds_nothing_and_says_so() -> None:
    m = rework_chain(rework("c", "b", None))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert m.rework == ()
    assert [(i.id, i.reason) for i in m.ignored] == [
        ("r-c-b", "rework from C back to B has no rework rate yet, so it adds nothing")
    ]


def test_rework_that_points_forward_is_ignored_and_says_why() -> None:
    m = rework_chain(rework("a", "c", 0.3))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert "points forward" in m.ignored[0].reason


def test_rework_off_the_path_is_ignored() -> None:
    m = rework_chain(step("lost", 900, 10), rework("lost", "a", 0.3))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert (
        m.ignored[0].reason
        == "rework from Lost back to A is not on the flow of the path, so it adds nothing"
    )


def test_rework_that_does_not_join_two_steps_is_ignored() -> None:
    m = rework_chain(Note(id="n"), rework("n", "a", 0.3))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert m.ignored[0].reason == "a rework arrow counts only from one step back to another"


def test_a_rework_rate_of_one_or_more_is_refused_not_divided_by_zero() -> None:
    m = rework_chain(rework("c", "b", 1.0))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert "rework rate from 0 up to" in m.ignored[0].reason


def test_rework_with_a_rate_of_zero_counts_and_adds_nothing() -> None:
    m = rework_chain(rework("c", "b", 0.0))
    assert m.expected_lead_time_minutes == m.lead_time_minutes
    assert len(m.rework) == 1


def test_rework_on_a_board_read_by_position_follows_reading_order() -> None:
    m = metrics(step("a", 0, 60), step("b", 200, 60), rework("b", "a", 0.5))
    assert m.ordered_by == "position"
    assert m.expected_lead_time_minutes == pytest.approx(240)


# --- Cycles ----------------------------------------------------------------------------------


def test_a_loop_of_flow_arrows_is_cut_where_it_closes_and_reported() -> None:
    m = metrics(
        step("a", 0, 60),
        step("b", 200, 60),
        step("c", 400, 60),
        flow("a", "b"),
        flow("b", "c"),
        flow("c", "a"),
    )
    assert m.cycles == (("a", "b", "c"),)
    assert m.path == ("a", "b", "c")
    assert m.lead_time_minutes == 180


def test_a_loop_after_the_start_keeps_the_start() -> None:
    m = metrics(
        step("start", 0, 10),
        step("a", 200, 20),
        step("b", 400, 30),
        step("end", 600, 40),
        flow("start", "a"),
        flow("a", "b"),
        flow("b", "a"),
        flow("b", "end"),
    )
    assert m.cycles == (("a", "b"),)
    assert m.path == ("start", "a", "b", "end")
    assert m.lead_time_minutes == 100


def test_an_arrow_from_a_step_to_itself_is_a_loop_of_one() -> None:
    m = metrics(step("a", 0, 10), step("b", 200, 20), flow("a", "a"), flow("a", "b"))
    assert m.cycles == (("a",),)
    assert m.path == ("a", "b")


def test_a_board_that_is_all_loop_still_has_a_path() -> None:
    m = metrics(step("a", 300, 10), step("b", 0, 20), flow("a", "b"), flow("b", "a"))
    assert len(m.cycles) == 1
    assert m.path == ("b", "a")  # cut where the loop closes, starting in reading order
    assert m.lead_time_minutes == 30


def test_a_loop_of_thousands_of_steps_does_not_exhaust_the_stack() -> None:
    n = 5000
    elements: list[Element] = [step(f"s{i}", i * 10, 1) for i in range(n)]
    elements += [flow(f"s{i}", f"s{(i + 1) % n}") for i in range(n)]
    m = metrics(*elements)
    assert len(m.path) == n
    assert m.lead_time_minutes == n
    assert len(m.cycles) == 1 and len(m.cycles[0]) == n


# --- Missing data ----------------------------------------------------------------------------


def test_missing_figures_count_as_zero_or_full_and_are_listed() -> None:
    m = metrics(
        step("a", 0, None, 60, 50),
        step("b", 200, 120, None, None),
        step("c", 400, 30, 30, 80),
    )
    assert m.lead_time_minutes == 60 + 120 + 60
    assert m.process_time_minutes == 90
    assert m.rolled_pca == pytest.approx(0.5 * 1.0 * 0.8 * 100)
    assert [(x.id, x.text, x.lacks) for x in m.missing] == [
        ("a", "A", ("wait_minutes",)),
        ("b", "B", ("process_minutes", "pca")),
    ]
    assert [(s.wait_minutes, s.process_minutes, s.pca) for s in m.steps][:2] == [
        (None, 60, 50),
        (120, None, None),
    ]
    assert m.to_json()["missing"][1] == {
        "id": "b",
        "text": "B",
        "lacks": ["process_minutes", "pca"],
    }


def test_missing_lists_the_path_first_then_the_rest_in_reading_order() -> None:
    m = metrics(
        step("z", 0),
        step("y", 100),
        step("late", 900),
        step("early", -900),
        flow("z", "y"),
    )
    assert [x.id for x in m.missing] == ["z", "y", "early", "late"]
    assert m.missing[-1].lacks == ("wait_minutes", "process_minutes", "pca", "connection")


def test_impossible_figures_read_as_missing_rather_than_break_the_sums() -> None:
    m = metrics(
        step("a", 0, float("nan"), -5, 250),
        step("b", 200, 60, float("inf"), 50),
        step("c", 400, 1e308, 30, 50),
    )
    assert m.lead_time_minutes == 90
    assert [x.lacks for x in m.missing] == [
        ("wait_minutes", "process_minutes", "pca"),
        ("process_minutes",),
        ("wait_minutes",),
    ]
    assert m.to_json()["display"]["lead_time"] == "1.5h"


def test_an_empty_board_has_zero_metrics_and_no_constraint() -> None:
    m = compute_metrics(Board(id="empty"))
    assert (m.lead_time_minutes, m.process_time_minutes, m.activity_ratio) == (0, 0, None)
    assert m.expected_lead_time_minutes == 0
    assert m.rolled_pca == 100.0  # nothing on the path spoils any work
    assert (m.path, m.steps, m.constraint, m.missing, m.cycles) == ((), (), None, (), ())
    assert m.to_json()["display"]["lead_time"] == "—"  # no lead time to show


def test_a_single_step_is_the_whole_lead_time_and_its_own_constraint() -> None:
    m = metrics(step("only", 0, 2 * DAY, 2 * HOUR, 90, text="Only step"))
    assert m.lead_time_minutes == 1080
    assert m.steps[0].lead_share == 1.0
    assert m.constraint is not None
    assert m.constraint.reason == "Only step: work waits 2d for 2h of work — 100% of lead time"


def test_steps_with_no_times_have_no_activity_ratio_rather_than_zero() -> None:
    m = metrics(step("a", 0), step("b", 200))
    assert (m.lead_time_minutes, m.activity_ratio, m.constraint) == (0, None, None)
    out = m.to_json()
    assert (out["activity_ratio"], out["display"]["activity_ratio"]) == (None, "—")
    assert [s.lead_share for s in m.steps] == [0.0, 0.0]


# --- Constraint ------------------------------------------------------------------------------


def test_the_constraint_is_the_longest_wait_not_the_longest_step() -> None:
    m = metrics(step("a", 0, 60, 5000), step("b", 200, 120, 10))
    assert m.constraint is not None and m.constraint.id == "b"


def test_no_wait_anywhere_means_no_constraint() -> None:
    m = metrics(step("a", 0, 0, 60), step("b", 200, None, 60))
    assert m.constraint is None
    assert m.to_json()["constraint"] is None


def test_equal_waits_go_to_the_larger_inventory_before_the_step() -> None:
    m = metrics(
        step("a", 0, 60, 10),
        Inventory(id="qa", count=3),
        step("b", 200, 60, 10),
        Inventory(id="qb", count=8),
        step("c", 400, 60, 10),
        flow("qa", "a"),
        flow("a", "qb"),
        flow("qb", "b"),
        flow("b", "c"),
    )
    assert m.constraint is not None and m.constraint.id == "b"


def test_equal_waits_by_position_go_to_the_larger_inventory_between_the_steps() -> None:
    m = metrics(
        step("a", 0, 60, 10),
        step("b", 200, 60, 10),
        Inventory(id="q", x=320, w=72, count=4),
        step("c", 400, 60, 10),
    )
    assert m.constraint is not None and m.constraint.id == "c"


def test_equal_waits_and_inventory_go_to_the_larger_process_time() -> None:
    m = metrics(step("a", 0, 60, 10), step("b", 200, 60, 30), step("c", 400, 60, 20))
    assert m.constraint is not None and m.constraint.id == "b"


def test_a_full_tie_goes_to_the_earlier_step_on_the_path() -> None:
    m = metrics(step("a", 0, 60, 10), step("b", 200, 60, 10))
    assert m.constraint is not None and m.constraint.id == "a"


def test_a_tie_on_the_wait_is_named_with_what_broke_it() -> None:
    # a and b wait alike; b takes longer to do, so it is the constraint, tied with a.
    m = metrics(step("a", 0, 60, 10, text="Pick"), step("b", 200, 60, 30, text="Pack"))
    assert m.constraint is not None and m.constraint.tied_with == (("a", "Pick"),)
    assert m.constraint.reason.endswith(". Tied on the wait with Pick: this one takes longer to do")
    body = m.to_json()["constraint"]
    assert body["tied_with"] == [{"id": "a", "text": "Pick"}]


def test_a_full_tie_names_every_step_it_ties_with() -> None:
    m = metrics(step("a", 0, 60, 10), step("b", 200, 60, 10), step("c", 400, 60, 10))
    assert m.constraint is not None and m.constraint.id == "a"
    assert [id_ for id_, _ in m.constraint.tied_with] == ["b", "c"]
    assert m.constraint.reason.endswith(": this one comes first in the flow")


def test_equal_waits_broken_by_inventory_say_so() -> None:
    m = metrics(step("a", 0, 60, 10), step("b", 200, 60, 10),
                Inventory(id="q", x=320, w=72, count=4), step("c", 400, 60, 10))  # fmt: skip
    assert m.constraint is not None and m.constraint.id == "c"
    assert m.constraint.reason.endswith(": more items wait before this one")


def test_no_tie_no_tie_words() -> None:
    m = metrics(step("a", 0, 60, 10), step("b", 200, 90, 10))
    assert m.constraint is not None and m.constraint.tied_with == ()
    assert "Tied" not in m.constraint.reason


def test_the_constraint_reason_rounds_half_up_and_uses_one_line() -> None:
    # b's 40 + 60 minutes are 100 of 800: exactly 12.5 %.
    m = metrics(step("a", 0, 5, 695), step("b", 200, 40, 60, text="Two\nlines"))
    assert m.constraint is not None
    assert m.constraint.reason == "Two lines: work waits 40m for 1h of work — 13% of lead time"
    assert m.constraint.text == "Two\nlines"


def test_the_constraint_reason_says_when_the_process_time_is_unknown() -> None:
    m = metrics(step("a", 0, DAY, None, text="Approve"))
    assert m.constraint is not None
    assert m.constraint.reason == (
        "Approve: work waits 1d; its process time is not set yet — 100% of lead time"
    )


def test_the_constraint_reason_names_a_step_without_text_by_its_id() -> None:
    m = metrics(step("s-17", 0, 60, 60, text=""))
    assert m.constraint is not None and m.constraint.reason.startswith("s-17: ")


def test_the_constraint_reason_uses_the_board_calendar() -> None:
    b = board(step("a", 0, 450, 45), calendar=Calendar(hours_per_day=7.5))
    m = compute_metrics(b)
    assert m.constraint is not None
    assert m.constraint.reason.startswith("A: work waits 1d for 45m of work")


# --- Size ------------------------------------------------------------------------------------


def test_a_thousand_steps_with_branches_recompute_in_milliseconds() -> None:
    # A generous bound (about 15x what bench/bench_metrics.py measures): it catches
    # an accidental O(n^2), not a slow machine.
    elements: list[Element] = []
    for i in range(1000):
        elements.append(step(f"s{i}", i * 100.0, float(i % 7), 1.0, 99.0, y=100.0 * (i % 2)))
        if i >= 2:
            elements.append(flow(f"s{i - 2}", f"s{i}"))
        if i % 2:
            elements.append(flow(f"s{i - 1}", f"s{i}"))
    b = board(*elements)
    best = min(_seconds(b) for _ in range(3))
    assert best < 0.05


def _seconds(b: Board) -> float:
    start = time.perf_counter()
    compute_metrics(b).to_json()
    return time.perf_counter() - start


def test_an_empty_board_shows_no_activity_ratio_or_rolled_pca_rather_than_made_up_ones() -> None:
    # Issue 17: an empty board read "activity ratio 0.0%" and "rolled %C/A 100.0%".
    shown = compute_metrics(Board(id="b")).display()
    assert shown["activity_ratio"] == "—"
    assert shown["rolled_pca"] == "—"
    assert shown["lead_time"] == "—"


def test_steps_without_times_have_no_lead_time_so_no_ratio_either() -> None:
    board = Board(id="b", elements={"s1": Step(id="s1", text="Build", pca=80)})
    shown = compute_metrics(board).display()
    # Rolled %C/A needs no times, only a %C/A (test_metrics_grounded.py).
    assert (shown["lead_time"], shown["activity_ratio"], shown["rolled_pca"]) == ("—", "—", "80.0%")


def test_the_constraint_reason_quotes_the_wait_as_it_was_typed() -> None:
    typed = Step(id="s1", text="Test", wait_minutes=2400, wait_text="1w", process_minutes=240)
    reason = compute_metrics(Board(id="b", elements={"s1": typed})).constraint
    assert reason is not None and reason.reason.startswith(
        "Test: work waits 1w for 4h of work"
    )


def nested_loops(rate: float, loops: int) -> Board:
    """Steps a0..a{loops} in a row, each later step sent back to the first at `rate`."""
    ten_years = 5_256_000.0
    els: list[Element] = [
        Step(id=f"a{i}", x=300.0 * i, text=f"A{i}", wait_minutes=ten_years, process_minutes=ten_years)
        for i in range(loops + 1)
    ]
    els += [Connector(id=f"f{i}", source=f"a{i - 1}", target=f"a{i}") for i in range(1, loops + 1)]
    els += [
        Connector(id=f"r{i}", source=f"a{i}", target="a0", connector="rework", rework_rate=rate)
        for i in range(1, loops + 1)
    ]
    return Board(id="loops", elements={e.id: e for e in els})


@pytest.mark.parametrize("loops", [2, 12])
def test_nested_rework_loops_near_certain_keep_every_figure_finite_and_showable(loops: int) -> None:
    # Two loops at 0.9999999999999999 (the fields allow any rate below 1) compounded to a
    # lead time of ~1e38 minutes, which no figure could show: the metrics threw.
    board = nested_loops(0.9999999999999999, loops)
    metrics = compute_metrics(board)
    document = metrics_json(board)  # what the server sends, every figure formatted
    expected = metrics.expected_lead_time_minutes
    assert expected is not None and math.isfinite(expected)
    assert expected <= metrics.lead_time_minutes + loops * MAX_ADDED_MINUTES
    for rework in metrics.rework:
        assert rework.rate <= MAX_COUNTED_RATE
    assert document["expected_lead_time_minutes"] == pytest.approx(expected)


def test_a_loop_nearer_1_than_counted_adds_what_the_counted_rate_adds() -> None:
    at_most = compute_metrics(nested_loops(MAX_COUNTED_RATE, 1)).expected_lead_time_minutes
    nearer = compute_metrics(nested_loops(0.9999999, 1)).expected_lead_time_minutes
    assert at_most == nearer


def test_a_queue_with_an_uncounted_triangle_still_counts_the_items_known_in_a_tie() -> None:
    # b's queue holds 50 items and a triangle nobody has counted yet: at least 50, never 0.
    m = metrics(step("a", 0, 100, 50), Inventory(id="q1", x=300, w=72, count=50),
                Inventory(id="q2", x=420, w=72), step("b", 600, 100, 10))  # fmt: skip
    assert m.constraint is not None and m.constraint.id == "b"
    assert m.constraint.reason.endswith(": more items wait before this one")
    assert m.to_json()["steps"][1]["inventory"] is None  # still unknown, as it was
