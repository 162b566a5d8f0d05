"""One participant cannot get everyone else's edits refused (app/api/limits.py FairLinks).

The review's link_budget_dos.py on a real server, set small: the attacker's sockets,
each at its own limit of edits, flood the shared participant link with harmless
operations; Bob, on the same link and the same address, edits as a person does, over
the websocket or over HTTP. Every one of his edits is saved, and the link still bounds
what the attacker gets through.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.limits import FAIR_SECONDS
from app.api.ratelimit import OPS_PER_SECOND
from tests.support.live import LiveClient, Server

# Small enough that four sockets swamp the link within a second.
RATE = BURST = 100.0
ATTACKERS = 4


@contextmanager
def limited(tmp_path: Path) -> Iterator[Server]:
    env = {"FLOWMAP_LINK_OPS_PER_SECOND": str(RATE), "FLOWMAP_LINK_OPS_BURST": str(BURST)}
    server = Server(f"sqlite:///{tmp_path / 'fair.db'}", tmp_path / "server.log", env=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Attack:
    """Sockets that each send one harmless op a message, just under their own limit."""

    def __init__(self, sockets: list[LiveClient]) -> None:
        self.sockets = sockets
        self.sent = self.refused = self.applied = 0
        self.stop = asyncio.Event()

    async def run(self) -> None:
        await asyncio.gather(*(self._send(k, s) for k, s in enumerate(self.sockets)),
                             *(self._read(s) for s in self.sockets))  # fmt: skip

    async def _send(self, k: int, socket: LiveClient) -> None:
        period = 1 / (OPS_PER_SECOND - 2)
        await asyncio.sleep(k * period / len(self.sockets))  # staggered: a steady stream
        due = time.monotonic()
        while not self.stop.is_set():
            await socket.ops({"op": "delete", "id": "nothing-here"})
            self.sent += 1
            due += period
            await asyncio.sleep(max(0.0, due - time.monotonic()))

    async def _read(self, socket: LiveClient) -> None:
        while not self.stop.is_set():
            try:
                message = await socket.receive(0.2)
            except TimeoutError:
                continue
            if message["type"] == "error" and message.get("cid"):
                if message["code"] == "rate_limited":
                    self.refused += 1
                else:
                    self.applied += 1  # through the link's budget, refused by the board


def _create(i: int) -> dict[str, Any]:
    return {"op": "create", "element": {"id": f"bob{i}", "kind": "step", "text": f"Bob {i}"}}


async def _bob_over_the_websocket(server: Server, board: dict[str, Any]) -> list[str]:
    bob = await LiveClient.join(server, board, name="Bob")
    outcomes = []
    for i in range(30):
        [cid] = await bob.ops(_create(i))
        while True:
            message = await bob.receive()
            if message["type"] == "ops" and any(e["cid"] == cid for e in message["ops"]):
                outcomes.append("saved")
                break
            if message["type"] == "error" and message.get("cid") == cid:
                outcomes.append(message["reason"])
                break
        await asyncio.sleep(0.1)
    await bob.close()
    return outcomes


async def _bob_over_http(server: Server, board: dict[str, Any]) -> list[str]:
    outcomes = []
    async with httpx.AsyncClient(base_url=server.url) as http:
        for i in range(30):
            answer = await http.post(
                f"/api/boards/{board['id']}/ops", json={"ops": [{"cid": f"h{i}", **_create(i)}]},
                headers={"Authorization": f"Bearer {board['tokens']['participant']}"},
            )  # fmt: skip
            ok = answer.status_code == 200 and answer.json()["results"][0]["error"] is None
            outcomes.append("saved" if ok else answer.text)
            await asyncio.sleep(0.1)
    return outcomes


@pytest.mark.parametrize("transport", ["websocket", "http"])
async def test_sockets_at_their_limit_cannot_refuse_an_honest_participants_edits(
    tmp_path: Path, transport: str
) -> None:
    with limited(tmp_path) as server:
        board = server.create_board()
        attack = Attack([await LiveClient.join(server, board, name=f"M{k}")
                         for k in range(ATTACKERS)])  # fmt: skip
        flood = asyncio.create_task(attack.run())
        await asyncio.sleep(2)  # the link's burst is long spent
        started, sent_before = time.monotonic(), attack.sent
        bob = _bob_over_the_websocket if transport == "websocket" else _bob_over_http
        outcomes = await bob(server, board)
        seconds, sent = time.monotonic() - started, attack.sent - sent_before
        attack.stop.set()
        await flood
        assert attack.refused > 0 and sent > 1.5 * RATE * seconds, "the link was swamped"
        assert outcomes == ["saved"] * 30
        # What the link let through in all stays within about twice its rate.
        spent = 2 + seconds + 1  # the warm-up, Bob's edits, the replies still coming
        assert attack.applied <= BURST + 2 * RATE * spent + RATE * FAIR_SECONDS
        for socket in attack.sockets:
            await socket.close()


async def test_after_a_refusal_for_the_rate_no_later_edit_overtakes_it(tmp_path: Path) -> None:
    # The budgets count ops: a 2-op message was refused while the 1-op message sent just
    # after it was applied, and the browser's resend of the refused edits then overwrote
    # the later one ("Build and deploy" over "Release", the last text typed). After a
    # refusal for the rate the connection's ops wait a moment, so nothing overtakes.
    env = {"FLOWMAP_LINK_OPS_PER_SECOND": "0.01", "FLOWMAP_LINK_OPS_BURST": "10"}
    server = Server(f"sqlite:///{tmp_path / 'order.db'}", tmp_path / "server.log", env=env)
    server.start()
    try:
        board = server.create_board("Order")
        ada = await LiveClient.join(server, board, role="participant", name="ada")
        text = lambda words: {"op": "update", "id": "nothing", "set": {"text": words}}  # noqa: E731
        await ada.ops(*(text(f"warm {i}") for i in range(9)))
        refused = await ada.ops(text("Build and deploy"), text("Build and deploy"))
        later = await ada.ops(text("Release"))
        await ada.send('{"type": "ping", "t": 1}')
        await ada.expect("pong")
        await asyncio.sleep(0.3)
        codes = {m["cid"]: m["code"] for m in ada.inbox if m["type"] == "error"}
        assert codes.get(refused[0]) == "rate_limited"
        assert codes.get(later[0]) == "rate_limited", "the later edit waits behind the refused"
        await ada.close()
    finally:
        server.stop()
