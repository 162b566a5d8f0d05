"""The live protocol and the HTTP bodies, defined once (see docs/protocol.md).

Every incoming websocket frame is parsed by `parse_client_message`; the HTTP
ops endpoint uses the same operation models. Outgoing frames are built as
plain dicts on the hot path and checked against `ServerMessage` in the tests.

    >>> msg = parse_client_message('{"type": "ping", "t": 1}')
    >>> msg.type
    'ping'

Over 300 lines on purpose: the whole wire contract (operations, client and server
messages, HTTP bodies) in one file, so one read shows every message.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from app.domain import operations as ops
from app.domain.bidi import check_direction
from app.domain.echo import EXCERPT_CHARS, excerpt, json_fault
from app.domain.elements import MAX_TEAMS
from app.domain.fields import MAX_COORD
from app.domain.names import person_name

PROTOCOL_VERSION = 1
# Well under the websockets default of 1 MiB: a batch of 200 full operations fits.
MAX_FRAME_BYTES = 256 * 1024
MAX_OPS_PER_MESSAGE = 200
# Feature names in a hello: a handful is all a client can mean; each a short word.
MAX_FEATURES = 16
METRICS_PATCH = "metrics-patch"

# Any text but NUL, which PostgreSQL cannot store and no keyboard types: one NUL in a
# name or a cid would otherwise fail every commit of the batch it is in.
NO_NUL = r"^[^\x00]*$"

# A client's identity key: 22 to 64 base64url characters (128 bits or more).
IDENTITY_KEY = r"^[A-Za-z0-9_-]{22,64}$"
# Operation ids: a client's own (they begin with its client id, hub/identity.py).
MAX_CID = 64
Cid = Annotated[str, Field(min_length=1, max_length=MAX_CID, pattern=NO_NUL)]
ElementId = Annotated[str, Field(min_length=1, max_length=64)]
Feature = Annotated[str, Field(min_length=1, max_length=40)]


class _Message(BaseModel):
    # No NaN or Infinity: a number we accept must go back out as JSON to every peer.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


# ---- operations -----------------------------------------------------------


class CreateOp(_Message):
    """Create an element; the client picks its id.

    `replaces`: elements this one stands for, deleted earlier in the same message; it
    is made only if they are gone by then (an arrow bridging a deleted step is not
    drawn beside the step when its delete was refused).
    """

    op: Literal["create"]
    cid: Cid | None = None
    element: dict[str, Any]
    replaces: Annotated[list[ElementId], Field(max_length=MAX_OPS_PER_MESSAGE)] = []


class UpdateOp(_Message):
    """Set some fields of an element (last writer wins per field)."""

    op: Literal["update"]
    cid: Cid | None = None
    id: ElementId
    set: dict[str, Any]
    # How the figures set here were arrived at, for their provenance.
    source: Literal["typed", "estimate", "measured"] = "typed"


class DeleteOp(_Message):
    """Delete an element and the connectors attached to it."""

    op: Literal["delete"]
    cid: Cid | None = None
    id: ElementId


class BoardOp(_Message):
    """Set the map's frame or calendar (facilitator only)."""

    op: Literal["board"]
    cid: Cid | None = None
    set: dict[str, Any]


class TeamOp(_Message):
    """Add, change or remove one of the map's teams (facilitator only).

    Example: {"op": "team", "id": "t-qa", "set": {"name": "QA", "color": "green"}}
    or {"op": "team", "id": "t-qa", "remove": true}; `at` places it in the list.
    """

    op: Literal["team"]
    cid: Cid | None = None
    id: ElementId
    set: dict[str, Any] | None = None
    remove: bool = False
    at: Annotated[int, Field(ge=0, le=MAX_TEAMS)] | None = None


Op = Annotated[CreateOp | UpdateOp | DeleteOp | BoardOp | TeamOp, Field(discriminator="op")]


def to_domain(op: CreateOp | UpdateOp | DeleteOp | BoardOp | TeamOp) -> ops.Operation:
    if isinstance(op, CreateOp):
        return ops.Create(op.element, tuple(op.replaces))
    if isinstance(op, UpdateOp):
        return ops.Update(op.id, op.set, op.source)
    if isinstance(op, DeleteOp):
        return ops.Delete(op.id)
    if isinstance(op, TeamOp):
        return ops.SetTeam(op.id, op.set, op.remove, op.at)
    return ops.SetBoard(op.set)


# ---- client to server -------------------------------------------------------


PersonName = Annotated[
    str, Field(min_length=1, max_length=60, pattern=NO_NUL), AfterValidator(person_name)
]


class Hello(_Message):
    """First message: who I am and the last board seq I applied."""

    type: Literal["hello"]
    protocol: int = PROTOCOL_VERSION
    name: PersonName
    since: Annotated[int, Field(ge=0)] | None = None
    # The cid of the entry at `since` as this client applied it (null: none, or not known).
    # A server whose history at `since` is another (restored from a backup, or a power loss
    # that took the last commits) sends a snapshot instead of the entries after it.
    since_cid: Cid | None = None
    # This browser's secret (hub/identity.py), kept in its storage: the server derives the
    # client id (whose comments, estimates, dots and cids) from it. Without one the
    # connection gets an id of its own for this session only.
    key: Annotated[str, Field(pattern=IDENTITY_KEY)] | None = None
    # Ignored: an id a client declares proves nothing. Kept so older pages still parse.
    client: ElementId | None = None
    # What this client can take beyond version 1; names it does not know are ignored, so a
    # newer browser still talks to an older server. "metrics-patch": `metrics` messages
    # may carry a `patch` against the previous metrics instead of the whole `metrics`.
    features: Annotated[list[Feature], Field(max_length=MAX_FEATURES)] = []
    # Joined without a name ("Just look"): the server names this peer "Guest", "Guest 2"...
    # (hub/guests.py), distinct on the board and kept across its reconnects; `name` is then
    # not shown. A name of exactly "Guest" (what older pages send) counts as this too.
    guest: bool = False


class OpsMessage(_Message):
    """Edits, applied in order.

    Example: {"type": "ops", "ops": [{"cid": "a:1", "op": "delete", "id": "s1"}]}
    """

    type: Literal["ops"]
    ops: Annotated[list[Op], Field(min_length=1, max_length=MAX_OPS_PER_MESSAGE)]


# A point on the canvas, as the board's elements may stand (a drag or a pointer further
# out is malformed: 1e308 went to every peer).
Coord = Annotated[float, Field(ge=-MAX_COORD, le=MAX_COORD)]


class Move(_Message):
    id: ElementId
    x: Coord
    y: Coord


class Drag(_Message):
    """Live positions while dragging; not stored."""

    type: Literal["drag"]
    moves: Annotated[list[Move], Field(min_length=1, max_length=MAX_OPS_PER_MESSAGE)]


class Cursor(_Message):
    """The sender's pointer in canvas coordinates (null to hide)."""

    type: Literal["cursor"]
    x: Coord | None
    y: Coord | None


class Ping(_Message):
    type: Literal["ping"]
    t: float = 0


class View(_Message):
    """The part of the canvas the sender sees (canvas coordinates), for others to follow."""

    type: Literal["view"]
    x: Coord
    y: Coord
    w: Annotated[float, Field(gt=0, le=2 * MAX_COORD)]
    h: Annotated[float, Field(gt=0, le=2 * MAX_COORD)]


ClientMessage = Annotated[
    Hello | OpsMessage | Drag | Cursor | Ping | View, Field(discriminator="type")
]
_CLIENT_MESSAGE: TypeAdapter[Hello | OpsMessage | Drag | Cursor | Ping | View] = TypeAdapter(
    ClientMessage
)


class Malformed(ValueError):
    """An incoming frame that is not a valid message; `code` is the protocol error code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse_client_message(raw: str | bytes) -> Hello | OpsMessage | Drag | Cursor | Ping | View:
    """Parse one frame or raise `Malformed` with a reason a developer can act on."""
    if len(raw) > MAX_FRAME_BYTES:
        raise Malformed("too_large", f"message is larger than {MAX_FRAME_BYTES} bytes")
    try:
        return _CLIENT_MESSAGE.validate_json(raw)
    except ValidationError as err:
        raise Malformed(*_describe(err, raw)) from None


def _describe(err: ValidationError, raw: str | bytes) -> tuple[str, str]:
    first = err.errors(include_url=False)[0]
    if first["type"] == "json_invalid":
        return "malformed", f"not JSON we can read: {json_fault(raw, str(first['ctx']['error']))}"
    where = ".".join(_place(part) for part in first["loc"]) or "message"
    code = "too_large" if first["type"] == "too_long" else "malformed"
    return code, f"{where}: {first['msg']}"


def _place(part: str | int) -> str:
    """One step of where a fault is; a key the client made up is cut (domain/echo.py)."""
    text = str(part)
    return text if len(text) <= EXCERPT_CHARS else excerpt(text)


# ---- server to client (documentation and tests; built as dicts at run time) --


class Peer(_Message):
    peer: str
    name: str
    color: str
    role: Literal["facilitator", "participant", "viewer"]
    # The browser's own id (from its hello), the same across its reconnects; "" if not sent.
    client: str = ""


class Snapshot(_Message):
    board: dict[str, Any]
    elements: list[dict[str, Any]]


class Entry(BaseModel):
    """An accepted operation with its place in the board's history."""

    model_config = ConfigDict(extra="allow")
    seq: int
    cid: str | None
    by: str
    name: str
    op: Literal["create", "update", "delete", "board"]


class Welcome(_Message):
    type: Literal["welcome"]
    protocol: int
    you: Peer
    seq: int
    snapshot: Snapshot | None
    missed: list[Entry] | None
    peers: list[Peer]
    metrics: dict[str, Any] | None
    # The lead-time forecast as of the last run (null until the first, or without a lead time).
    forecast: dict[str, Any] | None = None
    # The server's clock (ISO 8601 UTC), so countdowns agree whatever the laptop's says.
    now: str | None = None
    # The cid of the entry at `seq` (null: none, or older than the server keeps): what the
    # client names as `since_cid` when it comes back.
    last_cid: str | None = None


class OpsBroadcast(_Message):
    type: Literal["ops"]
    ops: list[Entry]


class MetricsMessage(_Message):
    """The metrics after a batch changed them: whole, or as a patch (app/domain/patch.py)
    against the ones before, for a client whose hello listed "metrics-patch"."""

    type: Literal["metrics"]
    seq: int
    metrics: dict[str, Any] | None = None
    patch: list[list[Any]] | None = None


class ForecastMessage(_Message):
    """The lead-time forecast (domain/forecast.py) after a run found it changed; computed
    off the per-edit path, at most once a second, so it may trail the metrics a little.

    Example: {"type": "forecast", "seq": 42, "forecast": {"p85_minutes": 12480.0, ...}}
    """

    type: Literal["forecast"]
    seq: int
    forecast: dict[str, Any] | None


class Ack(_Message):
    type: Literal["ack"]
    cid: str
    seq: int
    duplicate: bool


class Error(_Message):
    type: Literal["error"]
    code: Literal[
        "malformed", "rejected", "forbidden", "too_large", "hello_first", "unavailable",
        "rate_limited",
    ]  # fmt: skip
    reason: str
    cid: str | None


class Presence(_Message):
    type: Literal["presence"]
    peers: list[Peer]


class CursorAt(_Message):
    peer: str
    x: float | None
    y: float | None


class DragBy(_Message):
    peer: str
    moves: list[Move]


class ViewOf(_Message):
    peer: str
    x: float
    y: float
    w: float
    h: float


class Transient(_Message):
    type: Literal["transient"]
    cursors: list[CursorAt]
    drags: list[DragBy]
    views: list[ViewOf] = []


class Pong(_Message):
    type: Literal["pong"]
    t: float


class Reveal(_Message):
    """A vote closed: its dots whole. While it was open their `target` went to all but
    their authors as null (domain/secrecy.py); these replace them. `votes`: the votes
    closed; a dot of theirs the page holds that is not among `elements` is gone (the
    close dropped it: a delete had left it on nothing while it was sealed)."""

    type: Literal["reveal"]
    elements: list[dict[str, Any]]
    votes: list[str] = []


ServerMessage = Annotated[
    Welcome
    | OpsBroadcast
    | MetricsMessage
    | ForecastMessage
    | Ack
    | Error
    | Presence
    | Transient
    | Pong
    | Reveal,
    Field(discriminator="type"),
]
SERVER_MESSAGE: TypeAdapter[Any] = TypeAdapter(ServerMessage)


def error(code: str, reason: str, cid: str | None = None) -> dict[str, Any]:
    return {"type": "error", "code": code, "reason": reason, "cid": cid}


# ---- HTTP bodies -------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A frame field as a new board takes it: no NUL, no writing direction left turned
# (domain/bidi.py), as a `board` op's fields.
FrameText = Annotated[str, Field(max_length=500, pattern=NO_NUL), AfterValidator(check_direction)]


class CreateBoard(_Body):
    title: Annotated[
        str, Field(min_length=1, max_length=200, pattern=NO_NUL), AfterValidator(check_direction)
    ]
    scope: FrameText = ""
    customer: FrameText = ""
    trigger: FrameText = ""
    delivery: FrameText = ""
    owner: FrameText = ""


class Links(_Body):
    facilitator: str
    participant: str
    viewer: str


class NewLink(_Body):
    role: Literal["facilitator", "participant", "viewer"]
    link: str


class CreatedBoard(_Body):
    id: str
    links: Links


class BoardState(_Body):
    board: dict[str, Any]
    elements: list[dict[str, Any]]
    seq: int


class OpsRequest(_Body):
    ops: Annotated[list[Op], Field(min_length=1, max_length=MAX_OPS_PER_MESSAGE)]


class OpResult(_Body):
    cid: str | None
    seq: int | None = None
    error: str | None = None


class OpsResponse(_Body):
    seq: int
    results: list[OpResult]
