"""Publishing over HTTP: freeze the board as a numbered version, list, read and compare versions.

The facilitator publishes; any of the board's links may read. Publishing and
validation move the board's `state` (mapping, published, validated) through
the board's room, as an operation of the server's own, so every open page
sees it change and the op log keeps it.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import AfterValidator, BaseModel, Field

from app.api.deps import LinkDep, Services, ServicesDep
from app.api.strict import StrictJsonRoute
from app.domain.bidi import check_direction
from app.domain.diff import compare_versions, content_changed
from app.domain.secrecy import without_secret_dots
from app.domain.serialize import board_to_json
from app.hub.room import SERVER_ROLE, Room, Unavailable
from app.protocol import BoardOp
from app.store.validations import desired_state
from app.store.versions import StoredVersion, list_versions, load_version, publish

router = APIRouter(prefix="/api/boards", tags=["versions"], route_class=StrictJsonRoute)
log = logging.getLogger(__name__)

# Version numbers are the database's INTEGER (32 bits on PostgreSQL): beyond that, 422.
MAX_VERSION = 2**31 - 1
VersionNumber = Annotated[int, Path(ge=1, le=MAX_VERSION, description="the version's number")]
# Rounds of "read what the state should be, set it" before giving up: each round
# sees every sign-off committed before it, so two racing sign-offs settle in two.
STATE_ROUNDS = 3


class PublishBody(BaseModel):
    label: Annotated[str, AfterValidator(check_direction)] = Field(
        default="", max_length=200, description='e.g. "After the workshop"'
    )


def facilitator_only(link: LinkDep, what: str) -> None:
    if link.role != "facilitator":
        raise HTTPException(403, f"only the facilitator can {what}")


async def board_room(services: Services, board_id: str) -> Room:
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    return room


async def sync_state(services: Services, room: Room) -> str:
    """Bring the board's state in line with its versions and sign-offs; the state it has now."""
    for _ in range(STATE_ROUNDS):
        wanted = await services.db.run(desired_state, services.db.engine, room.board_id)
        if room.board.state == wanted:
            return wanted
        op = BoardOp(op="board", set={"state": wanted})
        try:
            results = await room.submit_and_wait([op], role=SERVER_ROLE, client=SERVER_ROLE)
        except Unavailable as err:
            raise HTTPException(503, f"could not save the board's state: {err}") from None
        if results[0].get("error"):
            log.error("board %s: state %s refused: %s", room.board_id, wanted, results[0])
            break
    return room.board.state


async def stored_version(services: Services, board_id: str, number: int) -> StoredVersion:
    found = await services.db.run(load_version, services.db.engine, board_id, number)
    if found is None:
        raise HTTPException(404, f"this board has no version {number}")
    return found


@router.post("/{board_id}/versions", status_code=201)
async def publish_version(
    board_id: str, body: PublishBody, link: LinkDep, services: ServicesDep
) -> dict[str, Any]:
    """Freeze the board as it is now, with its metrics, as the next version (facilitator only)."""
    facilitator_only(link, "publish a version")
    room = await board_room(services, board_id)
    # Read together, with no await between: the board, its seq and its metrics agree.
    # A vote still open keeps its dots to itself, as in an export (domain/secrecy.py):
    # any link reads a version.
    board = board_to_json(without_secret_dots(room.board))
    seq, metrics = room.seq, room.metrics
    freeze = partial(publish, label=body.label, seq=seq, board=board, metrics=metrics)
    info = await services.db.run(freeze, services.db.engine, board_id)
    state = await sync_state(services, room)
    return info.to_json() | {"state": state}


@router.get("/{board_id}/versions")
async def versions(board_id: str, link: LinkDep, services: ServicesDep) -> dict[str, Any]:
    """Every published version, oldest first, the board's state, and whether the map
    has changed since the latest version (a validated map that changed is not validated)."""
    room = await board_room(services, board_id)
    found = await services.db.run(list_versions, services.db.engine, board_id)
    changed = False
    if found:
        latest = await stored_version(services, board_id, found[-1].number)
        changed = content_changed(latest.board, board_to_json(room.board))
    return {
        "versions": [v.to_json() for v in found],
        "latest": found[-1].number if found else None,
        "state": room.board.state,
        "changed_since_latest": changed,
    }


@router.get("/{board_id}/versions/compare")
async def compare(
    board_id: str,
    link: LinkDep,
    services: ServicesDep,
    a: Annotated[int, Query(ge=1, le=MAX_VERSION, description="the earlier version's number")],
    b: Annotated[int, Query(ge=1, le=MAX_VERSION, description="the later version's number")],
) -> dict[str, Any]:
    """What changed from version a to version b, and both versions' metrics with the deltas."""
    first = await stored_version(services, board_id, a)
    second = await stored_version(services, board_id, b)
    compared = compare_versions(
        {"board": first.board, "metrics": first.metrics},
        {"board": second.board, "metrics": second.metrics},
    )
    return {"a": first.info.to_json(), "b": second.info.to_json(), **compared}


@router.get("/{board_id}/versions/{number}")
async def version(
    board_id: str, number: VersionNumber, link: LinkDep, services: ServicesDep
) -> dict[str, Any]:
    """One version as it was published: the board (frame and elements) and its metrics."""
    found = await stored_version(services, board_id, number)
    return found.info.to_json() | {"board": found.board, "metrics": found.metrics}
