"""Text that turns the writing direction must turn it back before it ends.

The Unicode controls that embed, override or isolate a direction (U+202A-U+202E,
U+2066-U+2068) hold until their closer (U+202C, U+2069) or the end of the paragraph.
Text that leaves one open reverses whatever the map writes after it on the same
line: a step named "\\u202eReview" made the constraint's reason read "stiaw krow
:weiveR" in the Flow panel, the PDF and the validation page, for everyone. Text
comes in through several doors (operations, a new board, a version's label, a
verdict); each asks this module and refuses such text with `UNCLOSED`. Right-to-left
letters need no control, and text that closes what it opens is kept exactly.

    >>> unclosed_direction("\\u202eReview\\u202c") is None
    True
    >>> unclosed_direction("\\u202eReview")
    'U+202E'
"""

from __future__ import annotations

# Openers of an embedding or override, closed by PDF; openers of an isolate, closed by PDI.
EMBEDS = frozenset("\u202a\u202b\u202d\u202e")
ISOLATES = frozenset("\u2066\u2067\u2068")
CONTROLS = EMBEDS | ISOLATES
PDF, PDI = "\u202c", "\u2069"

UNCLOSED = (
    "turns the writing direction ({control}) without turning it back: close it"
    " (U+202C or U+2069) or leave it out, or the words after it read backwards"
)


def unclosed_direction(text: str) -> str | None:
    """The first direction control `text` leaves open (as "U+202E"), or None.

    As the bidi algorithm pairs them: a PDF closes the latest embedding unless an
    isolate was opened after it; a PDI closes the latest isolate and every embedding
    inside it. Closers with nothing to close change nothing.
    """
    if CONTROLS.isdisjoint(text):
        return None  # the common case, in one pass in C (every name an edit sets comes here)
    stack: list[str] = []
    for ch in text:
        if ch in EMBEDS or ch in ISOLATES:
            stack.append(ch)
        elif ch == PDF and stack and stack[-1] in EMBEDS:
            stack.pop()
        elif ch == PDI and any(c in ISOLATES for c in stack):
            while stack.pop() not in ISOLATES:
                pass
    return f"U+{ord(stack[0]):04X}" if stack else None


def check_direction(text: str) -> str:
    """`text`, or ValueError saying which control it leaves open (for pydantic fields)."""
    control = unclosed_direction(text)
    if control is not None:
        raise ValueError(UNCLOSED.format(control=control))
    return text
