"""Measured flow over HTTP: preview an event log, import its measurements, clear them.

The log is the request body itself (CSV or JSON), read and measured on a worker
thread so the board stays live for everyone while a big file is worked through.
The measurements reach the board as a `board` operation the server submits in
its own role (hub/plan.py SERVER_ROLE): every peer gets them at once, and they
persist and replay like any other change. Facilitator links only.

    POST /api/boards/{id}/events?preview=true&filename=jira.csv    (body: the log)
    POST /api/boards/{id}/events?filename=jira.csv&mapping={"code review": "s3"}
    DELETE /api/boards/{id}/events

An import answers DESIGN section 4's `{items, rows, matched, unmatched}`, with the
measurements the board now holds beside them (`source`, `steps`, `lead_time`,
`hidden_queue`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from app.api.deps import LinkDep, ServicesDep, address_of
from app.api.strict import strict_json
from app.api.turns import Busy, Turns, busy
from app.domain.actor import stamp_now
from app.domain.echo import excerpt
from app.domain.elements import Board, Step, evolve
from app.domain.event_log import BadLog, EventRow, match_steps, preview, read_log, span
from app.domain.measured import measure
from app.domain.metrics import compute_metrics
from app.domain.names import person_name
from app.hub.room import SERVER_ROLE, Room, Unavailable
from app.protocol import BoardOp

router = APIRouter(prefix="/api/boards", tags=["events"])

T = TypeVar("T")

# Logs read and measured at once, per process: a 20 MB log takes about 250 MB and a
# second of CPU, and anyone may make a board to be its facilitator. Unbounded, 12 at
# once took the server from 0.4 to 2.9 GB; the rest wait their turn.
LOGS_AT_ONCE = 2
# Logs one address may have waiting for a turn (each body held meanwhile, up to 20 MB):
# a facilitator previewing, then importing, on a board or two. One address holds one
# turn at a time, in turn with the others: twelve logs at once from one address held
# both turns, and another workshop's import of a small log waited 15 s behind them.
LOGS_WAITING = 4
_logs = Turns(LOGS_AT_ONCE, LOGS_WAITING)


async def _facilitator_room(link: LinkDep, services: ServicesDep, board_id: str) -> Room:
    if link.role != "facilitator":
        raise HTTPException(403, "only the facilitator can import or clear an event log")
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    return room


@router.post("/{board_id}/events")
async def import_events(
    board_id: str,
    request: Request,
    link: LinkDep,
    services: ServicesDep,
    preview_only: Annotated[bool, Query(alias="preview")] = False,
    filename: Annotated[str, Query(max_length=200)] = "",
    mapping: Annotated[
        str | None, Query(description='JSON: {"log step": "step id" | null}')
    ] = None,
    by: Annotated[str, Query(max_length=80, description="who imports, for the provenance")] = "",
) -> dict[str, Any]:
    """Preview an event log (nothing changes), or measure it onto the board (facilitator only)."""
    room = await _facilitator_room(link, services, board_id)
    asker = address_of(request)
    try:
        with _logs.placed(asker):  # a place in its line while its body is read and held
            data = await request.body()
    except Busy:
        raise busy(LOGS_WAITING) from None
    limit = services.settings.event_log_bytes  # BodyLimit holds to it as the body streams
    if len(data) > limit:
        raise HTTPException(413, f"an event log may be at most {limit:,} bytes")
    kind = request.headers.get("content-type", "")
    given = _given_mapping(mapping)
    board = room.board
    if preview_only:
        return await _off_the_loop(asker, partial(_preview, data, kind, board.steps()))
    _check_mapping(given, board.steps())
    source = {"file": _shown(filename), "imported_at": stamp_now(), "by": _shown(by)}
    work = partial(_measure, data, kind, given, board, source)
    summary, matched = await _off_the_loop(asker, work)
    op = BoardOp(op="board", set={"measured": summary})
    await _submit(room, op)
    counted = summary["source"]
    return {"items": counted["items"], "rows": counted["rows"], "matched": matched, **summary}


def _shown(text: str) -> str:
    """A file's or a person's name as the provenance shows it: what nobody can see (NUL,
    zero-width and direction-turning characters) dropped, as person_name does; "" if
    nothing is left."""
    try:
        return person_name(text)
    except ValueError:
        return ""


@router.delete("/{board_id}/events", status_code=204, response_class=Response)
async def clear_events(board_id: str, link: LinkDep, services: ServicesDep) -> Response:
    """Clear the board's measurements; its figures are its own again (facilitator only)."""
    room = await _facilitator_room(link, services, board_id)
    await _submit(room, BoardOp(op="board", set={"measured": None, "figures_from": "estimates"}))
    return Response(status_code=204)


async def _submit(room: Room, op: BoardOp) -> None:
    try:
        (result,) = await room.submit_and_wait([op], role=SERVER_ROLE, client=SERVER_ROLE)
    except Unavailable as err:
        raise HTTPException(503, f"could not save the measurements: {err}") from None
    if result.get("error"):
        raise HTTPException(422, f"the measurements were refused: {result['error']}")


async def _off_the_loop(asker: str, work: Callable[[], T]) -> T:
    """Run on a worker thread in the asker's turn; a bad log becomes a 422 listing each
    row's problem."""
    try:
        async with _logs.turn(asker):
            return await anyio.to_thread.run_sync(work)
    except BadLog as bad:
        raise RequestValidationError([
            {"loc": ("body",) if e.row is None else ("body", "row", e.row), "msg": e.msg,
             "type": "value_error"}
            for e in bad.errors
        ]) from None  # fmt: skip


def _preview(data: bytes, kind: str, steps: Sequence[Step]) -> dict[str, Any]:
    return preview(read_log(data, kind), steps)


def _measure(
    data: bytes, kind: str, given: Mapping[str, str | None], board: Board, source: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The log's measurements, and which map step each log step matched ({log step: id})."""
    rows = read_log(data, kind)
    steps = board.steps()
    # The map's own lead time, whatever figures the board shows now, to judge the log by.
    own = compute_metrics(evolve(board, {"figures_from": "estimates"})).lead_time_minutes
    first, last = span(rows)
    source |= {"rows": len(rows), "items": len({r.item for r in rows}), "from": first, "to": last}
    mapping = resolved_mapping(rows, given, steps)
    summary = measure(
        rows,
        mapping,
        board.calendar,
        mapped_lead_minutes=own,
        source={k: source[k] for k in ("file", "rows", "items", "from", "to", "imported_at", "by")}
        | {
            "hours_per_day": board.calendar.hours_per_day,
            "days_per_week": board.calendar.days_per_week,
        },
    )
    return summary, {name: sid for name, sid in mapping.items() if sid is not None}


def resolved_mapping(
    rows: Sequence[EventRow], given: Mapping[str, str | None], steps: Sequence[Step]
) -> dict[str, str | None]:
    """Each log step's map step: as the person chose, else the automatic match."""
    names = {r.step: None for r in rows}
    found = match_steps([n for n in names if n not in given], steps)
    resolved: dict[str, str | None] = {n: None if m is None else m[0] for n, m in found.items()}
    resolved |= {n: given[n] for n in names if n in given}
    return resolved


def _given_mapping(text: str | None) -> dict[str, str | None]:
    if not text:
        return {}
    try:
        value = strict_json(text.encode("utf-8", "surrogatepass"))  # no lone surrogate, no NUL
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(v, str) or v is None for v in value.values()
    ):
        raise RequestValidationError([{
            "loc": ("query", "mapping"), "type": "value_error",
            "msg": 'mapping must be a JSON object {"log step name": "step id" or null}',
        }])  # fmt: skip
    return value


def _check_mapping(given: Mapping[str, str | None], steps: Sequence[Step]) -> None:
    known = {s.id for s in steps}
    unknown = [(name, sid) for name, sid in given.items() if sid is not None and sid not in known]
    if unknown:
        raise RequestValidationError([
            {"loc": ("query", "mapping", name), "type": "value_error",
             "msg": f"mapping: {excerpt(name)} names step {excerpt(sid)}, which is not on the map"}
            for name, sid in unknown[:20]
        ])  # fmt: skip
