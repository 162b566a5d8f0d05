"""What refusals say back (app/domain/echo.py): short excerpts, JSON faults in words."""

from __future__ import annotations

import orjson
import pytest
from pydantic import TypeAdapter, ValidationError

from app.domain.echo import EXCERPT_CHARS, excerpt, json_fault

_ANY: TypeAdapter[object] = TypeAdapter(object)


def test_a_short_value_is_quoted_whole_and_a_long_one_cut_with_its_length_said() -> None:
    assert excerpt("Staging test") == "'Staging test'"
    long = excerpt("x" * 3000)
    assert long == f"'{'x' * EXCERPT_CHARS}'… (3,000 characters)"
    assert excerpt("Ada Lovelace", 3) == "'Ada'… (12 characters)"


def _both(raw: str) -> list[str]:
    """What each of our parsers (pydantic's for the websocket, orjson's for HTTP) says."""
    said = []
    try:
        _ANY.validate_json(raw)
    except ValidationError as err:
        said.append(json_fault(raw, str(err.errors()[0]["ctx"]["error"])))
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        said.append(json_fault(raw, str(err)))
    assert len(said) == 2, raw
    return said


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"name": "\\ud800"}', "a text holds a lone UTF-16 surrogate (\\ud800): not a character"),
        ('{"name": "a\\ud800b"}', "lone UTF-16 surrogate (\\ud800)"),
        ('{"name": "\\udc01"}', "lone UTF-16 surrogate (\\udc01)"),
        ('{"name": "\\uDBFF\\u0041"}', "lone UTF-16 surrogate (\\uDBFF)"),
        ('{"name": "', "the JSON ends too soon"),
        ('{"name": "a\nb"}', "control character"),
        ('{"name": "\\q"}', "backslash escape JSON does not know"),
        ('{"a": 1,}', "a comma stands before a closing bracket or brace"),
        ("{} x", "more text follows the end of the JSON value"),
        ("nonsense", "the message is not JSON"),
        ("", "the message is empty"),
    ],
)
def test_each_json_fault_is_said_in_the_senders_terms_by_both_parsers(raw: str, words: str) -> None:
    for said in _both(raw):
        assert words in said, (raw, said)


def test_a_pair_of_surrogates_and_an_escaped_backslash_are_not_lone_surrogates() -> None:
    assert "surrogate" not in json_fault('{"a": "\\ud83d\\ude00", "b": ', "EOF while parsing")
    assert "surrogate" not in json_fault('{"a": "\\\\ud800", "b": ', "EOF while parsing")


def test_a_fault_never_quotes_more_than_an_escape_of_the_input() -> None:
    raw = '{"name": "' + "N" * 100_000
    assert all(len(said) < 200 for said in _both(raw))
