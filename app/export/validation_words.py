"""Where a map's validation stands, in the report's words: who signed off, what is disputed.

The PDF's Validation section said only the board's state ("waiting for every
invited participant to sign off"), and a published version's report said "Not
validated" whatever its participants had answered. Given the request's summary
(domain/validation.py `summarize`), it names them.

    >>> summary = {"participants": [
    ...     {"name": "Ada", "signed_off_at": "2026-12-05T10:00:00Z", "pending": 0},
    ...     {"name": "Bob", "signed_off_at": None, "pending": 2}],
    ...     "disputes": [{"step": "s1", "text": "Build", "by": [{"name": "Bob",
    ...     "comment": "It waits for the weekly review", "field": "wait_minutes",
    ...     "figure": "1w"}]}], "all_signed_off": False}
    >>> print(validation_lines(2, summary))
    Version 2 was sent to Ada and Bob to validate. Signed off: Ada. Yet to answer every step: Bob.
    Build, disputed by Bob: “It waits for the weekly review” (believes the wait is 1w).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# What each disputable figure is called in a sentence.
FIGURE_WORDS = {"wait_minutes": "the wait", "process_minutes": "the process time", "pca": "%C/A"}


def validation_lines(number: int, summary: Mapping[str, Any]) -> str:
    """The request's state, then a line per disputed step (lines joined by newlines)."""
    people = summary.get("participants", [])
    names = [str(p["name"]) for p in people]
    if summary.get("all_signed_off"):
        return f"Validated: {_listed(names)} signed version {number} off."
    head = [f"Version {number} was sent to {_listed(names)} to validate."]
    signed = [str(p["name"]) for p in people if p.get("signed_off_at")]
    waiting = [str(p["name"]) for p in people if not p.get("signed_off_at") and p.get("pending")]
    if signed:
        head.append(f"Signed off: {_listed(signed)}.")
    if waiting:
        head.append(f"Yet to answer every step: {_listed(waiting)}.")
    lines = [" ".join(head)]
    for dispute in summary.get("disputes", []):
        said = "; ".join(_said(by) for by in dispute["by"])
        lines.append(f"{dispute['text'] or 'Untitled step'}, disputed by {said}.")
    return "\n".join(lines)


def _said(by: Mapping[str, Any]) -> str:
    words = f"{by['name']}: “{by.get('comment', '')}”"
    if by.get("figure"):
        words += f" (believes {FIGURE_WORDS.get(by.get('field') or '', 'it')} is {by['figure']})"
    return words


def _listed(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "nobody"
    return ", ".join(names[:-1]) + " and " + names[-1]
