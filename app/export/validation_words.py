"""Where a map's validation stands, in the report's words: who signed off, what is disputed.

The PDF's Validation section said only the board's state ("waiting for every
invited participant to sign off"), and a published version's report said "Not
validated" whatever its participants had answered. Given the request's summary
(domain/validation.py `summarize`), it names them. The first line is the summary
the report's head repeats; then who stands where, and a line per disputed step.

    >>> summary = {"participants": [
    ...     {"name": "Ada", "signed_off_at": "2026-12-05T10:00:00Z", "pending": 0},
    ...     {"name": "Bob", "signed_off_at": None, "pending": 2}],
    ...     "disputes": [{"step": "s1", "text": "Build", "by": [{"name": "Bob",
    ...     "comment": "It waits for the weekly review", "field": "wait_minutes",
    ...     "figure": "1w"}]}], "all_signed_off": False}
    >>> print(validation_lines(2, summary))
    Version 2 was sent to Ada and Bob to validate: 1 signed off, 1 yet to answer every step.
    Signed off: Ada. Yet to answer every step: Bob.
    Build, disputed by Bob: “It waits for the weekly review” (believes the wait is 1w).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# What each disputable figure is called in a sentence.
FIGURE_WORDS = {"wait_minutes": "the wait", "process_minutes": "the process time", "pca": "%C/A"}
# Up to this many people are named in the first line (the report's head); more are counted.
NAMED_IN_SUMMARY = 6


def validation_lines(number: int, summary: Mapping[str, Any]) -> str:
    """The request's state, who stands where, then a line per disputed step (joined by
    newlines; no line break inside one)."""
    people = summary.get("participants", [])
    names = [_one_line(p["name"]) for p in people]
    asked = _listed(names) if len(names) <= NAMED_IN_SUMMARY else f"{len(names)} people"
    if summary.get("all_signed_off"):
        return f"Validated: {asked} signed version {number} off."
    where = [_where(p) for p in people]
    groups = [
        (what, [n for n, w in zip(names, where, strict=True) if w == what]) for what in _WHERE
    ]
    counts = ", ".join(f"{len(who)} {what}" for what, who in groups if who)
    lines = [f"Version {number} was sent to {asked} to validate: {counts}."]
    lines.append(" ".join(f"{what.capitalize()}: {_listed(who)}." for what, who in groups if who))
    for dispute in summary.get("disputes", []):
        said = "; ".join(_said(by) for by in dispute["by"])
        lines.append(f"{_one_line(dispute['text']) or 'Untitled step'}, disputed by {said}.")
    return "\n".join(lines)


_WHERE = ("signed off", "yet to answer every step", "answered every step, not signed off")


def _where(person: Mapping[str, Any]) -> str:
    if person.get("signed_off_at"):
        return _WHERE[0]
    return _WHERE[1] if person.get("pending") else _WHERE[2]


def _said(by: Mapping[str, Any]) -> str:
    words = f"{_one_line(by['name'])}: “{_one_line(by.get('comment', ''))}”"
    if by.get("figure"):
        field = by.get("field") or ""
        figure = _one_line(by["figure"])
        if field == "pca" and not figure.endswith("%"):
            figure += "%"
        words += f" (believes {FIGURE_WORDS.get(field, 'it')} is {figure})"
    return words


def _one_line(text: str) -> str:
    """A comment's or a name's line breaks as spaces: each dispute is one line."""
    return " ".join(str(text).split())


def _listed(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "nobody"
    return ", ".join(names[:-1]) + " and " + names[-1]
