"""What the PDF lists in words besides the map: notes, hypotheses, kaizen bursts,
experiments, the comment threads and the dot-vote results.

Plain text, kept apart from the drawing (pdf_lists.py lays it out) so the
wording is easy to read and test. Every text is whole: a list is where a long
note or a long thread can be read in full.

    >>> from app.domain.demo import demo_board
    >>> [s.title for s in sections(demo_board())]
    ['Hypotheses']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.domain.elements import Board, Comment, Dot, Element, Experiment, Note, Vote
from app.export.experiments import sentence, status_name
from app.export.fonts import one_line

# A list's heading per note variant, in the order the report prints them.
NOTE_SECTIONS: Mapping[str, str] = {
    "hypothesis": "Hypotheses",
    "kaizen": "Kaizen bursts",
    "comment": "Notes",
}


Placed = TypeVar("Placed", Note, Experiment)


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a list, with what hangs off it (a thread's replies, a card's result)."""

    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    items: tuple[Item, ...]


def sections(board: Board) -> list[Section]:
    """The lists this board has something for, in the report's order (empty ones left out)."""
    found = [
        *_notes(board),
        _experiments(board),
        _threads(board),
        _votes(board),
    ]
    return [s for s in found if s.items]


def name_of(el: Element | None, fallback: str) -> str:
    """What a step or note is called in a list: its text on one line, else what it is."""
    text = one_line(getattr(el, "text", "") or "")
    return text or fallback


def _by_place(elements: list[Placed]) -> list[Placed]:
    """Left to right, then top to bottom: the order people read the map in."""
    return sorted(elements, key=lambda e: (e.x, e.y, e.id))


def _notes(board: Board) -> list[Section]:
    notes = [e for e in board.elements.values() if isinstance(e, Note)]
    out = []
    for variant, title in NOTE_SECTIONS.items():
        chosen = [n for n in notes if n.variant == variant and n.text.strip()]
        items = tuple(Item(one_line(n.text)) for n in _by_place(chosen))
        out.append(Section(title, items))
    return out


def _experiments(board: Board) -> Section:
    cards = [e for e in board.elements.values() if isinstance(e, Experiment)]
    items = []
    for card in _by_place(cards):
        details = [f"Status: {status_name(card)}"]
        if card.result.strip():
            details.append(f"Result: {one_line(card.result)}")
        items.append(Item(sentence(card, board.calendar), tuple(details)))
    return Section("Experiments", tuple(items))


def _threads(board: Board) -> Section:
    """Each thread under what it is on: the first comment, then its replies in order."""
    comments = sorted(
        (e for e in board.elements.values() if isinstance(e, Comment)), key=lambda c: (c.at, c.id)
    )
    replies: dict[str, list[Comment]] = {}
    for c in comments:
        if c.parent is not None:
            replies.setdefault(c.parent, []).append(c)
    known = {c.id for c in comments}
    items = []
    for c in comments:
        if c.parent is not None and c.parent in known:
            continue  # printed under its thread
        on = name_of(board.elements.get(c.target), "a removed element")
        said = tuple(_said(r) for r in replies.get(c.id, []))
        items.append(Item(f"On {on}: {_said(c)}", said))
    return Section("Comments", tuple(items))


def _said(c: Comment) -> str:
    who = c.author.strip() or "someone"
    when = f", {c.at[:16].replace('T', ' ')}" if c.at else ""
    return f"{who}{when}: {one_line(c.text)}"


def _votes(board: Board) -> Section:
    votes = [e for e in board.elements.values() if isinstance(e, Vote)]
    dots = [e for e in board.elements.values() if isinstance(e, Dot)]
    items = []
    for vote in sorted(votes, key=lambda v: v.id):
        placed = [d for d in dots if d.vote == vote.id]
        voters = len({d.author_id or d.author for d in placed})
        state = "open" if vote.open else "closed"
        head = (
            f"{one_line(vote.text) or 'Dot vote'} ({state}; {_dots(len(placed))} from "
            f"{voters} {'person' if voters == 1 else 'people'}, {vote.dots} each)"
        )
        items.append(Item(head, tuple(_ranking(board, placed))))
    return Section("Dot votes", tuple(items))


def _ranking(board: Board, placed: list[Dot]) -> list[str]:
    """Most dots first; a tie shares its place ("=2."), and the next place is skipped."""
    tally = Counter(d.target for d in placed)
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1], name_of(board.elements.get(kv[0]), "")))
    lines = []
    for target, dots in ordered:
        place = 1 + sum(1 for _, other in ordered if other > dots)
        tied = sum(1 for _, other in ordered if other == dots) > 1
        name = name_of(board.elements.get(target), "a removed element")
        lines.append(f"{'=' if tied else ''}{place}. {name}: {_dots(dots)}")
    return lines


def _dots(count: int) -> str:
    return f"{count} dot" if count == 1 else f"{count} dots"
