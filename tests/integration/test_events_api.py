"""Measured flow through the real server: preview an event log, import it, every peer sees it."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.live import LiveClient, Server

DAY = 480
LOG = (
    "item,step,arrived,started,finished\n"
    "A,build,2026-11-02T09:00,2026-11-03T09:00,2026-11-03T13:00\n"
    "A,QA,,2026-11-05T09:00,2026-11-05T11:00\n"
    "A,deploy freeze,,2026-11-05T11:00,2026-11-06T11:00\n"
    "B,build,2026-11-02T09:00,2026-11-04T09:00,2026-11-04T13:00\n"
    "B,QA,,2026-11-06T09:00,2026-11-06T11:00\n"
)


def _seed(server: Server, board: dict[str, Any]) -> None:
    server.post_ops(board, [
        {"op": "create", "element": {"id": "sb", "kind": "step", "x": 0, "text": "Build", "wait_minutes": DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "st", "kind": "step", "x": 300, "text": "Test", "wait_minutes": DAY, "process_minutes": 60}},
        {"op": "create", "element": {"id": "c1", "kind": "connector", "source": "sb", "target": "st"}},
    ])  # fmt: skip


def _post(
    server: Server, board: dict[str, Any], body: bytes | str, role: str = "facilitator",
    kind: str = "text/csv", **params: str,
) -> httpx.Response:  # fmt: skip
    return httpx.post(
        f"{server.url}/api/boards/{board['id']}/events",
        content=body.encode() if isinstance(body, str) else body,
        params=params,
        headers={"Authorization": f"Bearer {board['tokens'][role]}", "Content-Type": kind},
        timeout=30,
    )


def _get(server: Server, board: dict[str, Any], tail: str = "") -> dict[str, Any]:
    answer = httpx.get(
        f"{server.url}/api/boards/{board['id']}{tail}",
        params={"token": board["tokens"]["viewer"]},
        timeout=10,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def test_a_preview_shows_the_log_and_its_matches_and_changes_nothing(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    answer = _post(server, board, LOG, preview="true", filename="jira.csv")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "rows": 5,
        "items": 2,
        "from": "2026-11-02",
        "to": "2026-11-06",
        "log_steps": [
            {"name": "build", "rows": 2, "match": "sb", "how": "case-insensitive"},
            {"name": "QA", "rows": 2, "match": None, "how": None},
            {"name": "deploy freeze", "rows": 1, "match": None, "how": None},
        ],
        "map_steps": [{"id": "sb", "text": "Build"}, {"id": "st", "text": "Test"}],
    }
    assert _get(server, board)["board"]["measured"] is None


async def test_an_import_reaches_every_peer_and_the_metrics(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    ada = await LiveClient.join(server, board, role="participant", name="ada")
    vic = await LiveClient.join(server, board, role="viewer", name="vic")
    mapping = json.dumps({"QA": "st", "deploy freeze": None})
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{server.url}/api/boards/{board['id']}/events",
            content=LOG.encode(),
            params={"filename": "jira.csv", "mapping": mapping, "by": "Alice"},
            headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
        )
    assert answer.status_code == 200, answer.text
    # The answer: DESIGN 4's items, rows and matched beside the summary the board holds.
    summary = answer.json()
    assert (summary.pop("items"), summary.pop("rows")) == (2, 5)
    assert summary.pop("matched") == {"build": "sb", "QA": "st"}
    assert summary["source"] | {"imported_at": "-"} == {
        "file": "jira.csv", "rows": 5, "items": 2, "from": "2026-11-02", "to": "2026-11-06",
        "imported_at": "-", "by": "Alice",
        # The calendar it was counted on: the side panel says so once the board's changes.
        "hours_per_day": 8.0, "days_per_week": 5.0,
    }  # fmt: skip
    assert set(summary["steps"]) == {"sb", "st"}
    assert summary["steps"]["sb"]["names"] == ["build"]
    assert summary["unmatched"] == ["deploy freeze"]
    for peer in (ada, vic):
        seen = await _board_change(peer)
        assert seen == {"measured": summary}

    metrics = _get(server, board, "/metrics")
    assert metrics["measured"] == summary
    assert metrics["figures_from"] == "estimates"
    build = metrics["steps"][0]
    assert (build["measured_wait_minutes"], build["measured_process_minutes"]) == (1.5 * DAY, 240)
    assert build["measured_n"] == 2
    assert metrics["lead_time_minutes"] == 2 * DAY + 120
    # The whole item, ignored steps too: both took 4d 2h, deploy freeze and all.
    assert metrics["display"]["measured_lead_time"] == "4.3d"
    assert _get(server, board)["board"]["measured"] == summary

    server.post_ops(board, [{"op": "board", "set": {"figures_from": "measured"}}])
    measured = _get(server, board, "/metrics")
    assert measured["figures_from"] == "measured"
    assert measured["lead_time_minutes"] == 1.5 * DAY + 240 + (DAY + 240) + 120
    await ada.close()
    await vic.close()


async def _board_change(peer: LiveClient) -> dict[str, Any]:
    while True:
        message = await peer.expect("ops", timeout=10)
        for entry in message["ops"]:
            if entry["op"] == "board":
                found: dict[str, Any] = entry["set"]
                return found


def test_a_bad_log_is_refused_row_by_row_and_changes_nothing(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    bad = LOG + "C,build,2026-11-04T09:00,2026-11-03T10:00,2026-11-05T10:00\nD,,,,\n"
    answer = _post(server, board, bad)
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"loc": ["body", "row", 6], "type": "value_error",
         "msg": "row 6: started 2026-11-03T10:00 is before arrived 2026-11-04T09:00"},
        {"loc": ["body", "row", 7], "type": "value_error", "msg": "row 7: step is empty"},
        {"loc": ["body", "row", 7], "type": "value_error", "msg": "row 7: started is empty"},
        {"loc": ["body", "row", 7], "type": "value_error", "msg": "row 7: finished is empty"},
    ]  # fmt: skip
    answer = _post(server, board, "item,step\nA,B\n")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body"]
    answer = _post(server, board, LOG, mapping=json.dumps({"QA": "nope"}))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "mapping", "QA"]
    answer = _post(server, board, LOG, mapping="[1]")
    assert answer.status_code == 422
    assert _get(server, board)["board"]["measured"] is None


def test_only_the_facilitator_imports_sets_or_clears_measurements(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    for role in ("viewer", "participant"):
        assert _post(server, board, LOG, role=role, preview="true").status_code == 403
        assert _post(server, board, LOG, role=role).status_code == 403
        gone = httpx.delete(
            f"{server.url}/api/boards/{board['id']}/events",
            headers={"Authorization": f"Bearer {board['tokens'][role]}"},
        )
        assert gone.status_code == 403
    summary = _post(server, board, LOG).json()
    # Not even the facilitator's own board op may set a summary: only an import does.
    answer = httpx.post(
        f"{server.url}/api/boards/{board['id']}/ops",
        json={"ops": [{"op": "board", "set": {"measured": summary}}]},
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
    )
    assert "event log" in answer.json()["results"][0]["error"]
    gone = httpx.delete(
        f"{server.url}/api/boards/{board['id']}/events",
        headers={"Authorization": f"Bearer {board['tokens']['facilitator']}"},
    )
    assert gone.status_code == 204
    cleared = _get(server, board)["board"]
    assert (cleared["measured"], cleared["figures_from"]) == (None, "estimates")


def test_a_json_log_imports_too_and_the_measurements_survive_a_restart(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    events = [
        {"item": "A", "step": "Build", "started": "2026-11-02T09:00:00Z", "finished": "2026-11-02T13:00:00Z"},
        {"item": "A", "step": "Test", "started": "2026-11-03T09:00", "finished": "2026-11-03T10:00"},
    ]  # fmt: skip
    answer = _post(server, board, json.dumps({"events": events}), kind="application/json")
    assert answer.status_code == 200, answer.text
    assert answer.json()["steps"]["st"]["wait"]["median"] == 4 * 60
    server.stop()
    server.start()
    held = {k: v for k, v in answer.json().items() if k not in ("items", "rows", "matched")}
    assert _get(server, board)["board"]["measured"] == held


def test_a_log_over_twenty_megabytes_is_refused(server: Server, board: dict[str, Any]) -> None:
    try:
        answer = _post(server, board, b"x" * (20 * 1024 * 1024 + 1))
    except httpx.TransportError:
        return  # refused from its Content-Length, before the body was all sent
    assert answer.status_code == 413


def test_a_log_with_text_that_cannot_be_stored_is_a_422_and_fails_no_one_elses_edit(
    server: Server, board: dict[str, Any]
) -> None:
    # A lone surrogate in a JSON log's step (or in the mapping's JSON) was a 500 on preview,
    # and on import a 503 echoing the encoder ("surrogates not allowed") after the batch
    # holding it failed, with any other edit in it.
    _seed(server, board)
    lone = (
        '[{"item": "A", "step": "Build", "started": "2026-11-02", "finished": "2026-11-03"},'
        ' {"item": "A", "step": "X\\ud800", "started": "2026-11-04", "finished": "2026-11-05"}]'
    )
    for params in ({"preview": "true"}, {}):
        answer = _post(server, board, lone, kind="application/json", **params)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"] == ["body", "row", 2]
    nul = "item,step,started,finished\nA,Bu\x00ild,2026-11-02,2026-11-03\n"
    answer = _post(server, board, nul)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["msg"] == "row 1: step holds text that cannot be stored"
    for mapping in ('{"\\ud800": "sb"}', '{"build": "sb\\ud800"}', '{"build": "sb\\u0000"}'):
        answer = _post(server, board, LOG, mapping=mapping)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"] == ["query", "mapping"]
    assert _get(server, board)["board"]["measured"] is None


def test_a_csv_cell_of_any_size_is_a_row_problem_not_a_500(
    server: Server, board: dict[str, Any]
) -> None:
    # Python's CSV reader raises on a cell over 128 KiB: that was a 500 with a traceback.
    _seed(server, board)
    huge = "item,step,started,finished\n" + "A" * 200_000 + ",Build,2026-11-02,2026-11-03\n"
    for params in ({"preview": "true"}, {}):
        answer = _post(server, board, huge, **params)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["msg"].startswith("row 1: ")
    assert _get(server, board)["board"]["measured"] is None


def test_who_imports_and_the_file_are_shown_cleaned_not_refused_with_a_riddle(
    server: Server, board: dict[str, Any]
) -> None:
    """`by=%00Ana` was refused "measured its names must be text of at most 200 characters":
    the NUL is dropped, with every other character nobody can see, as names are elsewhere."""
    _seed(server, board)
    log = "item,step,started,finished\nA,Build,2026-11-02T09:00,2026-11-02T10:00\n"
    answer = _post(server, board, log, by="\x00Ana\u200b", filename="jira\x07.csv")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["source"]["by"], answer.json()["source"]["file"]) == ("Ana", "jira.csv")


def test_a_log_across_the_autumn_clock_change_is_measured_in_the_order_it_happened(
    server: Server, board: dict[str, Any]
) -> None:
    """A 24/7 team's log through the night Berlin's clocks go back: triage in the first
    02:00-03:00 (+02:00), the fix in the second (+01:00). Ordered by wall-clock time the fix
    (02:10) read as the item's first step, with no wait, and the item took two hours."""
    server.post_ops(board, [
        {"op": "board", "set": {"hours_per_day": 24, "days_per_week": 7}},
        {"op": "create", "element": {"id": "s1", "kind": "step", "x": 0, "text": "Triage"}},
        {"op": "create", "element": {"id": "s2", "kind": "step", "x": 300, "text": "Fix"}},
    ])  # fmt: skip
    log = (
        "item,step,arrived,started,finished\n"
        "INC-7,Fix,,2026-10-25T02:10+01:00,2026-10-25T02:40+01:00\n"
        "INC-7,Triage,2026-10-25T01:30+02:00,2026-10-25T02:30+02:00,2026-10-25T02:50+02:00\n"
    )
    answer = _post(server, board, log, filename="pager.csv")
    assert answer.status_code == 200, answer.text
    steps = _get(server, board)["board"]["measured"]["steps"]
    assert steps["s1"]["wait"]["median"] == 60 and steps["s1"]["process"]["median"] == 20
    assert steps["s2"]["wait"]["median"] == 20 and steps["s2"]["process"]["median"] == 30
    assert _get(server, board, "/metrics")["measured_lead_time"]["median_minutes"] == 130


def test_an_excel_export_with_local_dates_imports_and_an_ambiguous_one_says_why(
    server: Server, board: dict[str, Any]
) -> None:
    """Excel in Germany saves `05.10.2026 09:30` (with a BOM, semicolons and empty columns),
    in Britain `05/10/2026 09:30`: both were refused with a 422 for every time in them."""
    _seed(server, board)
    german = (
        "\ufeffItem;Step;Started;Finished;;\r\n"
        "A;Build;05.10.2026 09:00;05.10.2026 13:00;;\r\n"
        "A;Test;06.10.2026 09:00;06.10.2026 10:00;;\r\n"
        ";;;;;\r\n"
    )
    answer = _post(server, board, german, preview="true")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["from"], answer.json()["to"]) == ("2026-10-05", "2026-10-06")
    british = "item,step,started,finished\nA,Build,05/10/2026 09:00,13/10/2026 13:00\n"
    answer = _post(server, board, british, filename="jira.csv")
    assert answer.status_code == 200, answer.text
    assert answer.json()["source"]["from"] == "2026-10-05"
    ambiguous = "item,step,started,finished\nA,Build,05/10/2026 09:00,06/10/2026 13:00\n"
    answer = _post(server, board, ambiguous)
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["msg"].startswith("the log's dates such as 05/10/2026 may be day/month/year")
