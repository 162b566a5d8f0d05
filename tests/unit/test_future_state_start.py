"""A future-state map's title and starting elements (app/domain/future_state.py)."""

from __future__ import annotations

import pytest

from app.domain.elements import Board, Comment, Estimate, Note, Step
from app.domain.future_state import TITLE_LIMIT, future_elements, future_title
from app.domain.metrics import compute_metrics


@pytest.mark.parametrize(
    ("current", "future"),
    [
        ("Feature delivery, current state", "Feature delivery, future state"),
        ("Feature delivery – Current State", "Feature delivery – Future State"),
        ("Current-state map of onboarding", "Future-state map of onboarding"),
        ("Order to cash (as-is)", "Order to cash (to-be)"),
        ("Order to cash", "Order to cash (future state)"),
        ("", "Map (future state)"),
        ("Concurrent engineering", "Concurrent engineering (future state)"),
    ],
)
def test_the_future_state_has_a_title_of_its_own(current: str, future: str) -> None:
    assert future_title(current) == future


def test_a_long_title_stays_within_the_limit_and_keeps_its_suffix() -> None:
    title = future_title("x" * TITLE_LIMIT)
    assert len(title) == TITLE_LIMIT and title.endswith("(future state)")


def test_the_example_walk_stays_with_the_current_state() -> None:
    walked = Step(id="s", text="Pick", wait_minutes=60, process_minutes=30,
                  walk_ready="2026-12-01T09:00", walk_start="2026-12-01T10:00",
                  walk_end="2026-12-01T10:30")  # fmt: skip
    note = Note(id="n", text="Idea")
    comment = Comment(id="c", target="s", text="hm", author_id="c-1")
    board = Board(id="b", elements={e.id: e for e in (walked, note, comment)})
    kept = {e.id: e for e in future_elements(board)}
    assert set(kept) == {"s", "n"}, "comments stay with the workshop that made them"
    step = kept["s"]
    assert isinstance(step, Step)
    assert (step.walk_ready, step.walk_start, step.walk_end) == (None, None, None)
    assert (step.wait_minutes, step.process_minutes, step.text) == (60, 30, "Pick")


def test_a_figure_the_map_takes_from_its_estimates_starts_the_future_state() -> None:
    # Estimates stay with the workshop; the figure they settled on the map goes along, or
    # the future state lost the step's wait and compared as that much faster.
    step = Step(id="s", text="Pick", process_minutes=30)
    said = [Estimate(id=f"e{i}", target="s", field="wait_minutes", minutes=m, author_id=f"c-{i}")
            for i, m in enumerate((60, 120, 600))]  # fmt: skip
    board = Board(id="b", elements={e.id: e for e in [step, *said]})
    future = Board(id="f", elements={e.id: e for e in future_elements(board)})
    assert (
        compute_metrics(future).lead_time_minutes == compute_metrics(board).lead_time_minutes == 150
    )
