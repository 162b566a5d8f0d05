"""Tidying a map: flow order on one row, branches beneath, queues in the gaps, notes gathered."""

from __future__ import annotations

import random

from app.domain.elements import Board, Connector, Element, Experiment, Inventory, Note, Step
from app.domain.metrics import compute_metrics
from app.domain.operations import Delete, Rejection, Update, apply_many
from app.domain.text_fit import card_height, note_height
from app.domain.tidy import COLUMN_PITCH, ROW_PITCH, tidy
from app.export.svg import board_picture


def board(*elements: Element) -> Board:
    return Board(id="b", elements={e.id: e for e in elements})


def tidied(b: Board) -> Board:
    plan = tidy(b)
    after, results = apply_many(b, list(plan.ops))
    assert not [r for r in results if isinstance(r, Rejection)], results
    return after


def xy(b: Board, element_id: str) -> tuple[float, float]:
    e = b.elements[element_id]
    return (e.x, e.y)  # type: ignore[union-attr]


def chain(*ids: str) -> list[Connector]:
    return [
        Connector(id=f"{a}-{b}", source=a, target=b) for a, b in zip(ids, ids[1:], strict=False)
    ]


def test_a_scattered_chain_lines_up_in_flow_order_from_its_first_step() -> None:
    rng = random.Random(3)
    steps = [Step(id=s, x=rng.uniform(-900, 900), y=rng.uniform(-500, 500)) for s in "abcde"]
    b = tidied(board(*steps, *chain(*"abcde")))
    first = xy(b, "a")
    assert first == (round(steps[0].x), round(steps[0].y))
    assert [xy(b, s) for s in "abcde"] == [
        (first[0] + i * COLUMN_PITCH, first[1]) for i in range(5)
    ]


def test_without_arrows_the_map_reads_left_to_right() -> None:
    b = tidied(
        board(Step(id="r", x=900, y=50), Step(id="l", x=0, y=400), Step(id="m", x=500, y=-80))
    )
    assert xy(b, "m") == (xy(b, "l")[0] + COLUMN_PITCH, xy(b, "l")[1])
    assert xy(b, "r") == (xy(b, "l")[0] + 2 * COLUMN_PITCH, xy(b, "l")[1])


def test_a_parallel_branch_goes_on_the_row_beneath_in_its_column() -> None:
    steps = [
        Step(id="a", x=0, y=0, wait_minutes=10),
        Step(id="slow", x=300, y=500, wait_minutes=500),
        Step(id="fast", x=250, y=-300, wait_minutes=5),
        Step(id="d", x=700, y=0, wait_minutes=10),
    ]
    arrows = [*chain("a", "slow", "d"), *chain("a", "fast", "d")]
    b = tidied(board(*steps, *arrows))
    ax, ay = xy(b, "a")
    assert xy(b, "slow") == (ax + COLUMN_PITCH, ay)  # the critical path stays on the main row
    assert xy(b, "fast") == (ax + COLUMN_PITCH, ay + ROW_PITCH)
    assert xy(b, "d") == (ax + 2 * COLUMN_PITCH, ay)


def test_steps_nobody_connected_wait_on_a_row_of_their_own() -> None:
    b = tidied(
        board(Step(id="a"), Step(id="b", x=400), Step(id="lost", x=200, y=-600), *chain("a", "b"))
    )
    ax, ay = xy(b, "a")
    assert xy(b, "lost") == (ax, ay + ROW_PITCH)


def test_inventory_sits_in_the_gap_before_the_step_it_feeds() -> None:
    steps = [Step(id="a", x=0, y=0), Step(id="b", x=1000, y=300)]
    queue = Inventory(id="q", x=-500, y=900)
    arrows = [
        Connector(id="a-q", source="a", target="q"),
        Connector(id="q-b", source="q", target="b"),
    ]
    b = tidied(board(*steps, queue, *arrows))
    bx, by = xy(b, "b")
    qx, qy = xy(b, "q")
    assert xy(b, "a")[0] + 168 < qx and qx + queue.w < bx  # between the boxes
    assert by < qy < by + 96  # on the row, under the arrow


def test_empty_notes_go_and_the_others_gather_under_the_map() -> None:
    elements = [
        Step(id="a"), Step(id="b", x=400), *chain("a", "b"),
        Note(id="blank", text="  "), Note(id="h", text="Shared test env", variant="hypothesis", x=-900, y=-900),
        Note(id="k", text="Automate deploys", variant="kaizen", x=2000),
    ]  # fmt: skip
    plan = tidy(board(*elements))
    assert plan.removed == 1 and Delete("blank") in plan.ops
    b = tidied(board(*elements))
    assert "blank" not in b.elements
    hx, hy = xy(b, "h")
    kx, ky = xy(b, "k")
    assert hy == ky and hx < kx  # one row, hypotheses first
    assert hy > xy(b, "a")[1] + 96  # under the map


def test_tidying_a_tidy_map_changes_nothing() -> None:
    rng = random.Random(11)
    steps = [Step(id=f"s{i}", x=rng.uniform(0, 2000), y=rng.uniform(0, 800)) for i in range(7)]
    arrows = [*chain("s0", "s1", "s2", "s3"), *chain("s1", "s4", "s3"), *chain("s5", "s6")]
    once = tidied(board(*steps, *arrows, Note(id="n", text="x")))
    assert tidy(once).ops == ()


def test_a_loop_of_flow_arrows_does_not_stop_the_tidy() -> None:
    b = board(Step(id="a"), Step(id="b", x=300), Step(id="c", x=600), *chain("a", "b", "c", "a"))
    plan = tidy(b)
    assert all(isinstance(op, Update) for op in plan.ops)
    assert len({xy(tidied(b), s) for s in "abc"}) == 3


def test_a_kaizen_burst_stays_beside_the_step_it_marks() -> None:
    # The burst overlaps b's top-right corner; tidying moves b into line with a.
    elements = [
        Step(id="a"), Step(id="b", x=700, y=260), *chain("a", "b"),
        Note(id="k", text="Automate deploys", variant="kaizen", x=820, y=200, w=120, h=90),
    ]  # fmt: skip
    before_offset = (820 - 700, 200 - 260)
    b = tidied(board(*elements))
    bx, by = xy(b, "b")
    assert (bx, by) != (700, 260)  # the step did move
    kx, ky = xy(b, "k")
    assert (kx - bx, ky - by) == before_offset


def test_a_burst_far_from_every_step_joins_the_notes_under_the_map() -> None:
    elements = [
        Step(id="a"), Step(id="b", x=400), *chain("a", "b"),
        Note(id="k", text="Automate deploys", variant="kaizen", x=400, y=900),
    ]  # fmt: skip
    b = tidied(board(*elements))
    assert xy(b, "k")[1] > xy(b, "a")[1] + 96
    assert xy(b, "k")[0] == xy(b, "a")[0]  # first in the notes' row, under the map's left edge


def test_a_row_of_notes_is_as_tall_as_its_longest_note_as_drawn() -> None:
    long = "Release approvals wait for the weekly change board; ask whether low-risk changes could be pre-approved. " * 2
    elements = [
        Step(id="a"), Step(id="b", x=400), *chain("a", "b"),
        *[Note(id=f"n{i}", text=long if i == 0 else "short", x=i) for i in range(7)],
    ]  # fmt: skip
    b = tidied(board(*elements))
    first_row, second_row = xy(b, "n0")[1], xy(b, "n6")[1]
    assert second_row - first_row >= note_height(Note(id="x", text=long)) > 120


def test_a_row_with_a_long_experiment_card_is_as_tall_as_the_card_as_drawn() -> None:
    result = "Lead time fell to 16d; the queue before staging halved, and releases moved weekly. " * 2
    card = Experiment(id="e0", text="smaller batches", baseline=11940, target=7000, result=result)
    notes = [Note(id=f"n{i}", text="short", x=i) for i in range(6)]
    b = tidied(board(Step(id="a"), Step(id="b", x=400), *chain("a", "b"), card, *notes))
    rows = sorted({xy(b, e.id)[1] for e in [card, *notes]})
    assert len(rows) == 2
    assert rows[1] - rows[0] >= card_height(card) > 150


def test_the_notes_gathered_under_the_map_stay_clear_of_the_ladders_footnote() -> None:
    # With a rework loop and a step whose long name and waste tags make it tall, the
    # ladder ran lower than the notes' row allowed for, and its footnote ("d = a working
    # day of 8 hours ...") touched the notes in the exports.
    long_name = "Review the request with legal, finance and the account team " * 2
    elements = [
        Step(id="a", text="Intake", wait_minutes=60, process_minutes=30),
        Step(id="b", x=400, text=long_name, wait_minutes=480, process_minutes=60, pca=80,
             people=2, waste=("waiting", "defects", "overprocessing")),
        Step(id="c", x=800, text="Ship", wait_minutes=60, process_minutes=30),
        *chain("a", "b", "c"),
        Connector(id="back", source="c", target="a", connector="rework", rework_rate=0.2),
        Note(id="n", text="Why does legal wait a week?", x=-900, y=-900),
    ]  # fmt: skip
    b = tidied(board(*elements))
    picture = board_picture(b, compute_metrics(b))
    texts = [t for t in picture.root.iter("text") if (t.text or "").startswith("d = a working day")]
    assert texts
    footnote_bottom = max(float(t.get("y", "0")) for t in texts) + 4  # a line's descent
    note = picture.drawn.elements["n"]
    assert note.y >= footnote_bottom + 16, (note.y, footnote_bottom)  # type: ignore[union-attr]
