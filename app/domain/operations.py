"""Operations on a board: validate, then apply, or reject with a reason.

`apply_many` is the heart of the server: the room hands it a batch of
operations in arrival order and gets back the new board and, for each
operation, either the entry to store and broadcast or a `Rejection`. Nothing
here mutates its input.

    >>> from app.domain.elements import Board
    >>> board, results = apply_many(Board(id="b"), [
    ...     Create({"id": "s1", "kind": "step", "text": "Build"}),
    ...     Update("s1", {"pca": 120}),
    ... ])
    >>> board.elements["s1"].text, results[1]
    ('Build', Rejection(reason='pca must be between 0 and 100'))

Over 300 lines on purpose: the heart of the server, each operation's checks side by
side, so a rule that spans two kinds (an owner and its team) is seen whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.domain import claims, collab, provenance, ranges, team_rules, typed
from app.domain.actor import Actor, parse_stamp, precise_stamp, utc_stamp
from app.domain.echo import excerpt
from app.domain.elements import (
    ELEMENT_TYPES,
    KINDS,
    SHAPE_KINDS,
    Board,
    Calendar,
    Connector,
    Element,
    Team,
    Vote,
    evolve,
)
from app.domain.fields import BOARD_FIELDS, FIELDS_BY_KIND, Invalid, element_id
from app.domain.serialize import element_to_json, teams_to_json

# A board this big is no longer a map anyone can read; it also bounds memory.
MAX_ELEMENTS = 5000


@dataclass(frozen=True, slots=True)
class Create:
    element: Mapping[str, Any]
    # Elements this one stands for: it is made only once they are gone (protocol.CreateOp).
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Update:
    id: str
    set: Mapping[str, Any]
    # How the figures set here were arrived at (provenance.SOURCES); typed unless said.
    source: str = "typed"


@dataclass(frozen=True, slots=True)
class Delete:
    id: str


@dataclass(frozen=True, slots=True)
class SetBoard:
    """Set the map's frame (title, scope, ...) or its working calendar."""

    set: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SetTeam:
    """Add, change or remove one of the map's teams, leaving the others as they stand.

    Two facilitators who each add a team at once both keep theirs, where two
    whole lists in `SetBoard(teams=...)` would keep only the later one. `at`
    puts the team at that place in the list (lanes stack in its order); without
    it a changed team stays where it is and a new one goes last.
    """

    id: str
    set: Mapping[str, Any] | None = None
    remove: bool = False
    at: int | None = None


Operation = Create | Update | Delete | SetBoard | SetTeam


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str


# What an accepted operation became: the JSON entry peers apply (no seq/cid yet).
Entry = dict[str, Any]


class _Reject(Exception):
    pass


class _Draft:
    """A board being changed by one batch: elements copied once, not per operation."""

    def __init__(self, board: Board, actor: Actor | None) -> None:
        self.board = board
        self.actor = actor
        self.elements: dict[str, Element] = dict(board.elements)
        self.frame: dict[str, Any] = {}

    def teams(self) -> tuple[Team, ...]:
        """The map's teams as they stand at this point of the batch."""
        teams: tuple[Team, ...] = self.frame.get("teams", self.board.teams)
        return teams

    def check_owner(self, values: Mapping[str, Any]) -> None:
        reason = team_rules.unknown_owner(values.get("owner"), self.teams())
        if reason is not None:
            raise _Reject(reason)

    def calendar(self) -> Calendar:
        """The map's working calendar as it stands at this point of the batch."""
        cal = self.board.calendar
        return Calendar(
            hours_per_day=self.frame.get("hours_per_day", cal.hours_per_day),
            days_per_week=self.frame.get("days_per_week", cal.days_per_week),
        )

    def finish(self) -> Board:
        changes: dict[str, Any] = {"elements": self.elements}
        calendar_keys = {"hours_per_day", "days_per_week"}
        changes.update({k: v for k, v in self.frame.items() if k not in calendar_keys})
        if calendar_keys & self.frame.keys():
            changes["calendar"] = self.calendar()
        return evolve(self.board, changes)


def apply(
    board: Board, op: Operation, actor: Actor | None = None
) -> tuple[Board, Entry | Rejection]:
    """Apply one operation; on rejection the board comes back unchanged."""
    new_board, results = apply_many(board, [op], actor)
    return new_board, results[0]


def apply_many(
    board: Board,
    ops: Sequence[Operation],
    actor: Actor | None = None,
    *,
    actors: Sequence[Actor | None] | None = None,
) -> tuple[Board, list[Entry | Rejection]]:
    """Apply operations in order; each sees the effect of the ones before it.

    `actor` is who sends them (or `actors`, one per operation, for a batch from
    several people): authors and provenance are stamped from it, and the
    ownership rules of comments, estimates and votes checked against it.
    Without one (scripts, tests, the demo), nothing is stamped or owned.
    """
    draft = _Draft(board, actor)
    results: list[Entry | Rejection] = []
    for i, op in enumerate(ops):
        if actors is not None:
            draft.actor = actors[i]
        try:
            results.append(_apply_one(draft, op))
        except _Reject as reason:
            results.append(Rejection(str(reason)))
        except collab.Refused as reason:
            results.append(Rejection(str(reason)))
    if all(isinstance(r, Rejection) for r in results):
        return board, results
    return draft.finish(), results


def _apply_one(draft: _Draft, op: Operation) -> Entry:
    if isinstance(op, Create):
        kept = next((i for i in op.replaces if i in draft.elements), None)
        if kept is not None:
            raise _Reject(f"it stands for {excerpt(kept)}, which is still on the board")
        return _create(draft, op.element)
    if isinstance(op, Update):
        return _update(draft, op.id, op.set, op.source)
    if isinstance(op, Delete):
        return _delete(draft, op.id)
    if isinstance(op, SetTeam):
        return _set_team(draft, op)
    return _set_board(draft, op.set)


def _validated(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    spec = FIELDS_BY_KIND[kind]
    out: dict[str, Any] = {}
    for name, value in values.items():
        check = spec.get(name)
        if check is None:
            raise _Reject(f"unknown field {excerpt(name)} for a {kind}")
        try:
            out[name] = check(value)
        except Invalid as err:
            raise _Reject(f"{name} {err}") from None
    return out


def _typed(values: dict[str, Any], current: Element | None, draft: _Draft) -> dict[str, Any]:
    """Ranges in minutes made typed ranges, and typed texts checked against their minutes,
    on the calendar as it stands in this batch."""
    if not (typed.INVOLVED | ranges.RANGE_FIELDS) & values.keys():
        return values  # a move, a rename, ...: nothing typed to check
    calendar = draft.calendar()
    try:
        if ranges.RANGE_FIELDS & values.keys():
            values = ranges.from_fields(values, current, calendar)
        return typed.check_typed(values, current, calendar)
    except (typed.Mismatch, ranges.BadRange) as err:
        raise _Reject(str(err)) from None


# What an arrow can join: the boxes on the map (comments, estimates, votes and dots hang
# off them, and are not drawn as boxes of their own).
_JOINABLE = frozenset(kind for kind in SHAPE_KINDS if kind != "connector")


def _check_ends(draft: _Draft, source: str, target: str, kind: object) -> None:
    """Both ends exist and may be joined; only rework may loop from a step onto itself
    (part of a step's work redone by the step: DESIGN 2's loop with A = B, counted by
    rework.py as a loop of one step)."""
    for end in (source, target):
        other = draft.elements.get(end)
        if other is None:
            raise _Reject(f"a connector cannot join {excerpt(end)}: no such element")
        if isinstance(other, Connector):
            raise _Reject("a connector must join two notes, not another connector")
        if other.kind not in _JOINABLE:
            raise _Reject(
                f"a connector joins steps, queues, notes and experiment cards, not a {other.kind}"
            )
    if source == target:
        if kind != "rework":
            raise _Reject(
                "only a rework arrow may go from a step back to itself — a flow or"
                " information arrow joins two different elements"
            )
        if draft.elements[source].kind != "step":
            raise _Reject(
                "a rework arrow goes back to a step — a"
                f" {draft.elements[source].kind} cannot send work back to itself"
            )


def _create(draft: _Draft, element: Mapping[str, Any]) -> Entry:
    if not isinstance(element, Mapping):
        raise _Reject("element must be an object")
    kind = element.get("kind")
    if kind not in KINDS:
        raise _Reject("element kind must be one of " + ", ".join(KINDS))
    try:
        new_id = str(element_id(element.get("id")))
    except Invalid as err:
        raise _Reject(f"element id {err}") from None
    if new_id in draft.elements:
        raise _Reject(f"an element with id {excerpt(new_id)} already exists")
    if len(draft.elements) >= MAX_ELEMENTS:
        raise _Reject(f"the board is full ({MAX_ELEMENTS} elements)")
    values = _validated(kind, {k: v for k, v in element.items() if k not in ("id", "kind")})
    values = _typed(values, None, draft)
    if kind == "step":
        draft.check_owner(values)
    if kind == "connector":
        if "source" not in values or "target" not in values:
            raise _Reject("a connector needs a source and a target")
        _check_ends(draft, values["source"], values["target"], values.get("connector", "flow"))
    if kind not in SHAPE_KINDS:
        collab.check_create(kind, values, draft.elements, draft.actor)
    if kind in collab.AUTHORED:
        values = collab.stamp_author(values, draft.actor)
    stamped = provenance.stamp((), values, draft.actor, "typed")
    if stamped:
        values["provenance"] = stamped
    created = ELEMENT_TYPES[kind](id=new_id, **values)
    draft.elements[new_id] = created
    return {"op": "create", "element": element_to_json(created)}


def _existing(draft: _Draft, target_id: object) -> Element:
    found = draft.elements.get(target_id) if isinstance(target_id, str) else None
    if found is None:
        raise _Reject(f"no element with id {excerpt(target_id)} (it may have been deleted)")
    return found


def _update(draft: _Draft, target_id: str, changes: Mapping[str, Any], source: str) -> Entry:
    current = _existing(draft, target_id)
    if not isinstance(changes, Mapping) or not changes:
        raise _Reject("update needs at least one field in 'set'")
    if "id" in changes or "kind" in changes:
        raise _Reject("an element's id and kind cannot change")
    if source not in provenance.SOURCES:
        raise _Reject("source must be one of " + ", ".join(provenance.SOURCES))
    values = _typed(_validated(current.kind, changes), current, draft)
    if "owner" in values:
        draft.check_owner(values)
    if isinstance(current, Connector) and values.keys() & {"source", "target", "connector"}:
        _check_ends(
            draft,
            values.get("source", current.source),
            values.get("target", current.target),
            values.get("connector", current.connector),
        )
    collab.check_change(current, values, draft.actor)
    # A figure said to come from the estimates or the walk must be so (the server's own
    # changes, an import, are its word); typed ones, nearly every update, need no board.
    if source != "typed" and draft.actor is not None:
        refused = claims.check_claim(draft.finish(), current, values, source)
        if refused is not None:
            raise _Reject(refused)
    if current.kind == "estimate":
        values["at"] = draft.actor.at if draft.actor else getattr(current, "at", "")
    as_json = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    stamped = provenance.stamp(getattr(current, "provenance", ()), values, draft.actor, source)
    if stamped is not None:
        values["provenance"] = stamped
        as_json["provenance"] = provenance.to_json(stamped)
    draft.elements[target_id] = evolve(current, values)
    entry: Entry = {"op": "update", "id": target_id, "set": as_json}
    if isinstance(current, Vote) and current.open and values.get("open") is False:
        # Closing a vote drops its dots a delete left on nothing (collab.attached_to).
        dropped = collab.stranded(target_id, draft.elements)
        for gone in dropped:
            del draft.elements[gone]
        if dropped:
            entry["removed"] = dropped
    return entry


def _delete(draft: _Draft, target_id: str) -> Entry:
    current = _existing(draft, target_id)
    collab.check_delete(current, draft.elements, draft.actor)
    # Arrows on it, comments, estimates and dots about it go with it.
    removed = [target_id, *collab.attached_to({target_id}, draft.elements)]
    collab.check_cascade(removed[1:], draft.elements, draft.actor)
    for gone in removed:
        del draft.elements[gone]
    return {"op": "delete", "id": target_id, "removed": removed}


def _set_board(draft: _Draft, changes: Mapping[str, Any]) -> Entry:
    if not isinstance(changes, Mapping) or not changes:
        raise _Reject("board update needs at least one field in 'set'")
    values: dict[str, Any] = {}
    for name, value in changes.items():
        check = BOARD_FIELDS.get(name)
        if check is None:
            raise _Reject(f"unknown board field {excerpt(name)}")
        try:
            values[name] = check(value)
        except Invalid as err:
            raise _Reject(f"{name} {err}") from None
    if "timer_seconds" in values:
        values["timer_ends_at"] = _timer_end(values.pop("timer_seconds"), draft.actor)
    entry_set = dict(values)
    if "teams" in values:
        dropped = team_rules.still_owned(draft.teams(), values["teams"], draft.elements)
        if dropped is not None:
            raise _Reject(dropped)
        entry_set["teams"] = teams_to_json(values["teams"])
    before = draft.calendar()
    draft.frame.update(values)
    entry: Entry = {"op": "board", "set": entry_set}
    # A range typed on the old calendar keeps its minutes, said in the new one's words;
    # the entry carries them so every peer and the op log re-express it alike.
    retyped = ranges.retyped(draft.elements, before, draft.calendar())
    for said_id, texts in retyped.items():
        draft.elements[said_id] = evolve(draft.elements[said_id], texts)
    if retyped:
        entry["retyped"] = retyped
    return entry


def _set_team(draft: _Draft, op: SetTeam) -> Entry:
    """One team added, changed or removed; stored and sent as the whole new list."""
    teams: list[dict[str, Any]] = list(teams_to_json(draft.teams()))
    found = next((i for i, t in enumerate(teams) if t["id"] == op.id), None)
    if op.remove:
        if op.set:
            raise _Reject("a team op either sets a team's fields or removes it, not both")
        if found is None:
            raise _Reject(f"no team with id {excerpt(op.id)} (it may have been removed already)")
        del teams[found]
        return _set_board(draft, {"teams": teams})
    if not isinstance(op.set, Mapping) or not op.set:
        raise _Reject("a team op needs 'set' with the team's name or color, or 'remove': true")
    unknown = sorted(set(op.set) - {"name", "color"})
    if unknown:
        raise _Reject(f"unknown team field {excerpt(unknown[0])} (a team has a name and a color)")
    if found is None and "name" not in op.set:
        raise _Reject(f"there is no team {excerpt(op.id)} yet: a new team needs a name")
    team = {**(teams.pop(found) if found is not None else {}), **op.set, "id": op.id}
    where = op.at if op.at is not None else (found if found is not None else len(teams))
    teams.insert(min(where, len(teams)), team)
    return _set_board(draft, {"teams": teams})


def _timer_end(seconds: float | None, actor: Actor | None) -> str | None:
    """When a countdown of `seconds` started now ends, by the server's clock; None stops it."""
    if not seconds:
        return None
    if actor is None:
        raise _Reject("a timer can only be started from a live session")
    if actor.clock is not None:  # to the millisecond: it starts at the length asked on every screen
        return precise_stamp(actor.clock + seconds)
    return utc_stamp(parse_stamp(actor.at) + timedelta(seconds=seconds))
