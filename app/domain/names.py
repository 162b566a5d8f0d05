"""A person's name as everyone will see it: the one rule for every name people give.

A hello's display name (protocol.py `PersonName`), the names a facilitator asks to
validate a version (validation.py `invited_names`) and the file and person names an
event log's import records (api/events.py) all pass through `person_name`: invisible
characters out, runs of spaces made one, and a name that draws nothing refused (it
would be shown as a blank person, or pass for another: "Ada" and "Ada" with a
zero-width space in it).

    >>> person_name("  Ada \\u200b Lovelace ")
    'Ada Lovelace'

A viewer who joins without a name ("Just look") is named by the server, never by
its own word: `guest_name` gives the first of "Guest", "Guest 2", "Guest 3"... that
nobody on the board goes by, so three people looking on are three people.

    >>> guest_name({"Guest", "Ada", "Guest 3"})
    'Guest 2'
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Collection

# Format and control characters: nothing to see, or they turn the text around.
_UNSEEN = frozenset({"Cf", "Cc"})
# Letters, symbols and marks to Unicode that draw nothing: the Hangul fillers and the blank
# Braille pattern (the usual ways to a blank name), the grapheme joiner, Khmer's silent vowels.
_BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
NOTHING_TO_SEE = "a name needs a letter or a digit others can see"
# What the others see of a viewer who looks on without a name (numbered from the second).
GUEST = "Guest"


def person_name(name: str) -> str:
    """A name as everyone will see it; ValueError when nothing of it can be seen."""
    shown = " ".join(
        "".join(
            ch for ch in name if unicodedata.category(ch) not in _UNSEEN and ch not in _BLANKS
        ).split()
    )
    # Marks alone (accents on nothing) show nothing either: a letter, digit, sign or symbol.
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in shown):
        raise ValueError(NOTHING_TO_SEE)
    return shown


def guest_name(taken: Collection[str]) -> str:
    """The first of "Guest", "Guest 2", "Guest 3"... not in `taken` (the names on the board)."""
    for number in itertools.count(1):
        name = person_name(GUEST if number == 1 else f"{GUEST} {number}")
        if name not in taken:
            return name
    raise AssertionError("unreachable")  # pragma: no cover
