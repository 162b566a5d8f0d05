"""Boards over HTTP: create, read, metrics, and operations (same path as the websocket)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError

from app.api.deps import CreateAllowed, LinkDep, ServicesDep, address_of, base_url
from app.api.limits import TooMany
from app.api.ratelimit import LINK_OPS_REFUSED
from app.api.strict import StrictJsonRoute
from app.domain.operations import Delete, Operation, Update
from app.domain.ranges import with_ranges
from app.domain.secrecy import seal_snapshot, secret_dots
from app.domain.serialize import board_to_json
from app.domain.tidy import tidy
from app.hub.identity import cid_prefix, client_of, link_author
from app.hub.room import Room, Unavailable
from app.protocol import (
    IDENTITY_KEY,
    MAX_CID,
    BoardState,
    CreateBoard,
    CreatedBoard,
    Links,
    NewLink,
    Op,
    OpsRequest,
    OpsResponse,
)
from app.store.deletion import delete_board
from app.store.repository import create_board, rotate_link

router = APIRouter(prefix="/api/boards", tags=["boards"], route_class=StrictJsonRoute)


def board_links(root: str, board_id: str, tokens: dict[str, str]) -> Links:
    return Links(**{role: f"{root}/b/{board_id}?token={token}" for role, token in tokens.items()})


@router.post("", status_code=201, response_model=CreatedBoard)
async def create(
    body: CreateBoard, request: Request, services: ServicesDep, _: CreateAllowed
) -> CreatedBoard:
    """Create a board; the answer holds its three capability links (shown only once)."""
    board_id, tokens = await services.db.run(create_board, services.db.engine, body.model_dump())
    return CreatedBoard(
        id=board_id, links=board_links(base_url(request, services.settings), board_id, tokens)
    )


async def _room(services: ServicesDep, board_id: str) -> Room:
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    return room


@router.get("/{board_id}", response_model=BoardState)
async def read(board_id: str, link: LinkDep, services: ServicesDep) -> dict[str, Any]:
    """The board as it is now: frame, elements and sequence number (an open vote's dots
    with their targets sealed: domain/secrecy.py)."""
    room = await _room(services, board_id)
    board = room.board
    state = seal_snapshot(board_to_json(board), secret_dots(board), None)
    return {**state, "elements": with_ranges(state["elements"], board), "seq": room.seq}


@router.delete("/{board_id}", status_code=204, response_class=Response)
async def delete_for_good(board_id: str, link: LinkDep, services: ServicesDep) -> Response:
    """Delete the board and all of it for good (facilitator only): every link stops working.

    Everyone connected here is told why as their session closes; other processes
    find the links gone within seconds and do the same (Rooms.close_revoked).
    """
    if link.role != "facilitator":
        raise HTTPException(403, "only the facilitator can delete the board")
    if not await services.db.run(delete_board, services.db.engine, board_id):
        raise HTTPException(404, "no such board")
    await services.rooms.evict(board_id)
    return Response(status_code=204)


@router.get("/{board_id}/metrics")
async def metrics(board_id: str, link: LinkDep, services: ServicesDep) -> dict[str, Any]:
    """Lead time, process time, activity ratio, rolled %C/A, the constraint, what is missing,
    and the lead-time forecast (`forecast`, docs/protocol.md)."""
    room = await _room(services, board_id)
    return {**room.metrics, "forecast": await room.forecast()}


@router.post("/{board_id}/ops", response_model=OpsResponse)
async def apply_ops(
    board_id: str, body: OpsRequest, link: LinkDep, services: ServicesDep, request: Request,
    key: Annotated[str | None, Header(alias="X-Flowmap-Key", pattern=IDENTITY_KEY)] = None,
) -> OpsResponse:  # fmt: skip
    """Apply operations in order, exactly as the websocket does; per-operation results.

    The caller acts as the identity its `X-Flowmap-Key` proves, else as its link's own
    author. Its cids are its own: they are stored under its client id, so no caller can
    spend the operation ids of anyone else. Its calls take their fair share of the link's
    budget as one sender of its address, whatever identity it names (limits.FairLinks).
    """
    if link.role == "viewer":
        raise HTTPException(403, "viewer links cannot change the board")
    client = client_of(key) if key else link_author(link.token_hash)
    ops, given = _scoped(body.ops, client)
    wait = services.admission.ops_wait(link.token_hash, len(ops), address_of(request))
    if wait:
        raise TooMany(LINK_OPS_REFUSED, wait)
    room = await _room(services, board_id)
    try:
        results = await room.submit_and_wait(ops, role=link.role, client=client)
    except Unavailable as err:
        raise HTTPException(503, f"could not save: {err}") from None
    for result, cid in zip(results, given, strict=True):
        result["cid"] = cid
    return OpsResponse.model_validate({"seq": room.seq, "results": results})


def _scoped(ops: list[Op], client: str) -> tuple[list[Op], list[str | None]]:
    """The ops with each cid under the caller's client id, and the cids as the caller gave them."""
    prefix = cid_prefix(client)
    scoped: list[Op] = []
    for i, op in enumerate(ops):
        if op.cid is None or op.cid.startswith(prefix):
            scoped.append(op)
            continue
        cid = prefix + op.cid
        if len(cid) > MAX_CID:
            too_long = f"at most {MAX_CID - len(prefix)} characters under your client id"
            problem = {"loc": ("body", "ops", i, "cid"), "msg": too_long, "type": "value_error"}
            raise RequestValidationError([problem])
        scoped.append(op.model_copy(update={"cid": cid}))
    return scoped, [op.cid for op in ops]


@router.post("/{board_id}/links/{role}", response_model=NewLink)
async def regenerate_link(
    board_id: str,
    role: Literal["facilitator", "participant", "viewer"],
    request: Request,
    link: LinkDep,
    services: ServicesDep,
) -> NewLink:
    """Revoke the role's link and make a new one (facilitator only).

    Anyone holding the old link is refused from now on; their open sessions are
    closed within seconds (see Rooms.close_revoked).
    """
    if link.role != "facilitator":
        raise HTTPException(403, "only the facilitator can change the board's links")
    await _room(services, board_id)  # 404 for a board that does not exist
    token = await services.db.run(rotate_link, services.db.engine, board_id, role)
    await services.rooms.close_revoked(board_id)
    root = base_url(request, services.settings)
    return NewLink(role=role, link=f"{root}/b/{board_id}?token={token}")


@router.get("/{board_id}/tidy")
async def tidy_preview(board_id: str, link: LinkDep, services: ServicesDep) -> dict[str, Any]:
    """The operations that would tidy the map (facilitator only); applying them is the client's.

    The browser shows them as a preview and, on Apply, sends them as one batch: one
    change for everyone to see and for the facilitator to undo.
    """
    if link.role != "facilitator":
        raise HTTPException(403, "only the facilitator can tidy the map")
    room = await _room(services, board_id)
    plan = tidy(room.board)
    return {"ops": [_op_json(op) for op in plan.ops], "moved": plan.moved, "removed": plan.removed}


def _op_json(op: Operation) -> dict[str, Any]:
    if isinstance(op, Update):
        return {"op": "update", "id": op.id, "set": dict(op.set)}
    if isinstance(op, Delete):
        return {"op": "delete", "id": op.id}
    raise TypeError(f"tidy does not make {type(op).__name__} operations")
