"""An open dot vote's secret: where each person put their dots, until the vote closes.

While a vote is open nobody but its author learns where a dot is: everyone
hears that it was placed (its vote and its author, so the page can say who has
voted), with its `target` left null. When the facilitator closes the vote,
every dot of it goes to everyone whole (`reveal`). The server keeps the whole
dots in the op log as always; what is sealed is what leaves it (hub/timeline.py,
hub/room.py welcomes, the HTTP board read; an export leaves them out).

A delete takes the dots on what it deletes: its `removed` list, whole, would
say where they were. So others' dots it took are left out of it for each peer
(who then holds them sealed, gone from the board, until the vote's `reveal`
names all its dots and the page drops the rest); taking back one's own dot, or
removing the vote, says nothing of where any was.

    secret = secret_dots(board)                  # dot id -> its author's client id
    sealed = seal_entries(entries, secret, "c-ada")   # None: nothing to hide from Ada
                                                 # (a create's target, a delete's dots)
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
        if op == "delete" and len(entry.get("removed", ())) > 1:  # it took what hung off it
            return True
    return False


def sealed(element: Mapping[str, Any]) -> dict[str, Any]:
    """A dot as others see it while its vote is open: where it is, left out."""
    return {**element, "target": None}


def seal_entries(
    entries: Sequence[Mapping[str, Any]],
    secret: Mapping[str, str],
    client: str,
    votes: Collection[str] = (),
) -> list[Mapping[str, Any]] | None:
    """The entries as `client` may see them, or None when they hide nothing from it.

    `secret`: the dots sealed before these entries and after them (a delete's dots are
    gone after it), each with its author; `votes`: the open votes (removing one takes
    all its dots, wherever they were: that says nothing)."""
    out: list[Mapping[str, Any]] = []
    changed = False
    for entry in entries:
        op = entry.get("op")
        if op == "create":
            element = entry["element"]
            author = secret.get(element.get("id", ""))
            if author is not None and author != client and element.get("kind") == "dot":
                entry = {**entry, "element": sealed(element)}
                changed = True
        elif op == "delete" and len(entry.get("removed", ())) > 1 and entry["id"] not in votes:
            removed = entry["removed"]
            # The first is what was deleted (a dot taken back by its author: no place said).
            kept = [removed[0], *(i for i in removed[1:] if secret.get(i, client) == client)]
            if len(kept) < len(removed):
                entry = {**entry, "removed": kept}
                changed = True
        out.append(entry)
    return out if changed else None


def sealed_in(entries: Iterable[Mapping[str, Any]], secret: Mapping[str, str]) -> set[str]:
    """The secret dots these entries place or take with a delete: what may differ per peer."""
    out: set[str] = set()
    for entry in entries:
        op = entry.get("op")
        if op == "create":
            out.add(entry["element"].get("id", ""))
        elif op == "delete":
            out.update(entry.get("removed", ())[1:])
    return out & secret.keys()


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
    dot of them it holds: a delete took it while it was sealed)."""
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
