"""Edits made over HTTP are credited to the link's role as an API client, not to "api".

The page said "Set by api" under a figure a script had set, and a participant who tried
to edit that script's comment read "only api can change this comment". The entries' `by`
stays "api" (docs/protocol.md: the contract); `name`, the author and provenance change.
"""

from __future__ import annotations

from typing import Any

from tests.support.live import LiveClient, Server


def _create(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "create", "element": {"id": element_id, "kind": kind, **fields}}


async def test_edits_over_http_are_credited_to_an_api_client_not_to_api(
    server: Server, board: dict[str, Any]
) -> None:
    ada = await LiveClient.join(server, board, name="Ada")
    server.post_ops(board, [
        _create("step", "s1", text="Review", wait_minutes=60),
        _create("comment", "c1", target="s1", text="Why an hour?"),
    ])  # fmt: skip
    await ada.until_seq(2)
    entries = [e for m in ada.inbox if m["type"] == "ops" for e in m["ops"]]
    # The contract: `by` is "api" for the HTTP endpoint; only the name people read changes.
    assert [e["by"] for e in entries] == ["api", "api"]
    assert {e["name"] for e in entries} == {"the facilitator's API client"}
    assert ada.elements["s1"]["provenance"]["wait_minutes"]["by"] == (
        "the facilitator's API client"
    )
    assert ada.elements["c1"]["author"] == "the facilitator's API client"
    (cid,) = await ada.ops({"op": "update", "id": "c1", "set": {"text": "mine now"}})
    refused = await ada.expect("error")
    assert refused["cid"] == cid
    assert refused["reason"] == "only the facilitator's API client can change this comment"
    await ada.close()
