"""Tidying a map whose steps have owners: each step on its owner's lane, flow left to right."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.elements import Board, Connector, Element, Inventory, Note, Step
from app.domain.lanes import lane_bands
from app.domain.tidy import COLUMN_PITCH, ROW_PITCH, tidy
from tests.support.lanes import TEAMS, owned_board
from tests.unit.test_tidy import chain, tidied, xy


def scattered(ids: str, seed: int = 5) -> list[Step]:
    rng = random.Random(seed)
    return [Step(id=s, x=rng.uniform(-900, 900), y=rng.uniform(-600, 600)) for s in ids]


OWNERS = {"a": "t-dev", "b": "t-dev", "c": "t-qa", "d": "t-ops", "e": "t-qa"}


def test_a_chain_over_three_teams_lands_in_three_lanes_in_flow_order() -> None:
    steps = scattered("abcde")
    b = tidied(owned_board([*steps, *chain(*"abcde")], OWNERS, TEAMS))
    first = xy(b, "a")
    assert first == (round(steps[0].x), round(steps[0].y))  # the map stays where it was
    assert [xy(b, s)[0] for s in "abcde"] == [first[0] + i * COLUMN_PITCH for i in range(5)]
    dev, qa, ops = (xy(b, s)[1] for s in "acd")
    assert xy(b, "b")[1] == dev and xy(b, "e")[1] == qa  # one row per team
    assert dev < qa < ops  # lanes top to bottom in the board's team order
    assert qa - dev == ROW_PITCH and ops - qa == ROW_PITCH


def test_the_lanes_follow_the_boards_team_order_with_unassigned_last() -> None:
    steps = scattered("abcd", seed=9)
    teams = [TEAMS[2], TEAMS[0]]  # Operations above Development
    owners = {"a": "t-dev", "c": "t-ops"}
    b = tidied(owned_board([*steps, *chain(*"abcd")], owners, teams))
    assert xy(b, "c")[1] < xy(b, "a")[1] < xy(b, "b")[1] == xy(b, "d")[1]
    assert [band.name for band in lane_bands(b)] == ["Operations", "Development", "Unassigned"]


def test_parallel_branches_keep_their_columns_and_their_order_inside_a_shared_lane() -> None:
    steps = [
        Step(id="a", x=0, y=0, wait_minutes=10),
        Step(id="slow", x=300, y=500, wait_minutes=500),
        Step(id="fast", x=250, y=-300, wait_minutes=5),
        Step(id="d", x=700, y=0, wait_minutes=10),
    ]
    arrows = [*chain("a", "slow", "d"), *chain("a", "fast", "d")]
    owners = {"a": "t-dev", "slow": "t-qa", "fast": "t-qa", "d": "t-dev"}
    b = tidied(owned_board([*steps, *arrows], owners, TEAMS))
    ax, ay = xy(b, "a")
    assert xy(b, "fast") == (ax + COLUMN_PITCH, ay + ROW_PITCH)  # above, as it stood
    assert xy(b, "slow") == (ax + COLUMN_PITCH, ay + 2 * ROW_PITCH)  # beneath it, same lane
    assert xy(b, "d") == (ax + 2 * COLUMN_PITCH, ay)
    bands = lane_bands(b)
    assert bands[0].bottom <= bands[1].y


def test_queues_notes_and_bursts_keep_their_rules_in_lanes() -> None:
    steps = [Step(id="a", x=0, y=0), Step(id="b", x=1000, y=-300)]
    queue = Inventory(id="q", x=-500, y=900)
    burst = Note(id="k", text="Automate", variant="kaizen", x=1000 + 168 + 10, y=-300)
    note = Note(id="n", text="Shared env", variant="hypothesis", x=-900, y=-900)
    arrows = [
        Connector(id="a-q", source="a", target="q"),
        Connector(id="q-b", source="q", target="b"),
    ]
    elements: list[Element] = [*steps, queue, burst, note, *arrows]
    b = tidied(owned_board(elements, {"a": "t-dev", "b": "t-qa"}, TEAMS))
    (ax, ay), (bx, by), (qx, qy) = xy(b, "a"), xy(b, "b"), xy(b, "q")
    assert by == ay + ROW_PITCH  # QA's lane under Development's
    assert ax + 168 < qx and qx + queue.w < bx and by < qy < by + 96  # the queue in b's lane
    assert xy(b, "k") == (bx + 168 + 10, by)  # the burst beside its step
    assert xy(b, "n")[1] > by + 96  # notes under the map


def test_a_map_without_owners_tidies_exactly_as_before() -> None:
    elements: list[Element] = [*scattered("abcdef", seed=2), *chain(*"abcd"), *chain("b", "e", "d")]
    plain = tidy(Board(id="b", elements={e.id: e for e in elements}))
    assert tidy(owned_board(elements, {}, TEAMS)).ops == plain.ops
    assert tidy(owned_board(elements, {"a": "t-gone"}, TEAMS)).ops == plain.ops


def test_tall_data_boxes_make_their_lane_taller_so_bands_never_touch() -> None:
    waste = ("waiting", "motion", "defects", "extra-processing", "overproduction")
    steps = [Step(id="a", people=4, waste=waste), Step(id="b", x=400), Step(id="c", x=800)]
    b = tidied(
        owned_board([*steps, *chain(*"abc")], {"a": "t-dev", "b": "t-qa", "c": "t-ops"}, TEAMS)
    )
    bands = lane_bands(b)
    assert xy(b, "b")[1] - xy(b, "a")[1] > ROW_PITCH
    assert all(upper.bottom < lower.y for upper, lower in zip(bands, bands[1:], strict=False))


@st.composite
def owned_maps(draw: st.DrawFn) -> Board:
    n = draw(st.integers(1, 7))
    ids = [f"s{i}" for i in range(n)]
    coords = st.floats(-2000, 2000, allow_nan=False).map(round)
    steps = [Step(id=i, x=draw(coords), y=draw(coords)) for i in ids]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=9))
    # Arrows only forward, so the flow has no loops.
    arrows = {f"{ids[a]}>{ids[b]}": Connector(id=f"{ids[a]}>{ids[b]}", source=ids[a], target=ids[b])
              for a, b in pairs if a < b}  # fmt: skip
    owner = st.sampled_from(["t-dev", "t-qa", "t-ops", None])
    owners = {i: draw(owner) for i in ids}
    return owned_board([*steps, *arrows.values()], owners, TEAMS)


@settings(max_examples=60, deadline=None)
@given(owned_maps())
def test_tidying_twice_changes_nothing_and_lanes_never_overlap(b: Board) -> None:
    once = tidied(b)
    assert tidy(once).ops == ()
    bands = lane_bands(once)
    assert all(upper.bottom < lower.y for upper, lower in zip(bands, bands[1:], strict=False))
