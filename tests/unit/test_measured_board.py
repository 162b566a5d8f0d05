"""A board's measurements: who may set them, how they travel, and what the metrics do with them."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from app.domain.elements import Board, Calendar, Step
from app.domain.event_log import read_log
from app.domain.measured import measure
from app.domain.metrics import compute_metrics
from app.domain.operations import Rejection, SetBoard, apply
from app.domain.replay import replay
from app.domain.serialize import board_from_json, board_to_json
from app.hub.plan import SERVER_ROLE, Plan, Submission
from app.protocol import BoardOp

DAY = 480.0
LOG = (
    "item,step,arrived,started,finished\n"
    "A,Build,2026-11-02T09:00,2026-11-03T09:00,2026-11-03T13:00\n"
    "A,Test,,2026-11-05T09:00,2026-11-05T11:00\n"
    "B,Build,2026-11-02T09:00,2026-11-04T09:00,2026-11-04T13:00\n"
    "B,Test,,2026-11-06T09:00,2026-11-06T11:00\n"
)


def _board() -> Board:
    steps = [
        Step(id="s1", x=0, text="Build", wait_minutes=DAY, process_minutes=60.0),
        Step(id="s2", x=300, text="Test", wait_minutes=None, process_minutes=60.0),
    ]
    return Board(id="b", elements={s.id: s for s in steps})


def _summary() -> dict[str, Any]:
    rows = read_log(LOG.encode())
    source = {"file": "log.csv", "rows": 4, "items": 2, "from": "2026-11-02", "to": "2026-11-06",
              "imported_at": "2026-12-03T19:00:00Z", "by": "Alice"}  # fmt: skip
    return measure(
        rows, {"Build": "s1", "Test": "s2"}, Calendar(), mapped_lead_minutes=0.0, source=source
    )


def test_a_summary_the_server_measured_passes_the_board_fields_check() -> None:
    board, result = apply(_board(), SetBoard({"measured": _summary(), "figures_from": "measured"}))
    assert not isinstance(result, Rejection), result
    assert board.measured == _summary()
    assert board.figures_from == "measured"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"figures_from": "guesses"}, "figures_from must be one of estimates, measured"),
        ({"measured": "lots"}, "measured must be a measured summary or null"),
        ({"measured": {"steps": {}}}, "measured needs source, steps"),
    ],
)
def test_a_malformed_figure_choice_or_summary_is_refused(
    change: dict[str, Any], reason: str
) -> None:
    _, result = apply(_board(), SetBoard(change))
    assert isinstance(result, Rejection)
    assert result.reason.startswith(reason)


def test_a_summary_with_a_negative_or_missing_figure_is_refused() -> None:
    bad = copy.deepcopy(_summary())
    bad["steps"]["s1"]["process"]["quantiles"][3] = -1
    assert isinstance(apply(_board(), SetBoard({"measured": bad}))[1], Rejection)
    bad = copy.deepcopy(_summary())
    bad["steps"]["s1"]["process"]["quantiles"] = [1.0]
    assert isinstance(apply(_board(), SetBoard({"measured": bad}))[1], Rejection)


def _plan_slots(role: str, change: dict[str, Any]) -> list[tuple[str, Any, str | None]]:
    sub = Submission(author=None, role=role, ops=[BoardOp(op="board", set=change)], client=role)
    return Plan.make({}, [sub], _board()).slots[0]


def test_only_the_server_sets_measurements_but_the_facilitator_may_clear_them() -> None:
    (refused,) = _plan_slots("facilitator", {"measured": _summary()})
    assert refused[0] == "forbidden"
    assert "event log" in refused[1]
    assert _plan_slots("facilitator", {"measured": None})[0][0] == "apply"
    assert _plan_slots("facilitator", {"figures_from": "measured"})[0][0] == "apply"
    assert _plan_slots(SERVER_ROLE, {"measured": _summary()})[0][0] == "apply"
    assert _plan_slots("participant", {"figures_from": "measured"})[0][0] == "forbidden"


def test_measurements_survive_the_snapshot_and_the_replay() -> None:
    board, entry = apply(_board(), SetBoard({"measured": _summary(), "figures_from": "measured"}))
    assert not isinstance(entry, Rejection)
    stored = board_to_json(board)
    again = board_from_json(stored["board"], stored["elements"])
    assert (again.measured, again.figures_from) == (board.measured, "measured")
    replayed = replay(_board(), [entry])
    assert (replayed.measured, replayed.figures_from) == (board.measured, "measured")
    old = board_from_json({"id": "b"}, [])  # a snapshot from before measurements
    assert (old.measured, old.figures_from) == (None, "estimates")


def test_metrics_carry_the_measurements_beside_the_estimates() -> None:
    board = apply(_board(), SetBoard({"measured": _summary()}))[0]
    out = compute_metrics(board).to_json()
    assert out["figures_from"] == "estimates"
    assert out["measured"] == _summary()
    build, test = out["steps"]
    # Build: waits 1d and 2d, works 4h each time; Test: waits 1d + 4h and 1d + 4h, 2h.
    assert (build["measured_wait_minutes"], build["measured_process_minutes"], build["measured_n"]) == (
        1.5 * DAY, 240.0, 2,
    )  # fmt: skip
    assert test["measured_wait_minutes"] == DAY + 240.0
    assert build["wait_minutes"] == DAY  # the map's own figures still
    assert out["lead_time_minutes"] == DAY + 60.0 + 60.0
    assert out["display"]["measured_lead_time"] == "3.8d"  # A: 3d 2h, B: 4d 2h


def test_with_figures_from_measured_the_map_uses_the_measured_medians() -> None:
    change = {"measured": _summary(), "figures_from": "measured"}
    out = compute_metrics(apply(_board(), SetBoard(change))[0]).to_json()
    assert out["figures_from"] == "measured"
    build, test = out["steps"]
    assert (build["wait_minutes"], build["process_minutes"]) == (1.5 * DAY, 240.0)
    assert (test["wait_minutes"], test["process_minutes"]) == (DAY + 240.0, 120.0)
    assert out["lead_time_minutes"] == 1.5 * DAY + 240.0 + DAY + 240.0 + 120.0
    # Test's wait is measured, so no longer missing.
    assert [m["lacks"] for m in out["missing"]] == [["pca"], ["pca"]]


def test_figures_from_measured_without_measurements_changes_nothing() -> None:
    before = compute_metrics(_board()).to_json()
    after = compute_metrics(apply(_board(), SetBoard({"figures_from": "measured"}))[0]).to_json()
    assert {**after, "figures_from": "estimates"} == before
    assert before["display"].get("measured_lead_time") is None
    assert "measured_n" not in before["steps"][0]  # without measurements, no measured keys


def test_a_json_export_imports_with_its_measurements_and_their_use() -> None:
    from app.export.json import board_json, plan_import

    change = {"measured": _summary(), "figures_from": "measured"}
    board = apply(_board(), SetBoard(change))[0]
    exported = json.loads(board_json(board, compute_metrics(board)))
    imported = plan_import(exported)
    assert (imported.board.measured, imported.board.figures_from) == (_summary(), "measured")
    assert imported.frame["measured"] == _summary()
    assert compute_metrics(imported.board).to_json() == exported["metrics"]
