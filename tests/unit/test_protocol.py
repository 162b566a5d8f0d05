"""The protocol's golden examples (shared with the browser's tests) parse as the models say."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path
from typing import Any

import pytest

from app.domain.elements import (
    CONNECTOR_KINDS,
    ELEMENT_TYPES,
    KINDS,
    NOTE_VARIANTS,
    PALETTE,
    SHAPE_KINDS,
    WASTES,
)
from app.protocol import (
    MAX_FRAME_BYTES,
    SERVER_MESSAGE,
    ClientMessage,
    Hello,
    Malformed,
    OpsMessage,
    ServerMessage,
    parse_client_message,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "protocol"
CLIENT = json.loads((FIXTURES / "client.json").read_text())
SERVER = json.loads((FIXTURES / "server.json").read_text())


@pytest.mark.parametrize("name", sorted(CLIENT))
def test_every_client_example_parses(name: str) -> None:
    message = parse_client_message(json.dumps(CLIENT[name]))
    assert message.type == CLIENT[name]["type"]


@pytest.mark.parametrize("name", sorted(SERVER))
def test_every_server_example_matches_its_model(name: str) -> None:
    assert SERVER_MESSAGE.validate_python(SERVER[name]).type == SERVER[name]["type"]


def _message_types(union: object) -> set[str]:
    """The `type` tags of a discriminated union of messages, read from the models."""
    members = typing.get_args(typing.get_args(union)[0])
    return {typing.get_args(m.model_fields["type"].annotation)[0] for m in members}


def test_client_examples_cover_every_client_message_type() -> None:
    assert {m["type"] for m in CLIENT.values()} == _message_types(ClientMessage)


def test_server_examples_cover_every_server_message_type() -> None:
    assert {m["type"] for m in SERVER.values()} == _message_types(ServerMessage)


def test_the_unions_are_read_for_every_type() -> None:
    """The coverage above is only as good as this reading of the unions."""
    assert {"hello", "ops", "drag", "cursor", "ping", "view"} <= _message_types(ClientMessage)
    assert {"welcome", "ack", "error", "pong"} <= _message_types(ServerMessage)


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        (b"\xff\xfe", "malformed", "not valid UTF-8"),
        ('{"type": "hello", "name": ""}', "malformed", "name"),
        ('{"type": "hello", "name": "A", "since": -1}', "malformed", "since"),
        ('{"type": "hello", "name": "A", "since": "3"}', "malformed", "since"),
        ('{"type": "cursor", "x": "1", "y": 2}', "malformed", "cursor.x"),
        ('{"type": "ops", "ops": []}', "malformed", "ops.ops"),
        ('{"type": "ping", "t": 1, "extra": true}', "malformed", "extra"),
        ('{"type": "ops", "ops": [{"op": "delete", "cid": "", "id": "s"}]}', "malformed", "cid"),
    ],
)
def test_bad_frames_are_malformed_with_a_reason(raw: str | bytes, code: str, fragment: str) -> None:
    with pytest.raises(Malformed) as bad:
        parse_client_message(raw)
    assert bad.value.code == code
    assert fragment in bad.value.reason


def test_too_many_operations_is_too_large() -> None:
    ops = [{"op": "delete", "cid": f"c:{i}", "id": "s"} for i in range(201)]
    with pytest.raises(Malformed) as bad:
        parse_client_message(json.dumps({"type": "ops", "ops": ops}))
    assert bad.value.code == "too_large"


def test_an_oversized_frame_is_refused_before_parsing() -> None:
    with pytest.raises(Malformed) as bad:
        parse_client_message("x" * (MAX_FRAME_BYTES + 1))
    assert bad.value.code == "too_large"


def test_numbers_stay_numbers_and_ints_are_fine_for_coordinates() -> None:
    hello = parse_client_message('{"type": "hello", "name": "Ada", "since": 4}')
    assert isinstance(hello, Hello) and hello.since == 4
    ops = parse_client_message(json.dumps(CLIENT["ops_update"]))
    assert isinstance(ops, OpsMessage) and ops.ops[0].cid == "k3j9:2"


def domain_constants() -> dict[str, Any]:
    """The vocabulary the browser mirrors in frontend/js/protocol.js, from the domain."""
    defaults: dict[str, dict[str, Any]] = {}
    for kind in SHAPE_KINDS:
        defaults[kind] = {
            # Provenance is a list of tuples inside, an object on the wire.
            f.name: {} if f.name == "provenance" else _plain(f.default)
            for f in dataclasses.fields(ELEMENT_TYPES[kind])
            if f.default is not dataclasses.MISSING
        }
    return {
        "kinds": list(KINDS),
        "palette": list(PALETTE),
        "wastes": list(WASTES),
        "connector_kinds": list(CONNECTOR_KINDS),
        "note_variants": list(NOTE_VARIANTS),
        "defaults": defaults,
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def test_the_constants_fixture_matches_the_domain() -> None:
    # frontend/tests/protocol.test.js checks the browser's copy against the same file.
    stored = json.loads((FIXTURES / "constants.json").read_text())
    assert stored == domain_constants(), (
        "regenerate with: python -c 'import json, tests.unit.test_protocol as t; "
        "print(json.dumps(t.domain_constants(), indent=2))' > tests/fixtures/protocol/constants.json"
    )


# Hangul fillers, the blank Braille pattern, the grapheme joiner, marks on nothing: letters,
# symbols and marks to Unicode that draw nothing others could read.
@pytest.mark.parametrize(
    "name",
    [" ", "\u200b", "\u202e\u2066", "\t\n", "\u3164", "\u2800", "\u115f\u1160", "\uffa0",
     "\u034f", "\u0301\u0301"],
)  # fmt: skip
def test_a_name_with_nothing_to_see_is_refused(name: str) -> None:
    # Blank and invisible names were taken, and stamped on comments as their author.
    with pytest.raises(Malformed, match="a name needs a letter or a digit"):
        parse_client_message(json.dumps({"type": "hello", "name": name}))


def test_a_name_loses_its_invisible_characters_and_extra_spaces() -> None:
    hello = parse_client_message(json.dumps({"type": "hello", "name": " \u202eFay\u200b  Lee "}))
    assert isinstance(hello, Hello) and hello.name == "Fay Lee"
