"""A step's ranges in minutes through the real server (DESIGN section 4): set over HTTP,
read back by the HTTP read and the JSON export, seen by a live peer as the typed range,
and carried through an import of the export."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.live import LiveClient, Server

DAY = 480


def _read(server: Server, board_id: str, token: str, tail: str = "", **params: str) -> Any:
    answer = httpx.get(f"{server.url}/api/boards/{board_id}{tail}",
                       params={"token": token, **params}, timeout=30)  # fmt: skip
    answer.raise_for_status()
    return answer.json()


async def test_ranges_in_minutes_are_set_read_exported_and_imported(
    server: Server, board: dict[str, Any]
) -> None:
    peer = await LiveClient.join(server, board, role="participant", name="ada")
    server.post_ops(board, [{"op": "create", "element": {
        "id": "s", "kind": "step", "text": "Review", "wait_minutes": 2 * DAY,
        "wait_low_minutes": DAY, "wait_high_minutes": 5 * DAY,
        "process_low_minutes": 30, "process_high_minutes": 90,
    }}])  # fmt: skip
    seen = await peer.expect("ops")
    created = seen["ops"][0]["element"]
    assert (created["wait_text"], created["wait_minutes"]) == ("1d-2d-5d", 2 * DAY)
    assert created["process_minutes"] == 60
    viewer = board["tokens"]["viewer"]
    step = next(e for e in _read(server, board["id"], viewer)["elements"] if e["id"] == "s")
    ranges = {k: step[k] for k in ("wait_low_minutes", "wait_high_minutes",
                                   "process_low_minutes", "process_high_minutes")}  # fmt: skip
    assert ranges == {"wait_low_minutes": DAY, "wait_high_minutes": 5 * DAY,
                      "process_low_minutes": 30, "process_high_minutes": 90}  # fmt: skip
    exported = _read(server, board["id"], viewer, "/export", format="json")
    assert next(e for e in exported["elements"] if e["id"] == "s").items() >= ranges.items()
    answer = httpx.post(f"{server.url}/api/boards/import", json=exported, timeout=30)
    assert answer.status_code == 201, answer.text
    token = answer.json()["links"]["viewer"].split("token=")[1]
    again = _read(server, answer.json()["id"], token)["elements"]
    assert next(e for e in again if e["id"] == "s").items() >= ranges.items()
    # A bad range is refused with its reason; the step is as it was.
    refused = server.send_ops(board, [{"op": "update", "id": "s", "set": {"wait_low_minutes": 6 * DAY}}])
    assert refused.json()["results"][0]["error"] == "wait_low_minutes must be at most wait_high_minutes"
    await peer.close()


async def test_a_calendar_change_keeps_a_typed_range_for_every_reader(
    server: Server, board: dict[str, Any]
) -> None:
    """"2d-3d" typed on 8-hour days, then the working day becomes 7.5 hours: the range keeps
    its 960 to 1,440 minutes in the HTTP read, the export and a live peer's copy (it had
    been dropped everywhere: the range fields gone, the forecast without its spread)."""
    server.post_ops(board, [{"op": "create", "element": {
        "id": "s", "kind": "step", "text": "Review", "wait_minutes": 1200, "wait_text": "2d-3d",
    }}])  # fmt: skip
    peer = await LiveClient.join(server, board, role="participant", name="ada")
    server.post_ops(board, [{"op": "board", "set": {"hours_per_day": 7.5}}])
    entry = (await peer.expect("ops"))["ops"][0]
    peer.apply(entry)
    assert peer.elements["s"]["wait_text"] == "16h-24h"
    assert peer.elements["s"]["wait_minutes"] == 1200
    viewer = board["tokens"]["viewer"]
    step = next(e for e in _read(server, board["id"], viewer)["elements"] if e["id"] == "s")
    assert (step["wait_text"], step["wait_low_minutes"], step["wait_high_minutes"]) == (
        "16h-24h", 960, 1440)  # fmt: skip
    exported = _read(server, board["id"], viewer, "/export", format="json")
    assert next(e for e in exported["elements"] if e["id"] == "s")["wait_low_minutes"] == 960
    forecast = _read(server, board["id"], viewer, "/metrics")["forecast"]
    assert forecast["p95_minutes"] > forecast["p50_minutes"]  # the spread is still drawn
    late = await LiveClient.join(server, board, role="viewer", name="bo", since=0)
    assert late.elements["s"]["wait_text"] == "16h-24h"  # replayed from the op log alike
    await peer.close()
    await late.close()
