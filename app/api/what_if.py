"""What if: changes tried on steps of a live board, without editing the map.

`GET /api/boards/{id}/what-if?step=<id>&change=cut-wait|halve-rework|add-person`
answers the metrics before and after, the deltas and the next constraint, the
lead-time forecast's percentiles before and after, with the figures as the
Flow panel says them (domain/what_if.py). Any link may read it;
an unknown change is refused 422 by its type, as any invalid parameter.

`POST /api/boards/{id}/whatif` with `{"changes": [{"step", "wait_factor"?,
"process_factor"?, "rework_factor"?}]}` answers the metrics as they would be, in
the shape of GET .../metrics (forecast included). Any link may ask; every
refusal, an unknown step as much as a bad factor, is a 422 that says why.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.deps import LinkDep, ServicesDep, address_of
from app.api.strict import StrictJsonRoute
from app.api.turns import Turns
from app.domain.echo import excerpt
from app.domain.elements import Board
from app.domain.operations import MAX_ELEMENTS
from app.domain.what_if import (
    FACTORS,
    MAX_FACTOR,
    BadChange,
    Change,
    StepChange,
    UnknownStep,
    what_if,
    whatif_metrics,
)
from app.hub.forecast_feed import ASKED_AT_ONCE, asked_in_thread

router = APIRouter(prefix="/api/boards", tags=["what if"], route_class=StrictJsonRoute)

# What-ifs one address may have waiting: a workshop behind one office address, a dozen
# people each pressing a what-if at once, and a few more; a script's flood beyond it is
# refused 429 rather than queued ahead of other boards.
WHAT_IFS_WAITING = 16
# What-ifs run ASKED_AT_ONCE at a time per process (hub/forecast_feed.py), one per address,
# in turn: one viewer's flood on a long map kept every other board's what-if waiting
# behind the whole of it (12 at once: 10 s for a one-step map's what-if, 1.3 s each).
_turns = Turns(ASKED_AT_ONCE, WHAT_IFS_WAITING)

Factor = Annotated[
    float | None,
    Field(
        ge=0, le=MAX_FACTOR, allow_inf_nan=False, description="multiplies the figure; 1 keeps it"
    ),
]


class StepChangeBody(BaseModel):
    """One step's change: the factors it gives, each optional (1 when left out)."""

    model_config = ConfigDict(extra="forbid")

    step: str = Field(max_length=128, description="the step's id")
    wait_factor: Factor = None
    process_factor: Factor = None
    rework_factor: Factor = None

    @model_validator(mode="after")
    def _gives_a_factor(self) -> StepChangeBody:
        if all(getattr(self, name) is None for name in FACTORS):
            raise ValueError(
                "a change needs at least one of wait_factor, process_factor, rework_factor"
            )
        return self

    def to_domain(self) -> StepChange:
        given = {name: getattr(self, name) for name in FACTORS}
        return StepChange(self.step, **{k: v for k, v in given.items() if v is not None})


class WhatIfRequest(BaseModel):
    """`POST .../whatif`: a change per step (a step at most once)."""

    model_config = ConfigDict(extra="forbid")

    changes: list[StepChangeBody] = Field(min_length=1, max_length=MAX_ELEMENTS)


@router.get("/{board_id}/what-if")
async def try_what_if(
    board_id: str,
    request: Request,
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
        # Two forecasts of a few thousand simulated items each: off the event loop, no
        # more at once than the process allows what-ifs, in the address's turn.
        async with _turns.turn(address_of(request)):
            return await asked_in_thread(_answer, room.board, step, change)
    except UnknownStep:
        raise HTTPException(404, "no such step on this board") from None


@router.post("/{board_id}/whatif")
async def try_changes(
    board_id: str, body: WhatIfRequest, request: Request, link: LinkDep, services: ServicesDep
) -> dict[str, Any]:
    """The board's metrics as they would be with `changes` made; the map is not edited."""
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    changes = [c.to_domain() for c in body.changes]
    try:
        # A forecast of a few thousand simulated items: off the event loop, bounded, in turn.
        async with _turns.turn(address_of(request)):
            return await asked_in_thread(whatif_metrics, room.board, changes)
    except UnknownStep as unknown:
        raise _refused(f"no step {excerpt(unknown.args[0])} on this board") from None
    except BadChange as bad:
        raise _refused(str(bad)) from None


def _refused(why: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", "changes"), "msg": why, "type": "value_error"}])


def _answer(board: Board, step: str, change: str) -> dict[str, Any]:
    return what_if(board, step, change, forecast=True).to_json()
