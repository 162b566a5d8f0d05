"""The things on a value-stream map, as plain immutable values.

A board holds a frame (title, scope, customer, ...), a working calendar and its
elements keyed by id. Elements are frozen dataclasses, one per kind; an update
makes a new element with `evolve` (`dataclasses.replace`, for these classes).

    >>> step = Step(id="s1", text="Build", wait_minutes=480, process_minutes=1440)
    >>> board = Board(id="b1", elements={step.id: step})
    >>> board.elements["s1"].text
    'Build'

Over 300 lines on purpose: the whole data model, one frozen dataclass per kind, where
a newcomer reads what a board is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any, ClassVar, Literal, TypeVar

ElementKind = Literal[
    "step", "inventory", "note", "connector", "comment", "estimate", "vote", "dot", "experiment"
]
ConnectorKind = Literal["flow", "rework", "info"]
NoteVariant = Literal["comment", "hypothesis", "kaizen"]
# One figure's provenance: (field, who, when as ISO UTC, how: typed | estimate | measured).
ProvenanceItem = tuple[str, str, str, str]
Provenance = tuple[ProvenanceItem, ...]

KINDS: tuple[ElementKind, ...] = (
    "step",
    "inventory",
    "note",
    "connector",
    "comment",
    "estimate",
    "vote",
    "dot",
    "experiment",
)
# Kinds drawn on the canvas; the others (comments, estimates, votes, dots) hang off them.
SHAPE_KINDS: tuple[ElementKind, ...] = ("step", "inventory", "note", "connector", "experiment")
# The flow metrics an experiment can aim to move (metrics.py names, without _minutes).
EXPERIMENT_METRICS: tuple[str, ...] = (
    "lead_time",
    "process_time",
    "activity_ratio",
    "rolled_pca",
    "work_content",
    "expected_lead_time",
)
EXPERIMENT_STATUSES: tuple[str, ...] = ("planned", "running", "achieved", "missed")
# Figures a step (and inventory, and a rework arrow) carries, whose provenance is kept.
NUMBER_FIELDS: tuple[str, ...] = (
    "wait_minutes",
    "process_minutes",
    "pca",
    "people",
    "count",
    "rework_rate",
)
# What a participant may give an estimate of.
ESTIMATE_FIELDS: tuple[str, ...] = ("wait_minutes", "process_minutes")
CONNECTOR_KINDS: tuple[ConnectorKind, ...] = ("flow", "rework", "info")
NOTE_VARIANTS: tuple[NoteVariant, ...] = ("comment", "hypothesis", "kaizen")

# The eight wastes of lean, as tags a step may carry.
WASTES: tuple[str, ...] = (
    "defects",
    "overproduction",
    "waiting",
    "non-utilised-talent",
    "transportation",
    "inventory",
    "motion",
    "extra-processing",
)
# Each waste as a tag on the map reads (the data box's chips, the report's table).
WASTE_LABELS: Mapping[str, str] = {
    "defects": "Defects",
    "overproduction": "Overproduction",
    "waiting": "Waiting",
    "non-utilised-talent": "Unused talent",
    "transportation": "Transport",
    "inventory": "Inventory",
    "motion": "Motion",
    "extra-processing": "Extra processing",
}

# Named sticky colours; the canvas maps them to fills. A "#rrggbb" is also accepted.
PALETTE: tuple[str, ...] = (
    "yellow",
    "orange",
    "pink",
    "red",
    "green",
    "teal",
    "blue",
    "purple",
    "grey",
    "white",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A process box: what people do, how long work waits before it and takes in it."""

    kind: ClassVar[ElementKind] = "step"
    id: str
    x: float = 0.0
    y: float = 0.0
    w: float = 168.0
    h: float = 96.0
    text: str = ""
    color: str = "yellow"
    wait_minutes: float | None = None
    process_minutes: float | None = None
    pca: float | None = None
    people: int | None = None
    waste: tuple[str, ...] = ()
    # The wait and process time as the person typed them ("5d", "1w"), shown as typed
    # while they still parse to the minutes beside them (see durations.py, typed.py).
    wait_text: str | None = None
    process_text: str | None = None
    # The example walk (see walk.py): local timestamps "YYYY-MM-DDTHH:MM", or None.
    walk_ready: str | None = None
    walk_start: str | None = None
    walk_end: str | None = None
    # The team that does this step: one of the board's `teams` by id, or None.
    owner: str | None = None
    # Who set each figure, when and how (see provenance.py); stamped by the server.
    provenance: Provenance = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """Items waiting between two steps (the classic triangle)."""

    kind: ClassVar[ElementKind] = "inventory"
    id: str
    x: float = 0.0
    y: float = 0.0
    w: float = 72.0
    h: float = 64.0
    text: str = ""
    color: str = "orange"
    count: int | None = None
    provenance: Provenance = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A free sticky: a comment, a hypothesis about the constraint, a kaizen burst."""

    kind: ClassVar[ElementKind] = "note"
    id: str
    x: float = 0.0
    y: float = 0.0
    w: float = 168.0
    h: float = 120.0
    text: str = ""
    color: str = "pink"
    variant: NoteVariant = "comment"


@dataclass(frozen=True, slots=True, kw_only=True)
class Connector:
    """An arrow from one element to another: flow, rework (with a rate) or information."""

    kind: ClassVar[ElementKind] = "connector"
    id: str
    source: str
    target: str
    connector: ConnectorKind = "flow"
    rework_rate: float | None = None
    text: str = ""
    color: str = "grey"
    provenance: Provenance = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    """A remark on a step or note; a reply names the thread's first comment as `parent`."""

    kind: ClassVar[ElementKind] = "comment"
    id: str
    target: str
    parent: str | None = None
    text: str = ""
    # Stamped by the server from the connection, never taken from the client.
    author: str = ""
    author_id: str = ""
    at: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """One participant's estimate of a step's wait or process time, in minutes."""

    kind: ClassVar[ElementKind] = "estimate"
    id: str
    target: str
    field: str
    minutes: float | None = None
    author: str = ""
    author_id: str = ""
    at: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Vote:
    """A dot vote the facilitator runs: each participant places up to `dots` dots."""

    kind: ClassVar[ElementKind] = "vote"
    id: str
    text: str = ""
    dots: int = 3
    open: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Dot:
    """One participant's dot on a note or step in a vote."""

    kind: ClassVar[ElementKind] = "dot"
    id: str
    vote: str
    target: str
    author: str = ""
    author_id: str = ""
    at: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Experiment:
    """A card for the change to try: "we believe that by <text> we will move <metric>
    from <baseline> to <target> by <review>", and what happened when reviewed.

    `baseline` and `target` are in the metric's own unit: minutes for times, 0-1 for
    the activity ratio, percent for rolled %C/A.
    """

    kind: ClassVar[ElementKind] = "experiment"
    id: str
    x: float = 0.0
    y: float = 0.0
    w: float = 240.0
    h: float = 150.0
    text: str = ""
    color: str = "green"
    metric: str = "lead_time"
    baseline: float | None = None
    target: float | None = None
    review: str | None = None
    status: str = "planned"
    result: str = ""


Element = Step | Inventory | Note | Connector | Comment | Estimate | Vote | Dot | Experiment
ELEMENT_TYPES: Mapping[str, type[Element]] = MappingProxyType(
    {
        "step": Step,
        "inventory": Inventory,
        "note": Note,
        "connector": Connector,
        "comment": Comment,
        "estimate": Estimate,
        "vote": Vote,
        "dot": Dot,
        "experiment": Experiment,
    }
)


@dataclass(frozen=True, slots=True)
class Calendar:
    """The board's working calendar: what a 'd' and a 'w' mean in minutes."""

    hours_per_day: float = 8.0
    days_per_week: float = 5.0

    @property
    def minutes_per_day(self) -> float:
        return self.hours_per_day * 60.0

    @property
    def minutes_per_week(self) -> float:
        return self.minutes_per_day * self.days_per_week


@dataclass(frozen=True, slots=True)
class Team:
    """A team that owns steps: its lane on the canvas, its rows in the Flow panel.

    >>> Team("t-dev", "Development", "blue").name
    'Development'
    """

    id: str
    name: str
    color: str = "grey"


# A map with more teams than this is an org chart, not a value stream.
MAX_TEAMS = 24

# Frame fields a board carries besides its elements; all are free text.
FRAME_FIELDS: tuple[str, ...] = ("title", "scope", "customer", "trigger", "delivery", "owner")
# Optional numbers on the frame (null = not set): the customer's demand in items per
# working day, which gives the takt time and reads inventory as time (see demand.py).
FRAME_NUMBERS: tuple[str, ...] = ("demand_per_day",)
# Which figures the metrics use: the map's own (typed, or the estimates' medians), or the
# medians measured from an event log where a step has them (measured.py).
FIGURES_FROM: tuple[str, ...] = ("estimates", "measured")
# The live session's state the facilitator sets: editing locked, a countdown running.
SESSION_FIELDS: tuple[str, ...] = ("locked", "timer_ends_at", "timer_label", "presenter")


@dataclass(frozen=True, slots=True)
class Board:
    """One value-stream map. `elements` is never mutated: operations build a new board."""

    id: str
    title: str = ""
    scope: str = ""
    customer: str = ""
    trigger: str = ""
    delivery: str = ""
    owner: str = ""
    calendar: Calendar = field(default_factory=Calendar)
    state: str = "mapping"
    # Participants may not edit while the facilitator has locked the board.
    locked: bool = False
    # A running countdown: when it ends (ISO UTC), and what it is for.
    timer_ends_at: str | None = None
    timer_label: str = ""
    # Presenter mode: everyone's view follows this browser (its client id) until they leave.
    presenter: str = ""
    # A future-state map: the id of the current-state board it was started from.
    future_of: str | None = None
    # Customer demand, items per working day; None when the map has none (FRAME_NUMBERS).
    demand_per_day: float | None = None
    # Measured flow from an event log (measured.py's summary), or None; and whether the
    # metrics use it (FIGURES_FROM). Only the server's import sets a summary.
    measured: Mapping[str, Any] | None = None
    figures_from: str = "estimates"
    # The teams steps may name as their owner, in the order their lanes stack; and whether
    # the canvas and the exports draw those lanes (both set by the facilitator).
    teams: tuple[Team, ...] = ()
    swimlanes: bool = False
    elements: Mapping[str, Element] = field(default_factory=dict)

    def steps(self) -> list[Step]:
        return [e for e in self.elements.values() if isinstance(e, Step)]

    def connectors(self) -> list[Connector]:
        return [e for e in self.elements.values() if isinstance(e, Connector)]


_T = TypeVar("_T")
# Per class: its fields in order, their names, and one call that reads them all.
_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str], Callable[[Any], tuple[Any, ...]]]] = {}
_set = object.__setattr__


def evolve(value: _T, changes: Mapping[str, Any]) -> _T:
    """`value` with some fields changed: `dataclasses.replace` for the classes here.

    Those are frozen, slotted, and check nothing in `__init__` or `__post_init__`
    (tests/unit/test_operations.py holds them to that), so copying the slots does what
    replace does, at half its cost: it runs for every operation applied.

    >>> evolve(Step(id="s1", text="Build"), {"text": "Test"}).text
    'Test'
    """
    cls = type(value)
    known = _FIELDS.get(cls)
    if known is None:
        order = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        read = attrgetter(*order) if len(order) > 1 else (lambda v: (getattr(v, order[0]),))
        known = _FIELDS[cls] = (order, frozenset(order), read)
    order, names, read = known
    new = object.__new__(cls)
    for name, current in zip(order, read(value), strict=True):  # inherited fields too
        _set(new, name, current)
    for name, changed in changes.items():
        if name not in names:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
        _set(new, name, changed)
    return new
