"""Server-rendered pages: the home page and a board's page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__
from app.api.deps import BoardDeleted, ServicesDep, TooManyGuesses, checked_link
from app.api.strict import StrictJsonRoute
from app.frontend import frontend_dir, preload_order
from app.hub.identity import mint
from app.protocol import PROTOCOL_VERSION

router = APIRouter(include_in_schema=False, route_class=StrictJsonRoute)
# The "not found" card of a link whose board its facilitator deleted.
DELETED_PAGE = {
    "title": "This board was deleted",
    "detail": "Its facilitator deleted it, with its versions and all its links. Nothing of it "
    "is kept.",
}
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
# The board page's entry module, under /static; every module it imports is preloaded.
BOARD_ENTRY = "js/main.js"
# Run on its own as soon as it is there (async), preloaded first: it opens the board's
# socket while the rest of the modules arrive (frontend/js/net/early.js).
EARLY_ENTRY = "js/net/early.js"


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, services: ServicesDep) -> HTMLResponse:
    context = {"version": __version__, "create_key": bool(services.settings.create_key)}
    return templates.TemplateResponse(request, "home.html", context)


@router.get("/b/{board_id}", response_class=HTMLResponse)
async def board_page(request: Request, board_id: str, services: ServicesDep) -> HTMLResponse:
    try:
        link = await checked_link(request, services, request.query_params.get("token"), board_id)
    except TooManyGuesses as slow:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Too many wrong links from here", "detail": str(slow)},
            status_code=429,
            headers={"Retry-After": str(slow.retry_after)},
        )
    except BoardDeleted:
        return templates.TemplateResponse(request, "error.html", DELETED_PAGE, status_code=404)
    if link is None:
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "title": "This link does not open a board",
                "detail": (
                    "It may be mistyped, or the facilitator may have replaced it. "
                    "Ask them for a fresh link."
                ),
            },
            status_code=403,
        )
    room = await services.rooms.get(board_id)
    title = room.board.title if room else ""
    # An identity for a browser that has none yet (hub/identity.py); one that has kept
    # its own ignores it. It holds a secret, so the page is never stored by a cache.
    client, key = mint()
    return templates.TemplateResponse(
        request,
        "board.html",
        {
            "board_id": board_id,
            "title": title,
            "role": link.role,
            "protocol_version": PROTOCOL_VERSION,
            "client": client,
            "key": key,
            "entry": BOARD_ENTRY,
            "early": EARLY_ENTRY,
            "modules": preload_order(frontend_dir(), BOARD_ENTRY, EARLY_ENTRY),
        },
        headers={"Cache-Control": "no-store"},
    )
