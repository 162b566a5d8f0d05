"""What-if on one step: each change kind on hand-checked figures (8-hour days)."""

from __future__ import annotations

import pytest

from app.domain.demo import demo_board
from app.domain.elements import Board, Connector, Element, Estimate, Step
from app.domain.metrics import compute_metrics
from app.domain.what_if import UnknownChange, UnknownStep, what_if

DAY, HOUR = 480.0, 60.0


def chain(*steps: Step, extra: tuple[Element, ...] = ()) -> Board:
    """Steps left to right joined by flow arrows, plus any extra elements."""
    elements: dict[str, Element] = {s.id: s for s in steps}
    for a, b in zip(steps, steps[1:], strict=False):
        elements[f"{a.id}-{b.id}"] = Connector(id=f"{a.id}-{b.id}", source=a.id, target=b.id)
    elements |= {e.id: e for e in extra}
    return Board(id="w", elements=elements)


def review_and_staging() -> Board:
    """Code review waits 3d, Staging test 4d: the constraint is Staging test."""
    return chain(
        Step(id="a", x=0, text="Build", wait_minutes=DAY, process_minutes=2 * DAY),
        Step(id="r", x=200, text="Code review", wait_minutes=3 * DAY, process_minutes=HOUR),
        Step(
            id="s",
            x=400,
            text="Staging test",
            wait_minutes=4 * DAY,
            wait_text="4d",
            process_minutes=DAY,
        ),
    )


def test_cutting_the_constraints_wait_names_the_next_constraint() -> None:
    w = what_if(review_and_staging(), "s", "cut-wait")
    assert w.before.constraint is not None and w.before.constraint.id == "s"
    assert w.after.lead_time_minutes == w.before.lead_time_minutes - 2 * DAY
    assert w.after.constraint is not None and w.after.constraint.id == "r"
    body = w.to_json()
    assert body["constraint_after"] == {"id": "r", "text": "Code review"}
    assert body["display"]["constraint_after"] == "then Code review becomes the constraint"
    assert body["deltas"]["lead_time_minutes"] == -2 * DAY
    assert body["display"]["deltas"]["lead_time_minutes"] == "−2d"
    assert body["display"]["after"]["lead_time"] == "9.1d"


def test_a_constraint_that_stays_is_said_to_stay() -> None:
    w = what_if(review_and_staging(), "a", "cut-wait")
    assert w.to_json()["display"]["constraint_after"] == "Staging test stays the constraint"
    assert w.after.constraint is not None and w.after.constraint.id == "s"


def test_the_map_itself_is_untouched() -> None:
    board = review_and_staging()
    before = compute_metrics(board).to_json()
    what_if(board, "s", "cut-wait")
    what_if(board, "s", "add-person")
    assert board.elements["s"] == review_and_staging().elements["s"]
    assert compute_metrics(board).to_json() == before


def test_adding_a_person_divides_the_process_time_and_keeps_the_wait() -> None:
    board = chain(Step(id="a", text="Test", wait_minutes=DAY, process_minutes=3 * DAY, people=2))
    w = what_if(board, "a", "add-person")
    assert w.after.process_time_minutes == 2 * DAY  # 3d x 2 / 3
    assert w.after.steps[0].wait_minutes == DAY
    assert w.deltas()["process_time_minutes"] == -DAY


def test_adding_a_person_to_a_step_without_people_counts_it_as_one() -> None:
    board = chain(Step(id="a", wait_minutes=DAY, process_minutes=2 * DAY))
    assert what_if(board, "a", "add-person").after.process_time_minutes == DAY


def test_halving_the_rework_halves_the_rates_into_and_out_of_the_step() -> None:
    back = Connector(id="back", source="b", target="a", connector="rework", rework_rate=0.5)
    other = Connector(id="self", source="c", target="c", connector="rework", rework_rate=0.5)
    board = chain(
        Step(id="a", x=0, wait_minutes=DAY),
        Step(id="b", x=200, wait_minutes=DAY),
        Step(id="c", x=400, wait_minutes=DAY),
        extra=(back, other),
    )
    w = what_if(board, "b", "halve-rework")
    # a..b is 2d: at 50 % it adds 2d, at 25 % 2/3d; c redoing itself adds 1d either way.
    assert w.before.expected_lead_time_minutes == 3 * DAY + 2 * DAY + DAY
    assert w.after.expected_lead_time_minutes == pytest.approx(3 * DAY + 2 * DAY / 3 + DAY)
    assert w.after.lead_time_minutes == w.before.lead_time_minutes


def test_a_wait_known_only_from_estimates_is_cut_from_their_median() -> None:
    guesses = tuple(
        Estimate(id=f"e{i}", target="a", field="wait_minutes", minutes=m)
        for i, m in enumerate((DAY, 2 * DAY, 4 * DAY))
    )
    board = chain(Step(id="a", process_minutes=HOUR), extra=guesses)
    assert what_if(board, "a", "cut-wait").after.lead_time_minutes == DAY + HOUR


def test_the_demo_constraint_cut_by_half() -> None:
    w = what_if(demo_board(), "demo-staging", "cut-wait").to_json()
    assert w["display"]["before"]["lead_time"] == "24.9d"
    assert w["display"]["after"]["lead_time"] == "20.9d"
    assert w["display"]["deltas"]["activity_ratio"] == "+4.5 pts"


def test_an_unknown_step_or_change_is_refused() -> None:
    board = review_and_staging()
    with pytest.raises(UnknownStep):
        what_if(board, "nope", "cut-wait")
    with pytest.raises(UnknownStep):
        what_if(board, "a-r", "cut-wait")  # an arrow is no step
    with pytest.raises(UnknownChange):
        what_if(board, "s", "fire-everyone")


def test_a_ratios_change_is_the_difference_of_the_two_figures_shown() -> None:
    # "Activity ratio 84.6% → 91.7% (+7 pts)": the change was worked out on the unrounded
    # ratios, so the three figures side by side did not add up (91.7 − 84.6 is 7.1).
    pack = Step(id="a", x=0, text="Pack", wait_minutes=2 * HOUR, process_minutes=11 * HOUR)
    shown = what_if(chain(pack), "a", "cut-wait").to_json()["display"]
    assert shown["before"]["activity_ratio"] == "84.6%"
    assert shown["after"]["activity_ratio"] == "91.7%"
    assert shown["deltas"]["activity_ratio"] == "+7.1 pts"
