"""A link's edit budget, shared fairly (app/api/limits.py), on a fake clock.

The participant link is shared by a whole workshop, so one participant must not be
able to spend it for everyone: whoever has used less than their slice of the link
lately still gets their edits through when the link's bucket is empty, and the link
as a whole still pushes at most about twice its rate.
"""

from __future__ import annotations

from collections.abc import Callable

from app.api.limits import ACTIVE_SECONDS, FAIR_SECONDS, SWEEP_SECONDS, Admission
from app.api.ratelimit import OPS_PER_SECOND
from app.config import Settings

RATE, BURST = 300.0, 3000.0  # the defaults (app/config.py)
LINK = "participant-link"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admission(clock: Clock, rate: float = RATE, burst: float = BURST) -> Admission:
    settings = Settings(link_ops_per_second=rate, link_ops_burst=burst)
    return Admission(settings, clock=clock)


def run(
    clock: Clock, seconds: float, senders: list[tuple[float, float, Callable[[], bool]]]
) -> None:
    """Advance the clock in 1 ms steps; each sender (period, phase, send) sends on its beat."""
    start, step = clock.now, 0.001
    due = [start + phase for _, phase, _ in senders]
    for tick in range(round(seconds / step)):
        clock.now = start + tick * step
        for k, (period, _, send) in enumerate(senders):
            if clock.now >= due[k]:
                send()
                due[k] += period


def test_sockets_at_their_own_limit_cannot_refuse_a_light_users_edits() -> None:
    # The review's link_budget_dos.py with 40 sockets: one op a message, staggered, each
    # socket within its 50 a second; Bob (on the same address, as behind one NAT) makes
    # one edit every half second. On the old code 25 of his 30 were refused.
    clock = Clock()
    limits = admission(clock)
    attackers = [limits.opened("198.51.100.7") for _ in range(40)]
    counts = {"attack": 0, "attack_ok": 0, "bob": 0, "bob_ok": 0}
    bob = limits.opened("198.51.100.7")

    def sender(ticket: Callable[[], None], who: str) -> Callable[[], bool]:
        def send() -> bool:
            ok = limits.ops_wait(LINK, 1, ticket) == 0.0
            counts[who] += 1
            counts[who + "_ok"] += ok
            return ok

        return send

    period = 1 / (OPS_PER_SECOND - 1)
    senders = [(period, k * period / 40, sender(a, "attack")) for k, a in enumerate(attackers)]
    run(clock, 12, senders)  # the link's burst is spent by then
    counts.update(attack=0, attack_ok=0)
    run(clock, 15, [*senders, (0.5, 0.0, sender(bob, "bob"))])
    assert counts["bob"] == 30 and counts["bob_ok"] == 30, counts
    # The link still bounds what the attacker pushes: its rate, and its slices.
    assert counts["attack_ok"] <= 2 * RATE * 15, counts
    assert counts["attack_ok"] < counts["attack"] / 2, counts


def test_a_crowd_of_sockets_from_one_address_counts_as_one_address() -> None:
    # 500 sockets (the per-address cap) from one address, each at its own limit, would
    # leave any one connection 0.6 edits a second; Bob, on an address of his own, keeps
    # half the link: a paste of 200, then an edit every 0.2 s, all saved.
    clock = Clock()
    limits = admission(clock)
    crowd = [limits.opened("203.0.113.9") for _ in range(500)]
    bob = limits.opened("192.0.2.44")
    refused: list[int] = []

    def flood() -> bool:
        for ticket in crowd:
            limits.ops_wait(LINK, 1, ticket)
        return True

    def edit() -> bool:
        refused.append(limits.ops_wait(LINK, 1, bob) > 0)
        return True

    run(clock, 3, [(0.02, 0.0, flood)])
    assert limits.ops_wait(LINK, 200, bob) == 0.0, "a paste"
    run(clock, 10, [(0.02, 0.0, flood), (0.2, 0.001, edit)])
    assert len(refused) == 50 and not any(refused)


def test_a_leaked_link_pushes_at_most_about_twice_its_rate() -> None:
    # Everything one could do with a leaked link: many addresses, many sockets each, all
    # at their own limit. The bucket gives its rate, the slices at most as much again.
    clock = Clock()
    limits = admission(clock)
    tickets = [limits.opened(f"203.0.113.{a}") for a in range(50) for _ in range(10)]
    applied = [0]

    def flood() -> bool:
        for ticket in tickets:
            applied[0] += limits.ops_wait(LINK, 1, ticket) == 0.0
        return True

    seconds = 30
    run(clock, seconds, [(1 / OPS_PER_SECOND, 0.0, flood)])
    assert applied[0] <= BURST + 2 * RATE * seconds + RATE * FAIR_SECONDS
    assert applied[0] >= RATE * seconds


def test_http_calls_count_as_one_connection_of_their_address() -> None:
    # A caller over HTTP may name any identity it likes (X-Flowmap-Key): its calls are one
    # connection of its address, however many identities it makes up.
    clock = Clock()
    limits = admission(clock, rate=10, burst=10)
    assert limits.ops_wait(LINK, 10) == 0.0  # spent, by someone without a ticket
    heavy_slice = 10 * FAIR_SECONDS  # alone on the link: the whole rate
    assert limits.ops_wait(LINK, int(heavy_slice), "198.51.100.7") == 0.0
    assert limits.ops_wait(LINK, 1, "198.51.100.7") > 0, "its slice is spent"
    assert limits.ops_wait(LINK, 5, "192.0.2.44") == 0.0, "another address has its own"


def test_calls_without_a_ticket_share_the_link_first_come_first_served() -> None:
    clock = Clock()
    limits = admission(clock, rate=10, burst=20)
    assert limits.ops_wait(LINK, 15) == 0.0
    wait = limits.ops_wait(LINK, 15)
    assert wait > 0 and abs(wait - 1.0) < 1e-9  # 10 missing at 10 a second
    clock.now += 1.0
    assert limits.ops_wait(LINK, 15) == 0.0
    assert limits.ops_wait("another-link", 20) == 0.0, "each link has a budget of its own"


def test_a_connection_that_went_quiet_leaves_its_slice_to_the_others() -> None:
    clock = Clock()
    limits = admission(clock, rate=10, burst=10)
    bob, quiet = limits.opened("192.0.2.44"), limits.opened("192.0.2.44")
    limits.ops_wait(LINK, 10)  # the bucket is empty
    assert limits.ops_wait(LINK, 1, quiet) == 0.0
    over_half = int(10 * FAIR_SECONDS / 2) + 5
    assert limits.ops_wait(LINK, over_half, bob) > 0, "two share the address's slice"
    clock.now += ACTIVE_SECONDS + SWEEP_SECONDS + 0.1
    limits.ops_wait(LINK, 1000)  # empty again
    assert limits.ops_wait(LINK, over_half, bob) == 0.0, "alone now"


def test_a_ticket_still_releases_its_connection_once() -> None:
    limits = admission(Clock())
    ticket = limits.opened("203.0.113.7")
    assert limits.open_by_address == {"203.0.113.7": 1}
    ticket()
    ticket()
    assert limits.open_by_address == {}
