"""Outbound: messages encoded once, as JSON texts and as websocket frames a client can parse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from app.hub.frames import Outbound, text_frame


def parse_frames(wire: bytes) -> list[Frame]:
    """What a client's parser makes of the bytes (server frames: not masked)."""
    reader = StreamReader()
    reader.feed_data(wire)
    reader.feed_eof()
    frames = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=False)
        try:
            next(parser)
        except StopIteration as done:
            frames.append(done.value)
        else:
            raise AssertionError("a frame was cut short")
    return frames


@pytest.mark.parametrize("length", [0, 10, 125, 126, 65_535, 65_536, 300_000])
def test_one_message_is_one_text_frame_of_any_length(length: int) -> None:
    message = {"type": "ops", "text": "é" * (length // 2)}
    out = Outbound(message)
    [frame] = parse_frames(out.wire)
    assert frame.opcode is Opcode.TEXT and frame.fin
    assert json.loads(frame.data) == message
    assert out.texts == [json.dumps(message, ensure_ascii=False, separators=(",", ":"))]
    assert out.size == len(frame.data)


def test_several_messages_stay_separate_and_in_order() -> None:
    messages: list[dict[str, Any]] = [{"type": "ops", "ops": [{"seq": 1}]}, {"type": "metrics"}]
    out = Outbound(*messages)
    assert [json.loads(f.data) for f in parse_frames(out.wire)] == messages
    assert [json.loads(t) for t in out.texts] == messages
    assert out.size == sum(len(t.encode()) for t in out.texts)


def test_the_wire_is_built_once_and_shared() -> None:
    out = Outbound({"type": "presence", "peers": []})
    assert out.wire is out.wire


@pytest.mark.parametrize("length", [0, 1, 125, 126, 127, 65_535, 65_536, 70_000])
def test_a_text_frame_is_byte_for_byte_what_the_websockets_library_makes(length: int) -> None:
    payload = b"x" * length
    assert text_frame(payload) == Frame(Opcode.TEXT, payload).serialize(mask=False)
