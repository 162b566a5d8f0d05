"""Fuzz the websocket frame decoder: whatever arrives, the answer is a message or `Malformed`.

`parse_client_message` sees every frame from every browser and script before
anything else does. Fed arbitrary bytes, arbitrary text, arbitrary JSON, and
the protocol's own golden examples with fields swapped, dropped and added, it
must either return a message or raise `Malformed` with a protocol code and a
reason — never another exception. What it accepts and the server echoes to
other peers (drags, cursors, views, pings) must survive the trip back out as
JSON unchanged: no NaN or Infinity that would reach the others as null.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from app.protocol import MAX_FRAME_BYTES, Cursor, Drag, Malformed, Ping, parse_client_message

GOLDEN = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "protocol" / "client.json").read_text()
)
# The codes a decoding failure may carry (docs/protocol.md, Errors).
DECODER_CODES = {"malformed", "too_large"}
TYPES = ["hello", "ops", "drag", "cursor", "ping", "view", "shout", "", "OPS"]
FIELDS = ["type", "protocol", "name", "since", "client", "ops", "moves", "x", "y", "w", "h", "t",
          "cid", "op", "id", "set", "element", "kind"]  # fmt: skip
# Parsing is microseconds: many examples cost a second or two.
EXAMPLES = 300

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**70)  # around 64-bit limits
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["", "\x00", "\u202e", "a" * 70, "s-1a2b3c", "k3j9:1"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=6),
    max_leaves=25,
)  # fmt: skip
messages = st.fixed_dictionaries(
    {"type": st.sampled_from(TYPES)},
    optional={name: json_values for name in FIELDS if name != "type"},
)
# Shaped like the real messages, with edge values where numbers and names go:
# these reach the field validators that random JSON rarely gets past the tags to.
EDGE_NUMBERS = [math.nan, math.inf, -math.inf, 1e308, -0.0, 5e-324, 2**53 + 1, 2**64, -(2**63) - 1]
numbers = st.sampled_from(EDGE_NUMBERS) | st.floats() | st.integers()
names = st.text(max_size=70) | st.sampled_from(["", "\x00", "a\x00b", "\u202eevil"])
ids = st.text(max_size=70) | st.sampled_from(["s-1", "", "a" * 65])
operations = st.fixed_dictionaries(
    {"op": st.sampled_from(["create", "update", "delete", "board", "nope"]), "cid": names},
    optional={"id": ids, "set": json_values, "element": json_values},
)
shaped = st.one_of(
    st.fixed_dictionaries({"type": st.just("cursor"), "x": st.none() | numbers, "y": st.none() | numbers}),
    st.fixed_dictionaries({"type": st.just("ping")}, optional={"t": numbers}),
    st.fixed_dictionaries({"type": st.just("view"), "x": numbers, "y": numbers, "w": numbers, "h": numbers}),
    st.fixed_dictionaries({"type": st.just("drag"), "moves": st.lists(
        st.fixed_dictionaries({"id": ids, "x": numbers, "y": numbers}), max_size=3)}),
    st.fixed_dictionaries({"type": st.just("hello"), "name": names},
                          optional={"protocol": numbers, "since": st.none() | numbers, "client": ids}),
    st.fixed_dictionaries({"type": st.just("ops"), "ops": st.lists(operations, max_size=3)}),
)  # fmt: skip


@st.composite
def mutated_golden(draw: st.DrawFn) -> dict[str, Any]:
    """A real protocol example with one field changed, dropped or added, at any depth."""
    message: Any = json.loads(json.dumps(GOLDEN[draw(st.sampled_from(sorted(GOLDEN)))]))
    node = message
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        child = node[draw(st.sampled_from(keys))]
        if not isinstance(child, dict | list) or not child:
            break
        node = child
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["change", "drop", "add"]))
        if action == "change":
            node[key] = draw(json_values)
        elif action == "drop":
            del node[key]
        else:
            node[draw(st.sampled_from(FIELDS))] = draw(json_values)
    elif isinstance(node, list):
        node.append(draw(json_values))
    assert isinstance(message, dict)
    return message


def _encode(value: Any) -> str:
    return json.dumps(value, allow_nan=True)  # NaN/Infinity tokens, as a hostile client may send


def check(raw: str | bytes) -> None:
    """The property: a message (echoed faithfully if it is echoed), or Malformed with a reason."""
    try:
        message = parse_client_message(raw)
    except Malformed as bad:
        assert bad.code in DECODER_CODES
        assert isinstance(bad.reason, str) and bad.reason
        return
    if isinstance(message, Drag | Cursor | Ping) or message.type == "view":
        echoed = orjson.dumps(message.model_dump())
        assert parse_client_message(echoed) == message, "changed on the way back out"


@settings(max_examples=EXAMPLES)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_message_or_malformed(raw: bytes) -> None:
    check(raw)


@settings(max_examples=EXAMPLES)
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_message_or_malformed(raw: str) -> None:
    check(raw)


@settings(max_examples=EXAMPLES)
@given(json_values)
def test_arbitrary_json_is_a_message_or_malformed(value: Any) -> None:
    check(_encode(value))


@settings(max_examples=EXAMPLES)
@given(messages)
def test_message_shaped_json_is_a_message_or_malformed(value: dict[str, Any]) -> None:
    check(_encode(value))


@settings(max_examples=EXAMPLES)
@given(shaped)
def test_well_shaped_messages_with_edge_values_are_a_message_or_malformed(
    value: dict[str, Any],
) -> None:
    check(_encode(value))


@settings(max_examples=EXAMPLES)
@given(mutated_golden())
def test_golden_examples_with_a_field_changed_are_a_message_or_malformed(
    value: dict[str, Any],
) -> None:
    check(_encode(value))
    check(_encode(value).encode())


def test_deep_nesting_and_oversized_frames_are_malformed_not_a_crash() -> None:
    for raw in ("[" * 100_000, '{"a":' * 50_000, " " * (MAX_FRAME_BYTES + 1), b"\xff" * 10):
        try:
            parse_client_message(raw)
        except Malformed as bad:
            assert bad.code in DECODER_CODES
        else:
            raise AssertionError(f"accepted {raw[:20]!r}")


def test_the_fuzzer_reaches_valid_messages_too() -> None:
    """Guard against a fuzzer that only ever makes garbage: the golden examples pass."""
    for example in GOLDEN.values():
        check(_encode(example))
        assert parse_client_message(_encode(example)).type == example["type"]
