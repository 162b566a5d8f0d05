"""Server-rendered pages: the home page and a board's page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

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
# An address no route answers, asked by a browser: a link cut short in a chat, a path typed by hand.
NO_PAGE = {
    "title": "No page here",
    "detail": "This address is not one of Flowmap's pages. If someone sent you a link to a "
    "board, check it came through whole (it ends in ?token=…), or ask them for it again.",
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


async def not_found(request: Request, exc: Exception) -> Response:
    """A page for a browser that asked for an address nothing answers; the API's JSON otherwise.

    Only where no route matched and the caller wants HTML: a route's own 404 (a board, a
    step) and anything under /api/ keep their JSON, which programs read.
    """
    assert isinstance(exc, HTTPException)
    unrouted = exc.status_code == 404 and "endpoint" not in request.scope
    browser = "text/html" in request.headers.get("accept", "")
    if unrouted and browser and not request.url.path.startswith("/api/"):
        return templates.TemplateResponse(request, "error.html", NO_PAGE, status_code=404)
    return await http_exception_handler(request, exc)
