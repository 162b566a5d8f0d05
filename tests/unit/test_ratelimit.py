"""Token buckets, per-connection budgets and the link-guessing limiter, on a fake clock."""

from __future__ import annotations

import pytest

from app.api.limits import Admission, TooMany
from app.api.ratelimit import (
    LIVE_BURST,
    LIVE_NOTICE_SECONDS,
    LIVE_PER_SECOND,
    OPS_BURST,
    OPS_PER_SECOND,
    ConnectionLimits,
    GuessLimiter,
    TokenBucket,
    client_key,
    retry_seconds,
)
from app.config import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    bucket = TokenBucket(rate=10, burst=5)
    assert [bucket.take(1, now=0) for _ in range(6)] == [True] * 5 + [False]
    assert not bucket.take(1, now=0.05)  # half a token
    assert bucket.take(1, now=0.1)
    assert bucket.wait(1, now=0.1) == pytest.approx(0.1)


def test_a_refused_take_takes_nothing_and_the_bucket_never_overfills() -> None:
    bucket = TokenBucket(rate=1, burst=3)
    assert not bucket.take(4, now=0)
    assert bucket.take(3, now=0)
    assert bucket.take(3, now=100)  # a hundred seconds later: full, and no fuller
    assert not bucket.take(1, now=100)


def test_time_going_backwards_gives_nothing() -> None:
    bucket = TokenBucket(rate=10, burst=2)
    assert bucket.take(2, now=5)
    assert not bucket.take(1, now=4)
    assert not bucket.take(1, now=5)


def test_a_connection_may_send_a_burst_of_operations_then_the_rate() -> None:
    clock = Clock()
    limits = ConnectionLimits(clock)
    assert limits.allow_ops(int(OPS_BURST))
    assert not limits.allow_ops(1)
    clock.now += 1.0
    assert limits.allow_ops(int(OPS_PER_SECOND))
    assert not limits.allow_ops(1)


def test_drags_at_60_hz_with_a_cursor_at_60_hz_are_never_refused() -> None:
    clock = Clock()
    limits = ConnectionLimits(clock)
    for _ in range(10 * 60):  # ten seconds of both
        assert limits.allow_live() and limits.allow_live()
        clock.now += 1 / 60
    assert 2 * 60 <= LIVE_PER_SECOND


def test_a_live_flood_is_cut_to_the_rate_with_one_notice_a_second() -> None:
    clock = Clock()
    limits = ConnectionLimits(clock)
    allowed = notices = 0
    for _ in range(3000):  # 3 seconds at 1000 messages a second
        allowed += limits.allow_live()
        notices += limits.live_notice
        clock.now += 0.001
    assert allowed <= LIVE_BURST + 3 * LIVE_PER_SECOND + 1
    assert notices == pytest.approx(3 / LIVE_NOTICE_SECONDS, abs=1)


def test_operations_and_live_messages_have_separate_budgets() -> None:
    limits = ConnectionLimits(Clock())
    assert limits.allow_ops(int(OPS_BURST))
    assert limits.allow_live()


def test_a_guesser_is_blocked_after_the_burst_and_may_try_again_slowly() -> None:
    clock = Clock()
    guesses = GuessLimiter(burst=3, per_second=0.5, clock=clock)
    for _ in range(3):
        assert guesses.retry_after("1.2.3.4") == 0
        guesses.failed("1.2.3.4")
    assert guesses.retry_after("1.2.3.4") == pytest.approx(2.0)
    assert guesses.retry_after("5.6.7.8") == 0  # others are not affected
    clock.now += 2.0
    assert guesses.retry_after("1.2.3.4") == 0
    guesses.failed("1.2.3.4")
    assert guesses.retry_after("1.2.3.4") == pytest.approx(2.0)


def test_the_guess_limiter_forgets_the_oldest_address_first() -> None:
    guesses = GuessLimiter(burst=1, per_second=0.001, clients=2, clock=Clock())
    for address in ("a", "b", "c"):
        guesses.failed(address)
    assert len(guesses) == 2
    assert guesses.retry_after("a") == 0  # forgotten
    assert guesses.retry_after("c") > 0


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # same /64, same budget
        ("::ffff:203.0.113.9", "203.0.113.9"),
        (None, "unknown"),
        ("testclient", "testclient"),
    ],
)
def test_guesses_count_per_address_and_per_ipv6_64(host: str | None, key: str) -> None:
    assert client_key(host) == key


def test_retry_after_is_whole_seconds_and_never_zero() -> None:
    assert [retry_seconds(w) for w in (0.01, 1.0, 1.2)] == [1, 1, 2]


def test_a_wrong_guess_past_the_budget_reports_the_wait_and_still_counts() -> None:
    now = [0.0]
    guesses = GuessLimiter(burst=2, per_second=1, clock=lambda: now[0])
    assert [guesses.wrong("a"), guesses.wrong("a")] == [0.0, 0.0]
    assert guesses.wrong("a") > 0  # over budget: the caller answers 429
    assert guesses.wrong("b") == 0.0  # another address has its own


def test_an_open_connection_is_released_once_however_often_its_end_is_reported() -> None:
    admission = Admission(Settings(connections_per_address=1))
    closed = admission.opened("203.0.113.7")
    with pytest.raises(TooMany):
        admission.may_connect("203.0.113.7")
    closed()
    closed()  # a session can end by more than one route
    assert admission.open_by_address == {}
    admission.may_connect("203.0.113.7")
