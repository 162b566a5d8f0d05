"""What if: a change tried on one step of a live board, without editing the map.

`GET /api/boards/{id}/what-if?step=<id>&change=cut-wait|halve-rework|add-person`
answers the metrics before and after, the deltas and the next constraint, the
lead-time forecast's percentiles before and after, with the figures as the
Flow panel says them (domain/what_if.py). Any link may read it;
an unknown change is refused 422 by its type, as any invalid parameter.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, HTTPException, Query

from app.api.deps import LinkDep, ServicesDep
from app.api.strict import StrictJsonRoute
from app.domain.elements import Board
from app.domain.what_if import Change, UnknownStep, what_if

router = APIRouter(prefix="/api/boards", tags=["what if"], route_class=StrictJsonRoute)


@router.get("/{board_id}/what-if")
async def try_what_if(
    board_id: str,
    link: LinkDep,
    services: ServicesDep,
    step: Annotated[str, Query(description="the step's id", max_length=128)],
    change: Annotated[Change, Query(description="what to try on the step")],
) -> dict[str, Any]:
    """The board's metrics before and after `change` on `step`; the map is not edited."""
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    try:
        # Two forecasts of a few thousand simulated items each: off the event loop.
        return await anyio.to_thread.run_sync(_answer, room.board, step, change)
    except UnknownStep:
        raise HTTPException(404, "no such step on this board") from None


def _answer(board: Board, step: str, change: str) -> dict[str, Any]:
    return what_if(board, step, change, forecast=True).to_json()
