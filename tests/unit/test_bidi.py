"""Text that turns the writing direction must turn it back before it ends.

A step named "\u202eReview" (a right-to-left override left open) reversed every word
the map wrote after the name: the Flow panel read "Constraint stiaw krow :weiveR",
and so did the PDF's and the validation page's sentences. The door refuses such
text; text that closes what it opens, and plain right-to-left text, pass.
"""

from __future__ import annotations

import pytest

from app.domain.bidi import unclosed_direction
from app.domain.fields import Invalid, text

RLO, RLE, LRO, PDF = "\u202e", "\u202b", "\u202d", "\u202c"
RLI, FSI, PDI = "\u2067", "\u2068", "\u2069"


@pytest.mark.parametrize(
    "value",
    [
        "Review",
        "مرحبا بالعالم",  # right-to-left letters need no control
        "שלום Review",
        f"{RLO}Review{PDF}",
        f"{RLI}Review{PDI} done",
        f"{RLE}a{LRO}b{PDF}c{PDF}",
        f"{FSI}a{RLE}b{PDI}",  # the isolate's end closes the embedding inside it
        f"stray closers {PDF}{PDI}",  # close nothing: harmless
        "",
    ],
)
def test_text_that_closes_what_it_opens_passes(value: str) -> None:
    assert unclosed_direction(value) is None
    assert text(200)(value) == value


@pytest.mark.parametrize(
    "value",
    [
        f"{RLO}Review",
        f"Why {RLE}wait",
        f"{LRO}a{PDF}{RLO}b",
        f"{RLI}Review",
        f"{FSI}a{PDI}{FSI}",
        f"{RLO}a{RLI}b{PDF}{PDI}",  # a PDF cannot close the override past an open isolate
    ],
)
def test_text_left_turned_is_refused_saying_what_to_do(value: str) -> None:
    assert unclosed_direction(value) is not None
    with pytest.raises(Invalid, match="writing direction"):
        text(200)(value)
