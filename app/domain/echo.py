"""What a refusal may say back about what someone sent, and how it says a JSON fault.

A refusal that repeats a name, an id or a field value in full hands a 3,000-character
name straight back (in a 404, in every websocket `error`), and puts it in logs and
screenshots. Every such echo goes through `excerpt`: short, in quotes, and marked
when it was cut, so the reader can tell the excerpt from the whole.

    >>> print(excerpt("Staging test"))
    'Staging test'
    >>> print(excerpt("x" * 3000))
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'… (3,000 characters)

The JSON parsers (pydantic's for the websocket, orjson's for HTTP bodies) say what
is wrong in their own terms ("unexpected end of hex escape"); `json_fault` says it
in terms of what the sender wrote, and quotes at most an escape of the input.

    >>> json_fault('{"name": "\\\\ud800"}', "unexpected end of hex escape at line 1 column 18")
    'a text holds a lone UTF-16 surrogate (\\\\ud800): not a character'
"""

from __future__ import annotations

import re

# Long enough to recognise a name or an id by, short enough for a one-line message.
EXCERPT_CHARS = 32

# A \\uXXXX escape of half of a UTF-16 pair that has no other half next to it.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\u[dD][89abAB][0-9a-fA-F]{2})(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<![dD][89abAB][0-9a-fA-F]{2})(?<!\\)(?:\\\\)*(\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_EMPTY = "the message is empty: send a JSON object"
_NOT_UTF8 = "the message is not valid UTF-8 text"
_WHERE = re.compile(r"line (\d+),? column (\d+)")

# The parsers' phrases (pydantic's jiter, orjson), lower-cased, and what they mean.
_FAULTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("zero-length", "empty document"), _EMPTY),
    (
        ("eof while parsing", "unexpected end of data"),
        "the JSON ends too soon: a closing quote, bracket or brace is missing",
    ),
    (
        ("control character",),
        "a text holds a control character (a raw line break, tab or NUL): "
        "write it as an escape such as \\n",
    ),
    (
        ("invalid escape", "escaped sequence", "hex escape", "unicode escape"),
        "a text holds a backslash escape JSON does not know "
        '(only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)',
    ),
    (("surrogate",), "a text holds a broken UTF-16 surrogate pair: not a character"),
    (("utf-8", "unicode code point"), _NOT_UTF8),
    (("trailing comma",), "a comma stands before a closing bracket or brace"),
    (
        ("trailing characters", "content after document"),
        "more text follows the end of the JSON value",
    ),
    (("key must be a string", 'expected `"`', "key"), "a key is not a text in double quotes"),
    (("expected `,`", "expected `:`"), "a comma or colon is missing between the JSON's items"),
    (("number",), "a number is not written as JSON writes numbers"),
)
_NOT_JSON = "the message is not JSON"


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """`value` quoted as Python quotes it, cut to `limit` characters and its length said
    when longer."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def json_fault(raw: str | bytes, parser_message: str) -> str:
    """Why `raw` is not JSON we read, in the sender's terms, from the parser's message."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode()
        except UnicodeDecodeError:
            return _NOT_UTF8
    else:
        text = raw
    lone = _LONE_SURROGATE.search(text)
    if lone is not None:
        escape = lone.group(1) or lone.group(2)
        return f"a text holds a lone UTF-16 surrogate ({escape}): not a character"
    if not text.strip():
        return _EMPTY
    said = parser_message.lower()
    what = next((words for keys, words in _FAULTS if any(key in said for key in keys)), _NOT_JSON)
    where = _WHERE.search(said)
    if where is None or what in (_EMPTY, _NOT_UTF8):
        return what
    return f"{what} (line {where.group(1)}, column {where.group(2)})"
