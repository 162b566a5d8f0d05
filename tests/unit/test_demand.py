"""Customer demand: takt time, inventory read as time, and the 2x rule (8-hour days)."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.demand import FLAG_RATIO, disagrees, implied_minutes, takt_minutes
from app.domain.elements import Board, Calendar, Connector, Element, Inventory, Step
from app.domain.metrics import compute_metrics
from app.domain.operations import SetBoard, apply

DAY = 480.0


def _board(wait: float | None, count: int | None, demand: float | None = 4.0) -> Board:
    """Build, then a queue of `count` before Pack, which waits `wait` minutes."""
    elements: list[Element] = [
        Step(id="build", x=0, text="Build", wait_minutes=0, process_minutes=60),
        Inventory(id="q", x=220, count=count),
        Step(id="pack", x=400, text="Pack", wait_minutes=wait, process_minutes=60),
        Connector(id="c1", source="build", target="q"),
        Connector(id="c2", source="q", target="pack"),
    ]
    return Board(id="b", demand_per_day=demand, elements={e.id: e for e in elements})


def test_takt_time_is_the_working_day_over_the_demand() -> None:
    assert takt_minutes(4.0, Calendar()) == 120.0
    assert takt_minutes(0.5, Calendar(hours_per_day=7.5)) == 900.0


def test_a_queue_reads_as_the_working_days_it_takes_to_drain() -> None:
    assert implied_minutes(12, 4.0, Calendar()) == 3 * DAY
    assert implied_minutes(0, 4.0, Calendar()) == 0.0


@pytest.mark.parametrize(
    ("wait", "implied", "flagged"),
    [
        (DAY, 3 * DAY, True),  # waits 1d, queue implies 3d: too short
        (7 * DAY, 3 * DAY, True),  # waits 7d, queue implies 3d: too long
        (2 * DAY, 3 * DAY, False),
        (6 * DAY, 3 * DAY, False),  # exactly 2x is not more than 2x
        (1.5 * DAY, 3 * DAY, False),
        (0.0, DAY, True),  # no wait before a queue of a day
        (0.0, 0.0, False),
    ],
)
def test_the_2x_rule_either_way(wait: float, implied: float, flagged: bool) -> None:
    assert FLAG_RATIO == 2.0
    assert disagrees(wait, implied) is flagged


def test_a_step_waiting_far_less_than_its_queue_implies_is_flagged() -> None:
    out = compute_metrics(_board(wait=DAY, count=12)).to_json()
    assert out["takt_time_minutes"] == 120.0
    assert out["display"]["takt_time"] == "2h"
    assert out["inventory_implied_minutes"] == {"q": 3 * DAY}
    assert out["demand_flags"] == [
        {
            "id": "pack",
            "text": "Pack",
            "wait_minutes": DAY,
            "implied_minutes": 3 * DAY,
            "queue": 12,
            "said": "Pack: waits 1d, its queue of 12 implies 3d at 4 a day",
        }
    ]


def test_a_step_waiting_far_more_than_its_queue_implies_is_flagged() -> None:
    flags = compute_metrics(_board(wait=10 * DAY, count=12)).to_json()["demand_flags"]
    assert [(f["id"], f["wait_minutes"], f["implied_minutes"]) for f in flags] == [
        ("pack", 10 * DAY, 3 * DAY)
    ]


def test_a_wait_within_2x_of_its_queue_is_not_flagged() -> None:
    out = compute_metrics(_board(wait=4 * DAY, count=12)).to_json()
    assert out["demand_flags"] == []
    assert out["takt_time_minutes"] == 120.0


def test_unknown_figures_are_not_argued_with() -> None:
    assert compute_metrics(_board(wait=None, count=12)).to_json()["demand_flags"] == []
    out = compute_metrics(_board(wait=DAY, count=None)).to_json()
    assert out["demand_flags"] == []
    assert out["inventory_implied_minutes"] == {"q": None}


def test_without_a_demand_there_is_nothing() -> None:
    out = compute_metrics(_board(wait=DAY, count=12, demand=None)).to_json()
    assert out["takt_time_minutes"] is None
    assert out["inventory_implied_minutes"] == {}
    assert out["demand_flags"] == []
    assert "takt_time" not in out["display"]


def test_the_board_op_sets_and_clears_the_demand_and_refuses_nonsense() -> None:
    board = dataclasses.replace(_board(wait=DAY, count=12), demand_per_day=None)
    board, _ = apply(board, SetBoard({"demand_per_day": 4}))
    assert board.demand_per_day == 4.0
    for bad in (0, -1, "4", float("inf")):
        same, result = apply(board, SetBoard({"demand_per_day": bad}))
        assert same is board, bad
        assert "demand_per_day" in getattr(result, "reason", "")
    board, _ = apply(board, SetBoard({"demand_per_day": None}))
    assert board.demand_per_day is None
