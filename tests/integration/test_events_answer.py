"""What importing an event log answers: DESIGN 4's `{items, rows, matched, unmatched}`
beside the measurements themselves."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.test_events_api import LOG, _post, _seed
from tests.support.live import Server


def test_an_import_answers_its_items_rows_and_which_log_step_matched_which_step(
    server: Server, board: dict[str, Any]
) -> None:
    _seed(server, board)
    mapping = json.dumps({"QA": "st", "deploy freeze": None})
    answer = _post(server, board, LOG, filename="jira.csv", mapping=mapping)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["items"], body["rows"]) == (2, 5)
    # "build" matched Build by itself, "QA" as the facilitator chose.
    assert body["matched"] == {"build": "sb", "QA": "st"}
    assert body["unmatched"] == ["deploy freeze"]
    for kept in ("source", "steps", "lead_time", "hidden_queue"):
        assert kept in body
