"""The transient pace: the tick stretches while the event loop is behind, and relaxes after."""

from __future__ import annotations

import pytest

from app.hub.pacing import (
    AT_EASE,
    BEHIND,
    BUSY,
    CAUGHT_UP,
    FASTEST,
    JITTER,
    MIN_TICKS,
    SLOWEST,
    WINDOW,
    TransientPace,
)


class Clock:
    """The time, and the CPU time the event loop's thread has used."""

    def __init__(self) -> None:
        self.now = 100.0
        self.cpu = 3.0

    def __call__(self) -> float:
        return self.now


def pace(rand: float = 0.5) -> tuple[TransientPace, Clock]:
    clock = Clock()
    return TransientPace(clock, lambda: rand, lambda: clock.cpu), clock


def window(
    p: TransientPace, clock: Clock, late: float, ticks: int = MIN_TICKS * 4, busy: float = 0.3
) -> None:
    """One window's ticks, each `late`, the last one after the window has passed; the
    loop's thread on a core `busy` of the time."""
    for n in range(ticks):
        step = WINDOW if n == ticks - 1 else WINDOW / (2 * ticks)
        clock.now += step
        clock.cpu += step * busy
        p.observe(late)


def test_at_ease_the_tick_is_fastest_give_or_take_the_jitter() -> None:
    assert pace(0.5)[0].next_delay() == pytest.approx(FASTEST)
    assert pace(0.0)[0].next_delay() == pytest.approx(FASTEST * (1 - JITTER))
    assert pace(1.0)[0].next_delay() == pytest.approx(FASTEST * (1 + JITTER))


def test_ticks_late_on_average_stretch_the_interval_up_to_the_slowest() -> None:
    p, clock = pace()
    window(p, clock, late=BEHIND * 3)
    assert FASTEST < p.interval < SLOWEST
    for _ in range(10):
        window(p, clock, late=BEHIND * 3)
    assert p.interval == SLOWEST
    assert p.next_delay() == pytest.approx(SLOWEST)


def test_nothing_changes_before_a_window_has_passed() -> None:
    p, clock = pace()
    for _ in range(MIN_TICKS * 10):
        p.observe(1.0)
    assert p.interval == FASTEST, "all in the same instant: no window has passed yet"
    clock.now += WINDOW
    p.observe(1.0)
    assert p.interval > FASTEST


def test_a_few_late_ticks_are_no_sign_of_a_loaded_process() -> None:
    p, clock = pace()
    window(p, clock, late=1.0, ticks=MIN_TICKS - 1)
    assert p.interval == FASTEST


def test_once_caught_up_it_relaxes_back_to_the_fastest_more_slowly_than_it_stretched() -> None:
    p, clock = pace()
    stretched = 0
    while p.interval < SLOWEST:
        window(p, clock, late=BEHIND * 2)
        stretched += 1
    relaxed = 0
    while p.interval > FASTEST:
        window(p, clock, late=CAUGHT_UP / 2, ticks=3)  # few ticks may relax it
        relaxed += 1
    assert relaxed > stretched
    assert p.interval == FASTEST


def test_between_caught_up_and_behind_it_holds() -> None:
    p, clock = pace()
    window(p, clock, late=BEHIND * 2)
    held = p.interval
    for _ in range(5):
        window(p, clock, late=(BEHIND + CAUGHT_UP) / 2)
    assert p.interval == held


def test_a_loop_thread_busy_nearly_all_the_time_stretches_it_even_with_ticks_on_time() -> None:
    p, clock = pace()
    window(p, clock, late=0.0, busy=(BUSY + 1) / 2)
    assert p.interval > FASTEST
    stretched = p.interval
    window(p, clock, late=0.0, busy=(AT_EASE + BUSY) / 2)
    assert p.interval == stretched, "ticks on time, but not yet at ease: it holds"
    window(p, clock, late=0.0, busy=AT_EASE / 2)
    assert p.interval < stretched


def test_reset_puts_a_stretched_pace_at_ease() -> None:
    pace = TransientPace(clock=lambda: 0.0, rand=lambda: 0.5, cpu=lambda: 0.0)
    pace.interval = SLOWEST
    pace.reset()
    assert pace.interval == FASTEST and pace.next_delay() == FASTEST
