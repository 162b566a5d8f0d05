"""An open dot vote's secret: where each person put their dots, until the vote closes.

While a vote is open nobody but its author learns where a dot is: everyone
hears that it was placed (its vote and its author, so the page can say who has
voted), with its `target` left null. When the facilitator closes the vote,
every dot of it goes to everyone whole (`reveal`). The server keeps the whole
dots in the op log as always; what is sealed is what leaves it (hub/timeline.py,
hub/room.py welcomes, the HTTP board read; an export leaves them out).

A delete never takes an open vote's dots (domain/collab.py attached_to), only
removing the vote does, which names them all and says nothing of where: a dot
gone with a step would differ from one elsewhere in every answer a peer gets
(a refusal naming its author, "no element", the counts). The server holds a dot
left on nothing, sealed as any other, until the vote closes; closing it drops
them (the close entry's `removed`) and `reveal` shows the rest whole.

    secret = secret_dots(board)                  # dot id -> its author's client id
    sealed = seal_entries(entries, secret, "c-ada")   # None: nothing to hide from Ada
    closed = closed_votes(entries, before)       # votes this batch closed: reveal theirs
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from app.domain.elements import Board, Dot, Vote, evolve
from app.domain.serialize import element_to_json


def secret_dots(board: Board) -> dict[str, str]:
    """The dots of open votes, each with its author's client id."""
    running = open_votes(board)
    if not running:
        return {}
    return {
        e.id: e.author_id
        for e in board.elements.values()
        if isinstance(e, Dot) and e.vote in running
    }


def may_hide(entries: Iterable[Mapping[str, Any]]) -> bool:
    """Whether these entries could place a secret dot or close a vote (cheap: most batches
    are neither, and need no sealing)."""
    for entry in entries:
        op = entry.get("op")
        if op == "create" and entry["element"].get("kind") == "dot":
            return True
        if op == "update" and "open" in entry.get("set", {}):
            return True
    return False


def may_have_hidden(entry: Mapping[str, Any]) -> bool:
    """Whether a kept entry may have gone out sealed to some peers: `may_hide`, or a delete
    that took what hung off it as a server before this one kept them (it took an open
    vote's dots and named them only to their authors)."""
    if may_hide([entry]):
        return True
    return entry.get("op") == "delete" and len(entry.get("removed", ())) > 1


def sealed(element: Mapping[str, Any]) -> dict[str, Any]:
    """A dot as others see it while its vote is open: where it is, left out."""
    return {**element, "target": None}


def seal_entries(
    entries: Sequence[Mapping[str, Any]], secret: Mapping[str, str], client: str
) -> list[Mapping[str, Any]] | None:
    """The entries as `client` may see them, or None when they hide nothing from it.

    `secret`: the dots sealed before these entries and after them, each with its author."""
    out: list[Mapping[str, Any]] = []
    changed = False
    for entry in entries:
        if entry.get("op") == "create":
            element = entry["element"]
            author = secret.get(element.get("id", ""))
            if author is not None and author != client and element.get("kind") == "dot":
                entry = {**entry, "element": sealed(element)}
                changed = True
        out.append(entry)
    return out if changed else None


def placed_in(entries: Iterable[Mapping[str, Any]], votes: Collection[str]) -> dict[str, str]:
    """The dots these entries place in these votes, each with its author's client id (a
    dot placed as its vote is removed, or taken back, in one batch is on neither board)."""
    out: dict[str, str] = {}
    for entry in entries:
        element = entry["element"] if entry.get("op") == "create" else None
        if element is not None and element.get("kind") == "dot" and element.get("vote") in votes:
            out[element.get("id", "")] = element.get("author_id") or ""
    return out


def sealed_in(entries: Iterable[Mapping[str, Any]], secret: Mapping[str, str]) -> set[str]:
    """The secret dots these entries place: what may differ per peer."""
    placed = {e["element"].get("id", "") for e in entries if e.get("op") == "create"}
    return placed & secret.keys()


def open_votes(board: Board) -> set[str]:
    return {e.id for e in board.elements.values() if isinstance(e, Vote) and e.open}


def seal_snapshot(
    snapshot: dict[str, Any], secret: Mapping[str, str], client: str | None
) -> dict[str, Any]:
    """A board_to_json snapshot as `client` may see it (None: an onlooker, every dot sealed)."""
    if not secret:
        return snapshot
    elements = [
        sealed(e) if e.get("id") in secret and secret[e["id"]] != client else e
        for e in snapshot["elements"]
    ]
    return {**snapshot, "elements": elements}


def closed_votes(entries: Iterable[Mapping[str, Any]], before: Board) -> set[str]:
    """The votes these entries closed (open before, set open: false)."""
    out = set()
    for entry in entries:
        if entry.get("op") == "update" and entry.get("set", {}).get("open") is False:
            vote = before.elements.get(entry["id"])
            if isinstance(vote, Vote) and vote.open:
                out.add(vote.id)
    return out


def revealed(board: Board, votes: set[str]) -> list[dict[str, Any]]:
    """Every dot of these votes, whole, as everyone may now see them (a page drops any other
    dot of them it holds: closing dropped it, left on nothing by a delete)."""
    return [
        element_to_json(e)
        for e in board.elements.values()
        if isinstance(e, Dot) and e.vote in votes
    ]


def without_secret_dots(board: Board) -> Board:
    """The board without the dots of open votes (an export while a vote runs)."""
    secret = secret_dots(board)
    if not secret:
        return board
    kept = {k: e for k, e in board.elements.items() if k not in secret}
    return evolve(board, {"elements": kept})
