"""Comparing two versions of a map: what changed, field by field, and how the numbers moved."""

from __future__ import annotations

from typing import Any

from app.domain.diff import compare_metrics, compare_versions, content_changed, diff_boards
from app.domain.elements import Board, Connector, Step, Team
from app.domain.metrics import compute_metrics
from app.domain.serialize import board_to_json
from app.domain.wording import said_frame

DAY = 480


def version(*elements: Any, title: str = "Delivery", hours: float = 8.0) -> dict[str, Any]:
    from app.domain.elements import Calendar

    board = Board(
        id="b1",
        title=title,
        calendar=Calendar(hours_per_day=hours),
        elements={e.id: e for e in elements},
    )
    return {"board": board_to_json(board), "metrics": compute_metrics(board).to_json()}


def test_an_unchanged_board_has_no_changes_and_zero_deltas() -> None:
    a = version(Step(id="s1", text="Build", wait_minutes=DAY, process_minutes=60))
    compared = compare_versions(a, a)
    assert compared["changes"] == {
        "frame": {},
        "frame_said": [],
        "added": [],
        "removed": [],
        "changed": [],
        "moved": [],
        "teams": [],
        "teams_said": [],
    }
    assert compared["metrics"]["lead_time_minutes"] == {
        "a": 540.0,
        "b": 540.0,
        "delta": 0.0,
        "name": "Lead time",
        "shown": {"a": "1.1d", "b": "1.1d", "delta": "no change"},
    }


def test_added_removed_and_changed_elements_are_listed_with_before_and_after() -> None:
    a = version(
        Step(id="s1", text="Build", wait_minutes=DAY, process_minutes=60, pca=80),
        Step(id="s2", x=300, text="Test", wait_minutes=2 * DAY),
    )
    b = version(
        Step(id="s1", text="Build & test", wait_minutes=DAY, process_minutes=90, pca=80),
        Step(id="s3", x=300, text="Release"),
    )
    changes = diff_boards(a["board"], b["board"])
    assert [e["id"] for e in changes["added"]] == ["s3"]
    assert [e["id"] for e in changes["removed"]] == ["s2"]
    assert changes["removed"][0]["text"] == "Test"
    [changed] = changes["changed"]
    assert changed["id"] == "s1" and changed["text"] == "Build & test"
    assert changed["fields"] == {
        "text": {"before": "Build", "after": "Build & test"},
        "process_minutes": {"before": 60.0, "after": 90.0},
    }
    assert changed["moved"] is False


def test_a_move_alone_is_a_move_not_a_change_of_content() -> None:
    a = version(Step(id="s1", x=0, text="Build"), Step(id="s2", x=300, text="Ship"))
    b = version(Step(id="s1", x=40, y=20, text="Build"), Step(id="s2", x=300, text="Ship!"))
    changes = diff_boards(a["board"], b["board"])
    assert changes["moved"] == [{"id": "s1", "kind": "step", "text": "Build"}]
    assert [c["id"] for c in changes["changed"]] == ["s2"]


def test_content_changed_counts_what_the_map_says_not_where_boxes_sit() -> None:
    a = version(Step(id="s1", x=0, text="Build", wait_minutes=DAY))
    assert not content_changed(a["board"], a["board"])
    assert not content_changed(
        a["board"], version(Step(id="s1", x=90, text="Build", wait_minutes=DAY))["board"]
    )
    assert content_changed(
        a["board"], version(Step(id="s1", text="Build", wait_minutes=2 * DAY))["board"]
    )
    assert content_changed(
        a["board"], version(Step(id="s1", text="Build", wait_minutes=DAY), title="Other")["board"]
    )
    assert content_changed(a["board"], version()["board"])


def test_a_content_change_with_a_move_says_it_moved_too() -> None:
    a = version(Step(id="s1", x=0, text="Build"))
    b = version(Step(id="s1", x=90, text="Build it"))
    [changed] = diff_boards(a["board"], b["board"])["changed"]
    assert changed["moved"] is True
    assert set(changed["fields"]) == {"text"}


def test_who_typed_a_figure_is_not_a_change() -> None:
    a = version(
        Step(id="s1", text="Build", provenance=(("pca", "Ada", "2026-01-01T00:00:00Z", "typed"),))
    )
    b = version(
        Step(id="s1", text="Build", provenance=(("pca", "Bob", "2026-01-02T00:00:00Z", "typed"),))
    )
    assert diff_boards(a["board"], b["board"])["changed"] == []


def test_frame_and_calendar_changes_are_reported_but_not_the_session() -> None:
    a = version(title="Old")
    b = version(title="New", hours=7.5)
    b["board"]["board"]["locked"] = True
    b["board"]["board"]["state"] = "published"
    assert diff_boards(a["board"], b["board"])["frame"] == {
        "title": {"before": "Old", "after": "New"},
        "hours_per_day": {"before": 8.0, "after": 7.5},
    }


def test_comments_and_estimates_are_talk_about_the_map_not_the_map() -> None:
    a = version(Step(id="s1", text="Build"))
    b = version(Step(id="s1", text="Build"))
    b["board"]["elements"].append({"id": "c1", "kind": "comment", "target": "s1", "text": "hm"})
    assert diff_boards(a["board"], b["board"])["added"] == []


def test_arrows_are_compared_like_notes() -> None:
    steps = (Step(id="s1", text="A"), Step(id="s2", x=300, text="B"))
    a = version(*steps)
    b = version(*steps, Connector(id="f1", source="s1", target="s2"))
    assert [e["id"] for e in diff_boards(a["board"], b["board"])["added"]] == ["f1"]


def test_metrics_sit_side_by_side_with_rounded_deltas() -> None:
    a = version(
        Step(id="s1", text="A", wait_minutes=3 * DAY, process_minutes=DAY, pca=50),
        Step(id="s2", x=300, text="B", wait_minutes=8 * DAY, process_minutes=DAY),
    )
    b = version(
        Step(id="s1", text="A", wait_minutes=3 * DAY, process_minutes=DAY, pca=80),
        Step(id="s2", x=300, text="B", wait_minutes=2 * DAY, process_minutes=DAY),
    )
    rows = compare_metrics(a["metrics"], b["metrics"])
    lead = rows["lead_time_minutes"]
    assert (lead["a"], lead["b"], lead["delta"]) == (13 * DAY, 7 * DAY, -6 * DAY)
    assert rows["process_time_minutes"]["delta"] == 0.0
    assert rows["work_content_minutes"]["delta"] == 0.0
    pca = rows["rolled_pca"]
    assert (pca["a"], pca["b"], pca["delta"]) == (50.0, 80.0, 30.0)
    # 2/13 -> 2/7: the delta keeps the four decimals the ratio itself has.
    assert rows["activity_ratio"]["delta"] == round(0.2857 - 0.1538, 4)
    assert rows["constraint"]["a"]["id"] == "s2"
    assert rows["constraint"]["b"]["id"] == "s1"


def test_a_figure_missing_on_one_side_has_no_delta() -> None:
    rows = compare_metrics({"lead_time_minutes": 10.0}, {"lead_time_minutes": None})
    lead = rows["lead_time_minutes"]
    assert (lead["a"], lead["b"], lead["delta"]) == (10.0, None, None)
    assert lead["shown"] == {"a": "10m", "b": "—", "delta": "—"}


def test_compare_speaks_the_map_language_not_field_ids() -> None:
    # Issue 17: Version Compare showed "wait_minutes 1920 → 2400".
    a = version(Step(id="s1", text="Test", wait_minutes=4 * DAY, pca=80, people=2))
    b = version(
        Step(id="s1", text="Test", wait_minutes=5 * DAY, wait_text="1w", pca=92.5, people=3)
    )
    [changed] = compare_versions(a, b)["changes"]["changed"]
    assert changed["said"] == ["Wait 4d → 1w", "%C/A 80% → 92.5%", "People 2 → 3"]


def test_compare_reads_durations_on_each_version_calendar_and_names_the_frame() -> None:
    a = version(Step(id="s1", text="Test", process_minutes=450), hours=8)
    b = version(Step(id="s1", text="Test", process_minutes=480), hours=7.5)
    changes = compare_versions(a, b)["changes"]
    assert changes["changed"][0]["said"] == ["Process time 7.5h → 1.1d"]
    assert changes["frame_said"] == ["Working day 8h → 7.5h"]


def test_the_same_minutes_typed_differently_are_no_change() -> None:
    a = version(Step(id="s1", text="Test", wait_minutes=5 * DAY, wait_text="5d"))
    b = version(Step(id="s1", text="Test", wait_minutes=5 * DAY, wait_text="1w"))
    assert compare_versions(a, b)["changes"]["changed"] == []


def test_compared_figures_read_as_the_flow_panel_reads_them() -> None:
    a = version(Step(id="s1", text="Test", wait_minutes=8 * DAY, process_minutes=DAY, pca=80))
    b = version(Step(id="s1", text="Test", wait_minutes=2 * DAY, process_minutes=DAY, pca=80))
    rows = compare_versions(a, b)["metrics"]
    assert rows["lead_time_minutes"]["name"] == "Lead time"
    assert rows["lead_time_minutes"]["shown"] == {"a": "9d", "b": "3d", "delta": "−6d"}
    assert rows["activity_ratio"]["shown"] == {"a": "11.1%", "b": "33.3%", "delta": "+22.2 pts"}
    assert rows["rolled_pca"]["shown"]["delta"] == "no change"


def test_compared_ratios_of_an_empty_version_read_as_a_dash() -> None:
    rows = compare_versions(version(), version())["metrics"]
    assert rows["activity_ratio"]["shown"]["a"] == "—"
    assert rows["rolled_pca"]["shown"]["b"] == "—"


def test_a_new_customer_demand_is_named_among_the_frame_changes() -> None:
    assert said_frame("demand_per_day", None, 4.0) == "Customer demand — → 4 a day"
    assert said_frame("demand_per_day", 4.0, 2.5) == "Customer demand 4 a day → 2.5 a day"


def teamed(teams: list[Team], *owners: str | None) -> dict[str, Any]:
    steps = [
        Step(id=f"s{i}", x=i * 300, text=f"Step {i}", wait_minutes=DAY, process_minutes=60, owner=o)
        for i, o in enumerate(owners)
    ]
    arrows = [
        Connector(id=f"c{i}", source=f"s{i}", target=f"s{i + 1}") for i in range(len(owners) - 1)
    ]
    board = Board(id="b1", teams=tuple(teams), elements={e.id: e for e in [*steps, *arrows]})
    return {"board": board_to_json(board), "metrics": compute_metrics(board).to_json()}


def test_teams_added_removed_renamed_and_recoloured_are_listed_and_said() -> None:
    dev, qa, ops = Team("t-dev", "Dev", "blue"), Team("t-qa", "QA", "green"), Team("t-ops", "Ops")
    a = teamed([dev, qa], "t-dev", "t-qa")
    b = teamed([Team("t-dev", "Development", "red"), ops], "t-dev", "t-ops")
    changes = diff_boards(a["board"], b["board"])
    assert changes["teams_said"] == [
        "Team renamed: Dev → Development",
        "Team colour: Development blue → red",
        "Team added: Ops",
        "Team removed: QA",
    ]
    assert [(t["id"], t["before"] is None, t["after"] is None) for t in changes["teams"]] == [
        ("t-dev", False, False),
        ("t-ops", True, False),
        ("t-qa", False, True),
    ]
    # A step's new owner reads as the teams' names, not their ids.
    [owner_change] = [c for c in changes["changed"] if c["id"] == "s1"]
    assert owner_change["said"] == ["Owner QA → Ops"]
    assert content_changed(a["board"], teamed([dev, qa, ops], "t-dev", "t-qa")["board"])


def test_an_owner_given_or_taken_reads_as_nothing_on_the_other_side() -> None:
    dev = Team("t-dev", "Dev")
    changes = diff_boards(teamed([dev], None)["board"], teamed([dev], "t-dev")["board"])
    assert changes["changed"][0]["said"] == ["Owner — → Dev"]


def test_the_compare_counts_the_handoffs_of_each_version() -> None:
    dev, qa = Team("t-dev", "Dev"), Team("t-qa", "QA")
    a = teamed([dev, qa], "t-dev", "t-qa", "t-dev")
    b = teamed([dev, qa], "t-dev", "t-dev", "t-dev")
    row = compare_versions(a, b)["metrics"]["handoffs"]
    assert (row["a"], row["b"], row["delta"]) == (2, 0, -2)
    assert row["shown"] == {"a": "2", "b": "0", "delta": "−2"}
    older = {
        "board": a["board"],
        "metrics": {k: v for k, v in a["metrics"].items() if k != "handoffs"},
    }
    assert compare_versions(older, b)["metrics"]["handoffs"]["shown"]["delta"] == "—"
