"""Handoffs between teams and the per-team figures, as the metrics report them."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.elements import Board, Connector, Element, Inventory, Step, Team
from app.domain.metrics import Metrics, compute_metrics

TEAMS = (Team("t-dev", "Development", "blue"), Team("t-qa", "QA", "red"), Team("t-ops", "Ops"))
DAY = 480.0


def step(sid: str, x: float, owner: str | None, wait: float = 0.0, **more: Any) -> Step:
    return Step(id=sid, text=sid.title(), x=x, wait_minutes=wait, process_minutes=60.0,
                owner=owner, **more)  # fmt: skip


def flow(a: str, b: str, kind: str = "flow", **more: Any) -> Connector:
    return Connector(id=f"{a}>{b}", source=a, target=b, connector=kind, **more)  # type: ignore[arg-type]


def metrics(*elements: Element, teams: tuple[Team, ...] = TEAMS) -> Metrics:
    return compute_metrics(Board(id="b", teams=teams, elements={e.id: e for e in elements}))


def test_a_chain_counts_each_change_of_team_and_the_wait_in_front_of_the_receiver() -> None:
    m = metrics(
        step("build", 0, "t-dev", DAY),
        step("code", 200, "t-dev", DAY),
        step("review", 400, "t-qa", 8 * DAY),
        step("deploy", 600, "t-ops", 2 * DAY),
        flow("build", "code"), flow("code", "review"), flow("review", "deploy"),
    )  # fmt: skip
    h = m.handoffs
    assert h.count == 2
    assert h.wait_minutes == 10 * DAY
    assert h.edges == (("code", "review"), ("review", "deploy"))
    assert h.share == 10 * DAY / m.lead_time_minutes
    out = m.to_json()["handoffs"]
    assert out["display"] == {"wait": "10d", "share": f"{round(h.share * 100)}%"}
    assert out["edges"] == [["code", "review"], ["review", "deploy"]]


def test_the_constraint_reached_by_a_handoff_says_so() -> None:
    m = metrics(
        step("build", 0, "t-dev", DAY),
        step("review", 200, "t-qa", 8 * DAY),
        flow("build", "review"),
    )
    assert m.constraint is not None
    assert m.constraint.reason == (
        "Review: work waits 8d after Build hands it from Development to QA"
        " for 1h of work — 88% of lead time"
    )


def test_the_constraint_within_one_team_keeps_its_reason() -> None:
    m = metrics(step("build", 0, "t-dev", DAY), step("review", 200, "t-dev", 8 * DAY),
                flow("build", "review"))  # fmt: skip
    assert m.constraint is not None
    assert m.constraint.reason == "Review: work waits 8d for 1h of work — 88% of lead time"


def test_a_side_branch_handoff_is_an_edge_but_not_on_the_path_count() -> None:
    m = metrics(
        step("a", 0, "t-dev", DAY),
        step("b", 200, "t-dev", 5 * DAY),  # the long branch: on the path
        step("side", 200, "t-qa", DAY, y=300),
        step("c", 400, "t-dev", DAY),
        flow("a", "b"), flow("a", "side"), flow("b", "c"), flow("side", "c"),
    )  # fmt: skip
    assert m.path == ("a", "b", "c")
    assert m.handoffs.count == 0 and m.handoffs.wait_minutes == 0.0
    assert set(m.handoffs.edges) == {("a", "side"), ("side", "c")}
    dev, qa = m.teams
    assert dev.steps == ("a", "b", "c") and qa.steps == ("side",)
    assert qa.process_minutes == 0.0 and qa.wait_minutes == 0.0  # nothing of it on the path
    assert qa.rolled_pca == 100.0


def test_a_rework_arrow_is_never_a_handoff() -> None:
    m = metrics(
        step("a", 0, "t-dev", DAY), step("b", 200, "t-qa", DAY),
        flow("a", "b"), flow("b", "a", "rework", rework_rate=0.2),
    )  # fmt: skip
    assert m.handoffs.edges == (("a", "b"),)
    assert m.handoffs.count == 1


def test_inventory_between_two_teams_still_makes_a_handoff() -> None:
    queue = Inventory(id="q", x=100, count=4)
    m = metrics(step("a", 0, "t-dev"), queue, step("b", 200, "t-qa", DAY),
                flow("a", "q"), flow("q", "b"))  # fmt: skip
    assert m.handoffs.edges == (("a", "b"),) and m.handoffs.count == 1


def test_a_step_without_an_owner_hands_nothing_off() -> None:
    m = metrics(
        step("a", 0, "t-dev", DAY), step("b", 200, None, DAY), step("c", 400, "t-qa", DAY),
        flow("a", "b"), flow("b", "c"),
    )  # fmt: skip
    assert m.handoffs.count == 0 and m.handoffs.edges == ()
    assert [t.id for t in m.teams] == ["t-dev", "t-qa"]


def test_an_owner_naming_no_team_of_the_map_counts_as_none() -> None:
    m = metrics(step("a", 0, "t-gone", DAY), step("b", 200, "t-qa", DAY), flow("a", "b"))
    assert m.handoffs.count == 0 and [t.id for t in m.teams] == ["t-qa"]


def test_a_map_with_no_owners_reports_none() -> None:
    out = metrics(step("a", 0, None, DAY), step("b", 200, None, DAY), flow("a", "b")).to_json()
    assert out["handoffs"] == {
        "count": 0, "wait_minutes": 0.0, "share": None, "edges": [],
        "display": {"wait": "0m", "share": "—"},
    }  # fmt: skip
    assert out["teams"] == []


def test_a_map_read_left_to_right_hands_off_between_neighbours() -> None:
    m = metrics(step("a", 0, "t-dev", DAY), step("b", 200, "t-qa", 2 * DAY))
    assert m.ordered_by == "position"
    assert m.handoffs.count == 1 and m.handoffs.edges == (("a", "b"),)
    assert m.handoffs.wait_minutes == 2 * DAY


def test_teams_come_in_the_boards_order_with_their_path_figures() -> None:
    m = metrics(
        step("a", 0, "t-qa", DAY, pca=50.0),
        step("b", 200, "t-dev", 2 * DAY, pca=80.0),
        step("c", 400, "t-qa", 3 * DAY, pca=90.0),
        flow("a", "b"), flow("b", "c"),
    )  # fmt: skip
    rows = m.to_json()["teams"]
    assert [r["id"] for r in rows] == ["t-dev", "t-qa"]  # board order; Ops owns nothing
    qa = rows[1]
    assert qa == {
        "id": "t-qa", "name": "QA", "color": "red", "steps": ["a", "c"],
        "process_minutes": 120.0, "wait_minutes": 4 * DAY, "rolled_pca": 45.0,
    }  # fmt: skip


# ---- properties -------------------------------------------------------------

OWNERS = st.sampled_from([None, "t-dev", "t-qa", "t-ops"])


@st.composite
def owned_maps(draw: st.DrawFn) -> Board:
    n = draw(st.integers(1, 8))
    steps = [
        step(f"s{i}", draw(st.integers(0, 800)), draw(OWNERS),
             draw(st.floats(0, 5 * DAY)), y=float(i))  # fmt: skip
        for i in range(n)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12))
    kinds = st.sampled_from(["flow", "flow", "rework"])
    arrows = {
        f"c{k}": Connector(id=f"c{k}", source=f"s{a}", target=f"s{b}", connector=draw(kinds),
                           rework_rate=0.1)  # fmt: skip
        for k, (a, b) in enumerate(pairs)
        if a != b
    }
    elements: dict[str, Element] = {s.id: s for s in steps} | arrows
    return Board(id="p", teams=TEAMS, elements=elements)


@settings(max_examples=150, deadline=None)
@given(owned_maps())
def test_handoffs_stay_within_the_path_and_the_lead_time(board: Board) -> None:
    m = compute_metrics(board)
    h = m.handoffs
    assert 0 <= h.count <= max(len(m.path) - 1, 0)
    if h.share is not None:
        assert 0.0 <= h.share <= 1.0
    assert h.wait_minutes <= m.lead_time_minutes
    path_pairs = set(zip(m.path, m.path[1:], strict=False))
    assert h.count == len([e for e in h.edges if e in path_pairs])
    owners = {s.id: s.owner for s in board.steps()}
    assert all(owners[a] and owners[b] and owners[a] != owners[b] for a, b in h.edges)
    reworks = {(c.source, c.target) for c in board.connectors() if c.connector == "rework"}
    flows = {(c.source, c.target) for c in board.connectors() if c.connector == "flow"}
    # A rework arrow is never a handoff. (A map with no flow arrow is read left to right,
    # its steps in reading order: a pair there may happen to be a rework arrow's ends.)
    if flows:
        assert not (set(h.edges) & (reworks - flows))
    listed = [sid for t in m.teams for sid in t.steps]
    assert sorted(listed) == sorted(sid for sid, o in owners.items() if o)


@settings(max_examples=100, deadline=None)
@given(owned_maps(), st.sampled_from(["t-dev", "t-qa"]))
def test_a_map_whose_steps_all_have_one_owner_has_no_handoffs(board: Board, team: str) -> None:
    one = Board(
        id="p",
        teams=TEAMS,
        elements={
            k: Step(**{**{f: getattr(v, f) for f in v.__slots__}, "owner": team})
            if isinstance(v, Step) else v
            for k, v in board.elements.items()
        },
    )  # fmt: skip
    m = compute_metrics(one)
    assert m.handoffs.count == 0 and m.handoffs.edges == () and m.handoffs.wait_minutes == 0
    assert len(m.teams) == 1 and m.teams[0].process_minutes <= m.process_time_minutes + 1e-6
