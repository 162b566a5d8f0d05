"""Future-state maps: start one from a current-state board, and compare the two live.

The future state is a linked copy: the same steps (same ids, so they match up),
arrows, inventory, notes and experiments, without the workshop's comments,
estimates, votes and example walk (domain/future_state.py). While it is edited,
both maps' metrics are shown side by side with the deltas.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from app.api.boards import board_links
from app.api.deps import LinkDep, ServicesDep, address_of, base_url
from app.api.strict import StrictJsonRoute
from app.domain.elements import FRAME_FIELDS, FRAME_NUMBERS
from app.domain.future_state import future_elements, future_title
from app.domain.handoffs import said_delta
from app.domain.serialize import teams_to_json
from app.domain.what_if import Change, UnknownStep, tried
from app.domain.wording import moved_text
from app.protocol import CreatedBoard
from app.store.seeding import seed_board

router = APIRouter(prefix="/api/boards", tags=["future state"], route_class=StrictJsonRoute)

# The figures compared, as the metrics name them.
COMPARED = (
    "lead_time_minutes",
    "process_time_minutes",
    "activity_ratio",
    "rolled_pca",
    "work_content_minutes",
    "expected_lead_time_minutes",
)


@router.post("/{board_id}/future", status_code=201, response_model=CreatedBoard)
async def start_future(
    board_id: str,
    request: Request,
    link: LinkDep,
    services: ServicesDep,
    step: Annotated[str | None, Query(description="a what-if's step", max_length=128)] = None,
    change: Annotated[Change | None, Query(description="the what-if to start from")] = None,
) -> CreatedBoard:
    """Start a future-state map from this board (facilitator only): a linked copy; with
    `step` and `change`, the copy has that what-if made (GET .../what-if says what it does)."""
    if link.role != "facilitator":
        raise HTTPException(403, "only the facilitator can start a future-state map")
    services.admission.count_board(address_of(request))  # a board made, as any other
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    current = room.board
    if (step is None) != (change is None):
        missing = "change" if change is None else "step"
        problem = {"loc": ("query", missing), "msg": "a what-if needs both its step and its change",
                   "type": "value_error"}  # fmt: skip
        raise RequestValidationError([problem])
    if step is not None and change is not None:
        try:
            current = tried(current, step, change)
        except UnknownStep:
            raise HTTPException(404, "no such step on this board") from None
    frame: dict[str, Any] = {name: getattr(current, name) for name in FRAME_FIELDS}
    frame["title"] = future_title(current.title)
    frame |= {
        "hours_per_day": current.calendar.hours_per_day,
        "days_per_week": current.calendar.days_per_week,
        "future_of": current.id,
    }
    frame |= {name: getattr(current, name) for name in FRAME_NUMBERS}
    # The same teams and lanes: the redesign starts from who does what today.
    frame |= {"teams": teams_to_json(current.teams), "swimlanes": current.swimlanes}
    kept = future_elements(current)
    new_id, tokens = await services.db.run(seed_board, services.db.engine, frame, kept)
    root = base_url(request, services.settings)
    return CreatedBoard(id=new_id, links=board_links(root, new_id, tokens))


@router.get("/{board_id}/compare")
async def compare_with_current(
    board_id: str, link: LinkDep, services: ServicesDep
) -> dict[str, Any]:
    """A future-state map's metrics beside its current state's; deltas are future - current."""
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    current_id = room.board.future_of
    if not current_id:
        raise HTTPException(404, "this map is not a future state of another")
    current = await services.rooms.get(current_id)
    if current is None:
        raise HTTPException(404, "the current-state map no longer exists")
    before, after = current.metrics, room.metrics
    deltas = {k: _delta(before[k], after[k]) for k in COMPARED}
    calendar = room.board.calendar
    return {
        "current": {"id": current_id, "title": current.board.title, "metrics": _picked(before)},
        "future": {"id": board_id, "title": room.board.title, "metrics": _picked(after)},
        "deltas": deltas,
        # Each delta as the Flow panel says it: "−6d", "+4.1 pts", "no change".
        "deltas_display": {k: moved_text(k, before[k], after[k], calendar) for k in deltas},
        "display": {"current": before["display"], "future": after["display"]},
        "handoffs": _handoffs(before, after),
    }


def _handoffs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """How many times the work changes hands on each map's path, and what that does."""
    current, future = before["handoffs"]["count"], after["handoffs"]["count"]
    delta = future - current
    return {"current": current, "future": future, "delta": delta, "display": said_delta(delta)}


def _delta(before: float | None, after: float | None) -> float | None:
    """How far a figure moved; None when either map lacks it (no lead time, no ratio)."""
    return None if before is None or after is None else round(after - before, 4)


def _picked(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: metrics[k] for k in COMPARED}
