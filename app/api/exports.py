"""Exports over HTTP: the live board as JSON, CSV, SVG, PNG or PDF, and a JSON export back in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, NamedTuple

import anyio
from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy import Engine

from app.api.boards import board_links
from app.api.deps import CreateAllowed, LinkDep, Services, ServicesDep, address_of, base_url
from app.api.renders import NOBODY_WAITS, WAITING_PER_ASKER, Busy, Renders, Stopped
from app.api.strict import StrictJsonRoute
from app.api.turns import busy
from app.api.versions import VersionNumber
from app.domain.elements import evolve
from app.domain.operations import MAX_ELEMENTS
from app.domain.secrecy import without_secret_dots
from app.domain.serialize import board_from_json
from app.domain.validation import steps_in_order, summarize
from app.export.formats import (
    MEDIA_TYPES,
    ExportFormat,
    Rendered,
    content_disposition,
    render,
)
from app.export.json import Imported, ImportRefused, plan_import
from app.export.pdf import restamped
from app.export.validation_words import validation_lines
from app.hub.ports import StoredOp
from app.protocol import CreatedBoard
from app.store.repository import Link, create_board
from app.store.validations import validation_for, validators, verdicts_of
from app.store.versions import latest_number, load_version

router = APIRouter(prefix="/api/boards", tags=["exports"], route_class=StrictJsonRoute)

# Pictures and PDFs take seconds of CPU each: at most RENDERS_AT_ONCE at once, so a burst
# of downloads after a workshop cannot starve the live boards on a small server, one per
# address at a time, in turn, each within its time, and one render per file of a board
# state, shared by everyone who asks for it (api/renders.py).


class ImportBody(BaseModel):
    """A Flowmap JSON export (as `GET .../export?format=json` gives it)."""

    model_config = ConfigDict(extra="ignore")

    format: str = Field(description='"flowmap-board"')
    version: StrictInt
    board: dict[str, Any] = Field(description="title, scope, customer, ..., hours_per_day")
    elements: list[dict[str, Any]] = Field(max_length=MAX_ELEMENTS)


@router.get(
    "/{board_id}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
async def export(
    board_id: str,
    request: Request,
    link: LinkDep,
    services: ServicesDep,
    fmt: Annotated[ExportFormat, Query(alias="format", description="what to download")] = "json",
) -> Response:
    """The board as it is now, as a file to download (any link may export)."""
    room = await services.rooms.get(board_id)
    if room is None:
        raise HTTPException(404, "no such board")
    # Boards are immutable values: this one stays as it is while it renders off the loop.
    # A vote still open keeps its dots to itself (domain/secrecy.py).
    board, seq = without_secret_dots(room.board), room.seq
    found = await _validation(services, board_id, None) if fmt == "pdf" else None
    words = _words_for(link, found)
    at = datetime.now(UTC)
    done = await rendered(
        request, services, (board_id, seq, fmt, words),
        partial(render, board, fmt, at=at, validation=words),
    )  # fmt: skip
    # A file kept from another's export of this board state says when this one was asked.
    content = restamped(done.content, at) if fmt == "pdf" else done.content
    return Response(
        content,
        media_type=done.media_type,
        headers={"Content-Disposition": done.disposition, "Cache-Control": "no-store"},
    )


@router.get(
    "/{board_id}/versions/{number}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
async def export_version(
    board_id: str,
    number: VersionNumber,
    request: Request,
    link: LinkDep,
    services: ServicesDep,
    fmt: Annotated[ExportFormat, Query(alias="format", description="what to download")] = "json",
) -> Response:
    """A published version, frozen as it was, as a file to download (any link may export)."""
    stored = await services.db.run(load_version, services.db.engine, board_id, number)
    if stored is None:
        raise HTTPException(404, "no such version")
    frozen = board_from_json(stored.board["board"], stored.board["elements"])
    # Dated as published: the file says when this version was made, not when it was fetched.
    published = datetime.fromisoformat(stored.info.created_at)
    found = await _validation(services, board_id, number) if fmt == "pdf" else None
    words = _words_for(link, found)
    if fmt == "pdf":  # the head says the version's state, not the one its board was frozen in
        state = "validated" if found is not None and found.validated else "published"
        frozen = evolve(frozen, {"state": state})
    done = await rendered(
        request, services, (board_id, "version", number, fmt, words),
        partial(render, frozen, fmt, at=published, validation=words),
    )  # fmt: skip
    disposition = content_disposition(f"{frozen.title or 'map'} v{number}", fmt)
    return Response(
        done.content,
        media_type=done.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


async def rendered(
    request: Request,
    services: Services,
    key: Hashable,
    make: Callable[[], Rendered],
    renders: Renders | None = None,
) -> Rendered:
    """The file from the shared renders (the exports', unless `renders` says), in the asking
    address's turn; 429 when it has too many waiting, 503 saying why when its render was
    stopped. A caller that hangs up stops waiting, and a render nobody else waits for
    stops with it (api/renders.py)."""
    shared = services.renders if renders is None else renders
    asked = asyncio.ensure_future(shared.get(key, make, asker=address_of(request)))
    gone = asyncio.ensure_future(_hung_up(request))
    try:
        await asyncio.wait((asked, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not asked.done():
            asked.cancel()
    try:
        return await asked
    except Busy:
        raise busy(WAITING_PER_ASKER) from None
    except Stopped as stopped:
        raise HTTPException(503, f"{stopped}; try a smaller export (CSV or JSON)") from None
    except asyncio.CancelledError:
        if gone.cancelled() or not gone.done():
            raise
        raise HTTPException(503, f"export stopped: {NOBODY_WAITS}") from None


async def _hung_up(request: Request) -> None:
    """Returns once the client has closed the connection."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class Validation(NamedTuple):
    """Where a version's validation stands: in the PDF's words, and whether everyone asked
    signed it off (the version's state for its report's head: its frozen board says the
    state it was in when published)."""

    words: str
    validated: bool


def _words_for(link: Link, found: Validation | None) -> str | None:
    """What the PDF says of the validation to this link: who stands where and each dispute
    to the facilitator, who alone sees them elsewhere (GET .../validation); to the others,
    as the board's badge, its state (None). The words are in the render's key: a file made
    for the facilitator is never handed to another link."""
    if found is None or link.role != "facilitator":
        return None
    return found.words


async def _validation(
    services: Services, board_id: str, number: int | None
) -> Validation | None:
    """Where the validation of version `number` (None: the latest) stands, for the PDF:
    who was asked, who signed off, each dispute; None when nobody was asked."""
    return await services.db.run(_validation_of, services.db.engine, board_id, number)


def _validation_of(engine: Engine, board_id: str, number: int | None) -> Validation | None:
    number = latest_number(engine, board_id) if number is None else number
    ref = None if number is None else validation_for(engine, board_id, number)
    version = None if ref is None else load_version(engine, board_id, ref.number)
    if ref is None or version is None:
        return None
    people = validators(engine, ref.id)
    steps = steps_in_order(version.board, version.metrics)
    invited = [name for name, _ in people]
    summary = summarize(steps, invited, verdicts_of(engine, ref.id), dict(people))
    return Validation(validation_lines(ref.number, summary), summary["all_signed_off"])


@router.post("/import", status_code=201, response_model=CreatedBoard)
async def import_board(
    body: ImportBody, request: Request, services: ServicesDep, _: CreateAllowed
) -> CreatedBoard:
    """A JSON export as a new board with new links; 422 with the reason if it is not valid."""
    try:
        planned = await anyio.to_thread.run_sync(plan_import, body.model_dump())
    except ImportRefused as err:
        # The same shape as FastAPI's own 422s (and the OpenAPI schema): detail[0].msg says why.
        problem = {"loc": ("body", *err.loc), "msg": str(err), "type": "value_error"}
        raise RequestValidationError([problem]) from None
    board_id, tokens = await services.db.run(store_import, services.db.engine, planned)
    root = base_url(request, services.settings)
    return CreatedBoard(id=board_id, links=board_links(root, board_id, tokens))


def store_import(engine: Engine, planned: Imported) -> tuple[str, dict[str, str]]:
    """Create the board and log its elements as its first operations, as `flowmap demo` does."""
    stored = [
        StoredOp(seq, None, "import", {"seq": seq, "cid": None, "by": "api", "name": "import", **e})
        for seq, e in enumerate(planned.entries, start=1)
    ]
    return create_board(engine, planned.frame, stored)  # one transaction: all or nothing
