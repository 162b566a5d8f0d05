"""RecentLog: a room's last entries as their JSON, byte for byte what encoding them whole gives."""

from __future__ import annotations

import gc
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from app.hub.recent import RecentLog

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def entry(seq: int, **more: Any) -> dict[str, Any]:
    return {"seq": seq, "cid": f"c{seq}", "op": "update", "id": "s1", "set": {"x": seq}, **more}


@given(st.lists(st.dictionaries(st.text(max_size=5), values, max_size=4), max_size=6))
def test_the_ops_frame_is_what_encoding_the_message_whole_gives(
    extras: list[dict[str, Any]],
) -> None:
    entries = [{**extra, "seq": i + 1} for i, extra in enumerate(extras)]
    blobs = RecentLog(10).extend(entries)
    assert RecentLog.ops_frame(blobs) == orjson.dumps({"type": "ops", "ops": entries})


def test_since_gives_what_came_after_and_the_oldest_is_dropped_past_the_limit() -> None:
    recent = RecentLog(3, [entry(1), entry(2)])
    recent.extend([entry(3), entry(4)])
    assert len(recent) == 3 and recent.oldest == 2
    missed = orjson.loads(orjson.dumps({"missed": recent.since(2)}))["missed"]
    assert missed == [entry(3), entry(4)]
    assert recent.since(4) == []
    assert RecentLog(3).oldest is None


def test_kept_entries_are_nothing_the_garbage_collector_scans() -> None:
    recent = RecentLog(1000)
    gc.collect()
    before = len(gc.get_objects())
    recent.extend(entry(seq, element={"id": "s1", "kind": "step"}) for seq in range(1, 1001))
    gc.collect()
    assert len(gc.get_objects()) - before < 10  # as dicts, these would be 2,000 or more
