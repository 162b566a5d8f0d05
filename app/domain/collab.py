"""The rules of the workshop's shared extras: comments, estimates and dot votes.

They are elements like the notes on the canvas (so they sync, persist, undo and
catch up the same way) but with owners: the server stamps who wrote each one,
only its author may change it, and a dot vote counts each participant's dots.

    >>> from app.domain.actor import Actor
    >>> ada = Actor(name="Ada", client="c1", role="participant", at="2026-11-23T09:00:00Z")
    >>> stamp_author({"target": "s1", "text": "Why?"}, ada)["author"]
    'Ada'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.actor import Actor
from app.domain.elements import (
    Comment,
    Connector,
    Dot,
    Element,
    Estimate,
    Inventory,
    Note,
    Step,
    Vote,
)

# Kinds that carry an author stamped by the server.
AUTHORED = ("comment", "estimate", "dot")
# What a comment, an estimate or a dot may be about.
_COMMENTABLE = (Step, Note, Inventory)
_VOTABLE = (Step, Note)


class Refused(ValueError):
    """An operation the workshop's rules do not allow; the message says why."""


def stamp_author(values: Mapping[str, Any], actor: Actor | None) -> dict[str, Any]:
    """The values with the author fields set from the actor (nobody when there is none)."""
    if actor is None:
        return dict(values)
    return {**values, "author": actor.name, "author_id": actor.client, "at": actor.at}


def check_create(
    kind: str, values: Mapping[str, Any], elements: Mapping[str, Element], actor: Actor | None
) -> None:
    """Refuse a new comment, estimate, vote or dot that breaks the rules."""
    if kind == "comment":
        _check_comment(values, elements)
    elif kind == "estimate":
        _check_estimate(values, elements, actor)
    elif kind == "vote":
        _facilitator_only(actor, "run a vote")
    elif kind == "dot":
        _check_dot(values, elements, actor)


def check_change(current: Element, values: Mapping[str, Any], actor: Actor | None) -> None:
    """Refuse an update that is not the author's (or, for a vote, the facilitator's)."""
    if isinstance(current, Vote):
        _facilitator_only(actor, "change a vote")
        return
    if isinstance(current, Comment | Estimate | Dot):
        _own(current, actor, "change")
        if isinstance(current, Dot):
            raise Refused("a dot cannot move: take it back and place another")
        fixed = {"target", "parent", "field"} & values.keys()
        if fixed:
            raise Refused(f"an existing {current.kind}'s {sorted(fixed)[0]} cannot change")


def check_delete(current: Element, elements: Mapping[str, Element], actor: Actor | None) -> None:
    if isinstance(current, Vote):
        _facilitator_only(actor, "remove a vote")
    elif isinstance(current, Dot):
        _own(current, actor, "take back")
        vote = elements.get(current.vote)
        if isinstance(vote, Vote) and not vote.open:
            raise Refused("the vote is closed: its dots stay as they are")
    elif isinstance(current, Comment | Estimate) and not (actor is None or actor.can_moderate):
        _own(current, actor, "delete")
    elif isinstance(current, _VOTABLE) and not (actor is None or actor.can_moderate):
        # While a vote is open its dots are sealed (secrecy.py): a refusal "someone's dots
        # are on it" (check_cascade) would say where they are. So then whatever can be
        # voted on is the facilitator's to delete, dots or none: the answer tells nothing.
        if _a_vote_is_open(elements):
            raise Refused(
                "a dot vote is open: until it closes, only the facilitator can delete steps"
                " and notes"
            )


def _own(current: Comment | Estimate | Dot, actor: Actor | None, verb: str) -> None:
    if actor is not None and current.author_id != actor.client:
        raise Refused(f"only {_author(current)} can {verb} this {current.kind}")


def _author(current: Comment | Estimate | Dot) -> str:
    """Its author as people read it: a thing made over HTTP before its author was named
    after the link's role (hub/plan.py api_client_name) still carries the bare "api"."""
    if current.author == "api":
        return "an API client"
    return current.author or "its author"


def _facilitator_only(actor: Actor | None, what: str) -> None:
    if actor is not None and not actor.can_moderate:
        raise Refused(f"only the facilitator can {what}")


def _check_comment(values: Mapping[str, Any], elements: Mapping[str, Element]) -> None:
    target = elements.get(values.get("target", ""))
    if not isinstance(target, _COMMENTABLE):
        raise Refused("a comment needs a step, note or inventory to be about")
    if not str(values.get("text", "")).strip():
        raise Refused("a comment needs some text")
    parent_id = values.get("parent")
    if parent_id is not None:
        parent = elements.get(parent_id)
        if not isinstance(parent, Comment) or parent.target != target.id:
            raise Refused("a reply must answer a comment on the same element")
        if parent.parent is not None:
            raise Refused("reply to the thread's first comment")


def _check_estimate(
    values: Mapping[str, Any], elements: Mapping[str, Element], actor: Actor | None
) -> None:
    if not isinstance(elements.get(values.get("target", "")), Step):
        raise Refused("an estimate needs a step to be about")
    if "field" not in values:
        raise Refused("an estimate needs a field: wait_minutes or process_minutes")
    if actor is None:
        return
    for e in elements.values():
        if (
            isinstance(e, Estimate)
            and e.author_id == actor.client
            and (e.target, e.field) == (values["target"], values["field"])
        ):
            raise Refused(f"you already estimated this ({e.id}): change that estimate instead")


def _check_dot(
    values: Mapping[str, Any], elements: Mapping[str, Element], actor: Actor | None
) -> None:
    vote = elements.get(values.get("vote", ""))
    if not isinstance(vote, Vote):
        raise Refused("a dot needs a vote to be in")
    if not vote.open:
        raise Refused("the vote is closed")
    if not isinstance(elements.get(values.get("target", "")), _VOTABLE):
        raise Refused("a dot goes on a step or a note")
    if actor is None:
        return
    placed = sum(
        1 for e in elements.values() if isinstance(e, Dot) and e.vote == vote.id
        and e.author_id == actor.client
    )  # fmt: skip
    if placed >= vote.dots:
        raise Refused(f"you have placed all {vote.dots} of your dots: take one back first")


def check_cascade(removed: list[str], elements: Mapping[str, Element], actor: Actor | None) -> None:
    """Deleting an element takes what hangs off it: never someone else's comment, estimate
    or dot, unless the facilitator deletes it (one person's delete must not wipe others'
    work: a step deleted and made again took a closed vote's results with it)."""
    if actor is None or actor.can_moderate:
        return
    for gone in removed:
        e = elements.get(gone)
        if isinstance(e, Comment | Estimate | Dot) and e.author_id != actor.client:
            raise Refused(
                "someone else's comments, estimates or dots are on it: only the facilitator"
                " can delete it (or they can take theirs off first)"
            )


def _a_vote_is_open(elements: Mapping[str, Element]) -> bool:
    return any(isinstance(e, Vote) and e.open for e in elements.values())


def attached_to(gone: set[str], elements: Mapping[str, Element]) -> list[str]:
    """Everything that hangs off the removed elements, transitively (arrows, comments, dots).

    An open vote's dots stay, whatever their target (they go with their vote): a dot a
    delete took would be gone where one elsewhere stays, and a participant could tell
    them apart (a refusal naming its author, the vote's counts) while it is sealed. The
    server holds them until the vote closes, which drops those left on nothing
    (`stranded`)."""
    found: list[str] = []
    frontier = set(gone)
    running: set[str] | None = None  # the open votes, looked up once a dot is in question
    while frontier:
        hanging = []
        for e in elements.values():
            if e.id in gone or not _refers(e, frontier):
                continue
            if isinstance(e, Dot) and e.vote not in frontier:
                if running is None:
                    running = {v.id for v in elements.values() if isinstance(v, Vote) and v.open}
                if e.vote in running:
                    continue
            hanging.append(e.id)
        found += hanging
        gone |= set(hanging)
        frontier = set(hanging)
    return found


def stranded(vote_id: str, elements: Mapping[str, Element]) -> list[str]:
    """The dots of a vote left on nothing a dot may be on (a delete went by while the vote
    was open): what closing it drops, as the reveal shows everyone whole.

    A dot was placed on something already there, so its target comes before it in the
    board's order (creation order: the op log's, kept by snapshots and replay). One made
    after it under the same id is not what the dot was placed on: anyone may make an
    element under a deleted one's id, and must not gather its dots."""
    before: set[str] = set()
    out: list[str] = []
    for e in elements.values():
        if isinstance(e, Dot) and e.vote == vote_id:
            if e.target not in before or not isinstance(elements.get(e.target), _VOTABLE):
                out.append(e.id)
        before.add(e.id)
    return out


def _refers(e: Element, ids: set[str]) -> bool:
    if isinstance(e, Connector):
        return e.source in ids or e.target in ids
    if isinstance(e, Comment):
        return e.target in ids or (e.parent is not None and e.parent in ids)
    if isinstance(e, Estimate):
        return e.target in ids
    if isinstance(e, Dot):
        return e.target in ids or e.vote in ids
    return False
